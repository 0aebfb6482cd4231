//===- DeriveBackward.cpp - the backward of a model, in the sma dialect ---===//
//
// Reverse mode over a model's body, one contraction at a time: the
// gradients of a structured masked attention are structured masked
// attentions themselves (transposed masks, keys and values trading
// places), so the backward is a program of the same dialect and reaches
// every target through the same forms, cost model and kernels.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "dialect/sma/SmaOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
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
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                       type.getElementType(),
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
          values.push_back(a.getType() == f32
                               ? a
                               : arith::ExtFOp::create(nb, nl, f32, a));
        Value v = body(nb, nl, values);
        Type elem = type.getElementType();
        if (elem != f32)
          v = arith::TruncFOp::create(nb, nl, elem, v);
        linalg::YieldOp::create(nb, nl, v);
      });
  return generic.getResult(0);
}

/// One function's backward under construction.
class Deriver {
public:
  Deriver(func::FuncOp f) : f(f) {}

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

  func::FuncOp f;
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

LogicalResult Deriver::plan() {
  if (!f.getBody().hasOneBlock())
    return f.emitOpError("sma-derive-backward needs a body of one block");
  for (Operation &op : f.getBody().front()) {
    if (isa<sma::MaskOpInterface, func::ReturnOp>(op))
      continue;
    auto contract = dyn_cast<sma::ContractOp>(op);
    if (!contract)
      return op.emitOpError()
             << "cannot be differentiated by sma-derive-backward (it derives "
                "models of mask ops and sma.contract"
             << (isa<sma::SsdOp>(op) ? "; sma.ssd is not derived yet" : "")
             << ")";
    SmallVector<Value> decays;
    if (failed(decayOperands(contract, decays)))
      return failure();
    if (decays.empty())
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
  if (!decays.empty() && xType.getElementType() != f32)
    dYValues = elementwise(
        b, loc, dY, {dY},
        [](OpBuilder &, Location, ValueRange a) -> Value { return a[0]; }, f32);
  auto dX = sma::ContractOp::create(b, loc, dYValues.getType(), dH0Type, B, C,
                                    dYValues, maskT, dF, cu, sma::FormAttr());
  Value dXValue = dX.getY();
  if (dXValue.getType() != X.getType())
    dXValue = elementwise(
        b, loc, X, {dXValue},
        [](OpBuilder &, Location, ValueRange a) -> Value { return a[0]; });

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
  Value cValues = perHead(B);
  auto dCh = sma::ContractOp::create(b, loc, cValues.getType(), Type(), dY, X,
                                     cValues, mask, transposeState(init), cu,
                                     sma::FormAttr());
  Value bValues = perHead(C);
  auto dBh = sma::ContractOp::create(b, loc, bValues.getType(), Type(), X, dY,
                                     bValues, maskT, transposeState(dF), cu,
                                     sma::FormAttr());

  if (!decays.empty()) {
    Value fin = dF ? savedArgs.lookup(op.getFinalState()) : Value();
    auto da = sma::DecayGradOp::create(
        b, loc, cast<RankedTensorType>(decays.front().getType()), dY,
        savedArgs.lookup(op.getY()), X, dX.getY(), fin, dF, cu);
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

LogicalResult Deriver::run() {
  if (failed(plan()))
    return failure();
  MLIRContext *ctx = f.getContext();
  OpBuilder b(ctx);
  b.setInsertionPointAfter(f);
  auto ret = cast<func::ReturnOp>(f.getBody().front().getTerminator());

  // @f_fwd: @f, returning the saved values too.
  auto fwd = cast<func::FuncOp>(b.clone(*f));
  fwd.setSymName((f.getSymName() + "_fwd").str());
  {
    auto fwdRet = cast<func::ReturnOp>(fwd.getBody().front().getTerminator());
    IRMapping map;
    for (auto [o, n] : llvm::zip(f.getBody().getOps(), fwd.getBody().getOps()))
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
  auto bwd = func::FuncOp::create(b, f.getLoc(), (f.getSymName() + "_bwd").str(),
                                  FunctionType::get(ctx, argTypes, resultTypes));
  Block *body = bwd.addEntryBlock();
  unsigned numInputs = f.getNumArguments();
  b.setInsertionPointToStart(body);
  IRMapping map;
  map.map(f.getArguments(), body->getArguments().take_front(numInputs));
  SmallVector<Operation *> cloned;
  for (Operation &op : f.getBody().front().without_terminator())
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
  for (Operation *op : llvm::reverse(cloned))
    if (auto contract = dyn_cast<sma::ContractOp>(op))
      if (failed(deriveContract(b, contract)))
        return failure();

  SmallVector<Value> results;
  for (BlockArgument arg : body->getArguments().take_front(numInputs)) {
    if (!isFloatTensor(arg.getType()))
      continue;
    Value g = grads.lookup(arg);
    if (!g) // The input reaches no result: its gradient is zero.
      g = elementwise(b, f.getLoc(), arg, {arg},
                      [](OpBuilder &nb, Location nl, ValueRange) -> Value {
                        return arith::ConstantOp::create(
                            nb, nl, nb.getF32FloatAttr(0));
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

struct DeriveBackwardPass
    : smc::impl::DeriveBackwardBase<DeriveBackwardPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<func::FuncOp> funcs;
    for (auto f : getOperation().getOps<func::FuncOp>())
      if (entry.empty() ? f.isPublic() && !f.isExternal()
                        : f.getSymName() == entry)
        funcs.push_back(f);
    if (!entry.empty() && funcs.empty()) {
      getOperation().emitError() << "sma-derive-backward: no function named '"
                                 << entry << "'";
      return signalPassFailure();
    }
    for (func::FuncOp f : funcs)
      if (failed(Deriver(f).run()))
        return signalPassFailure();
  }
};

} // namespace
