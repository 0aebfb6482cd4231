//===- Bench.cpp - smc-runner bench: time an entry ------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// Method (DESIGN.md §6): CUDA events around every run, after warm-up; the
// median of many runs; inputs rotate among enough sets that together they
// exceed twice the L2, so no run reads its inputs from a warm cache; inputs
// are seeded random values, never zeros.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/Commands.h"
#include "tools/smc-runner/DeviceData.h"
#include "tools/smc-runner/Inputs.h"

#include "runtime/Binding.h"

#include <algorithm>
#include <cstdio>
#include <fmt/core.h>
#include <numeric>

using namespace smc;
using namespace smc::runner;

namespace {

/// The statistics of the timed runs, in milliseconds.
struct Timing {
  double median = 0, min = 0, max = 0, mean = 0, p10 = 0, p90 = 0;
};

Timing summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  Timing t;
  size_t n = ms.size();
  t.median = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
  t.min = ms.front();
  t.max = ms.back();
  t.mean = std::accumulate(ms.begin(), ms.end(), 0.0) / double(n);
  t.p10 = ms[size_t(double(n - 1) * 0.1)];
  t.p90 = ms[size_t(double(n - 1) * 0.9)];
  return t;
}

std::string jsonString(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", int(c));
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string megabytes(double bytes) {
  return fmt::format("{:.1f} MB", bytes / 1e6);
}

} // namespace

