//===- Device.cpp - a GPU, its memory, streams and events -----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/Device.h"

#include <fmt/format.h>

using namespace smc;
using namespace smc::rt;

Status Device::open(int ordinal, std::shared_ptr<Device> &out) {
  const Driver *api = nullptr;
  SMC_REF_RETURN_IF_ERROR(Driver::get(api));
  int count = 0;
  SMC_REF_RETURN_IF_ERROR(
      api->check(api->cuDeviceGetCount(&count), "cuDeviceGetCount"));
  if (ordinal < 0 || ordinal >= count)
    return Status::error(fmt::format("CUDA device {} does not exist: {} "
                                     "device(s) present",
                                     ordinal, count));
  std::shared_ptr<Device> device(new Device());
  device->api = api;
  device->index = ordinal;
  std::string what = fmt::format("device {}", ordinal);
  SMC_REF_RETURN_IF_ERROR(api->check(api->cuDeviceGet(&device->handle, ordinal),
                                     "cuDeviceGet(" + what + ")"));
  char name[256] = {};
  SMC_REF_RETURN_IF_ERROR(
      api->check(api->cuDeviceGetName(name, sizeof(name) - 1, device->handle),
                 "cuDeviceGetName(" + what + ")"));
  device->deviceName = name;
  auto attribute = [&](CUdevice_attribute attr, const char *attrName,
                       int &value) {
    return api->check(
        api->cuDeviceGetAttribute(&value, attr, device->handle),
        fmt::format("cuDeviceGetAttribute({}, {})", what, attrName));
  };
  int l2 = 0, optin = 0;
  SMC_REF_RETURN_IF_ERROR(attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT,
                                    "MULTIPROCESSOR_COUNT", device->sms));
  SMC_REF_RETURN_IF_ERROR(
      attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                "COMPUTE_CAPABILITY_MAJOR", device->ccMajor));
  SMC_REF_RETURN_IF_ERROR(
      attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                "COMPUTE_CAPABILITY_MINOR", device->ccMinor));
  SMC_REF_RETURN_IF_ERROR(
      attribute(CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE, "L2_CACHE_SIZE", l2));
  SMC_REF_RETURN_IF_ERROR(
      attribute(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
                "MAX_SHARED_MEMORY_PER_BLOCK_OPTIN", optin));
  device->l2Bytes = l2;
  device->sharedOptin = optin;
  size_t total = 0;
  SMC_REF_RETURN_IF_ERROR(
      api->check(api->cuDeviceTotalMem_v2(&total, device->handle),
                 "cuDeviceTotalMem(" + what + ")"));
  device->totalBytes = int64_t(total);
  SMC_REF_RETURN_IF_ERROR(
      api->check(api->cuDevicePrimaryCtxRetain(&device->ctx, device->handle),
                 "cuDevicePrimaryCtxRetain(" + what + ")"));
  out = std::move(device);
  return Status::success();
}

Device::~Device() {
  if (ctx)
    api->cuDevicePrimaryCtxRelease_v2(handle);
}

std::string Device::describe() const {
  return fmt::format("{} (device {}, sm_{}{}, {} SMs, {} MiB L2, {} GiB)",
                     deviceName, index, ccMajor, ccMinor, sms, l2Bytes >> 20,
                     totalBytes >> 30);
}

Device::Scope::Scope(const Device &device) : device(device) {
  const Driver &api = device.driver();
  result = api.check(api.cuCtxGetCurrent(&previous), "cuCtxGetCurrent");
  if (!result.ok() || previous == device.context())
    return;
  result =
      api.check(api.cuCtxSetCurrent(device.context()),
                fmt::format("cuCtxSetCurrent(device {})", device.ordinal()));
  restore = result.ok();
}

Device::Scope::~Scope() {
  if (restore)
    device.driver().cuCtxSetCurrent(previous);
}

Status Device::memoryInfo(size_t &freeBytes, size_t &totalBytes) const {
  Scope scope(*this);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  return check(api->cuMemGetInfo_v2(&freeBytes, &totalBytes), "cuMemGetInfo");
}

Status Device::synchronize() const {
  Scope scope(*this);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  return check(api->cuCtxSynchronize(), "cuCtxSynchronize");
}

//===----------------------------------------------------------------------===//
// DeviceBuffer
//===----------------------------------------------------------------------===//

DeviceBuffer::~DeviceBuffer() { release(); }

DeviceBuffer::DeviceBuffer(DeviceBuffer &&other) noexcept
    : device(std::move(other.device)), address(other.address),
      bytes(other.bytes) {
  other.address = 0;
  other.bytes = 0;
}

