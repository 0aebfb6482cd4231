//===- LaunchArgs.cpp - kernel parameters and launch sizes ----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "runtime/LaunchArgs.h"

#include "runtime/Binding.h"

#include <fmt/format.h>

using namespace smc;
using namespace smc::rt;

CUdeviceptr BoundTensors::pointer(TensorRef ref) const {
  switch (ref.role) {
  case TensorRole::Input:
    return inputs[ref.index];
  case TensorRole::Output:
    return outputs[ref.index];
  case TensorRole::Buffer:
    break;
  }
  return buffers[ref.index];
}

const ref::Shape &BoundTensors::shape(TensorRef ref) const {
  switch (ref.role) {
  case TensorRole::Input:
    return inputShapes[ref.index];
  case TensorRole::Output:
    return outputShapes[ref.index];
  case TensorRole::Buffer:
    break;
  }
  return bufferShapes[ref.index];
}

std::string rt::describeLaunch(const Artifact &artifact, const EntryDecl &entry,
                               size_t launchIndex) {
  const LaunchDecl &launch = entry.launches[launchIndex];
  const KernelDecl &kernel = artifact.kernels[launch.kernel];
  return fmt::format("entry '{}', launch {} (line {}, kernel '{}', symbol "
                     "'{}')",
                     entry.name, launchIndex, launch.line, kernel.name,
                     kernel.symbol);
}

std::vector<size_t> rt::launchParamSizes(const EntryDecl &entry,
                                         const LaunchDecl &launch) {
  std::vector<size_t> sizes;
  for (const LaunchArg &arg : launch.args) {
    switch (arg.kind) {
    case ArgKind::Ptr:
    case ArgKind::I64:
      sizes.push_back(8);
      break;
    case ArgKind::I32:
      sizes.push_back(4);
      break;
    case ArgKind::Memref:
      sizes.insert(sizes.end(), 3 + 2 * entry.tensor(arg.tensor).rank(), 8);
      break;
    }
  }
  return sizes;
}

Status rt::evaluateLaunchConfig(const Artifact &artifact,
                                const EntryDecl &entry, size_t launchIndex,
                                const SymbolValues &symbols,
                                LaunchConfig &config) {
  const LaunchDecl &launch = entry.launches[launchIndex];
  auto where = [&] { return describeLaunch(artifact, entry, launchIndex); };
  std::array<int64_t, 3> grid, block;
  for (int i = 0; i < 3; ++i) {
    SMC_REF_RETURN_IF_ERROR(
        launch.grid[i].evaluate(symbols, grid[i]).withContext(where()));
    SMC_REF_RETURN_IF_ERROR(
        launch.block[i].evaluate(symbols, block[i]).withContext(where()));
  }
  auto show = [&](const std::array<Expr, 3> &e,
                  const std::array<int64_t, 3> &v) {
    return fmt::format("[{},{},{}] ({} {} {} with {})", v[0], v[1], v[2],
                       e[0].text(), e[1].text(), e[2].text(),
                       symbols.toString());
  };
  static const int64_t maxGrid[3] = {2147483647, 65535, 65535};
  static const int64_t maxBlock[3] = {1024, 1024, 64};
  for (int i = 0; i < 3; ++i) {
    // An empty grid (no sequences or positions) is a launch with no work.
    if (grid[i] < 0)
      return Status::error(fmt::format("{}: grid {} has a negative dim",
                                       where(), show(launch.grid, grid)));
    if (block[i] < 1)
      return Status::error(fmt::format("{}: block {} has a dim < 1", where(),
                                       show(launch.block, block)));
    if (grid[i] > maxGrid[i])
      return Status::error(fmt::format(
          "{}: grid {} exceeds CUDA's limits [2147483647,65535,65535]", where(),
          show(launch.grid, grid)));
    if (block[i] > maxBlock[i])
      return Status::error(
          fmt::format("{}: block {} exceeds CUDA's limits [1024,1024,64]",
                      where(), show(launch.block, block)));
  }
  if (block[0] * block[1] * block[2] > 1024)
    return Status::error(fmt::format("{}: block {} has more than 1024 threads",
                                     where(), show(launch.block, block)));
  const KernelDecl &kernel = artifact.kernels[launch.kernel];
  int64_t shared = 0;
  SMC_REF_RETURN_IF_ERROR(
      kernel.sharedBytes.evaluate(symbols, shared).withContext(where()));
  if (shared < 0 || shared > int64_t(UINT32_MAX))
    return Status::error(fmt::format("{}: shared memory size {} ('{}') is out "
                                     "of range",
                                     where(), shared,
                                     kernel.sharedBytes.text()));
  for (int i = 0; i < 3; ++i) {
    config.grid[i] = unsigned(grid[i]);
    config.block[i] = unsigned(block[i]);
  }
  config.sharedBytes = unsigned(shared);
  return Status::success();
}

Status rt::buildLaunchParams(const Artifact &artifact, const EntryDecl &entry,
                             size_t launchIndex, const SymbolValues &symbols,
                             const BoundTensors &tensors,
                             std::vector<KernelParam> &params) {
  const LaunchDecl &launch = entry.launches[launchIndex];
  params.clear();
  auto push = [&](KernelParam::Kind kind, int64_t value) {
    KernelParam p;
    p.kind = kind;
    p.value = value;
    params.push_back(p);
  };
  for (const LaunchArg &arg : launch.args) {
    switch (arg.kind) {
    case ArgKind::Ptr:
      push(KernelParam::Kind::Pointer, int64_t(tensors.pointer(arg.tensor)));
      break;
    case ArgKind::Memref: {
      int64_t ptr = int64_t(tensors.pointer(arg.tensor));
      const ref::Shape &shape = tensors.shape(arg.tensor);
      push(KernelParam::Kind::Pointer, ptr);
      push(KernelParam::Kind::Pointer, ptr);
      push(KernelParam::Kind::I64, 0);
      for (int64_t dim : shape)
        push(KernelParam::Kind::I64, dim);
      for (int64_t stride : contiguousStrides(shape))
        push(KernelParam::Kind::I64, stride);
      break;
    }
    case ArgKind::I64:
    case ArgKind::I32: {
      int64_t value = 0;
      SMC_REF_RETURN_IF_ERROR(
          arg.value.evaluate(symbols, value)
              .withContext(describeLaunch(artifact, entry, launchIndex)));
      if (arg.kind == ArgKind::I32 && (value < INT32_MIN || value > INT32_MAX))
        return Status::error(
            fmt::format("{}: argument '{}' = {} does not fit in i32 ({})",
                        describeLaunch(artifact, entry, launchIndex), arg.text,
                        value, symbols.toString()));
      push(arg.kind == ArgKind::I32 ? KernelParam::Kind::I32
                                    : KernelParam::Kind::I64,
           value);
      break;
    }
    }
  }
  return Status::success();
}
