// smc_torch tests: a sliding window of 20 positions times a decay, f32,
// h = 4 over g = 2 (no state: only the quadratic form is legal).
//   C, B [b, T, 2, 16]; X [b, T, 4, 8]; log_decay [b, T, 4]  ->  y [b, T, 4, 8]
func.func @window_decay(%c: tensor<?x?x2x16xf32>, %b: tensor<?x?x2x16xf32>,
                        %x: tensor<?x?x4x8xf32>, %a: tensor<?x?x4xf32>)
    -> tensor<?x?x4x8xf32> {
  %w = sma.mask.window 20
  %d = sma.mask.decay %a : tensor<?x?x4xf32>
  %m = sma.mask.mul %w, %d
  %y = sma.contract C(%c : tensor<?x?x2x16xf32>) B(%b : tensor<?x?x2x16xf32>)
      X(%x : tensor<?x?x4x8xf32>) mask(%m) -> tensor<?x?x4x8xf32>
  return %y : tensor<?x?x4x8xf32>
}
