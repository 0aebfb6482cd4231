//===- Commands.h - the subcommands of smc ----------------------*- C++ -*-===//

#ifndef SMC_TOOLS_SMC_COMMANDS_H
#define SMC_TOOLS_SMC_COMMANDS_H

namespace llvm::cl {
class OptionCategory;
class SubCommand;
} // namespace llvm::cl

namespace smc {

/// The category of every smc option, so --help hides LLVM's own.
llvm::cl::OptionCategory &optionCategory();

/// Each subcommand owns its options; `run*` executes it once parsed and
/// returns the process exit code.
llvm::cl::SubCommand &summaryCommand();
int runSummary();

llvm::cl::SubCommand &explainCommand();
int runExplain();

llvm::cl::SubCommand &runCommand();
int runRun();

llvm::cl::SubCommand &compileCommand();
int runCompile();

llvm::cl::SubCommand &benchCommand();
int runBench();

llvm::cl::SubCommand &gradCommand();
int runGrad();

} // namespace smc

#endif // SMC_TOOLS_SMC_COMMANDS_H
