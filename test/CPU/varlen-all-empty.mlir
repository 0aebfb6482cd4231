// A pack whose sequences are all empty (--seqlens=0,0: T = 0) runs every form
// and passes: y is empty and each final state is its initial state.
//

// RUN: smc run %s --check --form=all --chunk=16 --seqlens=0,0 --seed=1300 \
// RUN:   | FileCheck %s

// CHECK-LABEL: model {{.*}} @ssd_empty:
// CHECK-SAME: batch 1, length 0, 2 packed sequences{{$}}
// CHECK: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: linear 0 [1,0,2,8] {{.*}} PASS
// CHECK-NEXT: linear 1 [2,2,8,8] {{.*}} PASS
// CHECK-NOT: FAIL

func.func @ssd_empty(%x: tensor<1x?x2x8xf32>, %dt: tensor<1x?x2xf32>, %A: tensor<2xf32>, %B: tensor<1x?x1x8xf32>, %C: tensor<1x?x1x8xf32>, %s0: tensor<?x2x8x8xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x2x8xf32>, tensor<?x2x8x8xf32>) {
  %y, %s = sma.ssd x(%x : tensor<1x?x2x8xf32>) dt(%dt : tensor<1x?x2xf32>) A(%A : tensor<2xf32>) B(%B : tensor<1x?x1x8xf32>) C(%C : tensor<1x?x1x8xf32>) init(%s0 : tensor<?x2x8x8xf32>) seqs(%cu : tensor<?xi32>) -> tensor<1x?x2x8xf32>, tensor<?x2x8x8xf32>
  return %y, %s : tensor<1x?x2x8xf32>, tensor<?x2x8x8xf32>
}
