//===- SsdGradTest.cpp - the SSD gradients by finite differences ----------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
//
// Proves computeSsdGrad: every gradient entry of every SSD input (x, dt, A,
// B, C, D, z, dt_bias, the initial state) against the central difference of
// l = <dY, y> + <dF, final state> computed with the forward reference
// (computeSsd), on tiny shapes: softplus with a dt_limit that clamps some
// steps, D per head and per channel, packed sequences.
//
//===----------------------------------------------------------------------===//

#include "reference/Ssd.h"

#include "TestUtil.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>

using namespace smc::ref;
using namespace smc::ref::test;

namespace {

struct Case {
  std::string name;
  Tensor x, dt, A, B, C, D, z, dtBias, init, dY, dF;
  bool softplus = true, useD = true, useZ = true, useBias = true,
       useStates = true, useCu = false;
  double lo = 0.0, hi = std::numeric_limits<double>::infinity();
  std::vector<int64_t> cu = {0, 2, 6};
};

SsdProblem problemOf(const Case &k) {
  SsdProblem pb;
  pb.x = &k.x;
  pb.dt = &k.dt;
  pb.A = &k.A;
  pb.B = &k.B;
  pb.C = &k.C;
  pb.D = k.useD ? &k.D : nullptr;
  pb.z = k.useZ ? &k.z : nullptr;
  pb.dtBias = k.useBias ? &k.dtBias : nullptr;
  pb.dtSoftplus = k.softplus;
  pb.dtLimitLo = k.lo;
  pb.dtLimitHi = k.hi;
  pb.initState = k.useStates ? &k.init : nullptr;
  pb.cuSeqlens = k.useCu ? &k.cu : nullptr;
  pb.wantFinalState = k.useStates;
  pb.numThreads = 1;
  return pb;
}

double loss(const Case &k) {
  SsdResult result;
  Status status = computeSsd(problemOf(k), result);
  EXPECT_TRUE(status.ok()) << status.message();
  double l = 0.0;
  for (int64_t i = 0; i < result.y.numel(); ++i)
    l += k.dY[i] * result.y[i];
  if (k.useStates)
    for (int64_t i = 0; i < k.dF.numel(); ++i)
      l += k.dF[i] * (*result.finalState)[i];
  return l;
}

void expectMatchesDifferences(Case &k, Tensor &param, const Tensor &grad,
                              const std::string &what) {
  ASSERT_EQ(param.shape(), grad.shape()) << k.name << ": " << what;
  for (int64_t i = 0; i < param.numel(); ++i) {
    double numeric = centralDifference([&] { return loss(k); }, param, i);
    EXPECT_NEAR(grad[i], numeric, 1e-6 * (1.0 + std::fabs(numeric)))
        << k.name << ": d" << what << "[" << i << "]";
  }
}

/// b = 2 (1 packed), T = 6, h = 4 over g = 2, p = 2, n = 3.
Case makeCase(std::string name, uint64_t seed, bool useCu) {
  Rng rng(seed);
  Case k;
  k.name = std::move(name);
  k.useCu = useCu;
  int64_t b = useCu ? 1 : 2, t = 6, h = 4, g = 2, p = 2, n = 3;
  int64_t sequences = useCu ? 2 : b;
  k.x = randomTensor({b, t, h, p}, rng);
  k.dt = randomTensor({b, t, h}, rng);
  k.A = Tensor({h});
  fillUniform(k.A, DType::F64, -1.5, -0.2, rng);
  k.B = randomTensor({b, t, g, n}, rng);
  k.C = randomTensor({b, t, g, n}, rng);
  k.D = randomTensor({h}, rng);
  k.z = randomTensor({b, t, h, p}, rng);
  k.dtBias = randomTensor({h}, rng);
  k.init = randomTensor({sequences, h, p, n}, rng);
  k.dY = randomTensor({b, t, h, p}, rng);
  k.dF = randomTensor({sequences, h, p, n}, rng);
  return k;
}

void checkCase(Case &k) {
  SsdGrads grads;
  Status status =
      computeSsdGrad(problemOf(k), k.dY, k.useStates ? &k.dF : nullptr, grads);
  ASSERT_TRUE(status.ok()) << k.name << ": " << status.message();
  expectMatchesDifferences(k, k.x, grads.dx, "x");
  expectMatchesDifferences(k, k.dt, grads.ddt, "dt");
  expectMatchesDifferences(k, k.A, grads.dA, "A");
  expectMatchesDifferences(k, k.B, grads.dB, "B");
  expectMatchesDifferences(k, k.C, grads.dC, "C");
  ASSERT_EQ(grads.dD.has_value(), k.useD) << k.name;
  if (k.useD)
    expectMatchesDifferences(k, k.D, *grads.dD, "D");
  ASSERT_EQ(grads.dz.has_value(), k.useZ) << k.name;
  if (k.useZ)
    expectMatchesDifferences(k, k.z, *grads.dz, "z");
  ASSERT_EQ(grads.dDtBias.has_value(), k.useBias) << k.name;
  if (k.useBias)
    expectMatchesDifferences(k, k.dtBias, *grads.dDtBias, "dt_bias");
  ASSERT_EQ(grads.dInitState.has_value(), k.useStates) << k.name;
  if (k.useStates)
    expectMatchesDifferences(k, k.init, *grads.dInitState, "init");
}

TEST(SsdGradTest, MambaFrontWithStates) {
  Case k = makeCase("softplus, bias, D, z, states", 1, false);
  checkCase(k);
}

TEST(SsdGradTest, PackedSequences) {
  Case k = makeCase("packed", 2, true);
  checkCase(k);
}

TEST(SsdGradTest, ClampedStepsHaveNoGradient) {
  Case k = makeCase("dt_limit", 3, false);
  // Softplus of N(0,1) + bias spans about (0.05, 3); clamp to [0.4, 1.2]
  // with every step at least 1e-3 away from a bound.
  k.lo = 0.4;
  k.hi = 1.2;
  for (int64_t i = 0; i < k.dt.numel(); ++i) {
    double v = k.dt[i] + k.dtBias[i % 4];
    double soft = std::log1p(std::exp(v));
    if (std::fabs(soft - k.lo) < 1e-3 || std::fabs(soft - k.hi) < 1e-3)
      k.dt[i] += 0.01;
  }
  checkCase(k);
  SsdGrads grads;
  ASSERT_TRUE(computeSsdGrad(problemOf(k), k.dY, &k.dF, grads).ok());
  int clamped = 0;
  for (int64_t i = 0; i < k.dt.numel(); ++i) {
    double soft = std::log1p(std::exp(k.dt[i] + k.dtBias[i % 4]));
    if (soft < k.lo || soft > k.hi) {
      ++clamped;
      EXPECT_EQ(grads.ddt[i], 0.0) << i;
    }
  }
  EXPECT_GT(clamped, 0) << "the case must clamp some steps";
}

TEST(SsdGradTest, PerChannelSkipNoSoftplusNoGate) {
  Case k = makeCase("D[h,p], raw dt", 4, false);
  Rng rng(44);
  k.D = randomTensor({4, 2}, rng);
  k.softplus = false;
  k.useZ = false;
  k.useBias = false;
  // Raw steps must be positive (a = d A <= 0).
  for (int64_t i = 0; i < k.dt.numel(); ++i)
    k.dt[i] = 0.1 + std::fabs(k.dt[i]);
  checkCase(k);
}

} // namespace
