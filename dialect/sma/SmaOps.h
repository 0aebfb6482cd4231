//===- SmaOps.h - sma dialect operations ------------------------*- C++ -*-===//

#ifndef SMC_DIALECT_SMAOPS_H
#define SMC_DIALECT_SMAOPS_H

#include "dialect/sma/MaskInterface.h"
#include "dialect/sma/SmaDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dialect/sma/SmaOps.h.inc"

#endif // SMC_DIALECT_SMAOPS_H
