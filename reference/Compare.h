//===- Compare.h - error metrics against the reference ----------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Error metrics of a kernel output against a float64 reference. Reference
/// elements that are NaN (rows the reference skipped) are not compared; a
/// NaN or Inf in the tested output at a compared element never passes.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_COMPARE_H
#define SMC_REFERENCE_COMPARE_H

#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cstdint>

namespace smc::ref {

/// Error statistics over the compared elements.
struct ErrorStats {
  /// ||got - ref||_2 / ||ref||_2 (||got - ref||_2 when ||ref|| == 0); +inf
  /// when `got` is not finite somewhere compared, or when the reference has
  /// elements but all of them are NaN (nothing checked must not pass).
  double relError = 0.0;
  double maxAbsError = 0.0; ///< +inf when `got` is not finite somewhere.
  double diffNorm = 0.0;    ///< ||got - ref||_2 over finite elements.
  double refNorm = 0.0;     ///< ||ref||_2 over compared elements.
  int64_t compared = 0;     ///< Elements where ref is not NaN.
  int64_t nonFinite = 0;    ///< Compared elements where got is NaN or Inf.
};

/// Compares `got` against `ref`; fails only when the shapes differ.
Status compareTensors(const Tensor &got, const Tensor &ref, ErrorStats &stats);

/// Relative L2 error as in ErrorStats::relError; +inf on shape mismatch.
double relativeError(const Tensor &got, const Tensor &ref);

/// Max absolute error as in ErrorStats::maxAbsError; +inf on shape mismatch.
double maxAbsError(const Tensor &got, const Tensor &ref);

/// The relative L2 error a check allows for data of `type`: 1e-5 for f32,
/// 1e-3 for f16 and 5e-3 for bf16 (0 for other types). One bf16 rounding
/// (unit roundoff 2^-8) of random values is about 1.6e-3 RMS relative; the
/// tensor-core kernels round up to three intermediates (X, the masked
/// scores, the state) besides the output, as hand-written Mamba-2 kernels
/// do, which gives up to about 3.2e-3, and outputs of a few hundred
/// elements scatter around that (3.7e-3 seen at T = 1). f16 rounds at
/// 2^-11; f32 computations differ from float64 by accumulation order.
double defaultTolerance(DType type);

} // namespace smc::ref

#endif // SMC_REFERENCE_COMPARE_H
