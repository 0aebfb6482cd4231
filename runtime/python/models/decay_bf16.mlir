// smc_torch tests (autocast): decay_state.mlir with bf16 keys, queries,
// values and output; the log-decays and states stay f32.
func.func @decay_bf16(%c: tensor<?x?x2x16xbf16>, %b: tensor<?x?x2x16xbf16>,
                      %x: tensor<?x?x4x8xbf16>, %a: tensor<?x?x4xf32>,
                      %h0: tensor<?x4x8x16xf32>)
    -> (tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>) {
  %d = sma.mask.decay %a : tensor<?x?x4xf32>
  %y, %f = sma.contract C(%c : tensor<?x?x2x16xbf16>) B(%b : tensor<?x?x2x16xbf16>)
      X(%x : tensor<?x?x4x8xbf16>) mask(%d) init(%h0 : tensor<?x4x8x16xf32>)
      -> tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>
  return %y, %f : tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>
}
