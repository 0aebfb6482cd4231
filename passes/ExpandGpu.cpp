//===- ExpandGpu.cpp - the three forms as GPU kernels ---------------------===//
//
// The same algorithms as the CPU expansions, with their independent loops
// turned into gpu.launch grids: a thread per (sequence, head, p, slice of n)
// for the recurrences, a thread per (sequence, head, t) position for the
// outputs. Rows of the state and of the output are f32 vectors carried in
// registers (never indexed arrays, which would live in local memory), loaded
// and stored as contiguous vectors. Decays come from running log-space sums,
// so no per-thread cumsum array is needed. The chunked form passes the state
// before each chunk through a device buffer laid out [S, h, chunk, n, p] so
// both its writes and its reads are contiguous. f32 FMA on CUDA cores: no
// tensor cores yet.
//
//===----------------------------------------------------------------------===//

#include "passes/ExpandCommon.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace smc::expand;

namespace {

/// Threads per block of the position-parallel kernels.
constexpr int64_t kPositionsPerBlock = 128;

/// A grid of one block per (sequence, head) and one thread per p.
void forEachRow(Emitter &b, const Contraction &c,
                function_ref<void(Emitter &, const Slice &, Value)> body) {
  Value blocks = arith::MulIOp::create(b, numSequences(b, c), cIdx(b, c.heads));
  launch(b, blocks, cIdx(b, c.headDim), [&](Emitter &b, Value block, Value p) {
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
  Value perRow =
      arith::CeilDivUIOp::create(b, seqLen, cIdx(b, kPositionsPerBlock));
  Value rows = arith::MulIOp::create(b, numSequences(b, c), cIdx(b, c.heads));
  launch(b, arith::MulIOp::create(b, rows, perRow), cIdx(b, kPositionsPerBlock),
         [&](Emitter &b, Value block, Value tid) {
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

void storeStateRow(Emitter &b, Value src, Value state, const Slice &s, Value p,
                   int64_t n) {
  forRange(b, cIdx(b, 0), cIdx(b, n), [&](Emitter &b, Value k) {
    Value v = memref::LoadOp::create(b, src, ValueRange{k});
    memref::StoreOp::create(b, v, state, ValueRange{s.seq, s.head, p, k});
  });
}

/// h[:] += w * B[batch, pos, group, :].
void axpyRow(Emitter &b, const Contraction &c, const Slice &s, Value h, Value w,
             Value pos) {
  forRange(b, cIdx(b, 0), cIdx(b, c.stateDim), [&](Emitter &b, Value k) {
    Value hk = memref::LoadOp::create(b, h, ValueRange{k});
    Value bk = loadF32(b, c.B, {s.batch, pos, s.group, k});
    memref::StoreOp::create(b, add(b, hk, mul(b, w, bk)), h, ValueRange{k});
  });
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
    Value x = loadX(b, c, {s.batch, src, s.head, k});
    memref::StoreOp::create(b, add(b, a, mul(b, w, x)), acc, ValueRange{k});
  });
}

void storeYRow(Emitter &b, const Contraction &c, const Slice &s, Value acc,
               Value t) {
  forRange(b, cIdx(b, 0), cIdx(b, c.headDim), [&](Emitter &b, Value k) {
    Value a = memref::LoadOp::create(b, acc, ValueRange{k});
    storeY(b, c, a, {s.batch, t, s.head, k});
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

//===----------------------------------------------------------------------===//
// Rows as vectors
//===----------------------------------------------------------------------===//

VectorType rowType(Emitter &b, int64_t n) {
  return VectorType::get({n}, b.getF32Type());
}

/// mem[idx..., k : k + n] as an f32 vector (idx ends with k, a multiple of
/// n).
Value loadVec(Emitter &b, Value mem, ValueRange idx, int64_t n) {
  Type elem = cast<MemRefType>(mem.getType()).getElementType();
  Value v = vector::LoadOp::create(b, VectorType::get({n}, elem), mem, idx,
                                   false, vectorAlignment(elem, n));
  if (elem.isF32())
    return v;
  return arith::ExtFOp::create(b, rowType(b, n), v);
}

void storeVec(Emitter &b, Value v, Value mem, ValueRange idx) {
  Type elem = cast<MemRefType>(mem.getType()).getElementType();
  int64_t n = cast<VectorType>(v.getType()).getNumElements();
  if (!elem.isF32())
    v = arith::TruncFOp::create(b, VectorType::get({n}, elem), v);
  vector::StoreOp::create(b, v, mem, idx, false, vectorAlignment(elem, n));
}

/// X[i0, i1, i2, 0 : n] as an f32 vector; element by element when X is
/// computed by a fused producer.
Value loadXVec(Emitter &b, const Contraction &c, ValueRange idx, int64_t n) {
  SmallVector<Value> at(idx);
  at.push_back(cIdx(b, 0));
  if (!c.x)
    return loadVec(b, c.X, at, n);
  SmallVector<Value> elems;
  for (int64_t k = 0; k < n; ++k) {
    at.back() = cIdx(b, k);
    elems.push_back(loadX(b, c, at));
  }
  return vector::FromElementsOp::create(b, rowType(b, n), elems);
}

Value splat(Emitter &b, Value s, int64_t n) {
  return vector::BroadcastOp::create(b, rowType(b, n), s);
}

Value zeros(Emitter &b, int64_t n) { return splat(b, cF32(b, 0), n); }

/// acc + a * x, elementwise.
Value fma(Emitter &b, Value acc, Value a, Value x) {
  return add(b, acc, mul(b, a, x));
}

Value sum(Emitter &b, Value v) {
  return vector::ReductionOp::create(b, vector::CombiningKind::ADD, v,
                                     arith::FastMathFlags::reassoc |
                                         arith::FastMathFlags::contract);
}

/// The width of the n-slice a recurrence thread owns: 32 when n splits into
/// 32s (so a row of the state fits in registers), else all of n.
int64_t sliceWidth(int64_t n) { return n % 32 == 0 ? 32 : n; }

/// C[t] . B[src] over the group's n, in 32-wide pieces.
Value scoreVec(Emitter &b, const Contraction &c, const Slice &s, Value t,
               Value src) {
  int64_t w = sliceWidth(c.stateDim);
  Value total = cF32(b, 0);
  for (int64_t k = 0; k < c.stateDim; k += w) {
    Value ck = loadVec(b, c.C, {s.batch, t, s.group, cIdx(b, k)}, w);
    Value bk = loadVec(b, c.B, {s.batch, src, s.group, cIdx(b, k)}, w);
    total = add(b, total, sum(b, mul(b, ck, bk)));
  }
  return total;
}

/// A grid of one block per (sequence, head); thread `q * p + row` owns row
/// `row` of the state and its n-slice `q` (consecutive lanes, consecutive
/// rows: the [.., n, p] buffer accesses coalesce).
void forEachRowSlice(
    Emitter &b, const Contraction &c,
    function_ref<void(Emitter &, const Slice &, Value row, Value k0)> body) {
  int64_t w = sliceWidth(c.stateDim), slices = c.stateDim / w;
  Value blocks = arith::MulIOp::create(b, numSequences(b, c), cIdx(b, c.heads));
  launch(b, blocks, cIdx(b, c.headDim * slices),
         [&](Emitter &b, Value block, Value tid) {
           Value heads = cIdx(b, c.heads), p = cIdx(b, c.headDim);
           Slice s = sliceAt(b, c, arith::DivUIOp::create(b, block, heads),
                             arith::RemUIOp::create(b, block, heads));
           Value row = arith::RemUIOp::create(b, tid, p);
           Value k0 = arith::MulIOp::create(
               b, arith::DivUIOp::create(b, tid, p), cIdx(b, w));
           body(b, s, row, k0);
         });
}

Value initRow(Emitter &b, const Contraction &c, const Slice &s, Value row,
              Value k0, int64_t w) {
  if (!c.init)
    return zeros(b, w);
  return loadVec(b, c.init, {s.seq, s.head, row, k0}, w);
}

/// Sum over the 32 lanes of a warp (butterfly of xor shuffles).
Value warpSum(Emitter &b, Value v) {
  for (int32_t off = 16; off >= 1; off /= 2)
    v = add(b, v,
            gpu::ShuffleOp::create(b, v, off, 32, gpu::ShuffleMode::XOR)
                .getShuffleResult());
  return v;
}

/// A grid with one warp per (sequence, head, position): lane l owns the
/// elements l, l + 32, ... of the position's rows, so every load of a row is
/// one coalesced access and a dot product is a warp sum.
constexpr int64_t kWarpsPerBlock = 4;
void forEachPositionWarp(
    Emitter &b, const Contraction &c,
    function_ref<void(Emitter &, const Slice &, Value t, Value lane)> body) {
  Value seqLen = memref::DimOp::create(b, c.X, 1);
  Value perRow = arith::CeilDivUIOp::create(b, seqLen, cIdx(b, kWarpsPerBlock));
  Value rows = arith::MulIOp::create(b, numSequences(b, c), cIdx(b, c.heads));
  launch(b, arith::MulIOp::create(b, rows, perRow),
         cIdx(b, 32 * kWarpsPerBlock), [&](Emitter &b, Value block, Value tid) {
           Value row = arith::DivUIOp::create(b, block, perRow);
           Value part = arith::RemUIOp::create(b, block, perRow);
           Value heads = cIdx(b, c.heads);
           Slice s = sliceAt(b, c, arith::DivUIOp::create(b, row, heads),
                             arith::RemUIOp::create(b, row, heads));
           Value warp = arith::DivUIOp::create(b, tid, cIdx(b, 32));
           Value lane = arith::RemUIOp::create(b, tid, cIdx(b, 32));
           Value rel = arith::AddIOp::create(
               b, arith::MulIOp::create(b, part, cIdx(b, kWarpsPerBlock)),
               warp);
           // Whole warps leave together, so the shuffles stay converged.
           when(b, ult(b, rel, s.len), [&](Emitter &b) {
             body(b, s, arith::AddIOp::create(b, s.start, rel), lane);
           });
         });
}

/// Index `lane + 32 * i`.
Value laneIndex(Emitter &b, Value lane, int64_t i) {
  return arith::AddIOp::create(b, lane, cIdx(b, 32 * i));
}

} // namespace

void smc::expand::expandLinearGpu(Emitter &b, const Contraction &c) {
  // A thread per (sequence, head, row p, n-slice): h_t = e^{ld} h + x B^T on
  // its slice, y_t[p] = h . C_t summed over the row's slices by shuffles
  // (the slices of a row are adjacent lanes: thread = p * slices + q). With
  // n a multiple of 32 a row is a warp and each lane owns n/32 consecutive
  // elements, so the warp moves a state row in one coalesced access.
  bool decays = c.mask.hasLogDecay();
  int64_t w = c.stateDim % 32 == 0 ? c.stateDim / 32 : c.stateDim;
  int64_t slices = c.stateDim / w;
  // Rows per block: the largest divisor of p with at most 256 threads, so
  // every block is full and the shuffles stay converged.
  int64_t rowsPerBlock = 1;
  for (int64_t r = 1; r <= c.headDim; ++r)
    if (c.headDim % r == 0 && r * slices <= 256)
      rowsPerBlock = r;
  int64_t parts = c.headDim / rowsPerBlock;
  Value blocks = arith::MulIOp::create(
      b, arith::MulIOp::create(b, numSequences(b, c), cIdx(b, c.heads)),
      cIdx(b, parts));
  launch(
      b, blocks, cIdx(b, rowsPerBlock * slices),
      [&](Emitter &b, Value block, Value tid) {
        Value heads = cIdx(b, c.heads);
        Value sh = arith::DivUIOp::create(b, block, cIdx(b, parts));
        Value part = arith::RemUIOp::create(b, block, cIdx(b, parts));
        Slice s = sliceAt(b, c, arith::DivUIOp::create(b, sh, heads),
                          arith::RemUIOp::create(b, sh, heads));
        Value row = arith::AddIOp::create(
            b, arith::MulIOp::create(b, part, cIdx(b, rowsPerBlock)),
            arith::DivUIOp::create(b, tid, cIdx(b, slices)));
        Value q = arith::RemUIOp::create(b, tid, cIdx(b, slices));
        Value k0 = arith::MulIOp::create(b, q, cIdx(b, w));
        Value end = arith::AddIOp::create(b, s.start, s.len);
        Value h = forRangeCarry(
            b, s.start, end, {initRow(b, c, s, row, k0, w)},
            [&](Emitter &b, Value t, ValueRange carried) -> SmallVector<Value> {
              Value h = carried[0];
              if (decays)
                h = fma(b, h, splat(b, expm1(b, logDecayAt(b, c, s, t)), w), h);
              Value x = loadX(b, c, {s.batch, t, s.head, row});
              h = fma(b, h, splat(b, x, w),
                      loadVec(b, c.B, {s.batch, t, s.group, k0}, w));
              Value y = sum(
                  b, mul(b, h, loadVec(b, c.C, {s.batch, t, s.group, k0}, w)));
              for (int64_t off = 1; off < slices; off *= 2)
                y = add(
                    b, y,
                    gpu::ShuffleOp::create(b, y, off, 32, gpu::ShuffleMode::XOR)
                        .getShuffleResult());
              when(b,
                   arith::CmpIOp::create(b, arith::CmpIPredicate::eq, q,
                                         cIdx(b, 0)),
                   [&](Emitter &b) {
                     storeY(b, c, y, {s.batch, t, s.head, row});
                   });
              return {h};
            })[0];
        if (c.final)
          storeVec(b, h, c.final, {s.seq, s.head, row, k0});
      });
}

void smc::expand::expandQuadraticGpu(Emitter &b, const Contraction &c) {
  bool decays = c.mask.hasLogDecay();
  bool causal = c.mask.isCausal();
  bool structured = c.mask.isSemiseparable();
  std::optional<int64_t> band = c.mask.getBandwidth();

  // Outputs: on tensor cores, or one thread per position, sources walked
  // from t backwards.
  if (quadraticOnTensorCores(c))
    expandQuadraticMma(b, c);
  else
    forEachPosition(b, c, [&](Emitter &b, const Slice &s, Value t) {
      Value acc = scratch(b, {c.headDim});
      zeroRow(b, acc, c.headDim);
      if (c.init) {
        // The initial state decayed up to and including t.
        Value toT = cF32(b, 0);
        if (decays)
          toT =
              forRangeCarry(b, s.start, arith::AddIOp::create(b, t, cIdx(b, 1)),
                            {toT}, [&](Emitter &b, Value k, ValueRange run) {
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
            Value src = causal
                            ? arith::SubIOp::create(b, t, j).getResult()
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
      storeYRow(b, c, s, acc, t);
    });

  if (!c.final)
    return;
  // Final state: one thread per (sequence, head, p), sources backwards.
  forEachRow(b, c, [&](Emitter &b, const Slice &s, Value p) {
    Value h = scratch(b, {c.stateDim});
    zeroRow(b, h, c.stateDim);
    Value total = forEachSourceOfFinalState(
        b, c, s, [&](Emitter &b, Value src, Value weight) {
          Value w = loadX(b, c, {s.batch, src, s.head, p});
          axpyRow(b, c, s, h, weight ? mul(b, w, weight) : w, src);
        });
    if (c.init) {
      Value d = exp(b, total);
      forRange(b, cIdx(b, 0), cIdx(b, c.stateDim), [&](Emitter &b, Value k) {
        Value hv = memref::LoadOp::create(b, h, ValueRange{k});
        Value iv =
            memref::LoadOp::create(b, c.init, ValueRange{s.seq, s.head, p, k});
        memref::StoreOp::create(b, add(b, hv, mul(b, d, iv)), h, ValueRange{k});
      });
    }
    storeStateRow(b, h, c.final, s, p, c.stateDim);
  });
}

void smc::expand::expandChunkedGpu(Emitter &b, const Contraction &c) {
  if (chunkedOnTensorCores(c))
    return expandChunkedMma(b, c);
  int64_t q = c.chunk, p = c.headDim, n = c.stateDim, w = sliceWidth(n);
  bool decays = c.mask.hasLogDecay();
  Value zero = cIdx(b, 0), one = cIdx(b, 1), qv = cIdx(b, q);

  // The state before each chunk, [S, h, chunks, n, p]: written by the
  // recurrence kernel, read by the output kernel.
  Value seqLen = memref::DimOp::create(b, c.X, 1);
  Value maxChunks = arith::CeilDivUIOp::create(b, seqLen, qv);
  Value before =
      memref::AllocOp::create(b,
                              MemRefType::get({ShapedType::kDynamic, c.heads,
                                               ShapedType::kDynamic, n, p},
                                              b.getF32Type()),
                              ValueRange{numSequences(b, c), maxChunks});

  // (2) + (3): per (sequence, head, row, n-slice) the chunk states and the
  // recurrence over chunks. Sources are walked backwards from the chunk's
  // end, carrying sum_{k=j+1..end} ld_k, so each weight is exp of a sum.
  forEachRowSlice(b, c, [&](Emitter &b, const Slice &s, Value row, Value k0) {
    Value chunks = arith::CeilDivUIOp::create(b, s.len, qv);
    Value h = forRangeCarry(
        b, zero, chunks, {initRow(b, c, s, row, k0, w)},
        [&](Emitter &b, Value ck, ValueRange carried) -> SmallVector<Value> {
          Value h = carried[0];
          for (int64_t m = 0; m < w; ++m) {
            Value v = vector::ExtractOp::create(b, h, m);
            Value k = arith::AddIOp::create(b, k0, cIdx(b, m));
            memref::StoreOp::create(b, v, before,
                                    ValueRange{s.seq, s.head, ck, k, row});
          }
          Value offset = arith::MulIOp::create(b, ck, qv);
          Value c0 = arith::AddIOp::create(b, s.start, offset);
          Value qc = arith::MinUIOp::create(
              b, qv, arith::SubIOp::create(b, s.len, offset));
          Value last =
              arith::SubIOp::create(b, arith::AddIOp::create(b, c0, qc), one);
          auto walked = forRangeCarry(
              b, zero, qc, {zeros(b, w), cF32(b, 0)},
              [&](Emitter &b, Value j, ValueRange acc) -> SmallVector<Value> {
                Value src = arith::SubIOp::create(b, last, j);
                Value x = loadX(b, c, {s.batch, src, s.head, row});
                if (decays)
                  x = mul(b, x, exp(b, acc[1]));
                Value state =
                    fma(b, acc[0], splat(b, x, w),
                        loadVec(b, c.B, {s.batch, src, s.group, k0}, w));
                if (!decays)
                  return {state, acc[1]};
                return {state, add(b, acc[1], logDecayAt(b, c, s, src))};
              });
          if (decays)
            h = fma(b, h, splat(b, expm1(b, walked[1]), w), h);
          return {add(b, h, walked[0])};
        })[0];
    if (c.final)
      storeVec(b, h, c.final, {s.seq, s.head, row, k0});
  });

  // (1) + (4): per position, the state term and the diagonal block. With p
  // and n multiples of 32, a warp per position (coalesced rows, warp-sum
  // dot products); otherwise a thread per position with the row as a vector.
  auto chunkOf = [&](Emitter &b, const Slice &s, Value t) {
    Value rel = arith::SubIOp::create(b, t, s.start);
    Value ck = arith::DivUIOp::create(b, rel, qv);
    Value c0 =
        arith::AddIOp::create(b, s.start, arith::MulIOp::create(b, ck, qv));
    Value toT = cF32(b, 1);
    if (decays)
      toT = exp(b, forRangeCarry(b, c0, arith::AddIOp::create(b, t, one),
                                 {cF32(b, 0)},
                                 [&](Emitter &b, Value k, ValueRange run) {
                                   return SmallVector<Value>{
                                       add(b, run[0], logDecayAt(b, c, s, k))};
                                 })[0]);
    return std::make_tuple(ck, c0, toT);
  };
  if (p % 32 == 0 && n % 32 == 0) {
    int64_t pl = p / 32, nl = n / 32;
    forEachPositionWarp(
        b, c, [&](Emitter &b, const Slice &s, Value t, Value lane) {
          auto [ck, c0, toT] = chunkOf(b, s, t);
          SmallVector<Value> cRow;
          for (int64_t i = 0; i < nl; ++i)
            cRow.push_back(
                loadF32(b, c.C, {s.batch, t, s.group, laneIndex(b, lane, i)}));
          SmallVector<Value> init(pl, cF32(b, 0));
          SmallVector<Value> acc = forRangeCarry(
              b, zero, cIdx(b, n), init,
              [&](Emitter &b, Value m, ValueRange a) -> SmallVector<Value> {
                Value cm =
                    mul(b, toT, loadF32(b, c.C, {s.batch, t, s.group, m}));
                SmallVector<Value> next;
                for (int64_t i = 0; i < pl; ++i) {
                  Value h = memref::LoadOp::create(
                      b, before,
                      ValueRange{s.seq, s.head, ck, m, laneIndex(b, lane, i)});
                  next.push_back(add(b, a[i], mul(b, cm, h)));
                }
                return next;
              });
          Value count =
              arith::AddIOp::create(b, arith::SubIOp::create(b, t, c0), one);
          acc.push_back(cF32(b, 0));
          acc = forRangeCarry(
              b, zero, count, acc,
              [&](Emitter &b, Value j, ValueRange a) -> SmallVector<Value> {
                Value src = arith::SubIOp::create(b, t, j);
                Value part = cF32(b, 0);
                for (int64_t i = 0; i < nl; ++i)
                  part = add(b, part,
                             mul(b, cRow[i],
                                 loadF32(b, c.B,
                                         {s.batch, src, s.group,
                                          laneIndex(b, lane, i)})));
                Value wgt = warpSum(b, part);
                if (decays)
                  wgt = mul(b, wgt, exp(b, a[pl]));
                SmallVector<Value> next;
                for (int64_t i = 0; i < pl; ++i) {
                  Value x = loadX(
                      b, c, {s.batch, src, s.head, laneIndex(b, lane, i)});
                  next.push_back(add(b, a[i], mul(b, wgt, x)));
                }
                next.push_back(decays ? add(b, a[pl], logDecayAt(b, c, s, src))
                                      : a[pl]);
                return next;
              });
          for (int64_t i = 0; i < pl; ++i)
            storeY(b, c, acc[i], {s.batch, t, s.head, laneIndex(b, lane, i)});
        });
  } else {
    forEachPosition(b, c, [&](Emitter &b, const Slice &s, Value t) {
      auto [ck, c0, toT] = chunkOf(b, s, t);
      Value acc = forRangeCarry(
          b, zero, cIdx(b, n), {zeros(b, p)},
          [&](Emitter &b, Value m, ValueRange a) -> SmallVector<Value> {
            Value cm = mul(b, toT, loadF32(b, c.C, {s.batch, t, s.group, m}));
            return {fma(b, a[0], splat(b, cm, p),
                        loadVec(b, before, {s.seq, s.head, ck, m, zero}, p))};
          })[0];
      Value count =
          arith::AddIOp::create(b, arith::SubIOp::create(b, t, c0), one);
      acc = forRangeCarry(
          b, zero, count, {acc, cF32(b, 0)},
          [&](Emitter &b, Value j, ValueRange a) -> SmallVector<Value> {
            Value src = arith::SubIOp::create(b, t, j);
            Value wgt = scoreVec(b, c, s, t, src);
            if (decays)
              wgt = mul(b, wgt, exp(b, a[1]));
            Value next = fma(b, a[0], splat(b, wgt, p),
                             loadXVec(b, c, {s.batch, src, s.head}, p));
            if (!decays)
              return {next, a[1]};
            return {next, add(b, a[1], logDecayAt(b, c, s, src))};
          })[0];
      if (!c.y) {
        storeVec(b, acc, c.Y, {s.batch, t, s.head, zero});
        return;
      }
      for (int64_t k = 0; k < p; ++k)
        storeY(b, c, vector::ExtractOp::create(b, acc, k),
               {s.batch, t, s.head, cIdx(b, k)});
    });
  }
  memref::DeallocOp::create(b, before);
}
