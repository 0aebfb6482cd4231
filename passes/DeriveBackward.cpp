//===- DeriveBackward.cpp - the backward of a model, in the sma dialect ---===//
//
// Reverse mode over a model's body, one contraction at a time: the
// gradients of a structured masked attention are structured masked
// attentions themselves (transposed masks, keys and values trading
// places), so the backward is a program of the same dialect and reaches
// every target through the same forms, cost model and kernels.
//
//===----------------------------------------------------------------------===//

#include "passes/DecomposeSsd.h"
#include "passes/Passes.h"

#include "dialect/sma/SmaOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace smc {
#define GEN_PASS_DEF_DERIVEBACKWARD
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;

namespace {

bool isFloatTensor(Type t) {
  auto tensor = dyn_cast<RankedTensorType>(t);
  return tensor && isa<FloatType>(tensor.getElementType());
}

/// The dynamic sizes of `like`, for a tensor.empty of its shape.
SmallVector<Value> dynamicSizes(OpBuilder &b, Location loc, Value like) {
  SmallVector<Value> sizes;
  auto type = cast<RankedTensorType>(like.getType());
  for (auto [i, d] : llvm::enumerate(type.getShape()))
    if (ShapedType::isDynamic(d))
      sizes.push_back(tensor::DimOp::create(b, loc, like, i));
  return sizes;
}

/// An elementwise linalg.generic of `like`'s shape and type over `inputs`
/// (of that shape): `body` gets their elements in f32 and returns the
/// result's in f32.
Value elementwise(OpBuilder &b, Location loc, Value like, ValueRange inputs,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body,
                  Type elem = {}) {
  auto type = cast<RankedTensorType>(like.getType());
  if (elem)
    type = type.clone(elem);
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType(),
                              dynamicSizes(b, loc, like));
  SmallVector<AffineMap> maps(inputs.size() + 1,
                              b.getMultiDimIdentityMap(type.getRank()));
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, type, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Type f32 = nb.getF32Type();
        SmallVector<Value> values;
        for (Value a : args.drop_back())
          values.push_back(
              a.getType() == f32 ? a : arith::ExtFOp::create(nb, nl, f32, a));
        Value v = body(nb, nl, values);
        Type elem = type.getElementType();
        if (elem != f32)
          v = arith::TruncFOp::create(nb, nl, elem, v);
        linalg::YieldOp::create(nb, nl, v);
      });
  return generic.getResult(0);
}

/// `v` with elements of type `elem` (itself if it has them).
Value castTo(OpBuilder &b, Location loc, Value v, Type elem) {
  if (cast<RankedTensorType>(v.getType()).getElementType() == elem)
    return v;
  return elementwise(
      b, loc, v, {v},
      [](OpBuilder &, Location, ValueRange a) -> Value { return a[0]; }, elem);
}

/// Whether `op`'s keys are f32. A contraction with narrower keys runs on
/// tensor cores on the GPU, which round the scores and values to the keys'
/// type: the log-decay gradient, which differences dY . Y and X . dX, would
/// difference that rounding. Its backward recomputes Y (and the final
/// state) and dX with f32 keys instead (Deriver::exactForward).
bool hasF32Keys(sma::ContractOp op) {
  return op.getB().getType().getElementType().isF32() &&
         op.getC().getType().getElementType().isF32();
}

/// An sma.ssd of the model as the core ops it decomposes into, with the
/// operands its front reads.
struct SsdRecord {
  SsdParts parts;
  Value x, dt, A, D, z, dtBias;
  bool softplus;
  std::optional<std::pair<double, double>> limit;
};

/// One function's backward under construction.
class Deriver {
public:
  Deriver(func::FuncOp f) : f(f) {}
  ~Deriver() {
    if (work)
      work.erase();
  }

