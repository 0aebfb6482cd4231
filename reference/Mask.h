//===- Mask.h - mask specifications for masked attention --------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A MaskSpec is a small tree describing the mask L(t, s) of structured
/// masked attention Y = (L o C B^T) X. Leaves are causal, fixed (per-head)
/// decay, data-dependent decay, sliding window and custom functions; Mul
/// multiplies two masks elementwise and Transpose swaps the positions,
/// L'(t, s) = L(s, t) (what the backward of a contraction reads, and what
/// bidirectional masks are built from). Causal/FixedDecay/Decay and Mul or
/// Transpose of those are "semiseparable" when all their leaves run the same
/// way: they admit a state recurrence with a per-step log-decay, which is
/// what makes initial/final states meaningful. It runs left to right
/// (causal) or, under an odd number of transposes, right to left
/// (isReversed).
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_MASK_H
#define SMC_REFERENCE_MASK_H

#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace smc::ref {

/// The coordinates a custom mask function sees.
struct MaskPoint {
  int64_t batch = 0;    ///< Batch row b.
  int64_t head = 0;     ///< Head index.
  int64_t sequence = 0; ///< Sequence index (batch row without cu_seqlens).
  int64_t tAbs = 0;     ///< Query position in the (batch row's) time axis.
  int64_t sAbs = 0;     ///< Key position in the time axis.
  int64_t tRel = 0;     ///< Query position relative to its sequence start.
  int64_t sRel = 0;     ///< Key position relative to its sequence start.
};

/// A custom mask value. Called concurrently from several threads, so it
/// must be thread-safe.
using MaskFn = std::function<double(const MaskPoint &)>;

/// A mask L(t, s); cheap to copy (children and data are shared).
class MaskSpec {
public:
  enum class Kind { Causal, FixedDecay, Decay, Window, Mul, Custom, Transpose };

  /// L = 1 if s <= t.
  static MaskSpec causal();
  /// L = gamma[h]^(t-s) if s <= t; one gamma in (0, 1] per head.
  static MaskSpec fixedDecay(std::vector<double> gamma);
  /// L = exp(sum_{k=s+1..t} a[b,k,h]) if s <= t; `a` is [b,T,h], a <= 0.
  static MaskSpec decay(Tensor a);
  /// L = 1 if 0 <= t-s < width (width >= 1).
  static MaskSpec window(int64_t width);
  /// L = L1 * L2.
  static MaskSpec mul(MaskSpec lhs, MaskSpec rhs);
  /// L = fn(point); if `causal`, L = 0 for s > t without calling fn.
  static MaskSpec custom(MaskFn fn, bool causal);
  /// L(t, s) = inner(s, t): a causal inner mask gives an anti-causal one.
  static MaskSpec transpose(MaskSpec inner);

  /// The node kind.
  Kind kind() const { return nodeKind; }
  /// The kind's name: "causal", "fixed_decay", "decay", "window", "mul",
  /// "custom", "transpose".
  const char *kindName() const;
  /// The whole tree, e.g. "mul(decay, transpose(window(4)))".
  std::string describe() const;

  /// True iff built from Causal/FixedDecay/Decay with Mul and Transpose, and
  /// every leaf lies under an even number of transposes or every leaf under
  /// an odd number: the leaves' recurrences must run the same way. So
  /// mul(decay, transpose(decay)), only the diagonal, is not semiseparable.
  bool isSemiseparable() const;
  /// True iff the mask is semiseparable and its recurrence runs right to
  /// left (every leaf under an odd number of transposes): its states enter
  /// at the end of a sequence and leave before its start (Contract.h).
  bool isReversed() const;
  /// True when the structure makes L(t, s) = 0 for every s > t: every leaf
  /// but a non-causal custom is causal, a product is causal if either part
  /// is, and transpose(m) is causal iff m is anti-causal.
  bool isCausal() const;
  /// True when the structure makes L(t, s) = 0 for every s < t, by the same
  /// rules; no leaf is anti-causal (window(1) neither).
  bool isAntiCausal() const;

  /// FixedDecay: the per-head gammas.
  const std::vector<double> &gamma() const { return gammas; }
  /// Decay: the per-step log-decays [b,T,h].
  const Tensor &decayLogs() const { return *logs; }
  /// Window: the width.
  int64_t windowWidth() const { return width; }
  /// Mul: the operands.
  const MaskSpec &lhs() const { return *left; }
  const MaskSpec &rhs() const { return *right; }
  /// Transpose: the transposed mask.
  const MaskSpec &inner() const { return *left; }
  /// Custom: the function and its causal flag.
  const MaskFn &fn() const { return function; }
  bool customCausal() const { return causalFlag; }

  /// Checks parameters against the problem sizes: gamma has `heads` entries
  /// in (0, 1], `a` is [batch,seqLen,heads] finite and <= 0, width >= 1,
  /// custom functions are set.
  Status validate(int64_t batch, int64_t seqLen, int64_t heads) const;

  /// Appends the leaves of the tree (never a Mul or Transpose node) in the
  /// order of a pre-order walk; the pointers live as long as this mask. A
  /// leaf under a transpose appears like any other (a decay leaf is still a
  /// decay leaf), so evaluating the mask needs the Leaf overload.
  void collectLeaves(std::vector<const MaskSpec *> &leaves) const;
  /// A leaf of the tree and whether it is read transposed.
  struct Leaf {
    const MaskSpec *spec;
    /// Under an odd number of transposes: the leaf's value at (t, s) is
    /// spec's at (s, t).
    bool transposed;
  };
  /// The same leaves in the same order, each with its orientation; the mask
  /// is their product, since transpose(mul(l, r)) = mul(transpose(l),
  /// transpose(r)) and transpose(transpose(m)) = m.
  void collectLeaves(std::vector<Leaf> &leaves) const;

private:
  explicit MaskSpec(Kind kind) : nodeKind(kind) {}

  /// +1 if semiseparable left to right, -1 if right to left, 0 if not.
  int semiseparableDirection() const;
  void collectLeaves(std::vector<Leaf> &leaves, bool transposed) const;

  Kind nodeKind;
  std::vector<double> gammas;
  std::shared_ptr<const Tensor> logs;
  int64_t width = 0;
  /// Mul: both operands; Transpose: `left` is the inner mask.
  std::shared_ptr<const MaskSpec> left, right;
  MaskFn function;
  bool causalFlag = false;
};

} // namespace smc::ref

#endif // SMC_REFERENCE_MASK_H
