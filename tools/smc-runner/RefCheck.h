//===- RefCheck.h - an entry's float64 reference ----------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Evaluates the entry's `reference` directive (see runtime/RefDirective.h)
/// with the float64 reference library: builds an ssd or contract problem
/// from the named inputs and returns the expected value of each output the
/// directive names (y, final).
///
//===----------------------------------------------------------------------===//

#ifndef SMC_TOOLS_SMC_RUNNER_REFCHECK_H
#define SMC_TOOLS_SMC_RUNNER_REFCHECK_H

#include "runtime/Artifact.h"

#include "reference/Status.h"
#include "reference/Tensor.h"

#include <optional>
#include <vector>

namespace smc::runner {

using ref::Status;

/// The expected outputs of `entry` on `inputs`, one per output (nullopt for
/// outputs the reference does not produce). With `rows`, y is computed only
/// at those time positions (NaN elsewhere).
Status computeExpected(const rt::EntryDecl &entry,
                       const std::vector<ref::Tensor> &inputs,
                       const std::vector<int64_t> *rows,
                       std::vector<std::optional<ref::Tensor>> &expected);

/// The float64 gradients a backward entry (reference ... grad=FWD) should
/// output, by name (d_IN), from its inputs (the model's, the forward's
/// outputs and their gradients d_OUT).
Status computeExpectedGrad(const rt::EntryDecl &entry,
                           const std::vector<ref::Tensor> &inputs,
                           std::vector<std::optional<ref::Tensor>> &expected);

/// The reference's cost in multiply-adds (b * h * T^2 * (n + p)), to decide
/// whether to sample rows (front::referenceRows).
double referenceCost(const rt::EntryDecl &entry,
                     const std::vector<ref::Tensor> &inputs);

} // namespace smc::runner

#endif // SMC_TOOLS_SMC_RUNNER_REFCHECK_H
