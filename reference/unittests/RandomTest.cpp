//===- RandomTest.cpp - tests of the deterministic generator --------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Random.h"

#include "reference/Float16.h"
#include "reference/Pack.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace smc::ref;

TEST(RandomTest, MatchesXoshiroGoldenValues) {
  // Computed by an independent Python splitmix64 + xoshiro256** model.
  Rng zero(0);
  EXPECT_EQ(zero.nextU64(), 0x99ec5f36cb75f2b4ull);
  EXPECT_EQ(zero.nextU64(), 0xbf6e1f784956452aull);
  EXPECT_EQ(zero.nextU64(), 0x1a5f849d4933e6e0ull);
  Rng other(12345);
  EXPECT_EQ(other.nextU64(), 0xbe6a36374160d49bull);
  EXPECT_EQ(other.nextU64(), 0x214aaa0637a688c6ull);
}

TEST(RandomTest, BoxMullerGoldenValues) {
  Rng rng(0);
  EXPECT_NEAR(rng.normal(), -0.01410679738124918, 1e-15);
  EXPECT_NEAR(rng.normal(), -1.0085864725210538, 1e-15);
}

TEST(RandomTest, SameSeedSameValues) {
  Tensor a({3, 50}), b({3, 50}), c({3, 50});
  Rng r1(42), r2(42), r3(43);
  fillNormal(a, DType::F32, 0.0, 1.0, r1);
  fillNormal(b, DType::F32, 0.0, 1.0, r2);
  fillNormal(c, DType::F32, 0.0, 1.0, r3);
  int differing = 0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    EXPECT_EQ(a[i], b[i]);
    differing += a[i] != c[i];
  }
  EXPECT_GT(differing, 140);
}

TEST(RandomTest, FillsAreRepresentableInTheDType) {
  Rng rng(7);
  Tensor t({4096});
  fillNormal(t, DType::BF16, 0.5, 2.0, rng);
  for (int64_t i = 0; i < t.numel(); ++i) {
    float f = static_cast<float>(t[i]);
    ASSERT_EQ(static_cast<double>(f), t[i]);
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof(bits));
    ASSERT_EQ(bits & 0xffffu, 0u) << t[i] << " is not a bf16 value";
  }
  fillUniform(t, DType::F16, -3.0, 3.0, rng);
  for (int64_t i = 0; i < t.numel(); ++i)
    ASSERT_EQ(f16BitsToFloat(floatToF16Bits(static_cast<float>(t[i]))), t[i]);
  fillNormal(t, DType::F32, 0.0, 1.0, rng);
  for (int64_t i = 0; i < t.numel(); ++i)
    ASSERT_EQ(static_cast<double>(static_cast<float>(t[i])), t[i]);
}

TEST(RandomTest, MomentsAndRanges) {
  Rng rng(9);
  Tensor t({40000});
  fillNormal(t, DType::F64, 1.5, 0.5, rng);
  double sum = 0.0, sumSq = 0.0;
  for (int64_t i = 0; i < t.numel(); ++i) {
    sum += t[i];
    sumSq += t[i] * t[i];
  }
  double mean = sum / 40000.0;
  double var = sumSq / 40000.0 - mean * mean;
  EXPECT_NEAR(mean, 1.5, 0.02);
  EXPECT_NEAR(std::sqrt(var), 0.5, 0.02);

  fillUniform(t, DType::F64, -2.0, -1.0, rng);
  double lo = 0.0, hi = -10.0;
  for (int64_t i = 0; i < t.numel(); ++i) {
    lo = std::min(lo, t[i]);
    hi = std::max(hi, t[i]);
  }
  EXPECT_GE(lo, -2.0);
  EXPECT_LT(hi, -1.0);
  EXPECT_LT(lo, -1.99);
  EXPECT_GT(hi, -1.01);
}
