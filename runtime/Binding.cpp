//===- Binding.cpp - symbols and argument checks of one run ---------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/Binding.h"

#include <fmt/format.h>
#include <tuple>

using namespace smc;
using namespace smc::rt;

namespace {

std::string listToString(const std::vector<int64_t> &values) {
  return ref::shapeToString(values);
}

/// Where the symbols came from, for shape messages.
std::string bindingNote(const EntryDecl &entry, const SymbolValues &symbols) {
  std::string note;
  const SymbolSource &b = entry.batchSource, &t = entry.lengthSource;
  if (b.input >= 0 && t.input == b.input)
    note = fmt::format("b={}, T={} from input '{}'", *symbols.b, *symbols.T,
                       entry.inputs[size_t(b.input)].name);
  else
    for (auto [name, source, value] :
         {std::tuple{"b", b, symbols.b}, std::tuple{"T", t, symbols.T}})
      if (source.input >= 0 && value)
        note +=
            fmt::format("{}{}={} from input '{}'", note.empty() ? "" : ", ",
                        name, *value, entry.inputs[size_t(source.input)].name);
  if (symbols.S) {
    if (!note.empty())
      note += ", ";
    if (entry.offsetsInput >= 0)
      note += fmt::format("S={} from input '{}'", *symbols.S,
                          entry.inputs[entry.offsetsInput].name);
    else
      note += fmt::format("S=b={}", *symbols.S);
  }
  return note.empty() ? "no symbols bound" : note;
}

std::string names(const std::vector<TensorDecl> &decls) {
  std::string text;
  for (const TensorDecl &d : decls)
    text += (text.empty() ? "" : ", ") + d.name;
  return text;
}

Status checkCount(const EntryDecl &entry, TensorRole role, size_t got) {
  const std::vector<TensorDecl> &decls = entry.tensors(role);
  if (decls.size() == got)
    return Status::success();
  return Status::error(fmt::format("entry '{}' takes {} {}s ({}), got {}",
                                   entry.name, decls.size(),
                                   tensorRoleName(role), names(decls), got));
}

} // namespace

std::vector<int64_t> rt::contiguousStrides(const ref::Shape &shape) {
  std::vector<int64_t> strides(shape.size());
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

Status rt::bindSymbols(const EntryDecl &entry,
                       const std::vector<ref::Shape> &inputShapes,
                       SymbolValues &symbols) {
  SMC_REF_RETURN_IF_ERROR(
      checkCount(entry, TensorRole::Input, inputShapes.size()));
  symbols = SymbolValues();
  for (auto [source, value] : {std::pair{entry.batchSource, &symbols.b},
                               std::pair{entry.lengthSource, &symbols.T}}) {
    if (source.input < 0)
      continue;
    const TensorDecl &decl = entry.inputs[size_t(source.input)];
    const ref::Shape &shape = inputShapes[size_t(source.input)];
    if (shape.size() != decl.rank())
      return Status::error(
          fmt::format("input '{}': expected rank {} ({}), got rank {} ({})",
                      decl.name, decl.rank(), dimsToString(decl.dims),
                      shape.size(), ref::shapeToString(shape)));
    *value = shape[size_t(source.dim)];
  }
  if (entry.offsetsInput >= 0) {
    const TensorDecl &decl = entry.inputs[entry.offsetsInput];
    const ref::Shape &shape = inputShapes[entry.offsetsInput];
    if (shape.size() != 1 || shape[0] < 1)
      return Status::error(fmt::format(
          "input '{}': offsets must be a rank-1 tensor of S+1 >= 1 elements, "
          "got {}",
          decl.name, ref::shapeToString(shape)));
    symbols.S = shape[0] - 1;
  } else {
    symbols.S = symbols.b;
  }
  return Status::success();
}

Status rt::declaredShape(const TensorDecl &decl, const SymbolValues &symbols,
                         ref::Shape &shape) {
  return evaluateDims(
      decl.dims, symbols,
      fmt::format("{} '{}'", tensorRoleName(decl.role), decl.name), shape);
}

Status rt::checkTensor(const EntryDecl &entry, const TensorDecl &decl,
                       const SymbolValues &symbols, ref::DType dtype,
                       const ref::Shape &shape,
                       const std::vector<int64_t> &strides) {
  std::string what =
      fmt::format("{} '{}'", tensorRoleName(decl.role), decl.name);
  if (dtype != decl.dtype)
    return Status::error(fmt::format("{}: expected {}, got {}", what,
                                     ref::dtypeName(decl.dtype),
                                     ref::dtypeName(dtype)));
  ref::Shape expected;
  SMC_REF_RETURN_IF_ERROR(declaredShape(decl, symbols, expected));
  if (shape != expected) {
    std::string how =
        decl.rank() == shape.size()
            ? ""
            : fmt::format(" (rank {}, not {})", decl.rank(), shape.size());
    return Status::error(
        fmt::format("{}: expected {}, got {}{} (dims {} with {})", what,
                    ref::shapeToString(expected), ref::shapeToString(shape),
                    how, dimsToString(decl.dims), bindingNote(entry, symbols)));
  }
  if (strides.empty())
    return Status::success();
  if (strides.size() != shape.size())
    return Status::error(fmt::format("{}: {} strides for rank {}", what,
                                     strides.size(), shape.size()));
  std::vector<int64_t> want = contiguousStrides(shape);
  if (ref::shapeNumel(shape) == 0)
    return Status::success();
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != 1 && strides[i] != want[i])
      return Status::error(fmt::format(
          "{}: strides {} are not contiguous row-major; expected {}", what,
          listToString(strides), listToString(want)));
  return Status::success();
}

