//===- SsdTest.cpp - tests of the Mamba-2 SSD reference -------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Ssd.h"

#include "TestUtil.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace smc::ref;
using namespace smc::ref::test;

namespace {

struct SsdInputs {
  Tensor x, dt, a, b, c, d, dPerChannel, z, dtBias, init;
};

SsdInputs makeSsdInputs(int64_t b, int64_t t, int64_t h, int64_t g, int64_t p,
                        int64_t n, int64_t sequences, uint64_t seed) {
  Rng rng(seed);
  SsdInputs in;
  in.x = randomTensor({b, t, h, p}, rng);
  in.dt = randomTensor({b, t, h}, rng); // Raw dt; softplus makes it positive.
  in.a = Tensor({h});
  fillUniform(in.a, DType::F64, -2.0, -0.1, rng);
  in.b = randomTensor({b, t, g, n}, rng);
  in.c = randomTensor({b, t, g, n}, rng);
  in.d = randomTensor({h}, rng);
  in.dPerChannel = randomTensor({h, p}, rng);
  in.z = randomTensor({b, t, h, p}, rng);
  in.dtBias = randomTensor({h}, rng);
  in.init = randomTensor({sequences, h, p, n}, rng);
  return in;
}

/// Everything done by hand: dt processing, the recurrence, D and the gate.
Tensor independentSsd(const SsdInputs &in, bool softplus, double lo, double hi,
                      bool clamp, const Tensor *dSkip, bool gate,
                      const Tensor *init, const std::vector<int64_t> *cu,
                      Tensor *finalOut) {
  int64_t b = in.x.dim(0), t = in.x.dim(1), h = in.x.dim(2), p = in.x.dim(3);
  int64_t g = in.b.dim(2), n = in.b.dim(3);
  Tensor y(in.x.shape());
  std::vector<Seq> seqs = makeSeqs(b, t, cu);
  *finalOut = Tensor({static_cast<int64_t>(seqs.size()), h, p, n});
  for (size_t i = 0; i < seqs.size(); ++i) {
    int64_t si = static_cast<int64_t>(i);
    for (int64_t hd = 0; hd < h; ++hd) {
      std::vector<double> state(static_cast<size_t>(p * n), 0.0);
      if (init)
        for (int64_t k = 0; k < p * n; ++k)
          state[k] = init->at({si, hd, k / n, k % n});
      for (int64_t k = seqs[i].start; k < seqs[i].end; ++k) {
        int64_t bb = seqs[i].batch;
        double dt = in.dt.at({bb, k, hd}) + in.dtBias[hd];
        if (softplus && dt <= 20.0)
          dt = std::log(1.0 + std::exp(dt));
        if (clamp)
          dt = std::clamp(dt, lo, hi);
        double decay = std::exp(dt * in.a[hd]);
        for (int64_t q = 0; q < p; ++q)
          for (int64_t m = 0; m < n; ++m)
            state[q * n + m] = decay * state[q * n + m] +
                               dt * in.x.at({bb, k, hd, q}) *
                                   in.b.at({bb, k, hd / (h / g), m});
        for (int64_t q = 0; q < p; ++q) {
          double out = 0.0;
          for (int64_t m = 0; m < n; ++m)
            out += state[q * n + m] * in.c.at({bb, k, hd / (h / g), m});
          if (dSkip)
            out += (dSkip->rank() == 1 ? (*dSkip)[hd] : dSkip->at({hd, q})) *
                   in.x.at({bb, k, hd, q});
          if (gate) {
            double zz = in.z.at({bb, k, hd, q});
            out *= zz / (1.0 + std::exp(-zz));
          }
          y.at({bb, k, hd, q}) = out;
        }
      }
      for (int64_t k = 0; k < p * n; ++k)
        finalOut->at({si, hd, k / n, k % n}) = state[k];
    }
  }
  return y;
}

} // namespace

