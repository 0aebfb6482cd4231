//===- Parallel.h - simple thread pool loop for the reference ---*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A dynamically scheduled parallel loop on std::thread; the reference is
/// O(T^2) per sequence, so large checks need every core.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_PARALLEL_H
#define SMC_REFERENCE_PARALLEL_H

#include <cstdint>
#include <functional>

namespace smc::ref {

/// Returns `requested` if non-zero; otherwise the SMC_REF_THREADS environment
/// variable if set to a positive integer, else hardware_concurrency() (at
/// least 1).
unsigned resolveThreadCount(unsigned requested);

/// Calls `body(index, worker)` once for every index in [0, count), on up to
/// `numThreads` threads (0 = resolveThreadCount(0)); `worker` is in
/// [0, numThreads) and identifies the calling thread (for scratch buffers).
/// Indices are handed out in increasing order as threads become free.
void parallelFor(
    int64_t count, unsigned numThreads,
    const std::function<void(int64_t index, unsigned worker)> &body);

} // namespace smc::ref

#endif // SMC_REFERENCE_PARALLEL_H
