//===- ExpandCommon.h - shared pieces of the form expansions ----*- C++ -*-===//
//
// The three forms are written as loops over memrefs with f32 arithmetic.
// This header holds what they share: the buffers of one contraction, the
// walk over (sequence, head), and small loop and arithmetic helpers.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_PASSES_EXPANDCOMMON_H
#define SMC_PASSES_EXPANDCOMMON_H

#include "dialect/sma/SmaOps.h"
#include "passes/FusedElementwise.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <functional>

namespace smc::expand {

/// How the expansions read the mask ops' tensor operands in the generated
/// code: from buffers, or computed in place.
struct MaskBuildContext {
  /// The buffers (memrefs) that hold operands.
  mlir::IRMapping buffers;
  /// Computes an operand that has no buffer at an index (an elementwise
  /// producer evaluated in place); may be empty.
  std::function<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::Value,
                            mlir::ValueRange)>
      compute;

  /// operand[idx], loaded from its buffer or computed.
  mlir::Value read(mlir::OpBuilder &b, mlir::Location loc, mlir::Value operand,
                   mlir::ValueRange idx) const;
};

/// One contraction, in buffers: C, B [b,T,g,n]; X, Y [b,T,h,p];
/// init, final [S,h,p,n] (optional); cu [S+1] (optional).
struct Contraction {
  mlir::Value C, B, X, Y, init, final, cu;
  /// When X is computed by an elementwise linalg.generic (the Mamba-2
  /// prologue's x * dt'), X is never materialized: loads of X evaluate the
  /// producer in place. `X` is then the buffer of a producer input of X's
  /// full shape, for its sizes.
  Fused x;
  /// When Y's only user is an elementwise linalg.generic (the Mamba-2
  /// epilogue's (y + D x) silu(z)), Y is never materialized either: stores
  /// of Y evaluate the consumer on the value (its input without a buffer),
  /// and `Y` is the buffer of the consumer's result.
  Fused y;
  int64_t heads, groups, headDim, stateDim, chunk;
  mutable sma::MaskOpInterface mask; // Interface calls are non-const.
  MaskBuildContext maskCtx;
};

/// One (sequence, head) slice: positions [start, start + len) of `batch`.
struct Slice {
  mlir::Value seq, batch, start, len, head, group;
};

/// The number of sequences: the batch, or len(cu_seqlens) - 1.
mlir::Value numSequences(Emitter &b, const Contraction &c);

/// The slice of sequence `seq` and `head` (index values).
Slice sliceAt(Emitter &b, const Contraction &c, mlir::Value seq,
              mlir::Value head);

/// Emits loops over every sequence and head and calls `body` inside them.
void forEachSlice(Emitter &b, const Contraction &c,
                  llvm::function_ref<void(Emitter &, const Slice &)> body);

//===----------------------------------------------------------------------===//
// Small builders
//===----------------------------------------------------------------------===//

mlir::Value cIdx(Emitter &b, int64_t v);
mlir::Value cF32(Emitter &b, double v);

/// `for iv in [lb, ub)`.
void forRange(Emitter &b, mlir::Value lb, mlir::Value ub,
              llvm::function_ref<void(Emitter &, mlir::Value)> body);

/// `for iv in [lb, ub)` carrying f32 values; returns their final values.
llvm::SmallVector<mlir::Value> forRangeCarry(
    Emitter &b, mlir::Value lb, mlir::Value ub, mlir::ValueRange init,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(Emitter &, mlir::Value,
                                                      mlir::ValueRange)>
        body);

/// f32 arithmetic. Adds allow reassociation so reductions vectorize.
mlir::Value add(Emitter &b, mlir::Value x, mlir::Value y);
mlir::Value mul(Emitter &b, mlir::Value x, mlir::Value y);
mlir::Value sub(Emitter &b, mlir::Value x, mlir::Value y);
mlir::Value exp(Emitter &b, mlir::Value x);

