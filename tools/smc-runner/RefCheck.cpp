//===- RefCheck.cpp - an entry's float64 reference ------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/RefCheck.h"

#include "reference/Contract.h"
#include "reference/ContractGrad.h"
#include "reference/Mask.h"
#include "reference/Ssd.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

using namespace smc;
using namespace smc::runner;

namespace {

/// The input named `name`, or null.
const ref::Tensor *findInput(const rt::EntryDecl &entry,
                             const std::vector<ref::Tensor> &inputs,
                             const std::string &name) {
  if (name.empty())
    return nullptr;
  for (size_t i = 0; i < entry.inputs.size(); ++i)
    if (entry.inputs[i].name == name)
      return &inputs[i];
  return nullptr;
}

Status toMaskSpec(const rt::MaskExpr &expr, const rt::EntryDecl &entry,
                  const std::vector<ref::Tensor> &inputs, ref::MaskSpec &out) {
  switch (expr.kind) {
  case rt::MaskExpr::Kind::Causal:
    out = ref::MaskSpec::causal();
    return Status::success();
  case rt::MaskExpr::Kind::Fixed:
    out = ref::MaskSpec::fixedDecay(expr.gammas);
    return Status::success();
  case rt::MaskExpr::Kind::Decay: {
    const ref::Tensor *a = findInput(entry, inputs, expr.input);
    if (!a)
      return Status::error("decay: no input named '" + expr.input + "'");
    out = ref::MaskSpec::decay(*a);
    return Status::success();
  }
  case rt::MaskExpr::Kind::Window:
    out = ref::MaskSpec::window(expr.width);
    return Status::success();
  case rt::MaskExpr::Kind::Mul: {
    ref::MaskSpec lhs = ref::MaskSpec::causal(), rhs = ref::MaskSpec::causal();
    SMC_REF_RETURN_IF_ERROR(toMaskSpec(expr.operands[0], entry, inputs, lhs));
    SMC_REF_RETURN_IF_ERROR(toMaskSpec(expr.operands[1], entry, inputs, rhs));
    out = ref::MaskSpec::mul(lhs, rhs);
    return Status::success();
  }
  case rt::MaskExpr::Kind::Transpose: {
    ref::MaskSpec inner = ref::MaskSpec::causal();
    SMC_REF_RETURN_IF_ERROR(toMaskSpec(expr.operands[0], entry, inputs, inner));
    out = ref::MaskSpec::transpose(inner);
    return Status::success();
  }
  }
  return Status::error("unknown mask");
}

/// The reference problem of an entry's directive, with what it points to.
struct Problem {
  ref::SsdProblem ssd;
  ref::ContractProblem contract;
  ref::MaskSpec mask = ref::MaskSpec::causal();
  std::vector<int64_t> cuSeqlens;
};

Status makeProblem(const rt::EntryDecl &entry,
                   const std::vector<ref::Tensor> &inputs, Problem &p) {
  if (!entry.reference)
    return Status::error(fmt::format(
        "entry '{}' has no 'reference' directive, so it cannot be checked",
        entry.name));
  const rt::RefDirective &r = *entry.reference;
  auto in = [&](const char *role) {
    return findInput(entry, inputs, r.input(role));
  };
  const ref::Tensor *seqs = in("seqs");
  if (seqs)
    for (int64_t i = 0; i < seqs->numel(); ++i)
      p.cuSeqlens.push_back(int64_t(std::llround((*seqs)[i])));
  const std::vector<int64_t> *cu = seqs ? &p.cuSeqlens : nullptr;
  bool wantFinal = !r.output("final").empty();
  if (r.model == rt::RefModel::Ssd) {
    ref::SsdProblem &s = p.ssd;
    s.x = in("x");
    s.dt = in("dt");
    s.A = in("A");
    s.B = in("B");
    s.C = in("C");
    s.D = in("D");
    s.z = in("z");
    s.dtBias = in("dt_bias");
    s.dtSoftplus = r.softplus;
    s.dtLimitLo = r.lo;
    s.dtLimitHi = r.hi;
    s.initState = in("init");
    s.cuSeqlens = cu;
    s.wantFinalState = wantFinal;
    return Status::success();
  }
  SMC_REF_RETURN_IF_ERROR(toMaskSpec(*r.mask, entry, inputs, p.mask)
                              .withContext("reference contract"));
  ref::ContractProblem &c = p.contract;
  c.C = in("C");
  c.B = in("B");
  c.X = in("X");
  c.mask = &p.mask;
  c.initState = in("init");
  c.cuSeqlens = cu;
  c.wantFinalState = wantFinal;
  return Status::success();
}

} // namespace

