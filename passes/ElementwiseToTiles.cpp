//===- ElementwiseToTiles.cpp - lone elementwise ops as tile programs -----===//
//
// An elementwise linalg.generic that no tile program absorbed (its result
// is returned, or used twice) becomes a tile program of its own: a program
// that copies the generic's result tile by tile, into which
// sma-fuse-elementwise (run next) pulls the generic. So every elementwise op
// reaches both targets through the same tile level, with no GPU-only
// lowering of its own.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/forms/TileBuilder.h"

#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace smc {
#define GEN_PASS_DEF_ELEMENTWISETOTILES
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;
using namespace smc::forms;

namespace {

/// Elements of the last dim per tile, at most.
constexpr int64_t kMaxTile = 256;

/// A generic worth a program: one ranked tensor result of rank 1 to 4 into
/// an init it does not read, and only parallel loops with an identity
/// output map. Whether its inputs fuse is sma-fuse-elementwise's call.
bool isElementwise(linalg::GenericOp g) {
  if (!g.hasPureTensorSemantics() || g.getNumResults() != 1 ||
      g.getNumDpsInits() != 1 || g.getNumParallelLoops() != g.getNumLoops() ||
      !g.getIndexingMapsArray().back().isIdentity() ||
      !g.getRegion().front().getArguments().back().use_empty())
    return false;
  auto type = dyn_cast<RankedTensorType>(g.getResult(0).getType());
  return type && type.getRank() >= 1 && type.getRank() <= 4;
}

/// `result = copy(value)` as a tile program: a program per row of the last
/// dim and tile of up to kMaxTile elements along it.
void wrapInCopy(linalg::GenericOp g) {
  OpBuilder ob(g->getBlock(), std::next(g->getIterator()));
  TileBuilder b(g.getLoc(), ob);
  Value value = g.getResult(0);
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<Value> sizes, dynamic;
  SmallPtrSet<Operation *, 4> copy;
  for (int64_t d = 0; d < rank; ++d) {
    sizes.push_back(tensor::DimOp::create(b, value, d));
    copy.insert(sizes.back().getDefiningOp());
    if (type.isDynamicDim(d))
      dynamic.push_back(sizes.back());
  }
  Value init = tensor::EmptyOp::create(b, type, dynamic);
  auto program =
      tile::ProgramOp::create(b, ValueRange{value}, ValueRange{init});
  copy.insert(program);
  value.replaceUsesWithIf(program.getResult(0), [&](OpOperand &use) {
    return !copy.contains(use.getOwner());
  });

  OpBuilder ib = OpBuilder::atBlockTerminator(&program.getBody().front());
  TileBuilder pb(g.getLoc(), ib);
  int64_t last = type.getShape().back();
  int64_t kTile = ShapedType::isDynamic(last)
                      ? kMaxTile
                      : std::min<int64_t>(kMaxTile, llvm::PowerOf2Ceil(last));
  SmallVector<Value> grid(sizes.begin(), sizes.end() - 1);
  grid.push_back(pb.ceildiv(sizes.back(), kTile));
  Value in = program.getInputBuffer(0), out = program.getOutputBuffer(0);
  pb.grid(grid, /*warps=*/4, [&](TileBuilder &b, ValueRange at) {
    SmallVector<Value> idx(at.drop_back());
    Value first = b.muli(at.back(), kTile);
    idx.push_back(first);
    Value left = b.subi(b.maxui(sizes.back(), first), first);
    Value bound = b.minui(left, b.index(kTile));
    Value t = b.load(in, idx, {rank - 1}, {kTile}, {bound});
    b.store(t, out, idx, {rank - 1}, {bound});
  });
}

struct ElementwiseToTilesPass
    : smc::impl::ElementwiseToTilesBase<ElementwiseToTilesPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> lone;
    getOperation().walk([&](linalg::GenericOp g) {
      if (g->getParentOfType<tile::ProgramOp>() || !isElementwise(g))
        return;
      // Already a tile program's input: fusion decides. Sizes taken from
      // the result (tensor.dim) fold to its operands', so they are no use.
      auto users = g.getResult(0).getUsers();
      if (llvm::any_of(users, [](Operation *user) {
            return isa<tile::ProgramOp>(user);
          }) ||
          llvm::all_of(users,
                       [](Operation *user) { return isa<tensor::DimOp>(user); }))
        return;
      lone.push_back(g);
    });
    for (linalg::GenericOp g : lone)
      wrapInCopy(g);
  }
};

} // namespace
