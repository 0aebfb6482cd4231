//===- Barriers.cpp - ordering a kernel's shared-memory accesses ----------===//
//
// Staged tiles are written by one set of threads and read by others, so a
// barrier must separate a write from the reads of the same tile (and a read
// from the next write of it, e.g. in the next iteration of a loop). Tiles
// are identified by their offset in the kernel's shared memory. A barrier
// is inserted just before the first access that needs one, so tiles staged
// together share a barrier, and never inside control flow that depends on
// the thread (a barrier there would hang): such a region gets its barrier
// before it.
//
//===----------------------------------------------------------------------===//

#include "passes/gpu/Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace smc;
using namespace smc::kernels;

namespace {

/// The tiles in shared memory that an op reads and writes.
struct Accesses {
  llvm::SmallDenseSet<int64_t> read, written;

  void merge(const Accesses &o) {
    read.insert(o.read.begin(), o.read.end());
    written.insert(o.written.begin(), o.written.end());
  }
  bool empty() const { return read.empty() && written.empty(); }
};

/// The offset of the staged tile `mem` views, if it is one.
std::optional<int64_t> tileOf(Value mem) {
  auto view = mem.getDefiningOp<memref::ViewOp>();
  if (!view || !view.getSource().getDefiningOp<gpu::DynamicSharedMemoryOp>())
    return std::nullopt;
  if (auto c = view.getByteShift().getDefiningOp<arith::ConstantIndexOp>())
    return c.value();
  return std::nullopt;
}

/// The direct accesses of one op (not of its regions).
Accesses accessesOf(Operation *op) {
  Accesses a;
  auto note = [&](Value mem, bool write) {
    if (auto t = tileOf(mem))
      (write ? a.written : a.read).insert(*t);
  };
  if (auto load = dyn_cast<vector::LoadOp>(op))
    note(load.getBase(), false);
  else if (auto store = dyn_cast<vector::StoreOp>(op))
    note(store.getBase(), true);
  else if (auto load = dyn_cast<memref::LoadOp>(op))
    note(load.getMemRef(), false);
  else if (auto store = dyn_cast<memref::StoreOp>(op))
    note(store.getMemRef(), true);
  else if (auto ld = dyn_cast<nvgpu::LdMatrixOp>(op))
    note(ld.getSrcMemref(), false);
  return a;
}

/// Everything `op` and its regions access.
Accesses allAccessesOf(Operation *op) {
  Accesses a;
  op->walk([&](Operation *inner) { a.merge(accessesOf(inner)); });
  return a;
}

class BarrierInserter {
public:
  explicit BarrierInserter(gpu::LaunchOp launch) {
    // Values that differ between the threads of a block.
    launch.getBody().walk([&](Operation *op) {
      bool variant = isa<gpu::ThreadIdOp, gpu::LaneIdOp>(op) ||
                     llvm::any_of(op->getOperands(), [&](Value v) {
                       return threadVariant.contains(v);
                     });
      if (variant)
        threadVariant.insert(op->result_begin(), op->result_end());
    });
    gpu::KernelDim3 tid = launch.getThreadIds();
    for (Value v : {tid.x, tid.y, tid.z})
      threadVariant.insert(v);
  }

  void run(Block &block, Accesses &state) {
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (auto loop = dyn_cast<scf::ForOp>(&op)) {
        // Enter as if an earlier iteration had run.
        Accesses inside = allAccessesOf(loop);
        if (inside.empty())
          continue;
        Accesses entry = state;
        entry.merge(inside);
        run(*loop.getBody(), entry);
        state.merge(entry);
        continue;
      }
      if (auto branch = dyn_cast<scf::IfOp>(&op);
          branch && !threadVariant.contains(branch.getCondition())) {
        Accesses out = state;
        for (Region *r : {&branch.getThenRegion(), &branch.getElseRegion()}) {
          if (r->empty())
            continue;
          Accesses s = state;
          run(r->front(), s);
          out.merge(s);
        }
        state = out;
        continue;
      }
      // Anything else, thread-dependent branches included, as one access.
      Accesses a = allAccessesOf(&op);
      bool conflict =
          llvm::any_of(a.read,
                       [&](int64_t t) { return state.written.contains(t); }) ||
          llvm::any_of(a.written,
                       [&](int64_t t) { return state.read.contains(t); });
      if (conflict) {
        OpBuilder b(&op);
        gpu::BarrierOp::create(b, op.getLoc());
        state = Accesses();
      }
      state.merge(a);
    }
  }

private:
  DenseSet<Value> threadVariant;
};

} // namespace

void smc::kernels::insertSharedMemoryBarriers(Operation *root) {
  root->walk([](gpu::LaunchOp launch) {
    Accesses state;
    BarrierInserter(launch).run(launch.getBody().front(), state);
  });
}
