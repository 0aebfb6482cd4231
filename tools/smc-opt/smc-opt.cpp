//===- smc-opt.cpp - mlir-opt with the sma dialect and smc passes ---------===//

#include "tools/lib/InitSmc.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  smc::registerAllDialects(registry);
  smc::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "smc optimizer driver\n", registry));
}
