// GPU suite model: linear attention (causal mask, no decay) in bf16 with
// p and n multiples of 16, so the chunked form runs on tensor cores; initial
// and final states, h = 4 over g = 2 groups.
func.func @causal_mma(%c: tensor<?x?x2x32xbf16>, %b: tensor<?x?x2x32xbf16>, %x: tensor<?x?x4x16xbf16>,
                      %s0: tensor<?x4x16x32xf32>) -> (tensor<?x?x4x16xbf16>, tensor<?x4x16x32xf32>) {
  %m = sma.mask.causal
  %y, %s = sma.contract C(%c : tensor<?x?x2x32xbf16>) B(%b : tensor<?x?x2x32xbf16>) X(%x : tensor<?x?x4x16xbf16>)
      mask(%m) init(%s0 : tensor<?x4x16x32xf32>) -> tensor<?x?x4x16xbf16>, tensor<?x4x16x32xf32>
  return %y, %s : tensor<?x?x4x16xbf16>, tensor<?x4x16x32xf32>
}
