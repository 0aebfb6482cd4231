//===- HostMemory.h - will tensors fit in host memory -----------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A check made before allocating a run's tensors, so that a huge size is a
/// diagnostic rather than an allocation failure deep inside (std::bad_alloc,
/// "LLVM ERROR: out of memory"). Shared by smc and smc-runner.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_HOSTMEMORY_H
#define SMC_REFERENCE_HOSTMEMORY_H

#include "reference/Status.h"
#include "reference/Tensor.h"

#include <string>
#include <utility>
#include <vector>

namespace smc::ref {

/// The machine's physical memory in bytes (0 when unknown).
double physicalMemoryBytes();

/// Checks that `tensors` (name, shape), at `bytesPerElement` each, fit in
/// `limitBytes` (the physical memory by default; no limit when it is 0).
/// The error gives the bytes needed, the limit and the largest tensor, e.g.
/// "the inputs need 1536.0 GB of host memory (16 bytes an element), more
/// than this machine's 25.3 GB; the largest is C [1,4000000000,1,8]".
Status
checkHostMemory(const std::vector<std::pair<std::string, Shape>> &tensors,
                double bytesPerElement,
                double limitBytes = physicalMemoryBytes());

} // namespace smc::ref

#endif // SMC_REFERENCE_HOSTMEMORY_H
