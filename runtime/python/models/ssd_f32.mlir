// smc_torch tests: the Mamba-2 front (sma.ssd) in f32 on small awkward
// sizes, h = 4 over g = 2 (n = 16, p = 8), with D, the z gate, dt_bias and
// softplus; f_fwd saves an extra tensor for the backward.
func.func @ssd_f32(%x: tensor<?x?x4x8xf32>, %dt: tensor<?x?x4xf32>,
                   %A: tensor<4xf32>, %B: tensor<?x?x2x16xf32>,
                   %C: tensor<?x?x2x16xf32>, %D: tensor<4xf32>,
                   %z: tensor<?x?x4x8xf32>, %dt_bias: tensor<4xf32>)
    -> tensor<?x?x4x8xf32> {
  %y = sma.ssd x(%x : tensor<?x?x4x8xf32>) dt(%dt : tensor<?x?x4xf32>)
      A(%A : tensor<4xf32>) B(%B : tensor<?x?x2x16xf32>)
      C(%C : tensor<?x?x2x16xf32>) D(%D : tensor<4xf32>)
      z(%z : tensor<?x?x4x8xf32>) dt_bias(%dt_bias : tensor<4xf32>)
      {dt_softplus} -> tensor<?x?x4x8xf32>
  return %y : tensor<?x?x4x8xf32>
}
