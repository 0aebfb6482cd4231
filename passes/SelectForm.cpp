//===- SelectForm.cpp - choose each contraction's dual form ---------------===//

#include "passes/CostModel.h"
#include "passes/Passes.h"

#include "dialect/sma/SmaOps.h"

namespace smc {
#define GEN_PASS_DEF_SELECTFORM
#include "passes/Passes.h.inc"
} // namespace smc

using namespace mlir;
using namespace smc;

namespace {

struct SelectFormPass : smc::impl::SelectFormBase<SelectFormPass> {
  using Base::Base;

  void runOnOperation() override {
    const TargetParams *params = lookupTarget(target);
    if (!params) {
      getOperation().emitError() << "unknown target '" << target
                                 << "' (expected one of h200, h100, a100, cpu)";
      return signalPassFailure();
    }
    std::optional<sma::FormKind> forced;
    if (!forceForm.empty()) {
      forced = sma::symbolizeFormKind(forceForm);
      if (!forced) {
        getOperation().emitError()
            << "unknown form '" << forceForm
            << "' (expected linear, quadratic or chunked)";
        return signalPassFailure();
      }
    }
    if (chunk < 0) {
      getOperation().emitError()
          << "chunk must be positive, got " << static_cast<int64_t>(chunk);
      return signalPassFailure();
    }
    auto result = getOperation().walk([&](sma::ContractOp op) {
      return select(op, *params, forced) ? WalkResult::advance()
                                         : WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }

  bool select(sma::ContractOp op, const TargetParams &params,
              std::optional<sma::FormKind> forced) {
    if (failed(op.verifyMask()))
      return false;
    ContractShape shape = getContractShape(op, batchHint, seqLenHint);
    std::optional<sma::FormKind> kind = forced;
    int64_t q = chunk;
    if (!kind && op.getForm()) {
      kind = op.getForm()->getKind();
      if (!q)
        q = op.getForm()->getChunk();
    }
    if (kind && failed(op.verifyForm(*kind)))
      return false;
    FormCost best;
    if (!kind) {
      std::vector<FormCost> candidates = modelCandidates(shape, params);
      if (q) // A forced chunk size narrows the choice to that size.
        llvm::erase_if(candidates, [&](const FormCost &c) {
          return c.kind == sma::FormKind::chunked && c.chunk != q;
        });
      best = chooseForm(candidates);
    } else {
      best.kind = *kind;
      best.chunk = 0;
      if (*kind == sma::FormKind::chunked) {
        best.chunk = q;
        if (!q) { // Forced chunked form: the model picks the chunk size.
          std::vector<int64_t> chunks = candidateChunks(params);
          best = modelForm(shape, params, *kind, chunks.front());
          for (int64_t c : chunks)
            if (FormCost m = modelForm(shape, params, *kind, c);
                m.seconds < best.seconds)
              best = m;
        }
      }
    }
    op.setFormAttr(sma::FormAttr::get(op.getContext(), best.kind, best.chunk));
    return true;
  }
};

} // namespace
