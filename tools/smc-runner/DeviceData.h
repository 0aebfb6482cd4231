//===- DeviceData.h - device copies of inputs and outputs -------*- C++ -*-===//
//-*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// DeviceSets holds `count` copies of one run's inputs and outputs in a
/// single allocation (each tensor 256-byte aligned), so the bench can rotate
/// among many sets without thousands of allocations. Outputs start as 0xff
/// bytes, a NaN in every float type, so an element a kernel never writes
/// fails the check.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_TOOLS_SMC_RUNNER_DEVICEDATA_H
#define SMC_TOOLS_SMC_RUNNER_DEVICEDATA_H

#include "runtime/Artifact.h"
#include "runtime/Device.h"
#include "runtime/DeviceTensor.h"

#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace smc::runner {

using ref::Status;

/// The bytes one set of inputs and outputs takes, alignment included.
size_t deviceSetBytes(const rt::EntryDecl &entry,
                      const std::vector<ref::Shape> &inputShapes,
                      const std::vector<ref::Shape> &outputShapes);

/// `count` sets of device inputs and outputs.
struct DeviceSets {
  rt::DeviceBuffer memory;
  size_t setBytes = 0;
  std::vector<std::vector<rt::DeviceTensor>> inputs, outputs; ///< Per set.
  std::vector<size_t> outputOffsets;                          ///< Within a set.

  size_t count() const { return inputs.size(); }
};

/// Allocates `count` sets, uploads `inputBytes` (packed in the inputs'
/// dtypes) into each and fills the outputs with 0xff.
Status makeDeviceSets(const std::shared_ptr<rt::Device> &device,
                      const rt::EntryDecl &entry,
                      const std::vector<ref::Shape> &inputShapes,
                      const std::vector<std::vector<uint8_t>> &inputBytes,
                      const std::vector<ref::Shape> &outputShapes, size_t count,
                      DeviceSets &sets);

/// Downloads and unpacks the outputs of set `set`.
Status downloadOutputs(const rt::EntryDecl &entry, const DeviceSets &sets,
                       size_t set, std::vector<ref::Tensor> &outputs);

} // namespace smc::runner

#endif // SMC_TOOLS_SMC_RUNNER_DEVICEDATA_H
