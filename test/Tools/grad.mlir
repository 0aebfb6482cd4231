// smc grad prints the derived backward; smc explain --grad explains its
// contractions (transposed masks included); smc run --grad refuses the GPU
// for now, and a model it cannot derive is a diagnostic with exit 2.

// RUN: smc grad %s | FileCheck %s --check-prefix=GRAD
// RUN: smc explain %s --grad --seqlen 256 | FileCheck %s --check-prefix=EXPLAIN
// RUN: not smc run %s --grad --backend=cuda 2>&1 | FileCheck %s --check-prefix=CUDA

// GRAD-LABEL: func.func @f(
// GRAD-LABEL: func.func @f_fwd(
// GRAD-LABEL: func.func @f_bwd(
// GRAD: sma.mask.transpose
// GRAD: sma.decay_grad

// EXPLAIN: the backward's contractions (@f_bwd):
// EXPLAIN: mask: sma.mask.transpose: anti-causal, semiseparable, data dependent
// EXPLAIN: mask: sma.mask.decay: causal, semiseparable, data dependent
// EXPLAIN: mask: sma.mask.transpose: anti-causal, semiseparable, data dependent
// EXPLAIN-NOT: sma.contract

// CUDA: smc: error: --grad runs on the CPU only for now

func.func @f(%c: tensor<2x?x1x16xf32>, %b: tensor<2x?x1x16xf32>, %x: tensor<2x?x4x8xf32>, %a: tensor<2x?x4xf32>) -> tensor<2x?x4x8xf32> {
  %d = sma.mask.decay %a : tensor<2x?x4xf32>
  %y = sma.contract C(%c : tensor<2x?x1x16xf32>) B(%b : tensor<2x?x1x16xf32>) X(%x : tensor<2x?x4x8xf32>) mask(%d) -> tensor<2x?x4x8xf32>
  return %y : tensor<2x?x4x8xf32>
}
