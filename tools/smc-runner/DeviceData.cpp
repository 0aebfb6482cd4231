//===- DeviceData.cpp - device copies of a run's inputs and outputs -------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/smc-runner/DeviceData.h"

#include "reference/Pack.h"

#include <cstring>
#include <fmt/format.h>

using namespace smc;
using namespace smc::runner;

namespace {

constexpr size_t kAlignment = 256;

size_t alignUp(size_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

size_t tensorBytes(const ref::Shape &shape, ref::DType dtype) {
  return size_t(ref::shapeNumel(shape)) * ref::dtypeSize(dtype);
}

} // namespace

size_t runner::deviceSetBytes(const rt::EntryDecl &entry,
                              const std::vector<ref::Shape> &inputShapes,
                              const std::vector<ref::Shape> &outputShapes) {
  size_t total = 0;
  for (size_t i = 0; i < entry.inputs.size(); ++i)
    total += alignUp(tensorBytes(inputShapes[i], entry.inputs[i].dtype));
  for (size_t i = 0; i < entry.outputs.size(); ++i)
    total += alignUp(tensorBytes(outputShapes[i], entry.outputs[i].dtype));
  return std::max<size_t>(total, kAlignment);
}

Status
runner::makeDeviceSets(const std::shared_ptr<rt::Device> &device,
                       const rt::EntryDecl &entry,
                       const std::vector<ref::Shape> &inputShapes,
                       const std::vector<std::vector<uint8_t>> &inputBytes,
                       const std::vector<ref::Shape> &outputShapes,
                       size_t count, DeviceSets &sets) {
  sets = DeviceSets();
  sets.setBytes = deviceSetBytes(entry, inputShapes, outputShapes);
  // One set's image on the host: inputs, then outputs filled with 0xff.
  std::vector<uint8_t> image(sets.setBytes, 0);
  std::vector<size_t> inputOffsets;
  size_t offset = 0;
  for (size_t i = 0; i < entry.inputs.size(); ++i) {
    inputOffsets.push_back(offset);
    std::memcpy(image.data() + offset, inputBytes[i].data(),
                inputBytes[i].size());
    offset += alignUp(inputBytes[i].size());
  }
  for (size_t i = 0; i < entry.outputs.size(); ++i) {
    size_t bytes = tensorBytes(outputShapes[i], entry.outputs[i].dtype);
    sets.outputOffsets.push_back(offset);
    std::memset(image.data() + offset, 0xff, bytes);
    offset += alignUp(bytes);
  }
  SMC_REF_RETURN_IF_ERROR(
      rt::DeviceBuffer::allocate(device, sets.setBytes * count, sets.memory)
          .withContext(fmt::format("{} sets of inputs and outputs", count)));
  for (size_t s = 0; s < count; ++s) {
    size_t base = s * sets.setBytes;
    SMC_REF_RETURN_IF_ERROR(
        sets.memory.upload(image.data(), base, image.size()));
    std::vector<rt::DeviceTensor> inputs, outputs;
    for (size_t i = 0; i < entry.inputs.size(); ++i)
      inputs.push_back({sets.memory.ptr() + base + inputOffsets[i],
                        entry.inputs[i].dtype,
                        inputShapes[i],
                        {}});
    for (size_t i = 0; i < entry.outputs.size(); ++i)
      outputs.push_back({sets.memory.ptr() + base + sets.outputOffsets[i],
                         entry.outputs[i].dtype,
                         outputShapes[i],
                         {}});
    sets.inputs.push_back(std::move(inputs));
    sets.outputs.push_back(std::move(outputs));
  }
  return Status::success();
}

Status runner::downloadOutputs(const rt::EntryDecl &entry,
                               const DeviceSets &sets, size_t set,
                               std::vector<ref::Tensor> &outputs) {
  outputs.clear();
  for (size_t i = 0; i < entry.outputs.size(); ++i) {
    const rt::DeviceTensor &t = sets.outputs[set][i];
    std::vector<uint8_t> bytes(tensorBytes(t.shape, t.dtype));
    SMC_REF_RETURN_IF_ERROR(
        sets.memory
            .download(bytes.data(), set * sets.setBytes + sets.outputOffsets[i],
                      bytes.size())
            .withContext("output '" + entry.outputs[i].name + "'"));
    outputs.push_back(ref::unpackTensor(bytes.data(), t.dtype, t.shape));
  }
  return Status::success();
}
