//===- Device.h - a GPU, its memory, streams and events ---------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A Device is one GPU's primary context (the one PyTorch and the CUDA
/// runtime use), retained while it lives. Every call makes that context
/// current for its duration and then restores whatever the thread had, so
/// the runtime never changes a host framework's notion of the current
/// device. DeviceBuffer, Stream and Event are small owners of driver
/// objects. Nothing aborts: failures come back as Status.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_DEVICE_H
#define SMC_RUNTIME_DEVICE_H

#include "runtime/Driver.h"

#include "reference/Status.h"

#include <cuda.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace smc::rt {

/// One GPU (its primary context) and what the runtime needs to know of it.
class Device {
public:
  /// Loads the driver if needed and retains device `ordinal`'s primary
  /// context.
  static Status open(int ordinal, std::shared_ptr<Device> &out);

  ~Device();
  Device(const Device &) = delete;
  Device &operator=(const Device &) = delete;

  const Driver &driver() const { return *api; }
  int ordinal() const { return index; }
  CUcontext context() const { return ctx; }
  const std::string &name() const { return deviceName; }
  int smCount() const { return sms; }
  int computeMajor() const { return ccMajor; }
  int computeMinor() const { return ccMinor; }
  int64_t l2CacheBytes() const { return l2Bytes; }
  int64_t totalMemoryBytes() const { return totalBytes; }
  /// The most dynamic + static shared memory a block can opt in to.
  int64_t maxSharedPerBlockOptin() const { return sharedOptin; }

  /// "NVIDIA H200 (device 0, sm_90, 132 SMs, 80 MiB L2)".
  std::string describe() const;

  /// Makes the device's context current on this thread until destroyed,
  /// then restores the previous one.
  class Scope {
  public:
    explicit Scope(const Device &device);
    ~Scope();
    /// The outcome of making the context current.
    const Status &status() const { return result; }

  private:
    const Device &device;
    CUcontext previous = nullptr;
    bool restore = false;
    Status result;
  };

  /// Checks `result` with the device's driver.
  Status check(CUresult result, const std::string &what) const {
    return api->check(result, what);
  }

  /// Free and total device memory.
  Status memoryInfo(size_t &freeBytes, size_t &totalBytes) const;
  /// Waits for all work on the device's context.
  Status synchronize() const;

private:
  Device() = default;

  const Driver *api = nullptr;
  int index = 0;
  CUdevice handle = 0;
  CUcontext ctx = nullptr;
  std::string deviceName;
  int sms = 0, ccMajor = 0, ccMinor = 0;
  int64_t l2Bytes = 0, totalBytes = 0, sharedOptin = 0;
};

/// Device memory, freed when destroyed.
class DeviceBuffer {
public:
  DeviceBuffer() = default;
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer &&other) noexcept;
  DeviceBuffer &operator=(DeviceBuffer &&other) noexcept;

  /// Allocates `bytes` (a zero-byte buffer has a null pointer).
  static Status allocate(std::shared_ptr<Device> device, size_t bytes,
                         DeviceBuffer &out);

  CUdeviceptr ptr() const { return address; }
  size_t size() const { return bytes; }

  /// Copies `size()` bytes from the host (synchronous).
  Status upload(const void *host) const { return upload(host, 0, bytes); }
  /// Copies `count` bytes from the host to `offset` (synchronous).
  Status upload(const void *host, size_t offset, size_t count) const;
  /// Copies `size()` bytes to the host (synchronous).
  Status download(void *host) const { return download(host, 0, bytes); }
  /// Copies `count` bytes at `offset` to the host (synchronous).
  Status download(void *host, size_t offset, size_t count) const;
  /// Sets every byte to `value` (synchronous).
  Status fill(uint8_t value) const;

private:
  void release();

  std::shared_ptr<Device> device;
  CUdeviceptr address = 0;
  size_t bytes = 0;
};

/// A non-blocking stream, destroyed with its owner.
class Stream {
public:
  Stream() = default;
  ~Stream();
  Stream(const Stream &) = delete;
  Stream &operator=(const Stream &) = delete;

  static Status create(std::shared_ptr<Device> device,
                       std::unique_ptr<Stream> &out);

  CUstream handle() const { return stream; }
  Status synchronize() const;

private:
  std::shared_ptr<Device> device;
  CUstream stream = nullptr;
};

/// A timing event.
class Event {
public:
  Event() = default;
  ~Event();
  Event(const Event &) = delete;
  Event &operator=(const Event &) = delete;

  static Status create(std::shared_ptr<Device> device,
                       std::unique_ptr<Event> &out);

  /// Records the event on `stream`.
  Status record(CUstream stream) const;
  /// Waits for the recorded work.
  Status synchronize() const;
  /// Milliseconds from `start` to this event (both recorded and done).
  Status elapsedSince(const Event &start, float &ms) const;

private:
  std::shared_ptr<Device> device;
  CUevent event = nullptr;
};

} // namespace smc::rt

#endif // SMC_RUNTIME_DEVICE_H
