//===- Options.h - smc-runner's command line --------------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// smc-runner SUBCOMMAND ARTIFACT [options]. Options are `--name value` or
/// `--name=value`; which ones a subcommand accepts is checked here, so a
/// typo is an error rather than silently ignored.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_TOOLS_SMC_RUNNER_OPTIONS_H
#define SMC_TOOLS_SMC_RUNNER_OPTIONS_H

#include "reference/Status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smc::runner {

using ref::Status;

/// Process exit codes, the same as smc's.
enum ExitCode { kExitOk = 0, kExitCheckFailed = 1, kExitBadInput = 2 };

/// Everything the subcommands read.
struct Options {
  std::string command;  ///< run, bench or info.
  std::string artifact; ///< The positional argument.
  std::string entry;    ///< --entry; empty: the only one.
  int device = 0;       ///< --device.
  uint64_t seed = 0;    ///< --seed.

  // Shapes.
  std::optional<int64_t> batch;                ///< --batch.
  std::optional<int64_t> seqLen;               ///< --seqlen.
  std::optional<std::vector<int64_t>> seqlens; ///< --seqlens 5,0,17.

  // run.
  bool check = false;              ///< --check.
  double tolerance = 0;            ///< --tolerance; 0: by dtype.
  int64_t checkRows = 0;           ///< --check-rows; 0: automatic.
  std::vector<std::string> inputs; ///< --input NAME=FILE.npy, repeated.
  std::string outputDir;           ///< --output-dir.
  std::string saveInputs;          ///< --save-inputs.
  bool syncEachLaunch = false;     ///< --sync.

  // bench.
  int64_t warmup = 10;                                ///< --warmup.
  int64_t iters = 100;                                ///< --iters.
  std::string json;                                   ///< --json FILE.
  std::optional<double> flopsPerToken, bytesPerToken; ///< Per b*T token.
  /// The roofline's two ceilings (DESIGN.md §6: H200 bf16 matmul and copy).
  std::optional<double> peakTflops, peakGbps;
  std::optional<double> flops, bytes; ///< Per run.

  bool help = false; ///< -h / --help.
};

/// Parses argv. Errors read like "--batch: 'x' is not an integer".
Status parseOptions(int argc, char **argv, Options &options);

/// The usage text.
const char *usage();

} // namespace smc::runner

#endif // SMC_TOOLS_SMC_RUNNER_OPTIONS_H
