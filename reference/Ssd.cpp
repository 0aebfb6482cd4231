//===- Ssd.cpp - float64 reference for the Mamba-2 SSD front --------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Ssd.h"

#include "reference/ContractGrad.h"
#include "reference/Mask.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace smc::ref {

namespace {

Status validateSsd(const SsdProblem &pb) {
  if (!pb.x || !pb.dt || !pb.A || !pb.B || !pb.C)
    return Status::error("ssd: x, dt, A, B and C are required");
  SMC_REF_RETURN_IF_ERROR(checkRank(*pb.x, 4, "x"));
  int64_t b = pb.x->dim(0), t = pb.x->dim(1), h = pb.x->dim(2),
          p = pb.x->dim(3);
  SMC_REF_RETURN_IF_ERROR(checkShape(*pb.dt, {b, t, h}, "dt"));
  SMC_REF_RETURN_IF_ERROR(checkShape(*pb.A, {h}, "A"));
  for (int64_t i = 0; i < h; ++i) {
    if (!(std::isfinite((*pb.A)[i]) && (*pb.A)[i] <= 0.0)) {
      std::ostringstream text;
      text << "A[" << i << "] = " << (*pb.A)[i] << " must be finite and <= 0";
      return Status::error(text.str());
    }
  }
  if (pb.D && pb.D->shape() != Shape{h} && pb.D->shape() != Shape{h, p})
    return Status::error("D: expected shape " + shapeToString({h}) + " or " +
                         shapeToString({h, p}) + ", got " +
                         shapeToString(pb.D->shape()));
  if (pb.z)
    SMC_REF_RETURN_IF_ERROR(checkShape(*pb.z, pb.x->shape(), "z"));
  if (pb.dtBias)
    SMC_REF_RETURN_IF_ERROR(checkShape(*pb.dtBias, {h}, "dt_bias"));
  if (!(pb.dtLimitLo <= pb.dtLimitHi))
    return Status::error("dt_limit: lower bound must not exceed the upper "
                         "bound");
  return Status::success();
}

/// The contraction inside the SSD: X = x d under the decay mask a = d A.
/// Holds what the contract problem points to.
struct InnerContract {
  Tensor scaledX;
  MaskSpec mask = MaskSpec::causal();
  ContractProblem problem;

  InnerContract(const SsdProblem &pb, const Tensor &d, bool wantFinalState) {
    int64_t h = pb.x->dim(2), p = pb.x->dim(3);
    scaledX = *pb.x;
    for (int64_t i = 0; i < scaledX.numel(); ++i)
      scaledX[i] *= d[i / p];
    Tensor a = d;
    for (int64_t i = 0; i < a.numel(); ++i)
      a[i] *= (*pb.A)[i % h];
    mask = MaskSpec::decay(std::move(a));
    problem.C = pb.C;
    problem.B = pb.B;
    problem.X = &scaledX;
    problem.mask = &mask;
    problem.initState = pb.initState;
    problem.cuSeqlens = pb.cuSeqlens;
    problem.wantFinalState = wantFinalState;
    problem.numThreads = pb.numThreads;
  }
  InnerContract(const InnerContract &) = delete;
};

} // namespace

Status computeSsdDt(const SsdProblem &pb, Tensor &d) {
  SMC_REF_RETURN_IF_ERROR(validateSsd(pb));
  int64_t h = pb.x->dim(2);
  // Mamba clamps only when dt_limit differs from its default (0, inf).
  bool clamp =
      !(pb.dtLimitLo == 0.0 && std::isinf(pb.dtLimitHi) && pb.dtLimitHi > 0.0);
  Tensor out = *pb.dt;
  for (int64_t i = 0; i < out.numel(); ++i) {
    double v = out[i];
    if (pb.dtBias)
      v += (*pb.dtBias)[i % h];
    if (pb.dtSoftplus)
      v = v > 20.0 ? v : std::log1p(std::exp(v));
    if (clamp)
      v = std::min(std::max(v, pb.dtLimitLo), pb.dtLimitHi);
    out[i] = v;
  }
  d = std::move(out);
  return Status::success();
}

