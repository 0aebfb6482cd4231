//===- MaskInterface.h - the mask structure interface -----------*- C++ -*-===//

#ifndef SMC_DIALECT_MASKINTERFACE_H
#define SMC_DIALECT_MASKINTERFACE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"

#include <optional>
#include <string>

namespace smc::sma {

class MaskOpInterface;

/// One entry L[t, s] of a mask, as values: `t` and `s` count from the start
/// of the sequence that holds them (index), `head` is the head (index), and
/// `atT` / `atS` are the values of the mask's position operands at t and s.
struct MaskEntry {
  mlir::Value t, s, head;
  mlir::ValueRange atT, atS;
};

/// An f32 constant.
mlir::Value buildF32(mlir::OpBuilder &b, mlir::Location loc, double v);

/// [s <= t] as an f32 (1 or 0): the factor of a causal semiseparable mask.
mlir::Value buildCausalFactor(mlir::OpBuilder &b, mlir::Location loc,
                              const MaskEntry &entry);

} // namespace smc::sma

#include "dialect/sma/MaskInterface.h.inc"

namespace smc::sma {

/// A one-line description of a mask's structure, e.g.
/// "causal, semiseparable, Toeplitz".
std::string describeMaskStructure(MaskOpInterface mask);

/// Why a mask has no state recurrence (for diagnostics), e.g.
/// "'sma.mask.window' is banded (width 64) with no constant-size state".
std::string explainNotSemiseparable(MaskOpInterface mask);

/// An atomic mask (one without parts) inside a mask tree, and whether an odd
/// number of transposes stands above it: then the tree reads its entries at
/// (s, t).
struct MaskAtom {
  MaskOpInterface op;
  bool transposed;
};

/// The atoms whose product `mask` is: its parts' atoms, recursively through
/// products and transposes, or `mask` itself when it has no parts.
llvm::SmallVector<MaskAtom> maskAtoms(MaskOpInterface mask);

/// Checks a mask against the contraction `user` that applies it: its position
/// operands are [batch, seqLen, heads] and each atomic mask accepts the use
/// (verifyForUse). Errors are emitted on `user`.
mlir::LogicalResult verifyMaskUse(MaskOpInterface mask, mlir::Operation *user,
                                  int64_t batch, int64_t seqLen, int64_t heads);

} // namespace smc::sma

#endif // SMC_DIALECT_MASKINTERFACE_H
