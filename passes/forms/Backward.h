//===- Backward.h - tile programs of the backward's building blocks -*- C++ -*-===//
//
// The ops sma-derive-backward writes besides contractions, each as a tile
// program built inside its tile.program: moving tensors between heads and
// groups, transposing states, and the scan of the log-decay gradient.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_PASSES_FORMS_BACKWARD_H
#define SMC_PASSES_FORMS_BACKWARD_H

#include "passes/forms/Contraction.h"

namespace smc::forms {

/// The memrefs of a [b, T, k, d] to [b, T, m, d] regrouping (k groups and
/// m heads, or m groups and k heads), with its batch and length.
struct Regrouping {
  mlir::Value source, result, batch, length;
  int64_t from, to, dim;
  TileConfig config;
};

/// result[b, t, i] = source[b, t, i / (to / from)] (sma.expand_groups).
void buildExpandGroups(TileBuilder &b, const Regrouping &r);
/// result[b, t, j] = sum of source[b, t, i] over the heads i of group j, in
/// f32 (sma.sum_groups).
void buildSumGroups(TileBuilder &b, const Regrouping &r);

/// result[b, t, i] = sum_j source[b, t, i, j] * rhs[b, t, i, j] in f32, for
/// `from` heads of `dim` (sma.dot_rows).
void buildDotRows(TileBuilder &b, const Regrouping &r, mlir::Value rhs);
/// result[i] = sum over b, t of source[b, t, i], for `heads` heads, in f32
/// (sma.sum_positions).
void buildSumPositions(TileBuilder &b, mlir::Value source, mlir::Value result,
                       mlir::Value batch, mlir::Value length, int64_t heads,
                       const TileConfig &config);

/// result[s, h] = source[s, h]^T for states [S, h, p, n] (sma.transpose_state).
void buildTransposeState(TileBuilder &b, mlir::Value source, mlir::Value result,
                         mlir::Value sequences, int64_t heads, int64_t p,
                         int64_t n, const TileConfig &config);

/// The memrefs of sma.decay_grad: dY, Y, X, dX [b, T, h, p]; final and
/// dFinal [S, h, p, n] (may be null); the result da [b, T, h]. `c` gives the
/// sequences (its cu, sizes, heads, headDim, stateDim and config).
struct DecayGrad {
  mlir::Value dY, Y, X, dX, final, dFinal, da;
};
void buildDecayGrad(TileBuilder &b, const Contraction &c, const DecayGrad &g);

} // namespace smc::forms

#endif // SMC_PASSES_FORMS_BACKWARD_H
