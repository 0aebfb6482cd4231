//===- Contract.cpp - float64 reference for sma contracts -----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Contract.h"

#include "reference/Parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <utility>

namespace smc::ref {

namespace {

/// No limit on how far from its query a key may lie.
constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max();

/// The mask tree flattened into its oriented leaves (the mask is their
/// product).
struct MaskPlan {
  /// Row t reads keys s in [t - behind, t + ahead] of its sequence: outside,
  /// some leaf is 0 (causal ones ahead of t, windows beyond their width,
  /// transposed ones the other way round). Both are >= 0 since every leaf
  /// keeps the diagonal.
  int64_t behind = kUnbounded, ahead = kUnbounded;
  /// FixedDecay and Decay leaves read as they are (s <= t) ...
  std::vector<const MaskSpec *> decays;
  /// ... and transposed ones, L(t, s) = exp(sum_{k=t+1..s} ld[k]) (t <= s).
  std::vector<const MaskSpec *> reversedDecays;
  std::vector<MaskSpec::Leaf> customs; ///< Custom leaves.
  /// States run right to left (MaskSpec::isReversed).
  bool reversedStates = false;
};

/// How far behind and ahead of its query a leaf's keys may lie, in the
/// leaf's own orientation.
void leafReach(const MaskSpec &leaf, int64_t &behind, int64_t &ahead) {
  behind = kUnbounded;
  ahead = 0;
  if (leaf.kind() == MaskSpec::Kind::Window)
    behind = leaf.windowWidth() - 1;
  if (leaf.kind() == MaskSpec::Kind::Custom && !leaf.customCausal())
    ahead = kUnbounded;
}

MaskPlan planMask(const MaskSpec &mask) {
  MaskPlan plan;
  plan.reversedStates = mask.isReversed();
  std::vector<MaskSpec::Leaf> leaves;
  mask.collectLeaves(leaves);
  for (const MaskSpec::Leaf &leaf : leaves) {
    int64_t behind, ahead;
    leafReach(*leaf.spec, behind, ahead);
    if (leaf.transposed)
      std::swap(behind, ahead);
    plan.behind = std::min(plan.behind, behind);
    plan.ahead = std::min(plan.ahead, ahead);
    switch (leaf.spec->kind()) {
    case MaskSpec::Kind::FixedDecay:
    case MaskSpec::Kind::Decay:
      (leaf.transposed ? plan.reversedDecays : plan.decays)
          .push_back(leaf.spec);
      break;
    case MaskSpec::Kind::Custom:
      plan.customs.push_back(leaf);
      break;
    default: // Causal and Window are 1 inside their reach.
      break;
    }
  }
  return plan;
}

/// The keys [lo, hi) that row t of `seg` reads.
std::pair<int64_t, int64_t> keyRange(const MaskPlan &plan, const Segment &seg,
                                     int64_t t) {
  int64_t lo = plan.behind == kUnbounded ? seg.start
                                         : std::max(seg.start, t - plan.behind);
  int64_t hi = plan.ahead == kUnbounded ? seg.end
                                        : std::min(seg.end, t + plan.ahead + 1);
  return {lo, hi};
}

/// Per-step decay of one head over one segment (index j = k - start).
struct DecayTrack {
  std::vector<double> logDecay; ///< ld[k]
  std::vector<double> step;     ///< exp(ld[k])
  std::vector<double> prefix;   ///< sum_{start..k} ld
  std::vector<double> suffix;   ///< sum_{k+1..end-1} ld
  double total = 0.0;           ///< sum_{start..end-1} ld
};

/// The summed log-decays of `decays` (leaves of one orientation).
DecayTrack buildTrack(const std::vector<const MaskSpec *> &decays,
                      const Segment &segment, int64_t head,
                      const ContractDims &dims) {
  DecayTrack track;
  int64_t length = segment.end - segment.start;
  track.logDecay.assign(static_cast<size_t>(length), 0.0);
  for (const MaskSpec *leaf : decays) {
    if (leaf->kind() == MaskSpec::Kind::FixedDecay) {
      double logGamma = std::log(leaf->gamma()[static_cast<size_t>(head)]);
      for (double &ld : track.logDecay)
        ld += logGamma;
      continue;
    }
    const double *a = leaf->decayLogs().data();
    for (int64_t j = 0; j < length; ++j)
      track.logDecay[static_cast<size_t>(j)] +=
          a[(segment.batch * dims.seqLen + segment.start + j) * dims.heads +
            head];
  }
  track.step.resize(track.logDecay.size());
  track.prefix.resize(track.logDecay.size());
  double sum = 0.0;
  for (size_t j = 0; j < track.logDecay.size(); ++j) {
    track.step[j] = std::exp(track.logDecay[j]);
    sum += track.logDecay[j];
    track.prefix[j] = sum;
  }
  // Summed from the end, not as total - prefix, which would cancel for the
  // keys near the end (the final state's largest terms).
  track.suffix.resize(track.logDecay.size());
  sum = 0.0;
  for (size_t j = track.logDecay.size(); j-- > 0;) {
    track.suffix[j] = sum;
    sum += track.logDecay[j];
  }
  track.total = sum;
  return track;
}

double dot(const double *a, const double *b, int64_t count) {
  double sum = 0.0;
  for (int64_t i = 0; i < count; ++i)
    sum += a[i] * b[i];
  return sum;
}

/// Everything a row computation reads; shared by all workers.
struct Context {
  ContractDims dims;
  const ContractProblem *problem;
  MaskPlan plan;
  std::vector<Segment> segments;
  /// [segment * h + head] of plan.decays and plan.reversedDecays; empty
  /// without such leaves.
  std::vector<DecayTrack> tracks, reversedTracks;
  double *y;

