//===- SmaDialect.cpp - the sma dialect, types and attributes -------------===//

#include "dialect/sma/SmaDialect.h"
#include "dialect/sma/SmaOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace smc::sma;

#include "dialect/sma/SmaDialect.cpp.inc"
#include "dialect/sma/SmaEnums.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "dialect/sma/SmaTypes.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/sma/SmaAttrs.cpp.inc"

void SmaDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialect/sma/SmaOps.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialect/sma/SmaTypes.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialect/sma/SmaAttrs.cpp.inc"
      >();
}

LogicalResult FormAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               FormKind kind, int64_t chunk) {
  if (chunk < 0)
    return emitError() << "chunk size must be positive (or 0 to let form "
                          "selection choose), got "
                       << chunk;
  if (kind != FormKind::chunked && chunk != 0)
    return emitError() << "only the chunked form takes a chunk size, got "
                       << chunk << " on '" << stringifyFormKind(kind) << "'";
  return success();
}
