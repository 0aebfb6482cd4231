//===- Inputs.h - what each model input is and how to make it ---*- C++ -*-===//
//
// A model's inputs are its entry function's arguments. What an argument is
// (x, dt, A, a decay, a state, ...) is read from the sma operand it feeds,
// which fixes both its distribution (dt > 0, a <= 0, ...) and the meaning of
// its dynamic dims (batch, length, sequences).
//
//===----------------------------------------------------------------------===//

#ifndef SMC_TOOLS_SMC_INPUTS_H
#define SMC_TOOLS_SMC_INPUTS_H

#include "reference/InputKind.h"
#include "reference/Status.h"
#include "reference/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>
#include <string>
#include <vector>

namespace smc {

/// The sizes a user picks for dynamic dims.
struct ShapeChoice {
  std::optional<int64_t> batch;  ///< Unset: static size or the default.
  std::optional<int64_t> seqLen; ///< Unset: static size or the default.
  std::optional<std::vector<int64_t>> seqlens; ///< Packed sequences' lengths.
};

/// One input (or output) of the model with its resolved shape.
struct TensorSpec {
  std::string name; ///< "x", "dt", ..., or "arg3" when the role is unknown.
  std::string role; ///< What it feeds, e.g. "sma.ssd dt".
  ref::DType dtype;
  ref::Shape shape;
  ref::InputKind kind = ref::InputKind::Normal; ///< How values are drawn.
};

/// Resolves the entry's argument shapes and roles. Errors name the argument.
ref::Status describeInputs(mlir::func::FuncOp entry, ShapeChoice &choice,
                           std::vector<TensorSpec> &inputs);

/// Checks, before anything is allocated, that the inputs fit in host memory:
/// each element is held as a float64 value and as its packed copy. The
/// error names the largest input, the bytes needed and the limit (the
/// machine's physical memory).
ref::Status checkHostMemory(const std::vector<TensorSpec> &inputs);

/// One input of the model with its dims as symbols of the sizes a run
/// binds: "b" (batch), "T" (length), "S" (sequences), "S+1", or integers.
struct SymbolicInput {
  std::string name;
  ref::DType dtype;
  ref::InputKind kind;
  std::vector<std::string> dims;
};

/// The entry's inputs with symbolic dims (for artifacts). Errors name the
/// argument.
ref::Status describeSymbolicInputs(mlir::func::FuncOp entry,
                                   std::vector<SymbolicInput> &inputs);

/// Fresh random values of the right distribution for `spec` (cu_seqlens are
/// made from `choice.seqlens`).
ref::Tensor makeInput(const TensorSpec &spec, const ShapeChoice &choice,
                      ref::Rng &rng);

/// The element type of an MLIR tensor as a reference dtype.
ref::Status toDType(mlir::Type elementType, ref::DType &dtype);

} // namespace smc

#endif // SMC_TOOLS_SMC_INPUTS_H