  /// Builds @f_fwd and @f_bwd after `f`.
  LogicalResult run();

private:
  /// Checks that every op of the body is one the backward knows, and
  /// collects the values the backward reads from the forward.
  LogicalResult plan();
  /// The log-decay operands of a contraction's mask that need a gradient
  /// (empty if none); fails on an operand that cannot get one.
  LogicalResult decayOperands(sma::ContractOp op, SmallVectorImpl<Value> &out);
  void accumulate(OpBuilder &b, Location loc, Value v, Value grad);
  LogicalResult deriveContract(OpBuilder &b, sma::ContractOp op);
  /// What the log-decay gradient of `op` reads from the forward: Y, the
  /// final state and the keys (C, B) of f32 accuracy: saved, or (for
  /// narrower keys) recomputed with the keys in f32, once.
  struct ExactForward {
    Value y, final, c, b;
  };
  ExactForward exactForward(OpBuilder &b, sma::ContractOp op);
  DenseMap<Operation *, ExactForward> exact;
  /// The chain rules of an sma.ssd's front and epilogue around its
  /// contraction's backward.
  LogicalResult deriveSsd(OpBuilder &b, const SsdRecord &r);
  /// A copy of `f` with every sma.ssd decomposed (recorded in `ssds`).
  void decomposeSsds();

  func::FuncOp f;
  /// `f` with its sma.ssd ops decomposed: what @f_fwd and @f_bwd copy.
  func::FuncOp work;
  SmallVector<SsdRecord> ssds;
  /// The ops the decomposition wrote (differentiated by deriveSsd).
  DenseSet<Operation *> frontOps;
  /// `work`'s values in @f_bwd.
  IRMapping toBwd;
  /// Forward values the backward reads (saved by @f_fwd).
  SmallVector<Value> saved;
  /// Gradients of the backward's (cloned) values.
  DenseMap<Value, Value> grads;
  /// The transposed mask of each (cloned) mask.
  DenseMap<Value, Value> transposed;
  /// The @f_bwd argument holding each saved (cloned) forward value.
  DenseMap<Value, Value> savedArgs;
};

LogicalResult Deriver::decayOperands(sma::ContractOp op,
                                     SmallVectorImpl<Value> &out) {
  for (sma::MaskAtom atom : sma::maskAtoms(op.getMaskOp())) {
    ValueRange operands = atom.op.getPositionOperands();
    if (operands.empty())
      continue;
    if (!isa<sma::DecayMaskOp>(atom.op.getOperation()))
      return atom.op->emitOpError()
             << "has per-position operands, whose gradient needs the "
                "derivative of its region: sma-derive-backward does not "
                "derive it (only sma.mask.decay operands get gradients)";
    if (!op.getMaskOp().isCausal())
      return op.emitOpError()
             << "has an anti-causal mask with data-dependent decays, whose "
                "log-decay gradient sma-derive-backward does not derive yet";
    llvm::append_range(out, operands);
  }
  return success();
}

void Deriver::decomposeSsds() {
  OpBuilder b(f);
  b.setInsertionPointAfter(f);
  work = cast<func::FuncOp>(b.clone(*f));
  work.setSymName((f.getSymName() + "_derive_backward_work").str());
  DenseSet<Operation *> before;
  for (Operation &op : work.getBody().front())
    before.insert(&op);
  SmallVector<sma::SsdOp> ops(work.getBody().front().getOps<sma::SsdOp>());
  for (sma::SsdOp op : ops) {
    SsdRecord r;
    r.x = op.getX();
    r.dt = op.getDt();
    r.A = op.getA();
    r.D = op.getD();
    r.z = op.getZ();
    r.dtBias = op.getDtBias();
    r.softplus = op.getDtSoftplus();
    if (auto l = op.getDtLimit())
      r.limit = {(*l)[0], (*l)[1]};
    r.parts = decomposeSsd(op);
    ssds.push_back(r);
  }
  for (Operation &op : work.getBody().front())
    if (!before.contains(&op) && !isa<sma::ContractOp>(op))
      frontOps.insert(&op);
}

