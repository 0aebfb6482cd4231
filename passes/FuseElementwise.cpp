//===- FuseElementwise.cpp - pointwise generics into tile programs --------===//
//
// A pointwise linalg.generic that computes an input of a tile.program is
// evaluated where the program loads that input, on loads of the generic's
// own inputs; one that consumes a result is evaluated where the program
// stores it. The prologue and epilogue of a contraction then never make a
// round trip through memory of their own.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialect/tile/TileOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SmallVectorExtras.h"

namespace smc {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;

namespace {

/// Whether `v` is available at `op`: defined in a block enclosing `op`, and
/// before it there.
bool isDefinedBefore(Value v, Operation *op) {
  Block *block = isa<BlockArgument>(v) ? cast<BlockArgument>(v).getOwner()
                                       : v.getDefiningOp()->getBlock();
  Operation *ancestor = block->findAncestorOpInBlock(*op);
  if (!ancestor)
    return false;
  Operation *def = v.getDefiningOp();
  return !def || def->isBeforeInBlock(ancestor);
}

/// Whether elements of `type` have a zero to pad tiles with.
bool isTileElement(Type type) {
  return isa<FloatType, IntegerType, IndexType>(type);
}

/// Whether a map reads some loop dims in increasing order, as a tile.load
/// reads memref dims: (b, t, h, p) -> (b, t, h) or -> (h), never -> (h, b).
bool isIncreasingProjection(AffineMap map) {
  if (map.getNumSymbols() != 0)
    return false;
  int64_t last = -1;
  for (AffineExpr e : map.getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim || static_cast<int64_t>(dim.getPosition()) <= last)
      return false;
    last = dim.getPosition();
  }
  return true;
}

/// A generic whose result element i depends only on input elements at (a
/// projection of) i: one tensor result into an init it does not read, all
/// loops parallel, the identity output map, increasing projections for the
/// inputs, and a body of ops without memory effects that can run outside a
/// linalg op (no linalg.index) with the values it captures available at
/// `at`.
bool isPointwise(linalg::GenericOp g, Operation *at) {
  if (!g.hasPureTensorSemantics() || g.getNumResults() != 1 ||
      g.getNumDpsInits() != 1 || g.getNumParallelLoops() != g.getNumLoops())
    return false;
  Block &body = g.getRegion().front();
  if (!body.getArguments().back().use_empty() ||
      !g.getIndexingMapsArray().back().isIdentity() ||
      !isTileElement(getElementTypeOrSelf(g.getResult(0).getType())))
    return false;
  for (OpOperand *in : g.getDpsInputOperands())
    if (!isa<RankedTensorType>(in->get().getType()) ||
        !isIncreasingProjection(g.getMatchingIndexingMap(in)))
      return false;
  for (Operation &op : body.without_terminator())
    if (!isMemoryEffectFree(&op))
      return false;
  if (g.getRegion()
          .walk([](linalg::IndexOp) { return WalkResult::interrupt(); })
          .wasInterrupted())
    return false;
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(g.getRegion(), captured);
  return llvm::all_of(captured,
                      [&](Value v) { return isDefinedBefore(v, at); });
}

/// Whether `g`'s body yields zero when every input is zero, found by
/// folding it on zeros. Then a tile computed from zero-padded loads of all
/// the inputs is zero-padded too, as a load of the result would be.
bool yieldsZeroOnZeros(linalg::GenericOp g) {
  Block &body = g.getRegion().front();
  Builder b(g.getContext());
  DenseMap<Value, Attribute> known;
  for (BlockArgument arg : body.getArguments().drop_back())
    known[arg] = b.getZeroAttr(arg.getType());
  auto valueOf = [&](Value v) {
    Attribute a = known.lookup(v);
    if (!a)
      matchPattern(v, m_Constant(&a));
    return a;
  };
  for (Operation &op : body.without_terminator()) {
    if (op.getNumResults() != 1 || op.getNumRegions() != 0)
      return false;
    SmallVector<Attribute> operands =
        llvm::map_to_vector(op.getOperands(), valueOf);
    // Folding may update an op in place: fold a detached copy.
    Operation *copy = op.clone();
    SmallVector<OpFoldResult> folded;
    Attribute result;
    if (succeeded(copy->fold(operands, folded)) && folded.size() == 1) {
      result = dyn_cast<Attribute>(folded[0]);
      if (auto v = dyn_cast<Value>(folded[0]))
        for (auto [operand, attr] : llvm::zip(copy->getOperands(), operands))
          if (operand == v)
            result = attr;
    }
    copy->destroy();
    if (!result)
      return false;
    known[op.getResult(0)] = result;
  }
  Attribute y = valueOf(body.getTerminator()->getOperand(0));
  return y && (matchPattern(y, m_Zero()) || matchPattern(y, m_AnyZeroFloat()));
}

/// A box of the generic's iteration space, as a tile.load or tile.store
/// reads or writes it: tile dim d runs along loop dim dims[d].
struct Box {
  ValueRange indices;
  ArrayRef<int64_t> dims;
  ValueRange bounds;
  ArrayRef<int64_t> shape; // empty for a single element
};

/// Evaluates `g` on `box`: one tile.load per input from `buffers` (input i
/// is `given`, a value of the box's shape, where buffers[i] is null), then
/// the body on the scalars, or as a tile.map on the tiles (loads missing
/// some of the box's dims broadcast to it, those missing all of them passed
/// as scalars). With `padWithZero`, elements past the bounds are zero.
Value evaluateOnBox(OpBuilder &b, Location loc, linalg::GenericOp g,
                    ArrayRef<Value> buffers, Value given, const Box &box,
                    bool padWithZero) {
  Block &body = g.getRegion().front();
  auto maps = g.getIndexingMapsArray();
  int64_t rank = box.shape.size();
  Type resultElem = getElementTypeOrSelf(g.getResult(0).getType());
  // Whether every input has tile dim d, so is zero past its bound.
  SmallVector<bool> allHave(rank, true);

  SmallVector<Value> operands;
  DenseMap<std::pair<Value, AffineMap>, Value> loaded;
  for (auto [i, buffer] : llvm::enumerate(buffers)) {
    if (!buffer) {
      operands.push_back(given);
      continue;
    }
    AffineMap map = maps[i];
    Value &operand = loaded[{buffer, map}];
    if (operand) {
      operands.push_back(operand);
      continue;
    }
    // The load keeps the box's tile dims that the input has.
    SmallVector<Value> indices, bounds;
    SmallVector<int64_t> loopDims, dims, shape, dropped;
    for (AffineExpr e : map.getResults()) {
      loopDims.push_back(cast<AffineDimExpr>(e).getPosition());
      indices.push_back(box.indices[loopDims.back()]);
    }
    for (int64_t d = 0; d < rank; ++d) {
      auto *it = llvm::find(loopDims, box.dims[d]);
      if (it == loopDims.end()) {
        dropped.push_back(d);
        continue;
      }
      dims.push_back(it - loopDims.begin());
      shape.push_back(box.shape[d]);
      if (!box.bounds.empty())
        bounds.push_back(box.bounds[d]);
    }
    for (int64_t d : dropped)
      allHave[d] = false;
    Type elem = cast<MemRefType>(buffer.getType()).getElementType();
    Type type = dims.empty() ? elem : RankedTensorType::get(shape, elem);
    operand = tile::LoadOp::create(b, loc, type, buffer, indices, dims, bounds);
    if (!dims.empty() && !dropped.empty())
      operand = tile::BroadcastOp::create(
          b, loc, RankedTensorType::get(box.shape, elem), operand, dropped);
    operands.push_back(operand);
  }

  IRMapping mapping;
  if (rank == 0) {
    mapping.map(body.getArguments().drop_back(), operands);
    for (Operation &op : body.without_terminator())
      b.clone(op, mapping);
    return mapping.lookupOrDefault(body.getTerminator()->getOperand(0));
  }

  // Tile dims where the box may hang over the bounds and the body may not
  // keep the padding zero get their own zeros: a position index tile and
  // the bound go into the map as well.
  SmallVector<int64_t> masked;
  std::optional<bool> keepsZeros;
  for (int64_t d = 0, e = box.bounds.size(); padWithZero && d < e; ++d) {
    std::optional<int64_t> bound = getConstantIntValue(box.bounds[d]);
    if (bound && *bound >= box.shape[d])
      continue;
    if (allHave[d] && !keepsZeros)
      keepsZeros = yieldsZeroOnZeros(g);
    if (!allHave[d] || !*keepsZeros)
      masked.push_back(d);
  }
  for (int64_t d : masked) {
    Value pos = tile::RangeOp::create(
        b, loc, RankedTensorType::get({box.shape[d]}, b.getIndexType()));
    if (rank > 1) {
      SmallVector<int64_t> others;
      for (int64_t o = 0; o < rank; ++o)
        if (o != d)
          others.push_back(o);
      pos = tile::BroadcastOp::create(
          b, loc, RankedTensorType::get(box.shape, b.getIndexType()), pos,
          others);
    }
    operands.push_back(pos);
    operands.push_back(box.bounds[d]);
  }

  auto type = RankedTensorType::get(box.shape, resultElem);
  auto map = tile::MapOp::create(b, loc, type, operands);
  Block *block = b.createBlock(&map.getBody());
  for (Value v : operands)
    block->addArgument(getElementTypeOrSelf(v.getType()), loc);
  mapping.map(body.getArguments().drop_back(),
              block->getArguments().take_front(buffers.size()));
  for (Operation &op : body.without_terminator())
    b.clone(op, mapping);
  Value v = mapping.lookupOrDefault(body.getTerminator()->getOperand(0));
  if (!masked.empty()) {
    Value inside;
    for (auto [k, d] : llvm::enumerate(masked)) {
      Value pos = block->getArgument(buffers.size() + 2 * k);
      Value bound = block->getArgument(buffers.size() + 2 * k + 1);
      Value lt =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, pos, bound);
      inside = inside ? arith::AndIOp::create(b, loc, inside, lt) : lt;
    }
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(resultElem));
    v = arith::SelectOp::create(b, loc, inside, v, zero);
  }
  tile::YieldOp::create(b, loc, v);
  b.setInsertionPointAfter(map);
  return map.getResult();
}

