//===- Passes.h - smc passes and pipelines ----------------------*- C++ -*-===//

#ifndef SMC_PASSES_PASSES_H
#define SMC_PASSES_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace arith {
class ArithDialect;
}
namespace bufferization {
class BufferizationDialect;
}
namespace linalg {
class LinalgDialect;
}
namespace math {
class MathDialect;
}
namespace memref {
class MemRefDialect;
}
namespace scf {
class SCFDialect;
}
namespace tensor {
class TensorDialect;
}
namespace vector {
class VectorDialect;
}
namespace gpu {
class GPUDialect;
}
} // namespace mlir

namespace smc::tile {
class TileDialect;
}

namespace mlir::affine {
class AffineDialect;
}
namespace mlir::nvgpu {
class NVGPUDialect;
}

namespace mlir {
} // namespace mlir

namespace smc {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// The options every sma pipeline has: they drive form selection. The
/// target's default is `Derived::kDefaultTarget`.
template <typename Derived>
struct SmaPipelineOptions : public mlir::PassPipelineOptions<Derived> {
  template <typename T> using Option = mlir::detail::PassOptions::Option<T>;
  Option<std::string> forceForm{
      *this, "form", llvm::cl::desc("Force a dual form"), llvm::cl::init("")};
  Option<int64_t> chunk{*this, "chunk",
                        llvm::cl::desc("Force a chunk size (0: choose)"),
                        llvm::cl::init(0)};
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("Target whose parameters drive form selection"),
      llvm::cl::init(std::string(Derived::kDefaultTarget))};
};

/// Options of the `sma-to-cpu` pipeline.
struct CpuPipelineOptions : public SmaPipelineOptions<CpuPipelineOptions> {
  static constexpr const char *kDefaultTarget = "cpu";
};

/// Options of the `sma-to-nvvm` pipeline.
struct NvvmPipelineOptions : public SmaPipelineOptions<NvvmPipelineOptions> {
  static constexpr const char *kDefaultTarget = "h200";
  Option<std::string> chip{*this, "chip", llvm::cl::desc("GPU architecture"),
                           llvm::cl::init("sm_90")};
  Option<std::string> features{*this, "features",
                               llvm::cl::desc("PTX features"),
                               llvm::cl::init("+ptx80")};
  Option<std::string> format{
      *this, "format",
      llvm::cl::desc("What sma-gpu-modules-to-binaries emits: bin (cubin), isa "
                     "(PTX), fatbin, or none (stop before serialization)"),
      llvm::cl::init("bin")};
};

/// Builds sma -> host function of gpu.launch_func ops on memrefs, with the
/// kernels compiled to `format` in gpu.binary ops (what `smc compile`
/// packages into an artifact).
void buildSmaToNvvmPipeline(mlir::OpPassManager &pm,
                            const NvvmPipelineOptions &options);

/// Builds the GPU half of sma-to-nvvm: tile programs -> kernels -> NVVM.
void buildTilesToNvvmPipeline(mlir::OpPassManager &pm,
                              const NvvmPipelineOptions &options);

/// Builds sma -> LLVM dialect for the host CPU.
void buildSmaToCpuPipeline(mlir::OpPassManager &pm,
                           const CpuPipelineOptions &options);

/// Registers the named pipelines (`sma-to-cpu`, `sma-to-nvvm`).
void registerSmcPipelines();

} // namespace smc

#endif // SMC_PASSES_PASSES_H
