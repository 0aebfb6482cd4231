//===- InputKindTest.cpp - tests of the input distributions ---------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/InputKind.h"

#include <gtest/gtest.h>

using namespace smc::ref;

namespace {

TEST(InputKind, NamesRoundTrip) {
  for (InputKind kind :
       {InputKind::Normal, InputKind::DtRaw, InputKind::DtPositive,
        InputKind::DtBias, InputKind::DtBiasRaw, InputKind::ALog,
        InputKind::LogDecay, InputKind::Unit, InputKind::Offsets}) {
    InputKind parsed = InputKind::Normal;
    ASSERT_TRUE(parseInputKind(inputKindName(kind), parsed).ok());
    EXPECT_EQ(parsed, kind);
  }
  InputKind parsed;
  Status st = parseInputKind("gaussian", parsed);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "unknown input kind 'gaussian'");
}

// The signs the ops rely on: a = dt * A <= 0 needs dt > 0 and A < 0.
TEST(InputKind, RangesHaveTheRequiredSigns) {
  Rng rng(7);
  Tensor t({4096});
  fillInput(t, DType::F32, InputKind::DtPositive, rng);
  for (int64_t i = 0; i < t.numel(); ++i)
    ASSERT_GT(t[i], 0.0);
  fillInput(t, DType::BF16, InputKind::ALog, rng);
  for (int64_t i = 0; i < t.numel(); ++i)
    ASSERT_LT(t[i], 0.0);
  fillInput(t, DType::F32, InputKind::LogDecay, rng);
  for (int64_t i = 0; i < t.numel(); ++i)
    ASSERT_LE(t[i], 0.0);
  fillInput(t, DType::F32, InputKind::Normal, rng);
  double sum = 0;
  for (int64_t i = 0; i < t.numel(); ++i)
    sum += t[i] * t[i];
  EXPECT_NEAR(sum / t.numel(), 1.0, 0.1);
}

TEST(InputKind, OffsetsAccumulateLengths) {
  Tensor t = makeOffsets({5, 0, 17, 9});
  ASSERT_EQ(t.shape(), (Shape{5}));
  EXPECT_EQ(t[0], 0);
  EXPECT_EQ(t[1], 5);
  EXPECT_EQ(t[2], 5);
  EXPECT_EQ(t[3], 22);
  EXPECT_EQ(t[4], 31);
}

} // namespace
