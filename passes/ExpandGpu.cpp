//===- ExpandGpu.cpp - the three forms as GPU kernels ---------------------===//
//
// The same algorithms as the CPU expansions, with their independent loops
// turned into gpu.launch grids: a thread per (sequence, head, p) row for the
// recurrences, a thread per (sequence, head, t) position for the outputs.
// Per-thread rows live in private memory; the chunked form passes its
// per-chunk states through a device buffer. Scalar f32 code: no tensor cores
// yet.
//
//===----------------------------------------------------------------------===//

#include "passes/ExpandCommon.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace smc::expand;

namespace {

/// Threads per block of the position-parallel kernels.
constexpr int64_t kPositionsPerBlock = 128;

/// Emits a 1-D gpu.launch of `blocks` x `threads`; `body` gets the block and
/// thread ids.
void launch(Emitter &b, Value blocks, Value threads,
            function_ref<void(Emitter &, Value, Value)> body) {
  Value one = cIdx(b, 1);
  auto op = gpu::LaunchOp::create(b, blocks, one, one, threads, one, one);
  Block &entry = op.getBody().front();
  OpBuilder nb = OpBuilder::atBlockBegin(&entry);
  Emitter ib(b.getLoc(), nb);
  body(ib, op.getBlockIds().x, op.getThreadIds().x);
  gpu::TerminatorOp::create(ib);
}

/// `body` runs only where `cond` holds.
void when(Emitter &b, Value cond, function_ref<void(Emitter &)> body) {
  scf::IfOp::create(b, cond, [&](OpBuilder &nb, Location loc) {
    Emitter ib(loc, nb);
    body(ib);
    scf::YieldOp::create(ib);
  });
}

Value ult(Emitter &b, Value x, Value y) {
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y);
}

/// A grid of one block per (sequence, head) and one thread per p.
void forEachRow(Emitter &b, const Contraction &c,
                function_ref<void(Emitter &, const Slice &, Value)> body) {
  Value blocks =
      arith::MulIOp::create(b, numSequences(b, c), cIdx(b, c.heads));
  launch(b, blocks, cIdx(b, c.headDim),
         [&](Emitter &b, Value block, Value p) {
           Value heads = cIdx(b, c.heads);
           Value seq = arith::DivUIOp::create(b, block, heads);
           Value head = arith::RemUIOp::create(b, block, heads);
           body(b, sliceAt(b, c, seq, head), p);
         });
}

/// A grid with one thread per (sequence, head, position of the sequence);
/// threads past their sequence's end do nothing.
void forEachPosition(Emitter &b, const Contraction &c,
                     function_ref<void(Emitter &, const Slice &, Value)> body) {
  Value seqLen = memref::DimOp::create(b, c.X, 1);
  Value perRow = arith::CeilDivUIOp::create(b, seqLen,
                                            cIdx(b, kPositionsPerBlock));
  Value rows = arith::MulIOp::create(b, numSequences(b, c), cIdx(b, c.heads));
  launch(b, arith::MulIOp::create(b, rows, perRow),
         cIdx(b, kPositionsPerBlock), [&](Emitter &b, Value block, Value tid) {
           Value row = arith::DivUIOp::create(b, block, perRow);
           Value part = arith::RemUIOp::create(b, block, perRow);
           Value heads = cIdx(b, c.heads);
           Slice s = sliceAt(b, c, arith::DivUIOp::create(b, row, heads),
                             arith::RemUIOp::create(b, row, heads));
           Value rel = arith::AddIOp::create(
               b, arith::MulIOp::create(b, part, cIdx(b, kPositionsPerBlock)),
               tid);
           when(b, ult(b, rel, s.len), [&](Emitter &b) {
             body(b, s, arith::AddIOp::create(b, s.start, rel));
           });
         });
}

/// dst[n] = state[seq, head, p, n], or zeros without an initial state.
void loadStateRow(Emitter &b, const Contraction &c, const Slice &s, Value p,
                  Value dst) {
  forRange(b, cIdx(b, 0), cIdx(b, c.stateDim), [&](Emitter &b, Value k) {
    Value v = c.init ? memref::LoadOp::create(b, c.init,
                                              ValueRange{s.seq, s.head, p, k})
                           .getResult()
                     : cF32(b, 0);
    memref::StoreOp::create(b, v, dst, ValueRange{k});
  });
}

void storeStateRow(Emitter &b, Value src, Value state, const Slice &s,
                   Value p, int64_t n) {
  forRange(b, cIdx(b, 0), cIdx(b, n), [&](Emitter &b, Value k) {
    Value v = memref::LoadOp::create(b, src, ValueRange{k});
    memref::StoreOp::create(b, v, state, ValueRange{s.seq, s.head, p, k});
  });
}

