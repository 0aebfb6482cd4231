//===- Compile.cpp - smc compile: a model to a GPU artifact ---------------===//
//
// Lowers a model through `sma-to-nvvm` and packages what the runtime needs:
// the kernels (cubin or PTX), the entry's inputs and outputs with symbolic
// dims, intermediate buffers, each launch's grid, block and arguments, and a
// `reference` line so a runner can check results without the compiler.
// runtime/ARTIFACT.md describes the format.
//
//===----------------------------------------------------------------------===//

#include "tools/smc/Artifact.h"
#include "tools/smc/Commands.h"
#include "tools/smc/Inputs.h"
#include "tools/smc/Model.h"

#include "dialect/sma/SmaOps.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/core.h>
#include <map>

using namespace mlir;
using namespace smc;
namespace cl = llvm::cl;

static cl::SubCommand
    command("compile",
            "Compile a model to GPU kernels and write an artifact that "
            "the runtime runs with only the NVIDIA driver");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(smc::optionCategory()),
                                      cl::sub(command));
static cl::opt<std::string> outputFile("o", cl::Required,
                                       cl::desc("Artifact to write"),
                                       cl::cat(smc::optionCategory()),
                                       cl::sub(command));
static cl::opt<std::string>
    chip("target", cl::desc("GPU architecture: sm_90 or sm_80"),
         cl::init("sm_90"), cl::cat(smc::optionCategory()), cl::sub(command));
static cl::opt<std::string> entry("entry",
                                  cl::desc("Function to compile (default: "
                                           "the only public one)"),
                                  cl::init(""), cl::cat(smc::optionCategory()),
                                  cl::sub(command));
static cl::opt<std::string>
    form("form", cl::desc("Force a form: linear, quadratic or chunked"),
         cl::init(""), cl::cat(smc::optionCategory()), cl::sub(command));
static cl::opt<int64_t> chunk("chunk",
                              cl::desc("Force the chunk size (0: choose)"),
                              cl::init(0), cl::cat(smc::optionCategory()),
                              cl::sub(command));
static cl::opt<bool> ptx("ptx",
                         cl::desc("Ship PTX (compiled by the driver at load) "
                                  "instead of cubin"),
                         cl::init(false), cl::cat(smc::optionCategory()),
                         cl::sub(command));

static cl::opt<bool>
    grad("grad",
         cl::desc("Also derive the backward (sma-derive-backward): the "
                  "artifact's entries are @f, @f_fwd and @f_bwd"),
         cl::init(false), cl::cat(smc::optionCategory()), cl::sub(command));

cl::SubCommand &smc::compileCommand() { return command; }

namespace {

/// `a` as an operand of a larger expression.
std::string paren(const std::string &a) {
  return a.find_first_of("+-*/") == std::string::npos ? a : "(" + a + ")";
}

/// Turns the host function of a lowered model into artifact directives.
class ArtifactWriter {
public:
  /// `kernels` is shared by the entries of one artifact.
  ArtifactWriter(func::FuncOp func, const std::vector<SymbolicInput> &inputs,
                 std::vector<std::array<std::string, 4>> &kernels)
      : kernels(kernels), func(func) {
    for (auto [i, in] : llvm::enumerate(inputs)) {
      dims[func.getArgument(i).getAsOpaquePointer()] = in.dims;
      names[func.getArgument(i).getAsOpaquePointer()] = in.name;
    }
  }

