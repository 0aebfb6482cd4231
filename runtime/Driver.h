//===- Driver.h - the CUDA driver, loaded at run time -----------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The runtime never links libcuda: it dlopens the driver library when a
/// device is first opened and resolves the cu* entry points it uses, so
/// everything builds and the non-GPU tests run on machines without a GPU or
/// driver. cuda.h is included for types only. The library is
/// "libcuda.so.1", or the path in the SMC_CUDA_DRIVER_LIB environment
/// variable (tests point it at a missing file to exercise the failure).
///
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_DRIVER_H
#define SMC_RUNTIME_DRIVER_H

#include "reference/Status.h"

#include <cuda.h>

#include <memory>
#include <string>

namespace smc::rt {

using ref::Status;

/// The entry points the runtime needs: X(member, exported symbol). The
/// members are named after the exported (versioned) symbols.
#define SMC_CUDA_DRIVER_FUNCTIONS(X)                                           \
  X(cuInit)                                                                    \
  X(cuDriverGetVersion)                                                        \
  X(cuGetErrorName)                                                            \
  X(cuGetErrorString)                                                          \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDeviceGetName)                                                           \
  X(cuDeviceGetAttribute)                                                      \
  X(cuDeviceTotalMem_v2)                                                       \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuDevicePrimaryCtxRelease_v2)                                              \
  X(cuCtxGetCurrent)                                                           \
  X(cuCtxSetCurrent)                                                           \
  X(cuCtxSynchronize)                                                          \
  X(cuModuleLoadDataEx)                                                        \
  X(cuModuleUnload)                                                            \
  X(cuModuleGetFunction)                                                       \
  X(cuFuncGetAttribute)                                                        \
  X(cuFuncSetAttribute)                                                        \
  X(cuLaunchKernel)                                                            \
  X(cuMemGetInfo_v2)                                                           \
  X(cuMemAlloc_v2)                                                             \
  X(cuMemFree_v2)                                                              \
  X(cuMemcpyHtoD_v2)                                                           \
  X(cuMemcpyDtoH_v2)                                                           \
  X(cuMemsetD8_v2)                                                             \
  X(cuStreamCreate)                                                            \
  X(cuStreamSynchronize)                                                       \
  X(cuStreamDestroy_v2)                                                        \
  X(cuEventCreate)                                                             \
  X(cuEventRecord)                                                             \
  X(cuEventSynchronize)                                                        \
  X(cuEventDestroy_v2)

/// The resolved driver entry points. Obtain the process-wide instance with
/// Driver::get.
class Driver {
public:
#define SMC_CUDA_DRIVER_MEMBER(name) decltype(&::name) name = nullptr;
  SMC_CUDA_DRIVER_FUNCTIONS(SMC_CUDA_DRIVER_MEMBER)
#undef SMC_CUDA_DRIVER_MEMBER
  /// cuEventElapsedTime_v2, or the unversioned one of older drivers.
  CUresult (*cuEventElapsedTime)(float *, CUevent, CUevent) = nullptr;
  /// Optional (drivers >= 12.4): lets a load check kernel signatures.
  CUresult (*cuFuncGetParamInfo)(CUfunction, size_t, size_t *,
                                 size_t *) = nullptr;

  /// Loads the driver library at `path`, resolves every entry point and
  /// calls cuInit. Errors start with "CUDA driver unavailable: ".
  static Status load(const std::string &path, std::unique_ptr<Driver> &out);

  /// The library get() loads: $SMC_CUDA_DRIVER_LIB or "libcuda.so.1".
  static std::string libraryPath();

  /// The process-wide driver for libraryPath(), loaded on first use; the
  /// outcome (success or error) is cached per path.
  static Status get(const Driver *&out);

  ~Driver();
  Driver(const Driver &) = delete;
  Driver &operator=(const Driver &) = delete;

  /// Success for CUDA_SUCCESS; otherwise "`what`: NAME: description".
  Status check(CUresult result, const std::string &what) const;

  /// The driver's CUDA version, e.g. 13000.
  int version() const { return driverVersion; }

  /// The library path it was loaded from.
  const std::string &path() const { return libraryName; }

private:
  Driver() = default;

  void *handle = nullptr;
  int driverVersion = 0;
  std::string libraryName;
};

} // namespace smc::rt

#endif // SMC_RUNTIME_DRIVER_H
