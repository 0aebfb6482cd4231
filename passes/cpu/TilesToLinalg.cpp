//===- TilesToLinalg.cpp - tile programs to linalg and loops for the CPU --===//
//
// Grids become scf.for nests; tile loads and stores become linalg.copy
// between memref windows and tile tensors (never memref.copy: on strided
// windows that lowers to a call into the runner utils, which the JIT does not
// link); the computation ops become linalg.generic so that elementwise chains
// fuse into single loops. One-shot bufferization then turns the tiles into
// buffers that buffer-loop-hoisting lifts out of the loops.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialect/tile/TileOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>

namespace smc {
#define GEN_PASS_DEF_TILESTOLINALG
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc::tile;

namespace {

using utils::IteratorType;

/// An elementwise-mappable op (arith, math) on tiles.
bool isElementwiseOnTensors(Operation *op) {
  if (!OpTrait::hasElementwiseMappableTraits(op))
    return false;
  auto isTensor = [](Type t) { return isa<RankedTensorType>(t); };
  return llvm::any_of(op->getOperandTypes(), isTensor) ||
         llvm::any_of(op->getResultTypes(), isTensor);
}

/// `v` as f32, the precision of tile.dot.
Value toF32(OpBuilder &b, Location loc, Value v) {
  auto type = cast<FloatType>(v.getType());
  Type f32 = b.getF32Type();
  if (type.getWidth() < 32)
    return arith::ExtFOp::create(b, loc, f32, v);
  if (type.getWidth() > 32)
    return arith::TruncFOp::create(b, loc, f32, v);
  return v;
}

/// A fresh tile of `type` whose contents are read: an alloc_tensor, which
/// unlike tensor.empty no CSE merges with another (two tiles sharing one
/// buffer would make bufferization copy one of them).
Value createTile(OpBuilder &b, Location loc, RankedTensorType type) {
  return bufferization::AllocTensorOp::create(b, loc, type, ValueRange());
}

/// A fresh tile of `type` with every element `value`.
Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   Attribute value) {
  Value scalar = arith::ConstantOp::create(b, loc, cast<TypedAttr>(value));
  return linalg::FillOp::create(b, loc, scalar, createTile(b, loc, type))
      ->getResult(0);
}

/// A linalg.generic with `inputs` and a fresh tile of `type` as output, whose
/// body `bodyBuilder` builds from the input elements.
Value createGeneric(
    OpBuilder &b, Location loc, RankedTensorType type, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(type.getRank()));
  SmallVector<IteratorType> iterators(type.getRank(), IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, type, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value v = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, v);
      });
  return generic.getResult(0);
}

/// `source` copied into `dest` (same shape) by an identity linalg.generic.
Value createCopy(OpBuilder &b, Location loc, Value source, Value dest) {
  auto type = cast<RankedTensorType>(dest.getType());
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  SmallVector<IteratorType> iterators(type.getRank(), IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, source, dest, ArrayRef<AffineMap>{id, id}, iterators,
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, args[0]);
             })
      .getResult(0);
}

/// The window of a tile.load / tile.store: a rank-reduced subview of the
/// memref whose tile dims are cut at the bounds, and the window's sizes.
struct Window {
  Value view;
  SmallVector<OpFoldResult> sizes;
  /// Whether some tile dim may be cut short by its bound.
  bool partial = false;
};

/// Clamps `bound` to [0, size]; a constant bound stays static.
OpFoldResult clampBound(OpBuilder &b, Location loc, Value bound, int64_t size) {
  if (std::optional<int64_t> c = getConstantIntValue(bound))
    return b.getIndexAttr(std::clamp<int64_t>(*c, 0, size));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value full = arith::ConstantIndexOp::create(b, loc, size);
  Value v = arith::MaxSIOp::create(b, loc, bound, zero);
  return arith::MinSIOp::create(b, loc, v, full).getResult();
}

Window createWindow(OpBuilder &b, Location loc, Value memref,
                    ValueRange indices, ArrayRef<int64_t> dims,
                    ValueRange bounds, ArrayRef<int64_t> tileShape) {
  auto memType = cast<MemRefType>(memref.getType());
  Window w;
  SmallVector<OpFoldResult> offsets = getAsOpFoldResult(indices);
  SmallVector<OpFoldResult> sizes(memType.getRank(), b.getIndexAttr(1));
  SmallVector<OpFoldResult> strides(memType.getRank(), b.getIndexAttr(1));
  SmallVector<int64_t> shape;
  for (auto [d, dim] : llvm::enumerate(dims)) {
    OpFoldResult size = b.getIndexAttr(tileShape[d]);
    if (!bounds.empty())
      size = clampBound(b, loc, bounds[d], tileShape[d]);
    std::optional<int64_t> c = getConstantIntValue(size);
    w.partial |= c != tileShape[d];
    shape.push_back(c ? *c : ShapedType::kDynamic);
    sizes[dim] = size;
    w.sizes.push_back(size);
  }
  auto viewType = memref::SubViewOp::inferRankReducedResultType(
      shape, memType, offsets, sizes, strides);
  w.view = memref::SubViewOp::create(b, loc, viewType, memref, offsets, sizes,
                                     strides);
  return w;
}

