//===- CostModel.cpp - the one cost model of the dual forms ---------------===//

#include "passes/CostModel.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace smc;
using sma::FormKind;

const TargetParams *smc::lookupTarget(llvm::StringRef name) {
  // The rates of the code smc generates, not the chip's peaks, fitted on an
  // H200 (bench/NOTES.md v10) and scaled for the other GPUs:
  //  - matmul: the bf16 chunked kernels (mma.sync) are bound by staging and
  //    the state scan, not by the tensor cores: 52 TFLOP/s of the modelled
  //    FLOPs fits chunks 64 and 128 at 16K and 64K tokens within 4%. The
  //    790 TFLOP/s tensor-core peak of DESIGN.md §6 is the roofline, not a
  //    rate the generated code reaches;
  //  - recurrence: the linear form's kernel updates the state at 2.6
  //    TFLOP/s (8 x 2048 tokens of the 2.7B mixer: 43 GFLOP in 16.5 ms);
  //  - step latency: 1.4 us per token of one sequence (b = 1, 65536 tokens
  //    in 89.7 ms).
  // Bandwidths are measured copy rates (H200) or datasheets.
  static const TargetParams targets[] = {
      {"h200", 52e12, 60e12, 60e12, 2.6e12, 4.3e12, 132, 3e-6, 1.4e-6, 128},
      {"h100", 48e12, 55e12, 55e12, 2.4e12, 3.0e12, 132, 3e-6, 1.4e-6, 128},
      {"a100", 16e12, 19e12, 19e12, 0.8e12, 1.8e12, 108, 4e-6, 2.0e-6, 128},
      {"cpu", 40e9, 20e9, 10e9, 10e9, 20e9, 2, 0, 20e-9, 0},
  };
  for (const TargetParams &t : targets)
    if (name == t.name)
      return &t;
  return nullptr;
}

std::vector<std::string> smc::knownTargets() {
  return {"h200", "h100", "a100", "cpu"};
}

ContractShape smc::getContractShape(sma::ContractOp op, int64_t batchHint,
                                    int64_t seqLenHint) {
  auto x = op.getX().getType();
  auto b = op.getB().getType();
  auto orHint = [](int64_t d, int64_t hint) {
    return ShapedType::isDynamic(d) ? hint : d;
  };
  ContractShape s;
  s.sequences = orHint(x.getDimSize(0), batchHint);
  s.seqLen = orHint(x.getDimSize(1), seqLenHint);
  s.heads = x.getDimSize(2);
  s.headDim = x.getDimSize(3);
  s.groups = b.getDimSize(2);
  s.stateDim = b.getDimSize(3);
  // The narrower of X and the keys: X of a decomposed sma.ssd is f32 only
  // because x * dt is formed in f32 on the way into the contraction.
  s.dataBytes =
      std::min(x.getElementTypeBitWidth(), b.getElementTypeBitWidth()) / 8;
  s.initState = static_cast<bool>(op.getInitState());
  s.finalState = static_cast<bool>(op.getFinalState());
  if (auto cu = op.getCuSeqlens()) {
    // Packed sequences: the length is shared out among them.
    int64_t n = cu.getType().getDimSize(0);
    if (!ShapedType::isDynamic(n) && n > 1) {
      s.seqLen = std::max<int64_t>(1, s.seqLen / (n - 1));
      s.sequences = n - 1;
    }
  }
  sma::MaskOpInterface mask = op.getMaskOp();
  s.semiseparable = mask.isSemiseparable();
  // One-sided (causal or anti-causal): the quadratic form skips half.
  s.causal = mask.isCausal() || mask.isAntiCausal();
  s.dataDependent = mask.isDataDependent();
  s.bandwidth = mask.getBandwidth();
  return s;
}

bool smc::isFormLegal(const ContractShape &shape, FormKind kind) {
  return kind == FormKind::quadratic || shape.semiseparable;
}

