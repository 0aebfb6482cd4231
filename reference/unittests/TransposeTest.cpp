//===- TransposeTest.cpp - the transposed (anti-causal) mask --------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// Checks MaskSpec::transpose in the contract reference against code written
// here: y against a triple loop over L'(t, s) = L(s, t) with every L spelled
// out from its definition; the reversed states against the right-to-left
// recurrence, against the gradient reference (the backward of a causal
// contraction is the anti-causal one), and against time reversal.
//
//===----------------------------------------------------------------------===//

#include "reference/Contract.h"
#include "reference/ContractGrad.h"

#include "TestUtil.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>

using namespace smc::ref;
using namespace smc::ref::test;

namespace {

constexpr double kTol = 1e-12;

/// Random inputs of one problem.
struct Inputs {
  Tensor c, b, x, init, a; ///< a: log-decays [b,T,h] in [-1, 0).
  std::vector<double> gamma;
};

Inputs makeInputs(int64_t b, int64_t t, int64_t h, int64_t g, int64_t p,
                  int64_t n, int64_t sequences, uint64_t seed) {
  Rng rng(seed);
  Inputs in;
  in.c = randomTensor({b, t, g, n}, rng);
  in.b = randomTensor({b, t, g, n}, rng);
  in.x = randomTensor({b, t, h, p}, rng);
  in.init = randomTensor({sequences, h, p, n}, rng);
  in.a = Tensor({b, t, h});
  fillUniform(in.a, DType::F64, -1.0, -0.01, rng);
  for (int64_t i = 0; i < h; ++i)
    in.gamma.push_back(0.95 - 0.1 * static_cast<double>(i));
  return in;
}

ContractProblem problemOf(const Inputs &in, const MaskSpec &mask,
                          const std::vector<int64_t> *cu) {
  ContractProblem problem;
  problem.C = &in.c;
  problem.B = &in.b;
  problem.X = &in.x;
  problem.mask = &mask;
  problem.cuSeqlens = cu;
  return problem;
}

// The masks of Mask.h, written from their definitions as (b, head, t, s,
// tRel, sRel) -> L(t, s).

ExplicitMask causalDef() {
  return [](int64_t, int64_t, int64_t t, int64_t s, int64_t, int64_t) {
    return s <= t ? 1.0 : 0.0;
  };
}

ExplicitMask fixedDef(std::vector<double> gamma) {
  return [gamma](int64_t, int64_t hd, int64_t t, int64_t s, int64_t, int64_t) {
    return s <= t ? std::pow(gamma[static_cast<size_t>(hd)],
                             static_cast<double>(t - s))
                  : 0.0;
  };
}

ExplicitMask decayDef(const Tensor &a) {
  return [&a](int64_t b, int64_t hd, int64_t t, int64_t s, int64_t, int64_t) {
    if (s > t)
      return 0.0;
    double sum = 0.0;
    for (int64_t k = s + 1; k <= t; ++k)
      sum += a.at({b, k, hd});
    return std::exp(sum);
  };
}

ExplicitMask windowDef(int64_t w) {
  return [w](int64_t, int64_t, int64_t t, int64_t s, int64_t, int64_t) {
    return t - s >= 0 && t - s < w ? 1.0 : 0.0;
  };
}

/// An asymmetric value of every coordinate, so a swapped read shows.
double customValue(int64_t b, int64_t hd, int64_t tAbs, int64_t sAbs,
                   int64_t tRel, int64_t sRel) {
  return 1.0 + 0.25 * static_cast<double>(b) + 0.1 * static_cast<double>(hd) +
         0.07 * static_cast<double>(tRel) - 0.03 * static_cast<double>(sRel) +
         0.011 * static_cast<double>(3 * tAbs + sAbs);
}

MaskSpec customMask(bool causal) {
  return MaskSpec::custom(
      [](const MaskPoint &pt) {
        return customValue(pt.batch, pt.head, pt.tAbs, pt.sAbs, pt.tRel,
                           pt.sRel);
      },
      causal);
}

ExplicitMask customDef(bool causal) {
  return [causal](int64_t b, int64_t hd, int64_t t, int64_t s, int64_t tRel,
                  int64_t sRel) {
    return causal && s > t ? 0.0 : customValue(b, hd, t, s, tRel, sRel);
  };
}

ExplicitMask productDef(ExplicitMask lhs, ExplicitMask rhs) {
  return [lhs, rhs](int64_t b, int64_t hd, int64_t t, int64_t s, int64_t tRel,
                    int64_t sRel) {
    return lhs(b, hd, t, s, tRel, sRel) * rhs(b, hd, t, s, tRel, sRel);
  };
}

/// L'(t, s) = L(s, t).
ExplicitMask transposedDef(ExplicitMask inner) {
  return [inner](int64_t b, int64_t hd, int64_t t, int64_t s, int64_t tRel,
                 int64_t sRel) { return inner(b, hd, s, t, sRel, tRel); };
}

struct Case {
  std::string name;
  MaskSpec mask;
  ExplicitMask def;
};

std::vector<Case> transposedCases(const Inputs &in) {
  MaskSpec decay = MaskSpec::decay(in.a),
           fixed = MaskSpec::fixedDecay(in.gamma);
  auto t = [](MaskSpec m) { return MaskSpec::transpose(std::move(m)); };
  auto mul = [](MaskSpec l, MaskSpec r) {
    return MaskSpec::mul(std::move(l), std::move(r));
  };
  return {
      {"transpose(causal)", t(MaskSpec::causal()), transposedDef(causalDef())},
      {"transpose(fixed)", t(fixed), transposedDef(fixedDef(in.gamma))},
      {"transpose(decay)", t(decay), transposedDef(decayDef(in.a))},
      {"transpose(window(3))", t(MaskSpec::window(3)),
       transposedDef(windowDef(3))},
      {"transpose(custom(causal))", t(customMask(true)),
       transposedDef(customDef(true))},
      {"transpose(custom)", t(customMask(false)),
       transposedDef(customDef(false))},
      {"transpose(mul(decay, window(4)))", t(mul(decay, MaskSpec::window(4))),
       transposedDef(productDef(decayDef(in.a), windowDef(4)))},
      {"mul(transpose(decay), transpose(fixed))", mul(t(decay), t(fixed)),
       productDef(transposedDef(decayDef(in.a)),
                  transposedDef(fixedDef(in.gamma)))},
      {"mul(custom, transpose(window(3)))",
       mul(customMask(false), t(MaskSpec::window(3))),
       productDef(customDef(false), transposedDef(windowDef(3)))},
      {"mul(custom, transpose(custom(causal)))",
       mul(customMask(false), t(customMask(true))),
       productDef(customDef(false), transposedDef(customDef(true)))},
      {"transpose(mul(transpose(custom), decay))",
       t(mul(t(customMask(false)), decay)),
       transposedDef(
           productDef(transposedDef(customDef(false)), decayDef(in.a)))},
      // Only the diagonal survives these two.
      {"mul(decay, transpose(decay))", mul(decay, t(decay)),
       productDef(decayDef(in.a), transposedDef(decayDef(in.a)))},
      {"mul(window(3), transpose(window(2)))",
       mul(MaskSpec::window(3), t(MaskSpec::window(2))),
       productDef(windowDef(3), transposedDef(windowDef(2)))},
      {"transpose(transpose(decay))", t(t(decay)), decayDef(in.a)},
  };
}

} // namespace