Status computeSsd(const SsdProblem &pb, SsdResult &result,
                  const std::vector<int64_t> *rows) {
  Tensor d;
  SMC_REF_RETURN_IF_ERROR(computeSsdDt(pb, d));
  int64_t h = pb.x->dim(2), p = pb.x->dim(3);
  InnerContract inner(pb, d, pb.wantFinalState);
  SsdResult out;
  SMC_REF_RETURN_IF_ERROR(computeContract(inner.problem, out, rows));

  double *y = out.y.data();
  const double *x = pb.x->data();
  if (pb.D) {
    bool perChannel = pb.D->rank() == 2;
    for (int64_t i = 0; i < out.y.numel(); ++i) {
      int64_t head = (i / p) % h;
      y[i] += (*pb.D)[perChannel ? head * p + i % p : head] * x[i];
    }
  }
  if (pb.z) {
    const double *z = pb.z->data();
    for (int64_t i = 0; i < out.y.numel(); ++i)
      y[i] *= z[i] / (1.0 + std::exp(-z[i]));
  }
  result = std::move(out);
  return Status::success();
}

Status computeSsdGrad(const SsdProblem &pb, const Tensor &dY,
                      const Tensor *dFinal, SsdGrads &grads) {
  Tensor d;
  SMC_REF_RETURN_IF_ERROR(computeSsdDt(pb, d));
  SMC_REF_RETURN_IF_ERROR(checkShape(dY, pb.x->shape(), "dY"));
  const int64_t h = pb.x->dim(2), p = pb.x->dim(3);
  const double *x = pb.x->data();

  // The forward's intermediates: X = x d, a = d A, y0 = contract.
  InnerContract contract(pb, d, dFinal != nullptr);
  ContractResult forward;
  SMC_REF_RETURN_IF_ERROR(computeContract(contract.problem, forward));

  // Through the gate and the skip: y = (y0 + D x) silu(z).
  bool perChannel = pb.D && pb.D->rank() == 2;
  auto skip = [&](int64_t i) {
    return (*pb.D)[perChannel ? ((i / p) % h) * p + i % p : (i / p) % h];
  };
  Tensor dy0 = dY;
  if (pb.z) {
    grads.dz = Tensor(pb.z->shape());
    for (int64_t i = 0; i < dy0.numel(); ++i) {
      double z = (*pb.z)[i], sig = 1.0 / (1.0 + std::exp(-z));
      double y1 = forward.y[i] + (pb.D ? skip(i) * x[i] : 0.0);
      (*grads.dz)[i] = dY[i] * y1 * sig * (1.0 + z * (1.0 - sig));
      dy0[i] = dY[i] * z * sig;
    }
  }
  if (pb.D) {
    grads.dD = Tensor(pb.D->shape());
    for (int64_t i = 0; i < dy0.numel(); ++i)
      (*grads.dD)[perChannel ? ((i / p) % h) * p + i % p : (i / p) % h] +=
          dy0[i] * x[i];
  }

  ContractGrads inner;
  SMC_REF_RETURN_IF_ERROR(
      computeContractGrad(contract.problem, dy0, dFinal, inner));
  grads.dB = std::move(inner.dB);
  grads.dC = std::move(inner.dC);
  grads.dInitState = std::move(inner.dInitState);
  const Tensor &da = inner.dDecayLogs.front();

  // Through X = x d and a = d A.
  grads.dx = Tensor(pb.x->shape());
  Tensor dd(d.shape());
  grads.dA = Tensor(pb.A->shape());
  for (int64_t i = 0; i < grads.dx.numel(); ++i) {
    grads.dx[i] = inner.dX[i] * d[i / p] + (pb.D ? dy0[i] * skip(i) : 0.0);
    dd[i / p] += inner.dX[i] * x[i];
  }
  for (int64_t i = 0; i < dd.numel(); ++i) {
    dd[i] += da[i] * (*pb.A)[i % h];
    grads.dA[i % h] += da[i] * d[i];
  }

  // Through d = clamp(softplus(dt + dt_bias)).
  bool clamp =
      !(pb.dtLimitLo == 0.0 && std::isinf(pb.dtLimitHi) && pb.dtLimitHi > 0.0);
  grads.ddt = Tensor(pb.dt->shape());
  if (pb.dtBias)
    grads.dDtBias = Tensor(pb.dtBias->shape());
  for (int64_t i = 0; i < dd.numel(); ++i) {
    double v = (*pb.dt)[i] + (pb.dtBias ? (*pb.dtBias)[i % h] : 0.0);
    double g = dd[i];
    if (pb.dtSoftplus) {
      double soft = v > 20.0 ? v : std::log1p(std::exp(v));
      if (clamp && (soft < pb.dtLimitLo || soft > pb.dtLimitHi))
        g = 0.0;
      g *= v > 20.0 ? 1.0 : 1.0 / (1.0 + std::exp(-v));
    } else if (clamp && (v < pb.dtLimitLo || v > pb.dtLimitHi)) {
      g = 0.0;
    }
    grads.ddt[i] = g;
    if (pb.dtBias)
      (*grads.dDtBias)[i % h] += g;
  }
  return Status::success();
}

} // namespace smc::ref