//===----------------------------------------------------------------------===//
// Structure and memory
//===----------------------------------------------------------------------===//

/// tile.grid -> scf.for per dimension, coordinates = induction variables.
/// num_warps means nothing on the CPU.
struct GridOpLowering : OpConversionPattern<GridOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GridOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> ivs;
    Operation *insertBefore = op;
    for (Value size : adaptor.getSizes()) {
      auto loop = scf::ForOp::create(rewriter, loc, zero, size, one);
      ivs.push_back(loop.getInductionVar());
      insertBefore = loop.getBody()->getTerminator();
      rewriter.setInsertionPoint(insertBefore);
    }
    Block &body = op.getBody().front();
    rewriter.eraseOp(body.getTerminator());
    rewriter.inlineBlockBefore(&body, insertBefore, ivs);
    rewriter.eraseOp(op);
    return success();
  }
};

/// tile.load of a tile -> a copy of the in-bound window into a fresh tile
/// (zeroed first where a bound may cut it). A copy, not a view of the memref:
/// the tile is a value, so later stores to the same memory must not change
/// it, and a view would make bufferization copy it (memref.copy) wherever the
/// tile is updated in place. Scalar tile.load -> memref.load.
struct LoadOpLowering : OpConversionPattern<LoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LoadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto tileType = dyn_cast<RankedTensorType>(op.getType());
    if (!tileType) {
      rewriter.replaceOpWithNewOp<memref::LoadOp>(op, adaptor.getSource(),
                                                  adaptor.getIndices());
      return success();
    }
    if (!cast<MemRefType>(adaptor.getSource().getType()).isStrided())
      return rewriter.notifyMatchFailure(op, "source has no strided layout");
    Window w =
        createWindow(rewriter, loc, adaptor.getSource(), adaptor.getIndices(),
                     op.getDims(), adaptor.getBounds(), tileType.getShape());
    auto viewType = cast<MemRefType>(w.view.getType());
    auto srcType =
        RankedTensorType::get(viewType.getShape(), tileType.getElementType());
    Value src = bufferization::ToTensorOp::create(rewriter, loc, srcType,
                                                  w.view, /*restrict=*/true);
    if (!w.partial) {
      Value init = tensor::EmptyOp::create(rewriter, loc, tileType.getShape(),
                                           tileType.getElementType());
      rewriter.replaceOp(
          op, linalg::CopyOp::create(rewriter, loc, src, init)->getResult(0));
      return success();
    }
    Value tile = createFilled(rewriter, loc, tileType,
                              rewriter.getZeroAttr(tileType.getElementType()));
    SmallVector<OpFoldResult> zeros(tileType.getRank(),
                                    rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> ones(tileType.getRank(),
                                   rewriter.getIndexAttr(1));
    Value dst = tensor::ExtractSliceOp::create(rewriter, loc, srcType, tile,
                                               zeros, w.sizes, ones);
    Value copy = linalg::CopyOp::create(rewriter, loc, src, dst)->getResult(0);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(op, copy, tile, zeros,
                                                       w.sizes, ones);
    return success();
  }
};

