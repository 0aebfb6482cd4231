//===- FusedElementwise.cpp - elementwise ops evaluated in place ----------===//

#include "passes/FusedElementwise.h"
#include "passes/ExpandCommon.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace smc;
using namespace smc::expand;

namespace {

linalg::GenericOp genericOf(const Fused &f) {
  return cast<linalg::GenericOp>(f.generic);
}

/// Whether input i of `g` is indexed by the last loop dimension.
bool usesLastDim(linalg::GenericOp g, unsigned i) {
  unsigned last = g.getNumLoops() - 1;
  return llvm::any_of(g.getIndexingMapsArray()[i].getResults(),
                      [&](AffineExpr e) {
                        return cast<AffineDimExpr>(e).getPosition() == last;
                      });
}

/// Input i's indices at loop indices `idx`.
SmallVector<Value> inputIndices(linalg::GenericOp g, unsigned i,
                                ValueRange idx) {
  SmallVector<Value> at;
  for (AffineExpr e : g.getIndexingMapsArray()[i].getResults())
    at.push_back(idx[cast<AffineDimExpr>(e).getPosition()]);
  return at;
}

void loadInto(Emitter &b, const Fused &f, ValueRange idx, int64_t width,
              SmallVectorImpl<Value> &out) {
  linalg::GenericOp g = genericOf(f);
  for (unsigned i = 0; i < f.inputs.size(); ++i) {
    SmallVector<Value> at = inputIndices(g, i, idx);
    int64_t w = usesLastDim(g, i) ? width : 0;
    if (f.nested[i]) {
      loadInto(b, *f.nested[i], at, w, out);
      continue;
    }
    Value input = f.inputs[i];
    if (!input)
      continue;
    Type elem = cast<MemRefType>(input.getType()).getElementType();
    out.push_back(w ? vector::LoadOp::create(b, VectorType::get({w}, elem),
                                             input, at, false,
                                             vectorAlignment(elem, w))
                          .getResult()
                    : memref::LoadOp::create(b, input, at).getResult());
  }
}

/// The body of `f` on scalars (`width` 0) or vectors of `width` (scalar
/// operands broadcast), taking its loads from `loaded` at `next`.
Value computeAt(Emitter &b, const Fused &f, ValueRange loaded, size_t &next,
                int64_t width, Value given) {
  linalg::GenericOp g = genericOf(f);
  Block &body = g.getRegion().front();
  auto vec = [&](Type t) -> Type {
    return width ? VectorType::get({width}, t) : t;
  };
  IRMapping map;
  for (unsigned i = 0; i < f.inputs.size(); ++i) {
    Value v;
    if (f.nested[i])
      v = computeAt(b, *f.nested[i], loaded, next,
                    usesLastDim(g, i) ? width : 0, {});
    else if (f.inputs[i])
      v = loaded[next++];
    else
      v = given;
    BlockArgument arg = body.getArgument(i);
    if (width && !isa<VectorType>(v.getType()))
      v = vector::BroadcastOp::create(b, vec(v.getType()), v);
    map.map(arg, castFloat(b, v, arg.getType()));
  }
  for (Operation &op : body.without_terminator()) {
    if (!width) {
      b.clone(op, map);
      continue;
    }
    if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
      Value s = b.clone(op)->getResult(0);
      map.map(cst.getResult(),
              vector::BroadcastOp::create(b, vec(s.getType()), s));
      continue;
    }
    SmallVector<Value> args;
    for (Value o : op.getOperands())
      args.push_back(map.lookup(o));
    SmallVector<Type> types;
    for (Type t : op.getResultTypes())
      types.push_back(vec(t));
    OperationState state(b.getLoc(), op.getName(), args, types, op.getAttrs());
    Operation *made = b.create(state);
    for (auto [from, to] : llvm::zip(op.getResults(), made->getResults()))
      map.map(from, to);
  }
  return map.lookup(body.getTerminator()->getOperand(0));
}

} // namespace

bool expand::hasVectorForm(const Fused &f) {
  linalg::GenericOp g = genericOf(f);
  for (Operation &op : g.getRegion().front().without_terminator())
    if (!isa<arith::ConstantOp>(op) &&
        !OpTrait::hasElementwiseMappableTraits(&op))
      return false;
  unsigned last = g.getNumLoops() - 1;
  for (auto [i, m] : llvm::enumerate(g.getIndexingMapsArray())) {
    auto results = m.getResults();
    for (auto [r, e] : llvm::enumerate(results))
      if (cast<AffineDimExpr>(e).getPosition() == last &&
          r + 1 != results.size())
        return false;
    if (i < f.nested.size() && f.nested[i] && usesLastDim(g, i) &&
        !hasVectorForm(*f.nested[i]))
      return false;
  }
  return true;
}

SmallVector<Value> expand::loadFused(Emitter &b, const Fused &f, ValueRange idx,
                                     int64_t width) {
  SmallVector<Value> out;
  loadInto(b, f, idx, width, out);
  return out;
}

Value expand::computeFused(Emitter &b, const Fused &f, ValueRange loaded,
                           int64_t width, Value given) {
  size_t next = 0;
  return computeAt(b, f, loaded, next, width, given);
}

Value expand::evaluateFused(Emitter &b, const Fused &f, ValueRange idx,
                            int64_t width, Value given) {
  return computeFused(b, f, loadFused(b, f, idx, width), width, given);
}
