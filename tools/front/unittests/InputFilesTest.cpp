//===- InputFilesTest.cpp - tests of --input files ------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/front/InputFiles.h"

#include "reference/Npy.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <unistd.h>

using namespace smc;
using namespace smc::front;

namespace {

/// A .npy file of `values` (shape [n]) in a fresh temporary path.
std::string writeFile(std::initializer_list<double> values) {
  char dir[] = "/tmp/smc-inputfiles-XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/in.npy";
  ref::Tensor t({int64_t(values.size())});
  int64_t i = 0;
  for (double v : values)
    t[i++] = v;
  EXPECT_TRUE(ref::writeNpy(path, t, ref::DType::F32).ok());
  return path;
}

std::string errorOf(const std::string &item, ref::InputKind kind,
                    ref::Shape shape = {3}) {
  std::vector<InputSlot> inputs = {
      {"x", ref::DType::F32, ref::InputKind::Normal, {3}},
      {"a", ref::DType::F32, kind, shape}};
  std::vector<ref::Tensor> values(2, ref::Tensor({3}));
  ref::Status st = readInputFiles({item}, inputs, values);
  return st.ok() ? "" : st.message();
}

} // namespace

TEST(InputFilesTest, ReadsAndRoundsThroughTheDType) {
  std::string path = writeFile({0.1, -0.2, 0.3});
  std::vector<InputSlot> inputs = {
      {"x", ref::DType::BF16, ref::InputKind::Normal, {3}}};
  std::vector<ref::Tensor> values(1, ref::Tensor({3}));
  ASSERT_TRUE(readInputFiles({"x=" + path}, inputs, values).ok());
  EXPECT_NE(values[0][0], 0.1f);                   // rounded to bf16
  EXPECT_NEAR(values[0][0], 0.1, 0.1 * 1.0 / 256); // within one bf16 step
}

TEST(InputFilesTest, NamesTheProblem) {
  std::string path = writeFile({-0.1, -0.2, -0.3});
  EXPECT_EQ(errorOf("y=" + path, ref::InputKind::LogDecay),
            "--input: the model has no input named 'y' (inputs: x, a)");
  EXPECT_EQ(errorOf(path, ref::InputKind::LogDecay),
            "--input expects NAME=FILE.npy, got '" + path + "'");
  EXPECT_NE(errorOf("a=" + path, ref::InputKind::LogDecay, {1, 3}), "");
  EXPECT_EQ(errorOf("a=" + path, ref::InputKind::LogDecay), "");
}

TEST(InputFilesTest, ValuesOutsideTheKindsDomain) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::string positive = writeFile({-0.1, 0.25, -0.3});
  EXPECT_EQ(errorOf("a=" + positive, ref::InputKind::LogDecay),
            "--input a: " + positive +
                " (log_decay): element [1] is 0.25, but a log-decay must be "
                "<= 0 (a decay above 1 grows without bound)");
  EXPECT_EQ(errorOf("a=" + positive, ref::InputKind::Normal), "");
  std::string notFinite = writeFile({1.0, 2.0, nan});
  EXPECT_NE(errorOf("a=" + notFinite, ref::InputKind::Normal)
                .find("element [2] is nan, but inputs must be finite"),
            std::string::npos);
  std::string negative = writeFile({0.5, -0.01, 0.2});
  EXPECT_NE(errorOf("a=" + negative, ref::InputKind::DtPositive)
                .find("dt must be >= 0"),
            std::string::npos);
  EXPECT_NE(errorOf("a=" + positive, ref::InputKind::ALog).find("A must be"),
            std::string::npos);
}

TEST(InputFilesTest, OffsetsMustStartAtZeroAndNotDecrease) {
  ref::Tensor ok({3}), bad({3});
  ok[1] = 4, ok[2] = 4;
  bad[1] = 5, bad[2] = 3;
  EXPECT_TRUE(ref::checkInputDomain(ok, ref::InputKind::Offsets).ok());
  EXPECT_FALSE(ref::checkInputDomain(bad, ref::InputKind::Offsets).ok());
  ok[0] = 1;
  EXPECT_FALSE(ref::checkInputDomain(ok, ref::InputKind::Offsets).ok());
}
