//===- CApi.cpp - C API of the smc GPU runtime ----------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/smc_runtime.h"

#include "runtime/Binding.h"
#include "runtime/Executable.h"

#include <exception>
#include <fmt/format.h>
#include <memory>
#include <string>

using namespace smc;
using namespace smc::rt;

struct smc_executable {
  std::shared_ptr<const Artifact> artifact;
  std::unique_ptr<Executable> executable; ///< Null without a device.
};

namespace {

thread_local std::string lastError;

int fail(int code, const std::string &message) {
  lastError = message;
  return code;
}

int failStatus(int code, const Status &status) {
  return status.ok() ? SMC_OK : fail(code, status.message());
}

/// Runs `body`, turning exceptions into SMC_ERROR_CUDA.
template <typename Fn> int guarded(Fn &&body) {
  try {
    lastError.clear();
    return body();
  } catch (const std::bad_alloc &) {
    return fail(SMC_ERROR_CUDA, "out of host memory");
  } catch (const std::exception &e) {
    return fail(SMC_ERROR_CUDA, std::string("internal error: ") + e.what());
  }
}

std::string entryName(const char *entry) { return entry ? entry : ""; }

Status toDeviceTensor(const smc_tensor &t, const std::string &what,
                      DeviceTensor &out) {
  if (t.dtype < SMC_DTYPE_F32 || t.dtype > SMC_DTYPE_I64)
    return Status::error(
        fmt::format("{}: unknown dtype code {}", what, t.dtype));
  if (t.rank < 0 || (t.rank > 0 && !t.shape))
    return Status::error(
        fmt::format("{}: invalid rank {} or null shape", what, t.rank));
  out.ptr = CUdeviceptr(reinterpret_cast<uintptr_t>(t.data));
  out.dtype = static_cast<ref::DType>(t.dtype);
  out.shape.assign(t.shape, t.shape + t.rank);
  for (int64_t d : out.shape)
    if (d < 0)
      return Status::error(fmt::format("{}: negative dim in {}", what,
                                       ref::shapeToString(out.shape)));
  out.strides.clear();
  if (t.strides)
    out.strides.assign(t.strides, t.strides + t.rank);
  return Status::success();
}

Status toDeviceTensors(int n, const smc_tensor *tensors, const char *role,
                       std::vector<DeviceTensor> &out) {
  if (n < 0 || (n > 0 && !tensors))
    return Status::error(
        fmt::format("invalid {} count {} or null array", role, n));
  out.resize(size_t(n));
  for (int i = 0; i < n; ++i)
    SMC_REF_RETURN_IF_ERROR(toDeviceTensor(
        tensors[i], fmt::format("{} {}", role, i), out[size_t(i)]));
  return Status::success();
}

Status findEntry(const smc_executable *exe, const char *entry,
                 const EntryDecl *&decl) {
  if (!exe)
    return Status::error("null executable");
  return exe->artifact->selectEntry(entryName(entry), decl);
}

/// Converts and checks a run's tensors as smc_run does.
Status checkAll(const smc_executable *exe, const char *entry, int nIn,
                const smc_tensor *in, int nOut, const smc_tensor *out,
                bool inputsOnly, std::vector<DeviceTensor> &inputs,
                std::vector<DeviceTensor> &outputs) {
  const EntryDecl *decl = nullptr;
  SMC_REF_RETURN_IF_ERROR(findEntry(exe, entry, decl));
  SMC_REF_RETURN_IF_ERROR(toDeviceTensors(nIn, in, "input", inputs));
  SymbolValues symbols;
  if (inputsOnly)
    return validateInputs(*decl, inputs, symbols);
  SMC_REF_RETURN_IF_ERROR(toDeviceTensors(nOut, out, "output", outputs));
  return validateRun(*decl, inputs, outputs, symbols);
}

} // namespace