  /// Reads the host function; fails with a message naming the first op it
  /// cannot express.
  LogicalResult read(std::string &error) {
    for (Operation &op : func.getBody().front()) {
      if (isa<arith::ConstantOp, memref::DimOp, memref::DeallocOp>(op) ||
          isa<arith::ArithDialect>(op.getDialect()))
        continue; // Evaluated where used.
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        if (failed(readAlloc(alloc, error)))
          return failure();
        continue;
      }
      if (auto launch = dyn_cast<gpu::LaunchFuncOp>(op)) {
        if (failed(readLaunch(launch, error)))
          return failure();
        continue;
      }
      if (auto ret = dyn_cast<func::ReturnOp>(op)) {
        for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
          auto it = buffers.find(v.getAsOpaquePointer());
          if (it == buffers.end()) {
            error = fmt::format("result {} is not a buffer the model "
                                "allocates",
                                i);
            return failure();
          }
          outputs.push_back(it->second);
        }
        continue;
      }
      error = fmt::format("op '{}' in the lowered host code cannot be "
                          "expressed in an artifact",
                          op.getName().getStringRef().str());
      return failure();
    }
    return success();
  }

  /// Names outputs by what they are (y, final_state) where that is known.
  void nameOutputs(ArrayRef<std::string> outputNames) {
    for (auto [i, id] : llvm::enumerate(outputs))
      bufferDecls[id].name =
          i < outputNames.size() ? outputNames[i] : fmt::format("out{}", i);
  }

  size_t numOutputs() const { return outputs.size(); }
  std::string outputName(size_t i) const {
    return bufferDecls[outputs[i]].name;
  }
  /// The output's dtype and its dims as expressions of the inputs' symbols.
  std::string outputDType(size_t i) const {
    return bufferDecls[outputs[i]].dtype;
  }
  std::string outputDims(size_t i) const {
    return bufferDecls[outputs[i]].dims;
  }

  void write(llvm::raw_ostream &os) const {
    for (size_t id : outputs)
      os << "output " << bufferDecls[id].name << " " << bufferDecls[id].dtype
         << " " << bufferDecls[id].dims << "\n";
    for (auto [id, b] : llvm::enumerate(bufferDecls))
      if (!llvm::is_contained(outputs, id))
        os << "buffer " << b.name << " " << b.dtype << " " << b.dims << "\n";
    for (const std::string &l : launches)
      os << resolve(l) << "\n";
  }

  /// Each kernel: name, module, symbol and dynamic shared bytes.
  std::vector<std::array<std::string, 4>> &kernels;

private:
  /// Replaces the "@N" buffer references of a launch by the buffers' names,
  /// which are final only once outputs are named.
  std::string resolve(std::string line) const {
    size_t at;
    while ((at = line.find('@')) != std::string::npos) {
      size_t end = line.find_first_not_of("0123456789", at + 1);
      size_t id = std::stoul(line.substr(at + 1, end - at - 1));
      line.replace(at, end == std::string::npos ? std::string::npos : end - at,
                   bufferDecls[id].name);
    }
    return line;
  }

  struct BufferDecl {
    std::string name, dtype, dims;
  };

  FailureOr<std::string> expr(Value v, std::string &error) {
    Operation *def = v.getDefiningOp();
    if (auto c = dyn_cast_or_null<arith::ConstantOp>(def))
      if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
        return std::to_string(i.getInt());
    if (auto dim = dyn_cast_or_null<memref::DimOp>(def)) {
      auto index = dim.getConstantIndex();
      auto it = dims.find(dim.getSource().getAsOpaquePointer());
      if (index && it != dims.end())
        return it->second[*index];
    }
    if (auto cast = dyn_cast_or_null<arith::IndexCastOp>(def))
      return expr(cast.getIn(), error);
    auto binary = [&](const char *op) -> FailureOr<std::string> {
      auto a = expr(def->getOperand(0), error);
      auto b = expr(def->getOperand(1), error);
      if (failed(a) || failed(b))
        return failure();
      return paren(*a) + op + paren(*b);
    };
    if (isa_and_nonnull<arith::MulIOp>(def))
      return binary("*");
    if (isa_and_nonnull<arith::AddIOp>(def))
      return binary("+");
    if (isa_and_nonnull<arith::SubIOp>(def))
      return binary("-");
    if (isa_and_nonnull<arith::DivUIOp, arith::DivSIOp>(def))
      return binary("/");
    auto call = [&](const char *fn) -> FailureOr<std::string> {
      auto a = expr(def->getOperand(0), error);
      auto b = expr(def->getOperand(1), error);
      if (failed(a) || failed(b))
        return failure();
      return std::string(fn) + "(" + *a + "," + *b + ")";
    };
    if (isa_and_nonnull<arith::MinUIOp, arith::MinSIOp>(def))
      return call("min");
    if (isa_and_nonnull<arith::MaxUIOp, arith::MaxSIOp>(def))
      return call("max");
    if (isa_and_nonnull<arith::CeilDivUIOp, arith::CeilDivSIOp>(def)) {
      auto a = expr(def->getOperand(0), error);
      auto b = expr(def->getOperand(1), error);
      if (failed(a) || failed(b))
        return failure();
      return "(" + paren(*a) + "+" + paren(*b) + "-1)/" + paren(*b);
    }
    error = "a size computed by '" +
            (def ? def->getName().getStringRef().str() : "a block argument") +
            "' cannot be expressed in an artifact";
    return failure();
  }

  LogicalResult readAlloc(memref::AllocOp alloc, std::string &error) {
    auto type = alloc.getType();
    ref::DType dtype;
    if (!toDType(type.getElementType(), dtype).ok()) {
      error = "an intermediate buffer has an unsupported element type";
      return failure();
    }
    std::vector<std::string> d;
    auto dynamic = alloc.getDynamicSizes().begin();
    for (int64_t size : type.getShape()) {
      if (!ShapedType::isDynamic(size)) {
        d.push_back(std::to_string(size));
        continue;
      }
      auto e = expr(*dynamic++, error);
      if (failed(e))
        return failure();
      d.push_back(*e);
    }
    size_t id = bufferDecls.size();
    bufferDecls.push_back(
        {fmt::format("buf{}", id), ref::dtypeName(dtype), llvm::join(d, " ")});
    buffers[alloc.getResult().getAsOpaquePointer()] = id;
    dims[alloc.getResult().getAsOpaquePointer()] = d;
    return success();
  }

  LogicalResult readLaunch(gpu::LaunchFuncOp launch, std::string &error) {
    std::string module = launch.getKernelModuleName().str();
    std::string symbol = launch.getKernelName().str();
    auto it = llvm::find_if(
        kernels, [&](auto &k) { return k[1] == module && k[2] == symbol; });
    std::string kernel =
        it != kernels.end() ? (*it)[0] : fmt::format("k{}", kernels.size());
    std::string shared = "0";
    if (Value bytes = launch.getDynamicSharedMemorySize()) {
      auto e = expr(bytes, error);
      if (failed(e))
        return failure();
      shared = *e;
    }
    if (it == kernels.end())
      kernels.push_back({kernel, module, symbol, shared});
    std::string line = "launch " + kernel + " grid";
    auto grid = launch.getGridSizeOperandValues();
    auto block = launch.getBlockSizeOperandValues();
    for (Value v : {grid.x, grid.y, grid.z}) {
      auto e = expr(v, error);
      if (failed(e))
        return failure();
      line += " " + *e;
    }
    line += " block";
    for (Value v : {block.x, block.y, block.z}) {
      auto e = expr(v, error);
      if (failed(e))
        return failure();
      line += " " + *e;
    }
    line += " args";
    for (Value arg : launch.getKernelOperands()) {
      if (isa<MemRefType>(arg.getType())) {
        line += " memref:" + nameOf(arg);
        continue;
      }
      if (arg.getType().isIndex() || arg.getType().isInteger(64)) {
        auto e = expr(arg, error);
        if (failed(e))
          return failure();
        line += " i64:" + *e;
        continue;
      }
      error = "a kernel argument of type other than memref or index";
      return failure();
    }
    launches.push_back(line);
    return success();
  }

  std::string nameOf(Value v) {
    auto b = buffers.find(v.getAsOpaquePointer());
    if (b != buffers.end())
      return "@" + std::to_string(b->second); // Resolved when written.
    return names.at(v.getAsOpaquePointer());
  }

  func::FuncOp func;
  std::map<const void *, std::vector<std::string>> dims;
  std::map<const void *, std::string> names;
  std::map<const void *, size_t> buffers;
  std::vector<BufferDecl> bufferDecls;
  std::vector<size_t> outputs;
  std::vector<std::string> launches;
};