/// tile.store -> the in-bound part of the tile copied into a writable tensor
/// of the memref window, materialized there: bufferization writes the copy
/// straight into the window and the materialization becomes a self-copy that
/// canonicalization erases.
struct StoreOpLowering : OpConversionPattern<StoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(StoreOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto tileType = cast<RankedTensorType>(op.getValue().getType());
    if (!cast<MemRefType>(adaptor.getDest().getType()).isStrided())
      return rewriter.notifyMatchFailure(op, "dest has no strided layout");
    Window w =
        createWindow(rewriter, loc, adaptor.getDest(), adaptor.getIndices(),
                     op.getDims(), adaptor.getBounds(), tileType.getShape());
    auto viewType = cast<MemRefType>(w.view.getType());
    auto partType =
        RankedTensorType::get(viewType.getShape(), tileType.getElementType());
    Value part = adaptor.getValue();
    if (w.partial) {
      SmallVector<OpFoldResult> zeros(tileType.getRank(),
                                      rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> ones(tileType.getRank(),
                                     rewriter.getIndexAttr(1));
      part = tensor::ExtractSliceOp::create(rewriter, loc, partType, part,
                                            zeros, w.sizes, ones);
    }
    Value dest = bufferization::ToTensorOp::create(
        rewriter, loc, partType, w.view, /*restrict=*/true, /*writable=*/true);
    // A whole tile is copied by an identity generic, into which elementwise
    // fusion pulls the tile's producer: it then writes the window directly.
    Value copy =
        w.partial
            ? linalg::CopyOp::create(rewriter, loc, part, dest)->getResult(0)
            : createCopy(rewriter, loc, part, dest);
    rewriter.replaceOpWithNewOp<bufferization::MaterializeInDestinationOp>(
        op, TypeRange(), copy, w.view, /*restrict=*/true, /*writable=*/true);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Computation
//===----------------------------------------------------------------------===//

/// tile.range -> a generic yielding its index.
struct RangeOpLowering : OpConversionPattern<RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, createGeneric(rewriter, op.getLoc(),
                          cast<RankedTensorType>(op.getType()), {}, {},
                          [](OpBuilder &b, Location loc, ValueRange) {
                            return linalg::IndexOp::create(b, loc, 0);
                          }));
    return success();
  }
};

/// tile.broadcast -> a generic (not linalg.broadcast: elementwise fusion only
/// fuses generics, and a broadcast should never be materialized before an
/// elementwise consumer).
struct BroadcastOpLowering : OpConversionPattern<BroadcastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BroadcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    SmallVector<AffineExpr> kept;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (!llvm::is_contained(op.getDims(), d))
        kept.push_back(rewriter.getAffineDimExpr(d));
    auto map = AffineMap::get(type.getRank(), 0, kept, getContext());
    rewriter.replaceOp(
        op, createGeneric(rewriter, op.getLoc(), type, adaptor.getSource(), map,
                          [](OpBuilder &, Location, ValueRange args) {
                            return args[0];
                          }));
    return success();
  }
};

/// The most f32 elements of a result row that tile.dot holds in registers
/// (8 AVX-512 or 16 AVX2 registers).
constexpr int64_t kMaxRowVector = 128;

/// The splat value of `v` if it is a constant splat tile.
std::optional<TypedAttr> getSplat(Value v) {
  DenseElementsAttr dense;
  if (!matchPattern(v, m_Constant(&dense)) || !dense.isSplat())
    return std::nullopt;
  return dense.getSplatValue<TypedAttr>();
}

