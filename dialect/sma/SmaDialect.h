//===- SmaDialect.h - the sma dialect, types and attributes -----*- C++ -*-===//

#ifndef SMC_DIALECT_SMADIALECT_H
#define SMC_DIALECT_SMADIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "dialect/sma/SmaDialect.h.inc"
#include "dialect/sma/SmaEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "dialect/sma/SmaTypes.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/sma/SmaAttrs.h.inc"

#endif // SMC_DIALECT_SMADIALECT_H
