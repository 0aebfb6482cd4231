//===- Mask.cpp - mask specifications for masked attention ----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Mask.h"

#include <cmath>
#include <sstream>
#include <utility>

namespace smc::ref {

MaskSpec MaskSpec::causal() { return MaskSpec(Kind::Causal); }

MaskSpec MaskSpec::fixedDecay(std::vector<double> gamma) {
  MaskSpec mask(Kind::FixedDecay);
  mask.gammas = std::move(gamma);
  return mask;
}

MaskSpec MaskSpec::decay(Tensor a) {
  MaskSpec mask(Kind::Decay);
  mask.logs = std::make_shared<const Tensor>(std::move(a));
  return mask;
}

MaskSpec MaskSpec::window(int64_t width) {
  MaskSpec mask(Kind::Window);
  mask.width = width;
  return mask;
}

MaskSpec MaskSpec::mul(MaskSpec lhs, MaskSpec rhs) {
  MaskSpec mask(Kind::Mul);
  mask.left = std::make_shared<const MaskSpec>(std::move(lhs));
  mask.right = std::make_shared<const MaskSpec>(std::move(rhs));
  return mask;
}

MaskSpec MaskSpec::custom(MaskFn fn, bool causal) {
  MaskSpec mask(Kind::Custom);
  mask.function = std::move(fn);
  mask.causalFlag = causal;
  return mask;
}

MaskSpec MaskSpec::transpose(MaskSpec inner) {
  MaskSpec mask(Kind::Transpose);
  mask.left = std::make_shared<const MaskSpec>(std::move(inner));
  return mask;
}

const char *MaskSpec::kindName() const {
  switch (nodeKind) {
  case Kind::Causal:
    return "causal";
  case Kind::FixedDecay:
    return "fixed_decay";
  case Kind::Decay:
    return "decay";
  case Kind::Window:
    return "window";
  case Kind::Mul:
    return "mul";
  case Kind::Custom:
    return "custom";
  case Kind::Transpose:
    return "transpose";
  }
  return "unknown";
}

std::string MaskSpec::describe() const {
  switch (nodeKind) {
  case Kind::Window:
    return "window(" + std::to_string(width) + ")";
  case Kind::Mul:
    return "mul(" + left->describe() + ", " + right->describe() + ")";
  case Kind::Custom:
    return causalFlag ? "custom(causal)" : "custom";
  case Kind::Transpose:
    return "transpose(" + left->describe() + ")";
  default:
    return kindName();
  }
}

int MaskSpec::semiseparableDirection() const {
  switch (nodeKind) {
  case Kind::Causal:
  case Kind::FixedDecay:
  case Kind::Decay:
    return 1;
  case Kind::Mul: {
    // Recurrences running opposite ways multiply to the diagonal, which has
    // no state recurrence.
    int lhs = left->semiseparableDirection();
    return lhs == right->semiseparableDirection() ? lhs : 0;
  }
  case Kind::Transpose:
    return -left->semiseparableDirection();
  case Kind::Window:
  case Kind::Custom:
    return 0;
  }
  return 0;
}

bool MaskSpec::isSemiseparable() const { return semiseparableDirection() != 0; }

bool MaskSpec::isReversed() const { return semiseparableDirection() < 0; }

bool MaskSpec::isCausal() const {
  switch (nodeKind) {
  case Kind::Mul:
    return left->isCausal() || right->isCausal();
  case Kind::Custom:
    return causalFlag;
  case Kind::Transpose:
    return left->isAntiCausal();
  default:
    return true;
  }
}

bool MaskSpec::isAntiCausal() const {
  switch (nodeKind) {
  case Kind::Mul:
    return left->isAntiCausal() || right->isAntiCausal();
  case Kind::Transpose:
    return left->isCausal();
  default:
    return false;
  }
}

Status MaskSpec::validate(int64_t batch, int64_t seqLen, int64_t heads) const {
  switch (nodeKind) {
  case Kind::Causal:
    return Status::success();
  case Kind::FixedDecay:
    if (static_cast<int64_t>(gammas.size()) != heads)
      return Status::error("fixed_decay: gamma has " +
                           std::to_string(gammas.size()) +
                           " entries, expected h=" + std::to_string(heads));
    for (size_t i = 0; i < gammas.size(); ++i) {
      // Written so NaN fails too.
      if (!(gammas[i] > 0.0 && gammas[i] <= 1.0)) {
        std::ostringstream text;
        text << "fixed_decay: gamma[" << i << "] = " << gammas[i]
             << " is outside (0, 1]";
        return Status::error(text.str());
      }
    }
    return Status::success();
  case Kind::Decay: {
    SMC_REF_RETURN_IF_ERROR(
        checkShape(*logs, {batch, seqLen, heads}, "decay: a"));
    for (int64_t i = 0; i < logs->numel(); ++i) {
      double value = (*logs)[i];
      if (!(std::isfinite(value) && value <= 0.0)) {
        int64_t hd = i % heads, t = (i / heads) % seqLen,
                b = i / (heads * seqLen);
        std::ostringstream text;
        text << "decay: a[" << b << "," << t << "," << hd << "] = " << value
             << " must be finite and <= 0";
        return Status::error(text.str());
      }
    }
    return Status::success();
  }
  case Kind::Window:
    if (width < 1)
      return Status::error("window: width must be >= 1, got " +
                           std::to_string(width));
    return Status::success();
  case Kind::Mul:
    SMC_REF_RETURN_IF_ERROR(left->validate(batch, seqLen, heads));
    return right->validate(batch, seqLen, heads);
  case Kind::Transpose:
    return left->validate(batch, seqLen, heads);
  case Kind::Custom:
    if (!function)
      return Status::error("custom: mask function is empty");
    return Status::success();
  }
  return Status::success();
}

void MaskSpec::collectLeaves(std::vector<const MaskSpec *> &leaves) const {
  std::vector<Leaf> oriented;
  collectLeaves(oriented);
  for (const Leaf &leaf : oriented)
    leaves.push_back(leaf.spec);
}

void MaskSpec::collectLeaves(std::vector<Leaf> &leaves) const {
  collectLeaves(leaves, /*transposed=*/false);
}

void MaskSpec::collectLeaves(std::vector<Leaf> &leaves, bool transposed) const {
  switch (nodeKind) {
  case Kind::Mul:
    left->collectLeaves(leaves, transposed);
    right->collectLeaves(leaves, transposed);
    return;
  case Kind::Transpose:
    left->collectLeaves(leaves, !transposed);
    return;
  default:
    leaves.push_back({this, transposed});
  }
}

} // namespace smc::ref
