//===- DecomposeForms.cpp - sma.contract into the tile program of its form ===//

#include "passes/Passes.h"
#include "passes/forms/Backward.h"
#include "passes/forms/Contraction.h"

#include "dialect/sma/SmaOps.h"
#include "dialect/tile/TileOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace smc {
#define GEN_PASS_DEF_DECOMPOSEFORMS
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;
using namespace smc::forms;

namespace {

/// The largest chunk the GPU's chunked kernels hold in registers.
constexpr int64_t kMaxGpuChunk = 128;
/// The largest chunk on the CPU: its [Q, Q] f32 score tile stays at 64 MB.
constexpr int64_t kMaxCpuChunk = 4096;
/// The largest p and n of the GPU kernels, and of their [p, n] state tile
/// (padded to powers of two), which a program holds in registers: beyond
/// it the kernels spill and their compile time grows past a minute.
constexpr int64_t kMaxGpuStateDim = 256;
constexpr int64_t kMaxGpuStateTile = 128 * 128;

/// An empty tensor of `type`, its dynamic dims taken from `sizes` (one per
/// dim of `type`, used where the dim is dynamic).
Value emptyLike(TileBuilder &b, Type type, ArrayRef<Value> sizes) {
  auto tensor = cast<RankedTensorType>(type);
  SmallVector<Value> dynamic;
  for (auto [i, d] : llvm::enumerate(tensor.getShape()))
    if (ShapedType::isDynamic(d))
      dynamic.push_back(sizes[i]);
  return tensor::EmptyOp::create(b, tensor, dynamic);
}

struct DecomposeFormsPass : smc::impl::DecomposeFormsBase<DecomposeFormsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<sma::ContractOp> ops;
    getOperation().walk([&](sma::ContractOp op) { ops.push_back(op); });
    for (sma::ContractOp op : ops)
      if (failed(decompose(op)))
        return signalPassFailure();
    SmallVector<Operation *> blocks;
    getOperation().walk([&](Operation *op) {
      if (isa<sma::ExpandGroupsOp, sma::SumGroupsOp, sma::TransposeStateOp,
              sma::DecayGradOp, sma::DotRowsOp, sma::SumPositionsOp>(op))
        blocks.push_back(op);
    });
    for (Operation *op : blocks)
      decomposeBuildingBlock(op);

