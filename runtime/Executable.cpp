//===- Executable.cpp - an artifact loaded onto a device ------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/Executable.h"

#include "runtime/Binding.h"
#include "runtime/LaunchArgs.h"

#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

using namespace smc;
using namespace smc::rt;

namespace {

/// Dynamic shared memory a kernel may use without opting in.
constexpr unsigned kDefaultSharedLimit = 48 * 1024;

std::string sizesToString(const std::vector<size_t> &sizes) {
  std::string text = "[";
  for (size_t i = 0; i < sizes.size(); ++i)
    text += fmt::format("{}{}", i ? "," : "", sizes[i]);
  return text + "]";
}

} // namespace

Status Executable::load(std::shared_ptr<const Artifact> artifact,
                        std::shared_ptr<Device> device,
                        std::unique_ptr<Executable> &out) {
  std::unique_ptr<Executable> exe(new Executable());
  exe->art = std::move(artifact);
  exe->dev = std::move(device);
  const char *sync = std::getenv("SMC_RUNTIME_SYNC");
  exe->syncEachLaunch = sync && *sync && std::strcmp(sync, "0") != 0;
  Device::Scope scope(*exe->dev);
  SMC_REF_RETURN_IF_ERROR(scope.status());
  SMC_REF_RETURN_IF_ERROR(exe->loadModules());
  SMC_REF_RETURN_IF_ERROR(exe->resolveKernels());
  SMC_REF_RETURN_IF_ERROR(exe->checkSignatures());
  out = std::move(exe);
  return Status::success();
}

Status Executable::loadFile(const std::string &path, int ordinal,
                            std::unique_ptr<Executable> &out) {
  auto artifact = std::make_shared<Artifact>();
  SMC_REF_RETURN_IF_ERROR(readArtifact(path, *artifact));
  std::shared_ptr<Device> device;
  SMC_REF_RETURN_IF_ERROR(Device::open(ordinal, device));
  return load(std::move(artifact), std::move(device), out);
}

Executable::~Executable() {
  if (!dev)
    return;
  Device::Scope scope(*dev);
  buffers.clear();
  for (CUmodule module : modules)
    dev->driver().cuModuleUnload(module);
}

Status Executable::loadModules() {
  const Artifact &a = *art;
  for (size_t i = 0; i < a.modules.size(); ++i) {
    const ModuleDecl &m = a.modules[i];
    std::string what =
        fmt::format("{}: module '{}' (line {}, {}, {} bytes)", a.path, m.name,
                    m.line, moduleFormatName(m.format), m.size);
    SMC_REF_RETURN_IF_ERROR(checkTargetCompatible(a.target, m.format,
                                                  dev->computeMajor(),
                                                  dev->computeMinor())
                                .withContext(what));
    // PTX must be NUL-terminated; copy cubins to aligned storage too.
    std::vector<uint64_t> image(m.size / 8 + 1, 0);
    std::memcpy(image.data(), a.moduleBytes(i), m.size);
    char errorLog[8192] = {};
    CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                              CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {errorLog,
                      reinterpret_cast<void *>(uintptr_t(sizeof(errorLog)))};
    CUmodule module = nullptr;
    CUresult result = dev->driver().cuModuleLoadDataEx(&module, image.data(), 2,
                                                       options, values);
    Status status =
        dev->check(result, fmt::format("{}: cuModuleLoadDataEx(module '{}')",
                                       a.path, m.name));
    if (!status.ok()) {
      std::string log(errorLog, strnlen(errorLog, sizeof(errorLog)));
      while (!log.empty() && (log.back() == '\n' || log.back() == '\0'))
        log.pop_back();
      return Status::error(status.message() +
                           fmt::format(" (line {}, {}, {} bytes)", m.line,
                                       moduleFormatName(m.format), m.size) +
                           (log.empty() ? "" : "; JIT log: " + log));
    }
    modules.push_back(module);
  }
  return Status::success();
}

