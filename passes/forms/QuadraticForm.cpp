//===- QuadraticForm.cpp - the quadratic (attention) form as a tile program
//===//
//
// Per sequence, head and tile of output positions t:
//   Y_t = sum_s F(t, s) e^{a_{s+1} + ... + a_t} (C_t . B_s) X_s
// over tiles of sources s: for causal masks the tile on the diagonal, then
// the earlier tiles walking back to the first one (or to the band's edge);
// for other masks every tile. The decay from a source of an earlier tile
// sigma to t is cum_t + (the totals of the tiles between) +
// (total_sigma - cum_s), each a sum within one tile: no long f32 cumsum is
// differenced. An initial state adds e^{cum_t + all earlier totals} C_t H0^T;
// the final state is the chunked form's scan with the tiles as chunks.
// An anti-causal mask mirrors all of it: the diagonal tile's other
// triangle, then the later tiles, the decay from t to a source of a later
// tile being (total_tau - cum_t) + (the totals between) + cum_s; its
// initial state enters from the end of the sequence.
//
//===----------------------------------------------------------------------===//

#include "passes/forms/Contraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace smc;
using namespace smc::forms;

namespace {

/// The output tile's part of the program.
class OutputTile {
public:
  OutputTile(TileBuilder &b, const Contraction &c, Value cum, const Slice &s,
             Rows rows, int64_t size)
      : c(c), cum(cum), s(s), rows(rows), size(size) {
    keysC = c.loadKeys(b, c.C, s, rows, size);
    if (cum) {
      sums = loadCumsum(b, c, cum, s, rows, size);
      if (c.reversed)
        total = chunkTotal(b, c, cum, s, rows);
    }
  }

  /// y + (masked scores against the sources `src`) X_src. `passed` is the
  /// total log-decay of the tiles between the sources and this one
  /// (f32); `diagonal` says the sources are this tile.
  Value accumulate(TileBuilder &b, Value y, Rows src, Value passed,
                   bool diagonal) {
    SmallVector<int64_t> square = {size, size};
    Value keysB = c.loadKeys(b, c.B, s, src, size);
    Value x = b.cast(c.loadValues(b, s, src, size), c.operandType());
    DotFlags scoreFlags;
    scoreFlags.transposeB = true;
    // The lowerings may skip what a causal diagonal tile leaves out; an
    // anti-causal one uses the other triangle and gets no hint.
    bool lower = diagonal && c.mask.isCausal();
    scoreFlags.trilResult = lower;
    Value w = b.dot(keysC, keysB, b.zeros(square), scoreFlags);
    if (cum) {
      Value at = b.broadcast(sums, {1}, square);
      Value from =
          b.broadcast(loadCumsum(b, c, cum, s, src, size), {0}, square);
      Value decay;
      if (diagonal) {
        decay = c.reversed ? b.sub(from, at) : b.sub(at, from);
      } else if (c.reversed) {
        // From t to its tile's end, the tiles between, then up to s.
        decay = b.add(
            b.broadcast(b.add(b.sub(total, sums), passed), {1}, square), from);
      } else {
        Value srcTotal = sourceTotal(b, src);
        decay = b.add(b.add(at, passed), b.sub(srcTotal, from));
      }
      w = b.mul(w, b.exp(decay));
    }
    if (!c.mask.isSemiseparable())
      w = b.mul(w, c.factors(b, s, rows, size, src, size));
    if (diagonal && c.oneSided())
      w = b.select(c.onSide(b, size, size), w, b.zeros(square));
    DotFlags valueFlags;
    valueFlags.trilA = lower;
    return b.dot(b.cast(w, c.operandType()), x, y, valueFlags);
  }

  /// The total log-decay of the tile of sources `src`.
  Value sourceTotal(TileBuilder &b, Rows src) {
    return chunkTotal(b, c, cum, s, src);
  }

  /// y + e^{cum_t + passed} C_t H0^T: the initial state's term; reversed,
  /// e^{total - cum_t + passed} with `passed` the tiles after this one.
  Value addInitialState(TileBuilder &b, Value y, Value passed) {
    Value h0 =
        b.cast(c.loadState(b, c.init, {s.seq, s.head}, b.index(0), c.p()),
               c.operandType());
    DotFlags transposeB;
    transposeB.transposeB = true;
    Value term = b.dot(keysC, h0, b.zeros({size, c.p()}), transposeB);
    if (cum) {
      Value toEnd = c.reversed ? b.sub(total, sums) : sums;
      term = b.mul(term, b.broadcast(b.exp(b.add(toEnd, passed)), {1},
                                     {size, c.p()}));
    }
    return b.add(y, term);
  }

private:
  const Contraction &c;
  Value cum;
  Slice s;
  Rows rows;
  int64_t size;
  Value keysC, sums, total;
};

} // namespace