int runner::runBench(const Options &options) {
  Session session;
  if (Status st = Session::open(options, session); !st.ok())
    return reportError(st.message());
  const rt::EntryDecl &entry = *session.entry;
  const std::string &path = session.artifact->path;
  RunShapes shapes;
  std::vector<ref::Tensor> values;
  if (Status st = prepareInputs(entry, options, path, shapes, values);
      !st.ok())
    return reportError(st.message());
  std::vector<std::vector<uint8_t>> bytes;
  std::vector<ref::Shape> outputShapes;
  if (Status st = packInputs(entry, values, bytes); !st.ok())
    return reportError(st.message());
  if (Status st =
          rt::inferOutputShapes(entry, shapes.inputShapes, outputShapes);
      !st.ok())
    return reportError(path + ": " + st.message());
  int64_t tokens = shapes.tokens();
  fmt::print("artifact {} @{}: {} ({} tokens)\n", path, entry.name,
             shapes.describe(), tokens);

  fmt::print(stderr, "smc-runner: loading the artifact on device {}...\n",
             options.device);
  if (Status st = session.load(options); !st.ok())
    return reportError(st.message());
  const rt::Device &device = *session.device;
  fmt::print("device {}\n", device.describe());

  // How many sets of inputs and outputs to rotate through.
  double setBytes =
      double(deviceSetBytes(entry, shapes.inputShapes, outputShapes));
  size_t freeBytes = 0, totalBytes = 0;
  if (Status st = device.memoryInfo(freeBytes, totalBytes); !st.ok())
    return reportError(st.message());
  double l2 = double(device.l2CacheBytes());
  int64_t wanted = std::max<int64_t>(2, int64_t(2 * l2 / setBytes) + 1);
  int64_t affordable = int64_t(0.5 * double(freeBytes) / setBytes);
  int64_t sets = std::max<int64_t>(1, std::min(wanted, affordable));
  if (double(sets) * setBytes <= 2 * l2)
    fmt::print(stderr,
               "smc-runner: warning: only {} input sets fit in memory; "
               "together {} do not exceed 2x the L2 ({})\n",
               sets, megabytes(double(sets) * setBytes), megabytes(2 * l2));
  fmt::print(stderr,
             "smc-runner: uploading {} input sets of {} (2x L2 = "
             "{})...\n",
             sets, megabytes(setBytes), megabytes(2 * l2));
  DeviceSets deviceSets;
  if (Status st = makeDeviceSets(session.device, entry, shapes.inputShapes,
                                 bytes, outputShapes, size_t(sets), deviceSets);
      !st.ok())
    return reportError(st.message());

  std::unique_ptr<rt::Stream> stream;
  if (Status st = rt::Stream::create(session.device, stream); !st.ok())
    return reportError(st.message());
  auto runOnce = [&](int64_t i) {
    size_t set = size_t(i % sets);
    return session.executable->run(entry.name, deviceSets.inputs[set],
                                   deviceSets.outputs[set], stream->handle());
  };
  fmt::print(stderr, "smc-runner: warming up ({} runs)...\n", options.warmup);
  for (int64_t i = 0; i < options.warmup; ++i)
    if (Status st = runOnce(i); !st.ok())
      return reportError(st.message());
  if (Status st = stream->synchronize(); !st.ok())
    return reportError(st.message());

  fmt::print(stderr, "smc-runner: timing {} runs...\n", options.iters);
  std::vector<std::unique_ptr<rt::Event>> starts(size_t(options.iters)),
      stops(size_t(options.iters));
  for (int64_t i = 0; i < options.iters; ++i) {
    if (Status st = rt::Event::create(session.device, starts[size_t(i)]);
        !st.ok())
      return reportError(st.message());
    if (Status st = rt::Event::create(session.device, stops[size_t(i)]);
        !st.ok())
      return reportError(st.message());
  }
  for (int64_t i = 0; i < options.iters; ++i) {
    Status st = starts[size_t(i)]->record(stream->handle());
    if (st.ok())
      st = runOnce(options.warmup + i);
    if (st.ok())
      st = stops[size_t(i)]->record(stream->handle());
    if (!st.ok())
      return reportError(st.message());
  }
  if (Status st = stream->synchronize(); !st.ok())
    return reportError(st.message());
  std::vector<double> ms;
  for (int64_t i = 0; i < options.iters; ++i) {
    float elapsed = 0;
    if (Status st = stops[size_t(i)]->elapsedSince(*starts[size_t(i)], elapsed);
        !st.ok())
      return reportError(st.message());
    ms.push_back(double(elapsed));
  }
  Timing t = summarize(ms);
  // The entry's intermediate buffers, held by the executable between runs.
  double bufferBytes = double(session.executable->cachedBufferBytes());

  fmt::print("median {:.4f} ms (min {:.4f}, mean {:.4f}, p10 {:.4f}, p90 "
             "{:.4f}, max {:.4f}) over {} runs after {} warm-up, {} input "
             "sets of {}\n",
             t.median, t.min, t.mean, t.p10, t.p90, t.max, options.iters,
             options.warmup, sets, megabytes(setBytes));
  fmt::print("intermediate buffers: {}\n", megabytes(bufferBytes));
  std::optional<double> flops = options.flops, traffic = options.bytes;
  if (options.flopsPerToken)
    flops = *options.flopsPerToken * double(tokens);
  if (options.bytesPerToken)
    traffic = *options.bytesPerToken * double(tokens);
  double seconds = t.median * 1e-3;
  std::optional<double> tflops, gbps;
  if (flops && seconds > 0)
    tflops = *flops / seconds / 1e12;
  if (traffic && seconds > 0)
    gbps = *traffic / seconds / 1e9;
  if (tflops || gbps) {
    std::string line = "throughput:";
    if (tflops)
      line +=
          fmt::format(" {:.2f} TFLOP/s ({:.4g} FLOP per run)", *tflops, *flops);
    if (gbps)
      line += fmt::format("{} {:.1f} GB/s ({:.4g} bytes per run)",
                          tflops ? "," : "", *gbps, *traffic);
    fmt::print("{}\n", line);
  }
  // The roofline: the larger of the arithmetic and the memory time at the
  // ceilings; the fraction is how much of it the measured time achieves.
  std::optional<double> rooflineMs, fraction;
  if (flops || traffic) {
    double peakFlops = options.peakTflops.value_or(790.0) * 1e12;
    double peakBytes = options.peakGbps.value_or(4300.0) * 1e9;
    double floor = std::max(flops ? *flops / peakFlops : 0.0,
                            traffic ? *traffic / peakBytes : 0.0);
    rooflineMs = floor * 1e3;
    fraction = floor / seconds;
    fmt::print("roofline: {:.4f} ms ({:.0f} TFLOP/s, {:.0f} GB/s); achieved "
               "{:.2f}% of it\n",
               *rooflineMs, peakFlops / 1e12, peakBytes / 1e9, *fraction * 100);
  }

  if (!options.json.empty()) {
    std::FILE *file = std::fopen(options.json.c_str(), "w");
    if (!file)
      return reportError("cannot write '" + options.json + "'");
    auto optional = [](const std::optional<double> &v) {
      return v ? fmt::format("{:.6g}", *v) : std::string("null");
    };
    std::string samples;
    for (size_t i = 0; i < ms.size(); ++i)
      samples += fmt::format("{}{:.6g}", i ? ", " : "", ms[i]);
    fmt::print(
        file,
        "{{\n  \"artifact\": {},\n  \"entry\": {},\n  \"device\": "
        "{},\n  \"batch\": {},\n  \"seqlen\": {},\n  \"sequences\": "
        "{},\n  \"tokens\": {},\n  \"warmup\": {},\n  \"iters\": "
        "{},\n  \"input_sets\": {},\n  \"set_bytes\": {:.0f},\n  "
        "\"l2_bytes\": {:.0f},\n  \"buffer_bytes\": {:.0f},\n  "
        "\"median_ms\": {:.6g},\n  "
        "\"min_ms\": {:.6g},\n  \"mean_ms\": {:.6g},\n  \"p10_ms\": "
        "{:.6g},\n  \"p90_ms\": {:.6g},\n  \"max_ms\": {:.6g},\n  "
        "\"flops\": {},\n  \"bytes\": {},\n  \"tflops\": {},\n  "
        "\"gbps\": {},\n  \"roofline_ms\": {},\n  "
        "\"roofline_fraction\": {},\n  \"samples_ms\": [{}]\n}}\n",
        jsonString(path), jsonString(entry.name), jsonString(device.name()),
        shapes.batch, shapes.seqLen, *shapes.symbols.S, tokens, options.warmup,
        options.iters, sets, setBytes, l2, bufferBytes, t.median, t.min, t.mean, t.p10,
        t.p90, t.max, optional(flops), optional(traffic), optional(tflops),
        optional(gbps), optional(rooflineMs), optional(fraction), samples);
    std::fclose(file);
    fmt::print(stderr, "smc-runner: wrote {}\n", options.json);
  }
  return kExitOk;
}