/// h[:] += w * B[batch, pos, group, :].
void axpyRow(Emitter &b, const Contraction &c, const Slice &s, Value h,
             Value w, Value pos) {
  forRange(b, cIdx(b, 0), cIdx(b, c.stateDim), [&](Emitter &b, Value k) {
    Value hk = memref::LoadOp::create(b, h, ValueRange{k});
    Value bk = loadF32(b, c.B, {s.batch, pos, s.group, k});
    memref::StoreOp::create(b, add(b, hk, mul(b, w, bk)), h, ValueRange{k});
  });
}

/// sum_k h[k] * C[batch, pos, group, k].
Value dotC(Emitter &b, const Contraction &c, const Slice &s, Value h,
           Value pos) {
  return forRangeCarry(
      b, cIdx(b, 0), cIdx(b, c.stateDim), {cF32(b, 0)},
      [&](Emitter &b, Value k, ValueRange acc) -> SmallVector<Value> {
        Value hk = memref::LoadOp::create(b, h, ValueRange{k});
        return {add(b, acc[0], mul(b, hk, loadF32(b, c.C,
                                                   {s.batch, pos, s.group,
                                                    k})))};
      })[0];
}

/// acc[:] = 0.
void zeroRow(Emitter &b, Value acc, int64_t n) {
  forRange(b, cIdx(b, 0), cIdx(b, n), [&](Emitter &b, Value k) {
    memref::StoreOp::create(b, cF32(b, 0), acc, ValueRange{k});
  });
}

/// acc[:] += w * X[batch, src, head, :].
void accumulateX(Emitter &b, const Contraction &c, const Slice &s, Value acc,
                 Value w, Value src) {
  forRange(b, cIdx(b, 0), cIdx(b, c.headDim), [&](Emitter &b, Value k) {
    Value a = memref::LoadOp::create(b, acc, ValueRange{k});
    Value x = loadF32(b, c.X, {s.batch, src, s.head, k});
    memref::StoreOp::create(b, add(b, a, mul(b, w, x)), acc, ValueRange{k});
  });
}

void storeY(Emitter &b, const Contraction &c, const Slice &s, Value acc,
            Value t) {
  forRange(b, cIdx(b, 0), cIdx(b, c.headDim), [&](Emitter &b, Value k) {
    Value a = memref::LoadOp::create(b, acc, ValueRange{k});
    storeF32(b, a, c.Y, {s.batch, t, s.head, k});
  });
}

/// C[t] . B[src] for the slice's group.
Value score(Emitter &b, const Contraction &c, const Slice &s, Value t,
            Value src) {
  return forRangeCarry(
      b, cIdx(b, 0), cIdx(b, c.stateDim), {cF32(b, 0)},
      [&](Emitter &b, Value k, ValueRange acc) -> SmallVector<Value> {
        Value ck = loadF32(b, c.C, {s.batch, t, s.group, k});
        Value bk = loadF32(b, c.B, {s.batch, src, s.group, k});
        return {add(b, acc[0], mul(b, ck, bk))};
      })[0];
}

} // namespace

void smc::expand::expandLinearGpu(Emitter &b, const Contraction &c) {
  bool decays = c.mask.hasLogDecay();
  forEachRow(b, c, [&](Emitter &b, const Slice &s, Value p) {
    Value h = scratch(b, {c.stateDim});
    loadStateRow(b, c, s, p, h);
    Value end = arith::AddIOp::create(b, s.start, s.len);
    forRange(b, s.start, end, [&](Emitter &b, Value t) {
      if (decays) {
        Value dm1 = expm1(b, logDecayAt(b, c, s, t));
        forRange(b, cIdx(b, 0), cIdx(b, c.stateDim), [&](Emitter &b, Value k) {
          Value hk = memref::LoadOp::create(b, h, ValueRange{k});
          memref::StoreOp::create(b, add(b, hk, mul(b, dm1, hk)), h,
                                  ValueRange{k});
        });
      }
      axpyRow(b, c, s, h, loadF32(b, c.X, {s.batch, t, s.head, p}), t);
      storeF32(b, dotC(b, c, s, h, t), c.Y, {s.batch, t, s.head, p});
    });
    if (c.final)
      storeStateRow(b, h, c.final, s, p, c.stateDim);
  });
}

