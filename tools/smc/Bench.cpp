//===- Bench.cpp - smc bench: time a model on the GPU ---------------------===//

#include "tools/smc/Artifact.h"
#include "tools/smc/Commands.h"
#include "tools/smc/Model.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"

#include <fmt/core.h>

using namespace mlir;
using namespace smc;
namespace cl = llvm::cl;

static cl::SubCommand
    command("bench",
            "Compile a model for the GPU and time it with smc-runner bench "
            "(CUDA events after warm-up, median, inputs rotated past the "
            "L2)");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(smc::optionCategory()),
                                      cl::sub(command));
static cl::opt<std::string> entry("entry", cl::desc("Function to time"),
                                  cl::init(""), cl::cat(smc::optionCategory()),
                                  cl::sub(command));
static cl::opt<std::string> form("form", cl::desc("Force a form"), cl::init(""),
                                 cl::cat(smc::optionCategory()),
                                 cl::sub(command));
static cl::opt<int64_t> chunk("chunk", cl::desc("Force the chunk size"),
                              cl::init(0), cl::cat(smc::optionCategory()),
                              cl::sub(command));
static cl::list<std::string>
    runnerArgs(cl::ConsumeAfter,
               cl::desc("Everything else goes to 'smc-runner bench': "
                        "--batch, --seqlen, --seqlens, --warmup, --iters, "
                        "--json, --flops-per-token, --bytes-per-token, ..."),
               cl::cat(smc::optionCategory()), cl::sub(command));

cl::SubCommand &smc::benchCommand() { return command; }

int smc::runBench() {
  auto model = openModel(inputFile, entry);
  if (!model)
    return kExitBadInput;
  ModuleOp module = *model->module;
  func::FuncOp func = model->entry;
  return compileAndRun(
      module, func, inputFile, form, chunk, "bench",
      std::vector<std::string>(runnerArgs.begin(), runnerArgs.end()));
}
