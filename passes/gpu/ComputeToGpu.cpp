//===- ComputeToGpu.cpp - elementwise ops, scans and sums as GPU code -----===//
//
// Elementwise work on a tile is the same work on the slots a thread holds
// (vector ops); tile.map bodies run on those vectors, or slot by slot when
// they hold control flow. Broadcasts pick slots of a slice layout (a
// vector shuffle); sums and scans combine a thread's slots, then the lanes
// of a warp by shuffles.
//
//===----------------------------------------------------------------------===//

#include "passes/gpu/Patterns.h"

#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace smc;
using namespace smc::kernels;

namespace {

/// Slots per piece of elementwise work (a 16-byte access of 16-bit data).
constexpr int64_t kPiece = 8;

/// Any elementwise op on tiles: the same op on the slot vectors.
struct ElementwiseToGpu : ConversionPattern {
  ElementwiseToGpu(TypeConverter &converter, MLIRContext *ctx)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), 1, ctx) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op->hasTrait<OpTrait::Elementwise>() || op->getNumRegions() != 0)
      return rewriter.notifyMatchFailure(op, "not elementwise");
    SmallVector<Type> types;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(), types)))
      return failure();
    auto vecType = dyn_cast<VectorType>(types.front());
    if (!vecType || types.size() != 1)
      return rewriter.notifyMatchFailure(op, "not one tile result");
    // In pieces the size of a memory access, so that each piece's chain of
    // ops can run next to its load or store (see scheduleKernels) instead
    // of keeping whole tiles alive between ops.
    Location loc = op->getLoc();
    int64_t n = vecType.getNumElements();
    SmallVector<Value> pieces;
    for (int64_t e = 0; e < n; e += kPiece) {
      int64_t width = std::min(kPiece, n - e);
      SmallVector<Value> ops;
      for (Value v : operands)
        ops.push_back(isa<VectorType>(v.getType())
                          ? extractSlots(rewriter, loc, v, e, width)
                          : v); // A scalar select condition.
      OperationState state(loc, op->getName(), ops,
                           VectorType::get({width}, vecType.getElementType()),
                           op->getAttrs());
      pieces.push_back(rewriter.create(state)->getResult(0));
    }
    rewriter.replaceOp(op, concatSlots(rewriter, loc, pieces));
    return success();
  }
};

struct SplatToGpu : OpConversionPattern<tensor::SplatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tensor::SplatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    if (!isa<VectorType>(type))
      return failure();
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(op, type,
                                                     adaptor.getInput());
    return success();
  }
};

/// Splat tile constants (zeros, ones) as splat vectors.
struct ConstantToGpu : OpConversionPattern<arith::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto dense = dyn_cast<SplatElementsAttr>(op.getValue());
    auto type = dyn_cast_or_null<VectorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!dense || !type)
      return rewriter.notifyMatchFailure(op, "not a splat tile constant");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, DenseElementsAttr::get(type, dense.getSplatValue<Attribute>()));
    return success();
  }
};

/// Each slot's coordinate: the thread's offset plus the slot's.
struct RangeToGpu : OpConversionPattern<tile::RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tile::RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::optional<RegisterLayout> layout = RegisterLayout::get(op.getType());
    if (!layout)
      return rewriter.notifyMatchFailure(op, "not in a register layout");
    Location loc = op.getLoc();
    SmallVector<int64_t> offsets;
    for (int64_t e = 0; e < layout->numSlots(); ++e)
      offsets.push_back(layout->slotOffset(e, 0));
    auto type = VectorType::get({layout->numSlots()}, rewriter.getIndexType());
    Value base = vector::BroadcastOp::create(
        rewriter, loc, type,
        layout->threadOffset(rewriter, loc, getThreadIds(rewriter, loc), 0));
    Value slots = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            type, llvm::to_vector(llvm::map_range(offsets, [&](int64_t o) {
              return Attribute(rewriter.getIndexAttr(o));
            }))));
    rewriter.replaceOpWithNewOp<arith::AddIOp>(op, base, slots);
    return success();
  }
};

