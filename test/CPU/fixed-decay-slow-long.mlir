// Fixed decays very close to 1 (gamma = 0.99999, 0.999999) through the
// chunked form (Q = 16) over 65536 tokens should agree with the float64
// reference within 1e-5 (checked at 256 sampled positions).
//

// RUN: smc run %s --check --form=chunked --chunk=16 --seqlen=65536 --seed=1105 \
// RUN:   | FileCheck %s

// CHECK-LABEL: model {{.*}} @fixed_decay_slow_long:
// CHECK-SAME: batch 1, length 65536{{$}}
// CHECK-NEXT: contraction 0: form chunked(16)
// CHECK: reference in {{.*}} s, checked at 256 of 65536 positions
// CHECK-NEXT: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: chunked 0 [1,65536,2,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 1 [1,2,8,8] {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

func.func @fixed_decay_slow_long(%c: tensor<1x?x1x8xf32>, %b: tensor<1x?x1x8xf32>, %x: tensor<1x?x2x8xf32>, %s0: tensor<1x2x8x8xf32>) -> (tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>) {
  %m = sma.mask.fixed_decay [0.99999, 0.999999]
  %y, %s = sma.contract C(%c : tensor<1x?x1x8xf32>) B(%b : tensor<1x?x1x8xf32>) X(%x : tensor<1x?x2x8xf32>) mask(%m) init(%s0 : tensor<1x2x8x8xf32>) -> tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>
  return %y, %s : tensor<1x?x2x8xf32>, tensor<1x2x8x8xf32>
}
