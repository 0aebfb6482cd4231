//===- TilesToLinalg.cpp - work in progress ----------------------------------===//

#include "passes/Passes.h"

#include "dialect/tile/TileOps.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace smc {
#define GEN_PASS_DEF_TILESTOLINALG
#include "passes/Passes.h.inc"
} // namespace smc

namespace {
struct TilesToLinalgPass : smc::impl::TilesToLinalgBase<TilesToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    getOperation()->emitError("TilesToLinalg: not implemented yet");
    signalPassFailure();
  }
};
} // namespace
