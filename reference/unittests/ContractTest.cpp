//===- ContractTest.cpp - tests of the float64 contract reference ---------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Contract.h"

#include "TestUtil.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>

using namespace smc::ref;
using namespace smc::ref::test;

namespace {

constexpr double kTol = 1e-12;

/// Random inputs of one problem; `ld` is the per-step log-decay [b,T,h] the
/// test derives on its own for the mask under test.
struct Inputs {
  Tensor c, b, x, init;
  std::vector<int64_t> cu;
  bool useCu = false;
};

Inputs makeInputs(int64_t b, int64_t t, int64_t h, int64_t g, int64_t p,
                  int64_t n, int64_t sequences, uint64_t seed) {
  Rng rng(seed);
  Inputs in;
  in.c = randomTensor({b, t, g, n}, rng);
  in.b = randomTensor({b, t, g, n}, rng);
  in.x = randomTensor({b, t, h, p}, rng);
  in.init = randomTensor({sequences, h, p, n}, rng);
  return in;
}

/// A family of semiseparable masks with its independently derived ld.
struct Family {
  std::string name;
  MaskSpec mask;
  Tensor ld; ///< [b,T,h]
};

std::vector<Family> families(int64_t b, int64_t t, int64_t h, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> gamma = {0.9, 0.5, 1.0, 0.97};
  gamma.resize(static_cast<size_t>(h), 0.8);
  Tensor a({b, t, h});
  fillUniform(a, DType::F64, -1.0, 0.0, rng);

  Tensor zero({b, t, h});
  Tensor fixedLd({b, t, h});
  for (int64_t i = 0; i < fixedLd.numel(); ++i)
    fixedLd[i] = std::log(gamma[static_cast<size_t>(i % h)]);
  Tensor mulLd({b, t, h});
  for (int64_t i = 0; i < mulLd.numel(); ++i)
    mulLd[i] = a[i] + fixedLd[i];
  Tensor doubleDecayLd({b, t, h});
  for (int64_t i = 0; i < doubleDecayLd.numel(); ++i)
    doubleDecayLd[i] = a[i] + a[i] + fixedLd[i];

  std::vector<Family> out;
  out.push_back({"causal", MaskSpec::causal(), zero});
  out.push_back({"fixed", MaskSpec::fixedDecay(gamma), fixedLd});
  out.push_back({"decay", MaskSpec::decay(a), a});
  out.push_back({"mul(decay,fixed)",
                 MaskSpec::mul(MaskSpec::decay(a), MaskSpec::fixedDecay(gamma)),
                 mulLd});
  out.push_back(
      {"mul(causal,mul(decay,mul(fixed,decay)))",
       MaskSpec::mul(MaskSpec::causal(),
                     MaskSpec::mul(MaskSpec::decay(a),
                                   MaskSpec::mul(MaskSpec::fixedDecay(gamma),
                                                 MaskSpec::decay(a)))),
       doubleDecayLd});
  return out;
}

void checkFamilies(int64_t b, int64_t t, const std::vector<int64_t> *cu) {
  const int64_t h = 4, g = 2, p = 3, n = 5;
  int64_t sequences = cu ? static_cast<int64_t>(cu->size()) - 1 : b;
  Inputs in = makeInputs(b, t, h, g, p, n, sequences, 7);
  for (const Family &family : families(b, t, h, 11)) {
    for (bool withInit : {false, true}) {
      SCOPED_TRACE(family.name + (withInit ? " with init" : " no init") +
                   (cu ? " cu_seqlens" : ""));
      ContractProblem problem;
      problem.C = &in.c;
      problem.B = &in.b;
      problem.X = &in.x;
      problem.mask = &family.mask;
      problem.initState = withInit ? &in.init : nullptr;
      problem.cuSeqlens = cu;
      problem.wantFinalState = true;
      ContractResult result;
      Status status = computeContract(problem, result);
      ASSERT_TRUE(status.ok()) << status.message();
      Tensor expectedFinal;
      Tensor expected =
          recurrence(in.c, in.b, in.x, family.ld, withInit ? &in.init : nullptr,
                     cu, &expectedFinal);
      EXPECT_LT(relErr(result.y, expected), kTol);
      ASSERT_TRUE(result.finalState.has_value());
      EXPECT_LT(relErr(*result.finalState, expectedFinal), kTol);
    }
  }
}

ContractProblem basicProblem(const Inputs &in, const MaskSpec &mask) {
  ContractProblem problem;
  problem.C = &in.c;
  problem.B = &in.b;
  problem.X = &in.x;
  problem.mask = &mask;
  return problem;
}

std::string errorOf(const ContractProblem &problem,
                    const std::vector<int64_t> *rows = nullptr) {
  ContractResult result;
  Status status = computeContract(problem, result, rows);
  return status.ok() ? std::string("<ok>") : status.message();
}

} // namespace

