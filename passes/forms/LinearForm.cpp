//===- LinearForm.cpp - the linear (recurrent) form as a tile program -----===//
//
// Per sequence, head and block of state rows, a scan over positions with
// the state H (rows x n) carried as a tile:
//   H = e^{ld_t} H + x_t B_t^T,   y_t = H C_t,
// with the decay applied as H + expm1(ld_t) H (see TileBuilder::decayBy).
// An anti-causal mask scans right to left: H = x_t B_t^T + H, y_t = H C_t,
// then H = e^{ld_t} H on the way to t - 1.
// O(T p n), sequential in T; the form for decoding (T = 1 with a state).
//
//===----------------------------------------------------------------------===//

#include "passes/forms/Contraction.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace smc;
using namespace smc::forms;

void smc::forms::buildLinearForm(TileBuilder &b, const Contraction &c) {
  int64_t n = c.n();
  // The CPU takes all rows of the state at once; the GPU a block of up to
  // 8 rows a program, and a warp per 128 elements of a row block.
  int64_t rows = c.config.gpu ? std::min<int64_t>(c.p(), 8) : c.headDim;
  int64_t warps = c.config.gpu ? std::clamp<int64_t>(rows * n / 128, 1, 8) : 0;
  Type yType = cast<MemRefType>(c.Y.getType()).getElementType();
  Value parts = b.index(llvm::divideCeil(c.headDim, rows));
  b.grid({c.sequences, b.index(c.heads), parts}, warps,
         [&](TileBuilder &b, ValueRange at) {
           Slice s = c.slice(b, at[0], at[1]);
           Value row0 = b.muli(at[2], rows);
           Value rowsLeft = b.subi(b.index(c.headDim), row0);
           Value h = c.init
                         ? c.loadState(b, c.init, {s.seq, s.head}, row0, rows)
                         : b.zeros({rows, n});
           auto row = [&](TileBuilder &b, Value mem, Value t, Value group) {
             return b.toF32(b.load(mem, {s.batch, t, group, b.index(0)}, {3},
                                   {n}, {b.index(c.stateDim)}));
           };
           // Positions t in [start, start + len), or from the end.
           Value end = b.addi(s.start, s.len);
           h = b.loop(s.start, end, {h},
                      [&](TileBuilder &b, Value i,
                          ValueRange carried) -> SmallVector<Value> {
                        Value t = c.reversed
                                      ? b.subi(b.subi(b.addi(s.start, end), i),
                                               b.index(1))
                                      : i;
                        Value h = carried[0];
                        if (c.decays() && !c.reversed)
                          h = b.decayBy(c.logDecayAt(b, s, t), h);
                        Value x =
                            b.toF32(b.load(c.X, {s.batch, t, s.head, row0}, {3},
                                           {rows}, {rowsLeft}));
                        h = b.add(h, b.mul(b.broadcast(x, {1}, {rows, n}),
                                           b.broadcast(row(b, c.B, t, s.group),
                                                       {0}, {rows, n})));
                        Value y =
                            b.sum(b.mul(h, b.broadcast(row(b, c.C, t, s.group),
                                                       {0}, {rows, n})),
                                  1);
                        b.store(b.cast(y, yType), c.Y,
                                {s.batch, t, s.head, row0}, {3}, {rowsLeft});
                        // Right to left, a position's decay applies on the
                        // way to the one before it.
                        if (c.decays() && c.reversed)
                          h = b.decayBy(c.logDecayAt(b, s, t), h);
                        return {h};
                      })[0];
           if (c.final)
             c.storeState(b, h, c.final, {s.seq, s.head}, row0);
         });
}