/// Each slot of the result takes the slot of the source's slice layout
/// holding its coordinate along the kept dim.
struct BroadcastToGpu : OpConversionPattern<tile::BroadcastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tile::BroadcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::optional<RegisterLayout> layout = RegisterLayout::get(op.getType());
    auto source =
        dyn_cast<tile::SliceLayoutAttr>(op.getSource().getType().getEncoding());
    if (!layout || !source || op.getDims().size() != 1 ||
        source.getDim() != op.getDims()[0] ||
        source.getParent() != op.getType().getEncoding())
      return rewriter.notifyMatchFailure(
          op, "needs the source in the slice of the result's layout");
    SmallVector<int64_t> mask;
    for (int64_t e = 0; e < layout->numSlots(); ++e)
      mask.push_back(layout->sliceSlot(e, source.getDim()));
    rewriter.replaceOpWithNewOp<vector::ShuffleOp>(op, adaptor.getSource(),
                                                   adaptor.getSource(), mask);
    return success();
  }
};

/// tile.map: the body on slot vectors when it is only elementwise ops, else
/// once per slot.
struct MapToGpu : OpConversionPattern<tile::MapOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tile::MapOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast_or_null<VectorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!type)
      return rewriter.notifyMatchFailure(op, "not in a register layout");
    Location loc = op.getLoc();
    Block &body = op.getBody().front();
    int64_t slots = type.getNumElements();
    bool vectorizable =
        llvm::all_of(body.without_terminator(), [](Operation &o) {
          return o.hasTrait<OpTrait::Elementwise>() ||
                 isa<arith::ConstantOp>(o);
        });
    Value yielded = cast<tile::YieldOp>(body.getTerminator()).getValue();
    if (vectorizable) {
      // The body on pieces of the slots (see ElementwiseToGpu).
      SmallVector<Value> pieces;
      for (int64_t e = 0; e < slots; e += kPiece) {
        int64_t width = std::min(kPiece, slots - e);
        auto splat = [&](Value v) -> Value {
          return vector::BroadcastOp::create(
              rewriter, loc, VectorType::get({width}, v.getType()), v);
        };
        IRMapping map;
        for (auto [arg, in] :
             llvm::zip(body.getArguments(), adaptor.getInputs()))
          map.map(arg, isa<VectorType>(in.getType())
                           ? extractSlots(rewriter, loc, in, e, width)
                           : splat(in));
        for (Operation &o : body.without_terminator()) {
          if (isa<arith::ConstantOp>(o)) {
            rewriter.clone(o, map);
            continue;
          }
          // Scalar operands (values from above, constants) are splat.
          SmallVector<Value> ops;
          for (Value v : o.getOperands()) {
            Value m = map.lookupOrDefault(v);
            ops.push_back(isa<VectorType>(m.getType()) ? m : splat(m));
          }
          SmallVector<Type> types;
          for (Type t : o.getResultTypes())
            types.push_back(VectorType::get({width}, t));
          OperationState state(o.getLoc(), o.getName(), ops, types,
                               o.getAttrs());
          map.map(o.getResults(), rewriter.create(state)->getResults());
        }
        Value piece = map.lookupOrDefault(yielded);
        pieces.push_back(isa<VectorType>(piece.getType()) ? piece
                                                          : splat(piece));
      }
      rewriter.replaceOp(op, concatSlots(rewriter, loc, pieces));
      return success();
    }
    SmallVector<Value> elements;
    for (int64_t e = 0; e < slots; ++e) {
      IRMapping map;
      for (auto [arg, in] : llvm::zip(body.getArguments(), adaptor.getInputs()))
        map.map(
            arg,
            isa<VectorType>(in.getType())
                ? vector::ExtractOp::create(rewriter, loc, in, e).getResult()
                : in);
      for (Operation &o : body.without_terminator())
        rewriter.clone(o, map);
      elements.push_back(map.lookupOrDefault(yielded));
    }
    rewriter.replaceOpWithNewOp<vector::FromElementsOp>(op, type, elements);
    return success();
  }
};

/// Adds `v` (f32) over the lanes whose bits `mask` selects (xor shuffles).
Value sumOverLanes(OpBuilder &b, Location loc, Value v, int64_t lanes,
                   int64_t stride) {
  for (int64_t off = stride * lanes / 2; off >= stride; off /= 2) {
    Value other =
        gpu::ShuffleOp::create(b, loc, v, off, 32, gpu::ShuffleMode::XOR)
            .getShuffleResult();
    v = arith::AddFOp::create(b, loc, v, other);
  }
  return v;
}

