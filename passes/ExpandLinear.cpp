//===- ExpandLinear.cpp - the linear (recurrent) form ---------------------===//
//
// Per sequence and head, a scan over T:
//   h_t = exp(ld_t) h_{t-1} + x_t B_t^T,   y_t = h_t C_t,
// with the decay applied as h + expm1(ld) h so that decays near 1 do not
// compound an f32 rounding bias over T steps.
// O(T P N), sequential in T; the form for decoding (T = 1 with a state).
//
//===----------------------------------------------------------------------===//

#include "passes/ExpandCommon.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace smc::expand;

void smc::expand::expandLinear(Emitter &b, const Contraction &c) {
  int64_t p = c.headDim, n = c.stateDim;
  Value h = scratch(b, {p, n});
  Value xRow = scratch(b, {p});
  Value cRow = scratch(b, {n});
  bool decays = c.mask.hasLogDecay();

  forEachSlice(b, c, [&](Emitter &b, const Slice &s) {
    if (c.init)
      loadState(b, c.init, s, h, p, n);
    else
      zeroScratch(b, h);
    Value end = arith::AddIOp::create(b, s.start, s.len);
    forRange(b, s.start, end, [&](Emitter &b, Value t) {
      // expm1 of the log-decay: the update is h + (e^ld - 1) h, see decayBy.
      Value decayM1 = decays ? expm1(b, logDecayAt(b, c, s, t)) : Value();
      loadXRow(b, c, s.batch, t, s.head, xRow, p);
      forRange(b, cIdx(b, 0), cIdx(b, p), [&](Emitter &b, Value i) {
        Value xi = memref::LoadOp::create(b, xRow, ValueRange{i});
        forRange(b, cIdx(b, 0), cIdx(b, n), [&](Emitter &b, Value k) {
          Value hk = memref::LoadOp::create(b, h, ValueRange{i, k});
          if (decayM1)
            hk = add(b, hk, mul(b, decayM1, hk));
          Value bk = loadF32(b, c.B, {s.batch, t, s.group, k});
          memref::StoreOp::create(b, add(b, hk, mul(b, xi, bk)), h,
                                  ValueRange{i, k});
        });
      });
      loadRow(b, c.C, s.batch, t, s.group, cRow, n);
      forRange(b, cIdx(b, 0), cIdx(b, p), [&](Emitter &b, Value i) {
        storeY(b, c, dotScratch(b, cRow, h, i, n), {s.batch, t, s.head, i});
      });
    });
    if (c.final)
      storeState(b, h, c.final, s, p, n);
  });
}
