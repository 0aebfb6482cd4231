//===- Pipelines.cpp - named pipelines (sma-to-cpu) -----------------------===//

#include "passes/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {

/// sma ops -> expanded loops on memrefs.
void addSmaStages(OpPassManager &pm, const smc::CpuPipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(smc::createDecomposeSsd());
  smc::SelectFormOptions select;
  select.target = options.target;
  select.forceForm = options.forceForm;
  select.chunk = options.chunk;
  pm.addNestedPass<func::FuncOp>(smc::createSelectForm(select));
  pm.addPass(smc::createExpandForms());
  pm.addPass(createCanonicalizerPass());
}

/// Tensors -> buffers, with deallocation of intermediates.
void addBufferization(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);
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
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

} // namespace

void smc::buildSmaToCpuPipeline(OpPassManager &pm,
                                const CpuPipelineOptions &options) {
  addSmaStages(pm, options);
  addBufferization(pm);
  addLowerToLlvm(pm);
}

void smc::registerSmcPipelines() {
  PassPipelineRegistration<CpuPipelineOptions>(
      "sma-to-cpu",
      "Lowers sma ops to the LLVM dialect for the host CPU: decompose, "
      "select forms, expand, bufferize, lower to LLVM",
      buildSmaToCpuPipeline);
}
