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
/// multiplies two masks elementwise. Causal/FixedDecay/Decay and Mul of those
/// are "semiseparable": they admit a state recurrence with a per-step
/// log-decay, which is what makes initial/final states meaningful.
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
  enum class Kind { Causal, FixedDecay, Decay, Window, Mul, Custom };

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

  /// The node kind.
  Kind kind() const { return nodeKind; }
  /// The kind's name: "causal", "fixed_decay", "decay", "window", "mul",
  /// "custom".
  const char *kindName() const;
  /// The whole tree, e.g. "mul(decay, window(4))".
  std::string describe() const;

  /// True iff built from Causal/FixedDecay/Decay and Mul of those.
  bool isSemiseparable() const;
  /// True iff L(t, s) = 0 for every s > t.
  bool isCausal() const;

  /// FixedDecay: the per-head gammas.
  const std::vector<double> &gamma() const { return gammas; }
  /// Decay: the per-step log-decays [b,T,h].
  const Tensor &decayLogs() const { return *logs; }
  /// Window: the width.
  int64_t windowWidth() const { return width; }
  /// Mul: the operands.
  const MaskSpec &lhs() const { return *left; }
  const MaskSpec &rhs() const { return *right; }
  /// Custom: the function and its causal flag.
  const MaskFn &fn() const { return function; }
  bool customCausal() const { return causalFlag; }

  /// Checks parameters against the problem sizes: gamma has `heads` entries
  /// in (0, 1], `a` is [batch,seqLen,heads] finite and <= 0, width >= 1,
  /// custom functions are set.
  Status validate(int64_t batch, int64_t seqLen, int64_t heads) const;

  /// Appends the non-Mul leaves of the tree (the mask is their product);
  /// the pointers live as long as this mask.
  void collectLeaves(std::vector<const MaskSpec *> &leaves) const;

private:
  explicit MaskSpec(Kind kind) : nodeKind(kind) {}

  Kind nodeKind;
  std::vector<double> gammas;
  std::shared_ptr<const Tensor> logs;
  int64_t width = 0;
  std::shared_ptr<const MaskSpec> left, right;
  MaskFn function;
  bool causalFlag = false;
};

} // namespace smc::ref

#endif // SMC_REFERENCE_MASK_H
