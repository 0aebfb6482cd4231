// smc_torch tests: packed sequences (cu_seqlens, an integer input without a
// gradient) with per-sequence states, f32, h = 2, g = 1, batch 1.
//   C, B [1, T, 1, 16]; X [1, T, 2, 8]; log_decay [1, T, 2];
//   init_state [S, 2, 8, 16]; cu_seqlens [S+1] i32
//   ->  y [1, T, 2, 8], final_state [S, 2, 8, 16]
func.func @varlen(%c: tensor<1x?x1x16xf32>, %b: tensor<1x?x1x16xf32>,
                  %x: tensor<1x?x2x8xf32>, %a: tensor<1x?x2xf32>,
                  %h0: tensor<?x2x8x16xf32>, %cu: tensor<?xi32>)
    -> (tensor<1x?x2x8xf32>, tensor<?x2x8x16xf32>) {
  %m = sma.mask.decay %a : tensor<1x?x2xf32>
  %y, %s = sma.contract C(%c : tensor<1x?x1x16xf32>) B(%b : tensor<1x?x1x16xf32>)
      X(%x : tensor<1x?x2x8xf32>) mask(%m) init(%h0 : tensor<?x2x8x16xf32>)
      seqs(%cu : tensor<?xi32>) -> tensor<1x?x2x8xf32>, tensor<?x2x8x16xf32>
  return %y, %s : tensor<1x?x2x8xf32>, tensor<?x2x8x16xf32>
}
