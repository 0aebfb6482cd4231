//===- Npy.h - NumPy .npy reader and writer ---------------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Reads and writes NumPy .npy files (format versions 1.0, 2.0 and, for
/// reading, 3.0). Supported element types: '<f2', '<f4', '<f8', '<i4',
/// '<i8', C order only. bfloat16 has no NumPy dtype: writeNpy with
/// DType::BF16 stores '<f4' values that were rounded to bf16 first, so the
/// file holds exactly the bf16 values (and reads back as F32).
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_NPY_H
#define SMC_REFERENCE_NPY_H

#include "reference/Pack.h"
#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace smc::ref {

/// Parses a complete .npy image held in memory. `fileType` receives the
/// stored element type (F16, F32, F64, I32 or I64).
Status parseNpy(const uint8_t *bytes, size_t size, Tensor &out,
                DType &fileType);

/// Reads the .npy file at `path`. When `expectShape` is given, a different
/// stored shape is an error. Messages start with `path`.
Status readNpy(const std::string &path, Tensor &out, DType &fileType,
               const Shape *expectShape = nullptr);

/// Serializes `tensor` as a .npy image with elements of `type` (BF16 is
/// written as '<f4' of the bf16-rounded values).
Status serializeNpy(const Tensor &tensor, DType type,
                    std::vector<uint8_t> &bytes);

/// Writes `tensor` to `path` as a .npy file with elements of `type`.
Status writeNpy(const std::string &path, const Tensor &tensor, DType type);

} // namespace smc::ref

#endif // SMC_REFERENCE_NPY_H
