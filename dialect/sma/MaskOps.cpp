//===- MaskOps.cpp - mask ops and their structure interface ---------------===//
//
// Each mask op reports its structure and builds its entries from values;
// nothing outside this file special-cases a mask kind.
//
//===----------------------------------------------------------------------===//

#include "dialect/sma/SmaOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>

using namespace mlir;
using namespace smc::sma;

#include "dialect/sma/MaskInterface.cpp.inc"

Value smc::sma::buildF32(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}

/// 1.0 where `cond` holds, else 0.0.
static Value indicator(OpBuilder &b, Location loc, Value cond) {
  return arith::SelectOp::create(b, loc, cond, buildF32(b, loc, 1.0),
                                 buildF32(b, loc, 0.0));
}

Value smc::sma::buildCausalFactor(OpBuilder &b, Location loc,
                                  const MaskEntry &e) {
  return indicator(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, e.s, e.t));
}

static MaskOpInterface maskOf(Value v) {
  return v.getDefiningOp<MaskOpInterface>();
}

//===----------------------------------------------------------------------===//
// Structure descriptions and checks of a use
//===----------------------------------------------------------------------===//

std::string smc::sma::describeMaskStructure(MaskOpInterface mask) {
  std::string s = mask.isCausal()       ? "causal"
                  : mask.isAntiCausal() ? "anti-causal"
                                        : "non-causal";
  if (mask.isSemiseparable())
    s += ", semiseparable";
  if (mask.isToeplitz())
    s += ", Toeplitz";
  if (auto w = mask.getBandwidth())
    s += ", banded (width " + std::to_string(*w) + ")";
  s += mask.isDataDependent() ? ", data dependent" : ", static";
  return s;
}

std::string smc::sma::explainNotSemiseparable(MaskOpInterface mask) {
  std::string name = "'" + mask->getName().getStringRef().str() + "'";
  for (Value v : mask.getParts())
    if (MaskOpInterface part = maskOf(v); !part.isSemiseparable())
      return name + " has a factor without a state recurrence: " +
             explainNotSemiseparable(part);
  if (auto w = mask.getBandwidth())
    return name + " is banded (width " + std::to_string(*w) +
           ") and has no constant-size state";
  ValueRange parts = mask.getParts();
  if (parts.size() == 2 && !mask.isSemiseparable() &&
      maskOf(parts[0]).isCausal() != maskOf(parts[1]).isCausal())
    return name + " multiplies a causal and an anti-causal recurrence";
  if (mask.isSemiseparable())
    return name + " is semiseparable";
  return name + " has no known state recurrence";
}

static void collectAtoms(MaskOpInterface mask, bool transposed,
                         SmallVectorImpl<MaskAtom> &atoms) {
  ValueRange parts = mask.getParts();
  if (parts.empty()) {
    atoms.push_back({mask, transposed});
    return;
  }
  bool flips = isa<TransposeMaskOp>(mask.getOperation());
  for (Value part : parts)
    collectAtoms(maskOf(part), transposed != flips, atoms);
}

SmallVector<MaskAtom> smc::sma::maskAtoms(MaskOpInterface mask) {
  SmallVector<MaskAtom> atoms;
  collectAtoms(mask, false, atoms);
  return atoms;
}

