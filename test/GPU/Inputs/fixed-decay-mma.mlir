// GPU suite model: RetNet's fixed per-head decays in bf16 with p = 32 and
// n = 16 (tensor-core chunked form), one group for four heads, final state.
func.func @fixed_decay_mma(%c: tensor<?x?x1x16xbf16>, %b: tensor<?x?x1x16xbf16>, %x: tensor<?x?x4x32xbf16>)
    -> (tensor<?x?x4x32xbf16>, tensor<?x4x32x16xf32>) {
  %m = sma.mask.fixed_decay [0.5, 0.8, 0.95, 0.999]
  %y, %s = sma.contract C(%c : tensor<?x?x1x16xbf16>) B(%b : tensor<?x?x1x16xbf16>) X(%x : tensor<?x?x4x32xbf16>)
      mask(%m) -> tensor<?x?x4x32xbf16>, tensor<?x4x32x16xf32>
  return %y, %s : tensor<?x?x4x32xbf16>, tensor<?x4x32x16xf32>
}
