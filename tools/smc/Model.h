//===- Model.h - loading and verifying a model file -------------*- C++ -*-===//

#ifndef SMC_TOOLS_SMC_MODEL_H
#define SMC_TOOLS_SMC_MODEL_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <string>

namespace smc {

/// Exit codes shared by every subcommand.
enum ExitCode { kExitOk = 0, kExitCheckFailed = 1, kExitBadInput = 2 };

/// A context with every dialect and interface the tools use.
std::unique_ptr<mlir::MLIRContext> makeContext();

/// A model's text and the handler that prints diagnostics at its
/// file:line:col, with the source line, for as long as it lives: those of
/// parsing and verifying, and those of every later pass.
struct ModelSource {
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> handler;
};

/// Parses and verifies `path`, whose text `source` keeps; diagnostics go to
/// stderr. Returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp>
loadModel(mlir::MLIRContext &ctx, const std::string &path, ModelSource &source);

/// The model's entry: the function named `name`, or the only public
/// function when `name` is empty. Reports an error and returns null if absent
/// or ambiguous.
mlir::func::FuncOp findEntry(mlir::ModuleOp module, const std::string &path,
                             const std::string &name);

/// A parsed and verified model with its entry function.
struct LoadedModel {
  std::unique_ptr<mlir::MLIRContext> ctx;
  ModelSource source;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp entry;
};

/// loadModel + findEntry; errors are printed, and null is returned.
std::unique_ptr<LoadedModel> openModel(const std::string &path,
                                       const std::string &entry);

/// "[2, ?, 80, 64] bf16" for a tensor type.
std::string describeType(mlir::Type type);

} // namespace smc

#endif // SMC_TOOLS_SMC_MODEL_H
