//===- CpuJit.h - compile a model for the host CPU and call it --*- C++ -*-===//

#ifndef SMC_TOOLS_SMC_CPUJIT_H
#define SMC_TOOLS_SMC_CPUJIT_H

#include "passes/Passes.h"
#include "reference/Status.h"
#include "reference/Tensor.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <string>
#include <vector>

namespace smc {

/// A tensor in host memory in its own element type, dense row-major.
struct HostTensor {
  ref::DType dtype;
  ref::Shape shape;
  std::vector<uint8_t> bytes;
};

/// A model compiled through `sma-to-cpu` and JIT-compiled for the host,
/// called through MLIR's packed calling convention.
class CpuModel {
public:
  /// Lowers a clone of `module` and JIT-compiles it. `forms` receives, per
  /// contraction, the form that was selected (e.g. "chunked(64)"). The JIT
  /// optimizes (-O3, the host's vectors) when the run it is compiled for
  /// (`batch` x `seqLen`, dynamic dims) is modelled to cost more than
  /// optimizing does; a small run is compiled quickly (-O0) instead.
  static ref::Status compile(mlir::ModuleOp module, const std::string &entry,
                             const CpuPipelineOptions &options, int64_t batch,
                             int64_t seqLen, std::unique_ptr<CpuModel> &out,
                             std::vector<std::string> &forms);

  /// Calls the entry on `inputs` (one per argument, in order); the results
  /// are copied into `outputs`.
  ref::Status run(const std::vector<HostTensor> &inputs,
                  std::vector<HostTensor> &outputs);

private:
  std::unique_ptr<mlir::ExecutionEngine> engine;
  std::string entry;
  std::vector<std::pair<ref::DType, int64_t>> results; ///< dtype, rank
};

} // namespace smc

#endif // SMC_TOOLS_SMC_CPUJIT_H
