//===- Chunks.cpp - pieces of the chunked form the quadratic form shares --===//
//
// The chunk-local cumsum of the log-decays, and one chunk's step of the
// state recurrence (the chunked form's scan, and the quadratic form's final
// state, which walks its tiles of sources as chunks).
//
//===----------------------------------------------------------------------===//

#include "passes/forms/Contraction.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace smc;
using namespace smc::forms;

Value smc::forms::allocBuffer(TileBuilder &b, ArrayRef<int64_t> shape,
                              Type elem, ValueRange sizes) {
  return memref::AllocOp::create(b, MemRefType::get(shape, elem), sizes);
}

Value smc::forms::buildCumsum(TileBuilder &b, const Contraction &c,
                              int64_t chunk) {
  if (!c.decays())
    return {};
  constexpr int64_t dyn = ShapedType::kDynamic;
  Value batch = c.cu ? b.index(1) : c.sequences;
  Value cum =
      allocBuffer(b, {dyn, dyn, c.heads}, b.getF32Type(), {batch, c.length});
  int64_t size = c.config.tileSize(chunk);
  Value chunks = b.ceildiv(c.length, chunk);
  b.grid(
      {c.sequences, chunks, b.index(c.heads)}, /*warps=*/1,
      [&](TileBuilder &b, ValueRange at) {
        Slice s = c.slice(b, at[0], at[2]);
        Rows rows = c.tileRows(b, s, at[1], chunk);
        b.ifThen(b.ult(b.index(0), rows.count), [&](TileBuilder &b) {
          Value sums = b.cumsum(c.logDecays(b, s, rows, size));
          b.store(sums, cum, {s.batch, rows.first, s.head}, {1}, {rows.count});
        });
      });
  return cum;
}

Value smc::forms::loadCumsum(TileBuilder &b, const Contraction &c, Value cum,
                             const Slice &s, Rows rows, int64_t size) {
  return b.load(cum, {s.batch, rows.first, s.head}, {1}, {size}, {rows.count});
}

Value smc::forms::chunkTotal(TileBuilder &b, const Contraction &c, Value cum,
                            const Slice &s, Rows rows) {
  Value last = b.subi(b.addi(rows.first, rows.count), b.index(1));
  return b.loadScalar(cum, {s.batch, last, s.head});
}

std::pair<Value, Value>
smc::forms::advanceState(TileBuilder &b, const Contraction &c, Value cum,
                         const Slice &s, Rows rows, int64_t size, Value h) {
  // H <- e^{A} H + X^T B~ with B~_j = e^{A - cum_j} B_j, A the chunk's total
  // log-decay: every weight is the exp of a difference within the chunk.
  // Right to left the weights are B~_j = e^{cum_j}: the decay from j to
  // the position before the chunk.
  Value x = b.cast(c.loadValues(b, s, rows, size), c.operandType());
  Value keys =
      b.toF32(b.load(c.B, {s.batch, rows.first, s.group, b.index(0)}, {1, 3},
                     {size, c.n()}, {rows.count, b.index(c.stateDim)}));
  Value total = b.f32(0.0);
  if (cum) {
    total = chunkTotal(b, c, cum, s, rows);
    Value sums = loadCumsum(b, c, cum, s, rows, size);
    Value weights = c.reversed ? sums : b.sub(total, sums);
    keys = b.mul(keys, b.broadcast(b.exp(weights), {1}, {size, c.n()}));
    h = b.decayBy(total, h);
  }
  DotFlags transposeX;
  transposeX.transposeA = true;
  h = b.dot(x, b.cast(keys, c.operandType()), h, transposeX);
  return {h, total};
}
