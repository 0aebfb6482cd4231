//===- Inputs.cpp - shapes and values of an entry's inputs ----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/Inputs.h"

#include "reference/Compare.h"
#include "reference/HostMemory.h"
#include "runtime/Binding.h"

#include "reference/InputKind.h"
#include "reference/Npy.h"
#include "reference/Pack.h"
#include "reference/Random.h"

#include <algorithm>
#include <fmt/format.h>

using namespace smc;
using namespace smc::runner;

std::string RunShapes::describe() const {
  std::string text = fmt::format("batch {}, length {}", batch, seqLen);
  if (!seqlens.empty())
    text += fmt::format(", {} packed sequences", seqlens.size());
  return text;
}

Status runner::resolveShapes(const rt::EntryDecl &entry, const Options &options,
                             RunShapes &shapes) {
  shapes = RunShapes();
  bool packed = entry.offsetsInput >= 0;
  std::string offsetsName =
      packed ? entry.inputs[size_t(entry.offsetsInput)].name : "";
  if (options.seqlens) {
    if (!packed)
      return Status::error(fmt::format(
          "--seqlens: entry '{}' has no offsets input, so it cannot pack "
          "sequences",
          entry.name));
    int64_t total = 0;
    for (int64_t length : *options.seqlens)
      total += length;
    if (options.batch && *options.batch != 1)
      return Status::error(fmt::format(
          "--seqlens packs sequences into batch 1, but --batch is {}",
          *options.batch));
    if (options.seqLen && *options.seqLen != total)
      return Status::error(
          fmt::format("--seqlen {} disagrees with the sum of --seqlens ({})",
                      *options.seqLen, total));
    shapes.batch = 1;
    shapes.seqLen = total;
    shapes.seqlens = *options.seqlens;
  } else {
    shapes.batch = options.batch.value_or(packed ? 1 : 2);
    shapes.seqLen = options.seqLen.value_or(64);
    if (packed) {
      if (shapes.batch != 1 && entry.uses(rt::Symbol::Batch))
        return Status::error(fmt::format(
            "entry '{}' packs sequences (offsets input '{}'): --batch must "
            "be 1",
            entry.name, offsetsName));
      int64_t t = shapes.seqLen;
      shapes.seqlens = {t / 2, 0, t - t / 2};
    }
  }
  // A static batch: the dim before the first `T` (for reports and token
  // counts).
  const rt::SymbolSource &t = entry.lengthSource;
  if (!entry.uses(rt::Symbol::Batch) && t.input >= 0 && t.dim >= 1)
    if (std::optional<int64_t> batch =
            entry.inputs[size_t(t.input)].dims[0].constantValue())
      shapes.batch = *batch;
  if (options.batch && !entry.uses(rt::Symbol::Batch))
    shapes.notes.push_back(fmt::format(
        "--batch has no effect: no shape of entry '{}' uses b", entry.name));
  if ((options.seqLen || options.seqlens) && !entry.uses(rt::Symbol::Length))
    shapes.notes.push_back(fmt::format(
        "--seqlen has no effect: no shape of entry '{}' uses T", entry.name));

  shapes.symbols.b = shapes.batch;
  shapes.symbols.T = shapes.seqLen;
  shapes.symbols.S = packed ? int64_t(shapes.seqlens.size()) : shapes.batch;
  for (const rt::TensorDecl &input : entry.inputs) {
    ref::Shape shape;
    SMC_REF_RETURN_IF_ERROR(rt::declaredShape(input, shapes.symbols, shape));
    shapes.inputShapes.push_back(shape);
  }
  if (packed) {
    const ref::Shape &s = shapes.inputShapes[size_t(entry.offsetsInput)];
    if (s != ref::Shape{int64_t(shapes.seqlens.size()) + 1})
      return Status::error(fmt::format(
          "offsets input '{}' has shape {} for {} sequences (dims {})",
          offsetsName, ref::shapeToString(s), shapes.seqlens.size(),
          rt::dimsToString(entry.inputs[size_t(entry.offsetsInput)].dims)));
  }
  return Status::success();
}

Status runner::prepareInputs(const rt::EntryDecl &entry, const Options &options,
                             const std::string &path, RunShapes &shapes,
                             std::vector<ref::Tensor> &values) {
  if (Status st = resolveShapes(entry, options, shapes); !st.ok())
    return Status::error(path + ": " + st.message());
  // Each input is made as float64 values, then packed: 16 bytes an element
  // at most, checked before anything is allocated.
  std::vector<std::pair<std::string, ref::Shape>> tensors;
  for (size_t i = 0; i < entry.inputs.size(); ++i)
    tensors.push_back({entry.inputs[i].name, shapes.inputShapes[i]});
  if (Status st = ref::checkHostMemory(tensors, 16); !st.ok())
    return Status::error(path + ": " + st.message());
  for (const std::string &note : shapes.notes)
    fmt::print(stderr, "smc-runner: note: {}\n", note);
  return makeInputs(entry, shapes, options.seed, options.inputs, values);
}

Status runner::makeInputs(const rt::EntryDecl &entry, const RunShapes &shapes,
                          uint64_t seed, const std::vector<std::string> &files,
                          std::vector<ref::Tensor> &values) {
  values.clear();
  ref::Rng rng(seed);
  for (size_t i = 0; i < entry.inputs.size(); ++i) {
    const rt::TensorDecl &decl = entry.inputs[i];
    if (decl.kind == ref::InputKind::Offsets) {
      values.push_back(ref::makeOffsets(shapes.seqlens));
      continue;
    }
    ref::Tensor t(shapes.inputShapes[i]);
    ref::fillInput(t,
                   ref::isFloatDType(decl.dtype) ? decl.dtype : ref::DType::F64,
                   decl.kind, rng);
    values.push_back(std::move(t));
  }
  for (const std::string &item : files) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::error("--input expects NAME=FILE.npy, got '" + item + "'");
    std::string name = item.substr(0, eq), path = item.substr(eq + 1);
    auto it =
        std::find_if(entry.inputs.begin(), entry.inputs.end(),
                     [&](const rt::TensorDecl &d) { return d.name == name; });
    if (it == entry.inputs.end()) {
      std::string names;
      for (const rt::TensorDecl &d : entry.inputs)
        names += (names.empty() ? "" : ", ") + d.name;
      return Status::error(fmt::format("--input: entry '{}' has no input "
                                       "named '{}' (inputs: {})",
                                       entry.name, name, names));
    }
    size_t index = size_t(it - entry.inputs.begin());
    ref::DType fileType;
    ref::Tensor t;
    SMC_REF_RETURN_IF_ERROR(
        ref::readNpy(path, t, fileType, &shapes.inputShapes[index]));
    ref::roundTensorToDType(t, it->dtype);
    values[index] = std::move(t);
  }
  return Status::success();
}

Status runner::packInputs(const rt::EntryDecl &entry,
                          const std::vector<ref::Tensor> &values,
                          std::vector<std::vector<uint8_t>> &bytes) {
  bytes.assign(values.size(), {});
  for (size_t i = 0; i < values.size(); ++i)
    SMC_REF_RETURN_IF_ERROR(
        ref::packTensor(values[i], entry.inputs[i].dtype, bytes[i])
            .withContext("input '" + entry.inputs[i].name + "'"));
  return Status::success();
}

double runner::defaultTolerance(const rt::EntryDecl &entry) {
  double tol = ref::defaultTolerance(ref::DType::F32);
  for (const auto *list : {&entry.inputs, &entry.outputs})
    for (const rt::TensorDecl &t : *list)
      tol = std::max(tol, ref::defaultTolerance(t.dtype));
  return tol;
}