void smc::forms::buildQuadraticForm(TileBuilder &b, const Contraction &c) {
  int64_t size = c.config.quadraticTile(), p = c.p();
  std::optional<int64_t> band = c.mask.getBandwidth();
  Value heads = b.index(c.heads);
  Value tiles = b.ceildiv(c.length, size);
  Value cum = buildCumsum(b, c, size);

  b.grid({c.sequences, tiles, heads}, c.config.warpsFor(size),
         [&](TileBuilder &b, ValueRange at) {
           Slice s = c.slice(b, at[0], at[2]);
           Value tile = at[1];
           Rows rows = c.tileRows(b, s, tile, size);
           b.ifThen(b.ult(b.index(0), rows.count), [&](TileBuilder &b) {
             OutputTile out(b, c, cum, s, rows, size);
             Value y = b.zeros({size, p});
             if (!c.oneSided()) {
               // Every tile of the sequence (masks without a decay).
               y = b.loop(b.index(0), b.ceildiv(s.len, size), {y},
                          [&](TileBuilder &b, Value k,
                              ValueRange carried) -> SmallVector<Value> {
                            return {out.accumulate(b, carried[0],
                                                   c.tileRows(b, s, k, size),
                                                   Value(), false)};
                          })[0];
               c.storeOutputs(b, y, s, rows);
               return;
             }
             y = out.accumulate(b, y, rows, Value(), /*diagonal=*/true);
             // The earlier tiles, back to the first or to the one holding the
             // band's edge for the tile's first row; reversed, the later
             // tiles up to the last or to the band's edge for its last row.
             Value others;
             if (!c.reversed) {
               Value lowest = b.index(0);
               if (band) {
                 Value first = b.muli(tile, size);
                 Value reach = b.index(*band - 1);
                 lowest = b.divui(b.subi(b.maxui(first, reach), reach), size);
               }
               others = b.subi(tile, lowest);
             } else {
               others = b.subi(b.subi(b.ceildiv(s.len, size), tile),
                               b.index(1));
               if (band)
                 others = b.minui(others, b.index((size + *band - 2) / size));
             }
             SmallVector<Value> carried =
                 b.loop(b.index(0), others, {y, b.f32(0.0)},
                        [&](TileBuilder &b, Value k,
                            ValueRange carried) -> SmallVector<Value> {
                          Rows src = c.tileRows(
                              b, s,
                              c.reversed
                                  ? b.addi(b.addi(tile, k), 1)
                                  : b.subi(b.subi(tile, k), b.index(1)),
                              size);
                          Value y =
                              out.accumulate(b, carried[0], src, carried[1],
                                             /*diagonal=*/false);
                          Value passed = carried[1];
                          if (cum)
                            passed = b.add(passed, out.sourceTotal(b, src));
                          return {y, passed};
                        });
             y = carried[0];
             if (c.init)
               y = out.addInitialState(b, y, carried[1]);
             c.storeOutputs(b, y, s, rows);
           });
         });

  if (!c.final)
    return;
  // The final state: the chunked form's scan over the tiles, from the
  // initial state.
  b.grid({c.sequences, heads}, c.config.warpsFor(p),
         [&](TileBuilder &b, ValueRange at) {
           Slice s = c.slice(b, at[0], at[1]);
           Value h =
               c.init ? c.loadState(b, c.init, {s.seq, s.head}, b.index(0), p)
                      : b.zeros({p, c.n()});
           Value tiles = b.ceildiv(s.len, size);
           h = b.loop(b.index(0), tiles, {h},
                      [&](TileBuilder &b, Value i,
                          ValueRange carried) -> SmallVector<Value> {
                        Rows rows = c.tileRows(b, s, c.step(b, i, tiles), size);
                        return {advanceState(b, c, cum, s, rows, size,
                                             carried[0])
                                    .first};
                      })[0];
           c.storeState(b, h, c.final, {s.seq, s.head}, b.index(0));
         });
}