LogicalResult Deriver::plan() {
  if (!f.getBody().hasOneBlock())
    return f.emitOpError("sma-derive-backward needs a body of one block");
  decomposeSsds();
  for (Operation &op : work.getBody().front()) {
    if (isa<sma::MaskOpInterface, func::ReturnOp>(op) || frontOps.contains(&op))
      continue;
    auto contract = dyn_cast<sma::ContractOp>(op);
    if (!contract)
      return op.emitOpError()
             << "cannot be differentiated by sma-derive-backward (it derives "
                "models of mask ops, sma.contract and sma.ssd)";
    SmallVector<Value> decays;
    if (failed(decayOperands(contract, decays)))
      return failure();
    if (decays.empty() || !hasF32Keys(contract))
      continue;
    saved.push_back(contract.getY());
    if (Value fin = contract.getFinalState())
      saved.push_back(fin);
  }
  return success();
}

void Deriver::accumulate(OpBuilder &b, Location loc, Value v, Value grad) {
  Value &slot = grads[v];
  if (!slot) {
    slot = grad;
    return;
  }
  slot = elementwise(b, loc, v, {slot, grad},
                     [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                       return arith::AddFOp::create(nb, nl, a[0], a[1]);
                     });
}

Deriver::ExactForward Deriver::exactForward(OpBuilder &b, sma::ContractOp op) {
  if (hasF32Keys(op))
    return {savedArgs.lookup(op.getY()),
            op.getFinalState() ? savedArgs.lookup(op.getFinalState()) : Value(),
            op.getC(), op.getB()};
  auto it = exact.find(op);
  if (it != exact.end())
    return it->second;
  Location loc = op.getLoc();
  Type f32 = b.getF32Type();
  Value c = castTo(b, loc, op.getC(), f32);
  Value k = op.getC() == op.getB() ? c : castTo(b, loc, op.getB(), f32);
  // Y has X's type: X in f32 too, so that Y is not rounded either.
  Value x = castTo(b, loc, op.getX(), f32);
  Type finalType = op.getFinalState() ? op.getFinalState().getType() : Type();
  auto y = sma::ContractOp::create(b, loc, x.getType(), finalType, c, k, x,
                                   op.getMask(), op.getInitState(),
                                   op.getCuSeqlens(), sma::FormAttr());
  ExactForward f{y.getY(), y.getFinalState(), c, k};
  exact[op] = f;
  return f;
}

