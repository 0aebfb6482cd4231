//===- InputKind.h - distributions of model inputs --------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What kind of value a model input holds decides how random inputs are
/// drawn (dt > 0 after softplus, A < 0, log-decays <= 0, ...). The compiler
/// reads the kind from the op an input feeds; the GPU runner reads it from
/// the artifact. Both draw through here, so both make the same inputs.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_INPUTKIND_H
#define SMC_REFERENCE_INPUTKIND_H

#include "reference/Random.h"
#include "reference/Status.h"
#include "reference/Tensor.h"

#include <string_view>
#include <vector>

namespace smc::ref {

/// The kinds of model inputs.
enum class InputKind {
  Normal,     ///< Activations, keys, queries, states, D: N(0, 1).
  DtRaw,      ///< dt before softplus: U[-4, -1] (softplus gives ~[0.02, 0.3]).
  DtPositive, ///< dt used as is: U[0.005, 0.1].
  DtBias,     ///< dt_bias without softplus: U[0, 0.01].
  DtBiasRaw,  ///< dt_bias before softplus: U[-0.5, 0.5].
  ALog,       ///< Mamba-2's A: U[-8, -0.5], so a = dt * A <= 0.
  LogDecay,   ///< A per-position log-decay: U[-0.3, 0].
  Unit,       ///< Custom mask operands: U[0, 1].
  Offsets,    ///< cu_seqlens: made from sequence lengths, not drawn.
};

/// The kind's name, e.g. "dt_raw".
const char *inputKindName(InputKind kind);

/// Parses a name written by inputKindName.
Status parseInputKind(std::string_view name, InputKind &kind);

/// Fills `tensor` with fresh values of `kind`, rounded through `type`.
/// Offsets are not drawn: use makeOffsets.
void fillInput(Tensor &tensor, DType type, InputKind kind, Rng &rng);

/// Checks that `tensor` lies in the domain of `kind`: every element finite,
/// log-decays and A <= 0, dt used as is >= 0, offsets integers that start at
/// 0 and never decrease. Values outside it would give a silently wrong
/// (growing, non-finite) output. The error names the first bad element, e.g.
/// "element [0,3,1] is 0.25, but a log-decay must be <= 0".
Status checkInputDomain(const Tensor &tensor, InputKind kind);

/// cu_seqlens for packed sequences of the given lengths: [0, l0, l0+l1, ...].
Tensor makeOffsets(const std::vector<int64_t> &lengths);

} // namespace smc::ref

#endif // SMC_REFERENCE_INPUTKIND_H
