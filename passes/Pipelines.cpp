//===- Pipelines.cpp - named pipelines (sma-to-cpu) -----------------------===//

#include "passes/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/NVGPUToNVVM/NVGPUToNVVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {

/// sma ops -> forms chosen.
template <typename Options>
void addSelectForms(OpPassManager &pm, const Options &options) {
  pm.addNestedPass<func::FuncOp>(smc::createDecomposeSsd());
  smc::SelectFormOptions select;
  select.target = options.target;
  select.forceForm = options.forceForm;
  select.chunk = options.chunk;
  pm.addNestedPass<func::FuncOp>(smc::createSelectForm(select));
}

/// sma ops -> tile programs, with their elementwise producers and
/// consumers inside.
template <typename Options>
void addTilePrograms(OpPassManager &pm, const Options &options, bool gpu) {
  addSelectForms(pm, options);
  smc::DecomposeFormsOptions decompose;
  decompose.gpu = gpu;
  pm.addPass(smc::createDecomposeForms(decompose));
  pm.addNestedPass<func::FuncOp>(smc::createFuseElementwise());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(smc::createElementwiseToTiles());
  pm.addNestedPass<func::FuncOp>(smc::createFuseElementwise());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// Tensors -> buffers with identity layouts at function boundaries.
void addBufferize(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
}

/// Loops and buffers -> LLVM dialect.
void addLowerToLlvm(OpPassManager &pm) {
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true; // bf16 <-> f32 as integer ops: no libcalls.
  pm.addPass(arith::createArithExpandOpsPass(expand));
  // Math ops without a libm function (rsqrtf, float-to-integer powers)
  // become arithmetic first. (math.ipowi has no expansion upstream and
  // stays unsupported.)
  math::MathExpandOpsPassOptions mathExpand;
  mathExpand.opMnemonics = {"rsqrt", "fpowi"};
  pm.addPass(math::createMathExpandOpsPass(mathExpand));
  // LLVM intrinsics where there are some (absi, copysign, ...), libm calls
  // for the rest (erf, atan, cbrt, ...).
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  // Vector transfers (the CPU's tile.dot rows) become plain vector loads
  // and stores first. Row sums may add in any order (a tree, as the GPU's
  // shuffles do), not one element after another.
  ConvertVectorToLLVMPassOptions vectorOptions;
  vectorOptions.reassociateFPReductions = true;
  pm.addPass(createConvertVectorToLLVMPass(vectorOptions));
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

} // namespace

void smc::buildSmaToNvvmPipeline(OpPassManager &pm,
                                 const NvvmPipelineOptions &options) {
  addTilePrograms(pm, options, /*gpu=*/true);
  buildTilesToNvvmPipeline(pm, options);
}

void smc::buildTilesToNvvmPipeline(OpPassManager &pm,
                                   const NvvmPipelineOptions &options) {
  // Tile level -> kernels on memrefs.
  pm.addPass(smc::createAssignLayouts());
  pm.addPass(smc::createPipelineLoads());
  pm.addPass(smc::createTilesToGpu());
  pm.addPass(createCanonicalizerPass());
  addBufferize(pm);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Constants and index arithmetic move into the kernels, so launches take
  // only buffers and sizes.
  pm.addNestedPass<func::FuncOp>(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());

  GpuNVVMAttachTargetOptions attach;
  attach.chip = options.chip;
  attach.features = options.features;
  attach.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(attach));

  // Device code only: the host function stays at the memref + launch level
  // that `smc compile` turns into an artifact for the runtime.
  OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
  device.addPass(createSCFToControlFlowPass());
  // bf16 conversions stay arith.truncf / extf: NVPTX selects cvt.rn.bf16x2
  // for them (sm_80 and later), where an integer expansion costs ~8
  // instructions per element in every staging loop.
  device.addPass(arith::createArithExpandOpsPass());
  device.addPass(memref::createExpandStridedMetadataPass());
  device.addPass(createLowerAffinePass());
  // Float-to-integer powers have no NVVM lowering: arithmetic.
  math::MathExpandOpsPassOptions powers;
  powers.opMnemonics = {"fpowi"};
  device.addPass(math::createMathExpandOpsPass(powers));
  // Tensor-core ops (nvgpu.mma.sync) first, then the rest of the GPU ops.
  device.addPass(createConvertNVGPUToNVVMPass());
  ConvertGpuOpsToNVVMOpsOptions toNvvm;
  device.addPass(createConvertGpuOpsToNVVMOps(toNvvm));
  // Math ops libdevice has no function for (absi, trunc): LLVM intrinsics.
  device.addPass(createConvertMathToLLVMPass());
  device.addPass(createConvertNVVMToLLVMPass());
  device.addPass(createReconcileUnrealizedCastsPass());
  device.addPass(createCanonicalizerPass());
  device.addPass(createCSEPass());
  if (options.format != "none") {
    GpuModulesToBinariesOptions binary;
    binary.format = options.format;
    pm.addPass(createGpuModulesToBinaries(binary));
  }
}

void smc::buildSmaToCpuPipeline(OpPassManager &pm,
                                const CpuPipelineOptions &options) {
  addTilePrograms(pm, options, /*gpu=*/false);
  pm.addPass(smc::createTilesToLinalg());
  addBufferize(pm);
  // Tiles are allocated once per program, not once per loop iteration.
  pm.addNestedPass<func::FuncOp>(bufferization::createBufferLoopHoistingPass());
  // Tile windows made twice (by a store's copy and its materialization)
  // become one, so the self-copies left behind fold away.
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  addLowerToLlvm(pm);
}

void smc::registerSmcPipelines() {
  PassPipelineRegistration<NvvmPipelineOptions>(
      "sma-to-nvvm",
      "Lowers sma ops to GPU kernels compiled for NVVM targets: decompose, "
      "select forms, expand as gpu.launch kernels, outline, lower the "
      "kernels to NVVM and serialize them (the host function stays at the "
      "memref + gpu.launch_func level)",
      buildSmaToNvvmPipeline);
  PassPipelineRegistration<NvvmPipelineOptions>(
      "sma-tiles-to-nvvm",
      "The GPU half of sma-to-nvvm: tile programs (from "
      "sma-decompose-forms{gpu}) to laid-out tiles, kernels and NVVM "
      "(form options are unused)",
      buildTilesToNvvmPipeline);
  PassPipelineRegistration<CpuPipelineOptions>(
      "sma-to-cpu",
      "Lowers sma ops to the LLVM dialect for the host CPU: decompose, "
      "select forms, expand, bufferize, lower to LLVM",
      buildSmaToCpuPipeline);
  PassPipelineRegistration<>(
      "sma-lower-to-llvm",
      "The last stage of sma-to-cpu: loops and buffers to the LLVM dialect "
      "(for tests that lower tile programs)",
      addLowerToLlvm);
}
