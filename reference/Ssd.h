//===- Ssd.h - float64 reference for the Mamba-2 SSD front ------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The Mamba-2 chunked selective scan (mamba_chunk_scan_combined) expressed
/// on top of computeContract:
///   d = dt (+ dt_bias);  if dtSoftplus: d = d > 20 ? d : log1p(exp(d));
///   d = clamp(d, lo, hi)  (only when the limit is not the default (0, inf),
///                          exactly like Mamba);
///   y = contract(C, B, x * d, Decay(d * A), init, cu_seqlens);
///   if D: y += D * x;  if z: y *= z * sigmoid(z).
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_SSD_H
#define SMC_REFERENCE_SSD_H

#include "reference/Contract.h"
#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace smc::ref {

/// Inputs of the Mamba-2 SSD forward (not owned).
struct SsdProblem {
  const Tensor *x = nullptr;      ///< [b,T,h,p], required.
  const Tensor *dt = nullptr;     ///< [b,T,h], required.
  const Tensor *A = nullptr;      ///< [h], required, <= 0.
  const Tensor *B = nullptr;      ///< [b,T,g,n], required.
  const Tensor *C = nullptr;      ///< [b,T,g,n], required.
  const Tensor *D = nullptr;      ///< [h] or [h,p], optional skip connection.
  const Tensor *z = nullptr;      ///< [b,T,h,p], optional gate.
  const Tensor *dtBias = nullptr; ///< [h], optional.
  bool dtSoftplus = false;
  double dtLimitLo = 0.0;
  double dtLimitHi = std::numeric_limits<double>::infinity();
  const Tensor *initState = nullptr;               ///< [S,h,p,n], optional.
  const std::vector<int64_t> *cuSeqlens = nullptr; ///< Optional, needs b == 1.
  bool wantFinalState = false;
  unsigned numThreads = 0; ///< 0 = resolveThreadCount(0).
};

/// y [b,T,h,p] and the optional final state [S,h,p,n].
using SsdResult = ContractResult;

/// Computes the processed step size d [b,T,h] (bias, softplus, clamp).
Status computeSsdDt(const SsdProblem &problem, Tensor &d);

/// Computes the SSD forward in float64. `rows` works as in computeContract.
Status computeSsd(const SsdProblem &problem, SsdResult &result,
                  const std::vector<int64_t> *rows = nullptr);

/// The gradients of every SSD input that has one (shapes of the inputs;
/// the optional ones only when given).
struct SsdGrads {
  Tensor dx, ddt, dA, dB, dC;
  std::optional<Tensor> dD, dz, dDtBias, dInitState;
};

/// Computes the SSD gradients in float64 for the output gradient `dY` and,
/// optionally, the final state's `dFinal`: the contract's gradients
/// (computeContractGrad) through the front's chain rules:
///   y = (y0 + D x) silu(z):  dz = dY (y0 + D x) silu'(z), dD = sum dY' x;
///   X = x d, a = d A:        dx = dX d + dY' D, dd = sum_p dX x + da A,
///                            dA = sum da d;
///   d = clamp(softplus(dt + dt_bias)): zero where clamped, times sigmoid
///   (1 above the softplus threshold of 20); dt_bias sums over b and T.
/// dY' = dY silu(z) (dY without z).
Status computeSsdGrad(const SsdProblem &problem, const Tensor &dY,
                      const Tensor *dFinal, SsdGrads &grads);

} // namespace smc::ref

#endif // SMC_REFERENCE_SSD_H