LogicalResult Deriver::deriveContract(OpBuilder &b, sma::ContractOp op) {
  Location loc = op.getLoc();
  Value dY = grads.lookup(op.getY());
  Value dF = op.getFinalState() ? grads.lookup(op.getFinalState()) : Value();
  if (!dY && !dF)
    return success();
  if (!dY) // Only the final state is used: Y's gradient is zero.
    dY = elementwise(b, loc, op.getY(), {op.getY()},
                     [](OpBuilder &nb, Location nl, ValueRange) -> Value {
                       return arith::ConstantOp::create(nb, nl,
                                                        nb.getF32FloatAttr(0));
                     });
  Value mask = op.getMask();
  Value &maskT = transposed[mask];
  if (!maskT) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointAfterValue(mask);
    maskT = sma::TransposeMaskOp::create(b, loc, mask.getType(), mask);
  }
  Value C = op.getC(), B = op.getB(), X = op.getX(), init = op.getInitState();
  Value cu = op.getCuSeqlens();
  auto xType = op.getX().getType();
  auto keyType = op.getB().getType();
  int64_t heads = xType.getDimSize(2), groups = keyType.getDimSize(2);

  SmallVector<Value> decays;
  if (failed(decayOperands(op, decays)))
    return failure();

  // dX (and dH0): the transposed contraction, keys swapped, seeded by dF.
  // The log-decay gradient differences dY . Y and X . dX: it reads dX in
  // f32 (then X's type is dX's only on the way out).
  Type dH0Type = init ? init.getType() : Type();
  Value dYValues = dY;
  auto f32 = b.getF32Type();
  if (!decays.empty())
    dYValues = castTo(b, loc, dY, f32);
  ExactForward fwd;
  Value dXKeysC = B, dXKeysB = C;
  if (!decays.empty()) {
    fwd = exactForward(b, op);
    dXKeysC = fwd.b;
    dXKeysB = fwd.c;
  }
  auto dX = sma::ContractOp::create(b, loc, dYValues.getType(), dH0Type,
                                    dXKeysC, dXKeysB, dYValues, maskT, dF, cu,
                                    sma::FormAttr());
  Value dXValue = castTo(b, loc, dX.getY(), xType.getElementType());

  // dC and dB: "scores" over p and the other keys as values, one head at a
  // time, summed over the heads of a group.
  auto perHead = [&](Value keys) -> Value {
    if (groups == heads)
      return keys;
    auto type = cast<RankedTensorType>(keys.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[2] = heads;
    return sma::ExpandGroupsOp::create(
        b, loc, RankedTensorType::get(shape, b.getF32Type()), keys);
  };
  auto perGroup = [&](Value v, Type type) -> Value {
    return groups == heads ? v : sma::SumGroupsOp::create(b, loc, type, v);
  };
  auto transposeState = [&](Value s) -> Value {
    if (!s)
      return {};
    auto type = cast<RankedTensorType>(s.getType());
    SmallVector<int64_t> shape(type.getShape());
    std::swap(shape[2], shape[3]);
    return sma::TransposeStateOp::create(
        b, loc, RankedTensorType::get(shape, type.getElementType()), s);
  };
  // Their keys have the forward's key type, so that they run at its
  // precision (on tensor cores for 16-bit keys).
  Type keyElem = keyType.getElementType();
  Value dYKeys = castTo(b, loc, dY, keyElem),
        xKeys = castTo(b, loc, X, keyElem);
  Value cValues = perHead(B);
  auto dCh = sma::ContractOp::create(b, loc, cValues.getType(), Type(), dYKeys,
                                     xKeys, cValues, mask, transposeState(init),
                                     cu, sma::FormAttr());
  Value bValues = perHead(C);
  auto dBh = sma::ContractOp::create(b, loc, bValues.getType(), Type(), xKeys,
                                     dYKeys, bValues, maskT, transposeState(dF),
                                     cu, sma::FormAttr());

  if (!decays.empty()) {
    Value fin = dF ? fwd.final : Value();
    auto da = sma::DecayGradOp::create(
        b, loc, cast<RankedTensorType>(decays.front().getType()), dY, fwd.y, X,
        dX.getY(), fin, dF, cu);
    for (Value a : decays)
      accumulate(b, loc, a, da);
  }
  accumulate(b, loc, X, dXValue);
  if (init)
    accumulate(b, loc, init, dX.getFinalState());
  accumulate(b, loc, C, perGroup(dCh.getY(), C.getType()));
  accumulate(b, loc, B, perGroup(dBh.getY(), B.getType()));
  return success();
}

/// `v` (f32) as `type`.
Value fromF32(OpBuilder &b, Location loc, Value v, Type type) {
  return type.isF32() ? v
                      : arith::TruncFOp::create(b, loc, type, v).getResult();
}

Value toF32(OpBuilder &b, Location loc, Value v) {
  return v.getType().isF32()
             ? v
             : arith::ExtFOp::create(b, loc, b.getF32Type(), v).getResult();
}

/// sigmoid(v) = 1 / (1 + exp(-v)).
Value sigmoid(OpBuilder &b, Location loc, Value v) {
  Value one = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(1));
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, v));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}