/// The body argument standing for program input `value`: an existing one
/// (other than input `skip`), else a new input appended to `inputs`.
Value bufferFor(Block &body, SmallVectorImpl<Value> &inputs, Value value,
                int64_t skip, Location loc) {
  for (auto [i, in] : llvm::enumerate(inputs))
    if (in == value && static_cast<int64_t>(i) != skip)
      return body.getArgument(i);
  auto type = cast<RankedTensorType>(value.getType());
  inputs.push_back(value);
  return body.insertArgument(
      inputs.size() - 1,
      MemRefType::get(type.getShape(), type.getElementType()), loc);
}

/// A program with `inputs` and `outputs` taking over the body of `op`, whose
/// arguments the caller has already made match.
tile::ProgramOp rebuildProgram(PatternRewriter &rewriter, tile::ProgramOp op,
                               ValueRange inputs, ValueRange outputs) {
  auto program =
      tile::ProgramOp::create(rewriter, op.getLoc(), inputs, outputs);
  program->setDiscardableAttrs(op->getDiscardableAttrDictionary());
  rewriter.eraseBlock(&program.getBody().front());
  rewriter.inlineRegionBefore(op.getBody(), program.getBody(),
                              program.getBody().end());
  return program;
}

/// Erases those of `roots` that nothing uses, then the producers of their
/// operands that only they kept alive, and so on.
void eraseIfDead(PatternRewriter &rewriter, ArrayRef<Operation *> roots) {
  SmallVector<Operation *> dead;
  llvm::SmallPtrSet<Operation *, 8> seen;
  // An op is queued once, and only while unused: nothing else erases it.
  auto visit = [&](Operation *op) {
    if (op && isOpTriviallyDead(op) && seen.insert(op).second)
      dead.push_back(op);
  };
  llvm::for_each(roots, visit);
  while (!dead.empty()) {
    Operation *op = dead.pop_back_val();
    SmallVector<Value> operands(op->getOperands());
    rewriter.eraseOp(op);
    for (Value v : operands)
      visit(v.getDefiningOp());
  }
}

