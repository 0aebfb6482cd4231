// smc_torch tests: a data-dependent decay with initial and final states,
// f32, h = 4 heads over g = 2 groups (n = 16, p = 8), any batch and length.
//   C, B [b, T, 2, 16]; X [b, T, 4, 8]; log_decay [b, T, 4] (<= 0);
//   init_state [S, 4, 8, 16]  ->  y [b, T, 4, 8], final_state [b, 4, 8, 16]
func.func @decay_state(%c: tensor<?x?x2x16xf32>, %b: tensor<?x?x2x16xf32>,
                       %x: tensor<?x?x4x8xf32>, %a: tensor<?x?x4xf32>,
                       %h0: tensor<?x4x8x16xf32>)
    -> (tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>) {
  %d = sma.mask.decay %a : tensor<?x?x4xf32>
  %y, %f = sma.contract C(%c : tensor<?x?x2x16xf32>) B(%b : tensor<?x?x2x16xf32>)
      X(%x : tensor<?x?x4x8xf32>) mask(%d) init(%h0 : tensor<?x4x8x16xf32>)
      -> tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
  return %y, %f : tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
}
