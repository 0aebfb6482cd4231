//===- TensorTest.cpp - tests of Tensor and DType helpers -----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Tensor.h"
#include "reference/HostMemory.h"

#include "reference/Pack.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace smc::ref;

TEST(TensorTest, DTypeNamesAndSizes) {
  for (DType type : {DType::F32, DType::F16, DType::BF16, DType::F64,
                     DType::I32, DType::I64}) {
    DType parsed;
    ASSERT_TRUE(parseDType(dtypeName(type), parsed).ok());
    EXPECT_EQ(parsed, type);
  }
  EXPECT_EQ(dtypeSize(DType::BF16), 2u);
  EXPECT_EQ(dtypeSize(DType::F16), 2u);
  EXPECT_EQ(dtypeSize(DType::I32), 4u);
  EXPECT_EQ(dtypeSize(DType::F64), 8u);
  EXPECT_FALSE(isFloatDType(DType::I64));
  EXPECT_TRUE(isFloatDType(DType::BF16));
  DType parsed;
  EXPECT_EQ(parseDType("fp8", parsed).message(),
            "unknown dtype 'fp8' (expected f32, f16, bf16, f64, i32 or i64)");
}

TEST(TensorTest, RowMajorIndexingAndChecks) {
  Tensor t({2, 3, 4});
  EXPECT_EQ(t.numel(), 24);
  t.at({1, 2, 3}) = 5.0;
  EXPECT_EQ(t[23], 5.0);
  t.at({1, 0, 2}) = 7.0;
  EXPECT_EQ(t[14], 7.0);
  EXPECT_EQ(Tensor(Shape{}).numel(), 1);
  EXPECT_EQ(Tensor().numel(), 0);
  EXPECT_EQ(shapeToString({2, 8, 16, 32}), "[2,8,16,32]");
  EXPECT_TRUE(checkShape(t, {2, 3, 4}, "t").ok());
  EXPECT_EQ(checkShape(t, {2, 3, 5}, "t").message(),
            "t: expected shape [2,3,5], got [2,3,4]");
  EXPECT_EQ(checkRank(t, 4, "X").message(), "X: expected rank 4, got 3");
}

TEST(TensorTest, RoundToDType) {
  EXPECT_EQ(roundToDType(1.0 + 1e-9, DType::F32), 1.0);
  EXPECT_EQ(roundToDType(1.0 + 1e-9, DType::F64), 1.0 + 1e-9);
  EXPECT_EQ(roundToDType(1.0 + 0x1p-9, DType::BF16), 1.0);
  EXPECT_EQ(roundToDType(1.0 + 0x1p-9, DType::F16), 1.0 + 0x1p-9);
  EXPECT_EQ(roundToDType(70000.0, DType::F16), INFINITY);
  EXPECT_EQ(roundToDType(2.5, DType::I32), 2.0);
  EXPECT_EQ(roundToDType(-3.7, DType::I64), -4.0);
}

namespace {

TEST(HostMemoryTest, NamesTheLargestTensorAndTheLimit) {
  using smc::ref::checkHostMemory;
  std::vector<std::pair<std::string, smc::ref::Shape>> tensors = {
      {"x", {2, 1000, 8}}, {"B", {2, 1000, 4}}};
  // 16 bytes x (16000 + 8000) elements = 384000 bytes.
  EXPECT_TRUE(checkHostMemory(tensors, 16, 384000).ok());
  smc::ref::Status st = checkHostMemory(tensors, 16, 383999);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("the largest is x [2,1000,8]"), std::string::npos)
      << st.message();
  // Products that overflow int64 are still compared, not wrapped.
  tensors.push_back({"huge", {1LL << 40, 1LL << 40}});
  EXPECT_FALSE(checkHostMemory(tensors, 16, 1e15).ok());
  // No known limit: nothing is refused.
  EXPECT_TRUE(checkHostMemory(tensors, 16, 0).ok());
}

} // namespace
