//===- FusedElementwise.h - elementwise ops evaluated in place --*- C++ -*-===//
//
// The expansions do not materialize the elementwise prologue and epilogue
// of a contraction (Mamba-2's softplus(dt + bias), dt' A, x dt' and
// (y + D x) silu(z)): where a kernel reads such a value, it evaluates the
// linalg.generic's body on loads of the generic's inputs, which may in turn
// be computed by fused generics.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_PASSES_FUSEDELEMENTWISE_H
#define SMC_PASSES_FUSEDELEMENTWISE_H

#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <memory>

namespace smc::expand {

using Emitter = mlir::ImplicitLocOpBuilder;

/// An elementwise linalg.generic (one result, parallel loops,
/// projected-permutation maps, identity output map) evaluated in place.
/// Input i is computed by `nested[i]`, else loaded from `inputs[i]` (a
/// buffer) through its indexing map, else, where both are null, is the value
/// the caller gives (the contraction's y, for the epilogue).
struct Fused {
  mlir::Operation *generic = nullptr;
  llvm::SmallVector<mlir::Value> inputs;
  llvm::SmallVector<std::shared_ptr<const Fused>> nested;

  explicit operator bool() const { return generic != nullptr; }
};

/// Whether `f` can be evaluated on vectors along its last loop dimension:
/// elementwise body ops, that dimension indexed last or not at all, and
/// nested generics indexed by it evaluable on vectors in turn.
bool hasVectorForm(const Fused &f);

/// The loads that evaluating `f` at loop indices `idx` needs, in a fixed
/// order: for `width` > 0 (hasVectorForm(f) required), `width` consecutive
/// elements of the last loop dimension from idx, as vectors for buffers
/// indexed by it and scalars for the others; for `width` 0, scalars.
/// Split from computeFused so a pipelined kernel issues a tile's loads
/// early and computes later.
llvm::SmallVector<mlir::Value> loadFused(Emitter &b, const Fused &f,
                                         mlir::ValueRange idx, int64_t width);

/// `f`'s value from what loadFused returned, with `given` for the inputs it
/// does not load (a vector for `width` > 0, where scalars are broadcast).
mlir::Value computeFused(Emitter &b, const Fused &f, mlir::ValueRange loaded,
                         int64_t width, mlir::Value given = {});

/// computeFused(loadFused(...)).
mlir::Value evaluateFused(Emitter &b, const Fused &f, mlir::ValueRange idx,
                          int64_t width = 0, mlir::Value given = {});

} // namespace smc::expand

#endif // SMC_PASSES_FUSEDELEMENTWISE_H
