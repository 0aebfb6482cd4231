//===- ChunkedForm.cpp - the chunked (SSD) form as a tile program ---------===//
//
// Chunks of Q positions (docs/forms.md):
//   cumsum   cum = the chunk-local running sums of the log-decays;
//   scan     per (sequence, segment of chunks, head), from a zero state:
//            states[k] = H (the state before chunk k, within its segment),
//            H = e^{A_k} H + X_k^T B~_k;  the segment's end state and decay;
//   combine  per (sequence, head): the true state before each segment,
//            start[j+1] = e^{A_j} start[j] + end[j] from the initial state,
//            and the final state;
//   output   per (sequence, chunk, head):
//            Y = diag(e^{cum}) C H^T + ((C B^T) o L) X, with H the chunk's
//            state plus its segment's start decayed to the chunk.
// Segments let the scan run in parallel when sequences are few and long.
// A target without that parallelism (the CPU) runs the same steps in one
// pass instead: per (sequence, head), each chunk's output from the state
// before it, then the state advanced past it, so no per-chunk state is kept
// in memory.
//
//===----------------------------------------------------------------------===//

#include "passes/forms/Contraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace smc;
using namespace smc::forms;

namespace {

/// How the scan splits each sequence's chunks: `count` segments of
/// `length` chunks (index values).
struct Segments {
  Value count, length;
};

Segments planSegments(TileBuilder &b, const Contraction &c, Value chunks) {
  Value one = b.index(1);
  // Enough segments for about scanPrograms() programs of the scan.
  Value slices = b.maxui(b.muli(c.sequences, c.heads), one);
  Value count = b.maxui(
      b.minui(b.ceildiv(b.index(c.config.scanPrograms()), slices), chunks),
      one);
  return {count, b.maxui(b.ceildiv(chunks, count), one)};
}

/// The causal mask within a chunk, [s <= t], as an i1 tile.
Value lowerTriangle(TileBuilder &b, int64_t size) {
  SmallVector<int64_t> shape = {size, size};
  Value t = b.broadcast(b.range(size), {1}, shape);
  Value s = b.broadcast(b.range(size), {0}, shape);
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ule, s, t);
}

/// What one chunk's output reads: its keys C and B, values X and the
/// cumsum of its log-decays (null without decay), tiles of `size` rows.
struct ChunkTiles {
  Value keysC, keysB, x, sums;
};

ChunkTiles loadChunk(TileBuilder &b, const Contraction &c, Value cum,
                     const Slice &s, Rows rows, int64_t size) {
  return {c.loadKeys(b, c.C, s, rows, size), c.loadKeys(b, c.B, s, rows, size),
          b.cast(c.loadValues(b, s, rows, size), c.operandType()),
          cum ? loadCumsum(b, c, cum, s, rows, size) : Value()};
}

/// One chunk's output at `rows` from `h`, the f32 state before the chunk:
/// the state's term diag(e^{cum}) C H^T plus the chunk's own block
/// ((C B^T) o L) X.
void storeChunkOutput(TileBuilder &b, const Contraction &c,
                      const ChunkTiles &in, const Slice &s, Rows rows,
                      int64_t size, Value h) {
  int64_t p = c.p();
  Type operand = c.operandType();
  auto [keysC, keysB, x, sums] = in;
  DotFlags transposeB;
  transposeB.transposeB = true;
  Value y = b.dot(keysC, b.cast(h, operand), b.zeros({size, p}), transposeB);
  if (sums)
    y = b.mul(y, b.broadcast(b.exp(sums), {1}, {size, p}));
  DotFlags scoreFlags = transposeB;
  scoreFlags.trilResult = true;
  Value scores = b.dot(keysC, keysB, b.zeros({size, size}), scoreFlags);
  if (sums)
    scores = b.mul(scores, b.exp(b.sub(b.broadcast(sums, {1}, {size, size}),
                                       b.broadcast(sums, {0}, {size, size}))));
  scores = b.select(lowerTriangle(b, size), scores, b.zeros({size, size}));
  DotFlags lower;
  lower.trilA = true;
  y = b.dot(b.cast(scores, operand), x, y, lower);
  c.storeOutputs(b, y, s, rows);
}

/// The chunked form in one pass per (sequence, head): the state is carried
/// from chunk to chunk.
void buildOnePass(TileBuilder &b, const Contraction &c, Value cum) {
  int64_t q = c.chunk, size = c.config.tileSize(q), p = c.p(), n = c.n();
  b.grid(
      {c.sequences, b.index(c.heads)}, c.config.warpsFor(size),
      [&](TileBuilder &b, ValueRange at) {
        Slice s = c.slice(b, at[0], at[1]);
        Value h = c.init
                      ? c.loadState(b, c.init, {s.seq, s.head}, b.index(0), p)
                      : b.zeros({p, n});
        h = b.loop(
            b.index(0), b.ceildiv(s.len, q), {h},
            [&](TileBuilder &b, Value k,
                ValueRange carried) -> SmallVector<Value> {
              Rows rows = c.tileRows(b, s, k, q);
              storeChunkOutput(b, c, loadChunk(b, c, cum, s, rows, size), s,
                               rows, size, carried[0]);
              return {advanceState(b, c, cum, s, rows, size, carried[0]).first};
            })[0];
        if (c.final)
          c.storeState(b, h, c.final, {s.seq, s.head}, b.index(0));
      });
}

} // namespace

