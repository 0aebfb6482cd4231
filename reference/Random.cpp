//===- Random.cpp - deterministic seeded inputs ---------------------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "reference/Random.h"

#include "reference/Pack.h"

#include <cmath>

namespace smc::ref {

namespace {

uint64_t splitMix64(uint64_t &x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

} // namespace

Rng::Rng(uint64_t seed) {
  // splitmix64 never yields an all-zero xoshiro state.
  for (uint64_t &word : state)
    word = splitMix64(seed);
}

uint64_t Rng::nextU64() {
  uint64_t result = rotl(state[1] * 5, 7) * 9;
  uint64_t t = state[1] << 17;
  state[2] ^= state[0];
  state[3] ^= state[1];
  state[1] ^= state[2];
  state[0] ^= state[3];
  state[2] ^= t;
  state[3] = rotl(state[3], 45);
  return result;
}

double Rng::uniform01() {
  return static_cast<double>(nextU64() >> 11) * 0x1p-53;
}

double Rng::uniform(double lo, double hi) {
  return lo + (hi - lo) * uniform01();
}

double Rng::normal() {
  if (hasSpare) {
    hasSpare = false;
    return spare;
  }
  // u1 in (0, 1] keeps log finite.
  double u1 = static_cast<double>((nextU64() >> 11) + 1) * 0x1p-53;
  double u2 = uniform01();
  double radius = std::sqrt(-2.0 * std::log(u1));
  double angle = 6.283185307179586476925 * u2;
  spare = radius * std::sin(angle);
  hasSpare = true;
  return radius * std::cos(angle);
}

void fillNormal(Tensor &tensor, DType type, double mean, double std, Rng &rng) {
  for (int64_t i = 0; i < tensor.numel(); ++i)
    tensor[i] = roundToDType(mean + std * rng.normal(), type);
}

void fillUniform(Tensor &tensor, DType type, double lo, double hi, Rng &rng) {
  for (int64_t i = 0; i < tensor.numel(); ++i)
    tensor[i] = roundToDType(rng.uniform(lo, hi), type);
}

} // namespace smc::ref
