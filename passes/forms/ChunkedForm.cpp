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
// An anti-causal mask runs every step right to left: chunks, segments and
// the combine walk from the end, "the state before" a chunk is the one
// entering it from the right, and the weights within a chunk are the
// decays towards its start (Chunks.cpp, storeChunkOutput).
// A target without that parallelism (the CPU) runs the same steps in one
// pass instead: per (sequence, head), each chunk's output from the state
// before it, then the state advanced past it, so no per-chunk state is kept
// in memory.
//
//===----------------------------------------------------------------------===//

#include "passes/forms/Contraction.h"


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

/// What one chunk's output reads: its keys C and B, values X, the cumsum
/// of its log-decays (null without decay) and, reversed, its total; tiles
/// of `size` rows.
struct ChunkTiles {
  Value keysC, keysB, x, sums, total;
};

ChunkTiles loadChunk(TileBuilder &b, const Contraction &c, Value cum,
                     const Slice &s, Rows rows, int64_t size) {
  return {c.loadKeys(b, c.C, s, rows, size), c.loadKeys(b, c.B, s, rows, size),
          b.cast(c.loadValues(b, s, rows, size), c.operandType()),
          cum ? loadCumsum(b, c, cum, s, rows, size) : Value(),
          cum && c.reversed ? chunkTotal(b, c, cum, s, rows) : Value()};
}

/// One chunk's output at `rows` from `h`, the f32 state before the chunk:
/// the state's term diag(e^{cum}) C H^T plus the chunk's own block
/// ((C B^T) o L) X. Reversed, `h` is the state entering from the right and
/// its term is diag(e^{A - cum}) C H^T, A the chunk's total.
void storeChunkOutput(TileBuilder &b, const Contraction &c,
                      const ChunkTiles &in, const Slice &s, Rows rows,
                      int64_t size, Value h) {
  int64_t p = c.p();
  Type operand = c.operandType();
  DotFlags transposeB;
  transposeB.transposeB = true;
  Value y =
      b.dot(in.keysC, b.cast(h, operand), b.zeros({size, p}), transposeB);
  if (in.sums) {
    Value toState = c.reversed ? b.sub(in.total, in.sums) : in.sums;
    y = b.mul(y, b.broadcast(b.exp(toState), {1}, {size, p}));
  }
  // The lowerings may skip the triangle above the diagonal of a causal
  // chunk; an anti-causal one uses the other triangle and gets no hint.
  DotFlags scoreFlags = transposeB;
  scoreFlags.trilResult = !c.reversed;
  Value scores = b.dot(in.keysC, in.keysB, b.zeros({size, size}), scoreFlags);
  if (in.sums) {
    Value diff = b.sub(b.broadcast(in.sums, {1}, {size, size}),
                       b.broadcast(in.sums, {0}, {size, size}));
    if (c.reversed)
      diff = b.sub(b.zeros({size, size}), diff);
    scores = b.mul(scores, b.exp(diff));
  }
  scores = b.select(c.onSide(b, size, size), scores, b.zeros({size, size}));
  DotFlags values;
  values.trilA = !c.reversed;
  y = b.dot(b.cast(scores, operand), in.x, y, values);
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
        Value chunks = b.ceildiv(s.len, q);
        h = b.loop(
            b.index(0), chunks, {h},
            [&](TileBuilder &b, Value i,
                ValueRange carried) -> SmallVector<Value> {
              Rows rows = c.tileRows(b, s, c.step(b, i, chunks), q);
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
              [&](TileBuilder &b, Value i,
                  ValueRange carried) -> SmallVector<Value> {
                // Right to left, a segment's chunks are walked from its end.
                Value k = c.reversed ? b.subi(b.addi(first, b.subi(end, i)),
                                              b.index(1))
                                     : i;
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
               [&](TileBuilder &b, Value i,
                   ValueRange carried) -> SmallVector<Value> {
                 Value k = c.step(b, i, segments);
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
