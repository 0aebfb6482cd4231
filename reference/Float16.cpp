//===- Float16.cpp - bf16 and f16 bit conversions -------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Float16.h"

#include <cstring>

namespace smc::ref {

namespace {

uint32_t floatBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

float bitsToFloat(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

/// Shifts `value` right by `shift` bits, rounding to nearest even.
uint32_t shiftRightRne(uint32_t value, uint32_t shift) {
  if (shift == 0)
    return value;
  if (shift > 31)
    return 0; // value < 2^31 everywhere we call this, so below half an ulp.
  uint32_t kept = value >> shift;
  uint32_t rest = value & ((1u << shift) - 1);
  uint32_t half = 1u << (shift - 1);
  if (rest > half || (rest == half && (kept & 1)))
    ++kept;
  return kept;
}

} // namespace

uint16_t floatToBf16Bits(float value) {
  uint32_t bits = floatBits(value);
  if ((bits & 0x7fffffffu) > 0x7f800000u) {
    // Force the quiet bit so a low-bit-only payload does not become inf.
    return static_cast<uint16_t>((bits >> 16) | 0x0040u);
  }
  // Rounding the low half carries into the exponent, which also gives the
  // correct overflow to inf.
  uint32_t bias = 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>((bits + bias) >> 16);
}

float bf16BitsToFloat(uint16_t bits) {
  return bitsToFloat(static_cast<uint32_t>(bits) << 16);
}

uint16_t floatToF16Bits(float value) {
  uint32_t bits = floatBits(value);
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  uint32_t magnitude = bits & 0x7fffffffu;

  if (magnitude > 0x7f800000u) // NaN: keep top payload bits, force quiet.
    return static_cast<uint16_t>(sign | 0x7e00u | ((magnitude >> 13) & 0x3ffu));
  // 65520 is the midpoint between 65504 (max half) and 2^16; ties go to the
  // even neighbour, which is inf.
  if (magnitude >= 0x477ff000u)
    return static_cast<uint16_t>(sign | 0x7c00u);

  uint32_t exponent = magnitude >> 23;
  if (exponent < 113) {
    // Below 2^-14: result is a subnormal half (units of 2^-24) or zero.
    if (exponent == 0)
      return sign; // float subnormals are far below 2^-25.
    uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    // value = mantissa * 2^(exponent - 150) = (mantissa >> shift) * 2^-24.
    uint32_t shift = 126 - exponent;
    return static_cast<uint16_t>(sign | shiftRightRne(mantissa, shift));
  }

  // Normal: rebias the exponent (127 -> 15) and round 23 -> 10 mantissa
  // bits; a carry out of the mantissa correctly bumps the exponent.
  uint32_t rebased = magnitude - (112u << 23);
  return static_cast<uint16_t>(sign | shiftRightRne(rebased, 13));
}

float f16BitsToFloat(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  uint32_t exponent = (bits >> 10) & 0x1fu;
  uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24 is exact in float.
    float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
    return sign ? -magnitude : magnitude;
  }
  if (exponent == 31)
    return bitsToFloat(sign | 0x7f800000u | (mantissa << 13));
  return bitsToFloat(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

} // namespace smc::ref
