//===- ExpandQuadratic.cpp - the quadratic (attention) form ---------------===//
//
// Per sequence and head, Y = (L o C B^T) X row by row. For each t the
// sources s are walked from t backwards, carrying sum_{k=s+1..t} ld_k, so
// every decay is the exp of an exact log-space sum (no cumsum differences
// over long ranges, no division). Banded masks stop at the band's edge;
// non-causal masks visit the whole sequence. States (semiseparable masks
// only) add the initial state's contribution and the final state.
//
//===----------------------------------------------------------------------===//

#include "passes/ExpandCommon.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace smc::expand;

void smc::expand::expandQuadratic(Emitter &b, const Contraction &c) {
  int64_t p = c.headDim, n = c.stateDim;
  Value acc = scratch(b, {p});
  Value cRow = scratch(b, {n});
  Value xRow = scratch(b, {p});
  Value h = (c.init || c.final) ? scratch(b, {p, n}) : Value();
  Value h0 = c.init ? scratch(b, {p, n}) : Value();
  bool decays = c.mask.hasLogDecay();

  forEachSlice(b, c, [&](Emitter &b, const Slice &s) {
    Value end = arith::AddIOp::create(b, s.start, s.len);
    if (c.init)
      loadState(b, c.init, s, h0, p, n);
    // `toT` carries sum_{k=start..t} ld_k: the initial state's decay to t.
    forRangeCarry(
        b, s.start, end, {cF32(b, 0)},
        [&](Emitter &b, Value t, ValueRange carried) -> SmallVector<Value> {
          Value toT = carried[0];
          if (decays)
            toT = add(b, toT, logDecayAt(b, c, s, t));
          loadRow(b, c.C, s.batch, t, s.group, cRow, n);
          zeroScratch(b, acc);
          if (c.init) {
            Value d0 = exp(b, toT);
            forRange(b, cIdx(b, 0), cIdx(b, p), [&](Emitter &b, Value i) {
              Value v = mul(b, d0, dotScratch(b, cRow, h0, i, n));
              memref::StoreOp::create(b, v, acc, ValueRange{i});
            });
          }
          forEachSource(b, c, s, t, [&](Emitter &b, Value src, Value mw) {
            Value w = dotRow(b, cRow, c.B, s.batch, src, s.group, n);
            if (mw)
              w = mul(b, w, mw);
            forRange(b, cIdx(b, 0), cIdx(b, p), [&](Emitter &b, Value i) {
              Value a = memref::LoadOp::create(b, acc, ValueRange{i});
              Value x = loadX(b, c, {s.batch, src, s.head, i});
              memref::StoreOp::create(b, add(b, a, mul(b, w, x)), acc,
                                      ValueRange{i});
            });
          });
          forRange(b, cIdx(b, 0), cIdx(b, p), [&](Emitter &b, Value i) {
            Value a = memref::LoadOp::create(b, acc, ValueRange{i});
            storeY(b, c, a, {s.batch, t, s.head, i});
          });
          return {toT};
        });

    if (!c.final)
      return;
    // final = exp(sum_all ld) h0 + sum_s exp(sum_{k=s+1..end-1} ld_k) x_s
    // B_s^T, walking s backwards from the last position.
    zeroScratch(b, h);
    Value total = forEachSourceOfFinalState(
        b, c, s, [&](Emitter &b, Value src, Value weight) {
          loadXRow(b, c, s.batch, src, s.head, xRow, p);
          rankOneUpdate(b, h, weight ? weight : cF32(b, 1), xRow, c.B, s.batch,
                        src, s.group, p, n);
        });
    if (c.init) {
      Value d = exp(b, total);
      forRange(b, cIdx(b, 0), cIdx(b, p), [&](Emitter &b, Value i) {
        forRange(b, cIdx(b, 0), cIdx(b, n), [&](Emitter &b, Value k) {
          Value hv = memref::LoadOp::create(b, h, ValueRange{i, k});
          Value iv = memref::LoadOp::create(b, h0, ValueRange{i, k});
          memref::StoreOp::create(b, add(b, hv, mul(b, d, iv)), h,
                                  ValueRange{i, k});
        });
      });
    }
    storeState(b, h, c.final, s, p, n);
  });
}