/// tile.dot -> a loop over the rows m of the result that holds the row in a
/// vector register for the whole reduction over k:
///   row = acc[m, :];  for k: row = fma(a[m, k], b[k, :], row);  out[m, :] =
///   row
/// so the accumulator is never stored and reloaded per k, and b is read along
/// its contiguous rows (rows of more than kMaxRowVector elements in blocks of
/// columns). A transposed b is first transposed (and converted to
/// f32) into a fresh tile, which costs k * n against the product's m * k * n.
/// tril_a (a[m, k] = 0 for k > m) stops the reduction at k = m; tril_result
/// only allows skipping work, and the full product is valid. A splat
/// accumulator (zeros) is not read: each row starts from the splat.
struct DotOpLowering : OpConversionPattern<DotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType type = op.getType();
    if (!type.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "accumulator is not f32");
    Value a = adaptor.getA();
    Value b = adaptor.getB();
    if (op.getTransposeB()) {
      auto bType = cast<RankedTensorType>(b.getType());
      auto transposed = RankedTensorType::get(
          {bType.getDimSize(1), bType.getDimSize(0)}, rewriter.getF32Type());
      AffineExpr r, c;
      bindDims(ctx, r, c);
      b = createGeneric(rewriter, loc, transposed, b,
                        AffineMap::get(2, 0, {c, r}, ctx),
                        [](OpBuilder &nb, Location nloc, ValueRange args) {
                          return toF32(nb, nloc, args[0]);
                        });
    }
    auto bType = cast<RankedTensorType>(b.getType());
    int64_t rows = type.getDimSize(0);
    int64_t depth = bType.getDimSize(0);
    // Rows longer than kMaxRowVector elements go in blocks of columns, so
    // that a row held in registers stays a few vector registers wide.
    int64_t columns = type.getDimSize(1);
    int64_t width = columns;
    while (width > kMaxRowVector || columns % width != 0)
      --width;
    auto rowType = VectorType::get({width}, type.getElementType());
    auto bRowType = VectorType::get({width}, bType.getElementType());

    std::optional<TypedAttr> splat = getSplat(adaptor.getAcc());
    Value init = splat ? createTile(rewriter, loc, type) : adaptor.getAcc();
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value rowCount = arith::ConstantIndexOp::create(rewriter, loc, rows);
    Value depthCount = arith::ConstantIndexOp::create(rewriter, loc, depth);
    Value splatRow;
    if (splat)
      splatRow = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(rowType, *splat));
    Value pad = arith::ConstantOp::create(
        rewriter, loc, rewriter.getZeroAttr(bType.getElementType()));
    Value accPad =
        arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
    bool transposeA = op.getTransposeA();
    bool trilA = op.getTrilA();

    // Row m, columns [col, col + width) of the result, written into `tile`.
    auto rowBlock = [&](OpBuilder &nb, Location nloc, Value m, Value col,
                        Value tile) -> Value {
      Value row = splat ? splatRow
                        : vector::TransferReadOp::create(
                              nb, nloc, rowType, tile, ValueRange{m, col},
                              accPad, ArrayRef<bool>{true})
                              .getResult();
      Value end = depthCount;
      if (trilA)
        end = arith::MinUIOp::create(
            nb, nloc, arith::AddIOp::create(nb, nloc, m, one), depthCount);
      auto reduction = scf::ForOp::create(
          nb, nloc, zero, end, one, ValueRange{row},
          [&](OpBuilder &kb, Location kloc, Value k, ValueRange acc) {
            SmallVector<Value> at = {m, k};
            if (transposeA)
              at = {k, m};
            Value x =
                toF32(kb, kloc, tensor::ExtractOp::create(kb, kloc, a, at));
            Value y = vector::TransferReadOp::create(kb, kloc, bRowType, b,
                                                     ValueRange{k, col}, pad,
                                                     ArrayRef<bool>{true});
            if (bRowType.getElementType() != rowType.getElementType())
              y = arith::ExtFOp::create(kb, kloc, rowType, y);
            Value xs = vector::BroadcastOp::create(kb, kloc, rowType, x);
            Value sum = vector::FMAOp::create(kb, kloc, xs, y, acc[0]);
            scf::YieldOp::create(kb, kloc, sum);
          });
      return vector::TransferWriteOp::create(nb, nloc, reduction.getResult(0),
                                             tile, ValueRange{m, col},
                                             ArrayRef<bool>{true})
          .getResult();
    };

    auto loop = scf::ForOp::create(
        rewriter, loc, zero, rowCount, one, ValueRange{init},
        [&](OpBuilder &nb, Location nloc, Value m, ValueRange tiles) {
          if (width == columns) {
            scf::YieldOp::create(nb, nloc,
                                 rowBlock(nb, nloc, m, zero, tiles[0]));
            return;
          }
          Value step = arith::ConstantIndexOp::create(nb, nloc, width);
          Value end = arith::ConstantIndexOp::create(nb, nloc, columns);
          auto blocks = scf::ForOp::create(
              nb, nloc, zero, end, step, ValueRange{tiles[0]},
              [&](OpBuilder &cb, Location cloc, Value col, ValueRange tile) {
                scf::YieldOp::create(cb, cloc,
                                     rowBlock(cb, cloc, m, col, tile[0]));
              });
          scf::YieldOp::create(nb, nloc, blocks.getResult(0));
        });
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

/// tile.cumsum -> a loop carrying the running sum.
struct CumsumOpLowering : OpConversionPattern<CumsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value size =
        arith::ConstantIndexOp::create(rewriter, loc, type.getDimSize(0));
    Value init = createTile(rewriter, loc, type);
    Value sum0 = arith::ConstantOp::create(
        rewriter, loc, rewriter.getZeroAttr(type.getElementType()));
    Value input = adaptor.getInput();
    auto loop = scf::ForOp::create(
        rewriter, loc, zero, size, one, ValueRange{init, sum0},
        [&](OpBuilder &b, Location l, Value i, ValueRange iterArgs) {
          Value x = tensor::ExtractOp::create(b, l, input, i);
          Value sum = arith::AddFOp::create(b, l, iterArgs[1], x);
          Value out = tensor::InsertOp::create(b, l, sum, iterArgs[0], i);
          scf::YieldOp::create(b, l, ValueRange{out, sum});
        });
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