TEST(ContractTest, SemiseparableMatchesRecurrence) {
  checkFamilies(2, 13, nullptr);
}

TEST(ContractTest, SemiseparableMatchesRecurrenceWithCuSeqlens) {
  std::vector<int64_t> cu = {0, 5, 5, 13};
  checkFamilies(1, 13, &cu);
  std::vector<int64_t> starts = {0, 1, 2, 13}; // Length-1 and trailing runs.
  checkFamilies(1, 13, &starts);
}

TEST(ContractTest, EmptySequenceKeepsInitialState) {
  Inputs in = makeInputs(1, 13, 4, 2, 3, 5, 3, 3);
  std::vector<int64_t> cu = {0, 5, 5, 13};
  MaskSpec mask = MaskSpec::fixedDecay({0.5, 0.6, 0.7, 0.8});
  ContractProblem problem = basicProblem(in, mask);
  problem.cuSeqlens = &cu;
  problem.initState = &in.init;
  problem.wantFinalState = true;
  ContractResult result;
  ASSERT_TRUE(computeContract(problem, result).ok());
  for (int64_t hd = 0; hd < 4; ++hd)
    for (int64_t q = 0; q < 3; ++q)
      for (int64_t m = 0; m < 5; ++m)
        EXPECT_EQ(result.finalState->at({1, hd, q, m}),
                  in.init.at({1, hd, q, m}));
}

TEST(ContractTest, NoInformationCrossesSequences) {
  // Changing the first sequence must not change any output of the second.
  Inputs in = makeInputs(1, 13, 4, 2, 3, 5, 2, 5);
  std::vector<int64_t> cu = {0, 6, 13};
  MaskSpec mask = MaskSpec::causal();
  ContractProblem problem = basicProblem(in, mask);
  problem.cuSeqlens = &cu;
  ContractResult before, after;
  ASSERT_TRUE(computeContract(problem, before).ok());
  for (int64_t t = 0; t < 6; ++t)
    for (int64_t q = 0; q < 3; ++q)
      in.x.at({0, t, 1, q}) += 100.0;
  ASSERT_TRUE(computeContract(problem, after).ok());
  for (int64_t t = 6; t < 13; ++t)
    for (int64_t q = 0; q < 3; ++q)
      EXPECT_EQ(before.y.at({0, t, 1, q}), after.y.at({0, t, 1, q}));
  EXPECT_NE(before.y.at({0, 5, 1, 0}), after.y.at({0, 5, 1, 0}));
}

TEST(ContractTest, WindowMatchesExplicitLoop) {
  Inputs in = makeInputs(2, 13, 4, 2, 3, 5, 2, 9);
  for (int64_t w : {1, 4, 20}) {
    MaskSpec mask = MaskSpec::window(w);
    ContractResult result;
    ASSERT_TRUE(computeContract(basicProblem(in, mask), result).ok());
    Tensor expected = explicitContract(
        in.c, in.b, in.x,
        [w](int64_t, int64_t, int64_t t, int64_t s, int64_t, int64_t) {
          return (t - s >= 0 && t - s < w) ? 1.0 : 0.0;
        },
        nullptr);
    EXPECT_LT(relErr(result.y, expected), kTol) << "w=" << w;
  }
}

