//===- ElementwiseToGpu.cpp - elementwise generics as GPU kernels ---------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace smc {
#define GEN_PASS_DEF_ELEMENTWISETOGPU
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;

namespace {

constexpr int64_t kThreads = 256;

/// Whether `op` is an elementwise generic this pass can launch.
bool isLaunchable(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1)
    return false;
  if (op.getNumParallelLoops() != op.getNumLoops())
    return false;
  auto maps = op.getIndexingMapsArray();
  if (!maps.back().isIdentity())
    return false;
  return llvm::all_of(maps,
                      [](AffineMap m) { return m.isProjectedPermutation(); });
}

void launch(linalg::GenericOp op) {
  ImplicitLocOpBuilder b(op.getLoc(), op);
  Value out = op.getDpsInitOperand(0)->get();
  auto outType = cast<MemRefType>(out.getType());
  SmallVector<Value> dims;
  Value numel = arith::ConstantIndexOp::create(b, 1);
  for (int64_t i = 0; i < outType.getRank(); ++i) {
    dims.push_back(memref::DimOp::create(b, out, i));
    numel = arith::MulIOp::create(b, numel, dims.back());
  }
  Value threads = arith::ConstantIndexOp::create(b, kThreads);
  Value blocks = arith::CeilDivUIOp::create(b, numel, threads);
  Value one = arith::ConstantIndexOp::create(b, 1);
  auto launchOp = gpu::LaunchOp::create(b, blocks, one, one, threads, one, one);
  OpBuilder nb = OpBuilder::atBlockBegin(&launchOp.getBody().front());
  ImplicitLocOpBuilder kb(op.getLoc(), nb);
  Value idx = arith::AddIOp::create(
      kb, arith::MulIOp::create(kb, launchOp.getBlockIds().x, threads),
      launchOp.getThreadIds().x);
  Value inside =
      arith::CmpIOp::create(kb, arith::CmpIPredicate::ult, idx, numel);
  auto guard = scf::IfOp::create(kb, inside, /*withElseRegion=*/false);
  kb.setInsertionPointToStart(&guard.getThenRegion().front());
  // Row-major delinearization of the thread's element.
  SmallVector<Value> ivs(outType.getRank());
  Value rem = idx;
  for (int64_t i = outType.getRank() - 1; i >= 0; --i) {
    ivs[i] = arith::RemUIOp::create(kb, rem, dims[i]);
    rem = arith::DivUIOp::create(kb, rem, dims[i]);
  }
  IRMapping map;
  Block &body = op.getRegion().front();
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap m = op.getMatchingIndexingMap(&operand);
    SmallVector<Value> at;
    for (AffineExpr e : m.getResults())
      at.push_back(ivs[cast<AffineDimExpr>(e).getPosition()]);
    Value v = memref::LoadOp::create(kb, operand.get(), at);
    map.map(body.getArgument(operand.getOperandNumber()), v);
  }
  for (Operation &inner : body.without_terminator())
    kb.clone(inner, map);
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  memref::StoreOp::create(kb, map.lookup(yield.getOperand(0)), out, ivs);
  kb.setInsertionPointToEnd(&launchOp.getBody().front());
  gpu::TerminatorOp::create(kb);
  op.erase();
}

struct ElementwiseToGpuPass
    : smc::impl::ElementwiseToGpuBase<ElementwiseToGpuPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation().walk([&](linalg::GenericOp op) {
      if (isLaunchable(op))
        ops.push_back(op);
    });
    for (linalg::GenericOp op : ops)
      launch(op);
  }
};

} // namespace
