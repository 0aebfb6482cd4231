//===- Inputs.h - shapes and values of an entry's inputs --------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Picks b, T and the packed sequence lengths from the command line, works
/// out every input's shape from the artifact's dims, and makes the input
/// values: drawn by each input's kind through reference/InputKind.h, in
/// declaration order, exactly as `smc run` draws them for the same model and
/// seed, or read from .npy files.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_TOOLS_SMC_RUNNER_INPUTS_H
#define SMC_TOOLS_SMC_RUNNER_INPUTS_H

#include "tools/front/Sizes.h"
#include "tools/smc-runner/Options.h"

#include "runtime/Artifact.h"
#include "runtime/Expr.h"

#include "reference/Status.h"
#include "reference/Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace smc::runner {

/// The sizes of one run (front::Sizes) and the input shapes they give.
struct RunShapes : front::Sizes {
  rt::SymbolValues symbols;
  std::vector<ref::Shape> inputShapes;

  /// b * T.
  int64_t tokens() const { return batch * seqLen; }
};

/// Resolves b, T, S (front::resolveSizes, as `smc run` does) and the input
/// shapes of `entry` from the options.
Status resolveShapes(const rt::EntryDecl &entry, const Options &options,
                     RunShapes &shapes);

/// Draws every input of `entry` from `seed`, then replaces those named by
/// `files` ("NAME=FILE.npy") with the files' contents, rounded through the
/// input's dtype.
Status makeInputs(const rt::EntryDecl &entry, const RunShapes &shapes,
                  uint64_t seed, const std::vector<std::string> &files,
                  std::vector<ref::Tensor> &values);

/// What run and bench do first: resolveShapes (errors prefixed with the
/// artifact's `path`), the notes on stderr, then makeInputs from the
/// options' seed and input files.
Status prepareInputs(const rt::EntryDecl &entry, const Options &options,
                     const std::string &path, RunShapes &shapes,
                     std::vector<ref::Tensor> &values);

/// Packs `values` into the inputs' dtypes.
Status packInputs(const rt::EntryDecl &entry,
                  const std::vector<ref::Tensor> &values,
                  std::vector<std::vector<uint8_t>> &bytes);

/// The tolerance of the least precise floating-point input or output
/// (front::defaultTolerance).
double defaultTolerance(const rt::EntryDecl &entry);

} // namespace smc::runner

#endif // SMC_TOOLS_SMC_RUNNER_INPUTS_H
