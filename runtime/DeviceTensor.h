//===- DeviceTensor.h - a tensor in device memory ---------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What a caller hands the runtime for each input and output: a device
/// pointer plus dtype, shape and strides. cuda.h is used for its types only;
/// nothing here calls the driver.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_DEVICETENSOR_H
#define SMC_RUNTIME_DEVICETENSOR_H

#include "reference/Tensor.h"

#include <cuda.h>

#include <cstdint>
#include <vector>

namespace smc::rt {

/// A tensor in device memory, owned by the caller.
struct DeviceTensor {
  CUdeviceptr ptr = 0;
  ref::DType dtype = ref::DType::F32;
  ref::Shape shape;
  /// Strides in elements; empty means contiguous row-major. Kernels read
  /// row-major contiguous data only, so other strides are rejected (strides
  /// of size-1 dims do not matter).
  std::vector<int64_t> strides;
};

} // namespace smc::rt

#endif // SMC_RUNTIME_DEVICETENSOR_H
