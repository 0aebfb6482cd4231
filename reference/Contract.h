//===- Contract.h - float64 reference for sma contracts ---------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The float64 reference of structured masked attention, computed from the
/// quadratic (masked matrix) definition so it independently checks compiled
/// recurrent and chunked code. Layout is batch-major (Mamba-2 convention):
///   X, Y: [b, T, h, p];  B, C: [b, T, g, n], head i reads group i/(h/g);
///   states: [S, h, p, n] with S sequences.
/// Per sequence [start, end) and head:
///   y[t] = sum_s L(t,s) (C[t] . B[s]) x[s]
///        + exp(sum_{k=start..t} ld[k]) H0 C[t]              (initial state)
///   final = exp(sum_{k=start..end-1} ld[k]) H0
///         + sum_s exp(sum_{k=s+1..end-1} ld[k]) x[s] B[s]^T
/// where ld[k] is the mask's per-step log-decay (summed over its decay
/// leaves). States need a semiseparable mask. A reversed one
/// (MaskSpec::isReversed, e.g. transpose(decay)) recurs right to left,
/// h[t] = x[t] B[t]^T + exp(ld[t+1]) h[t+1]: its initial state enters at the
/// right end and its final state is the one left before the start,
///   y[t] += exp(sum_{k=t+1..end-1} ld[k]) H0 C[t]
///   final = exp(sum_{k=start..end-1} ld[k]) H0
///         + sum_s exp(sum_{k=start..s} ld[k]) x[s] B[s]^T.
/// That is what the backward reads: for a causal contraction with output
/// gradients dY and dF, the reversed one with C' = B, B' = C, X' = dY, mask
/// transpose(L) and initial state dF gives y' = dX and final' = dH0
/// (ContractGrad.h). With cu_seqlens (b == 1) sequence i spans
/// [cu[i], cu[i+1]) and no information crosses a boundary, either way;
/// without it each batch row is a sequence.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_CONTRACT_H
#define SMC_REFERENCE_CONTRACT_H

#include "reference/Mask.h"
#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace smc::ref {

/// Inputs of one structured masked attention contraction (not owned).
struct ContractProblem {
  const Tensor *C = nullptr;                       ///< [b,T,g,n], required.
  const Tensor *B = nullptr;                       ///< [b,T,g,n], required.
  const Tensor *X = nullptr;                       ///< [b,T,h,p], required.
  const MaskSpec *mask = nullptr;                  ///< Required.
  const Tensor *initState = nullptr;               ///< [S,h,p,n], optional.
  const std::vector<int64_t> *cuSeqlens = nullptr; ///< Optional, needs b == 1.
  bool wantFinalState = false; ///< Produce the [S,h,p,n] final state.
  unsigned numThreads = 0;     ///< 0 = resolveThreadCount(0).
};

/// The sizes of a validated problem.
struct ContractDims {
  int64_t batch = 0;     ///< b
  int64_t seqLen = 0;    ///< T
  int64_t heads = 0;     ///< h
  int64_t headDim = 0;   ///< p
  int64_t groups = 0;    ///< g
  int64_t stateDim = 0;  ///< n
  int64_t sequences = 0; ///< S: b, or len(cu_seqlens) - 1.
};

/// Outputs of computeContract.
struct ContractResult {
  Tensor y;                         ///< [b,T,h,p]
  std::optional<Tensor> finalState; ///< [S,h,p,n] when requested.
};

/// One sequence of a problem: positions [start, end) of batch row `batch`.
struct Segment {
  int64_t batch, start, end;
};

/// The sequences of a validated problem, in state order: one per batch row,
/// or with cu_seqlens (b == 1) one per entry pair.
std::vector<Segment> sequencesOf(const ContractProblem &problem,
                                 const ContractDims &dims);

/// Checks ranks, shapes, h % g, mask parameters, cu_seqlens and state
/// shapes, and fills `dims`. Messages name the offending input, e.g.
/// "X: expected rank 4, got 3".
Status validateContract(const ContractProblem &problem, ContractDims &dims);

/// Computes Y (and the final state if requested) in float64. When `rows` is
/// given, y is computed only at those absolute time positions (for every
/// batch row and head) and is NaN elsewhere; this keeps long-sequence checks
/// at O(|rows| * T * (n + p)). The final state is always complete.
Status computeContract(const ContractProblem &problem, ContractResult &result,
                       const std::vector<int64_t> *rows = nullptr);

} // namespace smc::ref

#endif // SMC_REFERENCE_CONTRACT_H
