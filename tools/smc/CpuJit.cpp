//===- CpuJit.cpp - compile a model for the host CPU and call it ----------===//

#include "tools/smc/CpuJit.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"

#include <cstring>
#include "tools/smc/Inputs.h"

#include "dialect/sma/SmaOps.h"
#include "passes/CostModel.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

#include <cstdlib>
#include <cstring>
#include <fmt/core.h>
#include <set>

using namespace mlir;
using namespace smc;
using ref::Status;

namespace {

std::string formName(sma::FormAttr form) {
  if (form.getKind() == sma::FormKind::chunked)
    return fmt::format("chunked({})", form.getChunk());
  return sma::stringifyFormKind(form.getKind()).str();
}

/// Captures MLIR diagnostics into a string for a Status.
struct DiagnosticCapture {
  explicit DiagnosticCapture(MLIRContext *ctx)
      : handler(ctx, [this](Diagnostic &d) {
          llvm::raw_string_ostream os(text);
          if (auto loc = dyn_cast<FileLineColLoc>(d.getLocation()))
            os << loc.getFilename() << ":" << loc.getLine() << ":"
               << loc.getColumn();
          else
            os << d.getLocation();
          os << ": error: " << d << "\n";
          return success();
        }) {}
  std::string text;
  ScopedDiagnosticHandler handler;
};

} // namespace

/// The modelled floating-point work of the forms selected in `module` for
/// a run of `batch` x `seqLen` (the CPU target of the cost model).
static double modelledFlops(ModuleOp module, int64_t batch, int64_t seqLen) {
  const TargetParams *cpu = lookupTarget("cpu");
  double flops = 0;
  module.walk([&](sma::ContractOp op) {
    if (!cpu || !op.getForm())
      return;
    ContractShape shape = getContractShape(op, batch, seqLen);
    flops += modelForm(shape, *cpu, op.getForm()->getKind(),
                       op.getForm()->getChunk())
                 .flops;
  });
  return flops;
}

/// MLIR's memref.copy between buffers that are not both contiguous lowers
/// to a call of `memrefCopy(elementSize, src, dst)` (unranked descriptors),
/// which no runtime library of ours provides: the JIT gets this one.
/// Tile stores along a strided dim (a state's column) make such copies.
extern "C" void stridedMemrefCopy(int64_t elementSize,
                                  ::UnrankedMemRefType<char> *src,
                                  ::UnrankedMemRefType<char> *dst) {
  int64_t rank = src->rank;
  auto *s = static_cast<::StridedMemRefType<char, 1> *>(src->descriptor);
  auto *d = static_cast<::StridedMemRefType<char, 1> *>(dst->descriptor);
  // Sizes and strides follow the offset: [sizes[rank], strides[rank]].
  const int64_t *sizes = s->sizes, *sStrides = s->sizes + rank;
  const int64_t *dStrides = d->sizes + rank;
  int64_t total = 1;
  for (int64_t i = 0; i < rank; ++i)
    total *= sizes[i];
  if (total == 0)
    return;
  std::vector<int64_t> index(rank, 0);
  for (int64_t n = 0; n < total; ++n) {
    int64_t so = s->offset, dO = d->offset;
    for (int64_t i = 0; i < rank; ++i) {
      so += index[i] * sStrides[i];
      dO += index[i] * dStrides[i];
    }
    std::memcpy(d->data + dO * elementSize, s->data + so * elementSize,
                elementSize);
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++index[i] < sizes[i])
        break;
      index[i] = 0;
    }
  }
}