Status Executable::resolveKernels() {
  const Artifact &a = *art;
  const Driver &api = dev->driver();
  for (size_t i = 0; i < a.kernels.size(); ++i) {
    const KernelDecl &k = a.kernels[i];
    Kernel kernel;
    std::string what =
        fmt::format("{}: kernel '{}' (line {}, symbol '{}' "
                    "in module '{}')",
                    a.path, k.name, k.line, k.symbol, a.modules[k.module].name);
    SMC_REF_RETURN_IF_ERROR(
        dev->check(api.cuModuleGetFunction(&kernel.function, modules[k.module],
                                           k.symbol.c_str()),
                   what + ": cuModuleGetFunction"));
    SMC_REF_RETURN_IF_ERROR(
        dev->check(api.cuFuncGetAttribute(&kernel.staticShared,
                                          CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES,
                                          kernel.function),
                   what + ": cuFuncGetAttribute(SHARED_SIZE_BYTES)"));
    kernels.push_back(kernel);
    if (std::optional<int64_t> shared = k.sharedBytes.constantValue()) {
      if (*shared < 0 || *shared > int64_t(UINT32_MAX))
        return Status::error(fmt::format("{}: shared memory size {} is out "
                                         "of range",
                                         what, *shared));
      SMC_REF_RETURN_IF_ERROR(ensureShared(i, unsigned(*shared)));
    }
  }
  return Status::success();
}

Status Executable::checkSignatures() const {
  const Driver &api = dev->driver();
  if (!api.cuFuncGetParamInfo)
    return Status::success();
  const Artifact &a = *art;
  std::vector<std::vector<size_t>> signatures(kernels.size());
  std::vector<bool> known(kernels.size(), false);
  for (size_t k = 0; k < kernels.size(); ++k) {
    for (size_t index = 0;; ++index) {
      size_t offset = 0, size = 0;
      CUresult result =
          api.cuFuncGetParamInfo(kernels[k].function, index, &offset, &size);
      if (result == CUDA_ERROR_INVALID_VALUE) {
        known[k] = true;
        break;
      }
      if (result != CUDA_SUCCESS)
        break; // Not supported for this kernel: skip the check.
      signatures[k].push_back(size);
    }
  }
  for (const EntryDecl &entry : a.entries) {
    for (size_t i = 0; i < entry.launches.size(); ++i) {
      const LaunchDecl &launch = entry.launches[i];
      if (!known[launch.kernel])
        continue;
      std::vector<size_t> passed = launchParamSizes(entry, launch);
      const std::vector<size_t> &taken = signatures[launch.kernel];
      if (passed != taken)
        return Status::error(fmt::format(
            "{}: {}: the kernel takes {} parameters of sizes {}, but the "
            "launch's args pass {} of sizes {}",
            a.path, describeLaunch(a, entry, i), taken.size(),
            sizesToString(taken), passed.size(), sizesToString(passed)));
    }
  }
  return Status::success();
}

Status Executable::ensureShared(size_t k, unsigned bytes) {
  Kernel &kernel = kernels[k];
  if (bytes <= kDefaultSharedLimit || bytes <= kernel.optedInShared)
    return Status::success();
  const KernelDecl &decl = art->kernels[k];
  int64_t limit = dev->maxSharedPerBlockOptin();
  if (int64_t(bytes) + kernel.staticShared > limit)
    return Status::error(fmt::format(
        "{}: kernel '{}' (line {}) needs {} bytes of dynamic shared memory "
        "plus {} static, more than the {} bytes a block of {} may use",
        art->path, decl.name, decl.line, bytes, kernel.staticShared, limit,
        dev->name()));
  SMC_REF_RETURN_IF_ERROR(dev->check(
      dev->driver().cuFuncSetAttribute(
          kernel.function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
          int(bytes)),
      fmt::format("{}: kernel '{}' (line {}): cuFuncSetAttribute("
                  "MAX_DYNAMIC_SHARED_SIZE_BYTES, {})",
                  art->path, decl.name, decl.line, bytes)));
  kernel.optedInShared = bytes;
  return Status::success();
}

Status Executable::outputShapes(const std::string &entry,
                                const std::vector<ref::Shape> &inputShapes,
                                std::vector<ref::Shape> &out) const {
  const EntryDecl *decl = nullptr;
  SMC_REF_RETURN_IF_ERROR(art->selectEntry(entry, decl));
  return inferOutputShapes(*decl, inputShapes, out);
}

Status Executable::outputShapes(const std::string &entry,
                                const std::vector<DeviceTensor> &inputs,
                                std::vector<ref::Shape> &out) const {
  std::vector<ref::Shape> shapes;
  for (const DeviceTensor &t : inputs)
    shapes.push_back(t.shape);
  return outputShapes(entry, shapes, out);
}

size_t Executable::cachedBufferBytes() const {
  std::lock_guard<std::mutex> lock(mutex);
  size_t total = 0;
  for (const auto &[key, list] : buffers)
    total += key.second * list.size();
  return total;
}

