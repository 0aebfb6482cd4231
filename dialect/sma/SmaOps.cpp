//===- SmaOps.cpp - verifiers of the sma contraction ops ------------------===//

#include "dialect/sma/SmaOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace smc::sma;

/// Parses `[v0, v1, ...]` into a DenseF64ArrayAttr.
static ParseResult parseExactFloatList(OpAsmParser &parser,
                                       DenseF64ArrayAttr &attr) {
  SmallVector<double> values;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
        return parser.parseFloat(values.emplace_back());
      }))
    return failure();
  attr = DenseF64ArrayAttr::get(parser.getContext(), values);
  return success();
}

/// Prints `[v0, v1, ...]` with as many digits as each value needs to read
/// back exactly.
static void printExactFloatList(OpAsmPrinter &printer, Operation *,
                                DenseF64ArrayAttr attr) {
  printer << '[';
  llvm::interleaveComma(attr.asArrayRef(), printer, [&](double v) {
    printer.printFloat(llvm::APFloat(v));
  });
  printer << ']';
}

#define GET_OP_CLASSES
#include "dialect/sma/SmaOps.cpp.inc"

namespace {

/// Prints a shape as "[2, ?, 8, 64]".
std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << "]";
  return s;
}

bool dimsMatch(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

bool shapesMatch(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  return a.size() == b.size() && llvm::all_of(llvm::zip(a, b), [](auto p) {
           return dimsMatch(std::get<0>(p), std::get<1>(p));
         });
}

/// Checks `value` has shape `expected` (dynamic dims match anything).
LogicalResult expectShape(Operation *op, StringRef what, Value value,
                          ArrayRef<int64_t> expected, StringRef layout) {
  auto shape = cast<ShapedType>(value.getType()).getShape();
  if (shapesMatch(shape, expected))
    return success();
  return op->emitOpError() << what << ": expected shape " << layout << " = "
                           << shapeStr(expected) << ", got " << shapeStr(shape);
}

/// The shape rules shared by sma.contract and sma.ssd. `bDims` is the shape
/// of B ([b, T, g, n]) and `xDims` of X ([b, T, h, p]).
LogicalResult verifyMixer(Operation *op, Value bVal, Value cVal, Value xVal,
                          Value init, Value cuSeqlens, Value y, Value final,
                          StringRef bName, StringRef xName) {
  auto bDims = cast<ShapedType>(bVal.getType()).getShape();
  auto xDims = cast<ShapedType>(xVal.getType()).getShape();
  if (failed(
          expectShape(op, "C", cVal, bDims, "[b, T, g, n] of " + bName.str())))
    return failure();
  int64_t batch = xDims[0], seqLen = xDims[1], heads = xDims[2],
          headDim = xDims[3], groups = bDims[2], stateDim = bDims[3];
  if (!dimsMatch(bDims[0], batch) || !dimsMatch(bDims[1], seqLen))
    return op->emitOpError()
           << bName << " and " << xName
           << " must agree on batch and sequence length: " << bName << " is "
           << shapeStr(bDims) << ", " << xName << " is " << shapeStr(xDims);
  if (ShapedType::isDynamic(heads) || ShapedType::isDynamic(groups))
    return op->emitOpError()
           << "heads (dim 2 of " << xName << ") and groups (dim 2 of " << bName
           << ") must be static";
  if (ShapedType::isDynamic(headDim) || ShapedType::isDynamic(stateDim))
    return op->emitOpError()
           << "head dim p (dim 3 of " << xName << ") and state dim n (dim 3 of "
           << bName << ") must be static";
  if (groups <= 0 || heads % groups != 0)
    return op->emitOpError()
           << "heads (" << heads << ") must be a multiple of groups (" << groups
           << ")";
  if (y.getType() != xVal.getType())
    return op->emitOpError()
           << "result y: expected type " << xVal.getType() << " (the type of "
           << xName << "), got " << y.getType();

  int64_t sequences = batch;
  if (cuSeqlens) {
    if (!dimsMatch(batch, 1))
      return op->emitOpError()
             << "packed sequences (seqs) need batch 1, got batch " << batch;
    int64_t offsets = cast<ShapedType>(cuSeqlens.getType()).getDimSize(0);
    if (!ShapedType::isDynamic(offsets) && offsets < 2)
      return op->emitOpError()
             << "cu_seqlens: expected at least 2 offsets, got " << offsets;
    sequences =
        ShapedType::isDynamic(offsets) ? ShapedType::kDynamic : offsets - 1;
  }
  SmallVector<int64_t> stateShape = {sequences, heads, headDim, stateDim};
  if (init && failed(expectShape(op, "initial state", init, stateShape,
                                 "[S, h, p, n]")))
    return failure();
  if (final &&
      failed(expectShape(op, "final state", final, stateShape, "[S, h, p, n]")))
    return failure();
  if (init && final && init.getType() != final.getType())
    return op->emitOpError()
           << "final state: expected type " << init.getType()
           << " (the initial state's), got " << final.getType();

  return success();
}

} // namespace

