//===- Sizes.h - the sizes of a run: b, T and packed lengths ----*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// How `smc run` and `smc-runner run|bench` turn --batch, --seqlen and
/// --seqlens into the sizes of a run, with the same defaults and the same
/// errors: b = 2 (1 when sequences are packed), T = 64, and packed lengths
/// T/2, 0, T - T/2 (three uneven sequences, one of them empty).
///
//===----------------------------------------------------------------------===//

#ifndef SMC_TOOLS_FRONT_SIZES_H
#define SMC_TOOLS_FRONT_SIZES_H

#include "reference/Status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smc::front {

/// The sizes a user asked for; unset means "the model's or the default".
struct SizeRequest {
  std::optional<int64_t> batch;
  std::optional<int64_t> seqLen;
  std::optional<std::vector<int64_t>> seqlens;
};

/// What the model fixes: whether it packs sequences (has an offsets input),
/// its static batch and length (0 where they are dynamic), and whether any
/// shape uses b and T at all.
struct SizeModel {
  bool packed = false;
  int64_t staticBatch = 0;
  int64_t staticLength = 0;
  bool usesBatch = true;
  bool usesLength = true;
};

/// The resolved sizes of one run.
struct Sizes {
  int64_t batch = 0;
  int64_t seqLen = 0;
  std::vector<int64_t> seqlens;   ///< Packed lengths; empty when not packed.
  std::vector<std::string> notes; ///< Flags that had no effect.

  /// The number of sequences: the packed ones, else the batch.
  int64_t sequences() const {
    return seqlens.empty() ? batch : int64_t(seqlens.size());
  }
  /// "batch 2, length 64" (+ ", 3 packed sequences").
  std::string describe() const;
};

/// Resolves `request` against `model`: flags first, then the model's static
/// sizes, then the defaults. Errors name the flag, what it got and what was
/// expected (a flag that disagrees with a static size, --seqlens without an
/// offsets input or with a negative length, a batch other than 1 when
/// packed, sizes below 1 (T may be 0 when packed)).
ref::Status resolveSizes(const SizeRequest &request, const SizeModel &model,
                         Sizes &sizes);

} // namespace smc::front

#endif // SMC_TOOLS_FRONT_SIZES_H