Status
runner::computeExpected(const rt::EntryDecl &entry,
                        const std::vector<ref::Tensor> &inputs,
                        const std::vector<int64_t> *rows,
                        std::vector<std::optional<ref::Tensor>> &expected) {
  Problem p;
  SMC_REF_RETURN_IF_ERROR(makeProblem(entry, inputs, p));
  const rt::RefDirective &r = *entry.reference;
  ref::ContractResult result;
  if (r.model == rt::RefModel::Ssd)
    SMC_REF_RETURN_IF_ERROR(
        ref::computeSsd(p.ssd, result, rows).withContext("reference ssd"));
  else
    SMC_REF_RETURN_IF_ERROR(ref::computeContract(p.contract, result, rows)
                                .withContext("reference contract"));
  expected.assign(entry.outputs.size(), std::nullopt);
  for (size_t i = 0; i < entry.outputs.size(); ++i) {
    if (entry.outputs[i].name == r.output("y"))
      expected[i] = result.y;
    else if (result.finalState && entry.outputs[i].name == r.output("final"))
      expected[i] = *result.finalState;
  }
  return Status::success();
}

Status
runner::computeExpectedGrad(const rt::EntryDecl &entry,
                            const std::vector<ref::Tensor> &inputs,
                            std::vector<std::optional<ref::Tensor>> &expected) {
  Problem p;
  SMC_REF_RETURN_IF_ERROR(makeProblem(entry, inputs, p));
  const rt::RefDirective &r = *entry.reference;
  const ref::Tensor *dY = findInput(entry, inputs, "d_" + r.output("y"));
  const ref::Tensor *dF =
      r.output("final").empty()
          ? nullptr
          : findInput(entry, inputs, "d_" + r.output("final"));
  // The gradient of each input by name: an input in two roles gets both.
  std::map<std::string, ref::Tensor> grads;
  auto add = [&](const std::string &name, const ref::Tensor &t) {
    if (name.empty())
      return;
    auto [it, fresh] = grads.try_emplace(name, t);
    if (!fresh)
      for (int64_t i = 0; i < t.numel(); ++i)
        it->second[i] += t[i];
  };
  if (r.model == rt::RefModel::Ssd) {
    ref::SsdGrads g;
    SMC_REF_RETURN_IF_ERROR(ref::computeSsdGrad(p.ssd, *dY, dF, g)
                                .withContext("reference ssd gradients"));
    add(r.input("x"), g.dx);
    add(r.input("dt"), g.ddt);
    add(r.input("A"), g.dA);
    add(r.input("B"), g.dB);
    add(r.input("C"), g.dC);
    for (auto [role, t] : {std::pair{"D", &g.dD},
                           {"z", &g.dz},
                           {"dt_bias", &g.dDtBias},
                           {"init", &g.dInitState}})
      if (*t)
        add(r.input(role), **t);
  } else {
    ref::ContractGrads g;
    SMC_REF_RETURN_IF_ERROR(ref::computeContractGrad(p.contract, *dY, dF, g)
                                .withContext("reference contract gradients"));
    add(r.input("C"), g.dC);
    add(r.input("B"), g.dB);
    add(r.input("X"), g.dX);
    if (g.dInitState)
      add(r.input("init"), *g.dInitState);
    std::vector<std::string> decays;
    r.mask->collectInputs(decays);
    if (decays.size() != g.dDecayLogs.size())
      return Status::error(fmt::format(
          "reference contract gradients: the mask has {} decay inputs but "
          "the reference gave {} log-decay gradients",
          decays.size(), g.dDecayLogs.size()));
    for (size_t i = 0; i < decays.size(); ++i)
      add(decays[i], g.dDecayLogs[i]);
  }
  expected.assign(entry.outputs.size(), std::nullopt);
  for (size_t i = 0; i < entry.outputs.size(); ++i) {
    const std::string &name = entry.outputs[i].name;
    if (name.rfind("d_", 0) != 0)
      continue;
    auto it = grads.find(name.substr(2));
    if (it != grads.end())
      expected[i] = it->second;
  }
  return Status::success();
}

double runner::referenceCost(const rt::EntryDecl &entry,
                             const std::vector<ref::Tensor> &inputs) {
  if (!entry.reference)
    return 0;
  const rt::RefDirective &r = *entry.reference;
  bool ssd = r.model == rt::RefModel::Ssd;
  const ref::Tensor *x = findInput(entry, inputs, r.input(ssd ? "x" : "X"));
  const ref::Tensor *b = findInput(entry, inputs, r.input("B"));
  if (!x || !b || x->rank() != 4 || b->rank() != 4)
    return 0;
  double len = double(x->dim(1));
  return double(x->dim(0)) * double(x->dim(2)) * len * len *
         double(x->dim(3) + b->dim(3));
}