LogicalResult Deriver::deriveSsd(OpBuilder &b, const SsdRecord &r) {
  auto m = [&](Value v) { return v ? toBwd.lookupOrDefault(v) : Value(); };
  auto contract = cast<sma::ContractOp>(
      m(sma::ContractOp(r.parts.contract).getY()).getDefiningOp());
  Location loc = contract.getLoc();
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type();
  Value x = m(r.x), dt = m(r.dt), A = m(r.A), D = m(r.D), z = m(r.z),
        bias = m(r.dtBias);
  Value dtp = m(r.parts.dt), xs = m(r.parts.x), a = m(r.parts.a),
        y = m(r.parts.y);
  Type xElem = cast<RankedTensorType>(x.getType()).getElementType();
  AffineMap id4 = b.getMultiDimIdentityMap(4),
            id3 = b.getMultiDimIdentityMap(3);
  AffineMap head4 = headMap(ctx, 4), head3 = headMap(ctx, 3),
            pos = positionMap(ctx);
  auto positions = [&](Value like) {
    auto t = cast<RankedTensorType>(like.getType());
    return RankedTensorType::get(t.getShape().take_front(3), f32);
  };
  auto sumPositions = [&](Value v) -> Value {
    auto t = cast<RankedTensorType>(v.getType());
    return sma::SumPositionsOp::create(
        b, loc, RankedTensorType::get({t.getDimSize(2)}, f32), v);
  };

  // The epilogue y = (Y + D x) silu(z): dY' = dy silu(z) reaches the
  // contraction; dz = dy (Y + D x) silu'(z); dD = sum dY' x.
  Value dy = grads.lookup(y), g;
  if (dy && y != contract.getY()) {
    SmallVector<Value> in = {dy};
    SmallVector<AffineMap> maps = {id4};
    if (z) {
      in.push_back(z);
      maps.push_back(id4);
    }
    g = buildElementwise(
        b, loc, x, f32, in, maps,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = toF32(nb, nl, args[0]);
          if (args.size() > 2) {
            Value zv = toF32(nb, nl, args[1]);
            v = arith::MulFOp::create(
                nb, nl, v,
                arith::MulFOp::create(nb, nl, zv, sigmoid(nb, nl, zv)));
          }
          return v;
        });
    accumulate(b, loc, contract.getY(), g);
    if (z) {
      Value yc = exactForward(b, contract).y;
      SmallVector<Value> zin = {dy, yc, x, z};
      SmallVector<AffineMap> zmaps = {id4, id4, id4, id4};
      if (D) {
        zin.push_back(D);
        zmaps.push_back(head4);
      }
      Type zElem = cast<RankedTensorType>(z.getType()).getElementType();
      Value dz = buildElementwise(
          b, loc, x, zElem, zin, zmaps,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value pre = args[1];
            if (args.size() > 5)
              pre = arith::AddFOp::create(
                  nb, nl, pre,
                  arith::MulFOp::create(nb, nl, args[4],
                                        toF32(nb, nl, args[2])));
            Value zv = toF32(nb, nl, args[3]);
            Value sg = sigmoid(nb, nl, zv);
            Value one =
                arith::ConstantOp::create(nb, nl, nb.getF32FloatAttr(1));
            // silu'(z) = s (1 + z (1 - s)).
            Value dsilu = arith::MulFOp::create(
                nb, nl, sg,
                arith::AddFOp::create(
                    nb, nl, one,
                    arith::MulFOp::create(
                        nb, nl, zv, arith::SubFOp::create(nb, nl, one, sg))));
            Value v = arith::MulFOp::create(
                nb, nl, toF32(nb, nl, args[0]),
                arith::MulFOp::create(nb, nl, pre, dsilu));
            return fromF32(nb, nl, v, zElem);
          });
      accumulate(b, loc, z, dz);
    }
    if (D)
      accumulate(
          b, loc, D,
          sumPositions(sma::DotRowsOp::create(b, loc, positions(x), g, x)));
  }

  if (failed(deriveContract(b, contract)))
    return failure();
  Value dXs = grads.lookup(xs), da = grads.lookup(a);
  if (!dXs && !g)
    return success();

  // X = x dt' and the skip D x: dx = dX dt' + dY' D.
  SmallVector<Value> in;
  SmallVector<AffineMap> maps;
  if (dXs) {
    in = {dXs, dtp};
    maps = {id4, pos};
  }
  if (g && D) {
    in.append({g, D});
    maps.append({id4, head4});
  }
  if (!in.empty())
    accumulate(
        b, loc, x,
        buildElementwise(
            b, loc, x, xElem, in, maps,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value v;
              for (unsigned i = 0; i + 1 < args.size(); i += 2) {
                Value t = arith::MulFOp::create(nb, nl, args[i], args[i + 1]);
                v = v ? arith::AddFOp::create(nb, nl, v, t).getResult() : t;
              }
              return fromF32(nb, nl, v, xElem);
            }));
  if (!dXs)
    return success();

  // a = dt' A: d dt' = sum_p dX x + da A, dA = sum da dt'.
  Value ddtp = buildElementwise(
      b, loc, dtp, f32,
      {sma::DotRowsOp::create(b, loc, positions(x), dXs, x), da, A},
      {id3, id3, head3}, [&](OpBuilder &nb, Location nl, ValueRange args) {
        return arith::AddFOp::create(
                   nb, nl, args[0],
                   arith::MulFOp::create(nb, nl, args[1], args[2]))
            .getResult();
      });
  accumulate(
      b, loc, A,
      sumPositions(buildElementwise(
          b, loc, dtp, f32, {da, dtp}, {id3, id3},
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            return arith::MulFOp::create(nb, nl, args[0], args[1]).getResult();
          })));

  // dt' = clamp(softplus(dt + dt_bias)): zero where clamped, times
  // sigmoid(v) (1 above Mamba's softplus threshold of 20).
  SmallVector<Value> vin = {ddtp, dt};
  SmallVector<AffineMap> vmaps = {id3, id3};
  if (bias) {
    vin.push_back(bias);
    vmaps.push_back(head3);
  }
  bool softplus = r.softplus;
  auto limit = r.limit;
  Value dv = buildElementwise(
      b, loc, dtp, f32, vin, vmaps,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        auto c = [&](double d) {
          return arith::ConstantOp::create(
              nb, nl, nb.getF32FloatAttr(static_cast<float>(d)));
        };
        Value v = toF32(nb, nl, args[1]);
        if (args.size() > 3)
          v = arith::AddFOp::create(nb, nl, v, args[2]);
        Value grad = args[0], clamped = v;
        Value big;
        if (softplus) {
          big = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT, v,
                                      c(20.0));
          Value sp =
              math::Log1pOp::create(nb, nl, math::ExpOp::create(nb, nl, v));
          clamped = arith::SelectOp::create(nb, nl, big, v, sp);
        }
        if (limit) {
          Value out = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OLT,
                                            clamped, c(limit->first));
          if (std::isfinite(limit->second))
            out = arith::OrIOp::create(
                nb, nl, out,
                arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT,
                                      clamped, c(limit->second)));
          grad = arith::SelectOp::create(nb, nl, out, c(0.0), grad);
        }
        if (softplus)
          grad = arith::MulFOp::create(
              nb, nl, grad,
              arith::SelectOp::create(nb, nl, big, c(1.0), sigmoid(nb, nl, v)));
        return grad;
      });
  Type dtElem = cast<RankedTensorType>(dt.getType()).getElementType();
  Value ddt = dv;
  if (!dtElem.isF32())
    ddt = buildElementwise(b, loc, dt, dtElem, {dv}, {id3},
                           [&](OpBuilder &nb, Location nl, ValueRange args) {
                             return fromF32(nb, nl, args[0], dtElem);
                           });
  accumulate(b, loc, dt, ddt);
  if (bias)
    accumulate(b, loc, bias, sumPositions(dv));
  return success();
}

