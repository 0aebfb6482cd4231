//===- MaskTest.cpp - tests of mask specifications ------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Mask.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace smc::ref;

TEST(MaskTest, ClassifiesSemiseparableAndCausal) {
  MaskSpec decay = MaskSpec::decay(Tensor({1, 4, 2}));
  MaskSpec fixed = MaskSpec::fixedDecay({0.5, 1.0});
  MaskSpec custom =
      MaskSpec::custom([](const MaskPoint &) { return 1.0; }, false);
  EXPECT_TRUE(MaskSpec::causal().isSemiseparable());
  EXPECT_TRUE(MaskSpec::mul(decay, fixed).isSemiseparable());
  EXPECT_FALSE(MaskSpec::window(3).isSemiseparable());
  EXPECT_FALSE(MaskSpec::mul(decay, MaskSpec::window(3)).isSemiseparable());
  EXPECT_FALSE(custom.isSemiseparable());
  EXPECT_FALSE(custom.isCausal());
  EXPECT_TRUE(MaskSpec::mul(custom, MaskSpec::window(2)).isCausal());
  EXPECT_EQ(MaskSpec::mul(decay, MaskSpec::window(3)).describe(),
            "mul(decay, window(3))");
  EXPECT_EQ(fixed.kindName(), std::string("fixed_decay"));

  std::vector<const MaskSpec *> leaves;
  MaskSpec tree = MaskSpec::mul(MaskSpec::mul(decay, fixed), custom);
  tree.collectLeaves(leaves);
  ASSERT_EQ(leaves.size(), 3u);
  EXPECT_EQ(leaves[2]->kind(), MaskSpec::Kind::Custom);
}

TEST(MaskTest, ValidatesParameters) {
  EXPECT_TRUE(MaskSpec::fixedDecay({0.5, 1.0}).validate(1, 4, 2).ok());
  EXPECT_EQ(MaskSpec::fixedDecay({0.5, 0.0}).validate(1, 4, 2).message(),
            "fixed_decay: gamma[1] = 0 is outside (0, 1]");
  EXPECT_EQ(MaskSpec::fixedDecay({NAN, 0.5}).validate(1, 4, 2).message(),
            "fixed_decay: gamma[0] = nan is outside (0, 1]");
  Tensor a({1, 4, 2});
  a[5] = NAN;
  EXPECT_EQ(MaskSpec::decay(a).validate(1, 4, 2).message(),
            "decay: a[0,2,1] = nan must be finite and <= 0");
  EXPECT_EQ(MaskSpec::custom(nullptr, true).validate(1, 4, 2).message(),
            "custom: mask function is empty");
  EXPECT_EQ(MaskSpec::mul(MaskSpec::causal(), MaskSpec::window(-1))
                .validate(1, 4, 2)
                .message(),
            "window: width must be >= 1, got -1");
}

