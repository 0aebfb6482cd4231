//===- Masks.cpp - a mask's entries as tile computations ------------------===//
//
// Masks enter the tile programs only here, and only through
// MaskOpInterface: a product is its atomic masks; each atom's log-decay and
// factor are built by the interface on the values of its position operands
// (tile loads), or come from its factor region, inlined into a tile.map.
//
//===----------------------------------------------------------------------===//

#include "passes/forms/Contraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace smc;
using namespace smc::forms;

namespace {

/// An integer division or remainder of a region, cloned with the meaning
/// the sma dialect gives it (SmaOps.td, sma.mask.custom): by zero it is 0,
/// and a signed one by -1 is the wrapping negation (division) or 0
/// (remainder), where the arith op would trap or be undefined. Returns
/// null for any other op.
Value cloneDefinedDivision(OpBuilder &b, Operation &op, IRMapping &map) {
  bool isSigned = isa<arith::DivSIOp, arith::RemSIOp, arith::CeilDivSIOp,
                      arith::FloorDivSIOp>(op);
  if (!isSigned && !isa<arith::DivUIOp, arith::RemUIOp, arith::CeilDivUIOp>(op))
    return {};
  Location loc = op.getLoc();
  Value lhs = map.lookup(op.getOperand(0));
  Value rhs = map.lookup(op.getOperand(1));
  Type type = rhs.getType();
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
  };
  auto equals = [&](Value v, int64_t c) -> Value {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v,
                                 constant(c));
  };
  Value zero = constant(0), one = constant(1);
  Value byZero = equals(rhs, 0);
  Value byMinusOne = isSigned ? equals(rhs, -1) : Value();
  Value safe = arith::SelectOp::create(b, loc, byZero, one, rhs);
  if (isSigned)
    safe = arith::SelectOp::create(b, loc, byMinusOne, one, safe);
  Operation *safeOp = b.clone(op, map);
  safeOp->setOperand(1, safe);
  Value result = safeOp->getResult(0);
  if (isSigned) {
    bool remainder = isa<arith::RemSIOp>(op);
    Value negated = arith::SubIOp::create(b, loc, zero, lhs);
    result = arith::SelectOp::create(b, loc, byMinusOne,
                                     remainder ? zero : negated, result);
  }
  result = arith::SelectOp::create(b, loc, byZero, zero, result);
  map.map(op.getResult(0), result);
  return result;
}

/// F(t, s) from an atom's factor region, cloned at `b` with its block
/// arguments bound to `args` (t, s, head, then each operand at t and at s).
Value inlineFactorRegion(OpBuilder &b, Region &region, ValueRange args) {
  Block &block = region.front();
  IRMapping map;
  map.map(block.getArguments(), args);
  for (Operation &op : block.without_terminator())
    if (!cloneDefinedDivision(b, op, map))
      b.clone(op, map);
  return map.lookup(block.getTerminator()->getOperand(0));
}

} // namespace

Value Contraction::logDecays(TileBuilder &b, const Slice &s, Rows rows,
                             int64_t size) const {
  Value total;
  for (sma::MaskAtom a : sma::maskAtoms(mask)) {
    sma::MaskOpInterface atom = a.op;
    if (!atom.hasLogDecay())
      continue;
    ValueRange ops = atom.getPositionOperands();
    Value ld;
    if (ops.empty()) {
      // The same at every position: built once, zero past the rows.
      Value v = atom.buildLogDecay(b, b.getLoc(), s.head, {});
      Value inside =
          arith::CmpIOp::create(b, arith::CmpIPredicate::ult, b.range(size),
                                b.splat(rows.count, {size}));
      ld = b.select(inside, b.splat(v, {size}), b.zeros({size}));
    } else {
      SmallVector<Value> tiles;
      for (Value op : ops)
        tiles.push_back(b.load(operands.lookup(op),
                               {s.batch, rows.first, s.head}, {1}, {size},
                               {rows.count}));
      ld = b.map({size}, b.getF32Type(), tiles,
                 [&](OpBuilder &nb, Location loc, ValueRange args) {
                   return atom.buildLogDecay(nb, loc, s.head, args);
                 });
    }
    total = total ? b.add(total, ld) : ld;
  }
  return total ? total : b.zeros({size});
}