TEST(ContractTest, MulWindowDecayMatchesExplicitLoop) {
  Inputs in = makeInputs(1, 13, 4, 2, 3, 5, 3, 13);
  std::vector<int64_t> cu = {0, 5, 5, 13};
  Rng rng(17);
  Tensor a({1, 13, 4});
  fillUniform(a, DType::F64, -0.5, 0.0, rng);
  MaskSpec mask = MaskSpec::mul(MaskSpec::window(3), MaskSpec::decay(a));
  ContractProblem problem = basicProblem(in, mask);
  problem.cuSeqlens = &cu;
  ContractResult result;
  Status status = computeContract(problem, result);
  ASSERT_TRUE(status.ok()) << status.message();
  Tensor expected = explicitContract(
      in.c, in.b, in.x,
      [&](int64_t b, int64_t hd, int64_t t, int64_t s, int64_t, int64_t) {
        if (s > t || t - s >= 3)
          return 0.0;
        double sum = 0.0;
        for (int64_t k = s + 1; k <= t; ++k)
          sum += a.at({b, k, hd});
        return std::exp(sum);
      },
      &cu);
  EXPECT_LT(relErr(result.y, expected), kTol);
}

TEST(ContractTest, CustomMatchesExplicitLoop) {
  Inputs in = makeInputs(1, 13, 4, 2, 3, 5, 3, 21);
  std::vector<int64_t> cu = {0, 5, 5, 13};
  auto fn = [](const MaskPoint &pt) {
    return std::exp(-0.1 * static_cast<double>(pt.tRel - pt.sRel)) *
           static_cast<double>(pt.head + 1);
  };
  for (bool causal : {true, false}) {
    SCOPED_TRACE(causal ? "causal" : "non-causal");
    MaskSpec mask = MaskSpec::custom(fn, causal);
    ContractProblem problem = basicProblem(in, mask);
    problem.cuSeqlens = &cu;
    ContractResult result;
    ASSERT_TRUE(computeContract(problem, result).ok());
    Tensor expected = explicitContract(
        in.c, in.b, in.x,
        [&](int64_t, int64_t hd, int64_t t, int64_t s, int64_t tRel,
            int64_t sRel) {
          if (causal && s > t)
            return 0.0;
          return std::exp(-0.1 * static_cast<double>(tRel - sRel)) *
                 static_cast<double>(hd + 1);
        },
        &cu);
    EXPECT_LT(relErr(result.y, expected), kTol);
  }
}

TEST(ContractTest, CustomSeesBatchAndAbsolutePositions) {
  Inputs in = makeInputs(2, 7, 2, 1, 2, 3, 2, 23);
  MaskSpec mask = MaskSpec::custom(
      [](const MaskPoint &pt) {
        return 1.0 + 0.5 * static_cast<double>(pt.batch) +
               0.01 * static_cast<double>(pt.tAbs * 7 + pt.sAbs);
      },
      false);
  ContractResult result;
  ASSERT_TRUE(computeContract(basicProblem(in, mask), result).ok());
  Tensor expected = explicitContract(
      in.c, in.b, in.x,
      [](int64_t b, int64_t, int64_t t, int64_t s, int64_t, int64_t) {
        return 1.0 + 0.5 * static_cast<double>(b) +
               0.01 * static_cast<double>(t * 7 + s);
      },
      nullptr);
  EXPECT_LT(relErr(result.y, expected), kTol);
}

TEST(ContractTest, RowSamplingMatchesFullComputation) {
  Inputs in = makeInputs(2, 13, 4, 2, 3, 5, 2, 29);
  Rng rng(31);
  Tensor a({2, 13, 4});
  fillUniform(a, DType::F64, -1.0, 0.0, rng);
  MaskSpec mask = MaskSpec::decay(a);
  ContractProblem problem = basicProblem(in, mask);
  problem.initState = &in.init;
  problem.wantFinalState = true;
  ContractResult full, sampled;
  ASSERT_TRUE(computeContract(problem, full).ok());
  std::vector<int64_t> rows = {12, 0, 7, 7};
  ASSERT_TRUE(computeContract(problem, sampled, &rows).ok());
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t t = 0; t < 13; ++t)
      for (int64_t hd = 0; hd < 4; ++hd)
        for (int64_t q = 0; q < 3; ++q) {
          double got = sampled.y.at({b, t, hd, q});
          if (t == 0 || t == 7 || t == 12)
            EXPECT_EQ(got, full.y.at({b, t, hd, q}));
          else
            EXPECT_TRUE(std::isnan(got)) << "t=" << t;
        }
  EXPECT_EQ(relErr(*sampled.finalState, *full.finalState), 0.0);
}

