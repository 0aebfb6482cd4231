//===- AssignLayouts.cpp - choose a GPU layout for every tile -------------===//
//
// Every tile value in a grid gets an encoding saying how the program's
// threads hold it (docs/codegen.md):
//   - values joined by elementwise ops, loops and accumulators form classes
//     that share one layout;
//   - a class holding a tile.dot accumulator is #tile.mma, one holding a
//     tile.cumsum the one-warp scan layout, other 2-d classes the default
//     #tile.blocked, and 1-d classes the #tile.slice that the broadcasts
//     reading them (or the sums producing them) need;
//   - where a use needs another layout, cheap producers (loads, splats,
//     constants, ranges) are recomputed in it, tile.dot operands are staged
//     in #tile.shared, and anything else goes through shared memory;
//   - each staged tile gets an offset in the program's shared memory.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/gpu/Layouts.h"

#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/CSE.h"

namespace smc {
#define GEN_PASS_DEF_ASSIGNLAYOUTS
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;
using namespace smc::kernels;

namespace {

/// Elements of each shared row past the tile, so that the rows a warp
/// reads at once (8 of them, 16 bytes each) fall in distinct banks.
constexpr int64_t kSharedPadBytes = 16;

bool isTile(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape();
}

/// Gives `v` the type `t`; a constant's value gets it too.
void setTileType(Value v, RankedTensorType t);

/// A copy of `v`'s producers (see isRematerializable) computing it in the
/// layout of `type`, built before `before`.
Value rematerialize(OpBuilder &b, Value v, RankedTensorType type) {
  Operation *def = v.getDefiningOp();
  IRMapping map;
  for (Value operand : def->getOperands())
    if (isTile(operand))
      map.map(operand,
              rematerialize(
                  b, operand,
                  RankedTensorType::get(
                      cast<RankedTensorType>(operand.getType()).getShape(),
                      getElementTypeOrSelf(operand.getType()),
                      type.getEncoding())));
  Operation *copy = b.clone(*def, map);
  setTileType(copy->getResult(0),
              RankedTensorType::get(type.getShape(),
                                    getElementTypeOrSelf(v.getType()),
                                    type.getEncoding()));
  return copy->getResult(0);
}

bool isElementwise(Operation *op) {
  return isa<tile::MapOp>(op) || op->hasTrait<OpTrait::Elementwise>();
}

/// Producers that are cheaper to recompute in another layout than to move:
/// loads, splats, constants, ranges, and elementwise ops of those.
bool isRematerializable(Value v) {
  Operation *op = v.getDefiningOp();
  // Scans and sums work in their operand's own layout.
  if (!op || llvm::any_of(v.getUsers(), [](Operation *user) {
        return isa<tile::CumsumOp, tile::SumOp>(user);
      }))
    return false;
  if (isa<tensor::SplatOp, arith::ConstantOp, tile::RangeOp, tile::LoadOp>(op))
    return true;
  return op->hasTrait<OpTrait::Elementwise>() &&
         llvm::all_of(op->getOperands(), [](Value operand) {
           return !isTile(operand) || isRematerializable(operand);
         });
}

int64_t bitWidth(Type elem) {
  return elem.isIndex() ? 64 : elem.getIntOrFloatBitWidth();
}

void setTileType(Value v, RankedTensorType t) {
  v.setType(t);
  if (auto c = v.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseElementsAttr>(c.getValue()))
      c.setValueAttr(dense.reshape(t));
}

Attribute sharedLayout(MLIRContext *ctx, Type elem) {
  int64_t pad = std::max<int64_t>(1, kSharedPadBytes * 8 / bitWidth(elem));
  return tile::SharedLayoutAttr::get(ctx, pad);
}

class Assignment {
public:
  Assignment(tile::GridOp grid)
      : grid(grid), ctx(grid.getContext()),
        warps(grid.getNumWarps().value_or(4)) {}

