//===- TilesToGpu.cpp - tile programs as GPU kernels ----------------------===//

#include "passes/Passes.h"
#include "passes/gpu/Patterns.h"

#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace smc {
#define GEN_PASS_DEF_TILESTOGPU
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;
using namespace smc::kernels;

TileTypeConverter::TileTypeConverter() {
  addConversion([](Type t) { return t; });
  addConversion([](RankedTensorType t) -> Type {
    if (auto layout = RegisterLayout::get(t))
      return VectorType::get({layout->numSlots()}, t.getElementType());
    if (auto shared =
            dyn_cast_or_null<tile::SharedLayoutAttr>(t.getEncoding())) {
      SmallVector<int64_t> shape(t.getShape());
      if (shape.size() == 2)
        shape[1] += shared.getPad();
      auto space = gpu::AddressSpaceAttr::get(t.getContext(),
                                              gpu::AddressSpace::Workgroup);
      return MemRefType::get(shape, t.getElementType(),
                             MemRefLayoutAttrInterface{}, space);
    }
    return t;
  });
}

Value smc::kernels::sharedView(OpBuilder &b, Location loc, MemRefType type,
                               int64_t offset) {
  auto space =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  Value base = gpu::DynamicSharedMemoryOp::create(
      b, loc,
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                      MemRefLayoutAttrInterface{}, space));
  return memref::ViewOp::create(b, loc, type, base,
                                arith::ConstantIndexOp::create(b, loc, offset),
                                ValueRange{});
}

Value smc::kernels::extractSlots(OpBuilder &b, Location loc, Value v,
                                 int64_t offset, int64_t width) {
  auto type = cast<VectorType>(v.getType());
  if (offset == 0 && width == type.getNumElements())
    return v;
  SmallVector<int64_t> mask;
  for (int64_t i = 0; i < width; ++i)
    mask.push_back(offset + i);
  return vector::ShuffleOp::create(b, loc, v, v, mask);
}

Value smc::kernels::insertSlots(OpBuilder &b, Location loc, Value piece,
                                Value v, int64_t offset) {
  int64_t n = cast<VectorType>(v.getType()).getNumElements();
  int64_t width = cast<VectorType>(piece.getType()).getNumElements();
  if (width == n)
    return piece;
  // Widen the piece, then pick each slot from one or the other.
  SmallVector<int64_t> widen;
  for (int64_t i = 0; i < n; ++i)
    widen.push_back(i < width ? i : 0);
  Value wide = vector::ShuffleOp::create(b, loc, piece, piece, widen);
  SmallVector<int64_t> mask;
  for (int64_t i = 0; i < n; ++i)
    mask.push_back(i >= offset && i < offset + width ? n + i - offset : i);
  return vector::ShuffleOp::create(b, loc, v, wide, mask);
}

Value smc::kernels::concatSlots(OpBuilder &b, Location loc,
                                ArrayRef<Value> pieces) {
  Value v = pieces.front();
  for (Value piece : pieces.drop_front()) {
    int64_t n = cast<VectorType>(v.getType()).getNumElements() +
                cast<VectorType>(piece.getType()).getNumElements();
    SmallVector<int64_t> mask;
    for (int64_t i = 0; i < n; ++i)
      mask.push_back(i);
    v = vector::ShuffleOp::create(b, loc, v, piece, mask);
  }
  return v;
}

Value smc::kernels::toMatrix(OpBuilder &b, Location loc, Value v, int64_t rows,
                             int64_t cols) {
  auto elem = cast<VectorType>(v.getType()).getElementType();
  auto type = VectorType::get({rows, cols}, elem);
  Value m = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  for (int64_t r = 0; r < rows; ++r)
    m = vector::InsertOp::create(b, loc,
                                 extractSlots(b, loc, v, r * cols, cols), m, r);
  return m;
}