/// The `reference` line of an entry with one sma op reading the inputs
/// directly, or "" when the runner cannot rebuild the model.
std::string referenceLine(func::FuncOp func,
                          const std::vector<SymbolicInput> &inputs,
                          ArrayRef<std::string> outputNames) {
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (isa<sma::SsdOp, sma::ContractOp>(op))
      ops.push_back(op);
  });
  if (ops.size() != 1)
    return "";
  bool ok = true;
  auto name = [&](Value v) -> std::string {
    auto arg = dyn_cast<BlockArgument>(v);
    if (!arg || arg.getOwner() != &func.getBody().front()) {
      ok = false;
      return "";
    }
    return inputs[arg.getArgNumber()].name;
  };
  std::string line;
  auto field = [&](const char *key, Value v) {
    if (v)
      line += fmt::format(" {}={}", key, name(v));
  };
  Value y, final;
  if (auto s = dyn_cast<sma::SsdOp>(ops[0])) {
    line = "reference ssd";
    field("x", s.getX());
    field("dt", s.getDt());
    field("A", s.getA());
    field("B", s.getB());
    field("C", s.getC());
    field("D", s.getD());
    field("z", s.getZ());
    field("dt_bias", s.getDtBias());
    line += fmt::format(" softplus={}", s.getDtSoftplus() ? 1 : 0);
    if (auto limit = s.getDtLimit())
      line += fmt::format(
          " lo={} hi={}", (*limit)[0],
          std::isinf((*limit)[1]) ? "inf" : fmt::format("{}", (*limit)[1]));
    field("init", s.getInitState());
    field("seqs", s.getCuSeqlens());
    y = s.getY();
    final = s.getFinalState();
  } else {
    auto c = cast<sma::ContractOp>(ops[0]);
    std::function<std::string(Value)> mask = [&](Value m) -> std::string {
      Operation *def = m.getDefiningOp();
      if (isa<sma::CausalMaskOp>(def))
        return "causal";
      if (auto f = dyn_cast<sma::FixedDecayMaskOp>(def)) {
        std::string g;
        for (double v : f.getGamma())
          g += (g.empty() ? "" : ",") + fmt::format("{}", v);
        return "fixed(" + g + ")";
      }
      if (auto d = dyn_cast<sma::DecayMaskOp>(def))
        return "decay(" + name(d.getLogDecay()) + ")";
      if (auto w = dyn_cast<sma::WindowMaskOp>(def))
        return fmt::format("window({})", w.getWidth());
      if (auto mul = dyn_cast<sma::MulMaskOp>(def))
        return "mul(" + mask(mul.getLhs()) + "," + mask(mul.getRhs()) + ")";
      if (auto t = dyn_cast<sma::TransposeMaskOp>(def))
        return "transpose(" + mask(t.getSource()) + ")";
      ok = false; // Custom masks have no reference directive.
      return "";
    };
    line = "reference contract";
    field("C", c.getC());
    field("B", c.getB());
    field("X", c.getX());
    line += " mask=" + mask(c.getMask());
    field("init", c.getInitState());
    field("seqs", c.getCuSeqlens());
    y = c.getY();
    final = c.getFinalState();
  }
  // The op's results must be the function's results.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    if (v == y)
      line += " y=" + outputNames[i];
    else if (final && v == final)
      line += " final=" + outputNames[i];
    else
      ok = false;
  }
  return ok ? line : "";
}

} // namespace

