// Mamba-2 2.7B: one decoding step of the mixer (T = 1), carrying the state.
//
// Same sizes as examples/mamba2.mlir (h = 80, p = 64, n = 128, g = 1, bf16
// activations) with a sequence length of one token: the state of each batch
// row comes in as %state and the updated state goes out, so calling this once
// per generated token continues the scan of the prompt (run the prompt with
// a final state result, or start from zeros).
//
//   %x       [b, 1, 80, 64]    bf16  the new token, split into heads
//   %dt      [b, 1, 80]        bf16  its raw time step
//   %A       [80]              f32   -exp(A_log)
//   %B, %C   [b, 1, 1, 128]    bf16
//   %D       [80]              f32
//   %z       [b, 1, 80, 64]    bf16
//   %dt_bias [80]              f32
//   %state   [b, 80, 64, 128]  f32   the state after the previous token
// Results: y [b, 1, 80, 64] bf16 and the new state [b, 80, 64, 128] f32.
//
// With T = 1 the recurrent (linear) form is the natural choice; `smc explain`
// shows what form selection picks.
//
//   smc run examples/mamba2_decode.mlir --backend=cpu --check
func.func @mamba2_decode_step(%x: tensor<?x1x80x64xbf16>, %dt: tensor<?x1x80xbf16>,
                              %A: tensor<80xf32>, %B: tensor<?x1x1x128xbf16>,
                              %C: tensor<?x1x1x128xbf16>, %D: tensor<80xf32>,
                              %z: tensor<?x1x80x64xbf16>, %dt_bias: tensor<80xf32>,
                              %state: tensor<?x80x64x128xf32>)
    -> (tensor<?x1x80x64xbf16>, tensor<?x80x64x128xf32>) {
  %y, %next = sma.ssd x(%x : tensor<?x1x80x64xbf16>) dt(%dt : tensor<?x1x80xbf16>)
      A(%A : tensor<80xf32>) B(%B : tensor<?x1x1x128xbf16>)
      C(%C : tensor<?x1x1x128xbf16>) D(%D : tensor<80xf32>)
      z(%z : tensor<?x1x80x64xbf16>) dt_bias(%dt_bias : tensor<80xf32>)
      init(%state : tensor<?x80x64x128xf32>) {dt_softplus}
      -> tensor<?x1x80x64xbf16>, tensor<?x80x64x128xf32>
  return %y, %next : tensor<?x1x80x64xbf16>, tensor<?x80x64x128xf32>
}