LogicalResult smc::sma::verifyMaskUse(MaskOpInterface mask, Operation *user,
                                      int64_t batch, int64_t seqLen,
                                      int64_t heads) {
  for (MaskAtom a : maskAtoms(mask)) {
    MaskOpInterface atom = a.op;
    std::string name = atom->getName().getStringRef().str();
    for (Value operand : atom.getPositionOperands()) {
      auto shape = cast<ShapedType>(operand.getType()).getShape();
      int64_t expected[] = {batch, seqLen, heads};
      static const char *names[] = {"batch", "sequence length", "heads"};
      for (auto [i, want] : llvm::enumerate(expected)) {
        if (ShapedType::isDynamic(want) || ShapedType::isDynamic(shape[i]) ||
            shape[i] == want)
          continue;
        return user->emitOpError()
               << "mask '" << name << "': operand dim " << i << " (" << names[i]
               << ") is " << shape[i] << ", but the contraction has " << want;
      }
    }
    if (failed(atom.verifyForUse(user, batch, seqLen, heads)))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// sma.mask.causal
//===----------------------------------------------------------------------===//

bool CausalMaskOp::isSemiseparable() { return true; }
bool CausalMaskOp::isToeplitz() { return true; }

//===----------------------------------------------------------------------===//
// sma.mask.fixed_decay
//===----------------------------------------------------------------------===//

LogicalResult FixedDecayMaskOp::verify() {
  if (getGamma().empty())
    return emitOpError("expected at least one gamma value");
  for (auto [i, g] : llvm::enumerate(getGamma()))
    if (!(g > 0.0 && g <= 1.0))
      return emitOpError() << "gamma[" << i << "] must be in (0, 1], got " << g;
  return success();
}
bool FixedDecayMaskOp::isSemiseparable() { return true; }
bool FixedDecayMaskOp::isToeplitz() { return true; }
bool FixedDecayMaskOp::hasLogDecay() { return true; }
LogicalResult FixedDecayMaskOp::verifyForUse(Operation *user, int64_t, int64_t,
                                             int64_t heads) {
  int64_t n = getGamma().size();
  if (!ShapedType::isDynamic(heads) && n != heads)
    return user->emitOpError()
           << "mask 'sma.mask.fixed_decay' has " << n
           << " gamma values, but the contraction has " << heads << " heads";
  return success();
}
Value FixedDecayMaskOp::buildLogDecay(OpBuilder &b, Location loc, Value head,
                                      ValueRange) {
  // log(gamma_h) from a constant vector indexed by the head: no symbol, so
  // the same code works on the host and inside GPU kernels.
  SmallVector<float> logs;
  for (double g : getGamma())
    logs.push_back(static_cast<float>(std::log(g)));
  auto type = VectorType::get({(int64_t)logs.size()}, b.getF32Type());
  Value table = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<float>(logs)));
  return vector::ExtractOp::create(b, loc, table, OpFoldResult(head));
}

//===----------------------------------------------------------------------===//
// sma.mask.decay
//===----------------------------------------------------------------------===//

bool DecayMaskOp::isSemiseparable() { return true; }
bool DecayMaskOp::hasLogDecay() { return true; }
ValueRange DecayMaskOp::getPositionOperands() {
  return getOperation()->getOperands();
}
Value DecayMaskOp::buildLogDecay(OpBuilder &, Location, Value,
                                 ValueRange values) {
  return values.front();
}

//===----------------------------------------------------------------------===//
// sma.mask.window
//===----------------------------------------------------------------------===//

LogicalResult WindowMaskOp::verify() {
  // getWidth() is unsigned: read the attribute as signed so that a negative
  // width is rejected rather than wrapped to a huge band.
  int64_t width = getWidthAttr().getInt();
  if (width < 1)
    return emitOpError() << "width must be at least 1, got " << width;
  return success();
}
bool WindowMaskOp::isToeplitz() { return true; }
std::optional<int64_t> WindowMaskOp::getBandwidth() { return getWidth(); }
Value WindowMaskOp::buildFactor(OpBuilder &b, Location loc,
                                const MaskEntry &e) {
  Value d = arith::SubIOp::create(b, loc, e.t, e.s);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value w = arith::ConstantIndexOp::create(b, loc, getWidth());
  Value inBand = arith::AndIOp::create(
      b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, d, zero),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, d, w));
  return indicator(b, loc, inBand);
}

//===----------------------------------------------------------------------===//
// sma.mask.mul
//===----------------------------------------------------------------------===//

