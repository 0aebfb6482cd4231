//===- TileBuilder.cpp - building tile programs that read like math -------===//

#include "passes/forms/TileBuilder.h"

#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace smc;
using namespace smc::forms;

Value TileBuilder::index(int64_t v) {
  return arith::ConstantIndexOp::create(*this, v);
}

Value TileBuilder::f32(double v) {
  return arith::ConstantOp::create(*this, getF32FloatAttr(v));
}

Value TileBuilder::addi(Value a, Value b) {
  return arith::AddIOp::create(*this, a, b);
}
Value TileBuilder::addi(Value a, int64_t b) {
  return b ? addi(a, index(b)) : a;
}
Value TileBuilder::subi(Value a, Value b) {
  return arith::SubIOp::create(*this, a, b);
}
Value TileBuilder::muli(Value a, Value b) {
  return arith::MulIOp::create(*this, a, b);
}
Value TileBuilder::muli(Value a, int64_t b) {
  return b == 1 ? a : muli(a, index(b));
}
Value TileBuilder::divui(Value a, Value b) {
  return arith::DivUIOp::create(*this, a, b);
}
Value TileBuilder::divui(Value a, int64_t b) {
  return b == 1 ? a : divui(a, index(b));
}
Value TileBuilder::remui(Value a, Value b) {
  return arith::RemUIOp::create(*this, a, b);
}
Value TileBuilder::ceildiv(Value a, Value b) {
  return arith::CeilDivUIOp::create(*this, a, b);
}
Value TileBuilder::ceildiv(Value a, int64_t b) {
  return b == 1 ? a : ceildiv(a, index(b));
}
Value TileBuilder::minui(Value a, Value b) {
  return arith::MinUIOp::create(*this, a, b);
}
Value TileBuilder::maxui(Value a, Value b) {
  return arith::MaxUIOp::create(*this, a, b);
}
Value TileBuilder::ult(Value a, Value b) {
  return arith::CmpIOp::create(*this, arith::CmpIPredicate::ult, a, b);
}
Value TileBuilder::ule(Value a, Value b) {
  return arith::CmpIOp::create(*this, arith::CmpIPredicate::ule, a, b);
}

namespace {

/// Reassociation lets the CPU's reductions vectorize; contraction lets the
/// GPU fuse multiply-adds.
arith::FastMathFlagsAttr fast(OpBuilder &b) {
  return arith::FastMathFlagsAttr::get(b.getContext(),
                                       arith::FastMathFlags::reassoc |
                                           arith::FastMathFlags::contract);
}

/// `a` and `b` with a scalar splat to the other's tile shape.
std::pair<Value, Value> matched(TileBuilder &b, Value x, Value y) {
  auto tx = dyn_cast<RankedTensorType>(x.getType());
  auto ty = dyn_cast<RankedTensorType>(y.getType());
  if (tx && !ty)
    y = b.splat(y, tx.getShape());
  if (ty && !tx)
    x = b.splat(x, ty.getShape());
  return {x, y};
}

} // namespace

Value TileBuilder::add(Value a, Value b) {
  auto [x, y] = matched(*this, a, b);
  return arith::AddFOp::create(*this, x, y, fast(*this));
}
Value TileBuilder::sub(Value a, Value b) {
  auto [x, y] = matched(*this, a, b);
  return arith::SubFOp::create(*this, x, y);
}
Value TileBuilder::mul(Value a, Value b) {
  auto [x, y] = matched(*this, a, b);
  return arith::MulFOp::create(*this, x, y, fast(*this));
}
Value TileBuilder::exp(Value a) { return math::ExpOp::create(*this, a); }
Value TileBuilder::expm1(Value a) { return math::ExpM1Op::create(*this, a); }
Value TileBuilder::decayBy(Value logDecay, Value v) {
  return add(v, mul(expm1(logDecay), v));
}

Value TileBuilder::select(Value cond, Value a, Value b) {
  auto [x, y] = matched(*this, a, b);
  if (auto tile = dyn_cast<RankedTensorType>(x.getType());
      tile && !isa<RankedTensorType>(cond.getType()))
    cond = splat(cond, tile.getShape());
  return arith::SelectOp::create(*this, cond, x, y);
}

Value TileBuilder::cast(Value v, Type elem) {
  Type from = getElementTypeOrSelf(v.getType());
  if (from == elem)
    return v;
  Type to = elem;
  if (auto tile = dyn_cast<RankedTensorType>(v.getType()))
    to = RankedTensorType::get(tile.getShape(), elem);
  if (from.getIntOrFloatBitWidth() > elem.getIntOrFloatBitWidth())
    return arith::TruncFOp::create(*this, to, v);
  return arith::ExtFOp::create(*this, to, v);
}

