//===- Model.cpp - loading and verifying a model file ---------------------===//

#include "tools/smc/Model.h"
#include "tools/lib/InitSmc.h"

#include "dialect/sma/SmaOps.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <fmt/core.h>

using namespace mlir;

std::unique_ptr<MLIRContext> smc::makeContext() {
  DialectRegistry registry;
  registerAllDialects(registry);
  auto ctx = std::make_unique<MLIRContext>(registry);
  ctx->loadAllAvailableDialects();
  return ctx;
}

OwningOpRef<ModuleOp> smc::loadModel(MLIRContext &ctx,
                                     const std::string &path) {
  std::string error;
  auto file = openInputFile(path, &error);
  if (!file) {
    fmt::print(stderr, "smc: error: cannot read '{}': {}\n", path, error);
    return nullptr;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, &ctx);
  // parseSourceFile verifies the module; errors are printed with locations.
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &ctx);
  // The verifier checks each op locally; what needs the mask's structure is
  // checked here, once the whole module is known to be valid.
  if (module && module
                    ->walk([](sma::ContractOp op) {
                      return failed(op.verifyMask()) ? WalkResult::interrupt()
                                                     : WalkResult::advance();
                    })
                    .wasInterrupted())
    module = nullptr;
  if (!module)
    fmt::print(stderr, "smc: error: '{}' is not a valid model\n", path);
  return module;
}

func::FuncOp smc::findEntry(ModuleOp module, const std::string &path,
                            const std::string &name) {
  SmallVector<func::FuncOp> candidates;
  for (auto f : module.getOps<func::FuncOp>())
    if (!f.isExternal() && (name.empty() ? f.isPublic() : f.getName() == name))
      candidates.push_back(f);
  if (candidates.size() == 1)
    return candidates.front();
  if (!name.empty())
    fmt::print(stderr, "smc: error: {}: no function named '{}'\n", path, name);
  else if (candidates.empty())
    fmt::print(stderr, "smc: error: {}: no public function with a body\n",
               path);
  else
    fmt::print(stderr,
               "smc: error: {}: {} public functions; pick one with --entry\n",
               path, candidates.size());
  return nullptr;
}

std::unique_ptr<smc::LoadedModel> smc::openModel(const std::string &path,
                                                 const std::string &entry) {
  auto model = std::make_unique<LoadedModel>();
  model->ctx = makeContext();
  model->module = loadModel(*model->ctx, path);
  if (!model->module)
    return nullptr;
  model->entry = findEntry(*model->module, path, entry);
  if (!model->entry)
    return nullptr;
  return model;
}

std::string smc::describeType(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped) {
    std::string s;
    llvm::raw_string_ostream os(s);
    type.print(os);
    return s;
  }
  std::string dims;
  for (int64_t d : shaped.getShape()) {
    if (!dims.empty())
      dims += ", ";
    dims += ShapedType::isDynamic(d) ? "?" : std::to_string(d);
  }
  std::string elem;
  llvm::raw_string_ostream os(elem);
  shaped.getElementType().print(os);
  return fmt::format("[{}] {}", dims, elem);
}
