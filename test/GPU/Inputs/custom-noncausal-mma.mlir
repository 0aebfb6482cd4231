// GPU suite model: a custom non-causal mask L[t, s] = exp(-0.05 |t - s|) in
// bf16 with p = 16 and n = 32 (tensor-core quadratic form: every tile of
// sources, the region evaluated per score), h = 2, g = 1.
func.func @custom_noncausal_mma(%c: tensor<?x?x1x32xbf16>, %b: tensor<?x?x1x32xbf16>, %x: tensor<?x?x2x16xbf16>) -> (tensor<?x?x2x16xbf16>) {
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %head: index):
    %d = arith.subi %t, %s : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %a = math.absf %df : f32
    %k = arith.constant -0.05 : f32
    %e = arith.mulf %k, %a : f32
    %v = math.exp %e : f32
    sma.yield %v : f32
  }
  %y = sma.contract C(%c : tensor<?x?x1x32xbf16>) B(%b : tensor<?x?x1x32xbf16>) X(%x : tensor<?x?x2x16xbf16>) mask(%m) -> tensor<?x?x2x16xbf16>
  return %y : tensor<?x?x2x16xbf16>
}