/// tile.sum -> a reduction generic (fusable with elementwise producers, which
/// linalg.reduce is not). Summing along dim 0 keeps the innermost loop
/// parallel along the rows.
struct SumOpLowering : OpConversionPattern<SumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t dim = op.getDim();
    Value init = createFilled(rewriter, loc, type,
                              rewriter.getZeroAttr(type.getElementType()));
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(2, ctx),
        AffineMap::get(2, 0, rewriter.getAffineDimExpr(1 - dim), ctx)};
    SmallVector<IteratorType> iterators(2, IteratorType::parallel);
    iterators[dim] = IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, adaptor.getInput(), init, maps, iterators,
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, args[1], args[0]).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// tile.map -> a parallel generic over the tile operands; scalar operands are
/// used directly in the body.
struct MapOpLowering : OpConversionPattern<MapOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MapOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    SmallVector<Value> tiles;
    for (Value v : adaptor.getInputs())
      if (isa<RankedTensorType>(v.getType()))
        tiles.push_back(v);
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    SmallVector<AffineMap> maps(
        tiles.size() + 1, rewriter.getMultiDimIdentityMap(type.getRank()));
    SmallVector<IteratorType> iterators(type.getRank(), IteratorType::parallel);
    auto generic = linalg::GenericOp::create(rewriter, loc, type, tiles, init,
                                             maps, iterators);
    SmallVector<Type> argTypes;
    for (Value v : tiles)
      argTypes.push_back(cast<RankedTensorType>(v.getType()).getElementType());
    argTypes.push_back(type.getElementType());
    SmallVector<Location> argLocs(argTypes.size(), loc);
    Block *block =
        rewriter.createBlock(&generic.getRegion(), {}, argTypes, argLocs);
    SmallVector<Value> replacements;
    unsigned next = 0;
    for (Value v : adaptor.getInputs())
      replacements.push_back(
          isa<RankedTensorType>(v.getType()) ? block->getArgument(next++) : v);
    Block &body = op.getBody().front();
    auto yield = cast<YieldOp>(body.getTerminator());
    rewriter.setInsertionPoint(yield);
    linalg::YieldOp::create(rewriter, yield.getLoc(), yield.getValue());
    rewriter.eraseOp(yield);
    rewriter.mergeBlocks(&body, block, replacements);
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// tensor.splat -> linalg.fill, which elementwise fusion folds into its
/// consumers instead of materializing the tile.
struct SplatOpLowering : OpConversionPattern<tensor::SplatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tensor::SplatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type,
                                         adaptor.getDynamicSizes());
    rewriter.replaceOp(op, linalg::FillOp::create(rewriter, op.getLoc(),
                                                  adaptor.getInput(), init)
                               ->getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Fusion
//===----------------------------------------------------------------------===//

/// Whether recomputing `producer`'s body per use is cheaper than keeping its
/// tile: no transcendental or division.
bool isCheapToRecompute(Operation *producer) {
  WalkResult r = producer->walk([](Operation *op) {
    if (isa<math::MathDialect>(op->getDialect()) ||
        isa<arith::DivFOp, arith::RemFOp, arith::DivSIOp, arith::DivUIOp,
            arith::RemSIOp, arith::RemUIOp>(op))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return !r.wasInterrupted();
}

/// Fuses an elementwise producer into a consumer that reads each of its
/// elements once (a permutation map), so no element is computed twice within
/// the consumer; a producer with other users is duplicated only if its body
/// is cheap. A consumer that reads elements repeatedly (a broadcast, the
/// operands of a tile.dot) only gets cheap producers that read no tile
/// (positions from tile.range and what masks compute from them): recomputing
/// those costs no more than loading them. A tile carried by a loop is never
/// recomputed: its consumers read it, so that it can be updated in place.
bool shouldFuse(OpOperand *operand) {
  auto producer = operand->get().getDefiningOp<linalg::LinalgOp>();
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  if (!producer || !consumer ||
      llvm::any_of(producer->getUsers(), llvm::IsaPred<scf::YieldOp>))
    return false;
  bool cheap = isCheapToRecompute(producer);
  if (!consumer.getMatchingIndexingMap(operand).isPermutation())
    return cheap && producer.getNumDpsInputs() == 0;
  return cheap || producer->hasOneUse();
}

//===----------------------------------------------------------------------===//
// Loop-carried tiles
//===----------------------------------------------------------------------===//

/// The first op that writes the tile that becomes `v`, following
/// destination-passing ops and loops (whose iterations update their init
/// tile in place) back through their destinations, and the tile it writes
/// into; null if `v` is not written by such ops.
std::pair<Operation *, Value> traceFirstWriter(Value v) {
  Operation *writer = nullptr;
  while (auto result = dyn_cast<OpResult>(v)) {
    Operation *owner = result.getOwner();
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(owner))
      v = dps.getTiedOpOperand(result)->get();
    else if (auto loop = dyn_cast<scf::ForOp>(owner))
      v = loop.getInits()[result.getResultNumber()];
    else
      break;
    writer = owner;
  }
  return {writer, v};
}

/// Whether `writer` can overwrite the tile of `arg` in place: every other op
/// that reads it comes before `writer`, and none makes a view of it (which
/// bufferization would keep aliasing the overwritten buffer).
bool onlyReadBefore(BlockArgument arg, Operation *writer) {
  Block *body = arg.getOwner();
  if (writer->getBlock() != body)
    return false;
  for (Operation *user : arg.getUsers()) {
    Operation *ancestor = body->findAncestorOpInBlock(*user);
    if (ancestor == writer)
      continue;
    if (!ancestor || !ancestor->isBeforeInBlock(writer) ||
        isa<tensor::ExtractSliceOp, tensor::CastOp, tensor::ExpandShapeOp,
            tensor::CollapseShapeOp>(user))
      return false;
  }
  return true;
}

/// Makes `writer`, if it is an elementwise generic writing a fresh tile,
/// write into the tile of `arg` instead, where that is in place.
bool writeIntoIterArg(Operation *writer, BlockArgument arg) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(writer);
  if (!generic || generic->getNumResults() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return false;
  OpOperand *init = generic.getDpsInitOperand(0);
  if (init->get().getType() != arg.getType() ||
      !init->get().getDefiningOp<tensor::EmptyOp>() ||
      !generic.getMatchingIndexingMap(init).isIdentity() ||
      generic.payloadUsesValueFromOperand(init))
    return false;
  for (OpOperand *input : generic.getDpsInputOperands())
    if (input->get() == arg &&
        !generic.getMatchingIndexingMap(input).isIdentity())
      return false;
  if (!onlyReadBefore(arg, generic))
    return false;
  // The fresh tile left unused bufferizes to nothing.
  init->set(arg);
  return true;
}

/// One-shot bufferization requires the tile an scf.for yields to live in the
/// buffer of its iter_arg (else it fails, or with other options allocates a
/// buffer per iteration). A tile computed in place of the iter_arg stays; an
/// elementwise generic that starts the tile writes into the iter_arg instead
/// of a fresh tile;
/// anything else is copied into it at the end of the iteration.
void yieldIntoIterArgs(ModuleOp module) {
  module.walk([](scf::ForOp loop) {
    if (!loop->getParentOfType<ProgramOp>())
      return;
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    for (auto [arg, operand] :
         llvm::zip(loop.getRegionIterArgs(), yield->getOpOperands())) {
      Value v = operand.get();
      if (!isa<RankedTensorType>(arg.getType()) || v == arg)
        continue;
      auto [writer, tile] = traceFirstWriter(v);
      if (writer && tile == arg && onlyReadBefore(arg, writer))
        continue;
      if (writeIntoIterArg(writer, arg))
        continue;
      OpBuilder b(yield);
      operand.set(
          linalg::CopyOp::create(b, yield.getLoc(), v, arg)->getResult(0));
    }
  });
}

/// Makes the elementwise generic that computes a stored tile write the
/// store's window itself (fusion gives it a fresh tile as its output), so
/// that bufferization computes it in place and the store's copy folds away.
/// The generic moves down to the store, its only user: it reads only tile
/// values, never memory, so it computes the same there.
void writeStoresInPlace(ModuleOp module) {
  module.walk([](bufferization::MaterializeInDestinationOp store) {
    auto generic = store.getSource().getDefiningOp<linalg::GenericOp>();
    if (!generic || !generic->hasOneUse() || generic->getNumResults() != 1 ||
        generic->getBlock() != store->getBlock() ||
        generic.getNumParallelLoops() != generic.getNumLoops())
      return;
    OpOperand *init = generic.getDpsInitOperand(0);
    if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
        !generic.getMatchingIndexingMap(init).isIdentity() ||
        generic.payloadUsesValueFromOperand(init))
      return;
    generic->moveBefore(store);
    OpBuilder b(generic);
    init->set(bufferization::ToTensorOp::create(
        b, store.getLoc(), init->get().getType(), store.getDest(),
        /*restrict=*/true, /*writable=*/true));
  });
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// The longest row that a row sum reduces as one vector.
constexpr int64_t kMaxReducedRow = 1024;

/// Vectorizes the generics that reduce along their innermost loop (tile.sum
/// and what fusion put into it), rows of up to kMaxReducedRow elements:
/// tiled to one row per iteration of an scf.for, each row becomes vector
/// ops and a vector reduction. Lowered to
/// loops instead, the sum would be stored and reloaded per element (LLVM
/// cannot tell the output from the inputs), a serial chain through memory.
void vectorizeRowReductions(ModuleOp module) {
  SmallVector<linalg::GenericOp> reductions;
  module.walk([&](linalg::GenericOp op) {
    if (op.hasPureTensorSemantics() && op.getNumLoops() >= 1 &&
        linalg::isReductionIterator(op.getIteratorTypesArray().back()) &&
        op.getNumReductionLoops() == 1 && op.getNumResults() == 1 &&
        llvm::all_of(
            op.getStaticLoopRanges(),
            [](int64_t size) { return !ShapedType::isDynamic(size); }) &&
        op.getStaticLoopRanges().back() <= kMaxReducedRow)
      reductions.push_back(op);
  });
  IRRewriter rewriter(module.getContext());
  for (linalg::GenericOp op : reductions) {
    rewriter.setInsertionPoint(op);
    SmallVector<OpFoldResult> sizes(op.getNumLoops() - 1,
                                    rewriter.getIndexAttr(1));
    sizes.push_back(rewriter.getIndexAttr(0));
    scf::SCFTilingOptions options;
    options.setTileSizes(sizes);
    Operation *row = op;
    auto tileable = dyn_cast<TilingInterface>(op.getOperation());
    if (op.getNumLoops() > 1) {
      if (!tileable)
        continue;
      FailureOr<scf::SCFTilingResult> tiled =
          scf::tileUsingSCF(rewriter, tileable, options);
      if (failed(tiled))
        continue;
      rewriter.replaceOp(op, tiled->replacements);
      row = tiled->tiledOps.front();
    }
    rewriter.setInsertionPoint(row);
    FailureOr<linalg::VectorizationResult> vectorized =
        linalg::vectorize(rewriter, row);
    if (succeeded(vectorized))
      rewriter.replaceOp(row, vectorized->replacements);
  }
  // Rows as 1-D vectors: the unit dims of the tiling go, broadcast reads
  // become a read and a broadcast, the reduction a vector.reduction.
  RewritePatternSet patterns(module.getContext());
  vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateVectorMultiReductionLoweringPatterns(
      patterns, vector::VectorMultiReductionLowering::InnerReduction);
  vector::populateVectorShapeCastLoweringPatterns(patterns);
  (void)applyPatternsGreedily(module, std::move(patterns));
}

//===----------------------------------------------------------------------===//
// Transcendentals
//===----------------------------------------------------------------------===//

/// math.fma -> mulf + addf that LLVM contracts back into one FMA. The
/// polynomial approximations below emit math.fma, and convert-math-to-libm
/// would make each one an fmaf call, which does not vectorize.
struct FmaToMulAdd : OpRewritePattern<math::FmaOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::FmaOp op,
                                PatternRewriter &rewriter) const override {
    auto contract = arith::FastMathFlags::contract;
    Value product = arith::MulFOp::create(rewriter, op.getLoc(), op.getA(),
                                          op.getB(), contract);
    rewriter.replaceOpWithNewOp<arith::AddFOp>(op, product, op.getC(),
                                               contract);
    return success();
  }
};

