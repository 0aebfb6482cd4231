//===- InputFiles.cpp - inputs read from .npy files -----------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/front/InputFiles.h"

#include "reference/Npy.h"

#include <fmt/format.h>

#include <algorithm>

using namespace smc;
using namespace smc::front;

ref::Status front::readInputFiles(const std::vector<std::string> &items,
                                  const std::vector<InputSlot> &inputs,
                                  std::vector<ref::Tensor> &values) {
  using ref::Status;
  for (const std::string &item : items) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::error(
          fmt::format("--input expects NAME=FILE.npy, got '{}'", item));
    std::string name = item.substr(0, eq), path = item.substr(eq + 1);
    auto it = std::find_if(inputs.begin(), inputs.end(),
                           [&](const InputSlot &s) { return s.name == name; });
    if (it == inputs.end()) {
      std::string names;
      for (const InputSlot &s : inputs)
        names += (names.empty() ? "" : ", ") + s.name;
      return Status::error(
          fmt::format("--input: the model has no input named '{}' (inputs: {})",
                      name, names));
    }
    ref::DType fileType;
    ref::Tensor t;
    SMC_REF_RETURN_IF_ERROR(ref::readNpy(path, t, fileType, &it->shape));
    ref::roundTensorToDType(t, it->dtype);
    SMC_REF_RETURN_IF_ERROR(
        ref::checkInputDomain(t, it->kind)
            .withContext(fmt::format("--input {}: {} ({})", name, path,
                                     ref::inputKindName(it->kind))));
    values[size_t(it - inputs.begin())] = std::move(t);
  }
  return Status::success();
}
