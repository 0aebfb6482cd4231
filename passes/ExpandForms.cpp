//===- ExpandForms.cpp - sma.contract into the loops of its form ----------===//

#include "passes/ExpandCommon.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace smc {
#define GEN_PASS_DEF_EXPANDFORMS
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;
using namespace smc::expand;

namespace {

/// An identity-layout memref view of a tensor operand.
Value bufferOf(Emitter &b, Value tensor) {
  if (!tensor)
    return {};
  auto type = cast<RankedTensorType>(tensor.getType());
  auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
  return bufferization::ToBufferOp::create(b, memrefType, tensor,
                                           /*read_only=*/true);
}

/// A new buffer of `type`'s shape; dynamic sizes taken from `sizes`.
Value allocLike(Emitter &b, RankedTensorType type, ArrayRef<Value> sizes) {
  auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
  SmallVector<Value> dynamic;
  for (auto [i, d] : llvm::enumerate(type.getShape()))
    if (ShapedType::isDynamic(d))
      dynamic.push_back(sizes[i]);
  return memref::AllocOp::create(b, memrefType, dynamic);
}

/// Zeroes a 4-d buffer.
void zeroBuffer(Emitter &b, Value buf) {
  Value zero = cIdx(b, 0);
  Value f0 = arith::ConstantOp::create(
      b, b.getZeroAttr(cast<MemRefType>(buf.getType()).getElementType()));
  SmallVector<Value> ivs;
  std::function<void(Emitter &, unsigned)> nest = [&](Emitter &b,
                                                      unsigned dim) {
    if (dim == 4) {
      memref::StoreOp::create(b, f0, buf, ivs);
      return;
    }
    forRange(b, zero, memref::DimOp::create(b, buf, dim),
             [&](Emitter &b, Value iv) {
               ivs.push_back(iv);
               nest(b, dim + 1);
               ivs.pop_back();
             });
  };
  nest(b, 0);
}

/// An elementwise linalg.generic whose body can be evaluated element by
/// element inside an expansion: one result, all-parallel loops,
/// projected-permutation maps, and an identity output map whose value the
/// body does not read.
bool isPointwise(linalg::GenericOp g) {
  if (g.getNumResults() != 1 || g.getNumDpsInits() != 1 ||
      g.getNumParallelLoops() != g.getNumLoops())
    return false;
  auto maps = g.getIndexingMapsArray();
  return maps.back().isIdentity() &&
         g.getRegion().front().getArguments().back().use_empty() &&
         llvm::all_of(maps,
                      [](AffineMap m) { return m.isProjectedPermutation(); });
}

/// A pointwise producer of `tensor` that loads can evaluate in place; it
/// needs an input of the full shape to take sizes from.
linalg::GenericOp fusibleProducer(Value tensor) {
  auto g = tensor.getDefiningOp<linalg::GenericOp>();
  if (!g || !isPointwise(g))
    return nullptr;
  auto maps = g.getIndexingMapsArray();
  for (unsigned i = 0; i < g.getNumDpsInputs(); ++i)
    if (maps[i].isIdentity())
      return g;
  return nullptr;
}

/// `g` evaluated in place. Its inputs are read from buffers, except `given`
/// (the caller's value) and, with `chains`, inputs computed by pointwise
/// generics, which are evaluated in place in turn.
Fused fuse(Emitter &b, linalg::GenericOp g, bool chains, Value given = {}) {
  Fused f;
  f.generic = g;
  for (Value in : g.getDpsInputs()) {
    auto producer = in.getDefiningOp<linalg::GenericOp>();
    bool nested = in != given && chains && producer && isPointwise(producer);
    f.nested.push_back(
        nested ? std::make_shared<const Fused>(fuse(b, producer, chains))
               : nullptr);
    f.inputs.push_back(nested || in == given ? Value() : bufferOf(b, in));
  }
  return f;
}

/// The pointwise only user of `y` that stores can evaluate in place: it
/// reads y once, element for element, and its other inputs are defined
/// before `op` (the expansion is emitted there).
linalg::GenericOp fusibleConsumer(Value y, Operation *op) {
  if (!y.hasOneUse())
    return nullptr;
  auto g = dyn_cast<linalg::GenericOp>(*y.getUsers().begin());
  if (!g || !isPointwise(g) || g.getDpsInitOperand(0)->get() == y)
    return nullptr;
  for (OpOperand *in : g.getDpsInputOperands()) {
    Value v = in->get();
    if (v == y) {
      if (!g.getMatchingIndexingMap(in).isIdentity())
        return nullptr;
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (def && (def->getBlock() != op->getBlock() || !def->isBeforeInBlock(op)))
      return nullptr;
  }
  return g;
}

struct ExpandFormsPass : smc::impl::ExpandFormsBase<ExpandFormsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<sma::ContractOp> ops;
    getOperation().walk([&](sma::ContractOp op) { ops.push_back(op); });
    for (sma::ContractOp op : ops)
      if (failed(expand(op)))
        return signalPassFailure();

    // Masks are consumed by the expansions: drop the dead ones, users first.
    SmallVector<Operation *> masks;
    getOperation().walk(
        [&](sma::MaskOpInterface m) { masks.push_back(m.getOperation()); });
    for (Operation *m : llvm::reverse(masks))
      if (m->use_empty())
        m->erase();
  }

