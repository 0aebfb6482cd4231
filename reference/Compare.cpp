//===- Compare.cpp - error metrics against the reference ------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Compare.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace smc::ref {

Status compareTensors(const Tensor &got, const Tensor &ref, ErrorStats &stats) {
  if (got.shape() != ref.shape())
    return Status::error("compare: shape " + shapeToString(got.shape()) +
                         " does not match the reference " +
                         shapeToString(ref.shape()));
  const double inf = std::numeric_limits<double>::infinity();
  ErrorStats out;
  double diffSq = 0.0, refSq = 0.0;
  for (int64_t i = 0; i < ref.numel(); ++i) {
    double r = ref[i];
    if (std::isnan(r))
      continue;
    ++out.compared;
    refSq += r * r;
    double g = got[i];
    if (!std::isfinite(g)) {
      ++out.nonFinite;
      continue;
    }
    double diff = g - r;
    diffSq += diff * diff;
    out.maxAbsError = std::max(out.maxAbsError, std::fabs(diff));
  }
  out.diffNorm = std::sqrt(diffSq);
  out.refNorm = std::sqrt(refSq);
  if (out.nonFinite || (out.compared == 0 && ref.numel() > 0)) {
    out.relError = inf;
    if (out.nonFinite)
      out.maxAbsError = inf;
  } else {
    out.relError =
        out.refNorm > 0.0 ? out.diffNorm / out.refNorm : out.diffNorm;
  }
  stats = out;
  return Status::success();
}

double relativeError(const Tensor &got, const Tensor &ref) {
  ErrorStats stats;
  if (!compareTensors(got, ref, stats).ok())
    return std::numeric_limits<double>::infinity();
  return stats.relError;
}

double maxAbsError(const Tensor &got, const Tensor &ref) {
  ErrorStats stats;
  if (!compareTensors(got, ref, stats).ok())
    return std::numeric_limits<double>::infinity();
  return stats.maxAbsError;
}

double defaultTolerance(DType type) {
  switch (type) {
  case DType::F32:
    return 1e-5;
  case DType::F16:
    return 1e-3;
  case DType::BF16:
    return 5e-3;
  default:
    return 0;
  }
}

} // namespace smc::ref