  LogicalResult run() {
    sinkTileConstants();
    buildClasses();
    if (failed(decide()))
      return failure();
    applyTypes();
    assignFlexible();
    return insertConversions();
  }

private:
  /// Tiles a grid uses but does not define (constants that canonicalization
  /// hoisted) are recomputed inside it, so that each grid lays out its own.
  void sinkTileConstants() {
    DenseMap<Value, Value> copies;
    grid.walk([&](Operation *op) {
      for (OpOperand &use : op->getOpOperands()) {
        Value v = use.get();
        Operation *def = v.getDefiningOp();
        if (!isTile(v) || !def || grid->isAncestor(def))
          continue;
        Value &copy = copies[v];
        if (!copy) {
          OpBuilder b = OpBuilder::atBlockBegin(&grid.getBody().front());
          copy = b.clone(*def)->getResult(0);
        }
        use.set(copy);
      }
    });
  }

  //===--------------------------------------------------------------------===//
  // Classes of values that share a layout
  //===--------------------------------------------------------------------===//

  Value find(Value v) {
    auto it = parent.find(v);
    if (it == parent.end()) {
      parent[v] = v;
      return v;
    }
    if (it->second == v)
      return v;
    Value root = find(it->second);
    parent[v] = root;
    return root;
  }
  void join(Value a, Value b) {
    // Cheap producers take each consumer's layout instead (see
    // assignFlexible), so they never tie two classes together.
    if (!isTile(a) || !isTile(b) || isRematerializable(a) ||
        isRematerializable(b))
      return;
    Value ra = find(a), rb = find(b);
    if (ra != rb)
      parent[ra] = rb;
  }

  void buildClasses() {
    grid.walk([&](Operation *op) {
      for (Value r : op->getResults())
        if (isTile(r) && !isRematerializable(r))
          find(r);
      if (isElementwise(op)) {
        for (Value v : op->getOperands())
          join(v, op->getResult(0));
      } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
        for (auto [init, arg, res] :
             llvm::zip(loop.getInitArgs(), loop.getRegionIterArgs(),
                       loop.getResults())) {
          join(init, arg);
          join(arg, res);
        }
        auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
        for (auto [y, res] : llvm::zip(yield.getOperands(), loop.getResults()))
          join(y, res);
      } else if (auto branch = dyn_cast<scf::IfOp>(op)) {
        for (Region *r : {&branch.getThenRegion(), &branch.getElseRegion()})
          if (!r->empty())
            for (auto [y, res] :
                 llvm::zip(r->front().getTerminator()->getOperands(),
                           branch.getResults()))
              join(y, res);
      } else if (auto dot = dyn_cast<tile::DotOp>(op)) {
        join(dot.getAcc(), dot.getResult());
      } else if (auto scan = dyn_cast<tile::CumsumOp>(op)) {
        join(scan.getInput(), scan.getResult());
      }
    });
  }

  //===--------------------------------------------------------------------===//
  // Layouts of the classes
  //===--------------------------------------------------------------------===//