/// math.floor on f32 -> truncation through i64, one less where that rounded
/// up; x itself where it is already integral (|x| >= 2^23, zero, inf, NaN).
/// convert-math-to-libm would make it a floorf call per element.
struct FloorToArith : OpRewritePattern<math::FloorOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::FloorOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getOperand();
    if (!x.getType().isF32())
      return rewriter.notifyMatchFailure(op, "not a scalar f32");
    auto constant = [&](float v) -> Value {
      return arith::ConstantOp::create(rewriter, loc,
                                       rewriter.getF32FloatAttr(v));
    };
    using arith::CmpFPredicate;
    Value i = arith::FPToSIOp::create(rewriter, loc, rewriter.getI64Type(), x);
    Value t = arith::SIToFPOp::create(rewriter, loc, x.getType(), i);
    Value above =
        arith::CmpFOp::create(rewriter, loc, CmpFPredicate::OGT, t, x);
    Value below = arith::SubFOp::create(rewriter, loc, t, constant(1.0f));
    Value floor = arith::SelectOp::create(rewriter, loc, above, below, t);
    Value big = arith::CmpFOp::create(rewriter, loc, CmpFPredicate::UGE, x,
                                      constant(8388608.0f));
    Value small = arith::CmpFOp::create(rewriter, loc, CmpFPredicate::ULE, x,
                                        constant(-8388608.0f));
    Value zero = arith::CmpFOp::create(rewriter, loc, CmpFPredicate::OEQ, x,
                                       constant(0.0f));
    Value keep = arith::OrIOp::create(
        rewriter, loc, arith::OrIOp::create(rewriter, loc, big, small), zero);
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, keep, x, floor);
    return success();
  }
};

