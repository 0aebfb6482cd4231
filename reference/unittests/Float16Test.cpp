//===- Float16Test.cpp - tests of bf16/f16 conversions --------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Float16.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace smc::ref;

namespace {

float fromBits(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

} // namespace

TEST(Float16Test, Bf16KnownPatterns) {
  EXPECT_EQ(floatToBf16Bits(1.0f), 0x3f80);
  EXPECT_EQ(floatToBf16Bits(-2.5f), 0xc020);
  EXPECT_EQ(floatToBf16Bits(0.0f), 0x0000);
  EXPECT_EQ(floatToBf16Bits(-0.0f), 0x8000);
  EXPECT_EQ(bf16BitsToFloat(0x7f7f), 3.38953139e38f); // Largest finite.
  EXPECT_EQ(floatToBf16Bits(3.38953139e38f), 0x7f7f);
  EXPECT_EQ(floatToBf16Bits(std::numeric_limits<float>::max()), 0x7f80);
  EXPECT_EQ(floatToBf16Bits(std::numeric_limits<float>::infinity()), 0x7f80);
  EXPECT_EQ(floatToBf16Bits(-std::numeric_limits<float>::infinity()), 0xff80);
  EXPECT_EQ(bf16BitsToFloat(0x0001), 0x1p-133f); // Smallest subnormal.
  EXPECT_EQ(floatToBf16Bits(0x1p-133f), 0x0001);
}

TEST(Float16Test, Bf16RoundsTiesToEven) {
  // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties to the even 1.
  EXPECT_EQ(floatToBf16Bits(1.0f + 0x1p-8f), 0x3f80);
  EXPECT_EQ(floatToBf16Bits(1.0f + 3 * 0x1p-8f), 0x3f82);
  EXPECT_EQ(floatToBf16Bits(1.0f + 0x1p-8f + 0x1p-20f), 0x3f81);
  EXPECT_EQ(floatToBf16Bits(1.0f + 0x1p-8f - 0x1p-20f), 0x3f80);
}

TEST(Float16Test, Bf16NanStaysNan) {
  float quiet = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(bf16BitsToFloat(floatToBf16Bits(quiet))));
  // A payload only in the low 16 bits must not truncate to inf.
  for (uint32_t bits : {0x7f800001u, 0xff800001u, 0x7fffffffu}) {
    uint16_t half = floatToBf16Bits(fromBits(bits));
    EXPECT_TRUE(std::isnan(bf16BitsToFloat(half))) << std::hex << bits;
    EXPECT_EQ(half & 0x8000, (bits >> 16) & 0x8000);
  }
}

TEST(Float16Test, F16KnownPatterns) {
  EXPECT_EQ(floatToF16Bits(1.0f), 0x3c00);
  EXPECT_EQ(floatToF16Bits(-2.5f), 0xc100);
  EXPECT_EQ(floatToF16Bits(65504.0f), 0x7bff);
  EXPECT_EQ(f16BitsToFloat(0x7bff), 65504.0f);
  EXPECT_EQ(floatToF16Bits(65519.0f), 0x7bff);
  EXPECT_EQ(floatToF16Bits(65520.0f), 0x7c00); // Tie to even overflows.
  EXPECT_EQ(floatToF16Bits(1e10f), 0x7c00);
  EXPECT_EQ(floatToF16Bits(-1e10f), 0xfc00);
  EXPECT_EQ(floatToF16Bits(0x1p-14f), 0x0400); // Smallest normal.
  EXPECT_EQ(floatToF16Bits(0x1p-24f), 0x0001); // Smallest subnormal.
  EXPECT_EQ(f16BitsToFloat(0x0001), 0x1p-24f);
  EXPECT_EQ(f16BitsToFloat(0x03ff), 0x3ffp-24f); // Largest subnormal.
  EXPECT_EQ(floatToF16Bits(-0.0f), 0x8000);
  EXPECT_EQ(floatToF16Bits(1e-30f), 0x0000);
  EXPECT_EQ(floatToF16Bits(0x1p-149f), 0x0000); // Float subnormal.
}

TEST(Float16Test, F16RoundsTiesToEven) {
  EXPECT_EQ(floatToF16Bits(1.0f + 0x1p-11f), 0x3c00);
  EXPECT_EQ(floatToF16Bits(1.0f + 3 * 0x1p-11f), 0x3c02);
  EXPECT_EQ(floatToF16Bits(1.0f + 0x1p-11f + 0x1p-20f), 0x3c01);
  // Subnormal ties: 0.5 ulp -> 0, 1.5 ulp -> 2, 2.5 ulp -> 2.
  EXPECT_EQ(floatToF16Bits(0x1p-25f), 0x0000);
  EXPECT_EQ(floatToF16Bits(0x1.8p-24f), 0x0002);
  EXPECT_EQ(floatToF16Bits(0x1.4p-23f), 0x0002);
  EXPECT_EQ(floatToF16Bits(0x1.000002p-25f), 0x0001);
  // Rounding up out of the subnormals reaches the smallest normal.
  EXPECT_EQ(floatToF16Bits(0x1p-14f - 0x1p-26f), 0x0400);
}

TEST(Float16Test, F16NanAndInf) {
  for (uint32_t bits : {0x7fc00000u, 0x7f800001u, 0xff800001u}) {
    uint16_t half = floatToF16Bits(fromBits(bits));
    EXPECT_TRUE(std::isnan(f16BitsToFloat(half))) << std::hex << bits;
  }
  EXPECT_EQ(f16BitsToFloat(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(f16BitsToFloat(0x7c01)));
}

TEST(Float16Test, EveryPatternRoundTrips) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    uint16_t half = static_cast<uint16_t>(bits);
    float f16 = f16BitsToFloat(half);
    float bf16 = bf16BitsToFloat(half);
    if (std::isnan(f16))
      EXPECT_TRUE(std::isnan(f16BitsToFloat(floatToF16Bits(f16))));
    else
      ASSERT_EQ(floatToF16Bits(f16), half) << std::hex << bits;
    if (std::isnan(bf16))
      EXPECT_TRUE(std::isnan(bf16BitsToFloat(floatToBf16Bits(bf16))));
    else
      ASSERT_EQ(floatToBf16Bits(bf16), half) << std::hex << bits;
  }
}
