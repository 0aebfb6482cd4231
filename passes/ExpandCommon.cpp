//===- ExpandCommon.cpp - shared pieces of the form expansions ------------===//

#include "passes/ExpandCommon.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace smc;
using namespace smc::expand;

Value expand::cIdx(Emitter &b, int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}

Value expand::cF32(Emitter &b, double v) {
  return arith::ConstantOp::create(b, b.getF32FloatAttr(v));
}

void expand::forRange(Emitter &b, Value lb, Value ub,
                      function_ref<void(Emitter &, Value)> body) {
  scf::ForOp::create(b, lb, ub, cIdx(b, 1), ValueRange{},
                     [&](OpBuilder &nb, Location loc, Value iv, ValueRange) {
                       Emitter ib(loc, nb);
                       body(ib, iv);
                       scf::YieldOp::create(ib);
                     });
}

SmallVector<Value> expand::forRangeCarry(
    Emitter &b, Value lb, Value ub, ValueRange init,
    function_ref<SmallVector<Value>(Emitter &, Value, ValueRange)> body) {
  auto loop = scf::ForOp::create(
      b, lb, ub, cIdx(b, 1), init,
      [&](OpBuilder &nb, Location loc, Value iv, ValueRange carried) {
        Emitter ib(loc, nb);
        scf::YieldOp::create(ib, body(ib, iv, carried));
      });
  return SmallVector<Value>(loop.getResults());
}

static arith::FastMathFlagsAttr reassoc(Emitter &b) {
  return arith::FastMathFlagsAttr::get(b.getContext(),
                                       arith::FastMathFlags::reassoc |
                                           arith::FastMathFlags::contract);
}

Value expand::add(Emitter &b, Value x, Value y) {
  return arith::AddFOp::create(b, x, y, reassoc(b));
}
Value expand::mul(Emitter &b, Value x, Value y) {
  return arith::MulFOp::create(b, x, y, reassoc(b));
}
Value expand::sub(Emitter &b, Value x, Value y) {
  return arith::SubFOp::create(b, x, y);
}
Value expand::exp(Emitter &b, Value x) { return math::ExpOp::create(b, x); }
Value expand::expm1(Emitter &b, Value x) { return math::ExpM1Op::create(b, x); }
Value expand::decayBy(Emitter &b, Value logDecay, Value v) {
  return add(b, v, mul(b, expm1(b, logDecay), v));
}

Value expand::castFloat(Emitter &b, Value v, Type elem) {
  Type from = getElementTypeOrSelf(v.getType());
  if (from == elem)
    return v;
  Type to = elem;
  if (auto vec = dyn_cast<VectorType>(v.getType()))
    to = VectorType::get(vec.getShape(), elem);
  if (from.getIntOrFloatBitWidth() > elem.getIntOrFloatBitWidth())
    return arith::TruncFOp::create(b, to, v);
  return arith::ExtFOp::create(b, to, v);
}

Value expand::loadF32(Emitter &b, Value mem, ValueRange idx) {
  Value v = memref::LoadOp::create(b, mem, idx);
  if (v.getType().isF32())
    return v;
  return arith::ExtFOp::create(b, b.getF32Type(), v);
}

void expand::loadXRow(Emitter &b, const Contraction &c, Value i0, Value i1,
                      Value i2, Value dst, int64_t n) {
  forRange(b, cIdx(b, 0), cIdx(b, n), [&](Emitter &b, Value k) {
    memref::StoreOp::create(b, loadX(b, c, {i0, i1, i2, k}), dst,
                            ValueRange{k});
  });
}

Value expand::loadX(Emitter &b, const Contraction &c, ValueRange idx) {
  if (!c.x)
    return loadF32(b, c.X, idx);
  return castFloat(b, evaluateFused(b, c.x, idx), b.getF32Type());
}

llvm::MaybeAlign expand::vectorAlignment(Type elem, int64_t width) {
  int64_t bytes = width * elem.getIntOrFloatBitWidth() / 8;
  return llvm::Align(std::min<int64_t>(16, bytes & -bytes));
}