/// Rewrites exponentials, logarithms and tanh inside tile programs as
/// polynomials of arith ops (within 2 ulp of libm in f32): a libm call per
/// element would keep the fused elementwise loops from vectorizing.
void approximateTranscendentals(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  SmallVector<Operation *> ops;
  module.walk([&](Operation *op) {
    if (isa<math::ExpOp, math::ExpM1Op, math::LogOp, math::Log1pOp,
            math::TanhOp>(op) &&
        op->getParentOfType<ProgramOp>())
      ops.push_back(op);
  });
  RewritePatternSet patterns(ctx);
  populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
    name.consume_front("math.");
    return llvm::is_contained({"exp", "expm1", "log", "log1p", "tanh"}, name);
  });
  patterns.add<FmaToMulAdd, FloorToArith>(ctx);
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  (void)applyOpPatternsGreedily(ops, std::move(patterns), config);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// A grid dimension of size 1 has the coordinate 0: substituting it and
/// folding makes the index arithmetic built from it constant, so that tile
/// bounds computed from it are static and their windows whole.
void foldUnitCoordinates(ModuleOp module) {
  SmallVector<GridOp> changed;
  module.walk([&](GridOp grid) {
    OpBuilder b = OpBuilder::atBlockBegin(&grid.getBody().front());
    Value zero;
    for (auto [size, coord] :
         llvm::zip(grid.getSizes(), grid.getBody().front().getArguments())) {
      if (getConstantIntValue(size) != 1 || coord.use_empty())
        continue;
      if (!zero)
        zero = arith::ConstantIndexOp::create(b, grid.getLoc(), 0);
      coord.replaceAllUsesWith(zero);
    }
    if (zero)
      changed.push_back(grid);
  });
  // Fold what the substitution made constant, through whole chains of
  // index arithmetic (folding only, no other rewrites).
  FrozenRewritePatternSet noPatterns{RewritePatternSet(module.getContext())};
  for (GridOp grid : changed)
    (void)applyPatternsGreedily(grid.getBody(), noPatterns);
}

