// GPU suite model: a sliding window of width 100 in bf16 with p = 16 and
// n = 32 (tensor-core quadratic form), h = 2, g = 1.
func.func @window_mma(%c: tensor<?x?x1x32xbf16>, %b: tensor<?x?x1x32xbf16>, %x: tensor<?x?x2x16xbf16>) -> (tensor<?x?x2x16xbf16>) {
  %m = sma.mask.window 100
  %y = sma.contract C(%c : tensor<?x?x1x32xbf16>) B(%b : tensor<?x?x1x32xbf16>) X(%x : tensor<?x?x2x16xbf16>) mask(%m) -> tensor<?x?x2x16xbf16>
  return %y : tensor<?x?x2x16xbf16>
}
