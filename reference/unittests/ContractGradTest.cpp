//===- ContractGradTest.cpp - the contract gradients by finite differences ===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// Proves the float64 gradient reference: for the loss
//   l = <dY, Y> + <dF, final state>
// with random dY, dF, every gradient entry must match the central difference
// of l computed with the forward reference (computeContract, an independent
// implementation), on tiny shapes, for every mask family (transposed ones
// too), with and without states, packed sequences, and h != g.
//
//===----------------------------------------------------------------------===//

#include "reference/ContractGrad.h"

#include "TestUtil.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>

using namespace smc::ref;
using namespace smc::ref::test;

namespace {

/// One problem and the random weights of its loss.
struct Case {
  std::string name;
  Tensor c, b, x, init, a, dY, dF;
  MaskSpec mask = MaskSpec::causal();
  bool useInit = false, useFinal = false, useCu = false;
  std::vector<int64_t> cu;
};

ContractProblem problemOf(const Case &k) {
  ContractProblem problem;
  problem.C = &k.c;
  problem.B = &k.b;
  problem.X = &k.x;
  problem.mask = &k.mask;
  problem.initState = k.useInit ? &k.init : nullptr;
  problem.cuSeqlens = k.useCu ? &k.cu : nullptr;
  problem.wantFinalState = k.useFinal;
  problem.numThreads = 1;
  return problem;
}

double dotAll(const Tensor &a, const Tensor &b) {
  double sum = 0.0;
  for (int64_t i = 0; i < a.numel(); ++i)
    sum += a[i] * b[i];
  return sum;
}

/// The loss through the forward reference.
double loss(const Case &k) {
  ContractResult result;
  Status status = computeContract(problemOf(k), result);
  EXPECT_TRUE(status.ok()) << status.message();
  double l = dotAll(k.dY, result.y);
  if (k.useFinal)
    l += dotAll(k.dF, *result.finalState);
  return l;
}

/// Checks every entry of `grad` against the central difference of the loss
/// in `param` (a tensor of `k`, perturbed in place).
void expectMatchesDifferences(Case &k, Tensor &param, const Tensor &grad,
                              const std::string &what) {
  ASSERT_EQ(param.shape(), grad.shape()) << what;
  for (int64_t i = 0; i < param.numel(); ++i) {
    double numeric = centralDifference([&] { return loss(k); }, param, i);
    EXPECT_NEAR(grad[i], numeric, 1e-6 * (1.0 + std::fabs(numeric)))
        << k.name << ": d" << what << "[" << i << "]";
  }
}

/// Random inputs: b = 2 (or 1 with packed sequences), T = 7, h = 4 heads
/// over g = 2 groups, p = 2, n = 3.
Case makeCase(std::string name, uint64_t seed, bool useCu = false) {
  Rng rng(seed);
  Case k;
  k.name = std::move(name);
  int64_t b = useCu ? 1 : 2, t = 7, h = 4, g = 2, p = 2, n = 3;
  k.useCu = useCu;
  k.cu = {0, 3, 3, 7}; // An empty sequence too.
  int64_t sequences = useCu ? 3 : b;
  k.c = randomTensor({b, t, g, n}, rng);
  k.b = randomTensor({b, t, g, n}, rng);
  k.x = randomTensor({b, t, h, p}, rng);
  k.init = randomTensor({sequences, h, p, n}, rng);
  k.dY = randomTensor({b, t, h, p}, rng);
  k.dF = randomTensor({sequences, h, p, n}, rng);
  k.a = Tensor({b, t, h});
  fillUniform(k.a, DType::F64, -0.8, -0.05, rng);
  return k;
}

/// Computes the gradients of `k` and checks each against differences. The
/// decay leaves read `k.a` (the mask holds a copy, so it is rebuilt per
/// perturbation by `remask`).
void checkCase(Case &k, const std::function<MaskSpec(const Tensor &)> &remask) {
  k.mask = remask(k.a);
  ContractGrads grads;
  Status status = computeContractGrad(problemOf(k), k.dY,
                                      k.useFinal ? &k.dF : nullptr, grads);
  ASSERT_TRUE(status.ok()) << k.name << ": " << status.message();
  expectMatchesDifferences(k, k.c, grads.dC, "C");
  expectMatchesDifferences(k, k.b, grads.dB, "B");
  expectMatchesDifferences(k, k.x, grads.dX, "X");
  if (k.useInit) {
    ASSERT_TRUE(grads.dInitState.has_value()) << k.name;
    expectMatchesDifferences(k, k.init, *grads.dInitState, "init");
  } else {
    EXPECT_FALSE(grads.dInitState.has_value()) << k.name;
  }
  std::vector<const MaskSpec *> leaves;
  k.mask.collectLeaves(leaves);
  size_t decays = 0;
  for (const MaskSpec *leaf : leaves)
    decays += leaf->kind() == MaskSpec::Kind::Decay;
  ASSERT_EQ(grads.dDecayLogs.size(), decays) << k.name;
  if (decays == 0)
    return;
  // d(loss)/da by differences, the mask rebuilt from the perturbed a.
  auto remasked = [&] {
    k.mask = remask(k.a);
    return loss(k);
  };
  for (int64_t i = 0; i < k.a.numel(); ++i) {
    double numeric = centralDifference(remasked, k.a, i);
    // Every decay leaf gets d(loss)/d(its a); here all leaves read the same
    // a, so their gradients sum to the difference.
    double analytic = 0.0;
    for (const Tensor &g : grads.dDecayLogs)
      analytic += g[i];
    EXPECT_NEAR(analytic, numeric, 1e-6 * (1.0 + std::fabs(numeric)))
        << k.name << ": da[" << i << "]";
  }
  k.mask = remask(k.a);
}

MaskSpec causalMask(const Tensor &) { return MaskSpec::causal(); }
MaskSpec fixedMask(const Tensor &) {
  return MaskSpec::fixedDecay({0.9, 0.5, 1.0, 0.7});
}
MaskSpec decayMask(const Tensor &a) { return MaskSpec::decay(a); }

TEST(ContractGradTest, SemiseparableMasksWithStates) {
  struct Family {
    const char *name;
    std::function<MaskSpec(const Tensor &)> mask;
  };
  std::vector<Family> families = {
      {"causal", causalMask},
      {"fixed_decay", fixedMask},
      {"decay", decayMask},
      {"mul(fixed_decay, decay)",
       [](const Tensor &a) {
         return MaskSpec::mul(fixedMask(a), decayMask(a));
       }},
  };
  uint64_t seed = 10;
  for (const Family &family : families)
    for (bool states : {false, true})
      for (bool packed : {false, true}) {
        Case k =
            makeCase(std::string(family.name) + (states ? " with states" : "") +
                         (packed ? " packed" : ""),
                     ++seed, packed);
        k.useInit = k.useFinal = states;
        checkCase(k, family.mask);
      }
}

TEST(ContractGradTest, WindowAndCustomMasks) {
  std::vector<std::pair<std::string, std::function<MaskSpec(const Tensor &)>>>
      families = {
          {"window(3)", [](const Tensor &) { return MaskSpec::window(3); }},
          {"mul(decay, window(2))",
           [](const Tensor &a) {
             return MaskSpec::mul(MaskSpec::decay(a), MaskSpec::window(2));
           }},
          {"custom non-causal",
           [](const Tensor &) {
             return MaskSpec::custom(
                 [](const MaskPoint &pt) {
                   return 1.0 / (1.0 + std::fabs(double(pt.tRel - pt.sRel)) +
                                 0.1 * double(pt.head));
                 },
                 /*causal=*/false);
           }},
          {"custom causal",
           [](const Tensor &) {
             return MaskSpec::custom(
                 [](const MaskPoint &pt) {
                   return std::cos(0.3 * double(pt.tAbs - pt.sAbs));
                 },
                 /*causal=*/true);
           }},
      };
  uint64_t seed = 100;
  for (auto &[name, mask] : families)
    for (bool packed : {false, true}) {
      Case k = makeCase(name + (packed ? " packed" : ""), ++seed, packed);
      checkCase(k, mask);
    }
}

MaskSpec transposed(MaskSpec inner) {
  return MaskSpec::transpose(std::move(inner));
}

TEST(ContractGradTest, TransposedSemiseparableMasksWithStates) {
  std::vector<std::pair<std::string, std::function<MaskSpec(const Tensor &)>>>
      families = {
          {"transpose(causal)",
           [](const Tensor &a) { return transposed(causalMask(a)); }},
          {"transpose(decay)",
           [](const Tensor &a) { return transposed(decayMask(a)); }},
          {"transpose(mul(fixed_decay, decay))",
           [](const Tensor &a) {
             return transposed(MaskSpec::mul(fixedMask(a), decayMask(a)));
           }},
          {"mul(transpose(decay), transpose(decay))",
           [](const Tensor &a) {
             return MaskSpec::mul(transposed(decayMask(a)),
                                  transposed(decayMask(a)));
           }},
          {"transpose(transpose(decay))",
           [](const Tensor &a) {
             return transposed(transposed(decayMask(a)));
           }},
      };
  uint64_t seed = 200;
  for (auto &[name, mask] : families)
    for (bool states : {false, true})
      for (bool packed : {false, true}) {
        Case k = makeCase(name + (states ? " with states" : "") +
                              (packed ? " packed" : ""),
                          ++seed, packed);
        k.useInit = k.useFinal = states;
        checkCase(k, mask);
      }
}

TEST(ContractGradTest, TransposedWindowCustomAndMixedMasks) {
  auto custom = [](bool causal) {
    return MaskSpec::custom(
        [](const MaskPoint &pt) {
          return 1.0 + 0.1 * double(pt.head) + 0.07 * double(pt.tRel) -
                 0.03 * double(pt.sRel) + 0.01 * double(pt.tAbs + 2 * pt.sAbs);
        },
        causal);
  };
  std::vector<std::pair<std::string, std::function<MaskSpec(const Tensor &)>>>
      families = {
          {"transpose(mul(decay, window(3)))",
           [](const Tensor &a) {
             return transposed(
                 MaskSpec::mul(MaskSpec::decay(a), MaskSpec::window(3)));
           }},
          {"transpose(custom)",
           [&](const Tensor &) { return transposed(custom(false)); }},
          {"mul(decay, transpose(custom))",
           [&](const Tensor &a) {
             return MaskSpec::mul(MaskSpec::decay(a),
                                  transposed(custom(false)));
           }},
          {"mul(transpose(decay), custom(causal)) (the diagonal)",
           [&](const Tensor &a) {
             return MaskSpec::mul(transposed(MaskSpec::decay(a)), custom(true));
           }},
          {"mul(decay, transpose(decay)) (the diagonal)",
           [](const Tensor &a) {
             return MaskSpec::mul(MaskSpec::decay(a),
                                  transposed(MaskSpec::decay(a)));
           }},
          {"mul(transpose(decay), custom)",
           [&](const Tensor &a) {
             return MaskSpec::mul(transposed(MaskSpec::decay(a)),
                                  custom(false));
           }},
      };
  uint64_t seed = 300;
  for (auto &[name, mask] : families)
    for (bool packed : {false, true}) {
      Case k = makeCase(name + (packed ? " packed" : ""), ++seed, packed);
      checkCase(k, mask);
    }
}

TEST(ContractGradTest, RejectsBadGradientShapes) {
  Case k = makeCase("shapes", 1);
  k.mask = MaskSpec::causal();
  ContractGrads grads;
  Tensor wrong({2, 7, 4, 3});
  Status status = computeContractGrad(problemOf(k), wrong, nullptr, grads);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("dY"), std::string::npos) << status.message();
  k.mask = MaskSpec::window(2);
  status = computeContractGrad(problemOf(k), k.dY, &k.dF, grads);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("semiseparable"), std::string::npos)
      << status.message();
  // Recurrences running both ways have no state.
  k.mask = MaskSpec::mul(MaskSpec::decay(k.a),
                         MaskSpec::transpose(MaskSpec::decay(k.a)));
  status = computeContractGrad(problemOf(k), k.dY, &k.dF, grads);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("mul(decay, transpose(decay))"),
            std::string::npos)
      << status.message();
}

} // namespace
