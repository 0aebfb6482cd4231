//===- Sizes.cpp - the sizes of a run: b, T and packed lengths ------------===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//

#include "tools/front/Sizes.h"

#include <fmt/format.h>

using namespace smc;
using namespace smc::front;

std::string Sizes::describe() const {
  std::string text = fmt::format("batch {}, length {}", batch, seqLen);
  if (!seqlens.empty())
    text += fmt::format(", {} packed sequences", seqlens.size());
  return text;
}

ref::Status front::resolveSizes(const SizeRequest &request,
                                const SizeModel &model, Sizes &sizes) {
  using ref::Status;
  sizes = Sizes();
  std::optional<int64_t> batch = request.batch, seqLen = request.seqLen;
  if (request.seqlens) {
    const std::vector<int64_t> &lengths = *request.seqlens;
    if (!model.packed)
      return Status::error("--seqlens: the model has no cu_seqlens input, so "
                           "it cannot pack sequences");
    if (lengths.empty())
      return Status::error("--seqlens: expected at least one length");
    int64_t total = 0;
    for (int64_t l : lengths) {
      if (l < 0)
        return Status::error(
            fmt::format("--seqlens: lengths must be >= 0, got {}", l));
      if (l > INT64_MAX - total)
        return Status::error("--seqlens: the lengths' sum overflows int64");
      total += l;
    }
    if (batch && *batch != 1)
      return Status::error(fmt::format(
          "--seqlens packs sequences into batch 1, but --batch is {}", *batch));
    if (seqLen && *seqLen != total)
      return Status::error(
          fmt::format("--seqlen {} disagrees with the sum of --seqlens ({})",
                      *seqLen, total));
    batch = 1;
    seqLen = total;
    sizes.seqlens = lengths;
  }
  struct Dim {
    const char *flag;
    int64_t fixed;
    std::optional<int64_t> &value;
    int64_t byDefault, least;
  };
  for (Dim d :
       {Dim{"--batch", model.staticBatch, batch, model.packed ? 1 : 2, 1},
        Dim{"--seqlen", model.staticLength, seqLen, 64,
            model.packed ? 0 : 1}}) {
    if (d.value && d.fixed && *d.value != d.fixed)
      return Status::error(
          fmt::format("{} {} disagrees with the model's static size {}", d.flag,
                      *d.value, d.fixed));
    if (!d.value)
      d.value = d.fixed ? d.fixed : d.byDefault;
    if (*d.value < d.least)
      return Status::error(fmt::format("{} must be at least {}, got {}", d.flag,
                                       d.least, *d.value));
  }
  sizes.batch = *batch;
  sizes.seqLen = *seqLen;
  if (model.packed && !request.seqlens) {
    if (sizes.batch != 1)
      return Status::error(fmt::format(
          "the model packs sequences (cu_seqlens): --batch must be 1, got {}",
          sizes.batch));
    int64_t t = sizes.seqLen;
    sizes.seqlens = {t / 2, 0, t - t / 2};
  }
  if (request.batch && !model.usesBatch && !model.staticBatch)
    sizes.notes.push_back("--batch has no effect: no shape of the model "
                          "uses b");
  if ((request.seqLen || request.seqlens) && !model.usesLength &&
      !model.staticLength)
    sizes.notes.push_back("--seqlen has no effect: no shape of the model "
                          "uses T");
  return Status::success();
}
