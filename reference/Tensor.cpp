//===- Tensor.cpp - row-major float64 tensor and dtypes -------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Tensor.h"

#include <cassert>
#include <utility>

namespace smc::ref {

const char *dtypeName(DType type) {
  switch (type) {
  case DType::F32:
    return "f32";
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F64:
    return "f64";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  }
  return "unknown";
}

Status parseDType(std::string_view name, DType &type) {
  for (DType candidate : {DType::F32, DType::F16, DType::BF16, DType::F64,
                          DType::I32, DType::I64}) {
    if (name == dtypeName(candidate)) {
      type = candidate;
      return Status::success();
    }
  }
  return Status::error("unknown dtype '" + std::string(name) +
                       "' (expected f32, f16, bf16, f64, i32 or i64)");
}

size_t dtypeSize(DType type) {
  switch (type) {
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  }
  return 0;
}

bool isFloatDType(DType type) {
  return type != DType::I32 && type != DType::I64;
}

std::string shapeToString(const Shape &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      text += ",";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

int64_t shapeNumel(const Shape &shape) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  return count;
}

Tensor::Tensor(Shape shape, double fill) : dims(std::move(shape)) {
  for ([[maybe_unused]] int64_t d : dims)
    assert(d >= 0 && "tensor dimensions must be non-negative");
  values.assign(static_cast<size_t>(shapeNumel(dims)), fill);
}

void Tensor::fill(double value) { values.assign(values.size(), value); }

int64_t Tensor::offsetOf(std::initializer_list<int64_t> index) const {
  assert(index.size() == dims.size() && "index rank mismatch");
  int64_t offset = 0;
  size_t axis = 0;
  for (int64_t i : index) {
    assert(i >= 0 && i < dims[axis] && "index out of bounds");
    offset = offset * dims[axis] + i;
    ++axis;
  }
  return offset;
}

Status checkRank(const Tensor &tensor, int64_t rank, const std::string &name) {
  if (tensor.rank() == rank)
    return Status::success();
  return Status::error(name + ": expected rank " + std::to_string(rank) +
                       ", got " + std::to_string(tensor.rank()));
}

Status checkShape(const Tensor &tensor, const Shape &shape,
                  const std::string &name) {
  if (tensor.shape() == shape)
    return Status::success();
  return Status::error(name + ": expected shape " + shapeToString(shape) +
                       ", got " + shapeToString(tensor.shape()));
}

} // namespace smc::ref