void smc::forms::buildChunkedForm(TileBuilder &b, const Contraction &c) {
  int64_t q = c.chunk, size = c.config.tileSize(q), p = c.p(), n = c.n();
  constexpr int64_t dyn = ShapedType::kDynamic;
  Type f32 = b.getF32Type(), operand = c.operandType();
  Value heads = b.index(c.heads);
  Value chunks = b.ceildiv(c.length, q);
  Segments seg = planSegments(b, c, chunks);

  Value cum = buildCumsum(b, c, q);
  if (c.config.onePassChunks())
    return buildOnePass(b, c, cum);
  Value states = allocBuffer(b, {dyn, c.heads, dyn, c.headDim, c.stateDim},
                             operand, {c.sequences, chunks});
  Value decayTo = c.decays() ? allocBuffer(b, {dyn, c.heads, dyn}, f32,
                                           {c.sequences, chunks})
                             : Value();
  Value segEnd = allocBuffer(b, {dyn, c.heads, dyn, c.headDim, c.stateDim}, f32,
                             {c.sequences, seg.count});
  Value segTotal = c.decays() ? allocBuffer(b, {dyn, c.heads, dyn}, f32,
                                            {c.sequences, seg.count})
                              : Value();
  Value segStart = allocBuffer(b, {dyn, c.heads, dyn, c.headDim, c.stateDim},
                               operand, {c.sequences, seg.count});

  // Scan: the states within each segment.
  b.grid(
      {c.sequences, seg.count, heads}, c.config.warpsFor(p),
      [&](TileBuilder &b, ValueRange at) {
        Slice s = c.slice(b, at[0], at[2]);
        Value segment = at[1];
        Value own = b.ceildiv(s.len, q);
        Value first = b.minui(b.muli(segment, seg.length), own);
        Value end = b.minui(b.addi(first, seg.length), own);
        b.ifThen(b.ult(first, end), [&](TileBuilder &b) {
          SmallVector<Value> out = b.loop(
              first, end, {b.zeros({p, n}), b.f32(0.0)},
              [&](TileBuilder &b, Value k,
                  ValueRange carried) -> SmallVector<Value> {
                Value h = carried[0], run = carried[1];
                c.storeState(b, h, states, {s.seq, s.head, k}, b.index(0));
                if (decayTo)
                  b.storeScalar(b.exp(run), decayTo, {s.seq, s.head, k});
                auto [next, total] =
                    advanceState(b, c, cum, s, c.tileRows(b, s, k, q), size, h);
                return {next, b.add(run, total)};
              });
          c.storeState(b, out[0], segEnd, {s.seq, s.head, segment}, b.index(0));
          if (segTotal)
            b.storeScalar(out[1], segTotal, {s.seq, s.head, segment});
        });
      });

  // Combine: the state before each segment, then the final state.
  int64_t rows = c.config.gpu ? std::min<int64_t>(p, 16) : c.headDim;
  b.grid({c.sequences, heads, b.index(llvm::divideCeil(c.headDim, rows))},
         c.config.gpu ? 4 : 0, [&](TileBuilder &b, ValueRange at) {
           Slice s = c.slice(b, at[0], at[1]);
           Value row0 = b.muli(at[2], rows);
           Value segments = b.ceildiv(b.ceildiv(s.len, q), seg.length);
           Value h = c.init
                         ? c.loadState(b, c.init, {s.seq, s.head}, row0, rows)
                         : b.zeros({rows, n});
           h = b.loop(
               b.index(0), segments, {h},
               [&](TileBuilder &b, Value k,
                   ValueRange carried) -> SmallVector<Value> {
                 Value h = carried[0];
                 c.storeState(b, h, segStart, {s.seq, s.head, k}, row0);
                 if (segTotal)
                   h = b.decayBy(b.loadScalar(segTotal, {s.seq, s.head, k}), h);
                 return {b.add(h, c.loadState(b, segEnd, {s.seq, s.head, k},
                                              row0, rows))};
               })[0];
           if (c.final)
             c.storeState(b, h, c.final, {s.seq, s.head}, row0);
         });

  // Output: the state's term and the chunk's own (diagonal) block.
  b.grid({c.sequences, chunks, heads}, c.config.warpsFor(size),
         [&](TileBuilder &b, ValueRange at) {
           Slice s = c.slice(b, at[0], at[2]);
           Value chunk = at[1];
           Rows rows = c.tileRows(b, s, chunk, q);
           b.ifThen(b.ult(b.index(0), rows.count), [&](TileBuilder &b) {
             ChunkTiles in = loadChunk(b, c, cum, s, rows, size);
             Value segment = b.divui(chunk, seg.length);
             Value before = c.loadState(b, segStart, {s.seq, s.head, segment},
                                        b.index(0), p);
             if (decayTo)
               before =
                   b.mul(before, b.loadScalar(decayTo, {s.seq, s.head, chunk}));
             Value h = b.add(
                 c.loadState(b, states, {s.seq, s.head, chunk}, b.index(0), p),
                 before);
             storeChunkOutput(b, c, in, s, rows, size, h);
           });
         });
}