LogicalResult MulMaskOp::verify() {
  // The structure of a product is read from its parts, so they must be masks.
  for (auto [i, part] : llvm::enumerate(ValueRange{getLhs(), getRhs()}))
    if (!maskOf(part))
      return emitOpError() << "operand #" << i
                           << " must be defined by an sma.mask op";
  return success();
}
ValueRange MulMaskOp::getParts() { return getOperation()->getOperands(); }
bool MulMaskOp::isCausal() {
  return maskOf(getLhs()).isCausal() || maskOf(getRhs()).isCausal();
}
bool MulMaskOp::isAntiCausal() {
  return maskOf(getLhs()).isAntiCausal() || maskOf(getRhs()).isAntiCausal();
}
bool MulMaskOp::isSemiseparable() {
  // A semiseparable mask is causal or anti-causal, never both: the parts'
  // recurrences must run the same way.
  MaskOpInterface l = maskOf(getLhs()), r = maskOf(getRhs());
  return l.isSemiseparable() && r.isSemiseparable() &&
         l.isCausal() == r.isCausal();
}
bool MulMaskOp::isToeplitz() {
  return maskOf(getLhs()).isToeplitz() && maskOf(getRhs()).isToeplitz();
}
bool MulMaskOp::isDataDependent() {
  return maskOf(getLhs()).isDataDependent() ||
         maskOf(getRhs()).isDataDependent();
}
std::optional<int64_t> MulMaskOp::getBandwidth() {
  auto l = maskOf(getLhs()).getBandwidth(), r = maskOf(getRhs()).getBandwidth();
  if (l && r)
    return std::min(*l, *r);
  return l ? l : r;
}
bool MulMaskOp::hasLogDecay() {
  return maskOf(getLhs()).hasLogDecay() || maskOf(getRhs()).hasLogDecay();
}

//===----------------------------------------------------------------------===//
// sma.mask.transpose
//===----------------------------------------------------------------------===//

LogicalResult TransposeMaskOp::verify() {
  if (!maskOf(getSource()))
    return emitOpError("operand must be defined by an sma.mask op");
  return success();
}
ValueRange TransposeMaskOp::getParts() {
  return getOperation()->getOperands();
}
bool TransposeMaskOp::isCausal() { return maskOf(getSource()).isAntiCausal(); }
bool TransposeMaskOp::isAntiCausal() { return maskOf(getSource()).isCausal(); }
bool TransposeMaskOp::isSemiseparable() {
  return maskOf(getSource()).isSemiseparable();
}
bool TransposeMaskOp::isToeplitz() { return maskOf(getSource()).isToeplitz(); }
bool TransposeMaskOp::isDataDependent() {
  return maskOf(getSource()).isDataDependent();
}
std::optional<int64_t> TransposeMaskOp::getBandwidth() {
  return maskOf(getSource()).getBandwidth();
}
bool TransposeMaskOp::hasLogDecay() {
  return maskOf(getSource()).hasLogDecay();
}

//===----------------------------------------------------------------------===//
// sma.mask.custom
//===----------------------------------------------------------------------===//

void CustomMaskOp::build(OpBuilder &b, OperationState &state, bool causal,
                         ValueRange inputs) {
  if (causal)
    state.addAttribute(getCausalAttrName(state.name), b.getUnitAttr());
  state.addOperands(inputs);
  state.addTypes(MaskType::get(b.getContext()));
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (int i = 0; i < 3; ++i)
    block->addArgument(b.getIndexType(), state.location);
  for (size_t i = 0; i < 2 * inputs.size(); ++i)
    block->addArgument(b.getF32Type(), state.location);
}

LogicalResult CustomMaskOp::verifyRegions() {
  Block &block = getBody().front();
  size_t expected = 3 + 2 * getInputs().size();
  if (block.getNumArguments() != expected)
    return emitOpError() << "region: expected " << expected
                         << " block arguments (t, s, head, then a value at t "
                            "and at s per operand), got "
                         << block.getNumArguments();
  for (auto [i, arg] : llvm::enumerate(block.getArguments())) {
    Type want = i < 3 ? Type(IndexType::get(getContext()))
                      : Type(Float32Type::get(getContext()));
    if (arg.getType() != want)
      return emitOpError() << "region: block argument " << i << " must be "
                           << want << ", got " << arg.getType();
  }
  // Other terminators (e.g. ub.unreachable) verify but yield no entry.
  if (block.empty() || !isa<YieldOp>(block.back()))
    return emitOpError("region: expected an 'sma.yield' terminator");
  return success();
}
bool CustomMaskOp::isCausal() { return getCausal(); }
ValueRange CustomMaskOp::getPositionOperands() { return getInputs(); }
Region *CustomMaskOp::getFactorRegion() { return &getBody(); }