TEST(ContractTest, RowSamplingWithCuSeqlens) {
  Inputs in = makeInputs(1, 13, 4, 2, 3, 5, 3, 37);
  std::vector<int64_t> cu = {0, 5, 5, 13};
  MaskSpec mask = MaskSpec::fixedDecay({0.9, 0.8, 0.7, 0.6});
  ContractProblem problem = basicProblem(in, mask);
  problem.cuSeqlens = &cu;
  problem.initState = &in.init;
  ContractResult full, sampled;
  ASSERT_TRUE(computeContract(problem, full).ok());
  std::vector<int64_t> rows = {4, 5, 12};
  ASSERT_TRUE(computeContract(problem, sampled, &rows).ok());
  for (int64_t t = 0; t < 13; ++t) {
    bool wanted = t == 4 || t == 5 || t == 12;
    for (int64_t i = 0; i < 12; ++i) {
      double got = sampled.y.at({0, t, i / 3, i % 3});
      if (wanted)
        EXPECT_EQ(got, full.y.at({0, t, i / 3, i % 3}));
      else
        EXPECT_TRUE(std::isnan(got));
    }
  }
}

TEST(ContractTest, ThreadCountDoesNotChangeResults) {
  Inputs in = makeInputs(2, 33, 4, 1, 3, 5, 2, 41);
  MaskSpec mask = MaskSpec::fixedDecay({0.9, 0.8, 0.7, 0.6});
  ContractProblem problem = basicProblem(in, mask);
  problem.wantFinalState = true;
  ContractResult one, many;
  problem.numThreads = 1;
  ASSERT_TRUE(computeContract(problem, one).ok());
  problem.numThreads = 5;
  ASSERT_TRUE(computeContract(problem, many).ok());
  EXPECT_EQ(relErr(many.y, one.y), 0.0);
  EXPECT_EQ(relErr(*many.finalState, *one.finalState), 0.0);
}

TEST(ContractTest, StatesNeedSemiseparableMask) {
  Inputs in = makeInputs(2, 13, 4, 2, 3, 5, 2, 43);
  MaskSpec window = MaskSpec::window(4);
  ContractProblem problem = basicProblem(in, window);
  problem.wantFinalState = true;
  std::string message = errorOf(problem);
  EXPECT_NE(message.find("semiseparable"), std::string::npos) << message;
  EXPECT_NE(message.find("window(4)"), std::string::npos) << message;

  problem.wantFinalState = false;
  problem.initState = &in.init;
  message = errorOf(problem);
  EXPECT_NE(message.find("initial state"), std::string::npos) << message;

  MaskSpec custom = MaskSpec::mul(
      MaskSpec::causal(),
      MaskSpec::custom([](const MaskPoint &) { return 1.0; }, true));
  problem.mask = &custom;
  message = errorOf(problem);
  EXPECT_NE(message.find("mul(causal, custom(causal))"), std::string::npos)
      << message;
}

TEST(ContractTest, RejectsBadCuSeqlens) {
  Inputs in = makeInputs(1, 13, 4, 2, 3, 5, 2, 47);
  MaskSpec mask = MaskSpec::causal();
  ContractProblem problem = basicProblem(in, mask);
  std::vector<int64_t> decreasing = {0, 5, 4, 13};
  problem.cuSeqlens = &decreasing;
  EXPECT_NE(errorOf(problem).find("non-decreasing"), std::string::npos);
  std::vector<int64_t> shortEnd = {0, 5, 12};
  problem.cuSeqlens = &shortEnd;
  EXPECT_EQ(errorOf(problem), "cu_seqlens must end at T=13, got 12");
  std::vector<int64_t> badStart = {1, 13};
  problem.cuSeqlens = &badStart;
  EXPECT_EQ(errorOf(problem), "cu_seqlens[0] must be 0, got 1");
  std::vector<int64_t> single = {0};
  problem.cuSeqlens = &single;
  EXPECT_NE(errorOf(problem).find("at least 2"), std::string::npos);

  Inputs batched = makeInputs(2, 13, 4, 2, 3, 5, 2, 53);
  ContractProblem batchedProblem = basicProblem(batched, mask);
  std::vector<int64_t> cu = {0, 13};
  batchedProblem.cuSeqlens = &cu;
  EXPECT_EQ(errorOf(batchedProblem), "cu_seqlens requires batch b=1, got b=2");
}