    // Masks are consumed by the programs: drop the dead ones, users first.
    SmallVector<Operation *> masks;
    getOperation().walk(
        [&](sma::MaskOpInterface m) { masks.push_back(m.getOperation()); });
    for (Operation *m : llvm::reverse(masks))
      if (m->use_empty())
        m->erase();
  }

  /// The state's size against what the GPU kernels support.
  LogicalResult checkGpuState(sma::ContractOp op) {
    int64_t p = op.getX().getType().getDimSize(3);
    int64_t n = op.getB().getType().getDimSize(3);
    TileConfig config{true};
    if (p <= kMaxGpuStateDim && n <= kMaxGpuStateDim &&
        config.tileSize(p) * config.tileSize(n) <= kMaxGpuStateTile)
      return success();
    return op.emitOpError()
           << "state of p = " << p << " by n = " << n
           << " is larger than the GPU kernels support (p, n <= "
           << kMaxGpuStateDim << " and p x n <= " << kMaxGpuStateTile
           << " after padding each to a power of two, e.g. 64 x 256 or 128 x "
              "128); the CPU target has no such limit";
  }

  LogicalResult check(sma::ContractOp op) {
    if (failed(op.verifyMask()))
      return failure();
    auto form = op.getForm();
    if (!form)
      return op.emitOpError(
          "has no form: run sma-select-form first or set one");
    if (form->getKind() == sma::FormKind::chunked) {
      if (form->getChunk() <= 0)
        return op.emitOpError(
            "chunked form without a chunk size: run sma-select-form first");
      TileConfig config{gpu};
      int64_t maxChunk = gpu ? kMaxGpuChunk : kMaxCpuChunk;
      if (config.tileSize(form->getChunk()) > maxChunk)
        return op.emitOpError()
               << "chunk " << form->getChunk() << " is larger than the "
               << (gpu ? "GPU kernels" : "CPU tiles") << " support (at most "
               << maxChunk << ")";
    }
    if (gpu && failed(checkGpuState(op)))
      return failure();
    sma::MaskOpInterface mask = op.getMaskOp();
    if (!mask.hasLogDecay())
      return success();
    if (!mask.isCausal() && !mask.isAntiCausal())
      return op.emitOpError("a non-causal mask with a log-decay has no form");
    // The forms apply every log-decay in the contraction's direction. A
    // mask that is causal and anti-causal is diagonal: no decay reaches it.
    if (mask.isCausal() && mask.isAntiCausal())
      return success();
    bool reversed = !mask.isCausal();
    for (sma::MaskAtom a : sma::maskAtoms(mask))
      if (a.op.hasLogDecay() && (a.transposed != a.op.isAntiCausal()) != reversed)
        return op.emitOpError()
               << "mask multiplies decays that run in opposite directions ('"
               << a.op->getName() << "' is "
               << (reversed ? "causal" : "anti-causal") << " in a "
               << (reversed ? "anti-causal" : "causal") << " mask)";
    return success();
  }

  /// A backward building block (Backward.h) as its tile program.
  void decomposeBuildingBlock(Operation *op) {
    OpBuilder ob(op);
    TileBuilder b(op->getLoc(), ob);
    Value first = op->getOperand(0);
    auto firstType = cast<RankedTensorType>(first.getType());
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < firstType.getRank(); ++d)
      sizes.push_back(tensor::DimOp::create(b, first, d));
    Value cu;
    if (auto g = dyn_cast<sma::DecayGradOp>(op))
      cu = g.getCuSeqlens();
    Value sequences =
        cu ? b.subi(tensor::DimOp::create(b, cu, 0), b.index(1)) : sizes[0];
    Value out = emptyLike(b, op->getResult(0).getType(), sizes);
    auto program = tile::ProgramOp::create(b, op->getOperands(), {out});
    OpBuilder ib = OpBuilder::atBlockTerminator(&program.getBody().front());
    TileBuilder pb(op->getLoc(), ib);
    TileConfig config{gpu};
    Value result = program.getOutputBuffer(0);
    auto inputBuffer = [&](Value v) -> Value {
      if (!v)
        return {};
      unsigned i = llvm::find(op->getOperands(), v) - op->operand_begin();
      return program.getInputBuffer(i);
    };
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    if (isa<sma::ExpandGroupsOp, sma::SumGroupsOp>(op)) {
      Regrouping r{program.getInputBuffer(0),   result,
                   sizes[0],
                   sizes[1],
                   firstType.getDimSize(2),     resultType.getDimSize(2),
                   firstType.getDimSize(3),     config};
      if (isa<sma::ExpandGroupsOp>(op))
        buildExpandGroups(pb, r);
      else
        buildSumGroups(pb, r);
    } else if (isa<sma::DotRowsOp>(op)) {
      Regrouping r{program.getInputBuffer(0),   result,
                   sizes[0],
                   sizes[1],
                   firstType.getDimSize(2),     firstType.getDimSize(2),
                   firstType.getDimSize(3),     config};
      buildDotRows(pb, r, program.getInputBuffer(1));
    } else if (isa<sma::SumPositionsOp>(op)) {
      buildSumPositions(pb, program.getInputBuffer(0), result, sizes[0],
                        sizes[1], firstType.getDimSize(2), config);
    } else if (isa<sma::TransposeStateOp>(op)) {
      buildTransposeState(pb, program.getInputBuffer(0), result, sizes[0],
                          firstType.getDimSize(1), firstType.getDimSize(2),
                          firstType.getDimSize(3), config);
    } else {
      auto g = cast<sma::DecayGradOp>(op);
      Contraction c;
      c.cu = inputBuffer(cu);
      c.heads = c.groups = firstType.getDimSize(2);
      c.headDim = firstType.getDimSize(3);
      c.stateDim = g.getFinalState()
                       ? g.getFinalState().getType().getDimSize(3)
                       : 1;
      c.sequences = sequences;
      c.length = sizes[1];
      c.config = config;
      DecayGrad d{inputBuffer(g.getDY()),         inputBuffer(g.getY()),
                  inputBuffer(g.getX()),          inputBuffer(g.getDX()),
                  inputBuffer(g.getFinalState()), inputBuffer(g.getDFinalState()),
                  result};
      buildDecayGrad(pb, c, d);
    }
    op->replaceAllUsesWith(program.getResults());
    op->erase();
  }

  LogicalResult decompose(sma::ContractOp op) {
    if (failed(check(op)))
      return failure();
    OpBuilder ob(op);
    TileBuilder b(op.getLoc(), ob);
    Value x = op.getX(), cu = op.getCuSeqlens(), init = op.getInitState();
    sma::MaskOpInterface mask = op.getMaskOp();

    // Sizes, computed from the operand tensors outside the program.
    Value batch = tensor::DimOp::create(b, x, 0);
    Value length = tensor::DimOp::create(b, x, 1);
    Value sequences =
        cu ? b.subi(tensor::DimOp::create(b, cu, 0), b.index(1)) : batch;

    // Inputs: C, B, X, [init], [cu], then each position operand of the
    // mask's atoms once.
    SmallVector<Value> inputs = {op.getC(), op.getB(), x};
    if (init)
      inputs.push_back(init);
    if (cu)
      inputs.push_back(cu);
    SmallVector<Value> positionOperands;
    for (sma::MaskAtom atom : sma::maskAtoms(mask))
      for (Value v : atom.op.getPositionOperands())
        if (!llvm::is_contained(positionOperands, v))
          positionOperands.push_back(v);
    inputs.append(positionOperands);

    SmallVector<Value> outputs = {
        emptyLike(b, op.getY().getType(), {batch, length})};
    if (Value fin = op.getFinalState())
      outputs.push_back(emptyLike(b, fin.getType(), {sequences}));

    auto program = tile::ProgramOp::create(b, inputs, outputs);
    Contraction c;
    unsigned next = 0;
    auto input = [&] { return program.getInputBuffer(next++); };
    c.C = input();
    c.B = input();
    c.X = input();
    c.init = init ? input() : Value();
    c.cu = cu ? input() : Value();
    for (Value v : positionOperands)
      c.operands.map(v, input());
    c.Y = program.getOutputBuffer(0);
    c.final = op.getFinalState() ? program.getOutputBuffer(1) : Value();
    c.mask = mask;
    c.reversed = !mask.isCausal() && mask.isAntiCausal();
    auto xType = op.getX().getType();
    c.heads = xType.getDimSize(2);
    c.headDim = xType.getDimSize(3);
    c.groups = op.getB().getType().getDimSize(2);
    c.stateDim = op.getB().getType().getDimSize(3);
    c.chunk = op.getForm()->getChunk();
    c.sequences = sequences;
    c.length = length;
    c.config.gpu = gpu;

    OpBuilder ib = OpBuilder::atBlockTerminator(&program.getBody().front());
    TileBuilder pb(op.getLoc(), ib);
    if (c.cu)
      buildZeroOutputs(pb, c);
    switch (op.getForm()->getKind()) {
    case sma::FormKind::linear:
      buildLinearForm(pb, c);
      break;
    case sma::FormKind::quadratic:
      buildQuadraticForm(pb, c);
      break;
    case sma::FormKind::chunked:
      buildChunkedForm(pb, c);
      break;
    }
    op->replaceAllUsesWith(program.getResults());
    op.erase();
    return success();
  }
};

} // namespace