FormCost smc::modelForm(const ContractShape &s, const TargetParams &t,
                        FormKind kind, int64_t chunk) {
  double bh = double(s.sequences) * s.heads;
  double T = s.seqLen, P = s.headDim, N = s.stateDim;
  double matmulRate = s.dataBytes <= 2 ? t.matmulFlops16 : t.matmulFlops32;
  double stateBytes = bh * P * N * 4;

  FormCost c;
  c.kind = kind;
  c.chunk = chunk;
  // Compulsory traffic: X in, Y out, B and C, the decay, the states.
  c.bytes = 2 * bh * T * P * s.dataBytes +
            2 * double(s.sequences) * T * s.groups * N * s.dataBytes +
            (s.dataDependent ? bh * T * 4 : 0) +
            (s.initState ? stateBytes : 0) + (s.finalState ? stateBytes : 0);

  // How much of the machine a form's independent work items can fill.
  auto utilisation = [&](double items) {
    return std::min(1.0, items / double(t.multiprocessors));
  };
  double matmulTime = 0, vectorTime = 0, latency = 0;
  switch (kind) {
  case FormKind::linear: {
    // h_t = a_t h_{t-1} + x_t B_t^T ; y_t = h_t C_t : 4PN FLOP per step.
    c.flops = bh * T * 4 * P * N;
    vectorTime = c.flops / (t.recurrenceFlops * utilisation(bh * P / 32));
    latency = T * t.stepLatency;
    c.launches = 1;
    break;
  }
  case FormKind::quadratic: {
    // Scores C B^T and scores x X, halved when causal, cut to the band.
    double pairs = T * T;
    if (s.bandwidth)
      pairs = T * std::min<double>(*s.bandwidth, T);
    else if (s.causal)
      pairs = T * (T + 1) / 2;
    c.flops = bh * pairs * 2 * (N + P);
    double stateFlops = (s.initState ? 2 : 0) + (s.finalState ? 2 : 0);
    c.flops += bh * T * P * N * stateFlops;
    matmulTime = c.flops / (matmulRate * utilisation(bh * std::ceil(T / 64)));
    vectorTime = bh * pairs * 8 / t.vectorFlops; // mask entries: exp, select
    c.launches = 1 + (s.finalState ? 1 : 0);
    break;
  }
  case FormKind::chunked: {
    double q = chunk, chunks = std::ceil(T / q);
    double diag = bh * chunks * q * (q + 1) / 2 * 2 * (N + P);
    double states = bh * T * 2 * P * N; // B^T (decay X) per chunk
    double output = bh * T * 2 * P * N; // C state per position
    double passing = bh * chunks * 2 * P * N;
    c.flops = diag + states + output + passing;
    matmulTime =
        (diag + states + output) / (matmulRate * utilisation(bh * chunks));
    vectorTime = (passing + bh * chunks * q * q / 2 * 8) / t.vectorFlops;
    // The states between chunks: four f32 passes over them. The scalar
    // kernels make those passes; the bf16 tensor-core kernels move a
    // quarter of the bytes (written and read once in bf16) but spend about
    // as long staging and converting each chunk's state, which is what
    // makes small chunks slow (H200, 16K tokens: chunk 32 1.73 ms, 64
    // 1.16 ms, 128 1.43 ms; bench/NOTES.md v10).
    c.bytes += 4 * bh * chunks * P * N * 4;
    latency = chunks * t.stepLatency;
    c.launches = 4;
    break;
  }
  }
  double memoryTime = c.bytes / t.bandwidth;
  double compute = matmulTime + vectorTime;
  double body = std::max({compute, memoryTime, latency});
  c.bound = body == latency            ? "latency"
            : body == memoryTime       ? "memory"
            : matmulTime >= vectorTime ? "matmul"
                                       : "vector";
  c.seconds = body + c.launches * t.launchOverhead;
  return c;
}

std::vector<FormCost> smc::modelCandidates(const ContractShape &s,
                                           const TargetParams &t) {
  std::vector<FormCost> out;
  if (isFormLegal(s, FormKind::linear))
    out.push_back(modelForm(s, t, FormKind::linear, 0));
  if (isFormLegal(s, FormKind::chunked))
    for (int64_t q : candidateChunks(t))
      if (q <= std::max<int64_t>(32, s.seqLen))
        out.push_back(modelForm(s, t, FormKind::chunked, q));
  out.push_back(modelForm(s, t, FormKind::quadratic, 0));
  return out;
}

std::vector<int64_t> smc::candidateChunks(const TargetParams &target) {
  std::vector<int64_t> chunks;
  for (int64_t q : {32, 64, 128, 256})
    if (!target.maxChunk || q <= target.maxChunk)
      chunks.push_back(q);
  return chunks;
}

FormCost smc::chooseForm(const std::vector<FormCost> &candidates) {
  const FormCost *best = &candidates.front();
  for (const FormCost &c : candidates)
    if (c.seconds < best->seconds)
      best = &c;
  return *best;
}
