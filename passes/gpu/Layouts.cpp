//===- Layouts.cpp - which thread holds which element of a tile -----------===//

#include "passes/gpu/Layouts.h"

#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/NVGPU/Utils/MMAUtils.h"

using namespace mlir;
using namespace smc;
using namespace smc::kernels;

ThreadIds smc::kernels::getThreadIds(OpBuilder &b, Location loc) {
  Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  Value warpSize = arith::ConstantIndexOp::create(b, loc, 32);
  return {arith::RemUIOp::create(b, loc, tid, warpSize),
          arith::DivUIOp::create(b, loc, tid, warpSize)};
}

namespace {

/// The lane map of an m16n8 f32 accumulator from nvgpu's MMAUtils:
/// (lane, value) -> (row, col) of a 16 x 8 tile.
AffineMap accumulatorLaneMap(MLIRContext *ctx) {
  OpBuilder b(ctx);
  nvgpu::WarpMatrixInfo info{VectorType::get({16, 8}, Float32Type::get(ctx)),
                             nvgpu::MatMulOperandRole::C};
  return *nvgpu::getLaneIdAndValueIdToOperandCoord(b, UnknownLoc::get(ctx),
                                                   info);
}

/// The constant coordinate of accumulator value v (lane 0).
std::pair<int64_t, int64_t> accumulatorValue(MLIRContext *ctx, int64_t v) {
  AffineMap map = accumulatorLaneMap(ctx);
  Builder b(ctx);
  SmallVector<Attribute> results;
  (void)map.constantFold({b.getIndexAttr(0), b.getIndexAttr(v)}, results);
  return {cast<IntegerAttr>(results[0]).getInt(),
          cast<IntegerAttr>(results[1]).getInt()};
}

} // namespace

RegisterLayout::ThreadPart RegisterLayout::mmaPart(int64_t d) {
  // The lane's part comes from MMAUtils (see threadPart); the warps own
  // consecutive blocks of 16 rows.
  ThreadPart p;
  if (d == 0)
    p.warpMul = 16;
  return p;
}