extern "C" {

const char *smc_last_error(void) { return lastError.c_str(); }

int smc_executable_load(const char *path, int device_ordinal,
                        smc_executable **out) {
  return guarded([&] {
    if (!path || !out)
      return fail(SMC_ERROR_INVALID_ARGUMENT, "null path or output pointer");
    *out = nullptr;
    auto artifact = std::make_shared<Artifact>();
    if (Status st = readArtifact(path, *artifact); !st.ok())
      return fail(SMC_ERROR_ARTIFACT, st.message());
    auto exe = std::make_unique<smc_executable>();
    exe->artifact = artifact;
    if (device_ordinal != SMC_NO_DEVICE) {
      std::shared_ptr<Device> device;
      if (Status st = Device::open(device_ordinal, device); !st.ok())
        return fail(SMC_ERROR_CUDA, st.message());
      if (Status st = Executable::load(artifact, device, exe->executable);
          !st.ok())
        return fail(SMC_ERROR_CUDA, st.message());
    }
    *out = exe.release();
    return int(SMC_OK);
  });
}

void smc_executable_free(smc_executable *exe) { delete exe; }

int smc_entry_count(const smc_executable *exe, int *count) {
  if (!exe || !count)
    return fail(SMC_ERROR_INVALID_ARGUMENT, "null argument");
  *count = int(exe->artifact->entries.size());
  return SMC_OK;
}

int smc_entry_name(const smc_executable *exe, int index, const char **name) {
  if (!exe || !name)
    return fail(SMC_ERROR_INVALID_ARGUMENT, "null argument");
  const auto &entries = exe->artifact->entries;
  if (index < 0 || size_t(index) >= entries.size())
    return fail(SMC_ERROR_INVALID_ARGUMENT,
                fmt::format("entry index {} out of range (the artifact has "
                            "{} entries)",
                            index, entries.size()));
  *name = entries[size_t(index)].name.c_str();
  return SMC_OK;
}

int smc_entry_arity(const smc_executable *exe, const char *entry, int *n_inputs,
                    int *n_outputs) {
  return guarded([&] {
    const EntryDecl *decl = nullptr;
    if (Status st = findEntry(exe, entry, decl); !st.ok())
      return fail(SMC_ERROR_INVALID_ARGUMENT, st.message());
    if (n_inputs)
      *n_inputs = int(decl->inputs.size());
    if (n_outputs)
      *n_outputs = int(decl->outputs.size());
    return int(SMC_OK);
  });
}

int smc_entry_tensor(const smc_executable *exe, const char *entry,
                     int is_output, int index, const char **name, int *dtype,
                     int *rank) {
  return guarded([&] {
    const EntryDecl *decl = nullptr;
    if (Status st = findEntry(exe, entry, decl); !st.ok())
      return fail(SMC_ERROR_INVALID_ARGUMENT, st.message());
    const auto &list = is_output ? decl->outputs : decl->inputs;
    if (index < 0 || size_t(index) >= list.size())
      return fail(SMC_ERROR_INVALID_ARGUMENT,
                  fmt::format("{} index {} out of range (entry '{}' has {})",
                              is_output ? "output" : "input", index, decl->name,
                              list.size()));
    const TensorDecl &t = list[size_t(index)];
    if (name)
      *name = t.name.c_str();
    if (dtype)
      *dtype = int(t.dtype);
    if (rank)
      *rank = int(t.rank());
    return int(SMC_OK);
  });
}

int smc_output_shape(const smc_executable *exe, const char *entry, int n_inputs,
                     const smc_tensor *inputs, int output, int *rank,
                     int64_t *shape, int capacity) {
  return guarded([&] {
    const EntryDecl *decl = nullptr;
    if (Status st = findEntry(exe, entry, decl); !st.ok())
      return fail(SMC_ERROR_INVALID_ARGUMENT, st.message());
    std::vector<DeviceTensor> tensors;
    if (Status st = toDeviceTensors(n_inputs, inputs, "input", tensors);
        !st.ok())
      return fail(SMC_ERROR_INVALID_ARGUMENT, st.message());
    std::vector<ref::Shape> inShapes, outShapes;
    for (const DeviceTensor &t : tensors)
      inShapes.push_back(t.shape);
    if (Status st = inferOutputShapes(*decl, inShapes, outShapes); !st.ok())
      return fail(SMC_ERROR_INVALID_ARGUMENT, st.message());
    if (output < 0 || size_t(output) >= outShapes.size())
      return fail(SMC_ERROR_INVALID_ARGUMENT,
                  fmt::format("output index {} out of range (entry '{}' has "
                              "{})",
                              output, decl->name, outShapes.size()));
    const ref::Shape &s = outShapes[size_t(output)];
    if (!rank || (!s.empty() && !shape) || capacity < int(s.size()))
      return fail(SMC_ERROR_INVALID_ARGUMENT,
                  fmt::format("output '{}' has rank {}; the shape buffer "
                              "holds {}",
                              decl->outputs[size_t(output)].name, s.size(),
                              capacity));
    *rank = int(s.size());
    for (size_t i = 0; i < s.size(); ++i)
      shape[i] = s[i];
    return int(SMC_OK);
  });
}

int smc_check(const smc_executable *exe, const char *entry, int n_inputs,
              const smc_tensor *inputs, int n_outputs,
              const smc_tensor *outputs) {
  return guarded([&] {
    std::vector<DeviceTensor> in, out;
    return failStatus(SMC_ERROR_INVALID_ARGUMENT,
                      checkAll(exe, entry, n_inputs, inputs, n_outputs, outputs,
                               n_outputs == 0 && !outputs, in, out));
  });
}

int smc_run(smc_executable *exe, const char *entry, int n_inputs,
            const smc_tensor *inputs, int n_outputs, const smc_tensor *outputs,
            void *stream) {
  return guarded([&] {
    std::vector<DeviceTensor> in, out;
    if (Status st = checkAll(exe, entry, n_inputs, inputs, n_outputs, outputs,
                             /*inputsOnly=*/false, in, out);
        !st.ok())
      return fail(SMC_ERROR_INVALID_ARGUMENT, st.message());
    if (!exe->executable)
      return fail(SMC_ERROR_CUDA, exe->artifact->path +
                                      ": loaded without a device "
                                      "(SMC_NO_DEVICE); cannot run");
    return failStatus(SMC_ERROR_CUDA,
                      exe->executable->run(entryName(entry), in, out,
                                           static_cast<CUstream>(stream)));
  });
}

} // extern "C"
