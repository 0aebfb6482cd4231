//===- Session.cpp - what every subcommand starts from --------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/Commands.h"

#include <fmt/core.h>

using namespace smc;
using namespace smc::runner;

int runner::reportError(const std::string &message) {
  fmt::print(stderr, "smc-runner: error: {}\n", message);
  return kExitBadInput;
}

Status Session::open(const Options &options, Session &session) {
  session.artifact = std::make_shared<rt::Artifact>();
  SMC_REF_RETURN_IF_ERROR(
      rt::readArtifact(options.artifact, *session.artifact));
  return session.artifact->selectEntry(options.entry, session.entry);
}

Status Session::load(const Options &options) {
  SMC_REF_RETURN_IF_ERROR(rt::Device::open(options.device, device));
  SMC_REF_RETURN_IF_ERROR(rt::Executable::load(artifact, device, executable));
  executable->setSyncEachLaunch(options.syncEachLaunch);
  return Status::success();
}
