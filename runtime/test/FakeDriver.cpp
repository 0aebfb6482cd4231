//===- FakeDriver.cpp - a CUDA driver that injects faults -----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// A stand-in for libcuda.so.1 (loaded through SMC_CUDA_DRIVER_LIB) so the
// runtime's fault paths run in CI, without a GPU. It has one device, "smc
// fake GPU" (sm_90), whose memory is host memory; modules load and kernels
// "run" without doing anything. SMC_FAKE_CUDA_FAULT names one fault:
//   init     cuInit fails (CUDA_ERROR_NO_DEVICE)
//   alloc    cuMemAlloc fails (CUDA_ERROR_OUT_OF_MEMORY)
//   load     cuModuleLoadDataEx fails (CUDA_ERROR_NO_BINARY_FOR_GPU)
//   arch     the device is sm_80, so an sm_90 artifact is for another GPU
//   context  cuCtxSetCurrent fails (CUDA_ERROR_INVALID_CONTEXT), as for a
//            context that is not this device's
//   launch   cuLaunchKernel fails (CUDA_ERROR_LAUNCH_FAILED)
//   sync     the stream synchronize after a launch fails
//            (CUDA_ERROR_ILLEGAL_ADDRESS)
// A test passes when the runtime reports the fault and nothing crashes.
//
//===----------------------------------------------------------------------===//

#include <cuda.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

bool fault(const char *name) {
  const char *f = std::getenv("SMC_FAKE_CUDA_FAULT");
  return f && std::strcmp(f, name) == 0;
}

/// Distinct non-null handles: the addresses of these objects.
int contextObject, otherContextObject, moduleObject, functionObject,
    streamObject, eventObject;

CUcontext current = nullptr;

} // namespace

