//===- ContractGrad.h - float64 gradients of sma contracts ------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The float64 reference of the backward of structured masked attention,
/// differentiated by hand from the quadratic definition of Contract.h (not
/// from any form the compiler uses), so that it independently checks
/// compiled gradients. For a loss l with dY = dl/dY and dF = dl/d(final
/// state), per sequence and head, with W(t,s) = L(t,s) (C_t . B_s):
///   dX_s = sum_t W(t,s) dY_t             + e^{D(s)} dF B_s
///   dC_t = sum_s L(t,s) (dY_t . x_s) B_s + e^{P(t)} H0^T dY_t
///   dB_s = sum_t L(t,s) (dY_t . x_s) C_t + e^{D(s)} dF^T x_s
///   dH0  = sum_t e^{P(t)} dY_t C_t^T     + e^{P(end-1)} dF
/// where P(t) = sum_{k=start..t} ld[k] and D(s) = sum_{k=s+1..end-1} ld[k];
/// heads of one group add into its dC, dB. A decay leaf's log-decays a get
///   da_k = sum_{t >= k > s} W(t,s) (dY_t . x_s)
///        + sum_{t >= k} e^{P(t)} dY_t . (H0 C_t)
///        + sum_{s < k} e^{D(s)} <dF, x_s B_s^T> + e^{P(end-1)} <dF, H0>,
/// since every L(t,s), P(t), D(s) that sums ld[k] is multiplied by e^{a_k}.
/// Transposed masks work alike, each leaf read at (s, t). A transposed decay
/// leaf's L(t,s) = e^{sum_{k=t+1..s} ld[k]} holds ld[k] for t < k <= s, and
/// the states of a reversed mask swap exponents (Contract.h): e^{R(t)} with
/// R(t) = sum_{k=t+1..end-1} ld[k] where H0 meets row t, e^{P(s)} where x_s
/// enters the final state, so those terms of da_k run over k > t and k <= s
/// instead. Plain and transposed decay leaves sum their own ld (a mask with
/// both, only the diagonal, has no states).
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_CONTRACTGRAD_H
#define SMC_REFERENCE_CONTRACTGRAD_H

#include "reference/Contract.h"

#include <optional>
#include <vector>

namespace smc::ref {

/// The gradients of one contraction.
struct ContractGrads {
  Tensor dC, dB, dX;                ///< Shapes of C, B and X.
  std::optional<Tensor> dInitState; ///< [S,h,p,n] when there is one.
  /// One [b,T,h] tensor per data-dependent decay leaf of the mask (also
  /// those under a transpose), in the order of MaskSpec::collectLeaves.
  std::vector<Tensor> dDecayLogs;
};

/// Computes the gradients of `problem` for the output gradient `dY`
/// ([b,T,h,p]) and, optionally, the final state's `dFinal` ([S,h,p,n]; it
/// needs a semiseparable mask). A fixed decay's gammas and a custom
/// region's values are constants: they get no gradient. O(T^2 (p + n)) per
/// sequence and head; meant for tests.
Status computeContractGrad(const ContractProblem &problem, const Tensor &dY,
                           const Tensor *dFinal, ContractGrads &grads);

} // namespace smc::ref

#endif // SMC_REFERENCE_CONTRACTGRAD_H
