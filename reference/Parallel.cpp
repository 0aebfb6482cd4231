//===- Parallel.cpp - simple thread pool loop for the reference -----------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

namespace smc::ref {

unsigned resolveThreadCount(unsigned requested) {
  if (requested)
    return requested;
  if (const char *env = std::getenv("SMC_REF_THREADS")) {
    char *end = nullptr;
    long value = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && value > 0)
      return static_cast<unsigned>(std::min(value, 1024L));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

void parallelFor(
    int64_t count, unsigned numThreads,
    const std::function<void(int64_t index, unsigned worker)> &body) {
  if (count <= 0)
    return;
  unsigned threads = resolveThreadCount(numThreads);
  threads = static_cast<unsigned>(
      std::min<int64_t>(static_cast<int64_t>(threads), count));
  if (threads <= 1) {
    for (int64_t i = 0; i < count; ++i)
      body(i, 0);
    return;
  }
  std::atomic<int64_t> next{0};
  auto work = [&](unsigned worker) {
    for (int64_t i = next.fetch_add(1); i < count; i = next.fetch_add(1))
      body(i, worker);
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned worker = 1; worker < threads; ++worker)
    pool.emplace_back(work, worker);
  work(0);
  for (std::thread &thread : pool)
    thread.join();
}

} // namespace smc::ref
