// Fixed decays very close to 1 (gamma = 0.99999, 0.999999) through the linear
// form at T = 4096 should agree with the float64 reference within 1e-5.
//

// RUN: smc run %s --check --form=linear --seqlen=4096 --seed=1103 \
// RUN:   | FileCheck %s

// CHECK-LABEL: model {{.*}} @fixed_decay_slow_linear:
// CHECK-SAME: batch 1, length 4096{{$}}
// CHECK-NEXT: contraction 0: form linear
// CHECK: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: linear 0 [1,4096,2,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear 1 [1,2,8,8] {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

func.func @fixed_decay_slow_linear(%c: tensor<1x?x1x8xf32>, %b: tensor<1x?x1x8xf32>, %x: tensor<1x?x2x8xf32>, %s0: tensor<1x2x8x8xf32>) -> (tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>) {
  %m = sma.mask.fixed_decay [0.99999, 0.999999]
  %y, %s = sma.contract C(%c : tensor<1x?x1x8xf32>) B(%b : tensor<1x?x1x8xf32>) X(%x : tensor<1x?x2x8xf32>) mask(%m) init(%s0 : tensor<1x2x8x8xf32>) -> tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>
  return %y, %s : tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>
}
