//===- MemoryToGpu.cpp - tile loads, stores and staging as GPU code -------===//
//
// A thread moves the slots of a tile it holds. Slots consecutive along the
// tile's last dim, which is the memref's innermost, move as one vector
// access (16 bytes for the default layouts). Elements past a bound read as
// zero from a clamped address, so a tile's loads are issued without
// branches; stores past a bound are skipped.
//
//===----------------------------------------------------------------------===//

#include "passes/gpu/Patterns.h"

#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace smc;
using namespace smc::kernels;

namespace {

/// How a tile maps onto a memref: the box's first element, which memref
/// dim each tile dim runs along, and the bounds.
struct Box {
  SmallVector<Value> indices;
  SmallVector<int64_t> dims;
  SmallVector<Value> bounds; ///< Empty, or one per tile dim.
};

int64_t bitWidth(Type elem) {
  return elem.isIndex() ? 64 : elem.getIntOrFloatBitWidth();
}

Value constIndex(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// The constant value of `v`, if it has one.
std::optional<int64_t> constantOf(Value v) {
  if (auto c = v.getDefiningOp<arith::ConstantIndexOp>())
    return c.value();
  return std::nullopt;
}

/// The longest vector access starting at slot e: contiguous slots, along
/// the memref's contiguous innermost dim, that a bound cannot split.
int64_t accessWidth(const RegisterLayout &layout, int64_t e, MemRefType mem,
                    const Box &box) {
  int64_t last = layout.rank() - 1;
  if (box.dims[last] != mem.getRank() - 1 || !mem.getLayout().isIdentity())
    return 1;
  int64_t width = layout.contiguousSlots(e);
  width = std::min<int64_t>(
      width, std::max<int64_t>(1, 128 / bitWidth(mem.getElementType())));
  if (!box.bounds.empty()) {
    std::optional<int64_t> bound = constantOf(box.bounds[last]);
    if (!bound)
      return 1;
    while (width > 1 && *bound % width)
      width /= 2;
  }
  while (width > 1 && layout.slotOffset(e, last) % width)
    width /= 2;
  return std::max<int64_t>(1, llvm::bit_floor(static_cast<uint64_t>(width)));
}

/// The alignment of a `width`-element access whose memref rows are long
/// multiples of `width` (buffers are 16-byte aligned; the runtime checks).
llvm::MaybeAlign accessAlignment(MemRefType mem, int64_t width) {
  int64_t elemBytes = std::max<int64_t>(1, bitWidth(mem.getElementType()) / 8);
  int64_t bytes = width * elemBytes;
  int64_t inner = mem.getShape().back();
  if (ShapedType::isDynamic(inner) || inner % width)
    bytes = elemBytes;
  return llvm::Align(std::max<int64_t>(1, std::min<int64_t>(16, bytes)));
}

/// Where slot e of the running thread falls: its memref indices (clamped
/// into the box) and whether it is inside the box and the tile.
struct Place {
  SmallVector<Value> indices;
  Value inside; ///< Null when always inside.
};

Place placeOf(OpBuilder &b, Location loc, const RegisterLayout &layout,
              ArrayRef<Value> threadOffsets, int64_t e, int64_t width,
              const Box &box) {
  Place p;
  p.indices = box.indices;
  auto andAlso = [&](Value cond) {
    p.inside = p.inside
                   ? arith::AndIOp::create(b, loc, p.inside, cond).getResult()
                   : cond;
  };
  for (int64_t d = 0; d < layout.rank(); ++d) {
    Value coord = arith::AddIOp::create(
        b, loc, threadOffsets[d], constIndex(b, loc, layout.slotOffset(e, d)));
    // The last valid coordinate: the bound's, and the tile's where the
    // layout overhangs it.
    Value limit;
    if (!box.bounds.empty()) {
      std::optional<int64_t> bound = constantOf(box.bounds[d]);
      if (!bound || *bound < layout.dimSize(d))
        limit = box.bounds[d];
    }
    if (layout.mayOverhang(d)) {
      Value size = constIndex(b, loc, layout.dimSize(d));
      limit = limit ? arith::MinUIOp::create(b, loc, limit, size).getResult()
                    : size;
    }
    if (limit) {
      andAlso(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, coord,
                                    limit));
      // Clamped to the last access that fits: a vector access along the
      // last dim starts a whole vector before the limit (which it divides).
      int64_t span = d == layout.rank() - 1 ? width : 1;
      Value step = constIndex(b, loc, span);
      Value lastValid = arith::SubIOp::create(
          b, loc, arith::MaxUIOp::create(b, loc, limit, step), step);
      coord = arith::MinUIOp::create(b, loc, coord, lastValid);
    }
    int64_t m = box.dims[d];
    p.indices[m] = arith::AddIOp::create(b, loc, p.indices[m], coord);
  }
  return p;
}

SmallVector<Value> threadOffsets(OpBuilder &b, Location loc,
                                 const RegisterLayout &layout) {
  ThreadIds ids = getThreadIds(b, loc);
  SmallVector<Value> offs;
  for (int64_t d = 0; d < layout.rank(); ++d)
    offs.push_back(layout.threadOffset(b, loc, ids, d));
  return offs;
}

/// Reads the thread's slots of a tile in `layout` from `mem`.
Value readSlots(OpBuilder &b, Location loc, const RegisterLayout &layout,
                Value mem, const Box &box) {
  auto memType = cast<MemRefType>(mem.getType());
  Type elem = memType.getElementType();
  auto vecType = VectorType::get({layout.numSlots()}, elem);
  Value result = arith::ConstantOp::create(b, loc, b.getZeroAttr(vecType));
  SmallVector<Value> offs = threadOffsets(b, loc, layout);
  for (int64_t e = 0; e < layout.numSlots();) {
    int64_t width = accessWidth(layout, e, memType, box);
    Place p = placeOf(b, loc, layout, offs, e, width, box);
    auto pieceType = VectorType::get({width}, elem);
    Value piece =
        vector::LoadOp::create(b, loc, pieceType, mem, p.indices, false,
                               accessAlignment(memType, width));
    if (p.inside)
      piece = arith::SelectOp::create(
          b, loc, p.inside, piece,
          arith::ConstantOp::create(b, loc, b.getZeroAttr(pieceType)));
    result = insertSlots(b, loc, piece, result, e);
    e += width;
  }
  return result;
}

/// Writes the thread's slots (`slots`) of a tile in `layout` into `mem`;
/// with `onlyOwners`, replicas of a slice layout do not write.
void writeSlots(OpBuilder &b, Location loc, const RegisterLayout &layout,
                Value slots, Value mem, const Box &box, bool onlyOwners) {
  auto memType = cast<MemRefType>(mem.getType());
  SmallVector<Value> offs = threadOffsets(b, loc, layout);
  Value owner;
  if (onlyOwners)
    owner = layout.isOwner(b, loc, getThreadIds(b, loc));
  for (int64_t e = 0; e < layout.numSlots();) {
    int64_t width = accessWidth(layout, e, memType, box);
    Place p = placeOf(b, loc, layout, offs, e, width, box);
    Value piece = extractSlots(b, loc, slots, e, width);
    Value cond = p.inside;
    if (owner)
      cond =
          cond ? arith::AndIOp::create(b, loc, cond, owner).getResult() : owner;
    auto store = [&](OpBuilder &nb, Location l) {
      vector::StoreOp::create(nb, l, piece, mem, p.indices, false,
                              accessAlignment(memType, width));
    };
    if (cond) {
      scf::IfOp::create(b, loc, cond, [&](OpBuilder &nb, Location l) {
        store(nb, l);
        scf::YieldOp::create(nb, l);
      });
    } else {
      store(b, loc);
    }
    e += width;
  }
}

Box boxOf(ValueRange indices, ArrayRef<int64_t> dims, ValueRange bounds) {
  return Box{SmallVector<Value>(indices), SmallVector<int64_t>(dims),
             SmallVector<Value>(bounds)};
}

struct LoadToGpu : OpConversionPattern<tile::LoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tile::LoadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!type) { // One element, read by every thread.
      rewriter.replaceOpWithNewOp<memref::LoadOp>(op, adaptor.getSource(),
                                                  adaptor.getIndices());
      return success();
    }
    std::optional<RegisterLayout> layout = RegisterLayout::get(type);
    if (!layout)
      return rewriter.notifyMatchFailure(op, "not in a register layout");
    rewriter.replaceOp(op, readSlots(rewriter, op.getLoc(), *layout,
                                     adaptor.getSource(),
                                     boxOf(adaptor.getIndices(), op.getDims(),
                                           adaptor.getBounds())));
    return success();
  }
};

