//===- Pack.cpp - float64 tensors <-> raw typed buffers -------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Pack.h"

#include "reference/Float16.h"

#include <cmath>
#include <cstring>

namespace smc::ref {

namespace {

/// Writes the low `size` bytes of `value`, least significant first, so the
/// layout is little-endian whatever the host is.
void storeLe(uint8_t *out, uint64_t value, size_t size) {
  for (size_t i = 0; i < size; ++i)
    out[i] = static_cast<uint8_t>(value >> (8 * i));
}

uint64_t loadLe(const uint8_t *in, size_t size) {
  uint64_t value = 0;
  for (size_t i = 0; i < size; ++i)
    value |= static_cast<uint64_t>(in[i]) << (8 * i);
  return value;
}

template <typename To, typename From> To bitCast(From from) {
  static_assert(sizeof(To) == sizeof(From), "size mismatch");
  To to;
  std::memcpy(&to, &from, sizeof(to));
  return to;
}

} // namespace

double roundToDType(double value, DType type) {
  switch (type) {
  case DType::F64:
    return value;
  case DType::F32:
    return static_cast<double>(static_cast<float>(value));
  case DType::F16:
    return f16BitsToFloat(floatToF16Bits(static_cast<float>(value)));
  case DType::BF16:
    return bf16BitsToFloat(floatToBf16Bits(static_cast<float>(value)));
  case DType::I32:
  case DType::I64:
    return std::nearbyint(value);
  }
  return value;
}

void roundTensorToDType(Tensor &tensor, DType type) {
  for (int64_t i = 0; i < tensor.numel(); ++i)
    tensor[i] = roundToDType(tensor[i], type);
}

Status packTensor(const Tensor &tensor, DType type,
                  std::vector<uint8_t> &bytes) {
  size_t size = dtypeSize(type);
  bytes.assign(static_cast<size_t>(tensor.numel()) * size, 0);
  for (int64_t i = 0; i < tensor.numel(); ++i) {
    double value = tensor[i];
    uint8_t *out = bytes.data() + static_cast<size_t>(i) * size;
    switch (type) {
    case DType::F64:
      storeLe(out, bitCast<uint64_t>(value), size);
      break;
    case DType::F32:
      storeLe(out, bitCast<uint32_t>(static_cast<float>(value)), size);
      break;
    case DType::F16:
      storeLe(out, floatToF16Bits(static_cast<float>(value)), size);
      break;
    case DType::BF16:
      storeLe(out, floatToBf16Bits(static_cast<float>(value)), size);
      break;
    case DType::I32:
    case DType::I64: {
      double rounded = std::nearbyint(value);
      // The type covers [-2^(bits-1), 2^(bits-1)); both bounds are exact.
      double limit = type == DType::I32 ? 0x1p31 : 0x1p63;
      if (!std::isfinite(rounded) || rounded < -limit || rounded >= limit)
        return Status::error("packTensor: element " + std::to_string(i) + " (" +
                             std::to_string(value) + ") does not fit in " +
                             dtypeName(type));
      storeLe(out, static_cast<uint64_t>(static_cast<int64_t>(rounded)), size);
      break;
    }
    }
  }
  return Status::success();
}

Tensor unpackTensor(const void *data, DType type, const Shape &shape) {
  Tensor tensor(shape);
  size_t size = dtypeSize(type);
  const uint8_t *in = static_cast<const uint8_t *>(data);
  for (int64_t i = 0; i < tensor.numel(); ++i) {
    uint64_t raw = loadLe(in + static_cast<size_t>(i) * size, size);
    double value = 0.0;
    switch (type) {
    case DType::F64:
      value = bitCast<double>(raw);
      break;
    case DType::F32:
      value = bitCast<float>(static_cast<uint32_t>(raw));
      break;
    case DType::F16:
      value = f16BitsToFloat(static_cast<uint16_t>(raw));
      break;
    case DType::BF16:
      value = bf16BitsToFloat(static_cast<uint16_t>(raw));
      break;
    case DType::I32:
      value = static_cast<double>(static_cast<int32_t>(raw));
      break;
    case DType::I64:
      value = static_cast<double>(static_cast<int64_t>(raw));
      break;
    }
    tensor[i] = value;
  }
  return tensor;
}

} // namespace smc::ref