DeviceBuffer &DeviceBuffer::operator=(DeviceBuffer &&other) noexcept {
  if (this != &other) {
    release();
    device = std::move(other.device);
    address = other.address;
    bytes = other.bytes;
    other.address = 0;
    other.bytes = 0;
  }
  return *this;
}

void DeviceBuffer::release() {
  if (address && device) {
    Device::Scope scope(*device);
    device->driver().cuMemFree_v2(address);
  }
  address = 0;
  bytes = 0;
}

Status DeviceBuffer::allocate(std::shared_ptr<Device> device, size_t bytes,
                              DeviceBuffer &out) {
  DeviceBuffer buffer;
  buffer.device = device;
  buffer.bytes = bytes;
  if (bytes) {
    Device::Scope scope(*device);
    SMC_REF_RETURN_IF_ERROR(scope.status());
    SMC_REF_RETURN_IF_ERROR(
        device->check(device->driver().cuMemAlloc_v2(&buffer.address, bytes),
                      fmt::format("cuMemAlloc({} bytes)", bytes)));
  }
  out = std::move(buffer);
  return Status::success();
}

Status DeviceBuffer::upload(const void *host, size_t offset,
                            size_t count) const {
  if (!count)
    return Status::success();
  if (offset > bytes || count > bytes - offset)
    return Status::error(fmt::format("upload of {} bytes at offset {} "
                                     "overruns a {}-byte buffer",
                                     count, offset, bytes));
  Device::Scope scope(*device);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  return device->check(
      device->driver().cuMemcpyHtoD_v2(address + offset, host, count),
      fmt::format("cuMemcpyHtoD({} bytes)", count));
}

Status DeviceBuffer::download(void *host, size_t offset, size_t count) const {
  if (!count)
    return Status::success();
  if (offset > bytes || count > bytes - offset)
    return Status::error(fmt::format("download of {} bytes at offset {} "
                                     "overruns a {}-byte buffer",
                                     count, offset, bytes));
  Device::Scope scope(*device);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  return device->check(
      device->driver().cuMemcpyDtoH_v2(host, address + offset, count),
      fmt::format("cuMemcpyDtoH({} bytes)", count));
}

Status DeviceBuffer::fill(uint8_t value) const {
  if (!bytes)
    return Status::success();
  Device::Scope scope(*device);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  return device->check(device->driver().cuMemsetD8_v2(address, value, bytes),
                       fmt::format("cuMemsetD8({} bytes)", bytes));
}

//===----------------------------------------------------------------------===//
// Stream and Event
//===----------------------------------------------------------------------===//

Status Stream::create(std::shared_ptr<Device> device,
                      std::unique_ptr<Stream> &out) {
  Device::Scope scope(*device);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  std::unique_ptr<Stream> stream(new Stream());
  stream->device = device;
  SMC_REF_RETURN_IF_ERROR(device->check(
      device->driver().cuStreamCreate(&stream->stream, CU_STREAM_NON_BLOCKING),
      "cuStreamCreate"));
  out = std::move(stream);
  return Status::success();
}

Stream::~Stream() {
  if (stream) {
    Device::Scope scope(*device);
    device->driver().cuStreamDestroy_v2(stream);
  }
}

Status Stream::synchronize() const {
  Device::Scope scope(*device);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  return device->check(device->driver().cuStreamSynchronize(stream),
                       "cuStreamSynchronize");
}

Status Event::create(std::shared_ptr<Device> device,
                     std::unique_ptr<Event> &out) {
  Device::Scope scope(*device);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  std::unique_ptr<Event> event(new Event());
  event->device = device;
  SMC_REF_RETURN_IF_ERROR(device->check(
      device->driver().cuEventCreate(&event->event, CU_EVENT_DEFAULT),
      "cuEventCreate"));
  out = std::move(event);
  return Status::success();
}

Event::~Event() {
  if (event) {
    Device::Scope scope(*device);
    device->driver().cuEventDestroy_v2(event);
  }
}

Status Event::record(CUstream stream) const {
  Device::Scope scope(*device);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  return device->check(device->driver().cuEventRecord(event, stream),
                       "cuEventRecord");
}

Status Event::synchronize() const {
  Device::Scope scope(*device);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  return device->check(device->driver().cuEventSynchronize(event),
                       "cuEventSynchronize");
}

Status Event::elapsedSince(const Event &start, float &ms) const {
  Device::Scope scope(*device);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  return device->check(
      device->driver().cuEventElapsedTime(&ms, start.event, event),
      "cuEventElapsedTime");
}