std::optional<RegisterLayout> RegisterLayout::get(RankedTensorType type) {
  Attribute enc = type.getEncoding();
  RegisterLayout l;
  l.tileType = type;
  ArrayRef<int64_t> shape = type.getShape();
  if (auto blocked = dyn_cast_or_null<tile::BlockedLayoutAttr>(enc)) {
    int64_t r = type.getRank();
    if (static_cast<int64_t>(blocked.getSize().size()) != r)
      return std::nullopt;
    SmallVector<int64_t, 2> cover(r), reps(r);
    for (int64_t d = 0; d < r; ++d) {
      cover[d] = blocked.getSize()[d] * blocked.getThreads()[d] *
                 blocked.getWarps()[d];
      reps[d] = llvm::divideCeil(shape[d], cover[d]);
      l.overhang.push_back(shape[d] % cover[d] != 0);
    }
    ArrayRef<int64_t> size = blocked.getSize();
    if (r == 1) {
      for (int64_t rep = 0; rep < reps[0]; ++rep)
        for (int64_t i = 0; i < size[0]; ++i)
          l.offsets.push_back({rep * cover[0] + i});
    } else {
      for (int64_t r0 = 0; r0 < reps[0]; ++r0)
        for (int64_t r1 = 0; r1 < reps[1]; ++r1)
          for (int64_t i0 = 0; i0 < size[0]; ++i0)
            for (int64_t i1 = 0; i1 < size[1]; ++i1)
              l.offsets.push_back({r0 * cover[0] + i0, r1 * cover[1] + i1});
    }
    // Lanes and warps are numbered with the last dim fastest.
    ArrayRef<int64_t> threads = blocked.getThreads(),
                      warps = blocked.getWarps();
    for (int64_t d = 0; d < r; ++d) {
      ThreadPart p;
      p.laneDiv = d + 1 < r ? threads[r - 1] : 1;
      p.laneMod = threads[d];
      p.laneMul = size[d];
      p.warpDiv = d + 1 < r ? warps[r - 1] : 1;
      p.warpMod = warps[d];
      p.warpMul = size[d] * threads[d];
      l.parts.push_back(p);
    }
    return l;
  }
  if (auto mma = dyn_cast_or_null<tile::MmaLayoutAttr>(enc)) {
    int64_t w = mma.getWarps();
    if (type.getRank() != 2 || shape[0] % (16 * w) || shape[1] % 8)
      return std::nullopt;
    l.mma = true;
    for (int64_t m = 0; m < shape[0] / (16 * w); ++m)
      for (int64_t n = 0; n < shape[1] / 8; ++n)
        for (int64_t v = 0; v < 4; ++v) {
          auto [row, col] = accumulatorValue(type.getContext(), v);
          l.offsets.push_back({16 * w * m + row, 8 * n + col});
        }
    l.parts = {mmaPart(0), mmaPart(1)};
    l.overhang = {false, false};
    return l;
  }
  if (auto slice = dyn_cast_or_null<tile::SliceLayoutAttr>(enc)) {
    int64_t dim = slice.getDim();
    if (type.getRank() != 1 || (dim != 0 && dim != 1))
      return std::nullopt;
    int64_t kept = 1 - dim;
    // The parent over a 2-d tile whose sliced dim is one coverage long.
    SmallVector<int64_t, 2> parentShape(2);
    parentShape[kept] = shape[0];
    parentShape[dim] = 1;
    Attribute parentEnc = slice.getParent();
    if (auto mma = dyn_cast<tile::MmaLayoutAttr>(parentEnc))
      parentShape[dim] = dim == 0 ? 16 * mma.getWarps() : 8;
    else if (auto blocked = dyn_cast<tile::BlockedLayoutAttr>(parentEnc))
      parentShape[dim] = blocked.getSize()[dim] * blocked.getThreads()[dim] *
                         blocked.getWarps()[dim];
    auto parentType =
        RankedTensorType::get(parentShape, type.getElementType(), parentEnc);
    std::optional<RegisterLayout> parent = get(parentType);
    if (!parent)
      return std::nullopt;
    for (int64_t e = 0; e < parent->numSlots(); ++e) {
      int64_t off = parent->offsets[e][kept];
      if (!llvm::is_contained(
              llvm::map_range(l.offsets, [](auto &o) { return o[0]; }), off))
        l.offsets.push_back({off});
    }
    l.parentMma = parent->mma;
    l.parentParts = parent->parts;
    l.slicedDim = dim;
    l.overhang = {parent->overhang[kept]};
    return l;
  }
  return std::nullopt;
}

Value RegisterLayout::evaluate(OpBuilder &b, Location loc, ThreadIds ids,
                               const ThreadPart &p) {
  auto term = [&](Value id, int64_t div, int64_t mod, int64_t mul) -> Value {
    if (mul == 0 || mod == 1)
      return arith::ConstantIndexOp::create(b, loc, 0);
    Value v = id;
    if (div != 1)
      v = arith::DivUIOp::create(b, loc, v,
                                 arith::ConstantIndexOp::create(b, loc, div));
    if (mod != 0) // 0: no modulus.
      v = arith::RemUIOp::create(b, loc, v,
                                 arith::ConstantIndexOp::create(b, loc, mod));
    if (mul != 1)
      v = arith::MulIOp::create(b, loc, v,
                                arith::ConstantIndexOp::create(b, loc, mul));
    return v;
  };
  return arith::AddIOp::create(b, loc,
                               term(ids.lane, p.laneDiv, p.laneMod, p.laneMul),
                               term(ids.warp, p.warpDiv, p.warpMod, p.warpMul));
}

