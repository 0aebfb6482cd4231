// Mamba-2 2.7B: the sequence mixer (SSD) of one layer, through sma.ssd.
//
// Sizes of the 2.7B model: d_model 2560, expand 2, so 5120 inner channels in
// h = 80 heads of p = 64; state n = 128; one group of B and C (g = 1). Batch
// and length are dynamic. Activations are bf16; A, D and dt_bias are f32, and
// the decays, states and accumulators are f32 whatever the input type.
//
// The arguments are those of the reference mamba_chunk_scan_combined call:
//   %x       [b, T, 80, 64]  bf16  input, split into heads
//   %dt      [b, T, 80]      bf16  raw time steps
//   %A       [80]            f32   -exp(A_log), negative
//   %B, %C   [b, T, 1, 128]  bf16  input and output projections of the state
//   %D       [80]            f32   skip connection: y += D * x
//   %z       [b, T, 80, 64]  bf16  gate: y *= silu(z)
//   %dt_bias [80]            f32   dt = softplus(dt + dt_bias)
// and the result is y [b, T, 80, 64] bf16.
//
// Run and check every output against the float64 reference:
//   smc run examples/mamba2.mlir --backend=cpu --check
// Print the form chosen for each contraction and why:
//   smc explain examples/mamba2.mlir
func.func @mamba2_mixer(%x: tensor<?x?x80x64xbf16>, %dt: tensor<?x?x80xbf16>,
                        %A: tensor<80xf32>, %B: tensor<?x?x1x128xbf16>,
                        %C: tensor<?x?x1x128xbf16>, %D: tensor<80xf32>,
                        %z: tensor<?x?x80x64xbf16>, %dt_bias: tensor<80xf32>)
    -> tensor<?x?x80x64xbf16> {
  %y = sma.ssd x(%x : tensor<?x?x80x64xbf16>) dt(%dt : tensor<?x?x80xbf16>)
      A(%A : tensor<80xf32>) B(%B : tensor<?x?x1x128xbf16>)
      C(%C : tensor<?x?x1x128xbf16>) D(%D : tensor<80xf32>)
      z(%z : tensor<?x?x80x64xbf16>) dt_bias(%dt_bias : tensor<80xf32>)
      {dt_softplus} -> tensor<?x?x80x64xbf16>
  return %y : tensor<?x?x80x64xbf16>
}