/// Reports, with the reason, the ops that no pattern can lower; the
/// conversion would only say that they failed to legalize.
LogicalResult checkLowerable(ModuleOp module) {
  WalkResult result = module.walk([](Operation *op) {
    Value memref;
    if (auto load = dyn_cast<LoadOp>(op);
        load && isa<RankedTensorType>(load.getType()))
      memref = load.getSource();
    if (auto store = dyn_cast<StoreOp>(op))
      memref = store.getDest();
    if (memref && !cast<MemRefType>(memref.getType()).isStrided()) {
      op->emitOpError() << "cannot be lowered for the CPU: " << memref.getType()
                        << " has no strided layout, so the tile has no "
                           "window to copy";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

struct TilesToLinalgPass : smc::impl::TilesToLinalgBase<TilesToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ModuleOp module = getOperation();

    if (failed(checkLowerable(module)))
      return signalPassFailure();
    foldUnitCoordinates(module);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<TileDialect>();
    // tile.program stays: its bufferization inlines the body.
    target.addLegalOp<ProgramOp, EndOp>();
    target.addIllegalOp<tensor::SplatOp>();
    target.markUnknownOpDynamicallyLegal(
        [](Operation *op) { return !isElementwiseOnTensors(op); });
    RewritePatternSet patterns(ctx);
    patterns
        .add<GridOpLowering, LoadOpLowering, StoreOpLowering, RangeOpLowering,
             BroadcastOpLowering, DotOpLowering, CumsumOpLowering,
             SumOpLowering, MapOpLowering, SplatOpLowering>(ctx);
    linalg::populateElementwiseToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();

    // Elementwise chains become single generics; canonicalization removes
    // the temporaries fusion leaves behind.
    RewritePatternSet fusion(ctx);
    linalg::populateElementwiseOpsFusionPatterns(fusion, shouldFuse);
    for (Dialect *dialect : ctx->getLoadedDialects())
      dialect->getCanonicalizationPatterns(fusion);
    for (RegisteredOperationName op : ctx->getRegisteredOperations())
      op.getCanonicalizationPatterns(fusion, ctx);
    // Not converging within the iteration limit leaves valid IR.
    (void)applyPatternsGreedily(module, std::move(fusion));
    yieldIntoIterArgs(module);
    writeStoresInPlace(module);
    vectorizeRowReductions(module);
    approximateTranscendentals(module);
  }
};

} // namespace
