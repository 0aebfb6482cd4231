//===- ExpandChunked.cpp - the chunked (SSD) form -------------------------===//
//
// Per sequence and head, chunks of Q positions in four steps:
//   (1) diagonal blocks: quadratic within the chunk;
//   (2) chunk state: sum_j exp(cum_last - cum_j) x_j B_j^T;
//   (3) state passing: h = exp(cum_last) h + state (a short recurrence);
//   (4) off-diagonal output: y_t += exp(cum_t) C_t h (the state before the
//       chunk).
// cum is the chunk-local inclusive cumsum of the log-decay in f32, so every
// decay is exp of a difference of sums within one chunk.
//
//===----------------------------------------------------------------------===//

#include "passes/ExpandCommon.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace smc::expand;

void smc::expand::expandChunked(Emitter &b, const Contraction &c) {
  int64_t p = c.headDim, n = c.stateDim, q = c.chunk;
  Value h = scratch(b, {p, n});
  Value state = scratch(b, {p, n});
  Value cum = scratch(b, {q});
  Value acc = scratch(b, {p});
  Value cRow = scratch(b, {n});
  Value xRow = scratch(b, {p});
  bool decays = c.mask.hasLogDecay();
  Value zero = cIdx(b, 0), one = cIdx(b, 1);

  // exp(x) when the mask decays; 1 otherwise (all log-decays are zero).
  auto decay = [&](Emitter &b, Value logDecay) {
    return decays ? exp(b, logDecay) : cF32(b, 1);
  };
  auto cumAt = [&](Emitter &b, Value i) -> Value {
    return memref::LoadOp::create(b, cum, ValueRange{i});
  };

  forEachSlice(b, c, [&](Emitter &b, const Slice &s) {
    if (c.init)
      loadState(b, c.init, s, h, p, n);
    else
      zeroScratch(b, h);
    Value qv = cIdx(b, q);
    Value chunks = arith::CeilDivUIOp::create(b, s.len, qv);
    forRange(b, zero, chunks, [&](Emitter &b, Value ck) {
      Value offset = arith::MulIOp::create(b, ck, qv);
      Value c0 = arith::AddIOp::create(b, s.start, offset);
      Value qc = arith::MinUIOp::create(
          b, qv, arith::SubIOp::create(b, s.len, offset));
      if (decays)
        forRangeCarry(b, zero, qc, {cF32(b, 0)},
                      [&](Emitter &b, Value i, ValueRange run) {
                        Value pos = arith::AddIOp::create(b, c0, i);
                        Value v = add(b, run[0], logDecayAt(b, c, s, pos));
                        memref::StoreOp::create(b, v, cum, ValueRange{i});
                        return SmallVector<Value>{v};
                      });
      Value last =
          decays ? cumAt(b, arith::SubIOp::create(b, qc, one)) : cF32(b, 0);

      // (1) and (4): the outputs of the chunk.
      forRange(b, zero, qc, [&](Emitter &b, Value i) {
        Value t = arith::AddIOp::create(b, c0, i);
        Value ci = decays ? cumAt(b, i) : cF32(b, 0);
        loadRow(b, c.C, s.batch, t, s.group, cRow, n);
        Value toT = decay(b, ci);
        forRange(b, zero, cIdx(b, p), [&](Emitter &b, Value k) {
          Value v = mul(b, toT, dotScratch(b, cRow, h, k, n));
          memref::StoreOp::create(b, v, acc, ValueRange{k});
        });
        forRange(b, zero, arith::AddIOp::create(b, i, one),
                 [&](Emitter &b, Value j) {
                   Value src = arith::AddIOp::create(b, c0, j);
                   Value w = dotRow(b, cRow, c.B, s.batch, src, s.group, n);
                   if (decays)
                     w = mul(b, w, exp(b, sub(b, ci, cumAt(b, j))));
                   forRange(b, zero, cIdx(b, p), [&](Emitter &b, Value k) {
                     Value a = memref::LoadOp::create(b, acc, ValueRange{k});
                     Value x = loadX(b, c, {s.batch, src, s.head, k});
                     memref::StoreOp::create(b, add(b, a, mul(b, w, x)), acc,
                                             ValueRange{k});
                   });
                 });
        forRange(b, zero, cIdx(b, p), [&](Emitter &b, Value k) {
          Value a = memref::LoadOp::create(b, acc, ValueRange{k});
          storeY(b, c, a, {s.batch, t, s.head, k});
        });
      });

      // (2) the chunk's own state.
      zeroScratch(b, state);
      forRange(b, zero, qc, [&](Emitter &b, Value j) {
        Value src = arith::AddIOp::create(b, c0, j);
        loadXRow(b, c, s.batch, src, s.head, xRow, p);
        Value w = decays ? exp(b, sub(b, last, cumAt(b, j))) : cF32(b, 1);
        rankOneUpdate(b, state, w, xRow, c.B, s.batch, src, s.group, p, n);
      });

      // (3) pass the state over the chunk.
      forRange(b, zero, cIdx(b, p), [&](Emitter &b, Value i) {
        forRange(b, zero, cIdx(b, n), [&](Emitter &b, Value k) {
          Value hv = memref::LoadOp::create(b, h, ValueRange{i, k});
          Value sv = memref::LoadOp::create(b, state, ValueRange{i, k});
          Value passed = decays ? decayBy(b, last, hv) : hv;
          memref::StoreOp::create(b, add(b, passed, sv), h, ValueRange{i, k});
        });
      });
    });
    if (c.final)
      storeState(b, h, c.final, s, p, n);
  });
}
