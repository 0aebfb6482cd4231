//===- Check.cpp - the check report of smc and smc-runner -----------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/front/Check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

using namespace smc;
using namespace smc::front;

double front::defaultTolerance(const std::vector<ref::DType> &types) {
  double tol = ref::defaultTolerance(ref::DType::F32);
  for (ref::DType t : types)
    tol = std::max(tol, ref::defaultTolerance(t));
  return tol;
}

std::vector<int64_t> front::sampleRows(int64_t length, int64_t count) {
  std::vector<int64_t> rows;
  for (int64_t i = 0; i < count; ++i)
    rows.push_back(count == 1 ? length - 1 : i * (length - 1) / (count - 1));
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

std::vector<int64_t> front::referenceRows(int64_t length, int64_t requested,
                                          double cost) {
  int64_t wanted = requested;
  if (wanted <= 0 && cost > kReferenceBudget)
    wanted = kSampledPositions;
  if (wanted <= 0 || wanted >= length)
    return {};
  return sampleRows(length, wanted);
}

Verdict front::judge(const ref::ErrorStats &stats, double tolerance) {
  if (stats.nonFinite)
    return Verdict::NonFinite;
  return stats.relError <= tolerance ? Verdict::Pass : Verdict::Fail;
}

CheckTable::CheckTable(std::vector<std::string> keyColumns, double tolerance)
    : keyColumns(std::move(keyColumns)), tolerance(tolerance) {}

ref::Status CheckTable::add(std::vector<std::string> keys,
                            const ref::Tensor &got,
                            const ref::Tensor &expected) {
  Row row{std::move(keys),
          ref::shapeToString(got.shape()),
          {},
          true,
          Verdict::Pass};
  SMC_REF_RETURN_IF_ERROR(ref::compareTensors(got, expected, row.stats));
  row.verdict = judge(row.stats, tolerance);
  rows.push_back(std::move(row));
  return ref::Status::success();
}

void CheckTable::addNotChecked(std::vector<std::string> keys,
                               const ref::Shape &shape) {
  rows.push_back({std::move(keys),
                  ref::shapeToString(shape),
                  {},
                  false,
                  Verdict::NotChecked});
}

void CheckTable::addRelative(std::vector<std::string> keys, std::string what,
                             double relError) {
  Row row{std::move(keys), std::move(what), {}, false, Verdict::Pass};
  row.stats.relError = relError;
  row.verdict = !std::isfinite(relError) ? Verdict::NonFinite
                : relError <= tolerance  ? Verdict::Pass
                                         : Verdict::Fail;
  rows.push_back(std::move(row));
}

bool CheckTable::passed() const {
  return std::all_of(rows.begin(), rows.end(), [](const Row &r) {
    return r.verdict == Verdict::Pass || r.verdict == Verdict::NotChecked;
  });
}

void CheckTable::print(std::FILE *out) const {
  // Key columns as wide as their widest cell; the numbers have fixed widths.
  std::vector<size_t> widths;
  for (const std::string &k : keyColumns)
    widths.push_back(k.size());
  size_t shapeWidth = std::string("shape").size();
  for (const Row &r : rows) {
    for (size_t i = 0; i < r.keys.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], r.keys[i].size());
    shapeWidth = std::max(shapeWidth, r.shape.size());
  }
  auto keysText = [&](const std::vector<std::string> &keys) {
    std::string text;
    for (size_t i = 0; i < widths.size(); ++i)
      text += fmt::format("{:<{}} ", i < keys.size() ? keys[i] : "", widths[i]);
    return text;
  };
  fmt::print(out, "{}{:<{}} {:>11} {:>11} {:>9}  {}\n", keysText(keyColumns),
             "shape", shapeWidth, "rel. error", "max abs err", "tolerance",
             "result");
  for (const Row &r : rows) {
    std::string rel = "-", maxAbs = "-", tol = "-", result;
    switch (r.verdict) {
    case Verdict::NotChecked:
      result = "not checked";
      break;
    case Verdict::NonFinite:
      // NaN or Inf in the output: no error figure means anything.
      tol = fmt::format("{:.1e}", tolerance);
      result = r.hasMaxAbs ? fmt::format("NON-FINITE ({} of {} elements)",
                                         r.stats.nonFinite, r.stats.compared)
                           : "NON-FINITE";
      break;
    case Verdict::Pass:
    case Verdict::Fail:
      rel = fmt::format("{:.3e}", r.stats.relError);
      if (r.hasMaxAbs)
        maxAbs = fmt::format("{:.3e}", r.stats.maxAbsError);
      tol = fmt::format("{:.1e}", tolerance);
      result = r.verdict == Verdict::Pass ? "PASS" : "FAIL";
      break;
    }
    fmt::print(out, "{}{:<{}} {:>11} {:>11} {:>9}  {}\n", keysText(r.keys),
               r.shape, shapeWidth, rel, maxAbs, tol, result);
  }
}