  LogicalResult decide() {
    // Anchors: accumulators and scans.
    LogicalResult ok = success();
    grid.walk([&](Operation *op) {
      if (auto dot = dyn_cast<tile::DotOp>(op)) {
        int64_t rows = dot.getType().getDimSize(0);
        if (rows % (16 * warps)) {
          ok = dot.emitOpError()
               << "needs a multiple of " << 16 * warps << " rows for " << warps
               << " warps on the GPU, got " << rows;
          return;
        }
        setClass(dot.getResult(), tile::MmaLayoutAttr::get(ctx, warps));
      } else if (auto scan = dyn_cast<tile::CumsumOp>(op)) {
        if (warps != 1) {
          ok = scan.emitOpError("runs in a one-warp grid on the GPU");
          return;
        }
        setClass(scan.getResult(), scanLayout(ctx));
      }
    });
    if (failed(ok))
      return failure();
    // Other 2-d classes: blocked, pieces as wide as their loads' elements.
    for (Value v : values())
      if (rank(v) == 2 && !layoutOf(v))
        setClass(v, defaultBlockedLayout(ctx, shape(v), elementBits(v), warps));
    // 1-d classes: what the sums producing them and the broadcasts reading
    // them need, until nothing changes; then blocked.
    for (bool changed = true; changed;) {
      changed = false;
      grid.walk([&](Operation *op) {
        if (auto sum = dyn_cast<tile::SumOp>(op)) {
          if (layoutOf(sum.getResult()) || !layoutOf(sum.getInput()))
            return;
          setClass(sum.getResult(), tile::SliceLayoutAttr::get(
                                        ctx, sum.getDim(), sumSource(sum)));
          changed = true;
        } else if (auto b = dyn_cast<tile::BroadcastOp>(op)) {
          if (layoutOf(b.getSource()) || !layoutOf(b.getResult()) ||
              b.getDims().size() != 1)
            return;
          setClass(b.getSource(), sliceFor(b));
          changed = true;
        }
      });
    }
    for (Value v : values())
      if (!layoutOf(v))
        setClass(v, defaultBlockedLayout(ctx, shape(v), elementBits(v), warps));
    return success();
  }

  /// The layout a sum reads its input in: the one its result is a slice
  /// of, once that is set (sums of one class share it); else the input's
  /// own when that is blocked with one warp along the summed dim (sums
  /// stay within warps), else a blocked one with the warps along the other
  /// dim, which the input is converted to (an accumulator's, say).
  Attribute sumSource(tile::SumOp sum) {
    int64_t dim = sum.getDim();
    if (auto slice =
            dyn_cast_or_null<tile::SliceLayoutAttr>(layoutOf(sum.getResult())))
      if (slice.getDim() == dim)
        return slice.getParent();
    auto in =
        dyn_cast_or_null<tile::BlockedLayoutAttr>(layoutOf(sum.getInput()));
    if (in && in.getWarps()[dim] == 1)
      return in;
    auto blocked = cast<tile::BlockedLayoutAttr>(
        defaultBlockedLayout(ctx, shape(sum.getInput()), 32, warps));
    SmallVector<int64_t> across = {warps, 1};
    if (dim == 0)
      std::swap(across[0], across[1]);
    return tile::BlockedLayoutAttr::get(ctx, blocked.getSize(),
                                        blocked.getThreads(), across);
  }

  /// The layout a broadcast's source needs.
  Attribute sliceFor(tile::BroadcastOp b) {
    return tile::SliceLayoutAttr::get(ctx, b.getDims()[0],
                                      layoutOf(b.getResult()));
  }

  /// The narrowest elements the class loads (directly, or through the
  /// cheap producers its ops read): pieces of 16 bytes of them.
  int64_t elementBits(Value v) {
    Value root = find(v);
    int64_t bits = 32;
    std::function<void(Value)> note = [&](Value x) {
      Operation *def = x.getDefiningOp();
      if (!def || !isTile(x))
        return;
      if (auto load = dyn_cast<tile::LoadOp>(def)) {
        bits = std::min<int64_t>(
            bits, bitWidth(getElementTypeOrSelf(load.getType())));
        return;
      }
      if (isRematerializable(x))
        for (Value operand : def->getOperands())
          note(operand);
    };
    for (Value m : values()) {
      if (find(m) != root)
        continue;
      note(m);
      // Operands of the tile's own shape (not 1-d sources of broadcasts).
      if (Operation *def = m.getDefiningOp())
        for (Value operand : def->getOperands())
          if (operand.getType() == m.getType() ||
              (isTile(operand) && shape(operand) == shape(m)))
            note(operand);
    }
    return bits;
  }

  //===--------------------------------------------------------------------===//
  // Types and conversions
  //===--------------------------------------------------------------------===//

  void applyTypes() {
    for (Value v : values())
      setTileType(v,
                  withLayout(cast<RankedTensorType>(v.getType()), layoutOf(v)));
    // Loops and branches carry the types of their results.
    grid.walk([&](scf::ForOp loop) {
      for (auto [arg, res] :
           llvm::zip(loop.getRegionIterArgs(), loop.getResults()))
        arg.setType(res.getType());
    });
  }