TEST(TransposeTest, TransposedMasksMatchTripleLoop) {
  std::vector<int64_t> cu = {0, 5, 5, 13}; // An empty sequence too.
  for (bool packed : {false, true}) {
    Inputs in = makeInputs(packed ? 1 : 2, 13, 4, 2, 3, 5, 1, packed ? 3 : 5);
    const std::vector<int64_t> *seqs = packed ? &cu : nullptr;
    for (const Case &k : transposedCases(in)) {
      SCOPED_TRACE(k.name + (packed ? " packed" : ""));
      ContractResult result;
      Status status = computeContract(problemOf(in, k.mask, seqs), result);
      ASSERT_TRUE(status.ok()) << status.message();
      Tensor expected = explicitContract(in.c, in.b, in.x, k.def, seqs);
      EXPECT_LT(relErr(result.y, expected), kTol);
    }
  }
}

TEST(TransposeTest, RowSamplingOfAnAntiCausalMask) {
  Inputs in = makeInputs(2, 13, 4, 2, 3, 5, 2, 7);
  MaskSpec mask = MaskSpec::transpose(MaskSpec::decay(in.a));
  ContractProblem problem = problemOf(in, mask, nullptr);
  problem.initState = &in.init;
  ContractResult full, sampled;
  ASSERT_TRUE(computeContract(problem, full).ok());
  std::vector<int64_t> rows = {12, 0, 6};
  ASSERT_TRUE(computeContract(problem, sampled, &rows).ok());
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t t = 0; t < 13; ++t)
      for (int64_t i = 0; i < 12; ++i) {
        double got = sampled.y.at({b, t, i / 3, i % 3});
        if (t == 0 || t == 6 || t == 12)
          EXPECT_EQ(got, full.y.at({b, t, i / 3, i % 3}));
        else
          EXPECT_TRUE(std::isnan(got)) << "t=" << t;
      }
}

