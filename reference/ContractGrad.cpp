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

/// The running sums P(j) = sum_{k=start..start+j} ld[k] of one sequence and
/// head, ld summed over the decay leaves of one orientation.
struct Prefix {
  std::vector<double> sums;
  double at(int64_t j) const {
    return j < 0 ? 0.0 : sums[static_cast<size_t>(j)];
  }
  /// sum_{k in [lo, hi)} ld[start + k].
  double over(int64_t lo, int64_t hi) const { return at(hi - 1) - at(lo - 1); }
};

/// The mask's value at (t, s) of one sequence and head, from its leaves,
/// each read in its own orientation; `forward` and `reversed` sum the
/// log-decays of the plain and the transposed decay leaves.
double maskValue(const std::vector<MaskSpec::Leaf> &leaves,
                 const Prefix &forward, const Prefix &reversed,
                 const Segment &seq, int64_t sequence, int64_t head, int64_t t,
                 int64_t s) {
  double value = 1.0;
  bool decayed = false, reversedDecayed = false;
  for (const MaskSpec::Leaf &leaf : leaves) {
    // A transposed leaf is read at (s, t).
    int64_t query = leaf.transposed ? s : t, key = leaf.transposed ? t : s;
    switch (leaf.spec->kind()) {
    case MaskSpec::Kind::Causal:
      if (key > query)
        return 0.0;
      break;
    case MaskSpec::Kind::FixedDecay:
    case MaskSpec::Kind::Decay:
      if (key > query)
        return 0.0;
      (leaf.transposed ? reversedDecayed : decayed) = true;
      break;
    case MaskSpec::Kind::Window:
      if (query - key < 0 || query - key >= leaf.spec->windowWidth())
        return 0.0;
      break;
    case MaskSpec::Kind::Custom: {
      if (leaf.spec->customCausal() && key > query)
        return 0.0;
      MaskPoint point;
      point.batch = seq.batch;
      point.head = head;
      point.sequence = sequence;
      point.tAbs = query;
      point.sAbs = key;
      point.tRel = query - seq.start;
      point.sRel = key - seq.start;
      value *= leaf.spec->fn()(point);
      break;
    }
    case MaskSpec::Kind::Mul:
    case MaskSpec::Kind::Transpose: // Never leaves.
      break;
    }
  }
  const int64_t tj = t - seq.start, sj = s - seq.start;
  if (decayed) // exp(sum_{k=s+1..t} ld[k]), all plain decay leaves together.
    value *= std::exp(forward.over(sj + 1, tj + 1));
  if (reversedDecayed) // exp(sum_{k=t+1..s} ld[k]), the transposed ones.
    value *= std::exp(reversed.over(tj + 1, sj + 1));
  return value;
}

