//===- Model.cpp - loading and verifying a model file ---------------------===//

#include "tools/smc/Model.h"
#include "tools/lib/InitSmc.h"

#include "dialect/sma/SmaOps.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/thread.h"

#include <fmt/core.h>

using namespace mlir;

/// The stack of the thread that parses a model: MLIR's parser recurses once
/// per nesting level of the input.
static constexpr unsigned kParserStackBytes = 1u << 30;
/// The deepest bracket nesting a model may have: far beyond any real model,
/// and well within kParserStackBytes.
static constexpr int kMaxNesting = 10000;

/// The deepest nesting of (), [], {} and <> in `text`, outside string
/// literals and comments ("->" is not a bracket).
static int bracketDepth(llvm::StringRef text) {
  int depth = 0, deepest = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') { // A string literal, with escapes.
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = std::min(text.find('\n', i), text.size());
      continue;
    }
    if (c == '(' || c == '[' || c == '{' || c == '<')
      deepest = std::max(deepest, ++depth);
    else if (c == ')' || c == ']' || c == '}' ||
             (c == '>' && (i == 0 || text[i - 1] != '-')))
      --depth;
  }
  return deepest;
}

std::unique_ptr<MLIRContext> smc::makeContext() {
  DialectRegistry registry;
  registerAllDialects(registry);
  auto ctx = std::make_unique<MLIRContext>(registry);
  ctx->loadAllAvailableDialects();
  return ctx;
}

OwningOpRef<ModuleOp> smc::loadModel(MLIRContext &ctx, const std::string &path,
                                     ModelSource &source) {
  std::string error;
  auto file = openInputFile(path, &error);
  if (!file) {
    fmt::print(stderr, "smc: error: cannot read '{}': {}\n", path, error);
    return nullptr;
  }
  if (int depth = bracketDepth(file->getBuffer()); depth > kMaxNesting) {
    fmt::print(stderr,
               "smc: error: '{}': brackets nested {} deep (at most {}); the "
               "input is not a valid model\n",
               path, depth, kMaxNesting);
    return nullptr;
  }
  llvm::SourceMgr &sourceMgr = source.sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  source.handler =
      std::make_unique<SourceMgrDiagnosticHandler>(sourceMgr, &ctx);
  // parseSourceFile verifies the module; errors are printed with locations.
  // MLIR's parser recurses per nesting level and has inputs it crashes on
  // (LLVM 22: `array<index: 1>`): it runs on a thread with a large stack,
  // and a crash inside it becomes a diagnostic instead of killing smc.
  OwningOpRef<ModuleOp> module;
  bool crashed = false;
  llvm::CrashRecoveryContext::Enable();
  llvm::thread parser(std::optional<unsigned>(kParserStackBytes), [&] {
    llvm::CrashRecoveryContext recovery;
    crashed = !recovery.RunSafely(
        [&] { module = parseSourceFile<ModuleOp>(sourceMgr, &ctx); });
  });
  parser.join();
  if (crashed) {
    (void)module.release(); // Half-built: not safe to destroy.
    fmt::print(stderr,
               "smc: error: '{}': internal error in MLIR's parser (upstream "
               "LLVM 22, e.g. on nesting too deep or a malformed dense "
               "array); the input is not a valid model\n",
               path);
    return nullptr;
  }
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
  model->module = loadModel(*model->ctx, path, model->source);
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