/// The lane's part of an accumulator coordinate along d, by MMAUtils.
static Value mmaLanePart(OpBuilder &b, Location loc, ThreadIds ids, int64_t d) {
  AffineMap map = accumulatorLaneMap(b.getContext());
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  return affine::AffineApplyOp::create(b, loc, map.getSubMap({(unsigned)d}),
                                       ValueRange{ids.lane, zero});
}

/// The thread's part along dim d of a layout described by `p` (with the
/// lanes of an MMA accumulator when `mma`).
static Value threadPart(OpBuilder &b, Location loc, ThreadIds ids,
                        Value warpPart, bool mma, int64_t d) {
  if (!mma)
    return warpPart;
  return arith::AddIOp::create(b, loc, mmaLanePart(b, loc, ids, d), warpPart);
}

Value RegisterLayout::threadOffset(OpBuilder &b, Location loc, ThreadIds ids,
                                   int64_t d) const {
  if (slicedDim) {
    int64_t kept = 1 - *slicedDim;
    return threadPart(b, loc, ids, evaluate(b, loc, ids, parentParts[kept]),
                      parentMma, kept);
  }
  return threadPart(b, loc, ids, evaluate(b, loc, ids, parts[d]), mma, d);
}

Value RegisterLayout::isOwner(OpBuilder &b, Location loc, ThreadIds ids) const {
  if (!slicedDim)
    return arith::ConstantIntOp::create(b, loc, 1, 1);
  int64_t dim = *slicedDim;
  Value part = threadPart(b, loc, ids, evaluate(b, loc, ids, parentParts[dim]),
                          parentMma, dim);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, part,
                               arith::ConstantIndexOp::create(b, loc, 0));
}

int64_t RegisterLayout::contiguousSlots(int64_t e) const {
  int64_t last = rank() - 1, n = 1;
  while (e + n < numSlots()) {
    bool next = offsets[e + n][last] == offsets[e][last] + n;
    for (int64_t d = 0; d < last; ++d)
      next &= offsets[e + n][d] == offsets[e][d];
    if (!next)
      break;
    ++n;
  }
  return n;
}

int64_t RegisterLayout::sliceSlot(int64_t e, int64_t dim) const {
  int64_t kept = 1 - dim;
  SmallVector<int64_t> seen;
  for (const auto &o : offsets) {
    if (!llvm::is_contained(seen, o[kept]))
      seen.push_back(o[kept]);
    if (o[kept] == offsets[e][kept])
      break;
  }
  return llvm::find(seen, offsets[e][kept]) - seen.begin();
}

Attribute smc::kernels::defaultBlockedLayout(MLIRContext *ctx,
                                             ArrayRef<int64_t> shape,
                                             int64_t elemBits, int64_t warps) {
  int64_t vec = std::max<int64_t>(1, 128 / elemBits);
  if (shape.size() == 1) {
    // As many 16-byte pieces per thread as fill the tile, at least one
    // element each.
    int64_t size = std::clamp<int64_t>(shape[0] / (32 * warps), 1, vec);
    return tile::BlockedLayoutAttr::get(ctx, {size}, {32}, {warps});
  }
  int64_t size1 = std::min(vec, shape[1]);
  int64_t lanes1 = std::clamp<int64_t>(shape[1] / size1, 1, 32);
  int64_t lanes0 = 32 / lanes1;
  // Warps down the rows while there are rows for them, then across.
  int64_t warps0 = std::clamp<int64_t>(shape[0] / lanes0, 1, warps);
  int64_t warps1 = warps / warps0;
  return tile::BlockedLayoutAttr::get(ctx, {1, size1}, {lanes0, lanes1},
                                      {warps0, warps1});
}

Attribute smc::kernels::scanLayout(MLIRContext *ctx) {
  return tile::BlockedLayoutAttr::get(ctx, {1}, {32}, {1});
}

RankedTensorType smc::kernels::withLayout(RankedTensorType type,
                                          Attribute layout) {
  return RankedTensorType::get(type.getShape(), type.getElementType(), layout);
}
