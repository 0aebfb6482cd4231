//===- CompareTest.cpp - tests of the error metrics -----------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Compare.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace smc::ref;

namespace {
const double kInf = std::numeric_limits<double>::infinity();
const double kNan = std::numeric_limits<double>::quiet_NaN();
} // namespace

TEST(CompareTest, RelativeAndMaxAbsError) {
  Tensor ref({2, 2}), got({2, 2});
  ref[0] = 3.0;
  ref[1] = 4.0;
  got[0] = 3.0;
  got[1] = 4.5;
  got[2] = 0.0;
  got[3] = -0.1;
  ErrorStats stats;
  ASSERT_TRUE(compareTensors(got, ref, stats).ok());
  EXPECT_DOUBLE_EQ(stats.relError, std::sqrt(0.25 + 0.01) / 5.0);
  EXPECT_DOUBLE_EQ(stats.maxAbsError, 0.5);
  EXPECT_EQ(stats.compared, 4);
  EXPECT_DOUBLE_EQ(relativeError(got, ref), stats.relError);
  EXPECT_DOUBLE_EQ(maxAbsError(got, ref), 0.5);
  EXPECT_EQ(relativeError(ref, ref), 0.0);
}

TEST(CompareTest, SkipsNanReferenceRows) {
  Tensor ref({3}), got({3});
  ref[0] = 2.0;
  ref[1] = kNan;
  ref[2] = kNan;
  got[0] = 2.0;
  got[1] = 1e30;
  got[2] = kNan; // Not compared: the reference skipped it.
  ErrorStats stats;
  ASSERT_TRUE(compareTensors(got, ref, stats).ok());
  EXPECT_EQ(stats.compared, 1);
  EXPECT_EQ(stats.relError, 0.0);
}

TEST(CompareTest, NonFiniteOutputNeverPasses) {
  Tensor ref({2}, 1.0), got({2}, 1.0);
  got[1] = kNan;
  EXPECT_EQ(relativeError(got, ref), kInf);
  EXPECT_EQ(maxAbsError(got, ref), kInf);
  got[1] = -kInf;
  EXPECT_EQ(relativeError(got, ref), kInf);
}

TEST(CompareTest, ZeroReferenceGivesAbsoluteNorm) {
  Tensor ref({2}), got({2});
  got[0] = 3.0;
  got[1] = 4.0;
  EXPECT_DOUBLE_EQ(relativeError(got, ref), 5.0);
}

TEST(CompareTest, ShapeMismatchAndEmptyComparison) {
  Tensor a({2, 3}), b({3, 2});
  ErrorStats stats;
  Status status = compareTensors(a, b, stats);
  EXPECT_EQ(status.message(),
            "compare: shape [2,3] does not match the reference [3,2]");
  EXPECT_EQ(relativeError(a, b), kInf);
  Tensor allNan({2}, kNan), zeros({2});
  EXPECT_EQ(relativeError(zeros, allNan), kInf); // Nothing checked.
  EXPECT_EQ(relativeError(Tensor({0}), Tensor({0})), 0.0);
}

TEST(CompareTest, DefaultToleranceGrowsWithTheRoundoff) {
  EXPECT_EQ(defaultTolerance(DType::F32), 1e-5);
  EXPECT_EQ(defaultTolerance(DType::F16), 1e-3);
  EXPECT_EQ(defaultTolerance(DType::BF16), 5e-3);
  // Above one bf16 rounding of the output (unit roundoff 2^-8 gives about
  // 1.6e-3 RMS), below one unit roundoff.
  EXPECT_GT(defaultTolerance(DType::BF16), 2e-3);
  EXPECT_LT(defaultTolerance(DType::BF16), std::ldexp(1.0, -8) * 1.5);
  EXPECT_EQ(defaultTolerance(DType::I32), 0.0);
}
