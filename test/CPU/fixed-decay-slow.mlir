// Fixed decays very close to 1 (gamma = 0.99999, 0.999999: long memory) in
// the forms that evaluate decays in log space: quadratic and chunked at
// T = 4096 stay within the f32 tolerance. (The linear form does not:
// fixed-decay-slow-linear.mlir.)

// RUN: smc run %s --check --form=quadratic --seqlen=4096 --seed=1100 \
// RUN:   | FileCheck %s -D'$FORM=quadratic'
// RUN: smc run %s --check --form=chunked --chunk=16 --seqlen=4096 --seed=1101 \
// RUN:   | FileCheck %s -D'$FORM=chunked(16)'
// RUN: smc run %s --check --form=chunked --chunk=64 --seqlen=4096 --seed=1102 \
// RUN:   | FileCheck %s -D'$FORM=chunked(64)'

// CHECK-LABEL: model {{.*}} @fixed_decay_slow:
// CHECK-SAME: batch 1, length 4096{{$}}
// CHECK-NEXT: contraction 0: form [[$FORM]]
// CHECK: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: {{[a-z]+}} 0 [1,4096,2,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: {{[a-z]+}} 1 [1,2,8,8] {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

func.func @fixed_decay_slow(%c: tensor<1x?x1x8xf32>, %b: tensor<1x?x1x8xf32>, %x: tensor<1x?x2x8xf32>, %s0: tensor<1x2x8x8xf32>) -> (tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>) {
  %m = sma.mask.fixed_decay [0.99999, 0.999999]
  %y, %s = sma.contract C(%c : tensor<1x?x1x8xf32>) B(%b : tensor<1x?x1x8xf32>) X(%x : tensor<1x?x2x8xf32>) mask(%m) init(%s0 : tensor<1x2x8x8xf32>) -> tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>
  return %y, %s : tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>
}
