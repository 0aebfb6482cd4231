//===- InitSmc.h - registration shared by every smc tool --------*- C++ -*-===//

#ifndef SMC_TOOLS_LIB_INITSMC_H
#define SMC_TOOLS_LIB_INITSMC_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace smc {

/// Registers the sma dialect, the upstream dialects the pipelines use, and
/// their interface models and translations.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers smc's passes and pipelines and the upstream passes lit tests use.
void registerAllPasses();

} // namespace smc

#endif // SMC_TOOLS_LIB_INITSMC_H
