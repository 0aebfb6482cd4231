//===- Options.cpp - smc-runner's command line ----------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/Options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <set>

using namespace smc;
using namespace smc::runner;

const char *runner::usage() {
  return R"(smc-runner: run, check and time smc GPU artifacts (no LLVM/MLIR needed)

usage:
  smc-runner run ARTIFACT [options]    run an entry once on random (or .npy)
                                       inputs; --check compares every output
                                       with the float64 reference
  smc-runner bench ARTIFACT [options]  time an entry with CUDA events
  smc-runner info ARTIFACT             describe the artifact (no GPU needed)

common options:
  --entry E            the entry to run (default: the only one)
  --device N           CUDA device ordinal (default 0)
  --seed N             seed of the random inputs (default 0)
  --batch B            b (default 2; 1 when the entry packs sequences)
  --seqlen T           T (default 64)
  --seqlens L1,L2,...  packed sequence lengths for the offsets input
                       (batch 1, T = their sum)

run options:
  --check              compare with the artifact's `reference`; exit 1 when
                       an output is above the tolerance
  --tolerance X        relative L2 error allowed (default: 1e-5 for f32,
                       1e-3 for f16, 5e-3 for bf16 data)
  --check-rows N       check only N positions of long outputs (0: all when
                       affordable, else 256)
  --input NAME=F.npy   read an input from a .npy file (repeatable)
  --save-inputs DIR    write every input as DIR/NAME.npy
  --output-dir DIR     write every output as DIR/outN.npy (bf16 as f32)
  --sync               synchronize after every launch (names a faulting one)

bench options:
  --warmup N           untimed runs first (default 10)
  --iters N            timed runs; the median is reported (default 100)
  --flops-per-token F, --bytes-per-token B
                       work per token (b*T) for TFLOP/s and GB/s
  --flops F, --bytes B the same per run
  --peak-tflops F, --peak-gbps B
                       roofline ceilings (default 790 TFLOP/s, 4300 GB/s:
                       the H200 as measured for DESIGN.md)
  --json FILE          write the results as JSON

Exit codes: 0 ok, 1 check failed, 2 bad input or error.
Environment: SMC_CUDA_DRIVER_LIB overrides the driver library (libcuda.so.1).
)";
}

namespace {

Status parseInt(const std::string &name, const std::string &text,
                int64_t &value) {
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0)
    return Status::error(fmt::format("{}: '{}' is not an integer", name, text));
  value = v;
  return Status::success();
}

Status parseDouble(const std::string &name, const std::string &text,
                   double &value) {
  char *end = nullptr;
  errno = 0;
  value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno != 0 || !std::isfinite(value))
    return Status::error(fmt::format("{}: '{}' is not a number", name, text));
  return Status::success();
}

using Setter =
    std::function<Status(const std::string &, const std::string &, Options &)>;

struct OptionSpec {
  bool takesValue;
  std::set<std::string> commands; ///< Subcommands accepting it.
  Setter set;
};

Setter intSetter(int64_t Options::*field, int64_t minimum) {
  return [=](const std::string &name, const std::string &text, Options &o) {
    int64_t value;
    SMC_REF_RETURN_IF_ERROR(parseInt(name, text, value));
    if (value < minimum)
      return Status::error(
          fmt::format("{}: must be >= {}, got {}", name, minimum, value));
    o.*field = value;
    return Status::success();
  };
}

Setter optionalIntSetter(std::optional<int64_t> Options::*field) {
  return [=](const std::string &name, const std::string &text, Options &o) {
    int64_t value;
    SMC_REF_RETURN_IF_ERROR(parseInt(name, text, value));
    if (value < 1)
      return Status::error(
          fmt::format("{}: must be positive, got {}", name, value));
    o.*field = value;
    return Status::success();
  };
}

Setter positiveDouble(std::optional<double> Options::*field) {
  return [=](const std::string &name, const std::string &text, Options &o) {
    double value;
    SMC_REF_RETURN_IF_ERROR(parseDouble(name, text, value));
    if (value <= 0)
      return Status::error(
          fmt::format("{}: must be positive, got {}", name, text));
    o.*field = value;
    return Status::success();
  };
}

