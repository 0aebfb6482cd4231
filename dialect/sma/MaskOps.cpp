//===- MaskOps.cpp - mask ops and their structure interface ---------------===//
//
// Each mask op reports its structure and builds its own entries; nothing
// outside this file special-cases a mask kind.
//
//===----------------------------------------------------------------------===//

#include "dialect/sma/SmaOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>

using namespace mlir;
using namespace smc::sma;

#include "dialect/sma/MaskInterface.cpp.inc"

Value MaskBuildContext::read(OpBuilder &b, Location loc, Value operand,
                             ValueRange idx) const {
  if (Value buf = buffers.lookupOrNull(operand))
    return memref::LoadOp::create(b, loc, buf, idx);
  assert(compute && "a mask operand has neither a buffer nor a producer");
  return compute(b, loc, operand, idx);
}

namespace {

Value f32Const(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}

/// 1.0 where `cond` holds, else 0.0.
Value indicator(OpBuilder &b, Location loc, Value cond) {
  return arith::SelectOp::create(b, loc, cond, f32Const(b, loc, 1.0),
                                 f32Const(b, loc, 0.0));
}

/// [s <= t], the factor of every causal semiseparable mask.
Value causalFactor(OpBuilder &b, Location loc, const MaskPoint &p) {
  return indicator(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, p.sRel, p.tRel));
}

MaskOpInterface maskOf(Value v) { return v.getDefiningOp<MaskOpInterface>(); }

/// Checks a [b, T, h] position tensor against the contraction's sizes.
LogicalResult verifyPositionTensor(Operation *user, StringRef maskName,
                                   Value tensor, int64_t batch, int64_t seqLen,
                                   int64_t heads) {
  auto shape = cast<ShapedType>(tensor.getType()).getShape();
  int64_t expected[] = {batch, seqLen, heads};
  for (auto [i, want] : llvm::enumerate(expected)) {
    if (ShapedType::isDynamic(want) || ShapedType::isDynamic(shape[i]) ||
        shape[i] == want)
      continue;
    static const char *names[] = {"batch", "sequence length", "heads"};
    return user->emitOpError()
           << "mask '" << maskName << "': operand dim " << i << " (" << names[i]
           << ") is " << shape[i] << ", but the contraction has " << want;
  }
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Structure descriptions for explain and diagnostics
//===----------------------------------------------------------------------===//

std::string smc::sma::describeMaskStructure(MaskOpInterface mask) {
  std::string s = mask.isCausal() ? "causal" : "non-causal";
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
  if (auto mul = dyn_cast<MulMaskOp>(mask.getOperation())) {
    for (Value part : {mul.getLhs(), mul.getRhs()})
      if (auto m = maskOf(part); m && !m.isSemiseparable())
        return name + " has a factor without a state recurrence: " +
               explainNotSemiseparable(m);
  }
  if (auto w = mask.getBandwidth())
    return name + " is banded (width " + std::to_string(*w) +
           ") and has no constant-size state";
  if (mask.isSemiseparable())
    return name + " is semiseparable";
  return name + " has no known state recurrence";
}

//===----------------------------------------------------------------------===//
// sma.mask.causal
//===----------------------------------------------------------------------===//

bool CausalMaskOp::isCausal() { return true; }
bool CausalMaskOp::isSemiseparable() { return true; }
bool CausalMaskOp::isToeplitz() { return true; }
bool CausalMaskOp::isDataDependent() { return false; }
std::optional<int64_t> CausalMaskOp::getBandwidth() { return std::nullopt; }
bool CausalMaskOp::hasLogDecay() { return false; }
LogicalResult CausalMaskOp::verifyForUse(Operation *, int64_t, int64_t,
                                         int64_t) {
  return success();
}
Value CausalMaskOp::buildLogDecay(OpBuilder &b, Location loc,
                                  const MaskBuildContext &, const MaskPoint &) {
  return f32Const(b, loc, 0.0);
}
Value CausalMaskOp::buildFactor(OpBuilder &b, Location loc,
                                const MaskBuildContext &, const MaskPoint &p) {
  return causalFactor(b, loc, p);
}

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
bool FixedDecayMaskOp::isCausal() { return true; }
bool FixedDecayMaskOp::isSemiseparable() { return true; }
bool FixedDecayMaskOp::isToeplitz() { return true; }
bool FixedDecayMaskOp::isDataDependent() { return false; }
std::optional<int64_t> FixedDecayMaskOp::getBandwidth() { return std::nullopt; }
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
Value FixedDecayMaskOp::buildLogDecay(OpBuilder &b, Location loc,
                                      const MaskBuildContext &,
                                      const MaskPoint &p) {
  // log(gamma_h) from a constant vector indexed by the head: no symbol, so
  // the same code works on the host and inside GPU kernels.
  SmallVector<float> logs;
  for (double g : getGamma())
    logs.push_back(static_cast<float>(std::log(g)));
  auto type = VectorType::get({(int64_t)logs.size()}, b.getF32Type());
  Value table = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<float>(logs)));
  return vector::ExtractOp::create(b, loc, table, OpFoldResult(p.head));
}
Value FixedDecayMaskOp::buildFactor(OpBuilder &b, Location loc,
                                    const MaskBuildContext &,
                                    const MaskPoint &p) {
  return causalFactor(b, loc, p);
}

//===----------------------------------------------------------------------===//
// sma.mask.decay
//===----------------------------------------------------------------------===//

