//===- RunGrad.cpp - smc run --grad: the derived backward, checked --------===//
//
// The gradients come from the compiler's derivation (sma-derive-backward,
// compiled like any model); the expected ones from the reference's own
// backward of the quadratic definition. Nothing is shared between the two.
//
//===----------------------------------------------------------------------===//

#include "tools/smc/RunGrad.h"
#include "tools/front/Check.h"
#include "tools/smc/Model.h"
#include "tools/smc/RefModel.h"

#include "dialect/sma/SmaOps.h"

#include "reference/Pack.h"
#include "reference/Random.h"

#include "mlir/Pass/PassManager.h"

#include <fmt/core.h>

using namespace mlir;
using namespace smc;

int smc::runGradients(ModuleOp module, func::FuncOp func,
                      const std::vector<TensorSpec> &specs,
                      const std::vector<ref::Tensor> &values,
                      const std::vector<HostTensor> &inputs,
                      const GradRun &run) {
  std::string name = func.getName().str();
  // Only the entry, its forward and its backward are compiled: the other
  // functions of the file may not take the forms forced here.
  OwningOpRef<ModuleOp> derived = module.clone();
  for (auto other : llvm::make_early_inc_range(derived->getOps<func::FuncOp>()))
    if (other.getName() != name)
      other.erase();
  PassManager pm(module.getContext());
  DeriveBackwardOptions options;
  options.entry = name;
  pm.addPass(createDeriveBackward(options));
  fmt::print(stderr, "smc: deriving the backward...\n");
  if (failed(pm.run(*derived))) {
    fmt::print(stderr, "smc: error: the backward of @{} cannot be derived\n",
               name);
    return kExitBadInput;
  }
  unsigned numResults = func.getNumResults();

  // Output gradients: random normals in each output's element type.
  ref::Rng rng(run.seed ^ 0x9e3779b97f4a7c15ull);
  std::vector<ref::Tensor> dOutputs;
  std::vector<HostTensor> dHost;

  std::vector<std::vector<ref::Tensor>> results;
  for (const std::string &form : run.forms) {
    CpuPipelineOptions pipeline;
    pipeline.target = run.target;
    pipeline.forceForm = form;
    pipeline.chunk = run.chunk;
    std::unique_ptr<CpuModel> fwdModel, bwdModel;
    std::vector<std::string> fwdForms, forms;
    fmt::print(stderr, "smc: compiling the forward and backward{}...\n",
               form.empty() ? "" : " (form " + form + ")");
    if (auto st = CpuModel::compile(*derived, name + "_fwd", pipeline,
                                    run.batch, run.seqLen, fwdModel, fwdForms);
        !st.ok()) {
      fmt::print(stderr, "smc: error: {}\n", st.message());
      return kExitBadInput;
    }
    if (auto st = CpuModel::compile(*derived, name + "_bwd", pipeline,
                                    run.batch, run.seqLen, bwdModel, forms);
        !st.ok()) {
      fmt::print(stderr, "smc: error: {}\n", st.message());
      return kExitBadInput;
    }
    // The module holds @f, @f_fwd and @f_bwd, in that order: the backward's
    // contractions are the last ones.
    size_t own = 0;
    func.walk([&](sma::ContractOp) { ++own; });
    size_t first = 2 * own;
    for (size_t i = first; i < forms.size(); ++i)
      fmt::print("backward contraction {}: form {}\n", i - first, forms[i]);

    std::vector<HostTensor> fwdOut;
    if (auto st = fwdModel->run(inputs, fwdOut); !st.ok()) {
      fmt::print(stderr, "smc: error: {}\n", st.message());
      return kExitBadInput;
    }
    if (dOutputs.empty()) {
      for (unsigned i = 0; i < numResults; ++i) {
        ref::Tensor t(fwdOut[i].shape);
        ref::fillNormal(t, fwdOut[i].dtype, 0.0, 1.0, rng);
        HostTensor h{fwdOut[i].dtype, fwdOut[i].shape, {}};
        if (auto st = ref::packTensor(t, h.dtype, h.bytes); !st.ok()) {
          fmt::print(stderr, "smc: error: {}\n", st.message());
          return kExitBadInput;
        }
        dOutputs.push_back(std::move(t));
        dHost.push_back(std::move(h));
      }
    }
    // @f_bwd reads the inputs, all that @f_fwd returned, then the output
    // gradients.
    std::vector<HostTensor> bwdIn(inputs);
    bwdIn.insert(bwdIn.end(), fwdOut.begin(), fwdOut.end());
    bwdIn.insert(bwdIn.end(), dHost.begin(), dHost.end());
    std::vector<HostTensor> grads;
    if (auto st = bwdModel->run(bwdIn, grads); !st.ok()) {
      fmt::print(stderr, "smc: error: {}\n", st.message());
      return kExitBadInput;
    }
    std::vector<ref::Tensor> got;
    for (const HostTensor &h : grads)
      got.push_back(ref::unpackTensor(h.bytes.data(), h.dtype, h.shape));
    results.push_back(std::move(got));
  }

  // The float inputs, in the order of @f_bwd's results.
  std::vector<const TensorSpec *> floats;
  for (auto [i, arg] : llvm::enumerate(func.getArguments()))
    if (auto t = dyn_cast<RankedTensorType>(arg.getType());
        t && isa<FloatType>(t.getElementType()))
      floats.push_back(&specs[i]);
  if (!run.check) {
    for (size_t i = 0; i < results.back().size(); ++i)
      fmt::print("gradient of {}: shape {}\n", floats[i]->name,
                 ref::shapeToString(results.back()[i].shape()));
    return kExitOk;
  }

  fmt::print(stderr, "smc: computing the float64 reference gradients...\n");
  std::vector<ref::Tensor> expected;
  if (auto st = evaluateReferenceGrad(func, values, dOutputs, expected);
      !st.ok()) {
    fmt::print(stderr, "smc: error: reference: {}\n", st.message());
    return kExitBadInput;
  }
  front::CheckTable table({"form", "gradient"}, run.tolerance);
  for (size_t f = 0; f < results.size(); ++f)
    for (size_t i = 0; i < results[f].size(); ++i)
      if (auto st = table.add({run.forms[f].empty() ? "auto" : run.forms[f],
                               "d" + floats[i]->name},
                              results[f][i], expected[i]);
          !st.ok()) {
        fmt::print(stderr, "smc: error: gradient of {}: {}\n", floats[i]->name,
                   st.message());
        return kExitBadInput;
      }
  table.print();
  return table.passed() ? kExitOk : kExitCheckFailed;
}
