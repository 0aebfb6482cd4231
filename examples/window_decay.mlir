// A sliding window of 128 positions times a Mamba-2 style data-dependent
// decay: L[t, s] = exp(a_{s+1} + ... + a_t) for 0 <= t - s < 128, else 0.
//
// 8 heads sharing one group of B and C (g = 1), p = n = 64, bf16, any batch
// and length.
//   %c  [b, T, 1, 64]  bf16   C
//   %b  [b, T, 1, 64]  bf16   B
//   %x  [b, T, 8, 64]  bf16   X
//   %a  [b, T, 8]      f32    per-step log-decay, a <= 0 (e.g. dt * A)
// Result: [b, T, 8, 64] bf16.
//
// The window has no constant-size state, so neither has the product: only
// the quadratic form is legal (forcing another form is a diagnostic), and it
// may skip the blocks outside the band.
//   smc run examples/window_decay.mlir --backend=cpu --check
func.func @window_decay(%c: tensor<?x?x1x64xbf16>, %b: tensor<?x?x1x64xbf16>,
                        %x: tensor<?x?x8x64xbf16>, %a: tensor<?x?x8xf32>)
    -> tensor<?x?x8x64xbf16> {
  %window = sma.mask.window 128
  %decay = sma.mask.decay %a : tensor<?x?x8xf32>
  %mask = sma.mask.mul %window, %decay
  %y = sma.contract C(%c : tensor<?x?x1x64xbf16>) B(%b : tensor<?x?x1x64xbf16>)
      X(%x : tensor<?x?x8x64xbf16>) mask(%mask) -> tensor<?x?x8x64xbf16>
  return %y : tensor<?x?x8x64xbf16>
}
