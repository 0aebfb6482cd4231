//===- Inputs.cpp - shapes and values of an entry's inputs ----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/Inputs.h"

#include "tools/front/Check.h"
#include "tools/front/InputFiles.h"

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

Status runner::resolveShapes(const rt::EntryDecl &entry, const Options &options,
                             RunShapes &shapes) {
  shapes = RunShapes();
  bool packed = entry.offsetsInput >= 0;
  std::string offsetsName =
      packed ? entry.inputs[size_t(entry.offsetsInput)].name : "";
  front::SizeModel model;
  model.packed = packed;
  model.usesBatch = entry.uses(rt::Symbol::Batch);
  model.usesLength = entry.uses(rt::Symbol::Length);
  // A static batch: the dim before the first `T`.
  const rt::SymbolSource &t = entry.lengthSource;
  if (!model.usesBatch && t.input >= 0 && t.dim >= 1)
    if (std::optional<int64_t> batch =
            entry.inputs[size_t(t.input)].dims[0].constantValue())
      model.staticBatch = *batch;
  SMC_REF_RETURN_IF_ERROR(front::resolveSizes(
      {options.batch, options.seqLen, options.seqlens}, model, shapes));
  for (std::string &note : shapes.notes)
    note += fmt::format(" (entry '{}')", entry.name);
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
  std::vector<front::InputSlot> slots;
  for (size_t i = 0; i < entry.inputs.size(); ++i)
    slots.push_back({entry.inputs[i].name, entry.inputs[i].dtype,
                     entry.inputs[i].kind, shapes.inputShapes[i]});
  return front::readInputFiles(files, slots, values);
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
  std::vector<ref::DType> types;
  for (const auto *list : {&entry.inputs, &entry.outputs})
    for (const rt::TensorDecl &t : *list)
      types.push_back(t.dtype);
  return front::defaultTolerance(types);
}