void smc::expand::expandQuadraticGpu(Emitter &b, const Contraction &c) {
  bool decays = c.mask.hasLogDecay();
  bool causal = c.mask.isCausal();
  bool structured = c.mask.isSemiseparable();
  std::optional<int64_t> band = c.mask.getBandwidth();

  // Outputs: one thread per position, sources walked from t backwards.
  forEachPosition(b, c, [&](Emitter &b, const Slice &s, Value t) {
    Value acc = scratch(b, {c.headDim});
    zeroRow(b, acc, c.headDim);
    if (c.init) {
      // The initial state decayed up to and including t.
      Value toT = cF32(b, 0);
      if (decays)
        toT = forRangeCarry(b, s.start, arith::AddIOp::create(b, t, cIdx(b, 1)),
                            {toT},
                            [&](Emitter &b, Value k, ValueRange run) {
                              return SmallVector<Value>{
                                  add(b, run[0], logDecayAt(b, c, s, k))};
                            })[0];
      Value d0 = exp(b, toT);
      forRange(b, cIdx(b, 0), cIdx(b, c.headDim), [&](Emitter &b, Value p) {
        Value v = forRangeCarry(
            b, cIdx(b, 0), cIdx(b, c.stateDim), {cF32(b, 0)},
            [&](Emitter &b, Value k, ValueRange a) -> SmallVector<Value> {
              Value hk = memref::LoadOp::create(
                  b, c.init, ValueRange{s.seq, s.head, p, k});
              Value ck = loadF32(b, c.C, {s.batch, t, s.group, k});
              return {add(b, a[0], mul(b, hk, ck))};
            })[0];
        memref::StoreOp::create(b, mul(b, d0, v), acc, ValueRange{p});
      });
    }
    Value count;
    if (causal) {
      count = arith::AddIOp::create(b, arith::SubIOp::create(b, t, s.start),
                                    cIdx(b, 1));
      if (band)
        count = arith::MinSIOp::create(b, count, cIdx(b, *band));
    } else {
      count = s.len;
    }
    forRangeCarry(
        b, cIdx(b, 0), count, {cF32(b, 0)},
        [&](Emitter &b, Value j, ValueRange run) -> SmallVector<Value> {
          Value src = causal ? arith::SubIOp::create(b, t, j).getResult()
                             : arith::AddIOp::create(b, s.start, j).getResult();
          Value w = score(b, c, s, t, src);
          if (decays)
            w = mul(b, w, exp(b, run[0]));
          if (!structured)
            w = mul(b, w, factorAt(b, c, s, t, src));
          accumulateX(b, c, s, acc, w, src);
          if (!decays)
            return {run[0]};
          return {add(b, run[0], logDecayAt(b, c, s, src))};
        });
    storeY(b, c, s, acc, t);
  });

  if (!c.final)
    return;
  // Final state: one thread per (sequence, head, p), sources backwards.
  forEachRow(b, c, [&](Emitter &b, const Slice &s, Value p) {
    Value h = scratch(b, {c.stateDim});
    zeroRow(b, h, c.stateDim);
    Value end = arith::AddIOp::create(b, s.start, s.len);
    Value total =
        forRangeCarry(
            b, cIdx(b, 0), s.len, {cF32(b, 0)},
            [&](Emitter &b, Value j, ValueRange run) -> SmallVector<Value> {
              Value src = arith::SubIOp::create(
                  b, arith::SubIOp::create(b, end, j), cIdx(b, 1));
              Value w = loadF32(b, c.X, {s.batch, src, s.head, p});
              if (decays)
                w = mul(b, w, exp(b, run[0]));
              axpyRow(b, c, s, h, w, src);
              if (!decays)
                return {run[0]};
              return {add(b, run[0], logDecayAt(b, c, s, src))};
            })[0];
    if (c.init) {
      Value d = exp(b, total);
      forRange(b, cIdx(b, 0), cIdx(b, c.stateDim), [&](Emitter &b, Value k) {
        Value hv = memref::LoadOp::create(b, h, ValueRange{k});
        Value iv =
            memref::LoadOp::create(b, c.init, ValueRange{s.seq, s.head, p, k});
        memref::StoreOp::create(b, add(b, hv, mul(b, d, iv)), h,
                                ValueRange{k});
      });
    }
    storeStateRow(b, h, c.final, s, p, c.stateDim);
  });
}

