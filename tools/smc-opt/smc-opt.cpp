//===- smc-opt.cpp - mlir-opt with the sma dialect and smc passes ---------===//

#include "tools/lib/InitSmc.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/thread.h"

/// The stack of the thread that runs the driver: MLIR's parser recurses once
/// per nesting level of the input.
static constexpr unsigned kDriverStackBytes = 1u << 30;

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  smc::registerAllDialects(registry);
  smc::registerAllPasses();
  // MLIR's parser has inputs it crashes on (LLVM 22: `array<index: 1>` in
  // parseDenseArrayAttr) and recurses per nesting level: the driver runs on
  // a thread with a large stack, and a crash becomes an error and exit code
  // 2 instead of killing the process.
  int rc = 1;
  bool crashed = false;
  llvm::CrashRecoveryContext::Enable();
  llvm::thread driver(std::optional<unsigned>(kDriverStackBytes), [&] {
    llvm::CrashRecoveryContext recovery;
    crashed = !recovery.RunSafely([&] {
      rc = mlir::asMainReturnCode(
          mlir::MlirOptMain(argc, argv, "smc optimizer driver\n", registry));
    });
  });
  driver.join();
  if (crashed) {
    llvm::errs() << "smc-opt: error: internal error (a crash in MLIR or smc, "
                    "e.g. upstream LLVM 22's parser on a malformed dense "
                    "array); the input was not processed\n";
    llvm::errs().flush();
    // Exit without destructors: the crashed thread left state half-built.
    std::_Exit(2);
  }
  return rc;
}
