//===- Binding.h - symbols and argument checks of one run -------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Before anything is launched, a run binds the symbols b, T and S from its
/// input shapes and checks every input and output against the entry's
/// declarations (count, dtype, shape, contiguity). These are pure functions:
/// they need no GPU, so they are unit-tested anywhere.
///
/// Binding: b and T are read from the first input dim (in declaration
/// order) declared as exactly `b`, resp. `T` (typically the leading `b T` of
/// x); S is the length of the `offsets` input minus one, or b when there is
/// none.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_BINDING_H
#define SMC_RUNTIME_BINDING_H

#include "runtime/Artifact.h"
#include "runtime/DeviceTensor.h"
#include "runtime/Expr.h"

#include "reference/Status.h"
#include "reference/Tensor.h"

#include <string>
#include <vector>

namespace smc::rt {

/// Row-major contiguous strides (in elements) of `shape`.
std::vector<int64_t> contiguousStrides(const ref::Shape &shape);

/// Binds b, T and S from the inputs' shapes. Checks the number of inputs
/// and the ranks of the inputs that bind.
Status bindSymbols(const EntryDecl &entry,
                   const std::vector<ref::Shape> &inputShapes,
                   SymbolValues &symbols);

/// The shape `decl` has under `symbols`.
Status declaredShape(const TensorDecl &decl, const SymbolValues &symbols,
                     ref::Shape &shape);

/// Checks a tensor's dtype, shape and strides (empty: contiguous) against
/// its declaration, e.g. "input 'x': expected bf16, got f32".
Status checkTensor(const EntryDecl &entry, const TensorDecl &decl,
                   const SymbolValues &symbols, ref::DType dtype,
                   const ref::Shape &shape,
                   const std::vector<int64_t> &strides);

/// Binds the symbols and checks every input shape, then computes the output
/// shapes.
Status inferOutputShapes(const EntryDecl &entry,
                         const std::vector<ref::Shape> &inputShapes,
                         std::vector<ref::Shape> &outputShapes);

/// The alignment every tensor's data pointer needs: generated kernels move
/// rows with 16-byte vector loads and stores.
constexpr size_t kTensorAlignment = 16;

/// Checks the inputs of a run as validateRun does and binds `symbols`.
Status validateInputs(const EntryDecl &entry,
                      const std::vector<DeviceTensor> &inputs,
                      SymbolValues &symbols);

/// Everything checked before a run: counts, dtypes, shapes, strides,
/// pointers (non-null when non-empty, aligned to kTensorAlignment bytes).
/// Binds `symbols`.
Status validateRun(const EntryDecl &entry,
                   const std::vector<DeviceTensor> &inputs,
                   const std::vector<DeviceTensor> &outputs,
                   SymbolValues &symbols);

} // namespace smc::rt

#endif // SMC_RUNTIME_BINDING_H
