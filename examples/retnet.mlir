// RetNet retention (parallel form), one layer: 8 heads, head dims p = n = 64.
//
// Each head h decays at a fixed rate gamma_h = 1 - 2^(-5-h):
//   h:       0        1         2          3           4
//   gamma: 0.96875  0.984375  0.9921875  0.99609375  0.998046875
//   h:          5               6                7
//   gamma: 0.9990234375  0.99951171875  0.999755859375
// so L[t, s] = gamma_h^(t - s) for s <= t. In SMA terms the queries are C,
// the keys B and the values X, each with its own heads (g = h = 8):
//   %q  [b, T, 8, 64]  bf16   queries (already scaled by 1/sqrt(64) and rotated)
//   %k  [b, T, 8, 64]  bf16   keys
//   %v  [b, T, 8, 64]  bf16   values
// and the result is the retention output [b, T, 8, 64] bf16, before the
// group norm and gate of the full RetNet block.
//
// The mask is semiseparable and Toeplitz, so all three forms are legal
// (recurrent, parallel and chunkwise retention):
//   smc run examples/retnet.mlir --backend=cpu --check
//   smc run examples/retnet.mlir --backend=cpu --check --form=all
func.func @retention(%q: tensor<?x?x8x64xbf16>, %k: tensor<?x?x8x64xbf16>,
                     %v: tensor<?x?x8x64xbf16>) -> tensor<?x?x8x64xbf16> {
  %decay = sma.mask.fixed_decay [0.96875, 0.984375, 0.9921875, 0.99609375,
                                 0.998046875, 0.9990234375, 0.99951171875,
                                 0.999755859375]
  %y = sma.contract C(%q : tensor<?x?x8x64xbf16>) B(%k : tensor<?x?x8x64xbf16>)
      X(%v : tensor<?x?x8x64xbf16>) mask(%decay) -> tensor<?x?x8x64xbf16>
  return %y : tensor<?x?x8x64xbf16>
}
