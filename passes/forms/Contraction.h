//===- Contraction.h - one contraction inside its tile program --*- C++ -*-===//
//
// What every form's tile program reads: the memrefs of one sma.contract
// (block arguments of its tile.program), its sizes, its mask, and the
// target's tile sizes; and the pieces the forms share: sequences and their
// tiles of positions, loads of C, B and X, stores of Y, states, and the
// mask's entries as tiles.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_PASSES_FORMS_CONTRACTION_H
#define SMC_PASSES_FORMS_CONTRACTION_H

#include "passes/forms/TileBuilder.h"

#include "dialect/sma/SmaOps.h"

#include "mlir/IR/IRMapping.h"

namespace smc::forms {

/// The target's choices. The algorithm of a form is the same on every
/// target; tile sizes, warps and the precision of matmul operands are not.
struct TileConfig {
  bool gpu = false;

  /// The size of a tile dimension standing for `n` elements (p, n, or a
  /// chunk): the GPU pads to a power of two of at least 16, which its
  /// layouts need; the CPU takes `n`.
  int64_t tileSize(int64_t n) const;
  /// Warps of a GPU program whose matmuls have `rows` rows (16 rows a warp).
  int64_t warpsFor(int64_t rows) const;
  /// The element type of matmul operands for keys of type `key`: bf16 on
  /// the GPU's tensor cores when the keys are bf16, else f32.
  mlir::Type operandType(mlir::Type key) const;
  /// Positions per output tile of the quadratic form.
  int64_t quadraticTile() const;
  /// About how many programs the state scan of the three-pass chunked form
  /// should have: sequences are split into segments of chunks until there
  /// are this many (the GPU; the CPU runs the one-pass form).
  int64_t scanPrograms() const;
  /// Whether the chunked form runs in one pass per (sequence, head), the
  /// state carried from chunk to chunk, instead of scan, combine and output
  /// programs that pass per-chunk states through memory: the CPU, which
  /// gains no parallelism from the split.
  bool onePassChunks() const { return !gpu; }
};

/// A sequence of one head: positions [start, start + len) of batch `batch`;
/// `seq` indexes states, `group` the keys C, B.
struct Slice {
  mlir::Value seq, batch, start, len, head, group;
};

/// A tile of positions of a slice: [first, first + count) with count no
/// more than the tile's size (0 past the sequence's end).
struct Rows {
  mlir::Value first, count;
};

/// One contraction in its tile program.
class Contraction {
public:
  /// Memrefs: C, B [b,T,g,n]; X, Y [b,T,h,p]; init, final [S,h,p,n] (may
  /// be null); cu [S+1] (may be null).
  mlir::Value C, B, X, Y, init, final, cu;
  /// The memref of each position operand of the mask's atoms.
  mlir::IRMapping operands;
  mutable sma::MaskOpInterface mask; // Interface calls are not const.
  int64_t heads, groups, headDim, stateDim, chunk;
  TileConfig config;

  /// Tile sizes standing for p and n, and the matmul operand type.
  int64_t p() const { return config.tileSize(headDim); }
  int64_t n() const { return config.tileSize(stateDim); }
  mlir::Type operandType() const;
  bool decays() const { return mask.hasLogDecay(); }
  /// Whether the mask is anti-causal (a transposed causal mask): its
  /// recurrence runs right to left, so the forms walk positions, chunks and
  /// tiles from the end of each sequence, and its initial state enters at
  /// the end and its final state leaves at the start.
  bool reversed = false;
  /// Whether entries on one side of the diagonal are zero (the forms then
  /// skip that side): the mask is causal or anti-causal.
  bool oneSided() const { return mask.isCausal() || reversed; }

  /// The `i`-th of `count` steps of a walk over [0, count): `i` itself, or
  /// `count - 1 - i` when the contraction is reversed.
  mlir::Value step(TileBuilder &b, mlir::Value i, mlir::Value count) const;
  /// Whether target t and source s of a tile pair lie on the mask's side of
  /// the diagonal (s <= t, or t <= s reversed), as an i1 [m, k] tile for
  /// tile rows starting at the same position.
  mlir::Value onSide(TileBuilder &b, int64_t m, int64_t k) const;

