//===- Run.cpp - smc run: execute a model and check it --------------------===//

#include "tools/smc/Artifact.h"
#include "tools/smc/Commands.h"
#include "tools/smc/CpuJit.h"
#include "tools/smc/Inputs.h"
#include "tools/smc/Model.h"
#include "tools/smc/RefModel.h"
#include "tools/smc/RunGrad.h"

#include "dialect/sma/SmaOps.h"

#include "tools/front/Check.h"
#include "tools/front/InputFiles.h"

#include "reference/Compare.h"
#include "reference/Npy.h"
#include "reference/Pack.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <fmt/core.h>

using namespace mlir;
using namespace smc;
namespace cl = llvm::cl;

static cl::SubCommand
    command("run",
            "Compile a model, run it on random (or .npy) inputs and, with "
            "--check, compare every output with the float64 reference");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(smc::optionCategory()),
                                      cl::sub(command));
static cl::opt<std::string> backend("backend",
                                    cl::desc("Where to run: cpu (JIT), or cuda "
                                             "(compile an sm_90 artifact and "
                                             "run it with smc-runner)"),
                                    cl::init("cpu"),
                                    cl::cat(smc::optionCategory()),
                                    cl::sub(command));
static cl::opt<std::string> entry("entry",
                                  cl::desc("Function to run (default: the "
                                           "only public one)"),
                                  cl::init(""), cl::cat(smc::optionCategory()),
                                  cl::sub(command));
static cl::opt<std::string>
    form("form",
         cl::desc("Force a form: linear, quadratic, chunked, or all (every "
                  "legal form, compared)"),
         cl::init(""), cl::cat(smc::optionCategory()), cl::sub(command));
static cl::opt<int64_t> chunk("chunk",
                              cl::desc("Force the chunk size (0: choose)"),
                              cl::init(0), cl::cat(smc::optionCategory()),
                              cl::sub(command));
static cl::opt<std::string>
    target("target", cl::desc("Cost-model target for form selection"),
           cl::init("cpu"), cl::cat(smc::optionCategory()), cl::sub(command));
static cl::opt<uint64_t> seed("seed", cl::desc("Seed of the random inputs"),
                              cl::init(0), cl::cat(smc::optionCategory()),
                              cl::sub(command));
static cl::opt<int64_t> batch("batch",
                              cl::desc("Batch size of dynamic dims "
                                       "(default: static size, else 2)"),
                              cl::init(0), cl::cat(smc::optionCategory()),
                              cl::sub(command));
static cl::opt<int64_t> seqLen("seqlen",
                               cl::desc("Sequence length of dynamic dims "
                                        "(default: static size, else 64)"),
                               cl::init(0), cl::cat(smc::optionCategory()),
                               cl::sub(command));
static cl::list<int64_t>
    seqlens("seqlens",
            cl::desc("Lengths of packed sequences for cu_seqlens inputs "
                     "(comma separated)"),
            cl::CommaSeparated, cl::cat(smc::optionCategory()),
            cl::sub(command));
static cl::opt<bool> check("check",
                           cl::desc("Compare outputs with the float64 "
                                    "reference; exit 1 above tolerance"),
                           cl::init(false), cl::cat(smc::optionCategory()),
                           cl::sub(command));
static cl::opt<double>
    tolerance("tolerance",
              cl::desc("Relative error allowed (default: 1e-5 for f32 data, "
                       "1e-3 for f16, 5e-3 for bf16)"),
              cl::init(0), cl::cat(smc::optionCategory()), cl::sub(command));
static cl::opt<int64_t>
    checkRows("check-rows",
              cl::desc("Check only this many positions of long outputs "
                       "(0: all when affordable, else 256)"),
              cl::init(0), cl::cat(smc::optionCategory()), cl::sub(command));
static cl::list<std::string>
    inputFiles("input",
               cl::desc("NAME=FILE.npy: read an input (by name, "
                        "e.g. x, dt, or argN) from a .npy file"),
               cl::cat(smc::optionCategory()), cl::sub(command));
static cl::opt<bool>
    grad("grad",
         cl::desc("Derive the backward (sma-derive-backward), run it on random "
                  "output gradients and print the inputs' gradients; with "
                  "--check, compare each with the float64 reference's"),
         cl::init(false), cl::cat(smc::optionCategory()), cl::sub(command));
static cl::opt<std::string>
    saveInputs("save-inputs", cl::desc("Write every input as DIR/NAME.npy"),
               cl::init(""), cl::cat(smc::optionCategory()), cl::sub(command));
static cl::opt<std::string>
    outputDir("output-dir",
              cl::desc("Write every output as DIR/outN.npy "
                       "(bf16 is written as f32)"),
              cl::init(""), cl::cat(smc::optionCategory()), cl::sub(command));

cl::SubCommand &smc::runCommand() { return command; }

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int badInput(const std::string &message) {
  fmt::print(stderr, "smc: error: {}\n", message);
  return kExitBadInput;
}

