//===- RefCheck.cpp - an entry's float64 reference ------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/RefCheck.h"

#include "reference/Contract.h"
#include "reference/Mask.h"
#include "reference/Ssd.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

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

} // namespace

Status
runner::computeExpected(const rt::EntryDecl &entry,
                        const std::vector<ref::Tensor> &inputs,
                        const std::vector<int64_t> *rows,
                        std::vector<std::optional<ref::Tensor>> &expected) {
  if (!entry.reference)
    return Status::error(fmt::format(
        "entry '{}' has no 'reference' directive, so it cannot be checked",
        entry.name));
  const rt::RefDirective &r = *entry.reference;
  auto in = [&](const char *role) {
    return findInput(entry, inputs, r.input(role));
  };
  std::vector<int64_t> cuSeqlens;
  const ref::Tensor *seqs = in("seqs");
  if (seqs)
    for (int64_t i = 0; i < seqs->numel(); ++i)
      cuSeqlens.push_back(int64_t(std::llround((*seqs)[i])));
  bool wantFinal = !r.output("final").empty();

  ref::ContractResult result;
  if (r.model == rt::RefModel::Ssd) {
    ref::SsdProblem p;
    p.x = in("x");
    p.dt = in("dt");
    p.A = in("A");
    p.B = in("B");
    p.C = in("C");
    p.D = in("D");
    p.z = in("z");
    p.dtBias = in("dt_bias");
    p.dtSoftplus = r.softplus;
    p.dtLimitLo = r.lo;
    p.dtLimitHi = r.hi;
    p.initState = in("init");
    p.cuSeqlens = seqs ? &cuSeqlens : nullptr;
    p.wantFinalState = wantFinal;
    SMC_REF_RETURN_IF_ERROR(
        ref::computeSsd(p, result, rows).withContext("reference ssd"));
  } else {
    ref::MaskSpec mask = ref::MaskSpec::causal();
    SMC_REF_RETURN_IF_ERROR(toMaskSpec(*r.mask, entry, inputs, mask)
                                .withContext("reference contract"));
    ref::ContractProblem p;
    p.C = in("C");
    p.B = in("B");
    p.X = in("X");
    p.mask = &mask;
    p.initState = in("init");
    p.cuSeqlens = seqs ? &cuSeqlens : nullptr;
    p.wantFinalState = wantFinal;
    SMC_REF_RETURN_IF_ERROR(ref::computeContract(p, result, rows)
                                .withContext("reference contract"));
  }
  expected.assign(entry.outputs.size(), std::nullopt);
  for (size_t i = 0; i < entry.outputs.size(); ++i) {
    if (entry.outputs[i].name == r.output("y"))
      expected[i] = result.y;
    else if (wantFinal && entry.outputs[i].name == r.output("final"))
      expected[i] = *result.finalState;
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

std::vector<int64_t> runner::sampleRows(int64_t length, int64_t count) {
  std::vector<int64_t> rows;
  for (int64_t i = 0; i < count; ++i)
    rows.push_back(count == 1 ? length - 1 : i * (length - 1) / (count - 1));
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}
