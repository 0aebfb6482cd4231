//===- CheckTest.cpp - tests of the shared check report -------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/front/Check.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

using namespace smc;
using namespace smc::front;

namespace {

/// What `table.print` writes.
std::string printed(const CheckTable &table) {
  std::FILE *f = std::tmpfile();
  table.print(f);
  std::rewind(f);
  std::string text;
  for (int c; (c = std::fgetc(f)) != EOF;)
    text += char(c);
  std::fclose(f);
  return text;
}

ref::Tensor filled(std::initializer_list<double> values) {
  ref::Tensor t({int64_t(values.size())});
  int64_t i = 0;
  for (double v : values)
    t[i++] = v;
  return t;
}

} // namespace

TEST(CheckTest, ToleranceIsTheLoosestType) {
  EXPECT_DOUBLE_EQ(defaultTolerance({}), 1e-5);
  EXPECT_DOUBLE_EQ(defaultTolerance({ref::DType::F32, ref::DType::I32}), 1e-5);
  EXPECT_DOUBLE_EQ(defaultTolerance({ref::DType::F16, ref::DType::F32}), 1e-3);
  EXPECT_DOUBLE_EQ(
      defaultTolerance({ref::DType::F16, ref::DType::BF16, ref::DType::F32}),
      5e-3);
}

TEST(CheckTest, ReferenceRowsSampleOnlyWhenAskedOrTooCostly) {
  EXPECT_TRUE(referenceRows(1000, 0, 1e9).empty());
  EXPECT_EQ(referenceRows(1000, 0, 1e12).size(), size_t(kSampledPositions));
  EXPECT_TRUE(referenceRows(10, 0, 1e12).empty()); // fewer than 256 positions
  std::vector<int64_t> rows = referenceRows(101, 3, 0);
  EXPECT_EQ(rows, (std::vector<int64_t>{0, 50, 100}));
  EXPECT_TRUE(referenceRows(5, 5, 0).empty());
  EXPECT_EQ(sampleRows(7, 1), (std::vector<int64_t>{6}));
  EXPECT_EQ(sampleRows(2, 5), (std::vector<int64_t>{0, 1})); // no repeats
}

TEST(CheckTest, NonFiniteOutputIsItsOwnVerdict) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CheckTable table({"form", "output"}, 1e-5);
  ref::Tensor expected = filled({0.75, -1.5, 2.25, 3.0});
  ASSERT_TRUE(table.add({"linear", "0"}, expected, expected).ok());
  EXPECT_TRUE(table.passed());
  ASSERT_TRUE(
      table.add({"chunked", "0"}, filled({0.75, nan, 2.25, 3.0}), expected)
          .ok());
  EXPECT_FALSE(table.passed());
  std::string text = printed(table);
  EXPECT_NE(text.find("NON-FINITE (1 of 4 elements)"), std::string::npos)
      << text;
  // No error figure is printed for it: "inf" or "0" would mislead.
  size_t row = text.find("chunked");
  ASSERT_NE(row, std::string::npos);
  std::string line = text.substr(row, text.find('\n', row) - row);
  EXPECT_EQ(line.find("inf"), std::string::npos) << line;
  EXPECT_EQ(line.find("e+00"), std::string::npos) << line;
  EXPECT_EQ(judge(ref::ErrorStats{}, 1e-5), Verdict::Pass);
}

TEST(CheckTest, FailsAboveToleranceAndOnShapeMismatch) {
  CheckTable table({"output"}, 1e-3);
  ref::Tensor expected = filled({1.0, 2.0});
  ASSERT_TRUE(table.add({"y"}, filled({1.0, 2.1}), expected).ok());
  EXPECT_FALSE(table.passed());
  EXPECT_NE(printed(table).find("FAIL"), std::string::npos);
  ref::Status st = table.add({"z"}, filled({1.0}), expected);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("does not match"), std::string::npos);
}

TEST(CheckTest, NotCheckedAndRelativeRows) {
  CheckTable table({"form", "output"}, 1e-5);
  table.addNotChecked({"auto", "state"}, {2, 3});
  EXPECT_TRUE(table.passed());
  table.addRelative({"forms", "all"}, "agreement", 2e-6);
  EXPECT_TRUE(table.passed());
  std::string text = printed(table);
  EXPECT_NE(text.find("not checked"), std::string::npos);
  EXPECT_NE(text.find("2.000e-06"), std::string::npos);
  table.addRelative({"forms", "all"}, "agreement",
                    std::numeric_limits<double>::quiet_NaN());
  EXPECT_FALSE(table.passed());
  EXPECT_NE(printed(table).find("NON-FINITE"), std::string::npos);
}