Value TileBuilder::splat(Value scalar, ArrayRef<int64_t> shape) {
  return tensor::SplatOp::create(
      *this, RankedTensorType::get(shape, scalar.getType()), scalar);
}

Value TileBuilder::zeros(ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, getF32Type());
  return arith::ConstantOp::create(*this,
                                   DenseElementsAttr::get(type, APFloat(0.0f)));
}

Value TileBuilder::range(int64_t n, Value first) {
  Value r =
      tile::RangeOp::create(*this, RankedTensorType::get({n}, getIndexType()));
  if (!first)
    return r;
  return arith::AddIOp::create(*this, r, splat(first, {n}));
}

Value TileBuilder::broadcast(Value v, ArrayRef<int64_t> dims,
                             ArrayRef<int64_t> shape) {
  Type elem = getElementTypeOrSelf(v.getType());
  if (!isa<RankedTensorType>(v.getType()))
    return splat(v, shape);
  return tile::BroadcastOp::create(*this, RankedTensorType::get(shape, elem), v,
                                   dims);
}

Value TileBuilder::load(Value mem, ValueRange indices, ArrayRef<int64_t> dims,
                        ArrayRef<int64_t> shape, ValueRange bounds) {
  Type elem = llvm::cast<MemRefType>(mem.getType()).getElementType();
  return tile::LoadOp::create(*this, RankedTensorType::get(shape, elem), mem,
                              indices, dims, bounds);
}

Value TileBuilder::loadScalar(Value mem, ValueRange indices) {
  Type elem = llvm::cast<MemRefType>(mem.getType()).getElementType();
  return tile::LoadOp::create(*this, elem, mem, indices, ArrayRef<int64_t>{},
                              ValueRange{});
}

void TileBuilder::store(Value tile, Value mem, ValueRange indices,
                        ArrayRef<int64_t> dims, ValueRange bounds) {
  tile::StoreOp::create(*this, tile, mem, indices, dims, bounds);
}

void TileBuilder::storeScalar(Value v, Value mem, ValueRange indices) {
  memref::StoreOp::create(*this, v, mem, indices);
}

Value TileBuilder::map(ArrayRef<int64_t> shape, Type elem, ValueRange inputs,
                       MapBody body) {
  auto op =
      tile::MapOp::create(*this, RankedTensorType::get(shape, elem), inputs);
  Block *block = new Block();
  op.getBody().push_back(block);
  for (Value in : inputs)
    block->addArgument(getElementTypeOrSelf(in.getType()), getLoc());
  OpBuilder nb = OpBuilder::atBlockBegin(block);
  Value v = body(nb, getLoc(), block->getArguments());
  tile::YieldOp::create(nb, getLoc(), v);
  return op;
}

Value TileBuilder::dot(Value a, Value b, Value acc, DotFlags flags) {
  auto op = tile::DotOp::create(*this, acc.getType(), a, b, acc);
  if (flags.transposeA)
    op.setTransposeA(true);
  if (flags.transposeB)
    op.setTransposeB(true);
  if (flags.trilA)
    op.setTrilA(true);
  if (flags.trilResult)
    op.setTrilResult(true);
  return op;
}

Value TileBuilder::cumsum(Value v) { return tile::CumsumOp::create(*this, v); }

Value TileBuilder::sum(Value v, int64_t dim) {
  auto type = llvm::cast<RankedTensorType>(v.getType());
  return tile::SumOp::create(
      *this,
      RankedTensorType::get({type.getDimSize(1 - dim)}, type.getElementType()),
      v, dim);
}

void TileBuilder::grid(ValueRange sizes, int64_t warps, GridBody body) {
  tile::GridOp::create(*this, sizes, warps,
                       [&](OpBuilder &nb, Location loc, ValueRange coords) {
                         TileBuilder ib(loc, nb);
                         body(ib, coords);
                       });
}

SmallVector<Value> TileBuilder::loop(Value lb, Value ub, ValueRange init,
                                     LoopBody body) {
  auto op = scf::ForOp::create(
      *this, lb, ub, index(1), init,
      [&](OpBuilder &nb, Location loc, Value iv, ValueRange carried) {
        TileBuilder ib(loc, nb);
        scf::YieldOp::create(ib, body(ib, iv, carried));
      });
  return SmallVector<Value>(op.getResults());
}

void TileBuilder::ifThen(Value cond, function_ref<void(TileBuilder &)> body) {
  scf::IfOp::create(*this, cond, [&](OpBuilder &nb, Location loc) {
    TileBuilder ib(loc, nb);
    body(ib);
    scf::YieldOp::create(ib);
  });
}