Value Contraction::logDecayAt(TileBuilder &b, const Slice &s, Value pos) const {
  Value total;
  for (sma::MaskAtom a : sma::maskAtoms(mask)) {
    sma::MaskOpInterface atom = a.op;
    if (!atom.hasLogDecay())
      continue;
    SmallVector<Value> values;
    for (Value op : atom.getPositionOperands())
      values.push_back(
          b.loadScalar(operands.lookup(op), {s.batch, pos, s.head}));
    Value ld = atom.buildLogDecay(b, b.getLoc(), s.head, values);
    total = total ? b.add(total, ld) : ld;
  }
  return total ? total : b.f32(0.0);
}

Value Contraction::factors(TileBuilder &b, const Slice &s, Rows target,
                           int64_t m, Rows source, int64_t k) const {
  SmallVector<int64_t> shape = {m, k};
  // Positions count from the start of the sequence, as regions see them.
  Value t = b.broadcast(b.range(m, b.subi(target.first, s.start)), {1}, shape);
  Value src =
      b.broadcast(b.range(k, b.subi(source.first, s.start)), {0}, shape);
  Value product;
  for (sma::MaskAtom a : sma::maskAtoms(mask)) {
    sma::MaskOpInterface atom = a.op;
    // A semiseparable atom's factor is its side of the diagonal, which the
    // forms apply when the contraction runs the atom's way.
    bool transposed = a.transposed;
    if (atom.isSemiseparable() &&
        (transposed != atom.isAntiCausal()) == reversed)
      continue;
    ValueRange ops = atom.getPositionOperands();
    auto valuesAt = [&](Rows rows, int64_t size, int64_t dim) {
      SmallVector<Value> tiles;
      for (Value op : ops)
        tiles.push_back(b.broadcast(b.load(operands.lookup(op),
                                           {s.batch, rows.first, s.head}, {1},
                                           {size}, {rows.count}),
                                    {dim}, shape));
      return tiles;
    };
    // A transposed atom sees the entry (s, t): its positions and operand
    // values swap.
    SmallVector<Value> inputs =
        transposed ? SmallVector<Value>{src, t} : SmallVector<Value>{t, src};
    SmallVector<Value> atT = valuesAt(target, m, 1);
    SmallVector<Value> atS = valuesAt(source, k, 0);
    llvm::append_range(inputs, transposed ? atS : atT);
    llvm::append_range(inputs, transposed ? atT : atS);
    Region *region = atom.getFactorRegion();
    bool causal = atom.isCausal();
    Value f = b.map(
        shape, b.getF32Type(), inputs,
        [&](OpBuilder &nb, Location loc, ValueRange args) -> Value {
          ValueRange atT = args.slice(2, ops.size());
          ValueRange atS = args.slice(2 + ops.size(), ops.size());
          if (!region)
            return atom.buildFactor(
                nb, loc, sma::MaskEntry{args[0], args[1], s.head, atT, atS});
          SmallVector<Value> regionArgs = {args[0], args[1], s.head};
          for (auto [vt, vs] : llvm::zip(atT, atS))
            regionArgs.append({vt, vs});
          Value v = inlineFactorRegion(nb, *region, regionArgs);
          if (!causal)
            return v;
          // A causal region's entries above the diagonal are zero,
          // whatever it computes there.
          Value below = arith::CmpIOp::create(
              nb, loc, arith::CmpIPredicate::sle, args[1], args[0]);
          return arith::SelectOp::create(nb, loc, below, v,
                                         sma::buildF32(nb, loc, 0.0));
        });
    product = product ? b.mul(product, f) : f;
  }
  return product ? product : b.splat(b.f32(1.0), shape);
}