Status Executable::run(const std::string &entryName,
                       const std::vector<DeviceTensor> &inputs,
                       const std::vector<DeviceTensor> &outputs,
                       CUstream stream) {
  const Artifact &a = *art;
  const EntryDecl *entryPtr = nullptr;
  SMC_REF_RETURN_IF_ERROR(a.selectEntry(entryName, entryPtr));
  const EntryDecl &entry = *entryPtr;
  SymbolValues symbols;
  SMC_REF_RETURN_IF_ERROR(
      validateRun(entry, inputs, outputs, symbols)
          .withContext(a.path + ": entry '" + entry.name + "'"));

  std::lock_guard<std::mutex> lock(mutex);
  Device::Scope scope(*dev);
  SMC_REF_RETURN_IF_ERROR(scope.status());

  BoundTensors bound;
  for (const DeviceTensor &t : inputs) {
    bound.inputs.push_back(t.ptr);
    bound.inputShapes.push_back(t.shape);
  }
  for (const DeviceTensor &t : outputs) {
    bound.outputs.push_back(t.ptr);
    bound.outputShapes.push_back(t.shape);
  }
  std::map<size_t, size_t> usedOfSize;
  for (const TensorDecl &decl : entry.buffers) {
    ref::Shape shape;
    SMC_REF_RETURN_IF_ERROR(
        declaredShape(decl, symbols, shape)
            .withContext(a.path + ": entry '" + entry.name + "'"));
    size_t bytes = size_t(ref::shapeNumel(shape)) * ref::dtypeSize(decl.dtype);
    std::vector<DeviceBuffer> &pool = buffers[{stream, bytes}];
    size_t slot = usedOfSize[bytes]++;
    if (slot == pool.size()) {
      DeviceBuffer buffer;
      SMC_REF_RETURN_IF_ERROR(
          DeviceBuffer::allocate(dev, bytes, buffer)
              .withContext(fmt::format("{}: entry '{}': buffer '{}' {}", a.path,
                                       entry.name, decl.name,
                                       ref::shapeToString(shape))));
      pool.push_back(std::move(buffer));
    }
    bound.buffers.push_back(pool[slot].ptr());
    bound.bufferShapes.push_back(shape);
  }

  const Driver &api = dev->driver();
  std::vector<KernelParam> params;
  std::vector<int64_t> slots;
  std::vector<void *> pointers;
  for (size_t i = 0; i < entry.launches.size(); ++i) {
    const LaunchDecl &launch = entry.launches[i];
    LaunchConfig config;
    SMC_REF_RETURN_IF_ERROR(
        evaluateLaunchConfig(a, entry, i, symbols, config).withContext(a.path));
    if (config.empty())
      continue;
    SMC_REF_RETURN_IF_ERROR(ensureShared(launch.kernel, config.sharedBytes));
    SMC_REF_RETURN_IF_ERROR(
        buildLaunchParams(a, entry, i, symbols, bound, params)
            .withContext(a.path));
    slots.assign(params.size(), 0);
    pointers.resize(params.size());
    for (size_t p = 0; p < params.size(); ++p) {
      if (params[p].kind == KernelParam::Kind::I32) {
        int32_t value = int32_t(params[p].value);
        std::memcpy(&slots[p], &value, sizeof(value));
      } else {
        slots[p] = params[p].value;
      }
      pointers[p] = &slots[p];
    }
    std::string where = a.path + ": " + describeLaunch(a, entry, i);
    SMC_REF_RETURN_IF_ERROR(dev->check(
        api.cuLaunchKernel(kernels[launch.kernel].function, config.grid[0],
                           config.grid[1], config.grid[2], config.block[0],
                           config.block[1], config.block[2], config.sharedBytes,
                           stream, pointers.empty() ? nullptr : pointers.data(),
                           nullptr),
        fmt::format("{}: cuLaunchKernel(grid [{},{},{}], block [{},{},{}], "
                    "{} bytes shared)",
                    where, config.grid[0], config.grid[1], config.grid[2],
                    config.block[0], config.block[1], config.block[2],
                    config.sharedBytes)));
    if (syncEachLaunch)
      SMC_REF_RETURN_IF_ERROR(
          dev->check(api.cuStreamSynchronize(stream),
                     where + ": cuStreamSynchronize after the launch"));
  }
  return Status::success();
}