SmallVector<Value> expand::loadXOperands(Emitter &b, const Contraction &c,
                                         ValueRange idx, int64_t width) {
  if (!c.x) {
    Type elem = cast<MemRefType>(c.X.getType()).getElementType();
    return {vector::LoadOp::create(b, VectorType::get({width}, elem), c.X, idx,
                                   false, vectorAlignment(elem, width))};
  }
  if (hasVectorForm(c.x))
    return loadFused(b, c.x, idx, width);
  // A producer without a vector form: evaluated now, element by element.
  SmallVector<Value> elems, at(idx);
  for (int64_t e = 0; e < width; ++e) {
    at.back() = arith::AddIOp::create(b, idx.back(), cIdx(b, e));
    elems.push_back(loadX(b, c, at));
  }
  return {vector::FromElementsOp::create(
      b, VectorType::get({width}, b.getF32Type()), elems)};
}

Value expand::finishX(Emitter &b, const Contraction &c, ValueRange operands,
                      int64_t width) {
  Value v = operands.front();
  if (c.x && hasVectorForm(c.x))
    v = computeFused(b, c.x, operands, width);
  return castFloat(b, v, b.getF32Type());
}

Value expand::loadXVector(Emitter &b, const Contraction &c, ValueRange idx,
                          int64_t width) {
  return finishX(b, c, loadXOperands(b, c, idx, width), width);
}

void expand::storeYVector(Emitter &b, const Contraction &c, Value v,
                          ValueRange idx) {
  int64_t width = cast<VectorType>(v.getType()).getNumElements();
  if (c.y) {
    if (!hasVectorForm(c.y)) { // Evaluated element by element.
      SmallVector<Value> at(idx);
      for (int64_t e = 0; e < width; ++e) {
        at.back() = arith::AddIOp::create(b, idx.back(), cIdx(b, e));
        storeY(b, c, vector::ExtractOp::create(b, v, e), at);
      }
      return;
    }
    v = evaluateFused(b, c.y, idx, width, v);
  }
  Type elem = cast<MemRefType>(c.Y.getType()).getElementType();
  vector::StoreOp::create(b, castFloat(b, v, elem), c.Y, idx, false,
                          vectorAlignment(elem, width));
}

void expand::storeY(Emitter &b, const Contraction &c, Value v, ValueRange idx) {
  if (c.y)
    v = evaluateFused(b, c.y, idx, 0, v);
  storeF32(b, v, c.Y, idx);
}

void expand::storeF32(Emitter &b, Value v, Value mem, ValueRange idx) {
  Type elem = cast<MemRefType>(mem.getType()).getElementType();
  memref::StoreOp::create(b, castFloat(b, v, elem), mem, idx);
}

Value expand::scratch(Emitter &b, ArrayRef<int64_t> shape) {
  return memref::AllocaOp::create(b, MemRefType::get(shape, b.getF32Type()));
}

void expand::loadRow(Emitter &b, Value src, Value i0, Value i1, Value i2,
                     Value dst, int64_t n) {
  forRange(b, cIdx(b, 0), cIdx(b, n), [&](Emitter &b, Value k) {
    memref::StoreOp::create(b, loadF32(b, src, {i0, i1, i2, k}), dst,
                            ValueRange{k});
  });
}

Value expand::dotRow(Emitter &b, Value a, Value mem, Value i0, Value i1,
                     Value i2, int64_t n) {
  return forRangeCarry(
      b, cIdx(b, 0), cIdx(b, n), {cF32(b, 0)},
      [&](Emitter &b, Value k, ValueRange acc) -> SmallVector<Value> {
        Value ak = memref::LoadOp::create(b, a, ValueRange{k});
        return {add(b, acc[0], mul(b, ak, loadF32(b, mem, {i0, i1, i2, k})))};
      })[0];
}

