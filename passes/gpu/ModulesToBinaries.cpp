//===- ModulesToBinaries.cpp - serialize gpu.modules in parallel ----------===//
//
// Upstream's gpu-module-to-binary serializes one gpu.module after another;
// a model has a module per kernel and serializing (LLVM's NVPTX backend,
// then ptxas) is most of its compile time, so the modules are serialized
// on the context's thread pool. Each serialization only reads its module
// and makes attributes (uniqued thread-safely by the context); the IR is
// changed afterwards, on this thread.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Threading.h"
#include "llvm/ADT/StringSwitch.h"

namespace smc {
#define GEN_PASS_DEF_GPUMODULESTOBINARIES
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;

namespace {

struct GpuModulesToBinaries
    : public smc::impl::GpuModulesToBinariesBase<GpuModulesToBinaries> {
  using Base::Base;

  void runOnOperation() override {
    auto kind =
        llvm::StringSwitch<std::optional<gpu::CompilationTarget>>(
            format.getValue())
            .Cases({"assembly", "isa"}, gpu::CompilationTarget::Assembly)
            .Cases({"binary", "bin"}, gpu::CompilationTarget::Binary)
            .Cases({"fatbinary", "fatbin"}, gpu::CompilationTarget::Fatbin)
            .Default(std::nullopt);
    if (!kind) {
      getOperation().emitError()
          << "format '" << format << "': expected isa, bin or fatbin";
      return signalPassFailure();
    }
    // The symbol table is built here, once, not lazily by the threads.
    SymbolTable table(getOperation());
    auto getTable = [&]() -> SymbolTable * { return &table; };
    gpu::TargetOptions options(/*toolkitPath=*/{}, /*librariesToLink=*/{},
                               /*cmdOptions=*/{}, /*elfSection=*/{}, *kind,
                               getTable);

    SmallVector<gpu::GPUModuleOp> modules(
        getOperation().getOps<gpu::GPUModuleOp>());
    SmallVector<SmallVector<Attribute>> objects(modules.size());
    if (failed(failableParallelForEachN(
            &getContext(), 0, modules.size(), [&](size_t i) {
              return serialize(modules[i], options, objects[i]);
            })))
      return signalPassFailure();

    for (auto [module, objs] : llvm::zip(modules, objects)) {
      OpBuilder b(module);
      gpu::BinaryOp::create(b, module.getLoc(), module.getName(),
                            /*offloadingHandler=*/nullptr,
                            b.getArrayAttr(objs));
      module->erase();
    }
  }

  /// One object per target of `module`.
  static LogicalResult serialize(gpu::GPUModuleOp module,
                                 const gpu::TargetOptions &options,
                                 SmallVector<Attribute> &objects) {
    if (!module.getTargetsAttr())
      return module.emitError("the module has no target attributes");
    for (Attribute attr : module.getTargetsAttr()) {
      auto target = dyn_cast<gpu::TargetAttrInterface>(attr);
      if (!target)
        return module.emitError() << "target " << attr
                                  << " does not implement TargetAttrInterface";
      std::optional<SmallVector<char, 0>> bytes =
          target.serializeToObject(module, options);
      if (!bytes)
        return module.emitError("serializing the module failed");
      Attribute object = target.createObject(module, *bytes, options);
      if (!object)
        return module.emitError("making the module's object failed");
      objects.push_back(object);
    }
    return success();
  }
};

} // namespace