MaskOpInterface ContractOp::getMaskOp() {
  return getMask().getDefiningOp<MaskOpInterface>();
}

LogicalResult ContractOp::verify() {
  // Local checks only: what depends on the mask's structure is verifyMask's.
  if (!getMaskOp())
    return emitOpError("mask operand must be defined by an sma.mask op");
  return verifyMixer(*this, getB(), getC(), getX(), getInitState(),
                     getCuSeqlens(), getY(), getFinalState(), "B", "X");
}

LogicalResult ContractOp::verifyMask() {
  MaskOpInterface mask = getMaskOp();
  auto xDims = getX().getType().getShape();
  if (failed(verifyMaskUse(mask, *this, xDims[0], xDims[1], xDims[2])))
    return failure();
  if ((getInitState() || getFinalState()) && !mask.isSemiseparable())
    return emitOpError() << "states need a semiseparable mask, but "
                         << explainNotSemiseparable(mask);
  return verifyForm(getForm() ? getForm()->getKind() : FormKind::quadratic);
}

LogicalResult ContractOp::verifyForm(FormKind kind) {
  MaskOpInterface mask = getMaskOp();
  if (kind == FormKind::quadratic || mask.isSemiseparable())
    return success();
  return emitOpError() << "form '" << stringifyFormKind(kind)
                       << "' is illegal for this mask: "
                       << explainNotSemiseparable(mask)
                       << "; only the quadratic form is legal";
}

