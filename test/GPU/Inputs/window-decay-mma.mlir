// GPU suite model: a sliding window (width 70, wider than a 64-position
// tile) times a data-dependent decay, in bf16 with p = 32 and n = 16
// (tensor-core quadratic form: tiles walked back to the band's edge), h = 2,
// g = 1, over packed sequences.
func.func @window_decay_mma(%c: tensor<1x?x1x16xbf16>, %b: tensor<1x?x1x16xbf16>, %x: tensor<1x?x2x32xbf16>, %a: tensor<1x?x2xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x2x32xbf16>) {
  %w = sma.mask.window 70
  %d = sma.mask.decay %a : tensor<1x?x2xf32>
  %m = sma.mask.mul %w, %d
  %y = sma.contract C(%c : tensor<1x?x1x16xbf16>) B(%b : tensor<1x?x1x16xbf16>) X(%x : tensor<1x?x2x32xbf16>) mask(%m) seqs(%cu : tensor<?xi32>) -> tensor<1x?x2x32xbf16>
  return %y : tensor<1x?x2x32xbf16>
}
