// Causal linear attention: y_t = sum_{s <= t} (q_t . k_s) v_s, per head.
//
// 8 heads with their own queries and keys (g = h = 8), p = n = 64, f32, any
// batch and length. The feature map (e.g. elu + 1) is applied to q and k
// before this function; the mask is all ones below the diagonal.
//   %q  [b, T, 8, 64]  f32   queries (C)
//   %k  [b, T, 8, 64]  f32   keys (B)
//   %v  [b, T, 8, 64]  f32   values (X)
// Result: [b, T, 8, 64] f32.
//
// The causal mask is semiseparable (the state is a running sum of k v^T), so
// the linear, quadratic and chunked forms are all legal:
//   smc run examples/linear_attention.mlir --backend=cpu --check
//   smc run examples/linear_attention.mlir --backend=cpu --check --form=all
func.func @linear_attention(%q: tensor<?x?x8x64xf32>, %k: tensor<?x?x8x64xf32>,
                            %v: tensor<?x?x8x64xf32>) -> tensor<?x?x8x64xf32> {
  %causal = sma.mask.causal
  %y = sma.contract C(%q : tensor<?x?x8x64xf32>) B(%k : tensor<?x?x8x64xf32>)
      X(%v : tensor<?x?x8x64xf32>) mask(%causal) -> tensor<?x?x8x64xf32>
  return %y : tensor<?x?x8x64xf32>
}