LogicalResult SsdOp::verify() {
  auto xDims = getX().getType().getShape();
  if (failed(
          expectShape(*this, "dt", getDt(), xDims.take_front(3), "[b, T, h]")))
    return failure();
  if (failed(verifyMixer(*this, getB(), getC(), getX(), getInitState(),
                         getCuSeqlens(), getY(), getFinalState(), "B", "x")))
    return failure();
  int64_t heads = xDims[2];
  for (auto [name, value] : {std::pair<StringRef, Value>{"A", getA()},
                             {"D", getD()},
                             {"dt_bias", getDtBias()}})
    if (value && failed(expectShape(*this, name, value, {heads}, "[h]")))
      return failure();
  if (getZ() && getZ().getType() != getX().getType())
    return emitOpError() << "z: expected type " << getX().getType()
                         << " (the type of x), got " << getZ().getType();
  if (auto limit = getDtLimit()) {
    if (limit->size() != 2)
      return emitOpError() << "dt_limit: expected 2 values [lo, hi], got "
                           << limit->size();
    double lo = (*limit)[0], hi = (*limit)[1];
    if (!(lo >= 0.0) || !(lo <= hi))
      return emitOpError() << "dt_limit: expected 0 <= lo <= hi, got [" << lo
                           << ", " << hi << "]";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Backward building blocks
//===----------------------------------------------------------------------===//

/// Checks that `from` [b, T, k, d] and `to` [b, T, m, d] agree but for dim
/// 2, where the one with more heads has a multiple of the other's.
static LogicalResult verifyRegrouping(Operation *op, ShapedType from,
                                      ShapedType to) {
  auto f = from.getShape(), t = to.getShape();
  for (int d : {0, 1, 3})
    if (!dimsMatch(f[d], t[d]))
      return op->emitOpError()
             << "result: expected the source's dims but dim 2, got "
             << shapeStr(t) << " for a source of " << shapeStr(f);
  int64_t fewer = std::min(f[2], t[2]), more = std::max(f[2], t[2]);
  if (ShapedType::isDynamic(f[2]) || ShapedType::isDynamic(t[2]) ||
      ShapedType::isDynamic(f[3]))
    return op->emitOpError("heads and groups (dim 2) and dim 3 must be static");
  if (fewer <= 0 || more % fewer != 0)
    return op->emitOpError() << "heads (" << more
                             << ") must be a multiple of groups (" << fewer
                             << ")";
  return success();
}

LogicalResult ExpandGroupsOp::verify() {
  if (getSource().getType().getDimSize(2) > getResult().getType().getDimSize(2))
    return emitOpError("result: expected at least as many heads as groups");
  return verifyRegrouping(*this, getSource().getType(), getResult().getType());
}

LogicalResult SumGroupsOp::verify() {
  if (getSource().getType().getDimSize(2) < getResult().getType().getDimSize(2))
    return emitOpError("result: expected at most as many groups as heads");
  return verifyRegrouping(*this, getSource().getType(), getResult().getType());
}

LogicalResult DotRowsOp::verify() {
  auto l = getLhs().getType().getShape();
  if (failed(expectShape(*this, "rhs", getRhs(), l, "[b, T, h, d] of lhs")) ||
      failed(expectShape(*this, "result", getResult(), l.take_front(3),
                         "[b, T, h] of lhs")))
    return failure();
  if (ShapedType::isDynamic(l[2]) || ShapedType::isDynamic(l[3]))
    return emitOpError() << "lhs: expected static h and d, got " << shapeStr(l);
  return success();
}

LogicalResult SumPositionsOp::verify() {
  auto s = getSource().getType().getShape();
  if (ShapedType::isDynamic(s[2]))
    return emitOpError() << "source: expected a static h, got " << shapeStr(s);
  return expectShape(*this, "result", getResult(), s.take_back(1),
                     "[h] of the source's [b, T, h]");
}

LogicalResult TransposeStateOp::verify() {
  auto s = getSource().getType().getShape();
  if (llvm::any_of(s.drop_front(), ShapedType::isDynamic))
    return emitOpError() << "source: expected static h, p, n, got "
                         << shapeStr(s);
  SmallVector<int64_t> expected = {s[0], s[1], s[3], s[2]};
  return expectShape(*this, "result", getResult(), expected,
                     "[S, h, n, p] of the source's [S, h, p, n]");
}

LogicalResult DecayGradOp::verify() {
  auto y = getY().getType().getShape();
  for (auto [name, v] : {std::pair<StringRef, Value>{"dY", getDY()},
                         {"X", getX()},
                         {"dX", getDX()}})
    if (failed(expectShape(*this, name, v, y, "[b, T, h, p] of Y")))
      return failure();
  if (failed(expectShape(*this, "result", getResult(), y.take_front(3),
                         "[b, T, h]")))
    return failure();
  if (ShapedType::isDynamic(y[2]) || ShapedType::isDynamic(y[3]))
    return emitOpError() << "Y: expected static h and p, got " << shapeStr(y);
  if (static_cast<bool>(getFinalState()) != static_cast<bool>(getDFinalState()))
    return emitOpError("final and d_final come together");
  if (getFinalState() &&
      getFinalState().getType() != getDFinalState().getType())
    return emitOpError() << "d_final: expected type "
                         << getFinalState().getType() << ", got "
                         << getDFinalState().getType();
  if (getFinalState()) {
    auto f = getFinalState().getType().getShape();
    if (!dimsMatch(f[1], y[2]) || !dimsMatch(f[2], y[3]) ||
        ShapedType::isDynamic(f[3]))
      return emitOpError() << "final: expected [S, h, p, n] with h, p of Y "
                           << shapeStr(y) << ", got " << shapeStr(f);
  }
  return success();
}
