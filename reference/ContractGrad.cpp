//===- ContractGrad.cpp - float64 gradients of sma contracts --------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/ContractGrad.h"

#include <cmath>
#include <string>

namespace smc::ref {

namespace {

double dot(const double *a, const double *b, int64_t count) {
  double sum = 0.0;
  for (int64_t i = 0; i < count; ++i)
    sum += a[i] * b[i];
  return sum;
}

/// Row `t` of a [b,T,k,width] tensor at index `k`.
struct Rows {
  const ContractDims &dims;
  int64_t batch;
  template <typename T>
  T *at(T *data, int64_t t, int64_t k, int64_t count, int64_t width) const {
    return data + ((batch * dims.seqLen + t) * count + k) * width;
  }
};

/// The mask's value at (t, s) of one sequence and head, from its leaves;
/// `prefix` holds the running sums of the summed log-decays.
double maskValue(const std::vector<const MaskSpec *> &leaves,
                 const std::vector<double> &prefix, const Segment &seq,
                 int64_t sequence, int64_t head, int64_t t, int64_t s) {
  double value = 1.0;
  bool decayed = false;
  for (const MaskSpec *leaf : leaves) {
    switch (leaf->kind()) {
    case MaskSpec::Kind::Causal:
      if (s > t)
        return 0.0;
      break;
    case MaskSpec::Kind::FixedDecay:
    case MaskSpec::Kind::Decay:
      if (s > t)
        return 0.0;
      decayed = true;
      break;
    case MaskSpec::Kind::Window:
      if (t - s < 0 || t - s >= leaf->windowWidth())
        return 0.0;
      break;
    case MaskSpec::Kind::Custom: {
      if (leaf->customCausal() && s > t)
        return 0.0;
      MaskPoint point;
      point.batch = seq.batch;
      point.head = head;
      point.sequence = sequence;
      point.tAbs = t;
      point.sAbs = s;
      point.tRel = t - seq.start;
      point.sRel = s - seq.start;
      value *= leaf->fn()(point);
      break;
    }
    case MaskSpec::Kind::Mul:
      break;
    }
  }
  if (decayed) // exp(sum_{k=s+1..t} ld[k]), all decay leaves together.
    value *= std::exp(prefix[static_cast<size_t>(t - seq.start)] -
                      prefix[static_cast<size_t>(s - seq.start)]);
  return value;
}

} // namespace

Status computeContractGrad(const ContractProblem &problem, const Tensor &dY,
                           const Tensor *dFinal, ContractGrads &grads) {
  ContractDims d;
  SMC_REF_RETURN_IF_ERROR(validateContract(problem, d));
  SMC_REF_RETURN_IF_ERROR(checkShape(dY, problem.X->shape(), "dY"));
  const int64_t p = d.headDim, n = d.stateDim;
  if (dFinal) {
    if (!problem.mask->isSemiseparable())
      return Status::error("dFinal: a final state needs a semiseparable mask, "
                           "got " +
                           problem.mask->describe());
    SMC_REF_RETURN_IF_ERROR(
        checkShape(*dFinal, {d.sequences, d.heads, p, n}, "dFinal"));
  }

  std::vector<const MaskSpec *> leaves;
  problem.mask->collectLeaves(leaves);
  grads.dC = Tensor(problem.C->shape());
  grads.dB = Tensor(problem.B->shape());
  grads.dX = Tensor(problem.X->shape());
  grads.dInitState.reset();
  if (problem.initState)
    grads.dInitState = Tensor(problem.initState->shape());
  grads.dDecayLogs.clear();
  Tensor dLogs({d.batch, d.seqLen, d.heads}); // Shared by every decay leaf.

  std::vector<Segment> sequences = sequencesOf(problem, d);

  const int64_t headsPerGroup = d.heads / d.groups;
  std::vector<double> prefix, dSum, hc(static_cast<size_t>(p)),
      dfb(static_cast<size_t>(p));
  for (int64_t si = 0; si < static_cast<int64_t>(sequences.size()); ++si) {
    const Segment &seq = sequences[static_cast<size_t>(si)];
    const int64_t len = seq.end - seq.start;
    if (len == 0) { // An empty sequence passes its state through.
      if (problem.initState && dFinal)
        for (int64_t i = 0; i < d.heads * p * n; ++i)
          (*grads.dInitState)[si * d.heads * p * n + i] +=
              (*dFinal)[si * d.heads * p * n + i];
      continue;
    }
    Rows rows{d, seq.batch};
    for (int64_t head = 0; head < d.heads; ++head) {
      const int64_t group = head / headsPerGroup;
      // ld[k] summed over the decay leaves, and its running sums P.
      prefix.assign(static_cast<size_t>(len), 0.0);
      double running = 0.0;
      for (int64_t j = 0; j < len; ++j) {
        double ld = 0.0;
        for (const MaskSpec *leaf : leaves) {
          if (leaf->kind() == MaskSpec::Kind::FixedDecay)
            ld += std::log(leaf->gamma()[static_cast<size_t>(head)]);
          if (leaf->kind() == MaskSpec::Kind::Decay)
            ld += leaf->decayLogs().at({seq.batch, seq.start + j, head});
        }
        running += ld;
        prefix[static_cast<size_t>(j)] = running;
      }
      // d(sum of ld) at each k, as a difference array: a term that scales
      // with every ld[k] for k in [lo, hi) adds at lo and subtracts at hi.
      dSum.assign(static_cast<size_t>(len + 1), 0.0);
      auto addOver = [&](int64_t lo, int64_t hi, double v) {
        dSum[static_cast<size_t>(lo)] += v;
        dSum[static_cast<size_t>(hi)] -= v;
      };
      const double *h0 = problem.initState ? problem.initState->data() +
                                                 (si * d.heads + head) * p * n
                                           : nullptr;
      double *dh0 = problem.initState ? grads.dInitState->data() +
                                            (si * d.heads + head) * p * n
                                      : nullptr;
      const double *df =
          dFinal ? dFinal->data() + (si * d.heads + head) * p * n : nullptr;

      for (int64_t t = seq.start; t < seq.end; ++t) {
        const double *ct = rows.at(problem.C->data(), t, group, d.groups, n);
        const double *dyt = rows.at(dY.data(), t, head, d.heads, p);
        double *dct = rows.at(grads.dC.data(), t, group, d.groups, n);
        for (int64_t s = seq.start; s < seq.end; ++s) {
          double l = maskValue(leaves, prefix, seq, si, head, t, s);
          if (l == 0.0)
            continue;
          const double *bs = rows.at(problem.B->data(), s, group, d.groups, n);
          const double *xs = rows.at(problem.X->data(), s, head, d.heads, p);
          double *dbs = rows.at(grads.dB.data(), s, group, d.groups, n);
          double *dxs = rows.at(grads.dX.data(), s, head, d.heads, p);
          double cb = dot(ct, bs, n), g = dot(dyt, xs, p);
          for (int64_t q = 0; q < p; ++q)
            dxs[q] += l * cb * dyt[q];
          for (int64_t m = 0; m < n; ++m) {
            dct[m] += l * g * bs[m];
            dbs[m] += l * g * ct[m];
          }
          if (s < t) // L(t,s) holds e^{ld[k]} for s < k <= t.
            addOver(s - seq.start + 1, t - seq.start + 1, l * cb * g);
        }
        if (h0) { // Y_t += e^{P(t)} H0 C_t
          double e = std::exp(prefix[static_cast<size_t>(t - seq.start)]);
          for (int64_t q = 0; q < p; ++q)
            hc[static_cast<size_t>(q)] = dot(h0 + q * n, ct, n);
          for (int64_t q = 0; q < p; ++q)
            for (int64_t m = 0; m < n; ++m) {
              dct[m] += e * dyt[q] * h0[q * n + m];
              dh0[q * n + m] += e * dyt[q] * ct[m];
            }
          addOver(0, t - seq.start + 1, e * dot(dyt, hc.data(), p));
        }
      }
      if (df) { // F = e^{P(end-1)} H0 + sum_s e^{D(s)} x_s B_s^T
        const double last = prefix[static_cast<size_t>(len - 1)];
        for (int64_t s = seq.start; s < seq.end; ++s) {
          double e =
              std::exp(last - prefix[static_cast<size_t>(s - seq.start)]);
          const double *bs = rows.at(problem.B->data(), s, group, d.groups, n);
          const double *xs = rows.at(problem.X->data(), s, head, d.heads, p);
          double *dbs = rows.at(grads.dB.data(), s, group, d.groups, n);
          double *dxs = rows.at(grads.dX.data(), s, head, d.heads, p);
          for (int64_t q = 0; q < p; ++q)
            dfb[static_cast<size_t>(q)] = dot(df + q * n, bs, n);
          for (int64_t q = 0; q < p; ++q) {
            dxs[q] += e * dfb[static_cast<size_t>(q)];
            for (int64_t m = 0; m < n; ++m)
              dbs[m] += e * df[q * n + m] * xs[q];
          }
          addOver(s - seq.start + 1, len, e * dot(xs, dfb.data(), p));
        }
        if (h0) {
          double e = std::exp(last);
          for (int64_t i = 0; i < p * n; ++i)
            dh0[i] += e * df[i];
          addOver(0, len, e * dot(df, h0, p * n));
        }
      }
      double acc = 0.0;
      for (int64_t j = 0; j < len; ++j) {
        acc += dSum[static_cast<size_t>(j)];
        dLogs.at({seq.batch, seq.start + j, head}) += acc;
      }
    }
  }
  for (const MaskSpec *leaf : leaves)
    if (leaf->kind() == MaskSpec::Kind::Decay)
      grads.dDecayLogs.push_back(dLogs);
  return Status::success();
}

} // namespace smc::ref