TEST(MaskTest, ClassifiesTransposes) {
  MaskSpec decay = MaskSpec::decay(Tensor({1, 4, 2}));
  MaskSpec fixed = MaskSpec::fixedDecay({0.5, 1.0});
  MaskSpec custom =
      MaskSpec::custom([](const MaskPoint &) { return 1.0; }, false);
  MaskSpec customCausal =
      MaskSpec::custom([](const MaskPoint &) { return 1.0; }, true);
  auto t = [](MaskSpec m) { return MaskSpec::transpose(std::move(m)); };
  struct Expected {
    MaskSpec mask;
    const char *describe;
    bool causal, antiCausal, semiseparable, reversed;
  };
  Expected cases[] = {
      {MaskSpec::causal(), "causal", true, false, true, false},
      {decay, "decay", true, false, true, false},
      {MaskSpec::window(1), "window(1)", true, false, false, false},
      {custom, "custom", false, false, false, false},
      {customCausal, "custom(causal)", true, false, false, false},
      {t(MaskSpec::causal()), "transpose(causal)", false, true, true, true},
      {t(decay), "transpose(decay)", false, true, true, true},
      {t(fixed), "transpose(fixed_decay)", false, true, true, true},
      {t(MaskSpec::window(3)), "transpose(window(3))", false, true, false,
       false},
      {t(custom), "transpose(custom)", false, false, false, false},
      {t(customCausal), "transpose(custom(causal))", false, true, false, false},
      {t(t(decay)), "transpose(transpose(decay))", true, false, true, false},
      {t(t(t(decay))), "transpose(transpose(transpose(decay)))", false, true,
       true, true},
      // Opposite directions: only the diagonal, with no recurrence.
      {MaskSpec::mul(decay, t(decay)), "mul(decay, transpose(decay))", true,
       true, false, false},
      {MaskSpec::mul(MaskSpec::causal(), t(fixed)),
       "mul(causal, transpose(fixed_decay))", true, true, false, false},
      {MaskSpec::mul(t(decay), t(fixed)),
       "mul(transpose(decay), transpose(fixed_decay))", false, true, true,
       true},
      {t(MaskSpec::mul(decay, fixed)), "transpose(mul(decay, fixed_decay))",
       false, true, true, true},
      {MaskSpec::mul(t(MaskSpec::mul(decay, t(fixed))), decay),
       "mul(transpose(mul(decay, transpose(fixed_decay))), decay)", true, true,
       false, false},
      {MaskSpec::mul(t(t(decay)), fixed),
       "mul(transpose(transpose(decay)), fixed_decay)", true, false, true,
       false},
      {MaskSpec::mul(custom, t(MaskSpec::window(2))),
       "mul(custom, transpose(window(2)))", false, true, false, false},
      {MaskSpec::mul(t(decay), MaskSpec::window(2)),
       "mul(transpose(decay), window(2))", true, true, false, false},
  };
  for (const Expected &e : cases) {
    SCOPED_TRACE(e.describe);
    EXPECT_EQ(e.mask.describe(), e.describe);
    EXPECT_EQ(e.mask.isCausal(), e.causal);
    EXPECT_EQ(e.mask.isAntiCausal(), e.antiCausal);
    EXPECT_EQ(e.mask.isSemiseparable(), e.semiseparable);
    EXPECT_EQ(e.mask.isReversed(), e.reversed);
    // transpose swaps the two causalities and keeps semiseparability.
    MaskSpec flipped = t(e.mask);
    EXPECT_EQ(flipped.isCausal(), e.mask.isAntiCausal());
    EXPECT_EQ(flipped.isAntiCausal(), e.mask.isCausal());
    EXPECT_EQ(flipped.isSemiseparable(), e.mask.isSemiseparable());
    EXPECT_EQ(flipped.isReversed(), e.semiseparable && !e.reversed);
  }
  MaskSpec transposed = t(decay);
  EXPECT_EQ(transposed.kind(), MaskSpec::Kind::Transpose);
  EXPECT_EQ(transposed.kindName(), std::string("transpose"));
  EXPECT_EQ(transposed.inner().kind(), MaskSpec::Kind::Decay);
}

TEST(MaskTest, CollectsTransposedLeavesInPreOrder) {
  MaskSpec decay = MaskSpec::decay(Tensor({1, 4, 2}));
  MaskSpec fixed = MaskSpec::fixedDecay({0.5, 1.0});
  auto t = [](MaskSpec m) { return MaskSpec::transpose(std::move(m)); };
  // mul(transpose(mul(decay, transpose(fixed))), mul(window(2), decay))
  MaskSpec tree = MaskSpec::mul(t(MaskSpec::mul(decay, t(fixed))),
                                MaskSpec::mul(MaskSpec::window(2), decay));
  std::vector<MaskSpec::Leaf> leaves;
  tree.collectLeaves(leaves);
  ASSERT_EQ(leaves.size(), 4u);
  EXPECT_EQ(leaves[0].spec->kind(), MaskSpec::Kind::Decay);
  EXPECT_TRUE(leaves[0].transposed);
  EXPECT_EQ(leaves[1].spec->kind(), MaskSpec::Kind::FixedDecay);
  EXPECT_FALSE(leaves[1].transposed); // Under two transposes.
  EXPECT_EQ(leaves[2].spec->kind(), MaskSpec::Kind::Window);
  EXPECT_FALSE(leaves[2].transposed);
  EXPECT_EQ(leaves[3].spec->kind(), MaskSpec::Kind::Decay);
  EXPECT_FALSE(leaves[3].transposed);
  // The plain list: the same leaves, in the same order.
  std::vector<const MaskSpec *> plain;
  tree.collectLeaves(plain);
  ASSERT_EQ(plain.size(), leaves.size());
  for (size_t i = 0; i < plain.size(); ++i)
    EXPECT_EQ(plain[i], leaves[i].spec);
}

TEST(MaskTest, ValidatesThroughTransposes) {
  EXPECT_EQ(MaskSpec::transpose(MaskSpec::fixedDecay({0.5, 2.0}))
                .validate(1, 4, 2)
                .message(),
            "fixed_decay: gamma[1] = 2 is outside (0, 1]");
  EXPECT_EQ(
      MaskSpec::transpose(
          MaskSpec::mul(MaskSpec::causal(), MaskSpec::decay(Tensor({1, 3, 2}))))
          .validate(1, 4, 2)
          .message(),
      "decay: a: expected shape [1,4,2], got [1,3,2]");
  EXPECT_TRUE(MaskSpec::transpose(MaskSpec::transpose(MaskSpec::causal()))
                  .validate(1, 4, 2)
                  .ok());
}