Status CpuModel::compile(ModuleOp module, const std::string &entry,
                         const CpuPipelineOptions &options, int64_t batch,
                         int64_t seqLen, std::unique_ptr<CpuModel> &out,
                         std::vector<std::string> &forms) {
  MLIRContext *ctx = module.getContext();
  OwningOpRef<ModuleOp> clone = module.clone();
  DiagnosticCapture diags(ctx);

  // Forms first, so they can be reported before they are lowered away.
  PassManager select(ctx);
  select.addNestedPass<func::FuncOp>(createDecomposeSsd());
  SelectFormOptions selectOptions;
  selectOptions.target = options.target;
  selectOptions.forceForm = options.forceForm;
  selectOptions.chunk = options.chunk;
  select.addNestedPass<func::FuncOp>(createSelectForm(selectOptions));
  if (failed(select.run(*clone)))
    return Status::error("form selection failed:\n" + diags.text);
  clone->walk(
      [&](sma::ContractOp op) { forms.push_back(formName(*op.getForm())); });
  // Optimizing costs about half a second of LLVM time, which pays from
  // about 10^8 flops of run (unoptimized code runs a few GFLOP/s slower).
  bool optimize = modelledFlops(*clone, batch, seqLen) > 1e8;

  auto result = std::make_unique<CpuModel>();
  result->entry = entry;
  auto func = clone->lookupSymbol<func::FuncOp>(entry);
  for (Type t : func.getResultTypes()) {
    auto type = dyn_cast<RankedTensorType>(t);
    if (!type)
      return Status::error("@" + entry +
                           ": every result must be a ranked "
                           "tensor");
    ref::DType dtype;
    SMC_REF_RETURN_IF_ERROR(toDType(type.getElementType(), dtype));
    result->results.push_back({dtype, type.getRank()});
  }

  PassManager pm(ctx);
  buildSmaToCpuPipeline(pm, options);
  if (failed(pm.run(*clone)))
    return Status::error("lowering to LLVM failed:\n" + diags.text);

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto tmBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!tmBuilder)
    return Status::error("cannot target the host: " +
                         llvm::toString(tmBuilder.takeError()));
  tmBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto tm = tmBuilder->createTargetMachine();
  if (!tm)
    return Status::error("cannot target the host: " +
                         llvm::toString(tm.takeError()));
  // -O3 with the host's vector width, so the inner loops vectorize.
  auto transformer = makeOptimizingTransformer(optimize ? 3 : 0, 0, tm->get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = optimize
                                         ? llvm::CodeGenOptLevel::Aggressive
                                         : llvm::CodeGenOptLevel::None;
  auto engine = ExecutionEngine::create(*clone, engineOptions);
  if (!engine)
    return Status::error("JIT compilation failed: " +
                         llvm::toString(engine.takeError()));
  result->engine = std::move(*engine);
  result->engine->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("memrefCopy")] = {
        llvm::orc::ExecutorAddr::fromPtr(&stridedMemrefCopy),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  out = std::move(result);
  return Status::success();
}

Status CpuModel::run(const std::vector<HostTensor> &inputs,
                     std::vector<HostTensor> &outputs) {
  // Packed convention: one pointer per LLVM argument (each memref expands to
  // allocated ptr, aligned ptr, offset, sizes, strides), then one pointer to
  // the returned struct of memref descriptors.
  std::vector<std::vector<int64_t>> fields;
  std::vector<void *> args;
  std::set<const void *> inputPtrs;
  for (const HostTensor &in : inputs) {
    auto &f = fields.emplace_back();
    auto ptr = reinterpret_cast<intptr_t>(in.bytes.data());
    inputPtrs.insert(in.bytes.data());
    f.push_back(ptr);
    f.push_back(ptr);
    f.push_back(0);
    int64_t stride = 1;
    std::vector<int64_t> strides(in.shape.size());
    for (size_t i = in.shape.size(); i-- > 0;) {
      strides[i] = stride;
      stride *= in.shape[i];
    }
    f.insert(f.end(), in.shape.begin(), in.shape.end());
    f.insert(f.end(), strides.begin(), strides.end());
  }
  for (auto &f : fields)
    for (int64_t &word : f)
      args.push_back(&word);
  size_t resultWords = 0;
  for (auto [dtype, rank] : results)
    resultWords += 3 + 2 * rank;
  std::vector<int64_t> resultStorage(resultWords);
  args.push_back(resultStorage.data());

  if (llvm::Error err = engine->invokePacked(entry, args))
    return Status::error("call failed: " + llvm::toString(std::move(err)));

  std::set<void *> freed;
  const int64_t *word = resultStorage.data();
  for (auto [dtype, rank] : results) {
    auto *allocated = reinterpret_cast<void *>(word[0]);
    auto *aligned = reinterpret_cast<uint8_t *>(word[1]);
    int64_t offset = word[2];
    HostTensor out{dtype, ref::Shape(word + 3, word + 3 + rank), {}};
    std::vector<int64_t> strides(word + 3 + rank, word + 3 + 2 * rank);
    size_t elem = ref::dtypeSize(dtype);
    int64_t count = ref::shapeNumel(out.shape);
    out.bytes.resize(count * elem);
    // Copy element by element in row-major order, honouring the strides.
    for (int64_t flat = 0; flat < count; ++flat) {
      int64_t rem = flat, src = offset;
      for (int64_t d = rank; d-- > 0;) {
        src += (rem % out.shape[d]) * strides[d];
        rem /= out.shape[d];
      }
      std::memcpy(out.bytes.data() + flat * elem, aligned + src * elem, elem);
    }
    // Results are owned by the caller unless they alias an input.
    if (allocated && !inputPtrs.count(allocated) &&
        freed.insert(allocated).second)
      std::free(allocated);
    outputs.push_back(std::move(out));
    word += 3 + 2 * rank;
  }
  return Status::success();
}
