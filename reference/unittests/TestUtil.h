//===- TestUtil.h - independent oracles for reference tests -----*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Second implementations the reference is checked against: the state
/// recurrences (left to right for semiseparable masks, right to left for
/// reversed ones) and a plain O(T^2) triple loop (for any mask). They share no
/// code with the library besides Tensor.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_UNITTESTS_TESTUTIL_H
#define SMC_REFERENCE_UNITTESTS_TESTUTIL_H

#include "reference/Random.h"
#include "reference/Tensor.h"

#include <cmath>
#include <functional>
#include <vector>

namespace smc::ref::test {

/// One sequence: batch row and [start, end).
struct Seq {
  int64_t batch, start, end;
};

/// Sequences of a [b, T] problem, optionally split by cu_seqlens.
inline std::vector<Seq> makeSeqs(int64_t b, int64_t t,
                                 const std::vector<int64_t> *cu) {
  std::vector<Seq> seqs;
  if (cu) {
    for (size_t i = 0; i + 1 < cu->size(); ++i)
      seqs.push_back({0, (*cu)[i], (*cu)[i + 1]});
  } else {
    for (int64_t i = 0; i < b; ++i)
      seqs.push_back({i, 0, t});
  }
  return seqs;
}

/// A tensor of `shape` filled with N(0, 1) float64 samples.
/// The central difference of `loss` in element `i` of `param` (perturbed in
/// place and restored), step 1e-6.
inline double centralDifference(const std::function<double()> &loss,
                                Tensor &param, int64_t i) {
  constexpr double step = 1e-6;
  double saved = param[i];
  param[i] = saved + step;
  double up = loss();
  param[i] = saved - step;
  double down = loss();
  param[i] = saved;
  return (up - down) / (2 * step);
}

inline Tensor randomTensor(const Shape &shape, Rng &rng) {
  Tensor tensor(shape);
  fillNormal(tensor, DType::F64, 0.0, 1.0, rng);
  return tensor;
}

/// The state recurrence of a semiseparable mask, per sequence and head.
/// Left to right: h_t = exp(ld[b,t,h]) h_{t-1} + x_t B_t^T, y_t = h_t C_t,
/// h_{start-1} = init (or 0), final = h_{end-1}. Reversed (anti-causal):
/// h_t = x_t B_t^T + exp(ld[b,t+1,h]) h_{t+1}, the initial state entering
/// at the right end undecayed, and final = exp(ld[b,start,h]) h_start (the
/// state left before the start; init for an empty sequence). `ld` is
/// [b,T,h]. Writes the final states to `finalOut` when given.
inline Tensor scanRecurrence(const Tensor &c, const Tensor &bm, const Tensor &x,
                             const Tensor &ld, const Tensor *init,
                             const std::vector<int64_t> *cu, Tensor *finalOut,
                             bool reversed) {
  int64_t b = x.dim(0), t = x.dim(1), h = x.dim(2), p = x.dim(3);
  int64_t g = bm.dim(2), n = bm.dim(3);
  std::vector<Seq> seqs = makeSeqs(b, t, cu);
  Tensor y(x.shape());
  Tensor finals({static_cast<int64_t>(seqs.size()), h, p, n});
  for (size_t i = 0; i < seqs.size(); ++i) {
    const Seq &seq = seqs[i];
    int64_t si = static_cast<int64_t>(i);
    for (int64_t hd = 0; hd < h; ++hd) {
      int64_t grp = hd / (h / g);
      std::vector<double> state(static_cast<size_t>(p * n), 0.0);
      if (init)
        for (int64_t q = 0; q < p; ++q)
          for (int64_t m = 0; m < n; ++m)
            state[q * n + m] = init->at({si, hd, q, m});
      int64_t len = seq.end - seq.start;
      for (int64_t step = 0; step < len; ++step) {
        int64_t k = reversed ? seq.end - 1 - step : seq.start + step;
        // The decay into position k: its own left to right, its right
        // neighbour's right to left (none at the end).
        double decay = !reversed       ? std::exp(ld.at({seq.batch, k, hd}))
                       : k + 1 < seq.end ? std::exp(ld.at({seq.batch, k + 1, hd}))
                                         : 1.0;
        for (int64_t q = 0; q < p; ++q)
          for (int64_t m = 0; m < n; ++m)
            state[q * n + m] =
                decay * state[q * n + m] +
                x.at({seq.batch, k, hd, q}) * bm.at({seq.batch, k, grp, m});
        for (int64_t q = 0; q < p; ++q) {
          double sum = 0.0;
          for (int64_t m = 0; m < n; ++m)
            sum += state[q * n + m] * c.at({seq.batch, k, grp, m});
          y.at({seq.batch, k, hd, q}) = sum;
        }
      }
      double leave = reversed && len > 0
                         ? std::exp(ld.at({seq.batch, seq.start, hd}))
                         : 1.0;
      for (int64_t q = 0; q < p; ++q)
        for (int64_t m = 0; m < n; ++m)
          finals.at({si, hd, q, m}) = leave * state[q * n + m];
    }
  }
  if (finalOut)
    *finalOut = finals;
  return y;
}

/// The left-to-right recurrence (scanRecurrence).
inline Tensor recurrence(const Tensor &c, const Tensor &bm, const Tensor &x,
                         const Tensor &ld, const Tensor *init,
                         const std::vector<int64_t> *cu,
                         Tensor *finalOut = nullptr) {
  return scanRecurrence(c, bm, x, ld, init, cu, finalOut, false);
}

/// The right-to-left recurrence of a reversed mask (scanRecurrence).
inline Tensor reversedRecurrence(const Tensor &c, const Tensor &bm,
                                 const Tensor &x, const Tensor &ld,
                                 const Tensor *init,
                                 const std::vector<int64_t> *cu,
                                 Tensor *finalOut = nullptr) {
  return scanRecurrence(c, bm, x, ld, init, cu, finalOut, true);
}

/// L(batch, head, tAbs, sAbs, tRel, sRel) for the explicit triple loop.
using ExplicitMask =
    std::function<double(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t)>;

/// y[b,t,h] = sum over s in t's sequence of L * (C_t . B_s) x_s, no states.
inline Tensor explicitContract(const Tensor &c, const Tensor &bm,
                               const Tensor &x, const ExplicitMask &mask,
                               const std::vector<int64_t> *cu) {
  int64_t b = x.dim(0), t = x.dim(1), h = x.dim(2), p = x.dim(3);
  int64_t g = bm.dim(2), n = bm.dim(3);
  Tensor y(x.shape());
  for (const Seq &seq : makeSeqs(b, t, cu))
    for (int64_t hd = 0; hd < h; ++hd)
      for (int64_t ti = seq.start; ti < seq.end; ++ti)
        for (int64_t si = seq.start; si < seq.end; ++si) {
          double l =
              mask(seq.batch, hd, ti, si, ti - seq.start, si - seq.start);
          double cb = 0.0;
          for (int64_t m = 0; m < n; ++m)
            cb += c.at({seq.batch, ti, hd / (h / g), m}) *
                  bm.at({seq.batch, si, hd / (h / g), m});
          for (int64_t q = 0; q < p; ++q)
            y.at({seq.batch, ti, hd, q}) +=
                l * cb * x.at({seq.batch, si, hd, q});
        }
  return y;
}

/// ||got - ref|| / ||ref|| written independently of Compare.h.
inline double relErr(const Tensor &got, const Tensor &ref) {
  if (got.shape() != ref.shape())
    return INFINITY;
  double diff = 0.0, norm = 0.0;
  for (int64_t i = 0; i < ref.numel(); ++i) {
    diff += (got[i] - ref[i]) * (got[i] - ref[i]);
    norm += ref[i] * ref[i];
  }
  if (std::isnan(diff))
    return INFINITY;
  return norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
}

} // namespace smc::ref::test

#endif // SMC_REFERENCE_UNITTESTS_TESTUTIL_H