// The reversed masks' y and both states against h_t = x_t B_t^T +
// exp(ld[t+1]) h_{t+1}, with the per-step log-decay ld derived here.
TEST(TransposeTest, ReversedStatesMatchRightToLeftRecurrence) {
  std::vector<int64_t> cu = {0, 4, 4, 5, 13}; // Empty and length-1 runs.
  for (bool packed : {false, true}) {
    int64_t b = packed ? 1 : 2, h = 4, sequences = packed ? 4 : 2;
    Inputs in = makeInputs(b, 13, h, 2, 3, 5, sequences, packed ? 11 : 13);
    const std::vector<int64_t> *seqs = packed ? &cu : nullptr;
    Tensor zero({b, 13, h}), fixedLd({b, 13, h}), mulLd({b, 13, h});
    for (int64_t i = 0; i < fixedLd.numel(); ++i) {
      fixedLd[i] = std::log(in.gamma[static_cast<size_t>(i % h)]);
      mulLd[i] = in.a[i] + fixedLd[i];
    }
    MaskSpec decay = MaskSpec::decay(in.a),
             fixed = MaskSpec::fixedDecay(in.gamma);
    auto t = [](MaskSpec m) { return MaskSpec::transpose(std::move(m)); };
    struct Family {
      std::string name;
      MaskSpec mask;
      const Tensor *ld;
    };
    std::vector<Family> families = {
        {"transpose(causal)", t(MaskSpec::causal()), &zero},
        {"transpose(fixed)", t(fixed), &fixedLd},
        {"transpose(decay)", t(decay), &in.a},
        {"transpose(mul(decay, fixed))", t(MaskSpec::mul(decay, fixed)),
         &mulLd},
        {"mul(transpose(fixed), transpose(decay))",
         MaskSpec::mul(t(fixed), t(decay)), &mulLd},
        {"transpose(transpose(transpose(decay)))", t(t(t(decay))), &in.a},
    };
    for (const Family &family : families)
      for (bool withInit : {false, true}) {
        SCOPED_TRACE(family.name + (withInit ? " with init" : "") +
                     (packed ? " packed" : ""));
        ASSERT_TRUE(family.mask.isReversed());
        ContractProblem problem = problemOf(in, family.mask, seqs);
        problem.initState = withInit ? &in.init : nullptr;
        problem.wantFinalState = true;
        ContractResult result;
        Status status = computeContract(problem, result);
        ASSERT_TRUE(status.ok()) << status.message();
        Tensor expectedFinal;
        Tensor expected =
            reversedRecurrence(in.c, in.b, in.x, *family.ld, problem.initState,
                               seqs, &expectedFinal);
        EXPECT_LT(relErr(result.y, expected), kTol);
        EXPECT_LT(relErr(*result.finalState, expectedFinal), kTol);
      }
  }
}

// For a causal contraction with output gradients dY and dF, the anti-causal
// one with C' = B, B' = C, X' = dY, transpose(L) and initial state dF gives
// y' = dX and final' = dH0; the gradients come from ContractGrad.cpp, which
// differentiates the causal quadratic form by hand. h == g, since dX is per
// head while dC, dB would sum a group's heads.
TEST(TransposeTest, AntiCausalContractionIsTheBackward) {
  std::vector<int64_t> cu = {0, 4, 4, 9, 13}; // An empty sequence too.
  for (bool packed : {false, true}) {
    int64_t b = packed ? 1 : 2, sequences = packed ? 4 : 2;
    const std::vector<int64_t> *seqs = packed ? &cu : nullptr;
    Inputs in = makeInputs(b, 13, 3, 3, 2, 4, sequences, packed ? 17 : 19);
    Rng rng(23);
    Tensor dY = randomTensor(in.x.shape(), rng);
    Tensor dF = randomTensor(in.init.shape(), rng);
    MaskSpec decay = MaskSpec::decay(in.a);
    MaskSpec masks[] = {decay,
                        MaskSpec::mul(decay, MaskSpec::fixedDecay(in.gamma))};
    for (const MaskSpec &mask : masks) {
      SCOPED_TRACE(mask.describe() + (packed ? " packed" : ""));
      ContractProblem forward = problemOf(in, mask, seqs);
      forward.initState = &in.init;
      forward.wantFinalState = true;
      ContractGrads grads;
      Status status = computeContractGrad(forward, dY, &dF, grads);
      ASSERT_TRUE(status.ok()) << status.message();

      MaskSpec transposed = MaskSpec::transpose(mask);
      ContractProblem backward;
      backward.C = &in.b;
      backward.B = &in.c;
      backward.X = &dY;
      backward.mask = &transposed;
      backward.initState = &dF;
      backward.cuSeqlens = seqs;
      backward.wantFinalState = true;
      ContractResult result;
      status = computeContract(backward, result);
      ASSERT_TRUE(status.ok()) << status.message();
      EXPECT_LT(relErr(result.y, grads.dX), kTol);
      ASSERT_TRUE(grads.dInitState.has_value());
      EXPECT_LT(relErr(*result.finalState, *grads.dInitState), kTol);
    }
  }
}

