//===- Contraction.cpp - what the forms' tile programs share --------------===//

#include "passes/forms/Contraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace smc;
using namespace smc::forms;

//===----------------------------------------------------------------------===//
// The target's choices
//===----------------------------------------------------------------------===//

int64_t TileConfig::tileSize(int64_t n) const {
  if (!gpu)
    return n;
  return std::max<int64_t>(16, llvm::PowerOf2Ceil(n));
}

int64_t TileConfig::warpsFor(int64_t rows) const {
  return gpu ? std::max<int64_t>(1, rows / 16) : 0;
}

Type TileConfig::operandType(Type key) const {
  if (gpu && key.isBF16())
    return key;
  return Float32Type::get(key.getContext());
}

int64_t TileConfig::quadraticTile() const { return gpu ? 64 : 16; }

int64_t TileConfig::scanPrograms() const { return gpu ? 512 : 1; }

//===----------------------------------------------------------------------===//
// Sequences and tiles of positions
//===----------------------------------------------------------------------===//

Type Contraction::operandType() const {
  return config.operandType(cast<MemRefType>(B.getType()).getElementType());
}

Slice Contraction::slice(TileBuilder &b, Value seq, Value head) const {
  Value group = b.divui(head, heads / groups);
  Value zero = b.index(0);
  if (!cu)
    return Slice{seq, seq, zero, length, head, group};
  // Packed sequences. Offsets are clamped to [0, T], so a malformed
  // cu_seqlens cannot send a program outside the buffers.
  auto offset = [&](Value i) -> Value {
    Value v = b.loadScalar(cu, {i});
    Value idx = arith::IndexCastOp::create(b, b.getIndexType(), v);
    idx = arith::MaxSIOp::create(b, idx, zero);
    return arith::MinSIOp::create(b, idx, length);
  };
  Value start = offset(seq);
  Value end = b.maxui(offset(b.addi(seq, 1)), start);
  return Slice{seq, zero, start, b.subi(end, start), head, group};
}

Value Contraction::step(TileBuilder &b, Value i, Value count) const {
  return reversed ? b.subi(b.subi(count, b.index(1)), i) : i;
}

Value Contraction::onSide(TileBuilder &b, int64_t m, int64_t k) const {
  SmallVector<int64_t> shape = {m, k};
  Value t = b.broadcast(b.range(m), {1}, shape);
  Value s = b.broadcast(b.range(k), {0}, shape);
  return reversed ? arith::CmpIOp::create(b, arith::CmpIPredicate::ule, t, s)
                  : arith::CmpIOp::create(b, arith::CmpIPredicate::ule, s, t);
}

Rows Contraction::tileRows(TileBuilder &b, const Slice &s, Value k,
                           int64_t size) const {
  Value offset = b.muli(k, size);
  Value left = b.subi(b.maxui(s.len, offset), offset);
  return Rows{b.addi(s.start, offset), b.minui(left, b.index(size))};
}

//===----------------------------------------------------------------------===//
// Tiles of C, B, X, Y and states
//===----------------------------------------------------------------------===//

Value Contraction::loadKeys(TileBuilder &b, Value keys, const Slice &s,
                            Rows rows, int64_t size) const {
  Value tile = b.load(keys, {s.batch, rows.first, s.group, b.index(0)}, {1, 3},
                      {size, n()}, {rows.count, b.index(stateDim)});
  return b.cast(tile, operandType());
}

Value Contraction::loadValues(TileBuilder &b, const Slice &s, Rows rows,
                              int64_t size) const {
  return b.load(X, {s.batch, rows.first, s.head, b.index(0)}, {1, 3},
                {size, p()}, {rows.count, b.index(headDim)});
}

void Contraction::storeOutputs(TileBuilder &b, Value y, const Slice &s,
                               Rows rows) const {
  Type elem = cast<MemRefType>(Y.getType()).getElementType();
  b.store(b.cast(y, elem), Y, {s.batch, rows.first, s.head, b.index(0)}, {1, 3},
          {rows.count, b.index(headDim)});
}

Value Contraction::loadState(TileBuilder &b, Value mem, ValueRange at,
                             Value row0, int64_t rows) const {
  SmallVector<Value> idx(at);
  idx.append({row0, b.index(0)});
  int64_t rank = idx.size();
  Value tile = b.load(mem, idx, {rank - 2, rank - 1}, {rows, n()},
                      {b.subi(b.index(headDim), row0), b.index(stateDim)});
  return b.toF32(tile);
}

void Contraction::storeState(TileBuilder &b, Value state, Value mem,
                             ValueRange at, Value row0) const {
  SmallVector<Value> idx(at);
  idx.append({row0, b.index(0)});
  int64_t rank = idx.size();
  Type elem = cast<MemRefType>(mem.getType()).getElementType();
  b.store(b.cast(state, elem), mem, idx, {rank - 2, rank - 1},
          {b.subi(b.index(headDim), row0), b.index(stateDim)});
}

void smc::forms::buildZeroOutputs(TileBuilder &b, const Contraction &c) {
  int64_t size = 64, p = c.p();
  b.grid({b.ceildiv(c.length, size), b.index(c.heads)}, c.config.warpsFor(size),
         [&](TileBuilder &b, ValueRange at) {
           // A slice of the whole position dimension of batch 0 (packed
           // sequences have batch 1).
           Slice all{b.index(0), b.index(0), b.index(0),
                     c.length,   at[1],      b.index(0)};
           Rows rows = c.tileRows(b, all, at[0], size);
           c.storeOutputs(b, b.zeros({size, p}), all, rows);
         });
}
