//===- Check.h - the check report of smc and smc-runner ---------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// What `smc run --check` and `smc-runner run --check` share, so the two
/// tools judge and report alike: the default tolerance, when the float64
/// reference samples positions, and the table of compared tensors with its
/// verdicts (PASS, FAIL, and NON-FINITE for an output with NaN or Inf).
///
//===----------------------------------------------------------------------===//

#ifndef SMC_TOOLS_FRONT_CHECK_H
#define SMC_TOOLS_FRONT_CHECK_H

#include "reference/Compare.h"
#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace smc::front {

/// The loosest ref::defaultTolerance of `types` (at least f32's 1e-5): a
/// check is as precise as its least precise float tensor.
double defaultTolerance(const std::vector<ref::DType> &types);

/// Above this many multiply-adds (b * h * T^2 * (n + p)) the float64
/// reference samples positions instead of computing every one.
constexpr double kReferenceBudget = 3e10;
/// How many positions it then samples.
constexpr int64_t kSampledPositions = 256;

/// Evenly spread positions of [0, length), the first and the last included.
std::vector<int64_t> sampleRows(int64_t length, int64_t count);

/// The positions a forward check computes: `requested` of them when it is
/// positive (all when it is at least `length`), else kSampledPositions when
/// `cost` passes kReferenceBudget. Empty means every position.
std::vector<int64_t> referenceRows(int64_t length, int64_t requested,
                                   double cost);

/// The verdict on one compared tensor.
enum class Verdict { Pass, Fail, NonFinite, NotChecked };

/// NonFinite when a compared element of the output is NaN or Inf (whatever
/// the error of the rest), else Pass when the relative error is within
/// `tolerance`, else Fail.
Verdict judge(const ref::ErrorStats &stats, double tolerance);

/// The table both tools print after a check: the key columns each caller
/// names (e.g. form and output), then shape, rel. error, max abs err,
/// tolerance and result.
class CheckTable {
public:
  CheckTable(std::vector<std::string> keyColumns, double tolerance);

  /// Compares `got` with `expected` and adds its row; fails (adding nothing)
  /// only when the shapes differ.
  ref::Status add(std::vector<std::string> keys, const ref::Tensor &got,
                  const ref::Tensor &expected);
  /// A row for a tensor the reference does not produce.
  void addNotChecked(std::vector<std::string> keys, const ref::Shape &shape);
  /// A row for a relative difference computed elsewhere (e.g. the forms'
  /// agreement), described by `what` in the shape column.
  void addRelative(std::vector<std::string> keys, std::string what,
                   double relError);

  /// Whether every checked row passed.
  bool passed() const;
  /// Prints the table, columns aligned, to `out`.
  void print(std::FILE *out = stdout) const;

private:
  struct Row {
    std::vector<std::string> keys;
    std::string shape;
    ref::ErrorStats stats;
    bool hasMaxAbs = true;
    Verdict verdict;
  };
  std::vector<std::string> keyColumns;
  double tolerance;
  std::vector<Row> rows;
};

} // namespace smc::front

#endif // SMC_TOOLS_FRONT_CHECK_H