TEST(ContractTest, RejectsBadShapes) {
  MaskSpec mask = MaskSpec::causal();
  Inputs in = makeInputs(2, 13, 4, 3, 3, 5, 2, 59);
  EXPECT_EQ(errorOf(basicProblem(in, mask)),
            "heads h=4 must be a multiple of groups g=3");

  Inputs good = makeInputs(2, 13, 4, 2, 3, 5, 2, 61);
  Tensor x3({2, 13, 4});
  ContractProblem problem = basicProblem(good, mask);
  problem.X = &x3;
  EXPECT_EQ(errorOf(problem), "X: expected rank 4, got 3");

  Tensor shortC({2, 13, 2, 4});
  problem = basicProblem(good, mask);
  problem.C = &shortC;
  EXPECT_EQ(errorOf(problem), "C: expected shape [2,13,2,5], got [2,13,2,4]");

  Tensor otherT({2, 12, 2, 5});
  problem = basicProblem(good, mask);
  problem.B = &otherT;
  EXPECT_NE(errorOf(problem).find("B: batch and time dims must match X"),
            std::string::npos);

  Tensor badInit({2, 4, 3, 4});
  problem = basicProblem(good, mask);
  problem.initState = &badInit;
  EXPECT_EQ(errorOf(problem),
            "initial state: expected shape [2,4,3,5], got [2,4,3,4]");

  problem = basicProblem(good, mask);
  std::vector<int64_t> rows = {3, 13};
  EXPECT_EQ(errorOf(problem, &rows), "rows: row 13 is outside [0, 13)");

  problem.mask = nullptr;
  EXPECT_NE(errorOf(problem).find("mask is required"), std::string::npos);
}

TEST(ContractTest, RejectsBadMaskParameters) {
  Inputs in = makeInputs(2, 13, 4, 2, 3, 5, 2, 67);
  MaskSpec fewGammas = MaskSpec::fixedDecay({0.5, 0.5, 0.5});
  EXPECT_EQ(errorOf(basicProblem(in, fewGammas)),
            "mask: fixed_decay: gamma has 3 entries, expected h=4");
  MaskSpec wrongA = MaskSpec::decay(Tensor({2, 13, 3}));
  EXPECT_EQ(errorOf(basicProblem(in, wrongA)),
            "mask: decay: a: expected shape [2,13,4], got [2,13,3]");
  Tensor positive({2, 13, 4});
  positive.at({1, 2, 3}) = 0.25;
  MaskSpec growth =
      MaskSpec::mul(MaskSpec::causal(), MaskSpec::decay(positive));
  EXPECT_EQ(errorOf(basicProblem(in, growth)),
            "mask: decay: a[1,2,3] = 0.25 must be finite and <= 0");
  MaskSpec zeroWindow = MaskSpec::window(0);
  EXPECT_EQ(errorOf(basicProblem(in, zeroWindow)),
            "mask: window: width must be >= 1, got 0");
}

TEST(ContractTest, EmptyProblemsWork) {
  Inputs in = makeInputs(1, 0, 4, 2, 3, 5, 1, 71);
  MaskSpec mask = MaskSpec::causal();
  ContractProblem problem = basicProblem(in, mask);
  problem.initState = &in.init;
  problem.wantFinalState = true;
  ContractResult result;
  Status status = computeContract(problem, result);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(result.y.numel(), 0);
  EXPECT_EQ(relErr(*result.finalState, in.init), 0.0);
}
