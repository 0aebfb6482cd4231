//===- Backward.cpp - tile programs of the backward's building blocks -----===//
//
// Small programs next to the backward's contractions (Backward.h). The
// log-decay gradient walks each sequence's tiles from the end, carrying
// the sum of the row terms already seen, so its reverse cumsum never
// differences a long running sum.
//
//===----------------------------------------------------------------------===//

#include "passes/forms/Backward.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace smc;
using namespace smc::forms;

namespace {

/// Positions per tile of the regrouping and decay-gradient programs.
constexpr int64_t kRows = 64;

Type elementOf(Value mem) { return cast<MemRefType>(mem.getType()).getElementType(); }

/// Tiles of positions of a whole batch row: [first, first + count).
Rows rowsOf(TileBuilder &b, Value length, Value k) {
  Value first = b.muli(k, kRows);
  Value left = b.subi(b.maxui(length, first), first);
  return {first, b.minui(left, b.index(kRows))};
}

/// `rows` of head `head` of a [b, T, k, d] memref as an f32 [kRows, d] tile.
Value loadRows(TileBuilder &b, const Regrouping &r, Value mem, Value batch,
               Rows rows, Value head) {
  int64_t d = r.config.tileSize(r.dim);
  return b.toF32(b.load(mem, {batch, rows.first, head, b.index(0)}, {1, 3},
                        {kRows, d}, {rows.count, b.index(r.dim)}));
}

void storeRows(TileBuilder &b, const Regrouping &r, Value tile, Value batch,
               Rows rows, Value head) {
  b.store(b.cast(tile, elementOf(r.result)), r.result,
          {batch, rows.first, head, b.index(0)}, {1, 3},
          {rows.count, b.index(r.dim)});
}

/// A [size] tile whose every element is the sum of the 1-d tile `v`.
Value splatSum(TileBuilder &b, Value v, int64_t size) {
  int64_t n = cast<RankedTensorType>(v.getType()).getDimSize(0);
  return b.sum(b.broadcast(v, {0}, {size, n}), 1);
}

} // namespace

void smc::forms::buildExpandGroups(TileBuilder &b, const Regrouping &r) {
  int64_t perGroup = r.to / r.from;
  b.grid({r.batch, b.ceildiv(r.length, kRows), b.index(r.to)},
         r.config.warpsFor(kRows), [&](TileBuilder &b, ValueRange at) {
           Rows rows = rowsOf(b, r.length, at[1]);
           Value tile = loadRows(b, r, r.source, at[0], rows,
                                 b.divui(at[2], perGroup));
           storeRows(b, r, tile, at[0], rows, at[2]);
         });
}

void smc::forms::buildSumGroups(TileBuilder &b, const Regrouping &r) {
  int64_t perGroup = r.from / r.to;
  int64_t d = r.config.tileSize(r.dim);
  b.grid({r.batch, b.ceildiv(r.length, kRows), b.index(r.to)},
         r.config.warpsFor(kRows), [&](TileBuilder &b, ValueRange at) {
           Rows rows = rowsOf(b, r.length, at[1]);
           Value first = b.muli(at[2], perGroup);
           Value sum = b.loop(
               b.index(0), b.index(perGroup), {b.zeros({kRows, d})},
               [&](TileBuilder &b, Value i,
                   ValueRange carried) -> SmallVector<Value> {
                 return {b.add(carried[0],
                               loadRows(b, r, r.source, at[0], rows,
                                        b.addi(first, i)))};
               })[0];
           storeRows(b, r, sum, at[0], rows, at[2]);
         });
}

void smc::forms::buildDotRows(TileBuilder &b, const Regrouping &r,
                              Value rhs) {
  b.grid({r.batch, b.ceildiv(r.length, kRows), b.index(r.from)},
         r.config.warpsFor(kRows), [&](TileBuilder &b, ValueRange at) {
           Rows rows = rowsOf(b, r.length, at[1]);
           Value lhs = loadRows(b, r, r.source, at[0], rows, at[2]);
           Value other = loadRows(b, r, rhs, at[0], rows, at[2]);
           b.store(b.sum(b.mul(lhs, other), 1), r.result,
                   {at[0], rows.first, at[2]}, {1}, {rows.count});
         });
}