const std::map<std::string, OptionSpec> &optionTable() {
  static const std::set<std::string> all = {"run", "bench", "info"};
  static const std::set<std::string> running = {"run", "bench"};
  static const std::set<std::string> run = {"run"};
  static const std::set<std::string> bench = {"bench"};
  static const std::map<std::string, OptionSpec> table = {
      {"--entry",
       {true, all,
        [](const std::string &, const std::string &v, Options &o) {
          o.entry = v;
          return Status::success();
        }}},
      {"--device",
       {true, running,
        [](const std::string &n, const std::string &v, Options &o) {
          int64_t value;
          SMC_REF_RETURN_IF_ERROR(parseInt(n, v, value));
          if (value < 0 || value > 1024)
            return Status::error(fmt::format("{}: invalid ordinal {}", n, v));
          o.device = int(value);
          return Status::success();
        }}},
      {"--seed",
       {true, running,
        [](const std::string &n, const std::string &v, Options &o) {
          char *end = nullptr;
          errno = 0;
          unsigned long long value = std::strtoull(v.c_str(), &end, 10);
          if (v.empty() || v[0] == '-' || *end != '\0' || errno != 0)
            return Status::error(
                fmt::format("{}: '{}' is not a non-negative integer", n, v));
          o.seed = value;
          return Status::success();
        }}},
      {"--batch", {true, running, optionalIntSetter(&Options::batch)}},
      {"--seqlen", {true, running, optionalIntSetter(&Options::seqLen)}},
      {"--seqlens",
       {true, running,
        [](const std::string &n, const std::string &v, Options &o) {
          std::vector<int64_t> lengths;
          size_t pos = 0;
          while (true) {
            size_t comma = v.find(',', pos);
            std::string item = v.substr(pos, comma - pos);
            int64_t value;
            SMC_REF_RETURN_IF_ERROR(parseInt(n, item, value));
            if (value < 0)
              return Status::error(
                  fmt::format("{}: lengths must be >= 0, got {}", n, value));
            lengths.push_back(value);
            if (comma == std::string::npos)
              break;
            pos = comma + 1;
          }
          o.seqlens = lengths;
          return Status::success();
        }}},
      {"--check",
       {false, run,
        [](const std::string &, const std::string &, Options &o) {
          o.check = true;
          return Status::success();
        }}},
      {"--tolerance",
       {true, run,
        [](const std::string &n, const std::string &v, Options &o) {
          SMC_REF_RETURN_IF_ERROR(parseDouble(n, v, o.tolerance));
          if (o.tolerance <= 0)
            return Status::error(fmt::format("{}: must be positive", n));
          return Status::success();
        }}},
      {"--check-rows", {true, run, intSetter(&Options::checkRows, 0)}},
      {"--input",
       {true, running,
        [](const std::string &, const std::string &v, Options &o) {
          o.inputs.push_back(v);
          return Status::success();
        }}},
      {"--output-dir",
       {true, run,
        [](const std::string &, const std::string &v, Options &o) {
          o.outputDir = v;
          return Status::success();
        }}},
      {"--save-inputs",
       {true, run,
        [](const std::string &, const std::string &v, Options &o) {
          o.saveInputs = v;
          return Status::success();
        }}},
      {"--sync",
       {false, running,
        [](const std::string &, const std::string &, Options &o) {
          o.syncEachLaunch = true;
          return Status::success();
        }}},
      {"--warmup", {true, bench, intSetter(&Options::warmup, 0)}},
      {"--iters", {true, bench, intSetter(&Options::iters, 1)}},
      {"--json",
       {true, bench,
        [](const std::string &, const std::string &v, Options &o) {
          o.json = v;
          return Status::success();
        }}},
      {"--flops-per-token",
       {true, bench, positiveDouble(&Options::flopsPerToken)}},
      {"--bytes-per-token",
       {true, bench, positiveDouble(&Options::bytesPerToken)}},
      {"--flops", {true, bench, positiveDouble(&Options::flops)}},
      {"--bytes", {true, bench, positiveDouble(&Options::bytes)}},
      {"--peak-tflops", {true, bench, positiveDouble(&Options::peakTflops)}},
      {"--peak-gbps", {true, bench, positiveDouble(&Options::peakGbps)}},
  };
  return table;
}

} // namespace

Status runner::parseOptions(int argc, char **argv, Options &options) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string &a : args)
    if (a == "-h" || a == "--help") {
      options.help = true;
      return Status::success();
    }
  if (args.empty())
    return Status::error("no subcommand given; see 'smc-runner --help'");
  options.command = args[0];
  if (options.command != "run" && options.command != "bench" &&
      options.command != "info")
    return Status::error(fmt::format("unknown subcommand '{}'; expected run, "
                                     "bench or info",
                                     options.command));
  const auto &table = optionTable();
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg.size() < 2 || arg.compare(0, 2, "--") != 0) {
      if (!options.artifact.empty())
        return Status::error(fmt::format("unexpected argument '{}' (the "
                                         "artifact is '{}')",
                                         arg, options.artifact));
      options.artifact = arg;
      continue;
    }
    size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    auto it = table.find(name);
    if (it == table.end())
      return Status::error(fmt::format("unknown option '{}'; see "
                                       "'smc-runner --help'",
                                       name));
    const OptionSpec &spec = it->second;
    if (!spec.commands.count(options.command))
      return Status::error(fmt::format("option '{}' does not apply to "
                                       "'smc-runner {}'",
                                       name, options.command));
    std::string value;
    if (spec.takesValue) {
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
      } else {
        if (i + 1 >= args.size())
          return Status::error(fmt::format("{} expects a value", name));
        value = args[++i];
      }
    } else if (eq != std::string::npos) {
      return Status::error(fmt::format("{} takes no value", name));
    }
    SMC_REF_RETURN_IF_ERROR(spec.set(name, value, options));
  }
  if (options.artifact.empty())
    return Status::error(
        fmt::format("smc-runner {}: no artifact given", options.command));
  if ((options.flops && options.flopsPerToken) ||
      (options.bytes && options.bytesPerToken))
    return Status::error("give work per token or per run, not both");
  return Status::success();
}
