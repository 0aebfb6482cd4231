//===- NpyFuzzer.cpp - libFuzzer target: the .npy reader ------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// Any bytes through parseNpy; a parsed tensor is written back and read
// again, which must give the same shape.
//
//===----------------------------------------------------------------------===//

#include "reference/Npy.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace smc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ref::Tensor tensor({0});
  ref::DType type;
  if (!ref::parseNpy(data, size, tensor, type).ok())
    return 0;
  std::vector<uint8_t> bytes;
  if (!ref::serializeNpy(tensor, type, bytes).ok())
    return 0;
  ref::Tensor again({0});
  ref::DType againType;
  if (!ref::parseNpy(bytes.data(), bytes.size(), again, againType).ok() ||
      again.shape() != tensor.shape())
    std::abort(); // A round trip must not lose the tensor.
  return 0;
}