/// The tolerance of the least precise of `specs` and `more`.
double toleranceOf(const std::vector<TensorSpec> &specs,
                   std::vector<ref::DType> more = {}) {
  for (const TensorSpec &s : specs)
    more.push_back(s.dtype);
  return front::defaultTolerance(more);
}

ref::Status readInputs(const std::vector<TensorSpec> &specs,
                       std::vector<ref::Tensor> &values) {
  std::vector<front::InputSlot> slots;
  for (const TensorSpec &s : specs)
    slots.push_back({s.name, s.dtype, s.kind, s.shape});
  return front::readInputFiles(inputFiles, slots, values);
}

} // namespace

/// --backend=cuda: compile an artifact and run it with smc-runner.
static int runOnGpu(ModuleOp module, func::FuncOp func) {
  if (form == "all")
    return badInput("--form=all is for the CPU backend; pick one form");
  std::vector<std::string> args = {"--seed", std::to_string(seed)};
  if (batch.getNumOccurrences())
    args.insert(args.end(), {"--batch", std::to_string(batch)});
  if (seqLen.getNumOccurrences())
    args.insert(args.end(), {"--seqlen", std::to_string(seqLen)});
  if (seqlens.getNumOccurrences()) {
    std::string list;
    for (int64_t l : seqlens)
      list += (list.empty() ? "" : ",") + std::to_string(l);
    args.insert(args.end(), {"--seqlens", list});
  }
  if (check)
    args.push_back("--check");
  if (tolerance > 0)
    args.insert(args.end(), {"--tolerance", fmt::format("{}", tolerance)});
  if (checkRows)
    args.insert(args.end(), {"--check-rows", std::to_string(checkRows)});
  for (const std::string &in : inputFiles)
    args.insert(args.end(), {"--input", in});
  if (!outputDir.empty())
    args.insert(args.end(), {"--output-dir", outputDir});
  if (!saveInputs.empty())
    args.insert(args.end(), {"--save-inputs", saveInputs});
  return compileAndRun(module, func, inputFile, form, chunk, "run", args);
}

