//===- InputKind.cpp - distributions of model inputs ----------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/InputKind.h"

#include <cmath>
#include <sstream>
#include <utility>

namespace smc::ref {

namespace {

struct KindInfo {
  InputKind kind;
  const char *name;
  double lo, hi; ///< Uniform range; lo == hi means N(0, 1).
};

constexpr KindInfo kinds[] = {
    {InputKind::Normal, "normal", 0, 0},
    {InputKind::DtRaw, "dt_raw", -4.0, -1.0},
    {InputKind::DtPositive, "dt_positive", 0.005, 0.1},
    {InputKind::DtBias, "dt_bias", 0.0, 0.01},
    {InputKind::DtBiasRaw, "dt_bias_raw", -0.5, 0.5},
    {InputKind::ALog, "a_log", -8.0, -0.5},
    {InputKind::LogDecay, "log_decay", -0.3, 0.0},
    {InputKind::Unit, "unit", 0.0, 1.0},
    {InputKind::Offsets, "offsets", 0, 0},
};

const KindInfo &infoOf(InputKind kind) {
  for (const KindInfo &info : kinds)
    if (info.kind == kind)
      return info;
  return kinds[0];
}

} // namespace

const char *inputKindName(InputKind kind) { return infoOf(kind).name; }

Status parseInputKind(std::string_view name, InputKind &kind) {
  for (const KindInfo &info : kinds)
    if (name == info.name) {
      kind = info.kind;
      return Status::success();
    }
  return Status::error("unknown input kind '" + std::string(name) + "'");
}

void fillInput(Tensor &tensor, DType type, InputKind kind, Rng &rng) {
  const KindInfo &info = infoOf(kind);
  if (info.lo == info.hi)
    fillNormal(tensor, type, 0.0, 1.0, rng);
  else
    fillUniform(tensor, type, info.lo, info.hi, rng);
}

namespace {

/// "[0,3,1]": the multi-index of flat element `flat` of `shape`.
std::string indexText(const Shape &shape, int64_t flat) {
  std::vector<int64_t> index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = shape[d] ? flat % shape[d] : 0;
    flat = shape[d] ? flat / shape[d] : 0;
  }
  return shapeToString(index);
}

} // namespace

Status checkInputDomain(const Tensor &tensor, InputKind kind) {
  for (int64_t i = 0; i < tensor.numel(); ++i) {
    double v = tensor[i];
    const char *rule = nullptr;
    if (!std::isfinite(v))
      rule = "inputs must be finite";
    else if (kind == InputKind::LogDecay && v > 0)
      rule = "a log-decay must be <= 0 (a decay above 1 grows without bound)";
    else if (kind == InputKind::ALog && v > 0)
      rule = "A must be <= 0 (so that a = dt A <= 0)";
    else if (kind == InputKind::DtPositive && v < 0)
      rule = "dt must be >= 0";
    else if (kind == InputKind::Offsets &&
             (v != std::floor(v) || (i == 0 && v != 0) ||
              (i > 0 && v < tensor[i - 1])))
      rule = "offsets must be integers that start at 0 and never decrease";
    if (!rule)
      continue;
    std::ostringstream text;
    text << "element " << indexText(tensor.shape(), i) << " is " << v
         << ", but " << rule;
    return Status::error(text.str());
  }
  return Status::success();
}

Tensor makeOffsets(const std::vector<int64_t> &lengths) {
  Tensor t({static_cast<int64_t>(lengths.size()) + 1});
  int64_t offset = 0;
  t[0] = 0;
  for (size_t i = 0; i < lengths.size(); ++i)
    t[static_cast<int64_t>(i) + 1] = double(offset += lengths[i]);
  return t;
}

} // namespace smc::ref
