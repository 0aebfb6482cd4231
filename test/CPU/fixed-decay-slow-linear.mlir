// Fixed decays very close to 1 (gamma = 0.99999, 0.999999) through the linear
// form at T = 4096 should agree with the float64 reference within 1e-5.
//
// XFAIL: *
// BUG: the linear form is off by ~2.3e-5 (output) and ~3.5e-5 (final state):
// it multiplies the state by the f32-rounded per-step decay (1 ulp near 1 is
// 6e-8), so the rounding error of gamma compounds linearly over T steps
// (T * 3e-8 ~ 1.2e-4 worst case at T = 4096). The log-space forms pass on the
// same model (fixed-decay-slow.mlir). Same cause as
// fixed-decay-slow-long.mlir; a data-dependent decay with a ~ -1e-6 behaves
// the same. (An update such as h += expm1(a) * h + x B^T would avoid the bias.)

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
