//===- MaskInterface.h - the mask structure interface -----------*- C++ -*-===//

#ifndef SMC_DIALECT_MASKINTERFACE_H
#define SMC_DIALECT_MASKINTERFACE_H

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OpDefinition.h"

#include <functional>
#include <optional>
#include <string>

namespace smc::sma {

/// Where a mask entry is evaluated, as index values in generated code:
/// `tAbs`/`sAbs` index position tensors, `tRel`/`sRel` count from the start
/// of the sequence that holds them.
struct MaskPoint {
  mlir::Value batch, head;
  mlir::Value tAbs, sAbs;
  mlir::Value tRel, sRel;
};

/// What mask builders need from the code that calls them: how to read the
/// mask ops' tensor operands in the generated code.
struct MaskBuildContext {
  /// The buffers (memrefs) that hold operands.
  mlir::IRMapping buffers;
  /// Computes an operand that has no buffer at an index (an elementwise
  /// producer evaluated in place); may be empty.
  std::function<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::Value,
                            mlir::ValueRange)>
      compute;

  /// operand[idx], loaded from its buffer or computed.
  mlir::Value read(mlir::OpBuilder &b, mlir::Location loc, mlir::Value operand,
                   mlir::ValueRange idx) const;
};

} // namespace smc::sma

#include "dialect/sma/MaskInterface.h.inc"

namespace smc::sma {

/// A one-line description of a mask's structure, e.g.
/// "causal, semiseparable, Toeplitz".
std::string describeMaskStructure(MaskOpInterface mask);

/// Why a mask has no state recurrence (for diagnostics), e.g.
/// "'sma.mask.window' is banded (width 64) with no constant-size state".
std::string explainNotSemiseparable(MaskOpInterface mask);

} // namespace smc::sma

#endif // SMC_DIALECT_MASKINTERFACE_H