/// Whether a load can be rewritten into loads of a producer's inputs: a
/// scalar, or a tile whose shape a tile.map can produce.
bool isFusibleLoad(Operation *user) {
  auto load = dyn_cast<tile::LoadOp>(user);
  if (!load)
    return false;
  auto tileType = dyn_cast<RankedTensorType>(load.getType());
  return !tileType || (tileType.getRank() >= 1 && tileType.getRank() <= 2);
}

/// Producer fusion: a program input computed by a pointwise generic and
/// only loaded becomes the generic's inputs, and its loads the generic's
/// body on their loads.
struct FuseProducer : OpRewritePattern<tile::ProgramOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tile::ProgramOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [i, input] : llvm::enumerate(op.getInputs())) {
      auto g = input.getDefiningOp<linalg::GenericOp>();
      BlockArgument arg = op.getInputBuffer(i);
      if (g && isPointwise(g, op) && !arg.use_empty() &&
          llvm::all_of(arg.getUsers(), isFusibleLoad)) {
        fuse(rewriter, op, i, g);
        return success();
      }
    }
    return rewriter.notifyMatchFailure(
        op, "no input is a pointwise generic's result read only by loads");
  }

  static void fuse(PatternRewriter &rewriter, tile::ProgramOp op, int64_t i,
                   linalg::GenericOp g) {
    Block &body = op.getBody().front();
    BlockArgument arg = body.getArgument(i);
    SmallVector<Value> inputs(op.getInputs());
    SmallVector<Value> buffers;
    for (Value in : g.getDpsInputs())
      buffers.push_back(bufferFor(body, inputs, in, i, g.getLoc()));

    for (Operation *user : llvm::to_vector(arg.getUsers())) {
      auto load = cast<tile::LoadOp>(user);
      auto tileType = dyn_cast<RankedTensorType>(load.getType());
      Box box{load.getIndices(), load.getDims(), load.getBounds(),
              tileType ? tileType.getShape() : ArrayRef<int64_t>()};
      rewriter.setInsertionPoint(load);
      rewriter.replaceOp(load, evaluateOnBox(rewriter, load.getLoc(), g,
                                             buffers, Value(), box,
                                             /*padWithZero=*/true));
    }

    inputs.erase(inputs.begin() + i);
    body.eraseArgument(i);
    rewriter.setInsertionPoint(op);
    auto program = rebuildProgram(rewriter, op, inputs, op.getOutputs());
    rewriter.replaceOp(op, program.getResults());
    eraseIfDead(rewriter, {g});
  }
};

