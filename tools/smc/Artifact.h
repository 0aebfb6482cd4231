//===- Artifact.h - writing GPU artifacts -----------------------*- C++ -*-===//

#ifndef SMC_TOOLS_SMC_ARTIFACT_H
#define SMC_TOOLS_SMC_ARTIFACT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace smc {

/// What `smc compile` (and `smc run/bench --backend=cuda`) compile.
struct ArtifactOptions {
  std::string modelPath, outputPath;
  std::string chip = "sm_90";
  std::string form;
  int64_t chunk = 0;
  bool ptx = false;
  /// Also write @f_fwd and @f_bwd (sma-derive-backward) as entries.
  bool grad = false;
};

/// Lowers `func` of `module` through sma-to-nvvm and writes the artifact;
/// returns an exit code, having printed any error.
int writeArtifact(mlir::ModuleOp module, mlir::func::FuncOp func,
                  const ArtifactOptions &options);

/// Compiles `func` to a temporary sm_90 artifact and runs
/// `smc-runner SUBCOMMAND ARTIFACT ARGS...` (smc-runner sits next to this
/// executable); returns the runner's exit code, or 2 with a message.
int compileAndRun(mlir::ModuleOp module, mlir::func::FuncOp func,
                  const std::string &modelPath, const std::string &form,
                  int64_t chunk, const std::string &subcommand,
                  const std::vector<std::string> &args);

} // namespace smc

#endif // SMC_TOOLS_SMC_ARTIFACT_H