int smc::runRun() {
  if (backend != "cpu" && backend != "cuda")
    return badInput("unknown backend '" + backend.getValue() +
                    "' (expected cpu or cuda)");
  if (grad && backend == "cuda")
    return badInput("--grad runs on the CPU only for now");
  auto model = openModel(inputFile, entry);
  if (!model)
    return kExitBadInput;
  ModuleOp module = *model->module;
  func::FuncOp func = model->entry;
  if (backend == "cuda")
    return runOnGpu(module, func);

  ShapeChoice choice;
  if (batch.getNumOccurrences())
    choice.batch = batch;
  if (seqLen.getNumOccurrences())
    choice.seqLen = seqLen;
  if (seqlens.getNumOccurrences())
    choice.seqlens = std::vector<int64_t>(seqlens.begin(), seqlens.end());
  std::vector<TensorSpec> specs;
  if (auto st = describeInputs(func, choice, specs); !st.ok())
    return badInput(inputFile + ": " + st.message());
  if (auto st = checkHostMemory(specs); !st.ok())
    return badInput(inputFile + ": " + st.message());

  // Inputs: random unless read from .npy files.
  ref::Rng rng(seed);
  std::vector<ref::Tensor> values;
  for (const TensorSpec &s : specs)
    values.push_back(makeInput(s, choice, rng));
  if (auto st = readInputs(specs, values); !st.ok())
    return badInput(st.message());
  std::vector<HostTensor> hostInputs;
  for (size_t i = 0; i < specs.size(); ++i) {
    HostTensor h{specs[i].dtype, specs[i].shape, {}};
    if (auto st = ref::packTensor(values[i], h.dtype, h.bytes); !st.ok())
      return badInput(specs[i].name + ": " + st.message());
    hostInputs.push_back(std::move(h));
  }
  if (!saveInputs.empty()) {
    llvm::sys::fs::create_directories(saveInputs);
    for (size_t i = 0; i < specs.size(); ++i) {
      std::string path = saveInputs + "/" + specs[i].name + ".npy";
      if (auto st = ref::writeNpy(path, values[i], specs[i].dtype); !st.ok())
        return badInput(st.message());
    }
  }

  fmt::print("model {} @{}: batch {}, length {}{}\n", inputFile.getValue(),
             func.getName().str(), *choice.batch, *choice.seqLen,
             choice.seqlens
                 ? fmt::format(", {} packed sequences", choice.seqlens->size())
                 : "");
  // One run per requested form; --form=all runs every form legal for every
  // contraction, on the same inputs.
  std::vector<std::string> formsToRun = {form};
  if (form == "all") {
    bool semiseparable = true;
    func.walk([&](sma::ContractOp op) {
      semiseparable &= op.getMaskOp().isSemiseparable();
    });
    formsToRun = {"quadratic"};
    if (semiseparable)
      formsToRun = {"linear", "quadratic", "chunked"};
  }
  if (grad) {
    GradRun run;
    run.forms = formsToRun;
    run.target = target;
    run.chunk = chunk;
    run.batch = *choice.batch;
    run.seqLen = *choice.seqLen;
    run.seed = seed;
    run.check = check;
    run.tolerance = tolerance > 0 ? tolerance : toleranceOf(specs);
    return runGradients(module, func, specs, values, hostInputs, run);
  }
  std::vector<std::vector<ref::Tensor>> results;
  std::vector<ref::DType> outTypes;
  for (const std::string &f : formsToRun) {
    fmt::print(stderr, "smc: compiling for the CPU{}...\n",
               f.empty() ? "" : " (form " + f + ")");
    auto start = Clock::now();
    CpuPipelineOptions options;
    options.target = target;
    options.forceForm = f;
    options.chunk = chunk;
    std::unique_ptr<CpuModel> model;
    std::vector<std::string> forms;
    if (auto st =
            CpuModel::compile(module, func.getName().str(), options,
                              *choice.batch, *choice.seqLen, model, forms);
        !st.ok())
      return badInput(inputFile + ": " + st.message());
    double compileTime = secondsSince(start);
    for (size_t i = 0; i < forms.size(); ++i)
      fmt::print("contraction {}: form {}\n", i, forms[i]);

    fmt::print(stderr, "smc: running...\n");
    start = Clock::now();
    std::vector<HostTensor> outputs;
    if (auto st = model->run(hostInputs, outputs); !st.ok())
      return badInput(st.message());
    fmt::print("compiled in {:.2f} s, ran in {:.3f} s\n", compileTime,
               secondsSince(start));
    std::vector<ref::Tensor> got;
    outTypes.clear();
    for (size_t i = 0; i < outputs.size(); ++i) {
      got.push_back(ref::unpackTensor(outputs[i].bytes.data(), outputs[i].dtype,
                                      outputs[i].shape));
      outTypes.push_back(outputs[i].dtype);
      if (!outputDir.empty()) {
        llvm::sys::fs::create_directories(outputDir);
        std::string suffix = formsToRun.size() > 1 ? "_" + f : "";
        std::string path =
            fmt::format("{}/out{}{}.npy", outputDir.getValue(), i, suffix);
        if (auto st = ref::writeNpy(path, got.back(), outputs[i].dtype);
            !st.ok())
          return badInput(st.message());
      }
    }
    results.push_back(std::move(got));
  }
  // How far the forms are from each other (0 with a single form).
  double disagreement = 0;
  for (size_t f = 1; f < results.size(); ++f)
    for (size_t i = 0; i < results[f].size(); ++i)
      disagreement = std::max(disagreement,
                              ref::relativeError(results[f][i], results[0][i]));
  if (formsToRun.size() > 1)
    fmt::print("forms agree: max relative difference to the {} form: {:.3e}\n",
               formsToRun.front(), disagreement);
  if (!check) {
    for (size_t i = 0; i < results.back().size(); ++i)
      fmt::print("output {}: shape {} {}\n", i,
                 ref::shapeToString(results.back()[i].shape()),
                 ref::dtypeName(outTypes[i]));
    return kExitOk;
  }

  // The float64 reference from the quadratic definition. Long sequences
  // sample positions so the O(T^2) reference stays affordable.
  int64_t length = *choice.seqLen;
  std::vector<int64_t> rows =
      front::referenceRows(length, checkRows, referenceCost(func, values));
  fmt::print(stderr, "smc: computing the float64 reference{}...\n",
             rows.empty() ? "" : fmt::format(" at {} positions", rows.size()));
  auto start = Clock::now();
  std::vector<ref::Tensor> expected;
  if (auto st = evaluateReference(func, values, expected,
                                  rows.empty() ? nullptr : &rows);
      !st.ok())
    return badInput(inputFile + ": reference: " + st.message());
  double tol = tolerance > 0 ? tolerance : toleranceOf(specs, outTypes);
  fmt::print("reference in {:.2f} s{}\n", secondsSince(start),
             rows.empty() ? ""
                          : fmt::format(", checked at {} of {} positions",
                                        rows.size(), length));
  front::CheckTable table({"form", "output"}, tol);
  for (size_t f = 0; f < results.size(); ++f)
    for (size_t i = 0; i < results[f].size(); ++i)
      if (auto st = table.add({formsToRun[f].empty() ? "auto" : formsToRun[f],
                               std::to_string(i)},
                              results[f][i], expected[i]);
          !st.ok())
        return badInput(fmt::format("output {}: {}", i, st.message()));
  if (formsToRun.size() > 1)
    table.addRelative({"forms", "all"}, "agreement", disagreement);
  table.print();
  return table.passed() ? kExitOk : kExitCheckFailed;
}