bool DecayMaskOp::isCausal() { return true; }
bool DecayMaskOp::isSemiseparable() { return true; }
bool DecayMaskOp::isToeplitz() { return false; }
bool DecayMaskOp::isDataDependent() { return true; }
std::optional<int64_t> DecayMaskOp::getBandwidth() { return std::nullopt; }
bool DecayMaskOp::hasLogDecay() { return true; }
LogicalResult DecayMaskOp::verifyForUse(Operation *user, int64_t batch,
                                        int64_t seqLen, int64_t heads) {
  return verifyPositionTensor(user, "sma.mask.decay", getLogDecay(), batch,
                              seqLen, heads);
}
Value DecayMaskOp::buildLogDecay(OpBuilder &b, Location loc,
                                 const MaskBuildContext &ctx,
                                 const MaskPoint &p) {
  return ctx.read(b, loc, getLogDecay(), {p.batch, p.tAbs, p.head});
}
Value DecayMaskOp::buildFactor(OpBuilder &b, Location loc,
                               const MaskBuildContext &, const MaskPoint &p) {
  return causalFactor(b, loc, p);
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
bool WindowMaskOp::isCausal() { return true; }
bool WindowMaskOp::isSemiseparable() { return false; }
bool WindowMaskOp::isToeplitz() { return true; }
bool WindowMaskOp::isDataDependent() { return false; }
std::optional<int64_t> WindowMaskOp::getBandwidth() { return getWidth(); }
bool WindowMaskOp::hasLogDecay() { return false; }
LogicalResult WindowMaskOp::verifyForUse(Operation *, int64_t, int64_t,
                                         int64_t) {
  return success();
}
Value WindowMaskOp::buildLogDecay(OpBuilder &b, Location loc,
                                  const MaskBuildContext &, const MaskPoint &) {
  return f32Const(b, loc, 0.0);
}
Value WindowMaskOp::buildFactor(OpBuilder &b, Location loc,
                                const MaskBuildContext &, const MaskPoint &p) {
  Value d = arith::SubIOp::create(b, loc, p.tRel, p.sRel);
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
bool MulMaskOp::isCausal() {
  return maskOf(getLhs()).isCausal() || maskOf(getRhs()).isCausal();
}
bool MulMaskOp::isSemiseparable() {
  return maskOf(getLhs()).isSemiseparable() &&
         maskOf(getRhs()).isSemiseparable();
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
LogicalResult MulMaskOp::verifyForUse(Operation *user, int64_t batch,
                                      int64_t seqLen, int64_t heads) {
  for (Value part : {getLhs(), getRhs()}) {
    MaskOpInterface m = maskOf(part);
    if (!m)
      return user->emitOpError(
          "mask 'sma.mask.mul': operands must be defined by sma.mask ops");
    if (failed(m.verifyForUse(user, batch, seqLen, heads)))
      return failure();
  }
  return success();
}
Value MulMaskOp::buildLogDecay(OpBuilder &b, Location loc,
                               const MaskBuildContext &ctx,
                               const MaskPoint &p) {
  Value sum;
  for (Value part : {getLhs(), getRhs()}) {
    MaskOpInterface m = maskOf(part);
    if (!m.hasLogDecay())
      continue;
    Value ld = m.buildLogDecay(b, loc, ctx, p);
    sum = sum ? arith::AddFOp::create(b, loc, sum, ld).getResult() : ld;
  }
  return sum ? sum : f32Const(b, loc, 0.0);
}
Value MulMaskOp::buildFactor(OpBuilder &b, Location loc,
                             const MaskBuildContext &ctx, const MaskPoint &p) {
  return arith::MulFOp::create(b, loc,
                               maskOf(getLhs()).buildFactor(b, loc, ctx, p),
                               maskOf(getRhs()).buildFactor(b, loc, ctx, p));
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
bool CustomMaskOp::isSemiseparable() { return false; }
bool CustomMaskOp::isToeplitz() { return false; }
bool CustomMaskOp::isDataDependent() { return !getInputs().empty(); }
std::optional<int64_t> CustomMaskOp::getBandwidth() { return std::nullopt; }
bool CustomMaskOp::hasLogDecay() { return false; }
LogicalResult CustomMaskOp::verifyForUse(Operation *user, int64_t batch,
                                         int64_t seqLen, int64_t heads) {
  for (Value in : getInputs())
    if (failed(verifyPositionTensor(user, "sma.mask.custom", in, batch, seqLen,
                                    heads)))
      return failure();
  return success();
}
Value CustomMaskOp::buildLogDecay(OpBuilder &b, Location loc,
                                  const MaskBuildContext &, const MaskPoint &) {
  return f32Const(b, loc, 0.0);
}
Value CustomMaskOp::buildFactor(OpBuilder &b, Location loc,
                                const MaskBuildContext &ctx,
                                const MaskPoint &p) {
  Block &block = getBody().front();
  IRMapping map;
  map.map(block.getArgument(0), p.tRel);
  map.map(block.getArgument(1), p.sRel);
  map.map(block.getArgument(2), p.head);
  for (auto [i, in] : llvm::enumerate(getInputs())) {
    map.map(block.getArgument(3 + 2 * i),
            ctx.read(b, loc, in, {p.batch, p.tAbs, p.head}));
    map.map(block.getArgument(4 + 2 * i),
            ctx.read(b, loc, in, {p.batch, p.sAbs, p.head}));
  }
  for (Operation &op : block.without_terminator())
    b.clone(op, map);
  Value v = map.lookup(cast<YieldOp>(block.getTerminator()).getValue());
  if (!getCausal())
    return v;
  // Entries above the diagonal are zero whatever the region computes there.
  Value below =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, p.sRel, p.tRel);
  return arith::SelectOp::create(b, loc, below, v, f32Const(b, loc, 0.0));
}
