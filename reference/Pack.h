//===- Pack.h - float64 tensors <-> raw typed buffers -----------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Converts between the reference's double tensors and the raw little-endian
/// element layouts kernels read and write (f32, f16, bf16, f64, i32, i64).
/// roundToDType is the single rounding rule used everywhere, so values filled
/// by Random.h, packed for a device and read back compare exactly.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_PACK_H
#define SMC_REFERENCE_PACK_H

#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cstdint>
#include <vector>

namespace smc::ref {

/// Rounds `value` to the nearest value representable in `type`. Floating
/// types round through float first (double -> f32 -> f16/bf16, each step to
/// nearest even); integer types round to the nearest integer (ties to even)
/// without range checks.
double roundToDType(double value, DType type);

/// Rounds every element of `tensor` in place through `type`.
void roundTensorToDType(Tensor &tensor, DType type);

/// Packs `tensor` into `bytes` as little-endian elements of `type`.
/// Fails for an integer type when an element is not finite or out of range.
Status packTensor(const Tensor &tensor, DType type,
                  std::vector<uint8_t> &bytes);

/// Unpacks `shapeNumel(shape)` little-endian elements of `type` at `data`.
Tensor unpackTensor(const void *data, DType type, const Shape &shape);

} // namespace smc::ref

#endif // SMC_REFERENCE_PACK_H