struct StoreToGpu : OpConversionPattern<tile::StoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tile::StoreOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::optional<RegisterLayout> layout =
        RegisterLayout::get(op.getValue().getType());
    if (!layout)
      return rewriter.notifyMatchFailure(op, "not in a register layout");
    writeSlots(rewriter, op.getLoc(), *layout, adaptor.getValue(),
               adaptor.getDest(),
               boxOf(adaptor.getIndices(), op.getDims(), adaptor.getBounds()),
               /*onlyOwners=*/true);
    rewriter.eraseOp(op);
    return success();
  }
};

/// Register layouts to and from shared memory.
struct ConvertLayoutToGpu : OpConversionPattern<tile::ConvertLayoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(tile::ConvertLayoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto srcType = op.getSource().getType();
    auto dstType = op.getType();
    auto rank = dstType.getRank();
    SmallVector<int64_t> dims;
    for (int64_t d = 0; d < rank; ++d)
      dims.push_back(d);
    SmallVector<Value> origin(rank, constIndex(rewriter, loc, 0));
    Box box{origin, dims, {}};
    if (isa<tile::SharedLayoutAttr>(dstType.getEncoding())) {
      std::optional<RegisterLayout> from = RegisterLayout::get(srcType);
      if (!from || !op.getOffset())
        return rewriter.notifyMatchFailure(op, "no register source or offset");
      auto memType = cast<MemRefType>(getTypeConverter()->convertType(dstType));
      Value view = sharedView(rewriter, loc, memType, *op.getOffset());
      writeSlots(rewriter, loc, *from, adaptor.getSource(), view, box,
                 /*onlyOwners=*/false);
      rewriter.replaceOp(op, view);
      return success();
    }
    std::optional<RegisterLayout> to = RegisterLayout::get(dstType);
    if (!to || !isa<tile::SharedLayoutAttr>(srcType.getEncoding()))
      return rewriter.notifyMatchFailure(
          op, "register to register goes through shared memory");
    rewriter.replaceOp(op,
                       readSlots(rewriter, loc, *to, adaptor.getSource(), box));
    return success();
  }
};

} // namespace

void smc::kernels::populateMemoryToGpuPatterns(TileTypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<LoadToGpu, StoreToGpu, ConvertLayoutToGpu>(
      converter, patterns.getContext());
}
