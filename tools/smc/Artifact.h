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
};

/// Lowers `func` of `module` through sma-to-nvvm and writes the artifact;
/// returns an exit code, having printed any error.
int writeArtifact(mlir::ModuleOp module, mlir::func::FuncOp func,
                  const ArtifactOptions &options);

/// Runs `smc-runner` (next to this executable) with `args`; returns its exit
/// code, or 2 with a message if it cannot be started.
int runRunner(const char *argv0, const std::vector<std::string> &args);

} // namespace smc

#endif // SMC_TOOLS_SMC_ARTIFACT_H
