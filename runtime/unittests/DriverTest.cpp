//===- DriverTest.cpp - loading the driver, with or without a GPU ---------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// These tests pass on machines without a driver (CI) and with one: a missing
// library is forced through SMC_CUDA_DRIVER_LIB, and tests that use the
// default driver accept either outcome but check the message.
//
//===----------------------------------------------------------------------===//

#include "runtime/Driver.h"
#include "runtime/Device.h"
#include "runtime/Executable.h"

#include "runtime/unittests/TestArtifacts.h"

#include <cstdlib>
#include <gtest/gtest.h>

using namespace smc;
using namespace smc::rt;
using namespace smc::rt::test;

namespace {

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

/// Sets SMC_CUDA_DRIVER_LIB for one scope.
class DriverOverride {
public:
  explicit DriverOverride(const char *path) {
    if (const char *old = std::getenv("SMC_CUDA_DRIVER_LIB"))
      previous = old;
    setenv("SMC_CUDA_DRIVER_LIB", path, 1);
  }
  ~DriverOverride() {
    if (previous.empty())
      unsetenv("SMC_CUDA_DRIVER_LIB");
    else
      setenv("SMC_CUDA_DRIVER_LIB", previous.c_str(), 1);
  }

private:
  std::string previous;
};

constexpr const char *kMissing = "/nonexistent/smc/libcuda.so.1";

TEST(Driver, MissingLibrary) {
  std::unique_ptr<Driver> driver;
  Status st = Driver::load(kMissing, driver);
  ASSERT_FALSE(st.ok());
  EXPECT_FALSE(driver);
  EXPECT_TRUE(contains(st.message(), "CUDA driver unavailable: cannot load "
                                     "'/nonexistent/smc/libcuda.so.1': "))
      << st.message();
  EXPECT_TRUE(contains(st.message(), "No such file or directory"))
      << st.message();
}

TEST(Driver, LibraryWithoutEntryPoints) {
  std::unique_ptr<Driver> driver;
  Status st = Driver::load("libm.so.6", driver);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "CUDA driver unavailable: 'libm.so.6' lacks "
                          "cuInit; the driver is too old");
}

TEST(Driver, EnvironmentOverride) {
  DriverOverride override(kMissing);
  EXPECT_EQ(Driver::libraryPath(), kMissing);
  const Driver *driver = nullptr;
  Status st = Driver::get(driver);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(contains(st.message(), "CUDA driver unavailable: cannot load "
                                     "'/nonexistent/smc/libcuda.so.1'"));
  // The failure is cached and reported again, never aborting.
  Status again = Driver::get(driver);
  EXPECT_EQ(again.message(), st.message());
  std::shared_ptr<Device> device;
  st = Device::open(0, device);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(contains(st.message(), "CUDA driver unavailable"));
}

TEST(Driver, DefaultLibraryEitherWay) {
  EXPECT_EQ(Driver::libraryPath(), std::getenv("SMC_CUDA_DRIVER_LIB")
                                       ? std::getenv("SMC_CUDA_DRIVER_LIB")
                                       : "libcuda.so.1");
  const Driver *driver = nullptr;
  Status st = Driver::get(driver);
  if (st.ok()) {
    EXPECT_GE(driver->version(), 1000);
    Status err = driver->check(CUDA_ERROR_INVALID_IMAGE, "cuModuleLoadData");
    EXPECT_EQ(err.message(), "cuModuleLoadData: CUDA_ERROR_INVALID_IMAGE: "
                             "device kernel image is invalid");
  } else {
    EXPECT_TRUE(contains(st.message(), "CUDA driver unavailable: "))
        << st.message();
  }
}

TEST(Executable, BadBlobWithoutDriver) {
  DriverOverride override(kMissing);
  std::unique_ptr<Executable> exe;
  Status st = Executable::loadFile(
      std::string(SMC_RUNTIME_TEST_DIR) + "/ssd.smca", 0, exe);
  ASSERT_FALSE(st.ok());
  EXPECT_FALSE(exe);
  EXPECT_TRUE(contains(st.message(), "CUDA driver unavailable: cannot load"))
      << st.message();
}

TEST(Executable, BadBlobWithDefaultDriver) {
  // No driver: "CUDA driver unavailable"; no GPU: cuInit or device 0
  // missing; a GPU: the placeholder module does not load.
  std::unique_ptr<Executable> exe;
  Status st = Executable::loadFile(
      std::string(SMC_RUNTIME_TEST_DIR) + "/ssd.smca", 0, exe);
  ASSERT_FALSE(st.ok());
  const std::string &m = st.message();
  EXPECT_TRUE(contains(m, "CUDA driver unavailable") ||
              contains(m, "does not exist") ||
              contains(m, "cuModuleLoadDataEx(module 'm0')") ||
              contains(m, "the artifact targets sm_90a"))
      << m;
}

TEST(Executable, MalformedArtifactFailsBeforeTheDriver) {
  DriverOverride override(kMissing);
  std::unique_ptr<Executable> exe;
  Status st = Executable::loadFile(
      std::string(SMC_RUNTIME_TEST_DIR) + "/bad-directive.smca", 0, exe);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(contains(st.message(), "bad-directive.smca:5: unknown "
                                     "directive 'kernal'"))
      << st.message();
}

} // namespace
