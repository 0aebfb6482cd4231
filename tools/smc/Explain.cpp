//===- Explain.cpp - smc explain: why each op gets its form ---------------===//

#include "tools/smc/Commands.h"
#include "tools/smc/Model.h"

#include "dialect/sma/SmaOps.h"
#include "passes/CostModel.h"
#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"

#include <fmt/core.h>

using namespace mlir;
using namespace smc;
namespace cl = llvm::cl;

static cl::SubCommand
    command("explain",
            "For each contraction: its mask structure, the legal forms, "
            "the modelled cost of each candidate, and the choice");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(smc::optionCategory()),
                                      cl::sub(command));
static cl::opt<std::string>
    target("target", cl::desc("Target parameters: h200, h100, a100, cpu"),
           cl::init("h200"), cl::cat(smc::optionCategory()), cl::sub(command));
static cl::opt<bool>
    grad("grad",
         cl::desc("Explain the contractions of the derived backward "
                  "(sma-derive-backward) instead of the model's"),
         cl::init(false), cl::cat(smc::optionCategory()), cl::sub(command));
static cl::opt<int64_t> batch("batch",
                              cl::desc("Batch size where it is dynamic"),
                              cl::init(1), cl::cat(smc::optionCategory()),
                              cl::sub(command));
static cl::opt<int64_t> seqLen("seqlen",
                               cl::desc("Sequence length where it is dynamic"),
                               cl::init(2048), cl::cat(smc::optionCategory()),
                               cl::sub(command));

cl::SubCommand &smc::explainCommand() { return command; }

namespace {

std::string candidateName(const smc::FormCost &c) {
  if (c.kind == sma::FormKind::chunked)
    return fmt::format("chunked({})", c.chunk);
  return sma::stringifyFormKind(c.kind).str();
}

std::string locString(Location loc) {
  if (auto f = dyn_cast<FileLineColLoc>(loc))
    return fmt::format("{}:{}:{}", f.getFilename().str(), f.getLine(),
                       f.getColumn());
  return "unknown location";
}

std::string dimString(int64_t value, bool dynamic) {
  return dynamic ? fmt::format("{} (assumed)", value) : std::to_string(value);
}

void explainContract(sma::ContractOp op, const smc::TargetParams &params) {
  smc::ContractShape s = smc::getContractShape(op, batch, seqLen);
  auto x = op.getX().getType();
  sma::MaskOpInterface mask = op.getMaskOp();
  fmt::print("sma.contract at {}\n", locString(op.getLoc()));
  fmt::print("  shape:     sequences {}, length {}, heads {}, groups {}, p {}, "
             "n {}, {}-byte data{}{}\n",
             dimString(s.sequences, x.isDynamicDim(0) || op.getCuSeqlens()),
             dimString(s.seqLen, x.isDynamicDim(1) || op.getCuSeqlens()),
             s.heads, s.groups, s.headDim, s.stateDim, s.dataBytes,
             s.initState ? ", initial state" : "",
             s.finalState ? ", final state" : "");
  fmt::print("  mask:      {}: {}\n", mask->getName().getStringRef().str(),
             sma::describeMaskStructure(mask));
  std::string legal = "quadratic";
  if (s.semiseparable)
    legal = "linear, quadratic, chunked";
  fmt::print("  legal:     {}\n", legal);
  if (!s.semiseparable)
    fmt::print("             (linear and chunked need a state recurrence: "
               "{})\n",
               sma::explainNotSemiseparable(mask));
  fmt::print("  target:    {} ({:.4g} GFLOP/s matmul, {:.4g} GB/s, {} "
             "parallel units)\n",
             params.name, params.matmulFlops16 / 1e9, params.bandwidth / 1e9,
             params.multiprocessors);

  std::vector<smc::FormCost> candidates = smc::modelCandidates(s, params);
  smc::FormCost best = smc::chooseForm(candidates);
  fmt::print("  {:<14} {:>12} {:>12} {:>12} {:>9}  {}\n", "candidate",
             "time (ms)", "GFLOP", "MB", "launches", "bound by");
  for (const smc::FormCost &c : candidates)
    fmt::print("  {:<14} {:>12.4f} {:>12.3f} {:>12.3f} {:>9}  {}{}\n",
               candidateName(c), c.seconds * 1e3, c.flops / 1e9, c.bytes / 1e6,
               c.launches, c.bound,
               c.kind == best.kind && c.chunk == best.chunk ? "   <- chosen"
                                                            : "");
  if (auto forced = op.getForm()) {
    fmt::print("  choice:    {} (set on the op by the user; the model would "
               "choose {})\n",
               sma::stringifyFormKind(forced->getKind()).str(),
               candidateName(best));
    return;
  }
  const smc::FormCost *runnerUp = nullptr;
  for (const smc::FormCost &c : candidates)
    if (c.kind != best.kind && (!runnerUp || c.seconds < runnerUp->seconds))
      runnerUp = &c;
  std::string why = "the only legal form";
  if (runnerUp)
    why = fmt::format("lowest modelled time, {:.2f}x faster than the best {} "
                      "candidate ({})",
                      runnerUp->seconds / best.seconds,
                      sma::stringifyFormKind(runnerUp->kind).str(),
                      candidateName(*runnerUp));
  fmt::print("  choice:    {}: {}\n", candidateName(best), why);
}

} // namespace

int smc::runExplain() {
  const TargetParams *params = lookupTarget(target);
  if (!params) {
    fmt::print(stderr,
               "smc: error: unknown target '{}' (expected h200, h100, "
               "a100 or cpu)\n",
               target.getValue());
    return kExitBadInput;
  }
  if (batch < 1 || seqLen < 1) {
    fmt::print(stderr, "smc: error: --batch and --seqlen must be positive\n");
    return kExitBadInput;
  }
  auto ctx = makeContext();
  ModelSource source;
  auto module = loadModel(*ctx, inputFile, source);
  if (!module)
    return kExitBadInput;
  // sma.ssd is explained through the contraction it decomposes into.
  PassManager pm(ctx.get());
  if (grad)
    pm.addPass(createDeriveBackward());
  pm.addNestedPass<func::FuncOp>(createDecomposeSsd());
  if (failed(pm.run(*module)))
    return kExitBadInput;
  bool any = false;
  module->walk([&](sma::ContractOp op) {
    auto f = op->getParentOfType<func::FuncOp>();
    if (grad && !f.getName().ends_with("_bwd"))
      return;
    if (grad && !any)
      fmt::print("the backward's contractions (@{}):\n\n", f.getName().str());
    if (any)
      fmt::print("\n");
    explainContract(op, *params);
    any = true;
  });
  if (!any)
    fmt::print("no sma.contract or sma.ssd op in {}\n", inputFile.getValue());
  return kExitOk;
}