/// The log-decays of one orientation summed over the decay leaves for one
/// sequence and head.
Prefix prefixOf(const std::vector<MaskSpec::Leaf> &leaves, bool transposed,
                const Segment &seq, int64_t head) {
  Prefix prefix;
  prefix.sums.assign(static_cast<size_t>(seq.end - seq.start), 0.0);
  double running = 0.0;
  for (int64_t j = 0; j < seq.end - seq.start; ++j) {
    double ld = 0.0;
    for (const MaskSpec::Leaf &leaf : leaves) {
      if (leaf.transposed != transposed)
        continue;
      if (leaf.spec->kind() == MaskSpec::Kind::FixedDecay)
        ld += std::log(leaf.spec->gamma()[static_cast<size_t>(head)]);
      if (leaf.spec->kind() == MaskSpec::Kind::Decay)
        ld += leaf.spec->decayLogs().at({seq.batch, seq.start + j, head});
    }
    running += ld;
    prefix.sums[static_cast<size_t>(j)] = running;
  }
  return prefix;
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

  std::vector<MaskSpec::Leaf> leaves;
  problem.mask->collectLeaves(leaves);
  // The direction of the states' recurrence (one for a semiseparable mask).
  const bool reversedStates = problem.mask->isReversed();
  grads.dC = Tensor(problem.C->shape());
  grads.dB = Tensor(problem.B->shape());
  grads.dX = Tensor(problem.X->shape());
  grads.dInitState.reset();
  if (problem.initState)
    grads.dInitState = Tensor(problem.initState->shape());
  grads.dDecayLogs.clear();
  // Shared by every decay leaf of one orientation.
  Tensor dLogs({d.batch, d.seqLen, d.heads}),
      dReversedLogs({d.batch, d.seqLen, d.heads});

  std::vector<Segment> sequences = sequencesOf(problem, d);

  const int64_t headsPerGroup = d.heads / d.groups;
  std::vector<double> dSum, dReversedSum, hc(static_cast<size_t>(p)),
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
      const Prefix forward = prefixOf(leaves, /*transposed=*/false, seq, head);
      const Prefix reversed = prefixOf(leaves, /*transposed=*/true, seq, head);
      // d(sum of ld) at each k, per orientation, as difference arrays: a term
      // that scales with every ld[k] for k in [lo, hi) adds at lo and
      // subtracts at hi.
      dSum.assign(static_cast<size_t>(len + 1), 0.0);
      dReversedSum.assign(static_cast<size_t>(len + 1), 0.0);
      auto addOver = [](std::vector<double> &sums, int64_t lo, int64_t hi,
                        double v) {
        sums[static_cast<size_t>(lo)] += v;
        sums[static_cast<size_t>(hi)] -= v;
      };
      // The states' decays, over the steps k in [lo, hi) of a span: from
      // the start through t where the initial state meets row t, and after
      // s where x_s enters the final state; the other way round for a
      // reversed mask (Contract.h).
      const Prefix &states = reversedStates ? reversed : forward;
      std::vector<double> &dStates = reversedStates ? dReversedSum : dSum;
      struct Span {
        int64_t lo, hi;
      };
      auto initSpan = [&](int64_t j) {
        return reversedStates ? Span{j + 1, len} : Span{0, j + 1};
      };
      auto finalSpan = [&](int64_t j) {
        return reversedStates ? Span{0, j + 1} : Span{j + 1, len};
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
          double l = maskValue(leaves, forward, reversed, seq, si, head, t, s);
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
          // L(t,s) holds e^{ld[k]} for s < k <= t, or transposed for
          // t < k <= s.
          if (s < t)
            addOver(dSum, s - seq.start + 1, t - seq.start + 1, l * cb * g);
          if (t < s)
            addOver(dReversedSum, t - seq.start + 1, s - seq.start + 1,
                    l * cb * g);
        }
        if (h0) { // Y_t += e^{P(t)} H0 C_t (e^{R(t)} if reversed)
          const Span span = initSpan(t - seq.start);
          double e = std::exp(states.over(span.lo, span.hi));
          for (int64_t q = 0; q < p; ++q)
            hc[static_cast<size_t>(q)] = dot(h0 + q * n, ct, n);
          for (int64_t q = 0; q < p; ++q)
            for (int64_t m = 0; m < n; ++m) {
              dct[m] += e * dyt[q] * h0[q * n + m];
              dh0[q * n + m] += e * dyt[q] * ct[m];
            }
          addOver(dStates, span.lo, span.hi, e * dot(dyt, hc.data(), p));
        }
      }
      if (df) { // F = e^{P(end-1)} H0 + sum_s e^{D(s)} x_s B_s^T (or P(s))
        for (int64_t s = seq.start; s < seq.end; ++s) {
          const Span span = finalSpan(s - seq.start);
          double e = std::exp(states.over(span.lo, span.hi));
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
          addOver(dStates, span.lo, span.hi, e * dot(xs, dfb.data(), p));
        }
        if (h0) {
          double e = std::exp(states.over(0, len));
          for (int64_t i = 0; i < p * n; ++i)
            dh0[i] += e * df[i];
          addOver(dStates, 0, len, e * dot(df, h0, p * n));
        }
      }
      double acc = 0.0, reversedAcc = 0.0;
      for (int64_t j = 0; j < len; ++j) {
        acc += dSum[static_cast<size_t>(j)];
        reversedAcc += dReversedSum[static_cast<size_t>(j)];
        dLogs.at({seq.batch, seq.start + j, head}) += acc;
        dReversedLogs.at({seq.batch, seq.start + j, head}) += reversedAcc;
      }
    }
  }
  for (const MaskSpec::Leaf &leaf : leaves)
    if (leaf.spec->kind() == MaskSpec::Kind::Decay)
      grads.dDecayLogs.push_back(leaf.transposed ? dReversedLogs : dLogs);
  return Status::success();
}

} // namespace smc::ref
