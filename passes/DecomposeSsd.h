//===- DecomposeSsd.h - sma.ssd as core ops ---------------------*- C++ -*-===//
//
// The decomposition that sma-decompose-ssd applies, for sma-derive-backward
// too: the backward differentiates the same core ops the forward runs.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_PASSES_DECOMPOSESSD_H
#define SMC_PASSES_DECOMPOSESSD_H

#include "dialect/sma/SmaOps.h"

#include "mlir/IR/Builders.h"

namespace smc {

/// What one sma.ssd became. Every value is f32 except `y` (x's type).
struct SsdParts {
  mlir::Value dt; ///< dt' = clamp(softplus(dt + dt_bias)), [b, T, h].
  mlir::Value a;  ///< dt' A, the log-decay, [b, T, h].
  mlir::Value x;  ///< X = x dt', [b, T, h, p].
  sma::ContractOp contract;
  mlir::Value y; ///< (contract + D x) silu(z), or the contract's output.
};

/// Replaces `op` by its core ops (f32 linalg.generic around one
/// sma.contract) and erases it.
SsdParts decomposeSsd(sma::SsdOp op);

using ElementBody = mlir::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// An elementwise linalg.generic over `like`'s iteration space that writes
/// a new tensor of `elemType`; input i is read through `maps[i]` (a
/// projection of that space: the inputs broadcast).
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value like, mlir::Type elemType,
                             llvm::ArrayRef<mlir::Value> inputs,
                             llvm::ArrayRef<mlir::AffineMap> maps,
                             ElementBody body);

/// (d2) of a rank-r iteration space [b, T, h, ...]: the head.
mlir::AffineMap headMap(mlir::MLIRContext *ctx, unsigned rank);
/// (d0, d1, d2) of a rank-4 iteration space: the position and head.
mlir::AffineMap positionMap(mlir::MLIRContext *ctx);

} // namespace smc

#endif // SMC_PASSES_DECOMPOSESSD_H
