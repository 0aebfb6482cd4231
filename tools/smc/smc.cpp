//===- smc.cpp - the smc driver -------------------------------------------===//
//
// smc <subcommand> [options] <model.mlir>
//
//===----------------------------------------------------------------------===//

#include "tools/smc/Commands.h"
#include "tools/smc/Model.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

#include <fmt/core.h>

namespace cl = llvm::cl;

cl::OptionCategory &smc::optionCategory() {
  static cl::OptionCategory category("smc options");
  return category;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // Only the subcommands' own options are shown, not LLVM's.
  cl::SubCommand *commands[] = {&smc::summaryCommand(), &smc::explainCommand(),
                                &smc::runCommand(), &smc::compileCommand(),
                                &smc::benchCommand(), &smc::gradCommand()};
  for (cl::SubCommand *sub : commands)
    cl::HideUnrelatedOptions(smc::optionCategory(), *sub);
  cl::HideUnrelatedOptions(smc::optionCategory());
  cl::ParseCommandLineOptions(
      argc, argv,
      "smc: a compiler for structured masked attention\n\n"
      "  smc summary FILE   parse, verify and describe a model\n"
      "  smc explain FILE   show each contraction's legal forms, their "
      "modelled costs and the choice\n"
      "  smc run FILE       compile and run a model (CPU JIT, or "
      "--backend=cuda); --check compares with the float64 reference\n"
      "  smc compile FILE -o OUT   compile a model to GPU kernels and write an "
      "artifact for the runtime (smc-runner, C API, Python)\n"
      "  smc bench FILE     compile for the GPU and time it with smc-runner "
      "bench\n"
      "  smc grad FILE      derive the backward (@f_fwd, @f_bwd) and print "
      "it; 'smc run --grad' runs and checks it\n\n"
      "  'smc <subcommand> --help' lists a subcommand's options.\n"
      "  Exit codes: 0 ok, 1 check failed, 2 bad input.\n");
  if (smc::summaryCommand())
    return smc::runSummary();
  if (smc::explainCommand())
    return smc::runExplain();
  if (smc::runCommand())
    return smc::runRun();
  if (smc::compileCommand())
    return smc::runCompile();
  if (smc::benchCommand())
    return smc::runBench();
  if (smc::gradCommand())
    return smc::runGrad();
  fmt::print(stderr, "smc: error: no subcommand given; see 'smc --help'\n");
  return smc::kExitBadInput;
}
