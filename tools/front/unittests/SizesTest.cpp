//===- SizesTest.cpp - tests of run-size resolution -----------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/front/Sizes.h"

#include "gtest/gtest.h"

using namespace smc;
using namespace smc::front;

namespace {

std::string errorOf(const SizeRequest &request, const SizeModel &model) {
  Sizes sizes;
  ref::Status st = resolveSizes(request, model, sizes);
  return st.ok() ? "" : st.message();
}

} // namespace

TEST(SizesTest, Defaults) {
  Sizes s;
  ASSERT_TRUE(resolveSizes({}, {}, s).ok());
  EXPECT_EQ(s.batch, 2);
  EXPECT_EQ(s.seqLen, 64);
  EXPECT_TRUE(s.seqlens.empty());
  EXPECT_EQ(s.sequences(), 2);
  EXPECT_EQ(s.describe(), "batch 2, length 64");

  SizeModel packed;
  packed.packed = true;
  ASSERT_TRUE(resolveSizes({{}, 53, {}}, packed, s).ok());
  EXPECT_EQ(s.batch, 1);
  EXPECT_EQ(s.seqlens, (std::vector<int64_t>{26, 0, 27}));
  EXPECT_EQ(s.sequences(), 3);
  EXPECT_EQ(s.describe(), "batch 1, length 53, 3 packed sequences");
}

TEST(SizesTest, StaticSizesWinOverDefaultsAndMustMatchFlags) {
  SizeModel model;
  model.staticBatch = 3;
  model.staticLength = 17;
  Sizes s;
  ASSERT_TRUE(resolveSizes({}, model, s).ok());
  EXPECT_EQ(s.batch, 3);
  EXPECT_EQ(s.seqLen, 17);
  EXPECT_EQ(errorOf({{}, 16, {}}, model),
            "--seqlen 16 disagrees with the model's static size 17");
  EXPECT_EQ(errorOf({4, {}, {}}, model),
            "--batch 4 disagrees with the model's static size 3");
}

TEST(SizesTest, PackedLengths) {
  SizeModel packed;
  packed.packed = true;
  Sizes s;
  ASSERT_TRUE(
      resolveSizes({{}, {}, std::vector<int64_t>{5, 0, 9}}, packed, s).ok());
  EXPECT_EQ(s.seqLen, 14);
  EXPECT_EQ(s.batch, 1);
  EXPECT_EQ(errorOf({{}, {}, std::vector<int64_t>{5}}, {}),
            "--seqlens: the model has no cu_seqlens input, so it cannot pack "
            "sequences");
  EXPECT_EQ(errorOf({{}, {}, std::vector<int64_t>{}}, packed),
            "--seqlens: expected at least one length");
  EXPECT_EQ(errorOf({{}, {}, std::vector<int64_t>{3, -1}}, packed),
            "--seqlens: lengths must be >= 0, got -1");
  EXPECT_EQ(errorOf({2, {}, std::vector<int64_t>{3}}, packed),
            "--seqlens packs sequences into batch 1, but --batch is 2");
  EXPECT_EQ(errorOf({{}, 4, std::vector<int64_t>{3}}, packed),
            "--seqlen 4 disagrees with the sum of --seqlens (3)");
  EXPECT_EQ(errorOf({2, {}, {}}, packed),
            "the model packs sequences (cu_seqlens): --batch must be 1, got 2");
  EXPECT_EQ(errorOf({{}, {}, std::vector<int64_t>{INT64_MAX, 1}}, packed),
            "--seqlens: the lengths' sum overflows int64");
  // All sequences empty is a legal packed run.
  ASSERT_TRUE(resolveSizes({{}, 0, {}}, packed, s).ok());
  EXPECT_EQ(s.seqlens, (std::vector<int64_t>{0, 0, 0}));
}

TEST(SizesTest, LowerBoundsAndNotes) {
  EXPECT_EQ(errorOf({0, {}, {}}, {}), "--batch must be at least 1, got 0");
  EXPECT_EQ(errorOf({{}, 0, {}}, {}), "--seqlen must be at least 1, got 0");
  SizeModel decode;
  decode.usesLength = false;
  Sizes s;
  ASSERT_TRUE(resolveSizes({{}, 128, {}}, decode, s).ok());
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_EQ(s.notes[0], "--seqlen has no effect: no shape of the model uses T");
}