// Reversing time turns transpose(decay(a)) on reversed inputs into decay(a')
// on the original ones with the shifted log-decays a'[j] = a[T-j] (a'[0] =
// 0): the reversed L(T-1-u, T-1-v) sums a[k] for T-u <= k <= T-1-v, that is
// a'[j] for v < j <= u. The reversed final state is the one left before
// position 0, so it has decayed once more, by a[0].
TEST(TransposeTest, TimeReversalTurnsTransposeIntoCausal) {
  const int64_t b = 2, t = 13, h = 4, p = 3, n = 5;
  Inputs in = makeInputs(b, t, h, 2, p, n, b, 29);
  auto reversed = [&](const Tensor &tensor) {
    Tensor out(tensor.shape());
    int64_t row = tensor.numel() / (b * t);
    for (int64_t bi = 0; bi < b; ++bi)
      for (int64_t ti = 0; ti < t; ++ti)
        for (int64_t i = 0; i < row; ++i)
          out[(bi * t + ti) * row + i] =
              tensor[(bi * t + (t - 1 - ti)) * row + i];
    return out;
  };
  Inputs flipped = in;
  flipped.c = reversed(in.c);
  flipped.b = reversed(in.b);
  flipped.x = reversed(in.x);
  // Each mask with its per-step log-decay, derived here.
  Tensor mulLd({b, t, h});
  for (int64_t i = 0; i < mulLd.numel(); ++i)
    mulLd[i] = in.a[i] + std::log(in.gamma[static_cast<size_t>(i % h)]);
  std::vector<std::pair<MaskSpec, const Tensor *>> masks = {
      {MaskSpec::transpose(MaskSpec::decay(in.a)), &in.a},
      {MaskSpec::transpose(MaskSpec::mul(MaskSpec::decay(in.a),
                                         MaskSpec::fixedDecay(in.gamma))),
       &mulLd},
  };
  for (const auto &[mask, ld] : masks) {
    SCOPED_TRACE(mask.describe());
    ContractProblem anti = problemOf(flipped, mask, nullptr);
    anti.initState = &in.init;
    anti.wantFinalState = true;
    ContractResult antiResult;
    ASSERT_TRUE(computeContract(anti, antiResult).ok());

    Tensor shifted({b, t, h});
    for (int64_t bi = 0; bi < b; ++bi)
      for (int64_t j = 1; j < t; ++j)
        for (int64_t hd = 0; hd < h; ++hd)
          shifted.at({bi, j, hd}) = ld->at({bi, t - j, hd});
    MaskSpec causal = MaskSpec::decay(shifted);
    ContractProblem forward = problemOf(in, causal, nullptr);
    forward.initState = &in.init;
    forward.wantFinalState = true;
    ContractResult forwardResult;
    ASSERT_TRUE(computeContract(forward, forwardResult).ok());

    EXPECT_LT(relErr(reversed(antiResult.y), forwardResult.y), kTol);
    Tensor expectedFinal = *forwardResult.finalState;
    for (int64_t bi = 0; bi < b; ++bi)
      for (int64_t i = 0; i < h * p * n; ++i)
        expectedFinal[bi * h * p * n + i] *=
            std::exp(ld->at({bi, 0, i / (p * n)}));
    EXPECT_LT(relErr(*antiResult.finalState, expectedFinal), kTol);
  }
}

TEST(TransposeTest, StatesOfBothDirectionsAreRejected) {
  Inputs in = makeInputs(2, 13, 4, 2, 3, 5, 2, 31);
  MaskSpec decay = MaskSpec::decay(in.a);
  MaskSpec both = MaskSpec::mul(decay, MaskSpec::transpose(decay));
  ContractProblem problem = problemOf(in, both, nullptr);
  problem.wantFinalState = true;
  ContractResult result;
  Status status = computeContract(problem, result);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("mul(decay, transpose(decay))"),
            std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("semiseparable"), std::string::npos);
  MaskSpec window = MaskSpec::transpose(MaskSpec::window(0));
  problem = problemOf(in, window, nullptr);
  EXPECT_EQ(computeContract(problem, result).message(),
            "mask: window: width must be >= 1, got 0");
}