/// The names of `func`'s results: what the model's sma op returns.
static std::vector<std::string> resultNames(func::FuncOp func) {
  std::vector<std::string> names;
  for (size_t i = 0; i < func.getNumResults(); ++i)
    names.push_back(i == 0   ? "y"
                    : i == 1 ? "final_state"
                             : fmt::format("out{}", i));
  return names;
}

/// One entry of an artifact: its function in the lowered module, its
/// inputs and output names, and its `reference` line ("" for none).
struct EntryPlan {
  std::string name;
  std::vector<SymbolicInput> inputs;
  std::vector<std::string> outputNames;
  std::string reference;
};

int smc::writeArtifact(ModuleOp module, func::FuncOp func,
                       const ArtifactOptions &opts) {
  std::vector<SymbolicInput> inputs;
  if (auto st = describeSymbolicInputs(func, inputs); !st.ok()) {
    fmt::print(stderr, "smc: error: {}: {}\n", opts.modelPath, st.message());
    return kExitBadInput;
  }
  std::vector<std::string> outputNames = resultNames(func);
  std::string name = func.getName().str();
  std::vector<EntryPlan> plans = {
      {name, inputs, outputNames, referenceLine(func, inputs, outputNames)}};

  OwningOpRef<ModuleOp> lowered = module.clone();
  if (opts.grad) {
    // @f_fwd and @f_bwd join @f (sma-derive-backward); their entries are
    // completed below, once @f_fwd's output dims are known.
    PassManager pm(module.getContext());
    DeriveBackwardOptions options;
    options.entry = name;
    pm.addPass(createDeriveBackward(options));
    if (failed(pm.run(*lowered))) {
      fmt::print(stderr,
                 "smc: error: {}: the backward of @{} cannot be derived\n",
                 opts.modelPath, name);
      return kExitBadInput;
    }
    auto fwd = lowered->lookupSymbol<func::FuncOp>(name + "_fwd");
    std::vector<std::string> fwdNames = outputNames;
    for (size_t i = outputNames.size(); i < fwd.getNumResults(); ++i)
      fwdNames.push_back(fmt::format("saved{}", i - outputNames.size()));
    plans.push_back({name + "_fwd", inputs, fwdNames,
                     referenceLine(fwd, inputs, fwdNames)});
    std::vector<std::string> grads;
    for (const SymbolicInput &in : inputs)
      if (ref::isFloatDType(in.dtype))
        grads.push_back("d_" + in.name);
    // The backward is checked against the model's reference gradients.
    std::string reference = plans[0].reference;
    if (!reference.empty())
      reference += " grad=" + name + "_fwd";
    plans.push_back({name + "_bwd", {}, grads, reference});
  }

  fmt::print(stderr, "smc: lowering to {} kernels...\n", opts.chip);
  PassManager pm(module.getContext());
  NvvmPipelineOptions options;
  options.chip = opts.chip;
  options.target = opts.chip == "sm_90" ? "h200" : "a100";
  options.forceForm = opts.form;
  options.chunk = opts.chunk;
  options.format = opts.ptx ? "isa" : "bin";
  buildSmaToNvvmPipeline(pm, options);
  if (failed(pm.run(*lowered))) {
    fmt::print(stderr, "smc: error: {}: lowering to GPU kernels failed\n",
               opts.modelPath);
    return kExitBadInput;
  }

  std::vector<std::array<std::string, 4>> kernels;
  std::string entries;
  for (size_t e = 0; e < plans.size(); ++e) {
    EntryPlan &plan = plans[e];
    auto host = lowered->lookupSymbol<func::FuncOp>(plan.name);
    ArtifactWriter writer(host, plan.inputs, kernels);
    std::string error;
    if (failed(writer.read(error))) {
      fmt::print(stderr, "smc: error: {}: @{}: {}\n", opts.modelPath,
                 plan.name, error);
      return kExitBadInput;
    }
    writer.nameOutputs(plan.outputNames);
    entries += fmt::format("entry {}\n", plan.name);
    for (const SymbolicInput &in : plan.inputs)
      entries +=
          fmt::format("input {} {} {} {}\n", in.name, ref::dtypeName(in.dtype),
                      ref::inputKindName(in.kind), llvm::join(in.dims, " "));
    llvm::raw_string_ostream os(entries);
    writer.write(os);
    if (!plan.reference.empty())
      entries += plan.reference + "\n";
    entries += "end\n";
    // @f_bwd reads @f's inputs, then @f_fwd's outputs, then one gradient
    // per result of @f, with the dims of @f_fwd's outputs.
    if (opts.grad && e == 1) {
      std::vector<SymbolicInput> &bwd = plans[2].inputs;
      bwd = inputs;
      for (size_t i = 0; i < writer.numOutputs(); ++i) {
        ref::DType dtype;
        if (!ref::parseDType(writer.outputDType(i), dtype).ok())
          return kExitBadInput;
        std::string text = writer.outputDims(i);
        SmallVector<StringRef> dims;
        StringRef(text).split(dims, ' ');
        SymbolicInput in{writer.outputName(i), dtype, ref::InputKind::Normal,
                         {}};
        for (StringRef d : dims)
          in.dims.push_back(d.str());
        bwd.push_back(in);
      }
      for (size_t i = 0; i < outputNames.size(); ++i) {
        SymbolicInput in = bwd[inputs.size() + i];
        in.name = "d_" + in.name;
        bwd.push_back(in);
      }
    }
  }

  // Header, then the data section with every module's blob.
  std::string header = fmt::format("smc-artifact 1\ntarget {}\n", opts.chip);
  std::string data;
  for (auto binary : lowered->getOps<gpu::BinaryOp>()) {
    auto object = cast<gpu::ObjectAttr>(binary.getObjects()[0]);
    StringRef bytes = object.getObject().getValue();
    header += fmt::format("module {} {} {}\n", binary.getName().str(),
                          opts.ptx ? "ptx" : "cubin", bytes.size());
    data += bytes.str();
  }
  for (auto &[kernel, mod, symbol, shared] : kernels)
    header +=
        fmt::format("kernel {} {} {} shared {}\n", kernel, mod, symbol, shared);
  header += entries + "data\n";

  std::error_code ec;
  llvm::raw_fd_ostream out(opts.outputPath, ec);
  if (ec) {
    fmt::print(stderr, "smc: error: cannot write '{}': {}\n", opts.outputPath,
               ec.message());
    return kExitBadInput;
  }
  out << header << data;
  std::string names;
  for (const EntryPlan &plan : plans)
    names += (names.empty() ? "entries " : ", ") + plan.name;
  fmt::print(stderr, "smc: wrote {} ({}{} kernels, {} bytes of code){}\n",
             opts.outputPath, plans.size() > 1 ? names + "; " : "",
             kernels.size(), data.size(),
             plans[0].reference.empty()
                 ? "; no reference line: the runner cannot --check this model"
                 : "");
  return kExitOk;
}

int smc::runCompile() {
  if (chip != "sm_90" && chip != "sm_80") {
    fmt::print(stderr,
               "smc: error: unknown target '{}' (expected sm_90 or "
               "sm_80)\n",
               chip.getValue());
    return kExitBadInput;
  }
  auto model = openModel(inputFile, entry);
  if (!model)
    return kExitBadInput;
  ModuleOp module = *model->module;
  func::FuncOp func = model->entry;
  ArtifactOptions opts{inputFile, outputFile, chip, form, chunk, ptx, grad};
  return writeArtifact(module, func, opts);
}
