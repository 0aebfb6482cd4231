//===- Runner.cpp - handing an artifact to smc-runner ---------------------===//
//
// Where compiler and GPU share a machine, `smc run --backend=cuda` and
// `smc bench` compile to a temporary artifact and run it with the same
// runtime-only runner that a GPU server uses, so there is one GPU path.
//
//===----------------------------------------------------------------------===//

#include "tools/smc/Artifact.h"
#include "tools/smc/Model.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <fmt/core.h>

namespace {

/// Runs smc-runner with `args`; its exit code, or 2 if it cannot start.
int runRunner(const std::vector<std::string> &args) {
  std::string self = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  llvm::SmallString<256> runner(llvm::sys::path::parent_path(self));
  llvm::sys::path::append(runner, "smc-runner");
  if (!llvm::sys::fs::can_execute(runner)) {
    fmt::print(stderr,
               "smc: error: {} not found: build it with 'ninja "
               "smc-runner' (it needs the CUDA toolkit's cuda.h)\n",
               runner.str().str());
    return smc::kExitBadInput;
  }
  std::vector<llvm::StringRef> argv = {runner};
  for (const std::string &a : args)
    argv.push_back(a);
  std::string message;
  int rc =
      llvm::sys::ExecuteAndWait(runner, argv, std::nullopt, {}, 0, 0, &message);
  if (rc < 0) {
    fmt::print(stderr, "smc: error: running {} failed: {}\n",
               runner.str().str(), message);
    return smc::kExitBadInput;
  }
  return rc;
}

} // namespace

int smc::compileAndRun(mlir::ModuleOp module, mlir::func::FuncOp func,
                       const std::string &modelPath, const std::string &form,
                       int64_t chunk, const std::string &subcommand,
                       const std::vector<std::string> &args) {
  llvm::SmallString<128> path;
  if (llvm::sys::fs::createTemporaryFile("smc", "smca", path)) {
    fmt::print(stderr, "smc: error: cannot create a temporary artifact\n");
    return kExitBadInput;
  }
  int rc = writeArtifact(
      module, func, {modelPath, path.str().str(), "sm_90", form, chunk, false});
  if (rc == kExitOk) {
    std::vector<std::string> all = {subcommand, path.str().str()};
    all.insert(all.end(), args.begin(), args.end());
    rc = runRunner(all);
  }
  llvm::sys::fs::remove(path);
  return rc;
}