Value expand::dotScratch(Emitter &b, Value a, Value m, Value r, int64_t n) {
  return forRangeCarry(
      b, cIdx(b, 0), cIdx(b, n), {cF32(b, 0)},
      [&](Emitter &b, Value k, ValueRange acc) -> SmallVector<Value> {
        Value ak = memref::LoadOp::create(b, a, ValueRange{k});
        Value mk = memref::LoadOp::create(b, m, ValueRange{r, k});
        return {add(b, acc[0], mul(b, ak, mk))};
      })[0];
}

void expand::zeroScratch(Emitter &b, Value buf) {
  auto type = cast<MemRefType>(buf.getType());
  SmallVector<Value> ivs;
  std::function<void(Emitter &, unsigned)> nest = [&](Emitter &b,
                                                      unsigned dim) {
    if (dim == type.getRank()) {
      memref::StoreOp::create(b, cF32(b, 0), buf, ivs);
      return;
    }
    forRange(b, cIdx(b, 0), cIdx(b, type.getDimSize(dim)),
             [&](Emitter &b, Value iv) {
               ivs.push_back(iv);
               nest(b, dim + 1);
               ivs.pop_back();
             });
  };
  nest(b, 0);
}

void expand::loadState(Emitter &b, Value state, const Slice &s, Value dst,
                       int64_t p, int64_t n) {
  forRange(b, cIdx(b, 0), cIdx(b, p), [&](Emitter &b, Value i) {
    forRange(b, cIdx(b, 0), cIdx(b, n), [&](Emitter &b, Value k) {
      Value v =
          memref::LoadOp::create(b, state, ValueRange{s.seq, s.head, i, k});
      memref::StoreOp::create(b, v, dst, ValueRange{i, k});
    });
  });
}

void expand::storeState(Emitter &b, Value src, Value state, const Slice &s,
                        int64_t p, int64_t n) {
  forRange(b, cIdx(b, 0), cIdx(b, p), [&](Emitter &b, Value i) {
    forRange(b, cIdx(b, 0), cIdx(b, n), [&](Emitter &b, Value k) {
      Value v = memref::LoadOp::create(b, src, ValueRange{i, k});
      memref::StoreOp::create(b, v, state, ValueRange{s.seq, s.head, i, k});
    });
  });
}

void expand::rankOneUpdate(Emitter &b, Value h, Value coef, Value x, Value mem,
                           Value i0, Value i1, Value i2, int64_t p, int64_t n) {
  forRange(b, cIdx(b, 0), cIdx(b, p), [&](Emitter &b, Value i) {
    Value xi = mul(b, coef, memref::LoadOp::create(b, x, ValueRange{i}));
    forRange(b, cIdx(b, 0), cIdx(b, n), [&](Emitter &b, Value k) {
      Value hk = memref::LoadOp::create(b, h, ValueRange{i, k});
      Value bk = loadF32(b, mem, {i0, i1, i2, k});
      memref::StoreOp::create(b, add(b, hk, mul(b, xi, bk)), h,
                              ValueRange{i, k});
    });
  });
}

Value expand::numSequences(Emitter &b, const Contraction &c) {
  if (!c.cu)
    return memref::DimOp::create(b, c.X, 0);
  return arith::SubIOp::create(b, memref::DimOp::create(b, c.cu, 0),
                               cIdx(b, 1));
}

Slice expand::sliceAt(Emitter &b, const Contraction &c, Value seq, Value head) {
  Value zero = cIdx(b, 0), one = cIdx(b, 1);
  Value seqLen = memref::DimOp::create(b, c.X, 1);
  Value group = arith::DivUIOp::create(b, head, cIdx(b, c.heads / c.groups));
  if (!c.cu)
    return Slice{seq, seq, zero, seqLen, head, group};
  // Packed sequences. Offsets are clamped to [0, T] so a malformed
  // cu_seqlens cannot send a loop outside the buffers.
  auto offset = [&](Value i) -> Value {
    Value v = memref::LoadOp::create(b, c.cu, ValueRange{i});
    Value idx = arith::IndexCastOp::create(b, b.getIndexType(), v);
    idx = arith::MaxSIOp::create(b, idx, zero);
    return arith::MinSIOp::create(b, idx, seqLen);
  };
  Value start = offset(seq);
  Value end = arith::MaxSIOp::create(
      b, offset(arith::AddIOp::create(b, seq, one)), start);
  return Slice{seq,  zero, start, arith::SubIOp::create(b, end, start),
               head, group};
}