void smc::expand::expandChunkedGpu(Emitter &b, const Contraction &c) {
  int64_t q = c.chunk, p = c.headDim, n = c.stateDim;
  bool decays = c.mask.hasLogDecay();
  Value zero = cIdx(b, 0), one = cIdx(b, 1), qv = cIdx(b, q);

  // The state before each chunk, [S, h, chunks, p, n]: written by the
  // recurrence kernel, read by the output kernel.
  Value seqLen = memref::DimOp::create(b, c.X, 1);
  Value maxChunks = arith::CeilDivUIOp::create(b, seqLen, qv);
  Value before = memref::AllocOp::create(
      b,
      MemRefType::get({ShapedType::kDynamic, c.heads, ShapedType::kDynamic, p,
                       n},
                      b.getF32Type()),
      ValueRange{numSequences(b, c), maxChunks});

  // Chunk-local inclusive cumsum of the log-decay at positions
  // [c0, c0 + count) into cum[0..count).
  auto cumsum = [&](Emitter &b, const Slice &s, Value cum, Value c0,
                    Value count) {
    forRangeCarry(b, zero, count, {cF32(b, 0)},
                  [&](Emitter &b, Value i, ValueRange run) {
                    Value pos = arith::AddIOp::create(b, c0, i);
                    Value v = add(b, run[0], logDecayAt(b, c, s, pos));
                    memref::StoreOp::create(b, v, cum, ValueRange{i});
                    return SmallVector<Value>{v};
                  });
  };
  auto cumAt = [&](Emitter &b, Value cum, Value i) -> Value {
    return decays ? memref::LoadOp::create(b, cum, ValueRange{i}).getResult()
                  : cF32(b, 0);
  };

  // (2) + (3): per (sequence, head, p), the chunk states and the recurrence
  // over chunks; records the state before every chunk.
  forEachRow(b, c, [&](Emitter &b, const Slice &s, Value row) {
    Value h = scratch(b, {n});
    Value state = scratch(b, {n});
    Value cum = scratch(b, {q});
    loadStateRow(b, c, s, row, h);
    Value chunks = arith::CeilDivUIOp::create(b, s.len, qv);
    forRange(b, zero, chunks, [&](Emitter &b, Value ck) {
      forRange(b, zero, cIdx(b, n), [&](Emitter &b, Value k) {
        Value v = memref::LoadOp::create(b, h, ValueRange{k});
        memref::StoreOp::create(b, v, before,
                                ValueRange{s.seq, s.head, ck, row, k});
      });
      Value offset = arith::MulIOp::create(b, ck, qv);
      Value c0 = arith::AddIOp::create(b, s.start, offset);
      Value qc = arith::MinUIOp::create(
          b, qv, arith::SubIOp::create(b, s.len, offset));
      if (decays)
        cumsum(b, s, cum, c0, qc);
      Value last = cumAt(b, cum, arith::SubIOp::create(b, qc, one));
      zeroRow(b, state, n);
      forRange(b, zero, qc, [&](Emitter &b, Value j) {
        Value src = arith::AddIOp::create(b, c0, j);
        Value w = loadF32(b, c.X, {s.batch, src, s.head, row});
        if (decays)
          w = mul(b, w, exp(b, sub(b, last, cumAt(b, cum, j))));
        axpyRow(b, c, s, state, w, src);
      });
      forRange(b, zero, cIdx(b, n), [&](Emitter &b, Value k) {
        Value hv = memref::LoadOp::create(b, h, ValueRange{k});
        Value sv = memref::LoadOp::create(b, state, ValueRange{k});
        Value passed = decays ? decayBy(b, last, hv) : hv;
        memref::StoreOp::create(b, add(b, passed, sv), h, ValueRange{k});
      });
    });
    if (c.final)
      storeStateRow(b, h, c.final, s, row, n);
  });

  // (1) + (4): per position, the diagonal block and the state term.
  forEachPosition(b, c, [&](Emitter &b, const Slice &s, Value t) {
    Value acc = scratch(b, {p});
    Value cum = scratch(b, {q});
    Value rel = arith::SubIOp::create(b, t, s.start);
    Value ck = arith::DivUIOp::create(b, rel, qv);
    Value c0 = arith::AddIOp::create(b, s.start,
                                     arith::MulIOp::create(b, ck, qv));
    Value i = arith::SubIOp::create(b, t, c0);
    Value upto = arith::AddIOp::create(b, i, one);
    if (decays)
      cumsum(b, s, cum, c0, upto);
    Value ci = cumAt(b, cum, i);
    Value toT = decays ? exp(b, ci) : cF32(b, 1);
    forRange(b, zero, cIdx(b, p), [&](Emitter &b, Value k) {
      Value v = forRangeCarry(
          b, zero, cIdx(b, n), {cF32(b, 0)},
          [&](Emitter &b, Value m, ValueRange a) -> SmallVector<Value> {
            Value hv = memref::LoadOp::create(
                b, before, ValueRange{s.seq, s.head, ck, k, m});
            Value cm = loadF32(b, c.C, {s.batch, t, s.group, m});
            return {add(b, a[0], mul(b, hv, cm))};
          })[0];
      memref::StoreOp::create(b, mul(b, toT, v), acc, ValueRange{k});
    });
    forRange(b, zero, upto, [&](Emitter &b, Value j) {
      Value src = arith::AddIOp::create(b, c0, j);
      Value w = score(b, c, s, t, src);
      if (decays)
        w = mul(b, w, exp(b, sub(b, ci, cumAt(b, cum, j))));
      accumulateX(b, c, s, acc, w, src);
    });
    storeY(b, c, s, acc, t);
  });
  memref::DeallocOp::create(b, before);
}