Status rt::inferOutputShapes(const EntryDecl &entry,
                             const std::vector<ref::Shape> &inputShapes,
                             std::vector<ref::Shape> &outputShapes) {
  SymbolValues symbols;
  SMC_REF_RETURN_IF_ERROR(bindSymbols(entry, inputShapes, symbols));
  for (size_t i = 0; i < entry.inputs.size(); ++i) {
    ref::Shape expected;
    SMC_REF_RETURN_IF_ERROR(declaredShape(entry.inputs[i], symbols, expected));
    if (expected != inputShapes[i])
      return checkTensor(entry, entry.inputs[i], symbols, entry.inputs[i].dtype,
                         inputShapes[i], {});
  }
  outputShapes.clear();
  for (const TensorDecl &decl : entry.outputs) {
    ref::Shape shape;
    SMC_REF_RETURN_IF_ERROR(declaredShape(decl, symbols, shape));
    outputShapes.push_back(shape);
  }
  return Status::success();
}

namespace {

Status checkTensors(const EntryDecl &entry, TensorRole role,
                    const std::vector<DeviceTensor> &tensors,
                    const SymbolValues &symbols) {
  const std::vector<TensorDecl> &decls = entry.tensors(role);
  for (size_t i = 0; i < decls.size(); ++i) {
    const DeviceTensor &t = tensors[i];
    SMC_REF_RETURN_IF_ERROR(
        checkTensor(entry, decls[i], symbols, t.dtype, t.shape, t.strides));
    if (ref::shapeNumel(t.shape) == 0)
      continue;
    if (t.ptr == 0)
      return Status::error(fmt::format("{} '{}': null data pointer",
                                       tensorRoleName(role), decls[i].name));
    // Generated kernels move rows with 16-byte vector accesses.
    if (t.ptr % kTensorAlignment != 0)
      return Status::error(fmt::format(
          "{} '{}': data pointer {:#x} is not {}-byte aligned (the kernels "
          "use {}-byte vector accesses)",
          tensorRoleName(role), decls[i].name, uint64_t(t.ptr),
          kTensorAlignment, kTensorAlignment));
  }
  return Status::success();
}

} // namespace

Status rt::validateInputs(const EntryDecl &entry,
                          const std::vector<DeviceTensor> &inputs,
                          SymbolValues &symbols) {
  std::vector<ref::Shape> shapes;
  for (const DeviceTensor &t : inputs)
    shapes.push_back(t.shape);
  SMC_REF_RETURN_IF_ERROR(bindSymbols(entry, shapes, symbols));
  return checkTensors(entry, TensorRole::Input, inputs, symbols);
}

Status rt::validateRun(const EntryDecl &entry,
                       const std::vector<DeviceTensor> &inputs,
                       const std::vector<DeviceTensor> &outputs,
                       SymbolValues &symbols) {
  SMC_REF_RETURN_IF_ERROR(validateInputs(entry, inputs, symbols));
  SMC_REF_RETURN_IF_ERROR(
      checkCount(entry, TensorRole::Output, outputs.size()));
  return checkTensors(entry, TensorRole::Output, outputs, symbols);
}
