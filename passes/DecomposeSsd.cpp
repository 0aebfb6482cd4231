//===- DecomposeSsd.cpp - sma.ssd into core ops ---------------------------===//
//
// The Mamba-2 prologue (dt processing, X = x * dt) and epilogue (D skip,
// silu(z) gate) become f32 linalg.generic ops around one sma.contract; X and
// the contraction's y stay f32 so no intermediate is rounded to bf16.
//
//===----------------------------------------------------------------------===//

#include "passes/DecomposeSsd.h"
#include "passes/Passes.h"

#include "dialect/sma/SmaOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>

namespace smc {
#define GEN_PASS_DEF_DECOMPOSESSD
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;

namespace {

/// Converts a float to f32 (identity for f32).
Value toF32(OpBuilder &b, Location loc, Value v) {
  if (v.getType().isF32())
    return v;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), v);
}

Value fromF32(OpBuilder &b, Location loc, Value v, Type type) {
  if (type.isF32())
    return v;
  return arith::TruncFOp::create(b, loc, type, v);
}

} // namespace

Value smc::buildElementwise(OpBuilder &b, Location loc, Value like,
                            Type elemType, ArrayRef<Value> inputs,
                            ArrayRef<AffineMap> maps, ElementBody body) {
  auto likeType = cast<RankedTensorType>(like.getType());
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, like), elemType);
  SmallVector<AffineMap> indexing(maps);
  indexing.push_back(b.getMultiDimIdentityMap(likeType.getRank()));
  SmallVector<utils::IteratorType> iterators(likeType.getRank(),
                                             utils::IteratorType::parallel);
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, indexing,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
      });
  return op.getResult(0);
}

AffineMap smc::positionMap(MLIRContext *ctx) {
  return AffineMap::get(4, 0,
                        {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
                         getAffineDimExpr(2, ctx)},
                        ctx);
}

AffineMap smc::headMap(MLIRContext *ctx, unsigned rank) {
  return AffineMap::get(rank, 0, getAffineDimExpr(2, ctx), ctx);
}

SsdParts smc::decomposeSsd(sma::SsdOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type();
  Type dataType = op.getX().getType().getElementType();
  AffineMap id3 = b.getMultiDimIdentityMap(3);

  // dt' = clamp(softplus(dt + dt_bias), lo, hi), f32 [b, T, h].
  SmallVector<Value> dtInputs = {op.getDt()};
  SmallVector<AffineMap> dtMaps = {id3};
  if (Value bias = op.getDtBias()) {
    dtInputs.push_back(bias);
    dtMaps.push_back(headMap(ctx, 3));
  }
  std::optional<std::pair<double, double>> limit;
  if (auto l = op.getDtLimit())
    limit = {(*l)[0], (*l)[1]};
  bool softplus = op.getDtSoftplus();
  Value dt = buildElementwise(
      b, loc, op.getDt(), f32, dtInputs, dtMaps,
      [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
        Value v = toF32(nb, nl, args[0]);
        if (args.size() > 2)
          v = arith::AddFOp::create(nb, nl, v, args[1]);
        if (softplus) {
          // Mamba's softplus: the identity above 20, where it is exact.
          Value e = math::ExpOp::create(nb, nl, v);
          Value sp = math::Log1pOp::create(nb, nl, e);
          Value big = arith::CmpFOp::create(
              nb, nl, arith::CmpFPredicate::OGT, v,
              arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(20.0)));
          v = arith::SelectOp::create(nb, nl, big, v, sp);
        }
        if (limit) {
          auto c = [&](double d) {
            return arith::ConstantOp::create(
                nb, nl, nb.getF32FloatAttr(static_cast<float>(d)));
          };
          v = arith::MaximumFOp::create(nb, nl, v, c(limit->first));
          if (std::isfinite(limit->second))
            v = arith::MinimumFOp::create(nb, nl, v, c(limit->second));
        }
        return v;
      });

  // a = dt' * A, the per-position log-decay.
  Value a = buildElementwise(
      b, loc, dt, f32, {dt, op.getA()}, {id3, headMap(ctx, 3)},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        return arith::MulFOp::create(nb, nl, args[0], args[1]).getResult();
      });

  // X = x * dt', kept in f32.
  AffineMap id4 = b.getMultiDimIdentityMap(4);
  AffineMap bth = positionMap(ctx);
  Value xs = buildElementwise(
      b, loc, op.getX(), f32, {op.getX(), dt}, {id4, bth},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        return arith::MulFOp::create(nb, nl, toF32(nb, nl, args[0]), args[1])
            .getResult();
      });

  Value mask = sma::DecayMaskOp::create(b, loc, sma::MaskType::get(ctx), a);
  auto yType = RankedTensorType::get(op.getX().getType().getShape(), f32);
  Type finalType = op.getFinalState() ? op.getFinalState().getType() : Type();
  auto contract = sma::ContractOp::create(
      b, loc, yType, finalType, op.getC(), op.getB(), xs, mask,
      op.getInitState(), op.getCuSeqlens(), op.getFormAttr());

  // y += D * x ; y *= z * sigmoid(z) ; back to the data type.
  SmallVector<Value> epiInputs = {contract.getY(), op.getX()};
  SmallVector<AffineMap> epiMaps = {id4, id4};
  bool hasD = static_cast<bool>(op.getD()), hasZ = static_cast<bool>(op.getZ());
  if (hasD) {
    epiInputs.push_back(op.getD());
    epiMaps.push_back(headMap(ctx, 4));
  }
  if (hasZ) {
    epiInputs.push_back(op.getZ());
    epiMaps.push_back(id4);
  }
  // Without D, z or a narrower data type the epilogue would be a copy.
  Value y = contract.getY();
  if (hasD || hasZ || !dataType.isF32())
    y = buildElementwise(
        b, loc, op.getX(), dataType, epiInputs, epiMaps,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = args[0];
          unsigned next = 2;
          if (hasD) {
            Value dx = arith::MulFOp::create(nb, nl, args[next++],
                                             toF32(nb, nl, args[1]));
            v = arith::AddFOp::create(nb, nl, v, dx);
          }
          if (hasZ) {
            Value z = toF32(nb, nl, args[next++]);
            Value one =
                arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(1));
            Value e =
                math::ExpOp::create(nb, nl, arith::NegFOp::create(nb, nl, z));
            Value silu = arith::DivFOp::create(
                nb, nl, z, arith::AddFOp::create(nb, nl, one, e));
            v = arith::MulFOp::create(nb, nl, v, silu);
          }
          return fromF32(nb, nl, v, dataType);
        });

  op.getY().replaceAllUsesWith(y);
  if (op.getFinalState())
    op.getFinalState().replaceAllUsesWith(contract.getFinalState());
  op.erase();
  return {dt, a, xs, contract, y};
}

namespace {

struct DecomposeSsdPass : smc::impl::DecomposeSsdBase<DecomposeSsdPass> {
  void runOnOperation() override {
    SmallVector<sma::SsdOp> ops;
    getOperation().walk([&](sma::SsdOp op) { ops.push_back(op); });
    for (sma::SsdOp op : ops)
      decomposeSsd(op);
  }
};

} // namespace