void expand::forEachSlice(Emitter &b, const Contraction &c,
                          function_ref<void(Emitter &, const Slice &)> body) {
  forRange(b, cIdx(b, 0), numSequences(b, c), [&](Emitter &b, Value seq) {
    forRange(b, cIdx(b, 0), cIdx(b, c.heads), [&](Emitter &b, Value head) {
      body(b, sliceAt(b, c, seq, head));
    });
  });
}

Value MaskBuildContext::read(OpBuilder &b, Location loc, Value operand,
                             ValueRange idx) const {
  if (Value buf = buffers.lookupOrNull(operand))
    return memref::LoadOp::create(b, loc, buf, idx);
  assert(compute && "a mask operand has neither a buffer nor a producer");
  return compute(b, loc, operand, idx);
}

/// The values of `mask`'s position operands at absolute position `pos`.
static SmallVector<Value> operandsAt(Emitter &b, const Contraction &c,
                                     sma::MaskOpInterface mask, const Slice &s,
                                     Value pos) {
  SmallVector<Value> values;
  for (Value operand : mask.getPositionOperands())
    values.push_back(
        c.maskCtx.read(b, b.getLoc(), operand, {s.batch, pos, s.head}));
  return values;
}

Value expand::logDecayAt(Emitter &b, const Contraction &c, const Slice &s,
                         Value pos) {
  Value sum;
  for (sma::MaskOpInterface atom : sma::atomicMasks(c.mask)) {
    if (!atom.hasLogDecay())
      continue;
    Value ld = atom.buildLogDecay(b, b.getLoc(), s.head,
                                  operandsAt(b, c, atom, s, pos));
    sum = sum ? add(b, sum, ld) : ld;
  }
  return sum ? sum : cF32(b, 0);
}

Value expand::factorAt(Emitter &b, const Contraction &c, const Slice &s,
                       Value t, Value src) {
  Value tRel = arith::SubIOp::create(b, t, s.start);
  Value sRel = arith::SubIOp::create(b, src, s.start);
  Value product;
  for (sma::MaskOpInterface atom : sma::atomicMasks(c.mask)) {
    SmallVector<Value> atT = operandsAt(b, c, atom, s, t);
    SmallVector<Value> atS = operandsAt(b, c, atom, s, src);
    sma::MaskEntry entry{tRel, sRel, s.head, atT, atS};
    Value f;
    if (Region *region = atom.getFactorRegion()) {
      Block &block = region->front();
      IRMapping map;
      map.map(block.getArgument(0), tRel);
      map.map(block.getArgument(1), sRel);
      map.map(block.getArgument(2), s.head);
      for (auto [i, v] : llvm::enumerate(atT)) {
        map.map(block.getArgument(3 + 2 * i), v);
        map.map(block.getArgument(4 + 2 * i), atS[i]);
      }
      for (Operation &op : block.without_terminator())
        b.clone(op, map);
      f = map.lookup(block.getTerminator()->getOperand(0));
      if (atom.isCausal())
        f = arith::SelectOp::create(
            b,
            arith::CmpIOp::create(b, arith::CmpIPredicate::sle, sRel, tRel),
            f, cF32(b, 0));
    } else {
      f = atom.buildFactor(b, b.getLoc(), entry);
    }
    product = product ? mul(b, product, f) : f;
  }
  return product;
}