/// tile.sum along a dim of a blocked layout whose warps do not split it:
/// the thread's slots, then its lanes along the dim.
struct SumToGpu : OpConversionPattern<tile::SumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tile::SumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = op.getInput().getType();
    auto blocked = dyn_cast<tile::BlockedLayoutAttr>(inType.getEncoding());
    std::optional<RegisterLayout> in = RegisterLayout::get(inType);
    std::optional<RegisterLayout> out = RegisterLayout::get(op.getType());
    int64_t dim = op.getDim();
    auto slice = dyn_cast<tile::SliceLayoutAttr>(op.getType().getEncoding());
    if (!blocked || !in || !out || blocked.getWarps()[dim] != 1 || !slice ||
        slice.getDim() != dim || slice.getParent() != blocked)
      return rewriter.notifyMatchFailure(
          op, "sums a blocked layout within warps only, into its slice");
    Location loc = op.getLoc();
    // Slots that fall past the tile (an overhanging layout) hold whatever
    // elementwise ops made of zeros: they are left out by their offsets.
    SmallVector<Value> partial(out->numSlots());
    for (int64_t e = 0; e < in->numSlots(); ++e) {
      if (in->slotOffset(e, dim) >= in->dimSize(dim))
        continue;
      int64_t s = in->sliceSlot(e, dim);
      Value v = vector::ExtractOp::create(rewriter, loc, adaptor.getInput(), e);
      partial[s] =
          partial[s]
              ? arith::AddFOp::create(rewriter, loc, partial[s], v).getResult()
              : v;
    }
    // Lanes along `dim` are consecutive lane bits: stride 1 for the last
    // dim, threads[1] for the first.
    int64_t lanes = blocked.getThreads()[dim];
    int64_t stride = dim == inType.getRank() - 1 ? 1 : blocked.getThreads()[1];
    for (Value &v : partial) {
      if (!v)
        v = arith::ConstantOp::create(rewriter, loc,
                                      rewriter.getF32FloatAttr(0));
      v = sumOverLanes(rewriter, loc, v, lanes, stride);
    }
    rewriter.replaceOpWithNewOp<vector::FromElementsOp>(
        op, VectorType::get({out->numSlots()}, rewriter.getF32Type()), partial);
    return success();
  }
};

/// tile.cumsum in the one-warp scan layout (element i in lane i % 32): a
/// shuffle scan of each 32 elements, carrying the running total.
struct CumsumToGpu : OpConversionPattern<tile::CumsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tile::CumsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto blocked =
        dyn_cast<tile::BlockedLayoutAttr>(op.getType().getEncoding());
    if (!blocked || blocked.getSize()[0] != 1 ||
        blocked.getThreads()[0] != 32 || blocked.getWarps()[0] != 1)
      return rewriter.notifyMatchFailure(op, "needs the one-warp scan layout");
    Location loc = op.getLoc();
    auto type = cast<VectorType>(adaptor.getInput().getType());
    Value result = adaptor.getInput();
    Value carry =
        arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
    for (int64_t e = 0; e < type.getNumElements(); ++e) {
      Value v = vector::ExtractOp::create(rewriter, loc, result, e);
      for (int32_t off = 1; off < 32; off *= 2) {
        auto up = gpu::ShuffleOp::create(rewriter, loc, v, off, 32,
                                         gpu::ShuffleMode::UP);
        v = arith::SelectOp::create(
            rewriter, loc, up.getValid(),
            arith::AddFOp::create(rewriter, loc, v, up.getShuffleResult()), v);
      }
      v = arith::AddFOp::create(rewriter, loc, v, carry);
      result = vector::InsertOp::create(rewriter, loc, v, result, e);
      carry = gpu::ShuffleOp::create(rewriter, loc, v, 31, 32,
                                     gpu::ShuffleMode::IDX)
                  .getShuffleResult();
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void smc::kernels::populateComputeToGpuPatterns(TileTypeConverter &converter,
                                                RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ElementwiseToGpu>(converter, ctx);
  patterns.add<SplatToGpu, ConstantToGpu, RangeToGpu, BroadcastToGpu, MapToGpu,
               SumToGpu, CumsumToGpu>(converter, ctx);
}
