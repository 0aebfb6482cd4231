//===- Ssd.cpp - float64 reference for the Mamba-2 SSD front --------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Ssd.h"

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

  Tensor scaledX = *pb.x;
  for (int64_t i = 0; i < scaledX.numel(); ++i)
    scaledX[i] *= d[i / p];
  Tensor a = d;
  for (int64_t i = 0; i < a.numel(); ++i)
    a[i] *= (*pb.A)[i % h];

  MaskSpec mask = MaskSpec::decay(std::move(a));
  ContractProblem contract;
  contract.C = pb.C;
  contract.B = pb.B;
  contract.X = &scaledX;
  contract.mask = &mask;
  contract.initState = pb.initState;
  contract.cuSeqlens = pb.cuSeqlens;
  contract.wantFinalState = pb.wantFinalState;
  contract.numThreads = pb.numThreads;
  SsdResult out;
  SMC_REF_RETURN_IF_ERROR(computeContract(contract, out, rows));

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

} // namespace smc::ref
