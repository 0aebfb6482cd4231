//===- Float16.h - bf16 and f16 bit conversions -----------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Conversions between float and the 16-bit storage formats, with IEEE
/// round-to-nearest-even. NaN always stays NaN (a payload that would be
/// truncated away is replaced by a quiet NaN) and keeps its sign.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_FLOAT16_H
#define SMC_REFERENCE_FLOAT16_H

#include <cstdint>

namespace smc::ref {

/// Rounds a float to bfloat16 (8-bit exponent, 7-bit mantissa) bits.
uint16_t floatToBf16Bits(float value);

/// Widens bfloat16 bits to float (exact).
float bf16BitsToFloat(uint16_t bits);

/// Rounds a float to IEEE binary16 bits; overflow gives +-inf and tiny
/// values round to subnormals or signed zero.
uint16_t floatToF16Bits(float value);

/// Widens IEEE binary16 bits to float (exact).
float f16BitsToFloat(uint16_t bits);

} // namespace smc::ref

#endif // SMC_REFERENCE_FLOAT16_H