  const DecayTrack *track(const std::vector<DecayTrack> &of, int64_t segIndex,
                          int64_t head) const {
    return of.empty() ? nullptr
                      : &of[static_cast<size_t>(segIndex * dims.heads + head)];
  }
  /// The decay the states see (a semiseparable mask has one orientation).
  const DecayTrack *stateTrack(int64_t segIndex, int64_t head) const {
    return track(plan.reversedStates ? reversedTracks : tracks, segIndex, head);
  }
};

/// Per-worker scratch buffers.
struct Scratch {
  std::vector<int64_t> lo, hi;
  std::vector<double> gram, weight, acc;
};

/// Computes y[b, t, head, :] for every head of `group` and every row t in
/// `rows[0..numRows)` (increasing, all inside segment `segIndex`). Rows are
/// processed together so each X and B row is loaded once per block rather
/// than once per row, which keeps the O(T^2) loops compute bound.
void computeBlock(const Context &ctx, int64_t segIndex, int64_t group,
                  const int64_t *rows, int64_t numRows, Scratch &scratch) {
  const ContractDims &d = ctx.dims;
  const Segment &seg = ctx.segments[static_cast<size_t>(segIndex)];
  const ContractProblem &pb = *ctx.problem;
  const int64_t b = seg.batch, p = d.headDim, n = d.stateDim;

  // Row r reads keys [lo[r], hi[r]); the block spans [sLo, sHi).
  scratch.lo.resize(static_cast<size_t>(numRows));
  scratch.hi.resize(static_cast<size_t>(numRows));
  int64_t *lo = scratch.lo.data(), *hi = scratch.hi.data();
  int64_t sLo = seg.end, sHi = seg.start;
  for (int64_t r = 0; r < numRows; ++r) {
    std::tie(lo[r], hi[r]) = keyRange(ctx.plan, seg, rows[r]);
    sLo = std::min(sLo, lo[r]);
    sHi = std::max(sHi, hi[r]);
  }
  const int64_t span = std::max<int64_t>(0, sHi - sLo);
  auto cRow = [&](int64_t t) {
    return pb.C->data() + ((b * d.seqLen + t) * d.groups + group) * n;
  };

  // (C B^T)[t, s] is shared by all heads of the group; 0 outside a row's
  // range.
  const size_t blockSize = static_cast<size_t>(numRows * span);
  scratch.gram.assign(blockSize, 0.0);
  scratch.weight.resize(blockSize);
  scratch.acc.resize(static_cast<size_t>(numRows * p));
  double *gram = scratch.gram.data();
  for (int64_t j = 0; j < span; ++j) {
    int64_t s = sLo + j;
    const double *bs =
        pb.B->data() + ((b * d.seqLen + s) * d.groups + group) * n;
    for (int64_t r = 0; r < numRows; ++r)
      if (s >= lo[r] && s < hi[r])
        gram[r * span + j] = dot(cRow(rows[r]), bs, n);
  }

  const int64_t headsPerGroup = d.heads / d.groups;
  for (int64_t head = group * headsPerGroup; head < (group + 1) * headsPerGroup;
       ++head) {
    const DecayTrack *track = ctx.track(ctx.tracks, segIndex, head);
    const DecayTrack *reversed = ctx.track(ctx.reversedTracks, segIndex, head);
    double *weight = scratch.weight.data();
    std::copy(gram, gram + blockSize, weight);
    for (int64_t r = 0; r < numRows; ++r) {
      double *w = weight + r * span - sLo; // Indexed by absolute s.
      int64_t t = rows[r];
      if (track) {
        // L(t, s) = exp(sum_{k=s+1..t} ld[k]), built as a running product
        // from s = t backwards: L(t, s-1) = L(t, s) * exp(ld[s]). Decay
        // masks are causal, so hi == t + 1. The product underflows
        // gracefully and its relative error stays ~(t-s) ulps.
        double decay = 1.0;
        for (int64_t s = hi[r] - 1; s >= lo[r]; --s) {
          w[s] *= decay;
          decay *= track->step[static_cast<size_t>(s - seg.start)];
        }
      }
      if (reversed) {
        // Transposed: L(t, s) = exp(sum_{k=t+1..s} ld[k]) from s = t
        // forwards, L(t, s) = L(t, s-1) * exp(ld[s]); they make the mask
        // anti-causal, so lo == t.
        double decay = 1.0;
        for (int64_t s = lo[r]; s < hi[r]; ++s) {
          if (s > lo[r])
            decay *= reversed->step[static_cast<size_t>(s - seg.start)];
          w[s] *= decay;
        }
      }
      for (const MaskSpec::Leaf &custom : ctx.plan.customs) {
        MaskPoint point;
        point.batch = b;
        point.head = head;
        point.sequence = segIndex;
        for (int64_t s = lo[r]; s < hi[r]; ++s) {
          // A transposed leaf is read at (s, t).
          int64_t query = custom.transposed ? s : t;
          int64_t key = custom.transposed ? t : s;
          point.tAbs = query;
          point.sAbs = key;
          point.tRel = query - seg.start;
          point.sRel = key - seg.start;
          if (custom.spec->customCausal() && key > query)
            w[s] = 0.0;
          else
            w[s] *= custom.spec->fn()(point);
        }
      }
    }

    double *acc = scratch.acc.data();
    std::fill(acc, acc + numRows * p, 0.0);
    for (int64_t j = 0; j < span; ++j) {
      const double *xs =
          pb.X->data() + ((b * d.seqLen + sLo + j) * d.heads + head) * p;
      for (int64_t r = 0; r < numRows; ++r) {
        double w = weight[r * span + j];
        // Masked-out keys contribute nothing, even if x there is not finite.
        if (w == 0.0)
          continue;
        double *accRow = acc + r * p;
        for (int64_t q = 0; q < p; ++q)
          accRow[q] += w * xs[q];
      }
    }
    for (int64_t r = 0; r < numRows; ++r) {
      int64_t t = rows[r];
      double *accRow = acc + r * p;
      if (pb.initState) {
        // The initial state, decayed up to and including step t, or for a
        // reversed mask carried in from the end down to step t + 1.
        const DecayTrack *states = ctx.stateTrack(segIndex, head);
        size_t j = static_cast<size_t>(t - seg.start);
        double decay = !states                   ? 1.0
                       : ctx.plan.reversedStates ? std::exp(states->suffix[j])
                                                 : std::exp(states->prefix[j]);
        const double *h0 =
            pb.initState->data() + (segIndex * d.heads + head) * p * n;
        for (int64_t q = 0; q < p; ++q)
          accRow[q] += decay * dot(h0 + q * n, cRow(t), n);
      }
      std::copy(accRow, accRow + p,
                ctx.y + ((b * d.seqLen + t) * d.heads + head) * p);
    }
  }
}

/// Computes final[segIndex, head] from the closed form (not the recurrence).
void computeFinalState(const Context &ctx, int64_t segIndex, int64_t head,
                       double *out) {
  const ContractDims &d = ctx.dims;
  const Segment &seg = ctx.segments[static_cast<size_t>(segIndex)];
  const ContractProblem &pb = *ctx.problem;
  const DecayTrack *track = ctx.stateTrack(segIndex, head);
  int64_t stateSize = d.headDim * d.stateDim;
  std::fill(out, out + stateSize, 0.0);
  // x_s B_s^T decays over the steps after s, or for a reversed mask over
  // those from the start down to s.
  for (int64_t s = seg.end - 1; s >= seg.start; --s) {
    size_t j = static_cast<size_t>(s - seg.start);
    double w = !track                    ? 1.0
               : ctx.plan.reversedStates ? std::exp(track->prefix[j])
                                         : std::exp(track->suffix[j]);
    const double *xs =
        pb.X->data() +
        ((seg.batch * d.seqLen + s) * d.heads + head) * d.headDim;
    const double *bs = pb.B->data() + ((seg.batch * d.seqLen + s) * d.groups +
                                       head / (d.heads / d.groups)) *
                                          d.stateDim;
    for (int64_t q = 0; q < d.headDim; ++q) {
      double wx = w * xs[q];
      for (int64_t m = 0; m < d.stateDim; ++m)
        out[q * d.stateDim + m] += wx * bs[m];
    }
  }
  if (pb.initState) { // Through every step, either way.
    double w = track ? std::exp(track->total) : 1.0;
    const double *h0 =
        pb.initState->data() + (segIndex * d.heads + head) * stateSize;
    for (int64_t i = 0; i < stateSize; ++i)
      out[i] += w * h0[i];
  }
}

} // namespace

std::vector<Segment> sequencesOf(const ContractProblem &problem,
                                 const ContractDims &dims) {
  std::vector<Segment> segments;
  if (problem.cuSeqlens) {
    const std::vector<int64_t> &cu = *problem.cuSeqlens;
    for (size_t i = 0; i + 1 < cu.size(); ++i)
      segments.push_back({0, cu[i], cu[i + 1]});
  } else {
    for (int64_t b = 0; b < dims.batch; ++b)
      segments.push_back({b, 0, dims.seqLen});
  }
  return segments;
}

Status validateContract(const ContractProblem &problem, ContractDims &dims) {
  if (!problem.C || !problem.B || !problem.X)
    return Status::error("contract: C, B and X are required");
  if (!problem.mask)
    return Status::error("contract: a mask is required");
  const Tensor &x = *problem.X, &b = *problem.B, &c = *problem.C;
  SMC_REF_RETURN_IF_ERROR(checkRank(x, 4, "X"));
  SMC_REF_RETURN_IF_ERROR(checkRank(b, 4, "B"));
  SMC_REF_RETURN_IF_ERROR(checkRank(c, 4, "C"));
  ContractDims out;
  out.batch = x.dim(0);
  out.seqLen = x.dim(1);
  out.heads = x.dim(2);
  out.headDim = x.dim(3);
  out.groups = b.dim(2);
  out.stateDim = b.dim(3);
  if (b.dim(0) != out.batch || b.dim(1) != out.seqLen)
    return Status::error("B: batch and time dims must match X " +
                         shapeToString(x.shape()) + " ([b,T,g,n]), got " +
                         shapeToString(b.shape()));
  SMC_REF_RETURN_IF_ERROR(checkShape(c, b.shape(), "C"));
  if (out.groups < 1)
    return Status::error("B: group dimension g must be >= 1, got " +
                         shapeToString(b.shape()));
  if (out.heads % out.groups != 0)
    return Status::error(
        "heads h=" + std::to_string(out.heads) +
        " must be a multiple of groups g=" + std::to_string(out.groups));
  SMC_REF_RETURN_IF_ERROR(
      problem.mask->validate(out.batch, out.seqLen, out.heads)
          .withContext("mask"));

  out.sequences = out.batch;
  if (const std::vector<int64_t> *cu = problem.cuSeqlens) {
    if (out.batch != 1)
      return Status::error("cu_seqlens requires batch b=1, got b=" +
                           std::to_string(out.batch));
    if (cu->size() < 2)
      return Status::error("cu_seqlens needs at least 2 entries, got " +
                           std::to_string(cu->size()));
    if ((*cu)[0] != 0)
      return Status::error("cu_seqlens[0] must be 0, got " +
                           std::to_string((*cu)[0]));
    for (size_t i = 1; i < cu->size(); ++i)
      if ((*cu)[i] < (*cu)[i - 1])
        return Status::error("cu_seqlens must be non-decreasing: cu_seqlens[" +
                             std::to_string(i) +
                             "]=" + std::to_string((*cu)[i]) +
                             " < cu_seqlens[" + std::to_string(i - 1) +
                             "]=" + std::to_string((*cu)[i - 1]));
    if (cu->back() != out.seqLen)
      return Status::error(
          "cu_seqlens must end at T=" + std::to_string(out.seqLen) + ", got " +
          std::to_string(cu->back()));
    out.sequences = static_cast<int64_t>(cu->size()) - 1;
  }

  bool wantsStates = problem.initState || problem.wantFinalState;
  if (wantsStates && !problem.mask->isSemiseparable())
    return Status::error(
        std::string(problem.initState ? "initial" : "final") +
        " state requires a semiseparable mask (causal, fixed_decay, decay, "
        "and mul or transpose of those, all running the same way), got " +
        problem.mask->describe());
  if (problem.initState)
    SMC_REF_RETURN_IF_ERROR(
        checkShape(*problem.initState,
                   {out.sequences, out.heads, out.headDim, out.stateDim},
                   "initial state"));
  dims = out;
  return Status::success();
}

Status computeContract(const ContractProblem &problem, ContractResult &result,
                       const std::vector<int64_t> *rows) {
  Context ctx;
  SMC_REF_RETURN_IF_ERROR(validateContract(problem, ctx.dims));
  const ContractDims &d = ctx.dims;
  if (rows) {
    for (int64_t t : *rows)
      if (t < 0 || t >= d.seqLen)
        return Status::error("rows: row " + std::to_string(t) +
                             " is outside [0, " + std::to_string(d.seqLen) +
                             ")");
  }
  ctx.problem = &problem;
  ctx.plan = planMask(*problem.mask);
  ctx.segments = sequencesOf(problem, d);
  unsigned threads = resolveThreadCount(problem.numThreads);
  int64_t numSegments = static_cast<int64_t>(ctx.segments.size());

  auto buildTracks = [&](const std::vector<const MaskSpec *> &decays,
                         std::vector<DecayTrack> &tracks) {
    if (decays.empty())
      return;
    tracks.resize(static_cast<size_t>(numSegments * d.heads));
    parallelFor(numSegments * d.heads, threads, [&](int64_t i, unsigned) {
      tracks[static_cast<size_t>(i)] =
          buildTrack(decays, ctx.segments[static_cast<size_t>(i / d.heads)],
                     i % d.heads, d);
    });
  };
  buildTracks(ctx.plan.decays, ctx.tracks);
  buildTracks(ctx.plan.reversedDecays, ctx.reversedTracks);

  // The rows to compute per segment, in increasing order.
  std::vector<int64_t> wanted;
  if (rows) {
    wanted = *rows;
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  }
  std::vector<std::vector<int64_t>> segRows(ctx.segments.size());
  for (size_t i = 0; i < ctx.segments.size(); ++i) {
    const Segment &seg = ctx.segments[i];
    if (!rows) {
      for (int64_t t = seg.start; t < seg.end; ++t)
        segRows[i].push_back(t);
      continue;
    }
    auto first = std::lower_bound(wanted.begin(), wanted.end(), seg.start);
    auto last = std::lower_bound(wanted.begin(), wanted.end(), seg.end);
    segRows[i].assign(first, last);
  }

  // Work items: blocks of rows of one (segment, group); the costliest rows
  // (those with the most keys: late ones of a causal mask, early ones of an
  // anti-causal one) go first so the dynamic schedule ends balanced.
  struct Block {
    int64_t segment, group;
    size_t begin, end; ///< Range into segRows[segment].
  };
  // Up to 16 rows share each X/B load; fewer when rows are scarce (sampled
  // checks) so every thread still gets several blocks.
  size_t totalRows = 0;
  for (const std::vector<int64_t> &segment : segRows)
    totalRows += segment.size() * static_cast<size_t>(d.groups);
  const size_t rowsPerBlock =
      std::clamp<size_t>(totalRows / (4 * size_t{threads}), 1, 16);
  std::vector<Block> blocks;
  for (size_t i = 0; i < segRows.size(); ++i)
    for (int64_t g = 0; g < d.groups; ++g)
      for (size_t end = segRows[i].size(); end > 0;) {
        size_t begin = end > rowsPerBlock ? end - rowsPerBlock : 0;
        blocks.push_back({static_cast<int64_t>(i), g, begin, end});
        end = begin;
      }
  auto keysOf = [&](const Block &block) {
    const Segment &seg = ctx.segments[static_cast<size_t>(block.segment)];
    const std::vector<int64_t> &segment = segRows[block.segment];
    auto [firstLo, firstHi] = keyRange(ctx.plan, seg, segment[block.begin]);
    auto [lastLo, lastHi] = keyRange(ctx.plan, seg, segment[block.end - 1]);
    return (firstHi - firstLo) + (lastHi - lastLo);
  };
  std::stable_sort(blocks.begin(), blocks.end(),
                   [&](const Block &lhs, const Block &rhs) {
                     return keysOf(lhs) > keysOf(rhs);
                   });

  Tensor y({d.batch, d.seqLen, d.heads, d.headDim},
           rows ? std::numeric_limits<double>::quiet_NaN() : 0.0);
  ctx.y = y.data();
  std::vector<Scratch> scratch(threads);
  parallelFor(static_cast<int64_t>(blocks.size()), threads,
              [&](int64_t i, unsigned worker) {
                const Block &block = blocks[static_cast<size_t>(i)];
                computeBlock(ctx, block.segment, block.group,
                             segRows[block.segment].data() + block.begin,
                             static_cast<int64_t>(block.end - block.begin),
                             scratch[worker]);
              });

  std::optional<Tensor> finalState;
  if (problem.wantFinalState) {
    finalState.emplace(Shape{d.sequences, d.heads, d.headDim, d.stateDim});
    double *base = finalState->data();
    int64_t stateSize = d.headDim * d.stateDim;
    parallelFor(numSegments * d.heads, threads, [&](int64_t i, unsigned) {
      computeFinalState(ctx, i / d.heads, i % d.heads, base + i * stateSize);
    });
  }
  result.y = std::move(y);
  result.finalState = std::move(finalState);
  return Status::success();
}

} // namespace smc::ref
