//===- Inputs.cpp - what each model input is and how to make it -----------===//

#include "tools/smc/Inputs.h"
#include "tools/front/Sizes.h"

#include "dialect/sma/SmaOps.h"
#include "reference/HostMemory.h"

#include <fmt/core.h>
#include <map>

using namespace mlir;
using namespace smc;

namespace {

/// How an argument's dims map to the model's sizes.
enum class Layout { BatchTime, States, Offsets, Heads, Unknown };

using ref::InputKind;

struct Role {
  std::string name, feeds;
  Layout layout = Layout::Unknown;
  InputKind kind = InputKind::Normal;
};

/// Reads the role of `arg` from the first sma op it feeds.
Role roleOf(BlockArgument arg) {
  for (OpOperand &use : arg.getUses()) {
    Operation *owner = use.getOwner();
    auto is = [&](Value v) { return v && v == arg; };
    if (auto ssd = dyn_cast<sma::SsdOp>(owner)) {
      bool softplus = ssd.getDtSoftplus();
      if (is(ssd.getX()))
        return {"x", "sma.ssd x", Layout::BatchTime};
      if (is(ssd.getDt()))
        return {"dt", "sma.ssd dt", Layout::BatchTime,
                softplus ? InputKind::DtRaw : InputKind::DtPositive};
      if (is(ssd.getA()))
        return {"A", "sma.ssd A", Layout::Heads, InputKind::ALog};
      if (is(ssd.getB()))
        return {"B", "sma.ssd B", Layout::BatchTime};
      if (is(ssd.getC()))
        return {"C", "sma.ssd C", Layout::BatchTime};
      if (is(ssd.getD()))
        return {"D", "sma.ssd D", Layout::Heads};
      if (is(ssd.getZ()))
        return {"z", "sma.ssd z", Layout::BatchTime};
      if (is(ssd.getDtBias()))
        return {"dt_bias", "sma.ssd dt_bias", Layout::Heads,
                softplus ? InputKind::DtBiasRaw : InputKind::DtBias};
      if (is(ssd.getInitState()))
        return {"init_state", "sma.ssd init", Layout::States};
      if (is(ssd.getCuSeqlens()))
        return {"cu_seqlens", "sma.ssd seqs", Layout::Offsets,
                InputKind::Offsets};
    }
    if (auto c = dyn_cast<sma::ContractOp>(owner)) {
      if (is(c.getC()))
        return {"C", "sma.contract C", Layout::BatchTime};
      if (is(c.getB()))
        return {"B", "sma.contract B", Layout::BatchTime};
      if (is(c.getX()))
        return {"X", "sma.contract X", Layout::BatchTime};
      if (is(c.getInitState()))
        return {"init_state", "sma.contract init", Layout::States};
      if (is(c.getCuSeqlens()))
        return {"cu_seqlens", "sma.contract seqs", Layout::Offsets,
                InputKind::Offsets};
    }
    if (isa<sma::DecayMaskOp>(owner))
      return {"log_decay", "sma.mask.decay", Layout::BatchTime,
              InputKind::LogDecay};
    if (isa<sma::CustomMaskOp>(owner))
      return {"mask_input", "sma.mask.custom", Layout::BatchTime,
              InputKind::Unit};
  }
  return {"", "no sma op", Layout::Unknown};
}

/// `type` as MLIR prints it.
std::string typeToString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

} // namespace

ref::Status smc::toDType(Type t, ref::DType &dtype) {
  if (t.isF32())
    dtype = ref::DType::F32;
  else if (t.isF16())
    dtype = ref::DType::F16;
  else if (t.isBF16())
    dtype = ref::DType::BF16;
  else if (t.isF64())
    dtype = ref::DType::F64;
  else if (t.isInteger(32))
    dtype = ref::DType::I32;
  else if (t.isInteger(64))
    dtype = ref::DType::I64;
  else
    return ref::Status::error("unsupported element type");
  return ref::Status::success();
}

