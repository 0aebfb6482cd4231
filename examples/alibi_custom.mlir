// A mask nobody wrote a kernel for: ALiBi-style distance decay whose rate is
// chosen per query position, written as a region with sma.mask.custom.
//
//   L[t, s] = exp(-m_h * r_t * (t - s))   for s <= t, else 0
//
// with the ALiBi head slopes m_h = 2^-(h+1) computed from the head index and a
// per-position, per-head rate r_t read from an operand (e.g. a softplus of a
// projection). Because the rate belongs to the query t rather than to each
// step between s and t, the mask is not a product of per-step decays: it has
// no state recurrence, and only the quadratic form is legal.
//
// 8 heads with their own queries and keys (g = h = 8), p = n = 64, f32, any
// batch and length.
//   %q  [b, T, 8, 64]  f32   queries (C)
//   %k  [b, T, 8, 64]  f32   keys (B)
//   %v  [b, T, 8, 64]  f32   values (X)
//   %r  [b, T, 8]      f32   decay rate per position and head, r >= 0
// Result: [b, T, 8, 64] f32.
//
// The region gets t and s (positions in the sequence), the head, and for the
// operand its value at t and at s:
//   smc run examples/alibi_custom.mlir --backend=cpu --check
func.func @alibi_custom(%q: tensor<?x?x8x64xf32>, %k: tensor<?x?x8x64xf32>,
                        %v: tensor<?x?x8x64xf32>, %r: tensor<?x?x8xf32>)
    -> tensor<?x?x8x64xf32> {
  %mask = sma.mask.custom causal (%r : tensor<?x?x8xf32>) {
  ^bb0(%t: index, %s: index, %h: index, %r_t: f32, %r_s: f32):
    // m_h = 2^-(h+1)
    %h_i = arith.index_cast %h : index to i64
    %h_f = arith.sitofp %h_i : i64 to f32
    %one = arith.constant 1.0 : f32
    %h1 = arith.addf %h_f, %one : f32
    %neg_h1 = arith.negf %h1 : f32
    %two = arith.constant 2.0 : f32
    %slope = math.powf %two, %neg_h1 : f32
    // exp(-m_h * r_t * (t - s))
    %dist = arith.subi %t, %s : index
    %dist_i = arith.index_cast %dist : index to i64
    %dist_f = arith.sitofp %dist_i : i64 to f32
    %rate = arith.mulf %slope, %r_t : f32
    %e = arith.mulf %rate, %dist_f : f32
    %neg_e = arith.negf %e : f32
    %l = math.exp %neg_e : f32
    sma.yield %l : f32
  }
  %y = sma.contract C(%q : tensor<?x?x8x64xf32>) B(%k : tensor<?x?x8x64xf32>)
      X(%v : tensor<?x?x8x64xf32>) mask(%mask) -> tensor<?x?x8x64xf32>
  return %y : tensor<?x?x8x64xf32>
}
