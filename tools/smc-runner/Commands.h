//===- Commands.h - smc-runner's subcommands --------------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_TOOLS_SMC_RUNNER_COMMANDS_H
#define SMC_TOOLS_SMC_RUNNER_COMMANDS_H

#include "tools/smc-runner/Options.h"

#include "runtime/Artifact.h"
#include "runtime/Device.h"
#include "runtime/Executable.h"

#include <memory>
#include <string>

namespace smc::runner {

/// What every subcommand starts from: the artifact, the chosen entry and,
/// for run and bench, the device and the loaded executable.
struct Session {
  std::shared_ptr<rt::Artifact> artifact;
  const rt::EntryDecl *entry = nullptr;
  std::shared_ptr<rt::Device> device;
  std::unique_ptr<rt::Executable> executable;

  /// Reads the artifact and picks the entry.
  static Status open(const Options &options, Session &session);
  /// Opens the device and loads the artifact on it.
  Status load(const Options &options);
};

/// Prints "smc-runner: error: MESSAGE" and returns kExitBadInput.
int reportError(const std::string &message);

/// The subcommands; each returns the process exit code.
int runInfo(const Options &options);
int runRun(const Options &options);
int runBench(const Options &options);

} // namespace smc::runner

#endif // SMC_TOOLS_SMC_RUNNER_COMMANDS_H
