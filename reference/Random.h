//===- Random.h - deterministic seeded inputs -------------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A platform-independent random generator (xoshiro256** seeded through
/// splitmix64, Box-Muller normals) and tensor fills. Fills round each value
/// through the kernel's storage dtype so the reference computes on exactly
/// the numbers the kernel reads.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_REFERENCE_RANDOM_H
#define SMC_REFERENCE_RANDOM_H

#include "reference/Tensor.h"

#include <cstdint>

namespace smc::ref {

/// Deterministic random generator: the same seed gives the same stream on
/// every platform (no <random> distributions, whose output is unspecified).
class Rng {
public:
  /// Seeds the xoshiro256** state from `seed` via splitmix64.
  explicit Rng(uint64_t seed);

  /// Next raw 64-bit output.
  uint64_t nextU64();

  /// Uniform double in [0, 1) with 53 random bits.
  double uniform01();

  /// Uniform double in [lo, hi).
  double uniform(double lo, double hi);

  /// Standard normal sample (Box-Muller; the second value of each pair is
  /// cached and returned by the next call).
  double normal();

private:
  uint64_t state[4];
  bool hasSpare = false;
  double spare = 0.0;
};

/// Fills `tensor` with normal(mean, std) samples rounded through `type`.
void fillNormal(Tensor &tensor, DType type, double mean, double std, Rng &rng);

/// Fills `tensor` with uniform [lo, hi) samples rounded through `type`.
/// Rounding may land exactly on (or just past) a bound that is not
/// representable in `type`.
void fillUniform(Tensor &tensor, DType type, double lo, double hi, Rng &rng);

} // namespace smc::ref

#endif // SMC_REFERENCE_RANDOM_H
