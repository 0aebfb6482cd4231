// The bf16 twin of decay_window.mlir (same mask, heads, groups and sizes):
// C, B, X and Y in bf16, the log-decay a in f32 (as Mamba-2 keeps dt and A
// in f32); the accumulators, cumsums and the backward's dX for the
// log-decay gradient are f32 inside the kernels. model.py --mixer smc
// --bf16 casts to these dtypes under autocast.
//   smc run examples/train/decay_window_bf16.mlir --grad --check
func.func @decay_window_bf16(%c: tensor<?x?x2x64xbf16>, %b: tensor<?x?x2x64xbf16>,
                        %x: tensor<?x?x4x64xbf16>, %a: tensor<?x?x4xf32>)
    -> tensor<?x?x4x64xbf16> {
  %window = sma.mask.window 64
  %decay = sma.mask.decay %a : tensor<?x?x4xf32>
  %mask = sma.mask.mul %window, %decay
  %y = sma.contract C(%c : tensor<?x?x2x64xbf16>) B(%b : tensor<?x?x2x64xbf16>)
      X(%x : tensor<?x?x4x64xbf16>) mask(%mask) -> tensor<?x?x4x64xbf16>
  return %y : tensor<?x?x4x64xbf16>
}
