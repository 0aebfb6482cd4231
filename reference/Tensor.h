//===- Tensor.h - row-major float64 tensor and dtypes -----------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The reference works on row-major (C order) tensors of doubles. DType names
/// the element type a kernel stores in memory; the reference keeps the values
/// in float64 after rounding them through that type (see Pack.h).
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_TENSOR_H
#define SMC_REFERENCE_TENSOR_H

#include "reference/Status.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace smc::ref {

/// Element types the kernels and .npy files use.
enum class DType { F32, F16, BF16, F64, I32, I64 };

/// Returns the short name: "f32", "f16", "bf16", "f64", "i32" or "i64".
const char *dtypeName(DType type);

/// Parses a short name as produced by dtypeName.
Status parseDType(std::string_view name, DType &type);

/// Returns the size of one element in bytes.
size_t dtypeSize(DType type);

/// True for the floating-point types.
bool isFloatDType(DType type);

/// A tensor shape; every dimension is >= 0. Rank 0 is a scalar.
using Shape = std::vector<int64_t>;

/// Formats a shape as "[2,8,16,32]".
std::string shapeToString(const Shape &shape);

/// Returns the number of elements (1 for rank 0).
int64_t shapeNumel(const Shape &shape);

/// A dense row-major tensor of doubles.
class Tensor {
public:
  /// An empty rank-1 tensor of shape [0].
  Tensor() : dims{0} {}

  /// A tensor of `shape` (all dims >= 0) with every element set to `fill`.
  explicit Tensor(Shape shape, double fill = 0.0);

  /// The shape.
  const Shape &shape() const { return dims; }
  /// The number of dimensions.
  int64_t rank() const { return static_cast<int64_t>(dims.size()); }
  /// Dimension `i` (0 <= i < rank()).
  int64_t dim(int64_t i) const { return dims[static_cast<size_t>(i)]; }
  /// The number of elements.
  int64_t numel() const { return static_cast<int64_t>(values.size()); }

  /// Contiguous row-major storage.
  double *data() { return values.data(); }
  const double *data() const { return values.data(); }

  /// Element at flat row-major position `i`.
  double &operator[](int64_t i) { return values[static_cast<size_t>(i)]; }
  double operator[](int64_t i) const { return values[static_cast<size_t>(i)]; }

  /// Element at a multi-index with one entry per dimension.
  double &at(std::initializer_list<int64_t> index) {
    return values[static_cast<size_t>(offsetOf(index))];
  }
  double at(std::initializer_list<int64_t> index) const {
    return values[static_cast<size_t>(offsetOf(index))];
  }

  /// Sets every element to `value`.
  void fill(double value);

private:
  int64_t offsetOf(std::initializer_list<int64_t> index) const;

  Shape dims;
  std::vector<double> values;
};

/// Checks the rank: "`name`: expected rank 4, got 3".
Status checkRank(const Tensor &tensor, int64_t rank, const std::string &name);

/// Checks the full shape: "`name`: expected shape [2,8], got [2,9]".
Status checkShape(const Tensor &tensor, const Shape &shape,
                  const std::string &name);

} // namespace smc::ref

#endif // SMC_REFERENCE_TENSOR_H
