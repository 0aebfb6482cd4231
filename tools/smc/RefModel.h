//===- RefModel.h - a model evaluated in float64 ----------------*- C++ -*-===//
//
// Interprets the entry function's sma ops with the float64 reference
// library, which computes every contraction from its quadratic definition.
// Custom mask regions are interpreted in float64 too. Nothing here shares
// code with the compiled path it checks.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_TOOLS_SMC_REFMODEL_H
#define SMC_TOOLS_SMC_REFMODEL_H

#include "reference/Status.h"
#include "reference/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <vector>

namespace smc {

/// Evaluates `entry` on `inputs`. With `rows`, the outputs of contractions
/// that flow straight to the results are computed only at those positions
/// (others are NaN and skipped by the comparison); final states are always
/// complete.
ref::Status evaluateReference(mlir::func::FuncOp entry,
                              const std::vector<ref::Tensor> &inputs,
                              std::vector<ref::Tensor> &outputs,
                              const std::vector<int64_t> *rows = nullptr);

/// The gradients of `entry`'s float inputs (in order) for `dOutputs`, one
/// per result, from the reference's backward of the quadratic definition
/// (ContractGrad.h), never from the compiler's derivation. Covers models of
/// mask ops and one sma.contract whose results it returns.
ref::Status evaluateReferenceGrad(mlir::func::FuncOp entry,
                                  const std::vector<ref::Tensor> &inputs,
                                  const std::vector<ref::Tensor> &dOutputs,
                                  std::vector<ref::Tensor> &grads);

/// The float64 cost of evaluating `entry` in full (multiply-adds), to decide
/// whether to sample rows.
double referenceCost(mlir::func::FuncOp entry,
                     const std::vector<ref::Tensor> &inputs);

} // namespace smc

#endif // SMC_TOOLS_SMC_REFMODEL_H
