//===- Grad.cpp - smc grad: the derived backward of a model ---------------===//

#include "tools/smc/Commands.h"
#include "tools/smc/Model.h"

#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/core.h>

using namespace mlir;
using namespace smc;
namespace cl = llvm::cl;

static cl::SubCommand
    command("grad", "Derive a model's backward (sma-derive-backward) and "
                    "print the module with @f, @f_fwd and @f_bwd");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(smc::optionCategory()),
                                      cl::sub(command));
static cl::opt<std::string> entry("entry",
                                  cl::desc("Function to differentiate "
                                           "(default: the only public one)"),
                                  cl::init(""), cl::cat(smc::optionCategory()),
                                  cl::sub(command));

cl::SubCommand &smc::gradCommand() { return command; }

int smc::runGrad() {
  auto model = openModel(inputFile, entry);
  if (!model)
    return kExitBadInput;
  PassManager pm(model->module->getContext());
  DeriveBackwardOptions options;
  options.entry = model->entry.getName().str();
  pm.addPass(createDeriveBackward(options));
  if (failed(pm.run(*model->module))) {
    fmt::print(stderr, "smc: error: {}: the backward of @{} cannot be derived\n",
               inputFile.getValue(), options.entry);
    return kExitBadInput;
  }
  model->module->print(llvm::outs());
  llvm::outs() << "\n";
  return kExitOk;
}
