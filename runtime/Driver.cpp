//===- Driver.cpp - the CUDA driver, loaded at run time -------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/Driver.h"

#include <cstdlib>
#include <dlfcn.h>
#include <fmt/format.h>
#include <map>
#include <mutex>

using namespace smc;
using namespace smc::rt;

namespace {

constexpr const char *kUnavailable = "CUDA driver unavailable: ";

/// Resolves `name` into `fn`; false when the library lacks it.
template <typename Fn> bool resolve(void *handle, const char *name, Fn &fn) {
  fn = reinterpret_cast<Fn>(dlsym(handle, name));
  return fn != nullptr;
}

} // namespace

std::string Driver::libraryPath() {
  const char *env = std::getenv("SMC_CUDA_DRIVER_LIB");
  return env && *env ? env : "libcuda.so.1";
}

Status Driver::load(const std::string &path, std::unique_ptr<Driver> &out) {
  dlerror();
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    return Status::error(
        fmt::format("{}cannot load '{}': {} (is the NVIDIA driver installed? "
                    "SMC_CUDA_DRIVER_LIB overrides the library path)",
                    kUnavailable, path, why ? why : "unknown error"));
  }
  std::unique_ptr<Driver> driver(new Driver());
  driver->handle = handle;
  driver->libraryName = path;
#define SMC_CUDA_DRIVER_RESOLVE(name)                                          \
  if (!resolve(handle, #name, driver->name))                                   \
    return Status::error(fmt::format("{}'{}' lacks {}; the driver is too old", \
                                     kUnavailable, path, #name));
  SMC_CUDA_DRIVER_FUNCTIONS(SMC_CUDA_DRIVER_RESOLVE)
#undef SMC_CUDA_DRIVER_RESOLVE
  if (!resolve(handle, "cuEventElapsedTime_v2", driver->cuEventElapsedTime) &&
      !resolve(handle, "cuEventElapsedTime", driver->cuEventElapsedTime))
    return Status::error(
        fmt::format("{}'{}' lacks cuEventElapsedTime; the driver is too old",
                    kUnavailable, path));
  resolve(handle, "cuFuncGetParamInfo", driver->cuFuncGetParamInfo);

  SMC_REF_RETURN_IF_ERROR(driver->check(driver->cuInit(0), "cuInit")
                              .withContext("CUDA driver unavailable"));
  SMC_REF_RETURN_IF_ERROR(
      driver->check(driver->cuDriverGetVersion(&driver->driverVersion),
                    "cuDriverGetVersion"));
  out = std::move(driver);
  return Status::success();
}

Status Driver::get(const Driver *&out) {
  static std::mutex mutex;
  struct Loaded {
    std::unique_ptr<Driver> driver;
    Status status;
  };
  // Drivers are never unloaded: kernels and contexts may outlive any owner.
  static auto *loaded = new std::map<std::string, Loaded>();
  std::lock_guard<std::mutex> lock(mutex);
  std::string path = libraryPath();
  auto it = loaded->find(path);
  if (it == loaded->end()) {
    Loaded entry;
    entry.status = load(path, entry.driver);
    it = loaded->emplace(path, std::move(entry)).first;
  }
  if (!it->second.status.ok())
    return it->second.status;
  out = it->second.driver.get();
  return Status::success();
}

Driver::~Driver() {
  if (handle)
    dlclose(handle);
}

Status Driver::check(CUresult result, const std::string &what) const {
  if (result == CUDA_SUCCESS)
    return Status::success();
  const char *name = nullptr, *text = nullptr;
  if (cuGetErrorName)
    cuGetErrorName(result, &name);
  if (cuGetErrorString)
    cuGetErrorString(result, &text);
  std::string nameText =
      name ? std::string(name) : fmt::format("CUresult {}", int(result));
  return Status::error(fmt::format("{}: {}: {}", what, nameText,
                                   text ? text : "no description"));
}
