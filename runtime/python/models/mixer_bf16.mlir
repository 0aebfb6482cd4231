// smc_torch tests: the Mamba-2 2.7B mixer's contraction in its contract
// form (examples/mamba2.mlir's sizes: h = 80, p = 64, n = 128, g = 1), bf16
// activations, f32 log-decays (dt * A) and states.
//   C, B [b, T, 1, 128] bf16; X [b, T, 80, 64] bf16; log_decay [b, T, 80];
//   init_state [S, 80, 64, 128]  ->  y bf16, final_state f32
func.func @mixer_bf16(%c: tensor<?x?x1x128xbf16>, %b: tensor<?x?x1x128xbf16>,
                      %x: tensor<?x?x80x64xbf16>, %a: tensor<?x?x80xf32>,
                      %h0: tensor<?x80x64x128xf32>)
    -> (tensor<?x?x80x64xbf16>, tensor<?x80x64x128xf32>) {
  %d = sma.mask.decay %a : tensor<?x?x80xf32>
  %y, %f = sma.contract C(%c : tensor<?x?x1x128xbf16>) B(%b : tensor<?x?x1x128xbf16>)
      X(%x : tensor<?x?x80x64xbf16>) mask(%d) init(%h0 : tensor<?x80x64x128xf32>)
      -> tensor<?x?x80x64xbf16>, tensor<?x80x64x128xf32>
  return %y, %f : tensor<?x?x80x64xbf16>, tensor<?x80x64x128xf32>
}
