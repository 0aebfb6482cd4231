//===- FuseElementwise.cpp - work in progress ----------------------------------===//

#include "passes/Passes.h"

#include "dialect/tile/TileOps.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace smc {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace smc

namespace {
struct FuseElementwisePass : smc::impl::FuseElementwiseBase<FuseElementwisePass> {
  using Base::Base;
  void runOnOperation() override {
    getOperation()->emitError("FuseElementwise: not implemented yet");
    signalPassFailure();
  }
};
} // namespace