  /// The layout use `operand` of `user` needs; null when any will do.
  Attribute required(Operation *user, unsigned operand) {
    Value v = user->getOperand(operand);
    auto encoding = [](Value x) {
      return cast<RankedTensorType>(x.getType()).getEncoding();
    };
    if (isElementwise(user))
      return encoding(user->getResult(0));
    if (auto yield = dyn_cast<scf::YieldOp>(user)) {
      Operation *parent = yield->getParentOp();
      return isTile(parent->getResult(operand))
                 ? encoding(parent->getResult(operand))
                 : nullptr;
    }
    if (auto loop = dyn_cast<scf::ForOp>(user)) {
      unsigned first = loop.getNumControlOperands();
      return operand < first
                 ? nullptr
                 : encoding(loop.getRegionIterArgs()[operand - first]);
    }
    if (auto b = dyn_cast<tile::BroadcastOp>(user))
      return sliceFor(b);
    if (auto sum = dyn_cast<tile::SumOp>(user))
      return sumSource(sum);
    if (auto dot = dyn_cast<tile::DotOp>(user)) {
      if (operand == 2)
        return encoding(dot.getResult());
      auto type = cast<RankedTensorType>(v.getType());
      bool fromRegisters =
          operand == 0 && !dot.getTransposeA() &&
          bitWidth(type.getElementType()) == 16 &&
          isa_and_nonnull<tile::MmaLayoutAttr>(type.getEncoding());
      if (fromRegisters)
        return nullptr;
      return sharedLayout(ctx, type.getElementType());
    }
    return nullptr;
  }

  /// Each cheap producer takes the register layout its first use needs
  /// (users first, so producers of producers follow); other uses get
  /// copies in theirs (insertConversions). One needed only in shared
  /// memory is staged from the default blocked layout.
  void assignFlexible() {
    SmallVector<Operation *> ops;
    DenseMap<Operation *, size_t> order;
    grid.walk<WalkOrder::PreOrder>([&](Operation *op) {
      order[op] = ops.size();
      ops.push_back(op);
    });
    for (Operation *op : llvm::reverse(ops)) {
      for (Value v : op->getResults()) {
        if (!isTile(v) || !isRematerializable(v))
          continue;
        Attribute layout;
        SmallVector<OpOperand *> uses;
        for (OpOperand &use : v.getUses())
          uses.push_back(&use);
        llvm::sort(uses, [&](OpOperand *a, OpOperand *b) {
          return order.lookup(a->getOwner()) < order.lookup(b->getOwner());
        });
        for (OpOperand *use : uses) {
          Attribute want = required(use->getOwner(), use->getOperandNumber());
          if (want && !isa<tile::SharedLayoutAttr>(want)) {
            layout = want;
            break;
          }
        }
        if (!layout)
          layout = defaultBlockedLayout(
              ctx, shape(v), bitWidth(getElementTypeOrSelf(v.getType())),
              warps);
        setTileType(v, withLayout(cast<RankedTensorType>(v.getType()), layout));
      }
    }
  }