/// v * exp(logDecay) computed as v + expm1(logDecay) * v. A decay near 1
/// rounds to f32 with a bias that a recurrence compounds over every step;
/// expm1 keeps it exact to rounding, so only unbiased rounding remains.
mlir::Value decayBy(Emitter &b, mlir::Value logDecay, mlir::Value v);
mlir::Value expm1(Emitter &b, mlir::Value x);

/// `v`, a float or a vector of floats, converted to element type `elem`
/// (truncated or extended; unchanged when it already has it).
mlir::Value castFloat(Emitter &b, mlir::Value v, mlir::Type elem);

/// Loads an element as f32 / stores an f32 into the memref's element type.
mlir::Value loadF32(Emitter &b, mlir::Value mem, mlir::ValueRange idx);
void storeF32(Emitter &b, mlir::Value v, mlir::Value mem, mlir::ValueRange idx);

/// dst[k] = X[i0, i1, i2, k] as f32 for k < n.
void loadXRow(Emitter &b, const Contraction &c, mlir::Value i0, mlir::Value i1,
              mlir::Value i2, mlir::Value dst, int64_t n);

/// X[idx] as f32, through the fused producer when there is one.
mlir::Value loadX(Emitter &b, const Contraction &c, mlir::ValueRange idx);

/// Y[idx] = v (f32), through the fused consumer when there is one.
void storeY(Emitter &b, const Contraction &c, mlir::Value v,
            mlir::ValueRange idx);

/// The alignment of `width` elements starting at a multiple of `width` in a
/// buffer whose rows are multiples of `width` long (buffers are 16-byte
/// aligned; the runtime checks it): the largest power of two dividing their
/// size, at most 16 bytes.
llvm::MaybeAlign vectorAlignment(mlir::Type elem, int64_t width);

/// X[idx..., k : k + width] as an f32 vector (idx ends with k, a multiple of
/// width, and rows are multiples of width long), and
/// Y[idx..., k : k + width] = v: the fused producer and consumer evaluated
/// on vectors, with vector loads of their inputs along the last dimension.
mlir::Value loadXVector(Emitter &b, const Contraction &c, mlir::ValueRange idx,
                        int64_t width);
void storeYVector(Emitter &b, const Contraction &c, mlir::Value v,
                  mlir::ValueRange idx);

/// loadXVector in two steps, so a pipelined kernel can issue the loads of
/// one tile and compute on them later: the raw loads, then X from them.
llvm::SmallVector<mlir::Value> loadXOperands(Emitter &b, const Contraction &c,
                                             mlir::ValueRange idx,
                                             int64_t width);
mlir::Value finishX(Emitter &b, const Contraction &c, mlir::ValueRange operands,
                    int64_t width);

/// A scratch f32 buffer of static shape, allocated on the stack.
mlir::Value scratch(Emitter &b, llvm::ArrayRef<int64_t> shape);

/// dst[k] = f32(src[i0, i1, i2, k]) for k < n: one row of a [b,T,*,d] tensor.
void loadRow(Emitter &b, mlir::Value src, mlir::Value i0, mlir::Value i1,
             mlir::Value i2, mlir::Value dst, int64_t n);

/// sum_k a[k] * mem[i0, i1, i2, k] (mem read as f32).
mlir::Value dotRow(Emitter &b, mlir::Value a, mlir::Value mem, mlir::Value i0,
                   mlir::Value i1, mlir::Value i2, int64_t n);

/// sum_k a[k] * m[r, k] with m a [*, n] scratch.
mlir::Value dotScratch(Emitter &b, mlir::Value a, mlir::Value m, mlir::Value r,
                       int64_t n);

/// Fills a scratch buffer (any rank) with zeros / copies state [s,h,:,:] in.
void zeroScratch(Emitter &b, mlir::Value buf);
void loadState(Emitter &b, mlir::Value state, const Slice &s, mlir::Value dst,
               int64_t p, int64_t n);
void storeState(Emitter &b, mlir::Value src, mlir::Value state, const Slice &s,
                int64_t p, int64_t n);