extern "C" {

CUresult CUDAAPI cuInit(unsigned int) {
  return fault("init") ? CUDA_ERROR_NO_DEVICE : CUDA_SUCCESS;
}

CUresult CUDAAPI cuDriverGetVersion(int *version) {
  *version = 13000;
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuGetErrorName(CUresult error, const char **text) {
  switch (error) {
  case CUDA_ERROR_NO_DEVICE:
    *text = "CUDA_ERROR_NO_DEVICE";
    return CUDA_SUCCESS;
  case CUDA_ERROR_OUT_OF_MEMORY:
    *text = "CUDA_ERROR_OUT_OF_MEMORY";
    return CUDA_SUCCESS;
  case CUDA_ERROR_NO_BINARY_FOR_GPU:
    *text = "CUDA_ERROR_NO_BINARY_FOR_GPU";
    return CUDA_SUCCESS;
  case CUDA_ERROR_INVALID_CONTEXT:
    *text = "CUDA_ERROR_INVALID_CONTEXT";
    return CUDA_SUCCESS;
  case CUDA_ERROR_LAUNCH_FAILED:
    *text = "CUDA_ERROR_LAUNCH_FAILED";
    return CUDA_SUCCESS;
  case CUDA_ERROR_ILLEGAL_ADDRESS:
    *text = "CUDA_ERROR_ILLEGAL_ADDRESS";
    return CUDA_SUCCESS;
  default:
    *text = nullptr;
    return CUDA_ERROR_INVALID_VALUE;
  }
}

CUresult CUDAAPI cuGetErrorString(CUresult error, const char **text) {
  CUresult r = cuGetErrorName(error, text);
  if (r == CUDA_SUCCESS)
    *text = "injected by the fake driver (SMC_FAKE_CUDA_FAULT)";
  return r;
}

CUresult CUDAAPI cuDeviceGetCount(int *count) {
  *count = 1;
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDeviceGet(CUdevice *device, int ordinal) {
  if (ordinal != 0)
    return CUDA_ERROR_INVALID_DEVICE;
  *device = 0;
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDeviceGetName(char *name, int len, CUdevice) {
  std::strncpy(name, "smc fake GPU", size_t(len));
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDeviceGetAttribute(int *value, CUdevice_attribute attr,
                                      CUdevice) {
  switch (attr) {
  case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT:
    *value = 132;
    break;
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR:
    *value = fault("arch") ? 8 : 9;
    break;
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR:
    *value = 0;
    break;
  case CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE:
    *value = 50 << 20;
    break;
  case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN:
    *value = 232448;
    break;
  default:
    *value = 0;
  }
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDeviceTotalMem(size_t *bytes, CUdevice) {
  *bytes = size_t(80) << 30;
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDevicePrimaryCtxRetain(CUcontext *ctx, CUdevice) {
  *ctx = reinterpret_cast<CUcontext>(&contextObject);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuDevicePrimaryCtxRelease(CUdevice) { return CUDA_SUCCESS; }

CUresult CUDAAPI cuCtxGetCurrent(CUcontext *ctx) {
  // Another context is current, as in a process that made its own.
  *ctx = current ? current : reinterpret_cast<CUcontext>(&otherContextObject);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuCtxSetCurrent(CUcontext ctx) {
  if (fault("context"))
    return CUDA_ERROR_INVALID_CONTEXT;
  current = ctx;
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuCtxSynchronize(void) { return CUDA_SUCCESS; }

CUresult CUDAAPI cuModuleLoadDataEx(CUmodule *module, const void *, unsigned,
                                    CUjit_option *, void **) {
  if (fault("load") || fault("arch"))
    return CUDA_ERROR_NO_BINARY_FOR_GPU;
  *module = reinterpret_cast<CUmodule>(&moduleObject);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuModuleUnload(CUmodule) { return CUDA_SUCCESS; }

CUresult CUDAAPI cuModuleGetFunction(CUfunction *function, CUmodule,
                                     const char *) {
  *function = reinterpret_cast<CUfunction>(&functionObject);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuFuncGetAttribute(int *value, CUfunction_attribute attr,
                                    CUfunction) {
  *value = attr == CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK ? 1024 : 0;
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuFuncSetAttribute(CUfunction, CUfunction_attribute, int) {
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuLaunchKernel(CUfunction, unsigned, unsigned, unsigned,
                                unsigned, unsigned, unsigned, unsigned,
                                CUstream, void **, void **) {
  return fault("launch") ? CUDA_ERROR_LAUNCH_FAILED : CUDA_SUCCESS;
}

CUresult CUDAAPI cuMemGetInfo(size_t *freeBytes, size_t *totalBytes) {
  *totalBytes = size_t(80) << 30;
  *freeBytes = fault("alloc") ? 0 : *totalBytes;
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuMemAlloc(CUdeviceptr *ptr, size_t bytes) {
  if (fault("alloc"))
    return CUDA_ERROR_OUT_OF_MEMORY;
  void *p = std::calloc(bytes ? bytes : 1, 1);
  if (!p)
    return CUDA_ERROR_OUT_OF_MEMORY;
  *ptr = CUdeviceptr(reinterpret_cast<uintptr_t>(p));
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuMemFree(CUdeviceptr ptr) {
  std::free(reinterpret_cast<void *>(uintptr_t(ptr)));
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuMemcpyHtoD(CUdeviceptr dst, const void *src, size_t bytes) {
  std::memcpy(reinterpret_cast<void *>(uintptr_t(dst)), src, bytes);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuMemcpyDtoH(void *dst, CUdeviceptr src, size_t bytes) {
  std::memcpy(dst, reinterpret_cast<void *>(uintptr_t(src)), bytes);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuMemsetD8(CUdeviceptr dst, unsigned char value, size_t n) {
  std::memset(reinterpret_cast<void *>(uintptr_t(dst)), value, n);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuStreamCreate(CUstream *stream, unsigned) {
  *stream = reinterpret_cast<CUstream>(&streamObject);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuStreamSynchronize(CUstream) {
  return fault("sync") ? CUDA_ERROR_ILLEGAL_ADDRESS : CUDA_SUCCESS;
}

CUresult CUDAAPI cuStreamDestroy(CUstream) { return CUDA_SUCCESS; }

CUresult CUDAAPI cuEventCreate(CUevent *event, unsigned) {
  *event = reinterpret_cast<CUevent>(&eventObject);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuEventRecord(CUevent, CUstream) { return CUDA_SUCCESS; }

CUresult CUDAAPI cuEventSynchronize(CUevent) { return CUDA_SUCCESS; }

CUresult CUDAAPI cuEventDestroy(CUevent) { return CUDA_SUCCESS; }

CUresult CUDAAPI cuEventElapsedTime(float *ms, CUevent, CUevent) {
  *ms = 1.0f;
  return CUDA_SUCCESS;
}

} // extern "C"
