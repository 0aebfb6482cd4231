//===- PipelineLoads.cpp - issue the next iteration's loads early ---------===//
//
// Software pipelining of the tile loops that feed tensor-core products (the
// state scans): the loads of iteration k + 1 are issued in iteration k as
// soon as iteration k's values from them are consumed (staged in shared
// memory), so they are in flight while the products of iteration k run.
// The loaded tiles are carried to the next iteration in registers; the
// last iteration reloads its own tiles (clamped), which are never used.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace smc {
#define GEN_PASS_DEF_PIPELINELOADS
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;

namespace {

/// Whether the loop runs at least once: it is the body of
/// `scf.if (lb < ub)`.
bool runsAtLeastOnce(scf::ForOp loop) {
  auto guard = dyn_cast<scf::IfOp>(loop->getParentOp());
  if (!guard)
    return false;
  auto cmp = guard.getCondition().getDefiningOp<arith::CmpIOp>();
  return cmp && cmp.getPredicate() == arith::CmpIPredicate::ult &&
         cmp.getLhs() == loop.getLowerBound() &&
         cmp.getRhs() == loop.getUpperBound();
}

/// The ops of the loop body that `load` depends on, in order, if they are
/// all side-effect free and read only the induction variable and values
/// from outside the loop; nullopt otherwise.
std::optional<SmallVector<Operation *>> sliceOf(scf::ForOp loop,
                                                tile::LoadOp load) {
  SetVector<Operation *> slice;
  SmallVector<Value> worklist(load->getOperands());
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (v == loop.getInductionVar())
      continue;
    Operation *def = v.getDefiningOp();
    if (!def) {
      if (cast<BlockArgument>(v).getOwner() == loop.getBody())
        return std::nullopt; // A carried value.
      continue;
    }
    if (!loop->isAncestor(def))
      continue;
    if (def->getBlock() != loop.getBody() || !isPure(def) ||
        def->getNumRegions())
      return std::nullopt;
    if (slice.insert(def))
      worklist.append(def->operand_begin(), def->operand_end());
  }
  SmallVector<Operation *> ordered(slice.begin(), slice.end());
  llvm::sort(ordered,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ordered;
}

/// `load` and its slice cloned at `b` for induction variable `iv`.
Value cloneLoad(OpBuilder &b, scf::ForOp loop, tile::LoadOp load,
                ArrayRef<Operation *> slice, Value iv) {
  IRMapping map;
  map.map(loop.getInductionVar(), iv);
  for (Operation *op : slice)
    b.clone(*op, map);
  return b.clone(*load, map)->getResult(0);
}

void pipeline(scf::ForOp loop) {
  SmallVector<tile::LoadOp> loads;
  SmallVector<SmallVector<Operation *>> slices;
  for (auto load : loop.getBody()->getOps<tile::LoadOp>())
    if (auto slice = sliceOf(loop, load)) {
      loads.push_back(load);
      slices.push_back(*slice);
    }
  if (loads.empty())
    return;

  // The first iteration's tiles, loaded before the loop.
  OpBuilder b(loop);
  SmallVector<Value> first;
  for (auto [load, slice] : llvm::zip(loads, slices))
    first.push_back(cloneLoad(b, loop, load, slice, loop.getLowerBound()));

  // The loop carries them.
  IRRewriter rewriter(loop.getContext());
  auto newLoop = cast<scf::ForOp>(*loop.replaceWithAdditionalYields(
      rewriter, first, /*replaceInitOperandUsesInLoop=*/false,
      [&](OpBuilder &, Location, ArrayRef<BlockArgument> carried) {
        return SmallVector<Value>(carried.begin(), carried.end());
      }));
  Block *body = newLoop.getBody();
  auto carried = newLoop.getRegionIterArgs().take_back(loads.size());
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  Location loc = newLoop.getLoc();
  for (auto [i, load] : llvm::enumerate(loads)) {
    // After the last use of this iteration's tile, the next one's loads.
    Operation *last = load;
    for (Operation *user : load->getUsers()) {
      Operation *inBody = body->findAncestorOpInBlock(*user);
      if (inBody && last->isBeforeInBlock(inBody))
        last = inBody;
    }
    b.setInsertionPointAfter(last);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value next = arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, newLoop.getInductionVar(), one),
        arith::SubIOp::create(b, loc, newLoop.getUpperBound(), one));
    Value ahead = cloneLoad(b, newLoop, load, slices[i], next);
    load.getResult().replaceAllUsesWith(carried[i]);
    yield->setOperand(yield.getNumOperands() - loads.size() + i, ahead);
    load.erase();
  }
}

struct PipelineLoadsPass : smc::impl::PipelineLoadsBase<PipelineLoadsPass> {
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      bool feedsProducts = false;
      loop.getBody()->walk([&](tile::DotOp) { feedsProducts = true; });
      if (feedsProducts && loop->getParentOfType<tile::GridOp>() &&
          runsAtLeastOnce(loop))
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops)
      pipeline(loop);
  }
};

} // namespace
