//===- Run.cpp - smc-runner run: run an entry once and check it -----------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/Commands.h"
#include "tools/smc-runner/DeviceData.h"
#include "tools/smc-runner/Inputs.h"
#include "tools/smc-runner/RefCheck.h"

#include "runtime/Binding.h"

#include "tools/front/Check.h"

#include "reference/Compare.h"
#include "reference/Npy.h"

#include <algorithm>
#include <chrono>
#include <fmt/core.h>
#include <sys/stat.h>

using namespace smc;
using namespace smc::runner;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Creates `dir` (one level, like mkdir) unless it exists.
Status makeDirectory(const std::string &dir) {
  struct stat info;
  if (stat(dir.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
    return Status::success();
  if (mkdir(dir.c_str(), 0777) != 0)
    return Status::error("cannot create directory '" + dir + "'");
  return Status::success();
}

/// Prints the comparison table; returns whether every checked output passed.
Status printComparison(const rt::EntryDecl &entry,
                       const std::vector<ref::Tensor> &got,
                       const std::vector<std::optional<ref::Tensor>> &expected,
                       double tol, bool &passed) {
  front::CheckTable table({"output"}, tol);
  for (size_t i = 0; i < got.size(); ++i) {
    const std::string &name = entry.outputs[i].name;
    if (!expected[i])
      table.addNotChecked({name}, got[i].shape());
    else
      SMC_REF_RETURN_IF_ERROR(table.add({name}, got[i], *expected[i])
                                  .withContext("output '" + name + "'"));
  }
  table.print();
  passed = table.passed();
  return Status::success();
}

/// Runs `entry` once on `values` and downloads its outputs.
Status runOnce(Session &session, const rt::EntryDecl &entry,
               const std::vector<ref::Shape> &inputShapes,
               const std::vector<ref::Tensor> &values,
               std::vector<ref::Tensor> &got) {
  std::vector<std::vector<uint8_t>> bytes;
  SMC_REF_RETURN_IF_ERROR(packInputs(entry, values, bytes));
  std::vector<ref::Shape> outputShapes;
  SMC_REF_RETURN_IF_ERROR(
      rt::inferOutputShapes(entry, inputShapes, outputShapes));
  DeviceSets set;
  SMC_REF_RETURN_IF_ERROR(makeDeviceSets(session.device, entry, inputShapes,
                                         bytes, outputShapes, 1, set));
  std::unique_ptr<rt::Stream> stream;
  SMC_REF_RETURN_IF_ERROR(rt::Stream::create(session.device, stream));
  SMC_REF_RETURN_IF_ERROR(session.executable->run(
      entry.name, set.inputs[0], set.outputs[0], stream->handle()));
  SMC_REF_RETURN_IF_ERROR(stream->synchronize());
  return downloadOutputs(entry, set, 0, got);
}

/// A backward entry (reference grad=FWD) reads the forward's outputs: runs
/// FWD on the entry's own inputs of the same names and puts its outputs in
/// place of the inputs named like them.
Status runForward(Session &session, const rt::EntryDecl &entry,
                  const RunShapes &shapes, std::vector<ref::Tensor> &values) {
  const std::string &fwdName = entry.reference->gradOf;
  const rt::EntryDecl *fwd = nullptr;
  SMC_REF_RETURN_IF_ERROR(session.artifact->selectEntry(fwdName, fwd));
  std::vector<ref::Tensor> in;
  std::vector<ref::Shape> inShapes;
  for (const rt::TensorDecl &t : fwd->inputs) {
    auto it =
        std::find_if(entry.inputs.begin(), entry.inputs.end(),
                     [&](const rt::TensorDecl &e) { return e.name == t.name; });
    if (it == entry.inputs.end())
      return Status::error(fmt::format("entry '{}' has no input '{}' for its "
                                       "forward '{}'",
                                       entry.name, t.name, fwdName));
    size_t i = it - entry.inputs.begin();
    in.push_back(values[i]);
    inShapes.push_back(shapes.inputShapes[i]);
  }
  std::vector<ref::Tensor> out;
  SMC_REF_RETURN_IF_ERROR(runOnce(session, *fwd, inShapes, in, out)
                              .withContext("the forward '" + fwdName + "'"));
  for (size_t o = 0; o < fwd->outputs.size(); ++o)
    for (size_t i = 0; i < entry.inputs.size(); ++i)
      if (entry.inputs[i].name == fwd->outputs[o].name) {
        if (out[o].shape() != values[i].shape())
          return Status::error(fmt::format(
              "the forward '{}' output '{}' has shape {}, but entry '{}' "
              "reads it as {}",
              fwdName, fwd->outputs[o].name, ref::shapeToString(out[o].shape()),
              entry.name, ref::shapeToString(values[i].shape())));
        values[i] = out[o];
      }
  return Status::success();
}

} // namespace

int runner::runRun(const Options &options) {
  Session session;
  if (Status st = Session::open(options, session); !st.ok())
    return reportError(st.message());
  const rt::EntryDecl &entry = *session.entry;
  const std::string &path = session.artifact->path;
  if (options.check && !entry.reference)
    return reportError(fmt::format("{}: entry '{}' has no 'reference' "
                                   "directive, so --check cannot compare it",
                                   path, entry.name));

  // Shapes and inputs (random unless read from .npy files).
  RunShapes shapes;
  std::vector<ref::Tensor> values;
  if (Status st = prepareInputs(entry, options, path, shapes, values); !st.ok())
    return reportError(st.message());
  bool backward = entry.reference && !entry.reference->gradOf.empty();
  if (backward) {
    fmt::print(stderr,
               "smc-runner: loading the artifact on device {} and running "
               "the forward '{}'...\n",
               options.device, entry.reference->gradOf);
    if (Status st = session.load(options); !st.ok())
      return reportError(st.message());
    if (Status st = runForward(session, entry, shapes, values); !st.ok())
      return reportError(path + ": " + st.message());
  }
  if (!options.saveInputs.empty()) {
    if (Status st = makeDirectory(options.saveInputs); !st.ok())
      return reportError(st.message());
    for (size_t i = 0; i < values.size(); ++i)
      if (Status st = ref::writeNpy(options.saveInputs + "/" +
                                        entry.inputs[i].name + ".npy",
                                    values[i], entry.inputs[i].dtype);
          !st.ok())
        return reportError(st.message());
  }
  std::vector<std::vector<uint8_t>> bytes;
  if (Status st = packInputs(entry, values, bytes); !st.ok())
    return reportError(st.message());
  std::vector<ref::Shape> outputShapes;
  if (Status st =
          rt::inferOutputShapes(entry, shapes.inputShapes, outputShapes);
      !st.ok())
    return reportError(path + ": " + st.message());

  fmt::print("artifact {} @{}: {}\n", path, entry.name, shapes.describe());
  if (!backward) {
    fmt::print(stderr, "smc-runner: loading the artifact on device {}...\n",
               options.device);
    if (Status st = session.load(options); !st.ok())
      return reportError(st.message());
  }
  fmt::print("device {}\n", session.device->describe());

  DeviceSets set;
  if (Status st = makeDeviceSets(session.device, entry, shapes.inputShapes,
                                 bytes, outputShapes, 1, set);
      !st.ok())
    return reportError(st.message());
  std::unique_ptr<rt::Stream> stream;
  if (Status st = rt::Stream::create(session.device, stream); !st.ok())
    return reportError(st.message());
  fmt::print(stderr, "smc-runner: running...\n");
  auto start = Clock::now();
  Status ran = session.executable->run(entry.name, set.inputs[0],
                                       set.outputs[0], stream->handle());
  if (ran.ok())
    ran = stream->synchronize().withContext(
        path + ": entry '" + entry.name +
        "' (rerun with --sync to name the failing launch)");
  if (!ran.ok())
    return reportError(ran.message());
  fmt::print("ran in {:.3f} ms (one run, with launch overhead; use bench to "
             "time)\n",
             secondsSince(start) * 1e3);

  std::vector<ref::Tensor> got;
  if (Status st = downloadOutputs(entry, set, 0, got); !st.ok())
    return reportError(st.message());
  if (!options.outputDir.empty()) {
    if (Status st = makeDirectory(options.outputDir); !st.ok())
      return reportError(st.message());
    for (size_t i = 0; i < got.size(); ++i)
      if (Status st =
              ref::writeNpy(fmt::format("{}/out{}.npy", options.outputDir, i),
                            got[i], entry.outputs[i].dtype);
          !st.ok())
        return reportError(st.message());
  }
  if (!options.check) {
    for (size_t i = 0; i < got.size(); ++i)
      fmt::print("output {}: shape {} {}\n", entry.outputs[i].name,
                 ref::shapeToString(got[i].shape()),
                 ref::dtypeName(entry.outputs[i].dtype));
    return kExitOk;
  }

  // The float64 reference; long sequences sample positions so the O(T^2)
  // reference stays affordable.
  double cost = referenceCost(entry, values);
  if (backward && cost > front::kReferenceBudget)
    return reportError(fmt::format(
        "{}: the float64 reference gradients of b {} T {} would take too "
        "long (they cannot sample positions); check a smaller --seqlen",
        path, shapes.batch, shapes.seqLen));
  std::vector<int64_t> rows =
      backward ? std::vector<int64_t>()
               : front::referenceRows(shapes.seqLen, options.checkRows, cost);
  fmt::print(stderr, "smc-runner: computing the float64 reference{}...\n",
             rows.empty() ? "" : fmt::format(" at {} positions", rows.size()));
  start = Clock::now();
  std::vector<std::optional<ref::Tensor>> expected;
  if (Status st =
          backward ? computeExpectedGrad(entry, values, expected)
                   : computeExpected(entry, values,
                                     rows.empty() ? nullptr : &rows, expected);
      !st.ok())
    return reportError(path + ": " + st.message());
  double tol =
      options.tolerance > 0 ? options.tolerance : defaultTolerance(entry);
  fmt::print("reference in {:.2f} s{}\n", secondsSince(start),
             rows.empty() ? ""
                          : fmt::format(", checked at {} of {} positions",
                                        rows.size(), shapes.seqLen));
  bool pass = false;
  if (Status st = printComparison(entry, got, expected, tol, pass); !st.ok())
    return reportError(st.message());
  return pass ? kExitOk : kExitCheckFailed;
}
