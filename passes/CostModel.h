//===- CostModel.h - the one cost model of the dual forms -------*- C++ -*-===//
//
// Form selection and `smc explain` both read this model; it sees a mask only
// through its structure (MaskOpInterface), never its kind.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_PASSES_COSTMODEL_H
#define SMC_PASSES_COSTMODEL_H

#include "dialect/sma/SmaOps.h"

#include <optional>
#include <string>
#include <vector>

namespace smc {

/// What the model needs to know about a target.
struct TargetParams {
  std::string name;
  double matmulFlops16;    ///< Matmul rate of the generated code on bf16/f16
                           ///< operands, FLOP/s.
  double matmulFlops32;    ///< Peak matmul rate on f32 operands, FLOP/s.
  double vectorFlops;      ///< Elementwise/FMA rate outside matmuls, FLOP/s.
  double recurrenceFlops;  ///< State-update rate of the linear form, FLOP/s.
  double bandwidth;        ///< Device memory bandwidth, bytes/s.
  int64_t multiprocessors; ///< Units that work in parallel (SMs or cores).
  double launchOverhead;   ///< Seconds per kernel launch.
  double stepLatency;      ///< Seconds per dependent step of a scan.
  int64_t maxChunk;        ///< Largest chunk the target's kernels take
                           ///< (0: any).
};

/// The targets `--target` accepts: h200, h100, a100, cpu.
const TargetParams *lookupTarget(llvm::StringRef name);
std::vector<std::string> knownTargets();

/// The shape of one contraction and the structure of its mask.
struct ContractShape {
  int64_t sequences, seqLen, heads, groups, headDim, stateDim;
  int64_t dataBytes; ///< Bytes per element of C, B, X and Y.
  bool initState = false, finalState = false;
  bool semiseparable = false, causal = true, dataDependent = false;
  std::optional<int64_t> bandwidth;
};

/// The modelled cost of one candidate form.
struct FormCost {
  sma::FormKind kind;
  int64_t chunk = 0;
  double flops = 0, bytes = 0, seconds = 0;
  int64_t launches = 0;
  std::string bound; ///< What limits it: "matmul", "memory", "latency", ...
};

/// Reads a contraction's shape; dynamic batch/length take the hints.
ContractShape getContractShape(sma::ContractOp op, int64_t batchHint,
                               int64_t seqLenHint);

/// Whether `kind` is legal for `shape`'s mask.
bool isFormLegal(const ContractShape &shape, sma::FormKind kind);

/// Models one form (chunk 0 for non-chunked forms).
FormCost modelForm(const ContractShape &shape, const TargetParams &target,
                   sma::FormKind kind, int64_t chunk);

/// The chunk sizes form selection tries on `target`.
std::vector<int64_t> candidateChunks(const TargetParams &target);

/// Every legal candidate (chunked once per candidate chunk size), cheapest
/// last-resort order: linear, chunked, quadratic; ties keep the earlier.
std::vector<FormCost> modelCandidates(const ContractShape &shape,
                                      const TargetParams &target);

/// The cheapest candidate. `shape` always has at least the quadratic form.
FormCost chooseForm(const std::vector<FormCost> &candidates);

} // namespace smc

#endif // SMC_PASSES_COSTMODEL_H