/// H[p, :] += coef * row[:] where row = mem[i0, i1, i2, :] scaled per p by
/// x[p]: the rank-1 update H += (coef * x) mem_row^T.
void rankOneUpdate(Emitter &b, mlir::Value h, mlir::Value coef, mlir::Value x,
                   mlir::Value mem, mlir::Value i0, mlir::Value i1,
                   mlir::Value i2, int64_t p, int64_t n);

/// The mask's per-step log-decay at absolute position `pos` of the slice.
mlir::Value logDecayAt(Emitter &b, const Contraction &c, const Slice &s,
                       mlir::Value pos);

/// The mask's factor F(t, s) at absolute positions of the slice.
mlir::Value factorAt(Emitter &b, const Contraction &c, const Slice &s,
                     mlir::Value t, mlir::Value src);

/// The quadratic form's walk over the sources of output position `t`:
/// causal masks go s = t, t-1, ... down to the sequence start (or the band's
/// edge); non-causal masks visit every position. `body` gets each source and
/// its mask entry L[t, s] (exp of the carried log-space sum times the
/// factor), or a null Value where the entry is 1.
void forEachSource(
    Emitter &b, const Contraction &c, const Slice &s, mlir::Value t,
    llvm::function_ref<void(Emitter &, mlir::Value src, mlir::Value weight)>
        body);

/// The final state's walk: sources from the slice's last position back to
/// its first. `body` gets each source and its decay to the end,
/// e^{a_{src+1} + ... + a_last} (a null Value without decays). Returns the
/// slice's total log-decay (0 without decays), the initial state's decay.
mlir::Value forEachSourceOfFinalState(
    Emitter &b, const Contraction &c, const Slice &s,
    llvm::function_ref<void(Emitter &, mlir::Value src, mlir::Value weight)>
        body);

//===----------------------------------------------------------------------===//
// GPU kernels
//===----------------------------------------------------------------------===//

/// Emits a 1-D gpu.launch of `blocks` x `threads` with `sharedBytes` of
/// dynamic shared memory; `body` gets the block and thread ids.
void launch(Emitter &b, mlir::Value blocks, mlir::Value threads,
            llvm::function_ref<void(Emitter &, mlir::Value, mlir::Value)> body,
            int64_t sharedBytes = 0);

/// `body` runs only where `cond` holds.
void when(Emitter &b, mlir::Value cond,
          llvm::function_ref<void(Emitter &)> body);

/// `then` where `cond` holds, else `otherwise`; both yield `types`.
llvm::SmallVector<mlir::Value>
ifElse(Emitter &b, mlir::Value cond, mlir::TypeRange types,
       llvm::function_ref<llvm::SmallVector<mlir::Value>(Emitter &)> then,
       llvm::function_ref<llvm::SmallVector<mlir::Value>(Emitter &)> otherwise);

/// Unsigned index comparison x < y.
mlir::Value ult(Emitter &b, mlir::Value x, mlir::Value y);

/// The three forms, as loops for the CPU.
void expandLinear(Emitter &b, const Contraction &c);
void expandQuadratic(Emitter &b, const Contraction &c);
void expandChunked(Emitter &b, const Contraction &c);

/// The three forms as GPU kernels (gpu.launch ops on device buffers).
void expandLinearGpu(Emitter &b, const Contraction &c);
void expandQuadraticGpu(Emitter &b, const Contraction &c);
void expandChunkedGpu(Emitter &b, const Contraction &c);

/// Whether the chunked form of `c` runs on tensor cores (bf16 B and C; p, n
/// and the chunk multiples of 16; chunk at most 128), and its kernels.
bool chunkedOnTensorCores(const Contraction &c);
void expandChunkedMma(Emitter &b, const Contraction &c);

/// Whether the quadratic form's outputs run on tensor cores (bf16 B and C;
/// p and n multiples of 16; no initial state; decays only with causal
/// masks), and their kernels (the final state is the caller's).
bool quadraticOnTensorCores(const Contraction &c);
void expandQuadraticMma(Emitter &b, const Contraction &c);

} // namespace smc::expand

#endif // SMC_PASSES_EXPANDCOMMON_H
