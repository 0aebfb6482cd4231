//===- smc-runner.cpp - run smc GPU artifacts without the compiler --------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// smc-runner {run,bench,info} ARTIFACT [options]: links only the runtime
// (CUDA driver API, loaded at run time) and the float64 reference, so it
// runs on a GPU machine that has the NVIDIA driver and nothing else.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/Commands.h"
#include "tools/smc-runner/Options.h"

#include <cstdio>
#include <exception>
#include <fmt/core.h>

using namespace smc::runner;

int main(int argc, char **argv) {
  // Line-buffered so results and progress interleave in order in logs.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  try {
    Options options;
    if (Status st = parseOptions(argc, argv, options); !st.ok())
      return reportError(st.message());
    if (options.help) {
      fmt::print("{}", usage());
      return kExitOk;
    }
    if (options.command == "info")
      return runInfo(options);
    if (options.command == "run")
      return runRun(options);
    return runBench(options);
  } catch (const std::exception &e) {
    return reportError(std::string("internal error: ") + e.what());
  }
}