void smc::forms::buildSumPositions(TileBuilder &b, Value source, Value result,
                                   Value batch, Value length, int64_t heads,
                                   const TileConfig &config) {
  // One warp a head, so that the final sum stays within a warp; each lane
  // keeps its own partial sums over the batch rows' tiles.
  b.grid({b.index(heads)}, config.gpu ? 1 : 0,
         [&](TileBuilder &b, ValueRange at) {
           Value tiles = b.ceildiv(length, kRows);
           Value sum = b.loop(
               b.index(0), b.muli(batch, tiles), {b.zeros({kRows})},
               [&](TileBuilder &b, Value i,
                   ValueRange carried) -> SmallVector<Value> {
                 Rows rows = rowsOf(b, length, b.remui(i, tiles));
                 Value tile = b.toF32(
                     b.load(source, {b.divui(i, tiles), rows.first, at[0]},
                            {1}, {kRows}, {rows.count}));
                 return {b.add(carried[0], tile)};
               })[0];
           b.store(splatSum(b, sum, 1), result, {at[0]}, {0}, {b.index(1)});
         });
}

void smc::forms::buildTransposeState(TileBuilder &b, Value source,
                                     Value result, Value sequences,
                                     int64_t heads, int64_t p, int64_t n,
                                     const TileConfig &config) {
  // A row of each state is stored as a column of its transpose.
  int64_t size = config.tileSize(n);
  b.grid({sequences, b.index(heads), b.index(p)}, config.gpu ? 1 : 0,
         [&](TileBuilder &b, ValueRange at) {
           Value row = b.load(source, {at[0], at[1], at[2], b.index(0)}, {3},
                              {size}, {b.index(n)});
           b.store(row, result, {at[0], at[1], b.index(0), at[2]}, {2},
                   {b.index(n)});
         });
}

void smc::forms::buildDecayGrad(TileBuilder &b, const Contraction &c,
                                const DecayGrad &g) {
  int64_t p = c.p(), size = kRows;
  SmallVector<int64_t> square = {size, size};
  // <dF, F> per (sequence, head), added at the sequence's last position:
  // a grid of its own, one warp a state, so that no sum crosses warps.
  Value ends;
  if (g.final) {
    ends = allocBuffer(b, {ShapedType::kDynamic, c.heads}, b.getF32Type(),
                       {c.sequences});
    b.grid({c.sequences, b.index(c.heads)}, c.config.gpu ? 1 : 0,
           [&](TileBuilder &b, ValueRange at) {
             Value f = c.loadState(b, g.final, at, b.index(0), p);
             Value df = c.loadState(b, g.dFinal, at, b.index(0), p);
             Value rows = b.sum(b.mul(f, df), 1);
             b.store(splatSum(b, rows, 1), ends, {at[0], at[1]}, {1},
                     {b.index(1)});
           });
  }
  b.grid(
      {c.sequences, b.index(c.heads)}, c.config.warpsFor(size),
      [&](TileBuilder &b, ValueRange at) {
        Slice s = c.slice(b, at[0], at[1]);
        Value atEnd;
        if (ends)
          atEnd = b.splat(b.loadScalar(ends, {s.seq, s.head}), {size});
        auto rowsOf = [&](TileBuilder &b, Value mem, Rows rows) {
          return b.toF32(b.load(mem, {s.batch, rows.first, s.head, b.index(0)},
                                {1, 3}, {size, p},
                                {rows.count, b.index(c.headDim)}));
        };
        Value tiles = b.ceildiv(s.len, size);
        Value t = b.broadcast(b.range(size), {1}, square);
        Value j = b.broadcast(b.range(size), {0}, square);
        Value fromT = arith::CmpIOp::create(b, arith::CmpIPredicate::ule, t, j);
        b.loop(
            b.index(0), tiles, {b.zeros({size})},
            [&](TileBuilder &b, Value i,
                ValueRange carried) -> SmallVector<Value> {
              Value k = b.subi(b.subi(tiles, b.index(1)), i);
              Rows rows = c.tileRows(b, s, k, size);
              // dcum_t = dY_t . Y_t - X_t . dX_t, zero past the rows.
              Value dcum = b.sum(
                  b.sub(b.mul(rowsOf(b, g.dY, rows), rowsOf(b, g.Y, rows)),
                        b.mul(rowsOf(b, g.X, rows), rowsOf(b, g.dX, rows))),
                  1);
              if (atEnd) {
                Value last = b.subi(b.subi(s.len, b.muli(k, size)), b.index(1));
                Value isLast =
                    arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                          b.range(size), b.splat(last, {size}));
                dcum = b.add(dcum, b.select(isLast, atEnd, b.zeros({size})));
              }
              // da_t = sum_{t' >= t} dcum_t': within the tile, then the
              // tiles after it.
              Value wide = b.broadcast(dcum, {0}, square);
              Value da = b.add(
                  b.sum(b.select(fromT, wide, b.zeros(square)), 1), carried[0]);
              b.store(da, g.da, {s.batch, rows.first, s.head}, {1},
                      {rows.count});
              return {b.add(carried[0], b.sum(wide, 1))};
            });
      });
}
