//===- HostMemory.cpp - will tensors fit in host memory -------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/HostMemory.h"

#include <cstdio>
#include <unistd.h>

namespace smc::ref {

double physicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || pageSize <= 0)
    return 0.0;
  return static_cast<double>(pages) * static_cast<double>(pageSize);
}

Status
checkHostMemory(const std::vector<std::pair<std::string, Shape>> &tensors,
                double bytesPerElement, double limitBytes) {
  double total = 0.0, largest = -1.0;
  const std::pair<std::string, Shape> *biggest = nullptr;
  for (const auto &tensor : tensors) {
    double bytes = bytesPerElement; // In double: a product can overflow.
    for (int64_t dim : tensor.second)
      bytes *= static_cast<double>(dim);
    total += bytes;
    if (bytes > largest) {
      largest = bytes;
      biggest = &tensor;
    }
  }
  if (limitBytes <= 0.0 || total <= limitBytes)
    return Status::success();
  char text[160];
  std::snprintf(text, sizeof text,
                "the inputs need %.1f GB of host memory (%g bytes an element), "
                "more than this machine's %.1f GB; the largest is ",
                total / 1e9, bytesPerElement, limitBytes / 1e9);
  return Status::error(text + biggest->first + " " +
                       shapeToString(biggest->second));
}

} // namespace smc::ref
