// The sequence mixer of examples/train: a sliding window of 64 positions
// times a Mamba-2 style data-dependent decay, in f32:
//   L[t, s] = exp(a_{s+1} + ... + a_t)  for 0 <= t - s < 64, else 0
//   Y[t, i] = sum_s L_i[t, s] (C[t, i/2] . B[s, i/2]) X[s, i]
// No peer library ships this mask (mamba_ssm has the decay, FLA and
// FlexAttention the window, none the product with gradients).
//
// 4 heads of p = 64 (d_inner = 256 for d_model = 128, expand 2), 2 groups of
// B and C (head i reads group i / 2), n = 64, f32, any batch and length.
//   %c  [b, T, 2, 64]  f32   C
//   %b  [b, T, 2, 64]  f32   B
//   %x  [b, T, 4, 64]  f32   X = x * dt'
//   %a  [b, T, 4]      f32   per-step log-decay, a = dt' * A <= 0
// Result: [b, T, 4, 64] f32.
//
// The window has no constant-size state, so only the quadratic form is legal
// (with tiles outside the band skipped); the backward's contractions have the
// transposed (anti-causal) mask and are quadratic too.
//   smc run examples/train/decay_window.mlir --check
//   smc run examples/train/decay_window.mlir --grad --check
//   smc compile --grad examples/train/decay_window.mlir -o decay_window.smca
func.func @decay_window(%c: tensor<?x?x2x64xf32>, %b: tensor<?x?x2x64xf32>,
                        %x: tensor<?x?x4x64xf32>, %a: tensor<?x?x4xf32>)
    -> tensor<?x?x4x64xf32> {
  %window = sma.mask.window 64
  %decay = sma.mask.decay %a : tensor<?x?x4xf32>
  %mask = sma.mask.mul %window, %decay
  %y = sma.contract C(%c : tensor<?x?x2x64xf32>) B(%b : tensor<?x?x2x64xf32>)
      X(%x : tensor<?x?x4x64xf32>) mask(%mask) -> tensor<?x?x4x64xf32>
  return %y : tensor<?x?x4x64xf32>
}
