// A state with a dynamic non-leading dim next to static seqs (issue 14: the
// CPU pipeline's allocation helper once read past the sizes it was given).
// It lowers to LLVM; `smc run` cannot bind the dim and says so.
// RUN: smc-opt %s --sma-to-cpu | FileCheck %s
// RUN: not smc run %s --seqlen=20 2>&1 | FileCheck %s --check-prefix=DIAG

// CHECK: llvm.func @f(
// DIAG: smc: error: {{.*}}input 3 (init_state): cannot tell what dynamic dim 1 means

func.func @f(%c: tensor<1x?x1x8xf32>, %b: tensor<1x?x1x8xf32>, %x: tensor<1x?x2x8xf32>, %h0: tensor<3x?x8x8xf32>, %cu: tensor<4xi32>) -> (tensor<1x?x2x8xf32>, tensor<3x?x8x8xf32>) {
  %m = sma.mask.causal
  %y, %hT = sma.contract C(%c : tensor<1x?x1x8xf32>) B(%b : tensor<1x?x1x8xf32>) X(%x : tensor<1x?x2x8xf32>) mask(%m) init(%h0 : tensor<3x?x8x8xf32>) seqs(%cu : tensor<4xi32>) -> tensor<1x?x2x8xf32>, tensor<3x?x8x8xf32>
  return %y, %hT : tensor<1x?x2x8xf32>, tensor<3x?x8x8xf32>
}