  LogicalResult expand(sma::ContractOp op) {
    auto form = op.getForm();
    if (!form)
      return op.emitOpError(
          "has no form: run sma-select-form first or set one");
    if (form->getKind() == sma::FormKind::chunked && form->getChunk() <= 0)
      return op.emitOpError(
          "chunked form without a chunk size: run sma-select-form first");

    Emitter b(op.getLoc(), op);
    auto xType = op.getX().getType();
    Contraction c;
    c.C = bufferOf(b, op.getC());
    c.B = bufferOf(b, op.getB());
    c.init = bufferOf(b, op.getInitState());
    c.cu = bufferOf(b, op.getCuSeqlens());
    c.heads = xType.getDimSize(2);
    c.headDim = xType.getDimSize(3);
    c.groups = op.getB().getType().getDimSize(2);
    c.stateDim = op.getB().getType().getDimSize(3);
    c.chunk = form->getChunk();
    c.mask = op.getMaskOp();

    // Chains of elementwise producers (softplus(dt + bias) under x dt' and
    // dt' A) are evaluated in place only where the kernels read each
    // element a bounded number of times: the linear form, and the
    // tensor-core chunked form, whose cumsum kernel reads each log-decay
    // once. Elsewhere (the quadratic walks) their results are materialized.
    bool chains = form->getKind() == sma::FormKind::linear ||
                  (gpu && form->getKind() == sma::FormKind::chunked &&
                   chunkedOnTensorCores(c));
    if (auto producer = fusibleProducer(op.getX())) {
      // X is never materialized: loads evaluate the producer (x * dt'); X
      // names a producer input of X's shape, for the sizes.
      auto sizesFrom = [&](const Fused &f) {
        for (auto [i, m] : llvm::enumerate(producer.getIndexingMapsArray()))
          if (i < f.inputs.size() && m.isIdentity() && f.inputs[i])
            return f.inputs[i];
        return Value();
      };
      c.x = fuse(b, producer, chains);
      c.X = sizesFrom(c.x);
      if (!c.X) { // Its full-shape input is computed: fuse one level only.
        c.x = fuse(b, producer, /*chains=*/false);
        c.X = sizesFrom(c.x);
      }
    } else {
      c.X = bufferOf(b, op.getX());
    }

    // Every tensor operand anywhere in the mask tree gets a buffer, or is
    // computed in place from its elementwise producers.
    auto computed = std::make_shared<DenseMap<Value, Fused>>();
    SmallVector<Operation *> worklist = {c.mask.getOperation()};
    while (!worklist.empty()) {
      Operation *m = worklist.pop_back_val();
      for (Value operand : m->getOperands()) {
        if (isa<sma::MaskType>(operand.getType())) {
          worklist.push_back(operand.getDefiningOp());
          continue;
        }
        if (c.maskCtx.buffers.contains(operand) || computed->contains(operand))
          continue;
        auto producer = operand.getDefiningOp<linalg::GenericOp>();
        if (chains && producer && isPointwise(producer))
          computed->try_emplace(operand, fuse(b, producer, chains));
        else
          c.maskCtx.buffers.map(operand, bufferOf(b, operand));
      }
    }
    if (!computed->empty())
      c.maskCtx.compute = [computed](OpBuilder &nb, Location loc, Value operand,
                                     ValueRange idx) {
        Emitter b(loc, nb);
        return evaluateFused(b, computed->at(operand), idx);
      };

    Value batch = memref::DimOp::create(b, c.X, 0);
    Value seqLen = memref::DimOp::create(b, c.X, 1);
    auto consumer = fusibleConsumer(op.getY(), op);
    if (consumer) // Y is never materialized: stores evaluate the epilogue.
      c.y = fuse(b, consumer, /*chains=*/false, op.getY());
    c.Y = allocLike(b,
                    cast<RankedTensorType>(consumer
                                               ? consumer.getResult(0).getType()
                                               : op.getY().getType()),
                    {batch, seqLen});
    if (c.cu && !gpu)
      zeroBuffer(b, c.Y); // Positions outside every sequence read as zero.
    if (Value fin = op.getFinalState()) {
      Value sequences =
          c.cu ? arith::SubIOp::create(b, memref::DimOp::create(b, c.cu, 0),
                                       cIdx(b, 1))
                     .getResult()
               : batch;
      c.final =
          allocLike(b, cast<RankedTensorType>(fin.getType()), {sequences});
    }

    switch (form->getKind()) {
    case sma::FormKind::linear:
      gpu ? expandLinearGpu(b, c) : expandLinear(b, c);
      break;
    case sma::FormKind::quadratic:
      gpu ? expandQuadraticGpu(b, c) : expandQuadratic(b, c);
      break;
    case sma::FormKind::chunked:
      gpu ? expandChunkedGpu(b, c) : expandChunked(b, c);
      break;
    }

    auto toTensor = [&](Value buf, Type type) -> Value {
      return bufferization::ToTensorOp::create(b, type, buf, /*restrict=*/true,
                                               /*writable=*/true);
    };
    if (consumer) {
      Value out = consumer.getResult(0);
      out.replaceAllUsesWith(toTensor(c.Y, out.getType()));
      consumer.erase();
    } else {
      op.getY().replaceAllUsesWith(toTensor(c.Y, op.getY().getType()));
    }
    if (Value fin = op.getFinalState())
      fin.replaceAllUsesWith(toTensor(c.final, fin.getType()));
    op.erase();
    return success();
  }
};

} // namespace
