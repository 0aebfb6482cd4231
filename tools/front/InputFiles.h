//===- InputFiles.h - inputs read from .npy files ---------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `--input NAME=FILE.npy` for both tools: the file must have the input's
/// shape, its values are rounded through the input's dtype and must lie in
/// the domain of the input's kind (finite; log-decays <= 0, ...), so a bad
/// file is an error before anything runs, not a silently wrong output.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_TOOLS_FRONT_INPUTFILES_H
#define SMC_TOOLS_FRONT_INPUTFILES_H

#include "reference/InputKind.h"
#include "reference/Status.h"
#include "reference/Tensor.h"

#include <string>
#include <vector>

namespace smc::front {

/// One input a file may replace.
struct InputSlot {
  std::string name;
  ref::DType dtype;
  ref::InputKind kind;
  ref::Shape shape;
};

/// Replaces `values[i]` by the file named for `inputs[i]` in `items`
/// ("NAME=FILE.npy" each). An unknown name lists the valid ones.
ref::Status readInputFiles(const std::vector<std::string> &items,
                           const std::vector<InputSlot> &inputs,
                           std::vector<ref::Tensor> &values);

} // namespace smc::front

#endif // SMC_TOOLS_FRONT_INPUTFILES_H