ref::Status smc::describeInputs(func::FuncOp entry, ShapeChoice &choice,
                                std::vector<TensorSpec> &inputs) {
  // Results come back as host tensors: each must be a ranked tensor of an
  // element type the reference knows.
  for (auto [index, type] : llvm::enumerate(entry.getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    ref::DType dtype;
    if (!tensor || !toDType(tensor.getElementType(), dtype).ok())
      return ref::Status::error(fmt::format(
          "result {} of @{}: expected a ranked tensor of f64, f32, f16, bf16, "
          "i32 or i64, got {}",
          index, entry.getName().str(), typeToString(type)));
  }

  // First pass: what each argument is, and the static sizes it implies.
  std::vector<Role> roles;
  int64_t staticBatch = 0, staticLen = 0;
  for (BlockArgument arg : entry.getArguments()) {
    roles.push_back(roleOf(arg));
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type)
      return ref::Status::error(
          fmt::format("input {}: expected a ranked tensor, got {}",
                      arg.getArgNumber(), typeToString(arg.getType())));
    if (roles.back().layout == Layout::BatchTime && type.getRank() >= 2) {
      if (!type.isDynamicDim(0))
        staticBatch = type.getDimSize(0);
      if (!type.isDynamicDim(1))
        staticLen = type.getDimSize(1);
    }
  }

  // Resolve the sizes: flags, then static sizes, then defaults (shared with
  // smc-runner).
  bool packed = llvm::any_of(
      roles, [](const Role &r) { return r.layout == Layout::Offsets; });
  front::SizeModel sizeModel;
  sizeModel.packed = packed;
  sizeModel.staticBatch = staticBatch;
  sizeModel.staticLength = staticLen;
  front::Sizes sizes;
  SMC_REF_RETURN_IF_ERROR(front::resolveSizes(
      {choice.batch, choice.seqLen, choice.seqlens}, sizeModel, sizes));
  choice.batch = sizes.batch;
  choice.seqLen = sizes.seqLen;
  if (packed)
    choice.seqlens = sizes.seqlens;
  int64_t sequences = packed ? (int64_t)choice.seqlens->size() : *choice.batch;

  // Names are unique, as in an artifact: a second input of one role (a
  // backward reads C as keys and as values) is C1.
  std::map<std::string, int> seen;
  for (BlockArgument arg : entry.getArguments()) {
    const Role &role = roles[arg.getArgNumber()];
    auto type = cast<RankedTensorType>(arg.getType());
    TensorSpec spec;
    spec.name = role.name.empty() ? fmt::format("arg{}", arg.getArgNumber())
                                  : role.name;
    if (int n = seen[spec.name]++)
      spec.name += std::to_string(n);
    spec.role = role.feeds;
    spec.kind = role.kind;
    if (!toDType(type.getElementType(), spec.dtype).ok())
      return ref::Status::error(
          fmt::format("input {} ({}): unsupported element type",
                      arg.getArgNumber(), spec.name));
    for (int64_t i = 0; i < type.getRank(); ++i) {
      int64_t d = type.getDimSize(i);
      if (!ShapedType::isDynamic(d)) {
        spec.shape.push_back(d);
        continue;
      }
      if (role.layout == Layout::BatchTime && i < 2)
        d = i == 0 ? *choice.batch : *choice.seqLen;
      else if (role.layout == Layout::States && i == 0)
        d = sequences;
      else if (role.layout == Layout::Offsets && i == 0)
        d = sequences + 1;
      else
        return ref::Status::error(
            fmt::format("input {} ({}): cannot tell what dynamic dim {} means",
                        arg.getArgNumber(), spec.name, i));
      spec.shape.push_back(d);
    }
    if (role.layout == Layout::Offsets &&
        spec.shape[0] != (int64_t)choice.seqlens->size() + 1)
      return ref::Status::error(fmt::format(
          "input {} (cu_seqlens) has {} offsets, but {} sequences were asked "
          "for",
          arg.getArgNumber(), spec.shape[0], choice.seqlens->size()));
    inputs.push_back(spec);
  }
  return ref::Status::success();
}

ref::Status smc::describeSymbolicInputs(func::FuncOp entry,
                                        std::vector<SymbolicInput> &inputs) {
  std::map<std::string, int> seen;
  for (BlockArgument arg : entry.getArguments()) {
    Role role = roleOf(arg);
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type)
      return ref::Status::error(fmt::format(
          "input {}: expected a ranked tensor", arg.getArgNumber()));
    SymbolicInput in;
    in.name = role.name.empty() ? fmt::format("arg{}", arg.getArgNumber())
                                : role.name;
    if (int n = seen[in.name]++)
      in.name += std::to_string(n);
    in.kind = role.kind;
    if (!toDType(type.getElementType(), in.dtype).ok())
      return ref::Status::error(
          fmt::format("input {} ({}): unsupported element type",
                      arg.getArgNumber(), in.name));
    for (int64_t i = 0; i < type.getRank(); ++i) {
      if (!type.isDynamicDim(i)) {
        in.dims.push_back(std::to_string(type.getDimSize(i)));
        continue;
      }
      if (role.layout == Layout::BatchTime && i < 2)
        in.dims.push_back(i == 0 ? "b" : "T");
      else if (role.layout == Layout::States && i == 0)
        in.dims.push_back("S");
      else if (role.layout == Layout::Offsets && i == 0)
        in.dims.push_back("S+1");
      else
        return ref::Status::error(
            fmt::format("input {} ({}): cannot tell what dynamic dim {} means",
                        arg.getArgNumber(), in.name, i));
    }
    inputs.push_back(in);
  }
  return ref::Status::success();
}

ref::Tensor smc::makeInput(const TensorSpec &spec, const ShapeChoice &choice,
                           ref::Rng &rng) {
  if (spec.kind == InputKind::Offsets)
    return ref::makeOffsets(*choice.seqlens);
  ref::Tensor t(spec.shape);
  fillInput(t, ref::isFloatDType(spec.dtype) ? spec.dtype : ref::DType::F64,
            spec.kind, rng);
  return t;
}

ref::Status smc::checkHostMemory(const std::vector<TensorSpec> &inputs) {
  std::vector<std::pair<std::string, ref::Shape>> tensors;
  for (const TensorSpec &spec : inputs)
    tensors.push_back({spec.name, spec.shape});
  // Each element is held as a float64 value and as its packed copy.
  return ref::checkHostMemory(tensors, 16);
}