TEST(SsdTest, FullFrontMatchesIndependentRecurrence) {
  SsdInputs in = makeSsdInputs(2, 17, 4, 2, 3, 5, 2, 101);
  SsdProblem pb;
  pb.x = &in.x;
  pb.dt = &in.dt;
  pb.A = &in.a;
  pb.B = &in.b;
  pb.C = &in.c;
  pb.D = &in.d;
  pb.z = &in.z;
  pb.dtBias = &in.dtBias;
  pb.dtSoftplus = true;
  pb.initState = &in.init;
  pb.wantFinalState = true;
  SsdResult result;
  Status status = computeSsd(pb, result);
  ASSERT_TRUE(status.ok()) << status.message();
  Tensor expectedFinal;
  Tensor expected = independentSsd(in, true, 0.0, 0.0, false, &in.d, true,
                                   &in.init, nullptr, &expectedFinal);
  EXPECT_LT(relErr(result.y, expected), 1e-12);
  EXPECT_LT(relErr(*result.finalState, expectedFinal), 1e-12);
}

TEST(SsdTest, ClampPerChannelDAndCuSeqlens) {
  SsdInputs in = makeSsdInputs(1, 19, 4, 1, 3, 5, 4, 103);
  std::vector<int64_t> cu = {0, 4, 4, 11, 19};
  SsdProblem pb;
  pb.x = &in.x;
  pb.dt = &in.dt;
  pb.A = &in.a;
  pb.B = &in.b;
  pb.C = &in.c;
  pb.D = &in.dPerChannel;
  pb.dtBias = &in.dtBias;
  pb.dtSoftplus = true;
  pb.dtLimitLo = 0.05;
  pb.dtLimitHi = 0.6;
  pb.initState = &in.init;
  pb.cuSeqlens = &cu;
  pb.wantFinalState = true;
  SsdResult result;
  Status status = computeSsd(pb, result);
  ASSERT_TRUE(status.ok()) << status.message();
  Tensor expectedFinal;
  Tensor expected = independentSsd(in, true, 0.05, 0.6, true, &in.dPerChannel,
                                   false, &in.init, &cu, &expectedFinal);
  EXPECT_LT(relErr(result.y, expected), 1e-12);
  EXPECT_LT(relErr(*result.finalState, expectedFinal), 1e-12);
}

TEST(SsdTest, DtProcessing) {
  Tensor x({1, 4, 1, 1}), dt({1, 4, 1}), a({1}, -1.0), b({1, 4, 1, 1});
  Tensor bias({1}, 0.5);
  dt[0] = -30.0;
  dt[1] = 0.0;
  dt[2] = 19.4;
  dt[3] = 25.0;
  SsdProblem pb;
  pb.x = &x;
  pb.dt = &dt;
  pb.A = &a;
  pb.B = &b;
  pb.C = &b;
  pb.dtBias = &bias;
  pb.dtSoftplus = true;
  Tensor d;
  ASSERT_TRUE(computeSsdDt(pb, d).ok());
  EXPECT_DOUBLE_EQ(d[0], std::log1p(std::exp(-29.5)));
  EXPECT_DOUBLE_EQ(d[1], std::log1p(std::exp(0.5)));
  EXPECT_DOUBLE_EQ(d[2], 19.9 > 20 ? 19.9 : std::log1p(std::exp(19.9)));
  EXPECT_EQ(d[3], 25.5); // Above the softplus threshold: passed through.
  pb.dtLimitLo = 0.1;
  pb.dtLimitHi = 2.0;
  ASSERT_TRUE(computeSsdDt(pb, d).ok());
  EXPECT_EQ(d[0], 0.1);
  EXPECT_EQ(d[3], 2.0);
}

TEST(SsdTest, RejectsBadInputs) {
  SsdInputs in = makeSsdInputs(2, 5, 4, 2, 3, 5, 2, 107);
  SsdProblem pb;
  pb.x = &in.x;
  pb.dt = &in.dt;
  pb.A = &in.a;
  pb.B = &in.b;
  pb.C = &in.c;
  SsdResult result;
  Tensor wrongDt({2, 5, 3});
  pb.dt = &wrongDt;
  Status status = computeSsd(pb, result);
  EXPECT_EQ(status.message(), "dt: expected shape [2,5,4], got [2,5,3]");
  pb.dt = &in.dt;
  Tensor positiveA({4}, 0.5);
  pb.A = &positiveA;
  status = computeSsd(pb, result);
  EXPECT_EQ(status.message(), "A[0] = 0.5 must be finite and <= 0");
  pb.A = &in.a;
  Tensor wrongD({3});
  pb.D = &wrongD;
  status = computeSsd(pb, result);
  EXPECT_EQ(status.message(), "D: expected shape [4] or [4,3], got [3]");
}