Value smc::kernels::fromMatrix(OpBuilder &b, Location loc, Value m) {
  auto type = cast<VectorType>(m.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  Value v = arith::ConstantOp::create(
      b, loc,
      b.getZeroAttr(VectorType::get({rows * cols}, type.getElementType())));
  for (int64_t r = 0; r < rows; ++r)
    v = insertSlots(b, loc, vector::ExtractOp::create(b, loc, m, r), v,
                    r * cols);
  return v;
}

namespace {

/// A grid is a kernel: a block per grid point (the last dim fastest in the
/// block index), 32 threads per warp, and the shared memory its staged
/// tiles need.
struct GridToLaunch : OpConversionPattern<tile::GridOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tile::GridOp grid, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = grid.getLoc();
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value blocks = one;
    for (Value size : adaptor.getSizes())
      blocks = arith::MulIOp::create(rewriter, loc, blocks, size);
    int64_t warps = grid.getNumWarps().value_or(4);
    Value threads = arith::ConstantIndexOp::create(rewriter, loc, 32 * warps);
    Value shared;
    if (auto bytes = grid->getAttrOfType<IntegerAttr>("tile.shared_bytes");
        bytes && bytes.getInt() > 0)
      shared = arith::ConstantIntOp::create(
          rewriter, loc, rewriter.getI32Type(), bytes.getInt());
    auto launch = gpu::LaunchOp::create(rewriter, loc, blocks, one, one,
                                        threads, one, one, shared);
    Block &body = launch.getBody().front();
    rewriter.setInsertionPointToStart(&body);
    auto terminator = gpu::TerminatorOp::create(rewriter, loc);
    rewriter.setInsertionPoint(terminator);
    // The grid point of this block.
    SmallVector<Value> coords(grid.getSizes().size());
    Value rest = launch.getBlockIds().x;
    for (int64_t d = coords.size() - 1; d >= 0; --d) {
      Value size = adaptor.getSizes()[d];
      coords[d] =
          d ? arith::RemUIOp::create(rewriter, loc, rest, size).getResult()
            : rest;
      if (d)
        rest = arith::DivUIOp::create(rewriter, loc, rest, size);
    }
    Block &gridBody = grid.getBody().front();
    rewriter.eraseOp(gridBody.getTerminator());
    // A program's scalar stores are made once, by the block's first thread.
    SmallVector<memref::StoreOp> stores;
    gridBody.walk([&](memref::StoreOp s) { stores.push_back(s); });
    for (memref::StoreOp s : stores) {
      rewriter.setInsertionPoint(s);
      Value first = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq,
          gpu::ThreadIdOp::create(rewriter, loc, gpu::Dimension::x),
          arith::ConstantIndexOp::create(rewriter, loc, 0));
      auto guard = scf::IfOp::create(rewriter, loc, first);
      rewriter.moveOpBefore(s, guard.thenBlock()->getTerminator());
    }
    rewriter.inlineBlockBefore(&gridBody, terminator, coords);
    rewriter.eraseOp(grid);
    return success();
  }
};

struct TilesToGpuPass : smc::impl::TilesToGpuBase<TilesToGpuPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    TileTypeConverter converter;
    RewritePatternSet patterns(ctx);
    ConversionTarget target(*ctx);
    target.addIllegalDialect<tile::TileDialect>();
    target.addLegalOp<tile::ProgramOp>();
    // Ops on tiles are illegal; the same ops on scalars and vectors stay.
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });
    target.addDynamicallyLegalOp<tile::EndOp>(
        [](tile::EndOp op) { return isa<tile::ProgramOp>(op->getParentOp()); });
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                         target);
    populateGridToLaunchPatterns(converter, patterns);
    populateMemoryToGpuPatterns(converter, patterns);
    populateComputeToGpuPatterns(converter, patterns);
    populateDotToGpuPatterns(converter, patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();
    scheduleKernels(getOperation());
    insertSharedMemoryBarriers(getOperation());
  }
};

} // namespace

void smc::kernels::populateGridToLaunchPatterns(TileTypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<GridToLaunch>(converter, patterns.getContext());
}