/// Consumer fusion: a program result whose only user is a pointwise generic
/// becomes that generic's result, and its stores store the generic's body
/// on the stored tile and loads of the generic's other inputs.
struct FuseConsumer : OpRewritePattern<tile::ProgramOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tile::ProgramOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [k, result] : llvm::enumerate(op.getResults()))
      if (auto g = fusibleConsumer(op, k)) {
        fuse(rewriter, op, k, g);
        return success();
      }
    return rewriter.notifyMatchFailure(
        op, "no result is only stored and read by a pointwise generic only");
  }

  /// The generic that result `k` of `op` can be fused into, if any.
  static linalg::GenericOp fusibleConsumer(tile::ProgramOp op, int64_t k) {
    Value y = op.getResult(k);
    if (y.use_empty())
      return nullptr;
    auto g = dyn_cast<linalg::GenericOp>(*y.getUsers().begin());
    if (!g || !isPointwise(g, op))
      return nullptr;
    // Every use is g reading y element for element.
    for (OpOperand &use : y.getUses())
      if (use.getOwner() != g || !g.isDpsInput(&use) ||
          !g.getMatchingIndexingMap(&use).isIdentity())
        return nullptr;
    for (Value in : g.getDpsInputs())
      if (in != y && !isDefinedBefore(in, op))
        return nullptr;
    auto yType = cast<RankedTensorType>(y.getType());
    auto resultType = cast<RankedTensorType>(g.getResult(0).getType());
    if (resultType.getShape() != yType.getShape() || resultType.getEncoding())
      return nullptr;
    // Elements the program does not store are those of an undefined init,
    // so whatever the new init holds there is as good.
    if (!op.getOutputs()[k].getDefiningOp<tensor::EmptyOp>())
      return nullptr;
    BlockArgument out = op.getOutputBuffer(k);
    if (!llvm::all_of(out.getUsers(),
                      [](Operation *u) { return isa<tile::StoreOp>(u); }))
      return nullptr;
    return g;
  }

  static void fuse(PatternRewriter &rewriter, tile::ProgramOp op, int64_t k,
                   linalg::GenericOp g) {
    Block &body = op.getBody().front();
    Value y = op.getResult(k);
    auto oldInit = op.getOutputs()[k].getDefiningOp<tensor::EmptyOp>();
    SmallVector<Value> inputs(op.getInputs()), outputs(op.getOutputs());
    SmallVector<Value> buffers;
    for (Value in : g.getDpsInputs())
      buffers.push_back(in == y ? Value()
                                : bufferFor(body, inputs, in, -1, g.getLoc()));

    // The generic's init is only a shape; one defined after the program
    // is remade before it, sized as the program's output.
    Value init = g.getDpsInits()[0];
    if (!isDefinedBefore(init, op) || llvm::is_contained(outputs, init) ||
        llvm::is_contained(inputs, init)) {
      rewriter.setInsertionPoint(op);
      init = tensor::EmptyOp::create(
          rewriter, g.getLoc(), oldInit.getMixedSizes(),
          getElementTypeOrSelf(g.getResult(0).getType()));
    }
    outputs[k] = init;
    auto initType = cast<RankedTensorType>(init.getType());
    unsigned outIndex = inputs.size() + k;
    BlockArgument oldOut = body.getArgument(outIndex);
    BlockArgument newOut = body.insertArgument(
        outIndex,
        MemRefType::get(initType.getShape(), initType.getElementType()),
        g.getLoc());

    for (Operation *user : llvm::to_vector(oldOut.getUsers())) {
      auto store = cast<tile::StoreOp>(user);
      Box box{store.getIndices(), store.getDims(), store.getBounds(),
              store.getValue().getType().getShape()};
      rewriter.setInsertionPoint(store);
      Value v = evaluateOnBox(rewriter, store.getLoc(), g, buffers,
                              store.getValue(), box, /*padWithZero=*/false);
      rewriter.replaceOpWithNewOp<tile::StoreOp>(
          store, v, newOut, store.getIndices(), store.getDims(),
          store.getBounds());
    }
    body.eraseArgument(oldOut.getArgNumber());

    rewriter.setInsertionPoint(op);
    auto program = rebuildProgram(rewriter, op, inputs, outputs);
    for (auto [j, result] : llvm::enumerate(op.getResults()))
      if (static_cast<int64_t>(j) != k)
        rewriter.replaceAllUsesWith(result, program.getResult(j));
    Operation *genericInit = g.getDpsInits()[0].getDefiningOp();
    rewriter.replaceOp(g, program.getResult(k));
    rewriter.eraseOp(op);
    eraseIfDead(rewriter, {genericInit, oldInit});
  }
};

struct FuseElementwisePass
    : smc::impl::FuseElementwiseBase<FuseElementwisePass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseProducer, FuseConsumer>(&getContext());
    // Only the programs and what the patterns create are visited, and
    // nothing is folded: the rest of the function stays as it was.
    SmallVector<Operation *> programs;
    getOperation().walk([&](tile::ProgramOp op) { programs.push_back(op); });
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps)
        .enableFolding(false)
        .enableConstantCSE(false);
    if (failed(
            applyOpPatternsGreedily(programs, std::move(patterns), config))) {
      getOperation().emitError("elementwise fusion did not converge");
      signalPassFailure();
    }
  }
};

} // namespace