  LogicalResult insertConversions() {
    SmallVector<std::pair<Operation *, unsigned>> uses;
    grid.walk([&](Operation *op) {
      for (OpOperand &use : op->getOpOperands())
        if (isTile(use.get()))
          uses.push_back({op, use.getOperandNumber()});
    });
    for (auto [user, operand] : uses) {
      Value v = user->getOperand(operand);
      Attribute want = required(user, operand);
      auto type = cast<RankedTensorType>(v.getType());
      if (!want || want == type.getEncoding())
        continue;
      auto wantType = withLayout(type, want);
      OpBuilder b(user);
      if (!isa<tile::SharedLayoutAttr>(want) && isRematerializable(v)) {
        // Recomputed, in the layout it is needed in, just before the use
        // (or before the loop holding it), so it is not live for longer.
        b.setInsertionPoint(v.getParentBlock()->findAncestorOpInBlock(*user));
        user->setOperand(operand, rematerialize(b, v, wantType));
        continue;
      }
      b.setInsertionPoint(stagingPoint(v, user));
      if (isa<tile::SharedLayoutAttr>(want)) {
        user->setOperand(operand, tile::ConvertLayoutOp::create(
                                      b, user->getLoc(), wantType, v)
                                      .getResult());
        continue;
      }
      // Register to register: through shared memory.
      auto staged = tile::ConvertLayoutOp::create(
          b, user->getLoc(),
          withLayout(type, sharedLayout(ctx, type.getElementType())), v);
      user->setOperand(
          operand, tile::ConvertLayoutOp::create(b, user->getLoc(), wantType,
                                                 staged.getResult()));
    }
    return success();
  }

  /// Where a tile staged for `user` is written to shared memory: late, so
  /// that the loads of a block are all issued before its first store, and
  /// no later than the first tile.dot after `v` in its block, so the tiles
  /// staged for the products share one barrier.
  Operation *stagingPoint(Value v, Operation *user) {
    Block *block = v.getParentBlock();
    Operation *use = block->findAncestorOpInBlock(*user);
    Operation *start =
        v.getDefiningOp() ? v.getDefiningOp()->getNextNode() : &block->front();
    for (Operation *op = start; op && op != use; op = op->getNextNode()) {
      bool hasDot = false;
      op->walk([&](tile::DotOp) { hasDot = true; });
      if (hasDot)
        return op;
    }
    return use;
  }

  //===--------------------------------------------------------------------===//
  // Helpers
  //===--------------------------------------------------------------------===//

  SmallVector<Value> values() {
    SmallVector<Value> out;
    for (auto &[v, p] : parent)
      out.push_back(v);
    return out;
  }
  void setClass(Value v, Attribute layout) { classLayout[find(v)] = layout; }
  Attribute layoutOf(Value v) {
    if (!isTile(v))
      return nullptr;
    return classLayout.lookup(find(v));
  }
  static int64_t rank(Value v) {
    return cast<RankedTensorType>(v.getType()).getRank();
  }
  static ArrayRef<int64_t> shape(Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  }

  tile::GridOp grid;
  MLIRContext *ctx;
  int64_t warps;
  llvm::MapVector<Value, Value> parent;
  DenseMap<Value, Attribute> classLayout;
};

/// Gives each tile staged in shared memory an offset in its program's
/// shared memory, and the grid the total.
void planSharedMemory(tile::GridOp grid) {
  int64_t bytes = 0;
  grid.walk([&](tile::ConvertLayoutOp op) {
    auto type = op.getType();
    auto shared = dyn_cast<tile::SharedLayoutAttr>(type.getEncoding());
    if (!shared)
      return;
    int64_t elems = type.getDimSize(0);
    if (type.getRank() == 2)
      elems *= type.getDimSize(1) + shared.getPad();
    op.setOffset(bytes);
    bytes =
        llvm::alignTo(bytes + elems * bitWidth(type.getElementType()) / 8, 128);
  });
  grid->setAttr(
      "tile.shared_bytes",
      IntegerAttr::get(IntegerType::get(grid.getContext(), 64), bytes));
}

struct AssignLayoutsPass : smc::impl::AssignLayoutsBase<AssignLayoutsPass> {
  void runOnOperation() override {
    SmallVector<tile::GridOp> grids;
    getOperation().walk([&](tile::GridOp g) { grids.push_back(g); });
    for (tile::GridOp grid : grids) {
      if (failed(Assignment(grid).run()))
        return signalPassFailure();
    }
    // Tiles staged twice are staged once.
    IRRewriter rewriter(&getContext());
    DominanceInfo dominance;
    eliminateCommonSubExpressions(rewriter, dominance, getOperation());
    for (tile::GridOp grid : grids)
      planSharedMemory(grid);
  }
};

} // namespace