  /// The number of sequences (the batch, or len(cu_seqlens) - 1) and the
  /// length T of the position dimension. Both are computed outside the
  /// tile.program (from its operand tensors), so that the memrefs inside
  /// have no users but tile loads and stores, which fusion rewrites.
  mlir::Value sequences, length;
  /// The slice of sequence `seq` and `head`.
  Slice slice(TileBuilder &b, mlir::Value seq, mlir::Value head) const;
  /// Tile `k` of `size` positions of slice `s`.
  Rows tileRows(TileBuilder &b, const Slice &s, mlir::Value k,
                int64_t size) const;

  /// Rows of keys (C or B) as a [size, n] tile of the operand type, zero
  /// past the rows.
  mlir::Value loadKeys(TileBuilder &b, mlir::Value keys, const Slice &s,
                       Rows rows, int64_t size) const;
  /// Rows of X (rows of the p-long vectors at each position, from `col`)
  /// as a [size, cols] tile of X's element type.
  mlir::Value loadValues(TileBuilder &b, const Slice &s, Rows rows,
                         int64_t size) const;
  /// Y at the rows, from an f32 [size, p] tile.
  void storeOutputs(TileBuilder &b, mlir::Value y, const Slice &s,
                    Rows rows) const;
  /// A [rows, n] f32 tile of the state `mem` [S, h, p, n] (or of a
  /// per-chunk/per-segment buffer [S, h, K, p, n] at `k`) from row `row0`.
  mlir::Value loadState(TileBuilder &b, mlir::Value mem, mlir::ValueRange at,
                        mlir::Value row0, int64_t rows) const;
  void storeState(TileBuilder &b, mlir::Value state, mlir::Value mem,
                  mlir::ValueRange at, mlir::Value row0) const;

  /// The mask's log-decays at the rows: a [size] f32 tile, zero past them.
  mlir::Value logDecays(TileBuilder &b, const Slice &s, Rows rows,
                        int64_t size) const;
  /// The mask's log-decay at position `pos` of slice `s` (a scalar).
  mlir::Value logDecayAt(TileBuilder &b, const Slice &s, mlir::Value pos) const;
  /// The mask's factors F(t, s) for t in `target` and s in `source`: an
  /// [m, k] f32 tile. Only masks that are not semiseparable need them.
  mlir::Value factors(TileBuilder &b, const Slice &s, Rows target, int64_t m,
                      Rows source, int64_t k) const;
};

/// A buffer of `shape` (dynamic dims from `sizes`) that grids of one program
/// pass to each other.
mlir::Value allocBuffer(TileBuilder &b, llvm::ArrayRef<int64_t> shape,
                        mlir::Type elem, mlir::ValueRange sizes);

/// The chunk-local inclusive cumsum of the mask's log-decays, a [b, T, h]
/// f32 buffer written by a grid per (sequence, chunk, head); null when the
/// mask does not decay.
mlir::Value buildCumsum(TileBuilder &b, const Contraction &c, int64_t chunk);
/// The cumsum at `rows` as a [size] tile (zero past the rows).
mlir::Value loadCumsum(TileBuilder &b, const Contraction &c, mlir::Value cum,
                       const Slice &s, Rows rows, int64_t size);

/// The total log-decay of the chunk at `rows` (non-empty): its cumsum's
/// last entry.
mlir::Value chunkTotal(TileBuilder &b, const Contraction &c, mlir::Value cum,
                       const Slice &s, Rows rows);

/// One chunk's step of the state recurrence, H <- e^{A} H + X^T B~ with
/// B~_j = e^{A - cum_j} B_j over the chunk's `rows` (a tile of `size`):
/// returns the new H and A, the chunk's total log-decay (0 without `cum`).
/// Reversed, the state enters from the chunk's right and leaves past its
/// first position: B~_j = e^{cum_j} B_j.
std::pair<mlir::Value, mlir::Value>
advanceState(TileBuilder &b, const Contraction &c, mlir::Value cum,
             const Slice &s, Rows rows, int64_t size, mlir::Value h);

/// Zeros at every position of Y, for packed sequences: positions that no
/// sequence covers stay zero (the forms overwrite the others).
void buildZeroOutputs(TileBuilder &b, const Contraction &c);

/// The three forms' tile programs, built at `b`'s insertion point inside
/// the contraction's tile.program.
void buildLinearForm(TileBuilder &b, const Contraction &c);
void buildQuadraticForm(TileBuilder &b, const Contraction &c);
void buildChunkedForm(TileBuilder &b, const Contraction &c);

} // namespace smc::forms

#endif // SMC_PASSES_FORMS_CONTRACTION_H
