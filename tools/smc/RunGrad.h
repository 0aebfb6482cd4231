//===- RunGrad.h - smc run --grad: the derived backward, checked -*- C++ -*-===//

#ifndef SMC_TOOLS_SMC_RUNGRAD_H
#define SMC_TOOLS_SMC_RUNGRAD_H

#include "tools/smc/CpuJit.h"
#include "tools/smc/Inputs.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace smc {

/// What `smc run --grad` was asked for.
struct GradRun {
  std::vector<std::string> forms; ///< One run per entry ("" = chosen).
  std::string target;
  int64_t chunk = 0, batch = 0, seqLen = 0;
  uint64_t seed = 0;
  bool check = false;
  double tolerance = 0; ///< The check's relative tolerance.
};

/// Derives `func`'s backward (sma-derive-backward), runs @f_fwd and @f_bwd
/// on the CPU for random output gradients and prints each float input's
/// gradient; with `check`, compares them with the float64 reference's.
/// Returns the exit code.
int runGradients(mlir::ModuleOp module, mlir::func::FuncOp func,
                 const std::vector<TensorSpec> &specs,
                 const std::vector<ref::Tensor> &values,
                 const std::vector<HostTensor> &inputs, const GradRun &run);

} // namespace smc

#endif // SMC_TOOLS_SMC_RUNGRAD_H