LogicalResult Deriver::run() {
  if (failed(plan()))
    return failure();
  MLIRContext *ctx = f.getContext();
  OpBuilder b(ctx);
  b.setInsertionPointAfter(f);
  auto ret = cast<func::ReturnOp>(work.getBody().front().getTerminator());

  // @f_fwd: @f, returning the saved values too.
  auto fwd = cast<func::FuncOp>(b.clone(*work));
  fwd.setSymName((f.getSymName() + "_fwd").str());
  {
    auto fwdRet = cast<func::ReturnOp>(fwd.getBody().front().getTerminator());
    IRMapping map;
    for (auto [o, n] :
         llvm::zip(work.getBody().getOps(), fwd.getBody().getOps()))
      for (auto [ov, nv] : llvm::zip(o.getResults(), n.getResults()))
        map.map(ov, nv);
    SmallVector<Value> results(fwdRet.getOperands());
    for (Value v : saved)
      if (!llvm::is_contained(ret.getOperands(), v))
        results.push_back(map.lookup(v));
    OpBuilder rb(fwdRet);
    func::ReturnOp::create(rb, fwdRet.getLoc(), results);
    fwdRet.erase();
    fwd.setType(FunctionType::get(ctx, fwd.getArgumentTypes(),
                                  ValueRange(results).getTypes()));
  }

  // @f_bwd(inputs, @f_fwd's results, d results) -> d float inputs. A saved
  // value that @f returns anyway is not returned twice.
  SmallVector<Value> fwdValues(ret.getOperands());
  for (Value v : saved)
    if (!llvm::is_contained(fwdValues, v))
      fwdValues.push_back(v);
  SmallVector<Type> argTypes(f.getArgumentTypes());
  for (Value v : fwdValues)
    argTypes.push_back(v.getType());
  llvm::append_range(argTypes, f.getResultTypes());
  SmallVector<Type> resultTypes;
  for (Type t : f.getArgumentTypes())
    if (isFloatTensor(t))
      resultTypes.push_back(t);
  b.setInsertionPointAfter(fwd);
  auto bwd =
      func::FuncOp::create(b, f.getLoc(), (f.getSymName() + "_bwd").str(),
                           FunctionType::get(ctx, argTypes, resultTypes));
  Block *body = bwd.addEntryBlock();
  unsigned numInputs = f.getNumArguments();
  b.setInsertionPointToStart(body);
  IRMapping &map = toBwd;
  map.map(work.getArguments(), body->getArguments().take_front(numInputs));
  SmallVector<Operation *> cloned;
  for (Operation &op : work.getBody().front().without_terminator())
    cloned.push_back(b.clone(op, map));
  // The backward reads the saved forward values instead of recomputing.
  for (Value v : saved) {
    unsigned i = llvm::find(fwdValues, v) - fwdValues.begin();
    Value arg = body->getArgument(numInputs + i);
    map.lookup(v).replaceAllUsesWith(arg);
    savedArgs[map.lookup(v)] = arg;
  }

  unsigned firstGrad = numInputs + fwdValues.size();
  for (auto [i, v] : llvm::enumerate(ret.getOperands()))
    accumulate(b, ret.getLoc(), map.lookupOrDefault(v),
               body->getArgument(firstGrad + i));
  for (Operation *op : llvm::reverse(cloned)) {
    auto contract = dyn_cast<sma::ContractOp>(op);
    if (!contract)
      continue;
    const SsdRecord *ssd = llvm::find_if(ssds, [&](const SsdRecord &r) {
      return map.lookup(sma::ContractOp(r.parts.contract).getY()) ==
             contract.getY();
    });
    if (failed(ssd != ssds.end() ? deriveSsd(b, *ssd)
                                 : deriveContract(b, contract)))
      return failure();
  }

  SmallVector<Value> results;
  for (BlockArgument arg : body->getArguments().take_front(numInputs)) {
    if (!isFloatTensor(arg.getType()))
      continue;
    Value g = grads.lookup(arg);
    if (!g) // The input reaches no result: its gradient is zero.
      g = elementwise(b, f.getLoc(), arg, {arg},
                      [](OpBuilder &nb, Location nl, ValueRange) -> Value {
                        return arith::ConstantOp::create(nb, nl,
                                                         nb.getF32FloatAttr(0));
                      });
    results.push_back(g);
  }
  func::ReturnOp::create(b, f.getLoc(), results);

  // Forward ops whose results the backward does not read.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*body)))
    if (isOpTriviallyDead(&op))
      op.erase();
  return success();
}

struct DeriveBackwardPass : smc::impl::DeriveBackwardBase<DeriveBackwardPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<func::FuncOp> funcs;
    for (auto f : getOperation().getOps<func::FuncOp>())
      if (entry.empty() ? f.isPublic() && !f.isExternal()
                        : f.getSymName() == entry)
        funcs.push_back(f);
    if (!entry.empty() && funcs.empty()) {
      getOperation().emitError()
          << "sma-derive-backward: no function named '" << entry << "'";
      return signalPassFailure();
    }
    for (func::FuncOp f : funcs)
      if (failed(Deriver(f).run()))
        return signalPassFailure();
  }
};

} // namespace
