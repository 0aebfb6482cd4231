//===- Summary.cpp - smc summary: what a model computes -------------------===//

#include "tools/smc/Commands.h"
#include "tools/smc/Model.h"

#include "dialect/sma/SmaOps.h"
#include "llvm/Support/CommandLine.h"

#include <fmt/core.h>

using namespace mlir;
using namespace smc;
namespace cl = llvm::cl;

static cl::SubCommand
    command("summary",
            "Parse and verify a model, then print each op, its shapes, "
            "its mask structure and what it computes");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(smc::optionCategory()),
                                      cl::sub(command));

cl::SubCommand &smc::summaryCommand() { return command; }

namespace {

/// What an op computes, in one line.
std::string describeOp(Operation *op) {
  if (auto m = dyn_cast<sma::CausalMaskOp>(op))
    return "L[t,s] = 1 for s <= t";
  if (auto m = dyn_cast<sma::FixedDecayMaskOp>(op))
    return fmt::format("L[t,s] = gamma_h^(t-s) for s <= t, {} heads",
                       m.getGamma().size());
  if (isa<sma::DecayMaskOp>(op))
    return "L[t,s] = exp(sum_{k=s+1..t} a[k]) for s <= t";
  if (auto m = dyn_cast<sma::WindowMaskOp>(op))
    return fmt::format("L[t,s] = 1 for 0 <= t-s < {}", m.getWidth());
  if (isa<sma::MulMaskOp>(op))
    return "L = L1 o L2";
  if (isa<sma::TransposeMaskOp>(op))
    return "L'[t,s] = L[s,t]";
  if (auto m = dyn_cast<sma::CustomMaskOp>(op))
    return fmt::format("L[t,s] = region(t, s, head{}){}",
                       m.getInputs().empty() ? "" : ", operand values",
                       m.getCausal() ? " for s <= t" : "");
  if (auto c = dyn_cast<sma::ContractOp>(op)) {
    auto x = c.getX().getType(), b = c.getB().getType();
    std::string s = fmt::format(
        "Y = (L o C B^T) X: heads {}, groups {}, head dim p {}, state dim n {}",
        x.getDimSize(2), b.getDimSize(2), x.getDimSize(3), b.getDimSize(3));
    if (c.getInitState())
      s += ", initial state";
    if (c.getFinalState())
      s += ", final state";
    if (c.getCuSeqlens())
      s += ", packed sequences";
    return s;
  }
  if (auto s = dyn_cast<sma::SsdOp>(op)) {
    std::string dt = "dt";
    if (s.getDtBias())
      dt = "dt + dt_bias";
    if (s.getDtSoftplus())
      dt = "softplus(" + dt + ")";
    if (s.getDtLimit())
      dt = fmt::format("clamp({}, {}, {})", dt, (*s.getDtLimit())[0],
                       (*s.getDtLimit())[1]);
    std::string str = fmt::format(
        "Mamba-2 SSD: dt' = {}; y = (decay(dt' A) o C B^T)(x dt')", dt);
    if (s.getD())
      str += " + D x";
    if (s.getZ())
      str += ", gated by silu(z)";
    return str;
  }
  return "";
}

std::string formString(std::optional<sma::FormAttr> form) {
  if (!form)
    return "chosen at compile time";
  if (form->getKind() == sma::FormKind::chunked && form->getChunk())
    return fmt::format("chunked, chunk {}", form->getChunk());
  return sma::stringifyFormKind(form->getKind()).str();
}

void printOp(Operation *op) {
  fmt::print("  {}\n", op->getName().getStringRef().str());
  fmt::print("      computes:  {}\n", describeOp(op));
  if (auto mask = dyn_cast<sma::MaskOpInterface>(op))
    fmt::print("      structure: {}\n", sma::describeMaskStructure(mask));
  for (auto [i, v] : llvm::enumerate(op->getOperands()))
    if (isa<ShapedType>(v.getType()))
      fmt::print("      operand {}: {}\n", i, smc::describeType(v.getType()));
  for (auto [i, v] : llvm::enumerate(op->getResults()))
    if (isa<ShapedType>(v.getType()))
      fmt::print("      result {}:  {}\n", i, smc::describeType(v.getType()));
  if (auto c = dyn_cast<sma::ContractOp>(op)) {
    fmt::print("      mask:      {} ({})\n",
               c.getMaskOp()->getName().getStringRef().str(),
               sma::describeMaskStructure(c.getMaskOp()));
    fmt::print("      form:      {}\n", formString(c.getForm()));
  }
  if (auto s = dyn_cast<sma::SsdOp>(op))
    fmt::print("      form:      {}\n", formString(s.getForm()));
}

} // namespace

int smc::runSummary() {
  auto ctx = makeContext();
  ModelSource source;
  auto module = loadModel(*ctx, inputFile, source);
  if (!module)
    return kExitBadInput;
  for (auto func : module->getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    fmt::print("function @{}: {} inputs, {} outputs\n", func.getName().str(),
               func.getNumArguments(), func.getNumResults());
    for (auto [i, t] : llvm::enumerate(func.getArgumentTypes()))
      fmt::print("  input {}:  {}\n", i, describeType(t));
    for (auto [i, t] : llvm::enumerate(func.getResultTypes()))
      fmt::print("  output {}: {}\n", i, describeType(t));
    func.walk([&](Operation *op) {
      if (isa<sma::SmaDialect>(op->getDialect()) && !isa<sma::YieldOp>(op))
        printOp(op);
    });
  }
  return kExitOk;
}
