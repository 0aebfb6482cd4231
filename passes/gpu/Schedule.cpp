//===- Schedule.cpp - order kernel code for few live registers ------------===//
//
// Tiles are lowered op by op, each op on all of a thread's slots (in
// pieces), which would keep every intermediate tile alive at once; NVPTX
// schedules in source order, so the order of the IR is the order of the
// code. Moving each side-effect free op to just before its first use in
// its block turns the breadth-first order into depth-first chains that end
// in stores and products, while loads, which have effects, stay in place
// and are all issued before the chains that consume them.
//
//===----------------------------------------------------------------------===//

#include "passes/gpu/Patterns.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace smc;
using namespace smc::kernels;

namespace {

void sinkToUses(Block &block) {
  SmallVector<Operation *> ops;
  for (Operation &op : block)
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops)) {
    if (op->getNumRegions() || !isPure(op) || op->use_empty())
      continue;
    Operation *first = nullptr;
    for (Operation *user : op->getUsers()) {
      Operation *inBlock = block.findAncestorOpInBlock(*user);
      if (!inBlock)
        return;
      if (!first || inBlock->isBeforeInBlock(first))
        first = inBlock;
    }
    if (first && first != op->getNextNode())
      op->moveBefore(first);
  }
}

} // namespace

void smc::kernels::scheduleKernels(Operation *root) {
  root->walk([](gpu::LaunchOp launch) {
    launch.getBody().walk([](Block *block) { sinkToUses(*block); });
  });
}