void expand::forEachSource(Emitter &b, const Contraction &c, const Slice &s,
                           Value t,
                           function_ref<void(Emitter &, Value, Value)> body) {
  bool decays = c.mask.hasLogDecay();
  bool causal = c.mask.isCausal();
  bool structured = c.mask.isSemiseparable(); // F(t, s) is just [s <= t].
  Value count = s.len;
  if (causal) {
    count = arith::AddIOp::create(b, arith::SubIOp::create(b, t, s.start),
                                  cIdx(b, 1));
    if (auto band = c.mask.getBandwidth())
      count = arith::MinSIOp::create(b, count, cIdx(b, *band));
  }
  forRangeCarry(b, cIdx(b, 0), count, {cF32(b, 0)},
                [&](Emitter &b, Value j, ValueRange run) -> SmallVector<Value> {
                  Value src =
                      causal ? arith::SubIOp::create(b, t, j).getResult()
                             : arith::AddIOp::create(b, s.start, j).getResult();
                  Value weight = decays ? exp(b, run[0]) : Value();
                  if (!structured) {
                    Value f = factorAt(b, c, s, t, src);
                    weight = weight ? mul(b, weight, f) : f;
                  }
                  body(b, src, weight);
                  if (!decays)
                    return {run[0]};
                  return {add(b, run[0], logDecayAt(b, c, s, src))};
                });
}

Value expand::forEachSourceOfFinalState(
    Emitter &b, const Contraction &c, const Slice &s,
    function_ref<void(Emitter &, Value, Value)> body) {
  bool decays = c.mask.hasLogDecay();
  Value end = arith::AddIOp::create(b, s.start, s.len);
  return forRangeCarry(
      b, cIdx(b, 0), s.len, {cF32(b, 0)},
      [&](Emitter &b, Value j, ValueRange run) -> SmallVector<Value> {
        Value src = arith::SubIOp::create(b, arith::SubIOp::create(b, end, j),
                                          cIdx(b, 1));
        body(b, src, decays ? exp(b, run[0]) : Value());
        if (!decays)
          return {run[0]};
        return {add(b, run[0], logDecayAt(b, c, s, src))};
      })[0];
}

//===----------------------------------------------------------------------===//
// GPU kernels
//===----------------------------------------------------------------------===//

void expand::launch(Emitter &b, Value blocks, Value threads,
                    function_ref<void(Emitter &, Value, Value)> body,
                    int64_t sharedBytes) {
  Value one = cIdx(b, 1);
  Value shared;
  if (sharedBytes)
    shared = arith::ConstantIntOp::create(b, b.getI32Type(), sharedBytes);
  auto op =
      gpu::LaunchOp::create(b, blocks, one, one, threads, one, one, shared);
  Block &entry = op.getBody().front();
  OpBuilder nb = OpBuilder::atBlockBegin(&entry);
  Emitter ib(b.getLoc(), nb);
  body(ib, op.getBlockIds().x, op.getThreadIds().x);
  gpu::TerminatorOp::create(ib);
}

void expand::when(Emitter &b, Value cond, function_ref<void(Emitter &)> body) {
  scf::IfOp::create(b, cond, [&](OpBuilder &nb, Location loc) {
    Emitter ib(loc, nb);
    body(ib);
    scf::YieldOp::create(ib);
  });
}

SmallVector<Value>
expand::ifElse(Emitter &b, Value cond, TypeRange types,
               function_ref<SmallVector<Value>(Emitter &)> then,
               function_ref<SmallVector<Value>(Emitter &)> otherwise) {
  auto op = scf::IfOp::create(b, types, cond, /*addThenBlock=*/true,
                              /*addElseBlock=*/true);
  for (auto [block, fill] : {std::make_pair(op.thenBlock(), then),
                             std::make_pair(op.elseBlock(), otherwise)}) {
    OpBuilder nb = OpBuilder::atBlockEnd(block);
    Emitter ib(b.getLoc(), nb);
    scf::YieldOp::create(ib, fill(ib));
  }
  return SmallVector<Value>(op.getResults());
}

Value expand::ult(Emitter &b, Value x, Value y) {
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y);
}
