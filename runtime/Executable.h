//===- Executable.h - an artifact loaded onto a device ----------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// An Executable is an artifact whose modules are loaded on a Device, with
/// every kernel resolved, its shared memory opted in and, where the driver
/// can tell (>= 12.4), its parameter list checked against each launch's
/// `args`. run() checks the caller's tensors, binds b/T/S, allocates the
/// entry's intermediate buffers (cached across runs, per stream and size)
/// and launches every `launch` in order on the stream.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_EXECUTABLE_H
#define SMC_RUNTIME_EXECUTABLE_H

#include "runtime/Artifact.h"
#include "runtime/Device.h"
#include "runtime/DeviceTensor.h"

#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cuda.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace smc::rt {

/// A loaded artifact, ready to run. Runs may come from several threads; runs
/// on different streams get different intermediate buffers.
class Executable {
public:
  /// Loads `artifact`'s modules onto `device` and resolves its kernels.
  static Status load(std::shared_ptr<const Artifact> artifact,
                     std::shared_ptr<Device> device,
                     std::unique_ptr<Executable> &out);

  /// Reads the artifact at `path`, opens device `ordinal` and loads.
  static Status loadFile(const std::string &path, int ordinal,
                         std::unique_ptr<Executable> &out);

  ~Executable();
  Executable(const Executable &) = delete;
  Executable &operator=(const Executable &) = delete;

  const Artifact &artifact() const { return *art; }
  const std::shared_ptr<Device> &device() const { return dev; }

  /// The shapes the caller must allocate the outputs of `entry` with
  /// (empty entry name: the only entry).
  Status outputShapes(const std::string &entry,
                      const std::vector<ref::Shape> &inputShapes,
                      std::vector<ref::Shape> &out) const;
  Status outputShapes(const std::string &entry,
                      const std::vector<DeviceTensor> &inputs,
                      std::vector<ref::Shape> &out) const;

  /// Checks the tensors and enqueues the entry's launches on `stream`
  /// (asynchronous: synchronize the stream before reading the outputs).
  Status run(const std::string &entry, const std::vector<DeviceTensor> &inputs,
             const std::vector<DeviceTensor> &outputs, CUstream stream);

  /// Synchronizes the stream after every launch so an execution error
  /// names its launch (also enabled by SMC_RUNTIME_SYNC=1). Slow.
  void setSyncEachLaunch(bool enable) { syncEachLaunch = enable; }

  /// Bytes of intermediate buffers currently cached.
  size_t cachedBufferBytes() const;

private:
  struct Kernel {
    CUfunction function = nullptr;
    int staticShared = 0;       ///< CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES.
    unsigned optedInShared = 0; ///< Dynamic bytes allowed so far.
  };

  Executable() = default;
  Status loadModules();
  Status resolveKernels();
  Status checkSignatures() const;
  Status ensureShared(size_t kernel, unsigned bytes);

  std::shared_ptr<const Artifact> art;
  std::shared_ptr<Device> dev;
  std::vector<CUmodule> modules;
  std::vector<Kernel> kernels;
  bool syncEachLaunch = false;
  mutable std::mutex mutex;
  /// Intermediate buffers by (stream, bytes); a run uses the first n of a
  /// size when it needs n buffers of that size.
  std::map<std::pair<CUstream, size_t>, std::vector<DeviceBuffer>> buffers;
};

} // namespace smc::rt

#endif // SMC_RUNTIME_EXECUTABLE_H
