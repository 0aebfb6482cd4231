//===- LaunchArgs.h - kernel parameters and launch sizes --------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Turns a `launch` directive into what cuLaunchKernel takes: the grid and
/// block sizes, the dynamic shared memory and the parameter values in
/// order. The ABI of each `args` item:
///   ptr:NAME    one 8-byte device pointer;
///   memref:NAME the MLIR memref descriptor expanded: allocated pointer,
///               aligned pointer (both the device pointer), offset (i64 0),
///               each dim (i64), each row-major stride (i64): 3 + 2*rank;
///   i64:EXPR    one int64;  i32:EXPR  one int32.
/// Pure functions: no driver calls.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_LAUNCHARGS_H
#define SMC_RUNTIME_LAUNCHARGS_H

#include "runtime/Artifact.h"
#include "runtime/Expr.h"

#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cuda.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace smc::rt {

/// One kernel parameter value.
struct KernelParam {
  enum class Kind { Pointer, I64, I32 };
  Kind kind = Kind::I64;
  int64_t value = 0; ///< The pointer, or the integer.

  /// Its size in bytes (8, 8 or 4).
  size_t size() const { return kind == Kind::I32 ? 4 : 8; }
};

/// The pointer and shape of every input, output and buffer of one run.
struct BoundTensors {
  std::vector<CUdeviceptr> inputs, outputs, buffers;
  std::vector<ref::Shape> inputShapes, outputShapes, bufferShapes;

  /// The pointer of `ref`.
  CUdeviceptr pointer(TensorRef ref) const;
  /// The shape of `ref`.
  const ref::Shape &shape(TensorRef ref) const;
};

/// The sizes of one launch.
struct LaunchConfig {
  std::array<unsigned, 3> grid = {1, 1, 1};
  std::array<unsigned, 3> block = {1, 1, 1};
  unsigned sharedBytes = 0;

  /// A grid with a zero dim has no threads: the launch is skipped.
  bool empty() const { return grid[0] == 0 || grid[1] == 0 || grid[2] == 0; }
};

/// Names a launch in messages: "entry 'e', launch 2 (line 14, kernel 'k1',
/// symbol 'sym')".
std::string describeLaunch(const Artifact &artifact, const EntryDecl &entry,
                           size_t launchIndex);

/// The parameter sizes (bytes) a launch passes, in order; they depend only
/// on the declarations, so they are checked against the kernel's signature
/// at load time.
std::vector<size_t> launchParamSizes(const EntryDecl &entry,
                                     const LaunchDecl &launch);

/// Evaluates the grid, block and shared memory sizes; every dim must be
/// within CUDA's limits, block dims >= 1 and grid dims >= 0 (a zero grid
/// dim makes the launch `empty()`).
Status evaluateLaunchConfig(const Artifact &artifact, const EntryDecl &entry,
                            size_t launchIndex, const SymbolValues &symbols,
                            LaunchConfig &config);

/// Builds the parameter values of a launch.
Status buildLaunchParams(const Artifact &artifact, const EntryDecl &entry,
                         size_t launchIndex, const SymbolValues &symbols,
                         const BoundTensors &tensors,
                         std::vector<KernelParam> &params);

} // namespace smc::rt

#endif // SMC_RUNTIME_LAUNCHARGS_H
