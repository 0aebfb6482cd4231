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
