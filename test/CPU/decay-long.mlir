// Data-dependent decay over 65536 tokens, f32, batch 1, h = 2, p = n = 8, with
// a final state, through the chunked form (Q = 64) and the linear form: the
// reference samples 256 positions (first and last included), so a PASS shows
// the long run stays finite and within tolerance.

// RUN: smc run %s --check --form=chunked --chunk=64 --seqlen=65536 --batch=1 --seed=350 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=65536' -D'$S=1'
// RUN: smc run %s --check --form=linear --seqlen=65536 --batch=1 --seed=351 \
// RUN:   | FileCheck %s --check-prefix=LIN -D'$B=1' -D'$T=65536' -D'$S=1'

// CHECK-LABEL: model {{.*}} @decay_long:
// CHECK-SAME: batch [[$B]], length [[$T]]{{$}}
// CHECK-NEXT: contraction 0: form chunked(64)
// CHECK-NEXT: compiled in
// CHECK-NEXT: reference in {{.*}} s, checked at 256 of 65536 positions
// CHECK-NEXT: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: chunked 0 {{\[}}[[$B]],[[$T]],2,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 1 {{\[}}[[$S]],2,8,8] {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

// LIN-LABEL: model {{.*}} @decay_long:
// LIN-SAME: batch [[$B]], length [[$T]]{{$}}
// LIN-NEXT: contraction 0: form linear
// LIN-NEXT: compiled in
// LIN-NEXT: reference in {{.*}} s, checked at 256 of 65536 positions
// LIN-NEXT: form output shape rel. error max abs err tolerance result
// LIN-NEXT: linear 0 {{\[}}[[$B]],[[$T]],2,8] {{.*}} 1.0e-05 PASS
// LIN-NEXT: linear 1 {{\[}}[[$S]],2,8,8] {{.*}} 1.0e-05 PASS
// LIN-NOT: FAIL

func.func @decay_long(%c: tensor<?x?x1x8xf32>, %b: tensor<?x?x1x8xf32>, %x: tensor<?x?x2x8xf32>, %a: tensor<?x?x2xf32>) -> (tensor<?x?x2x8xf32>, tensor<?x2x8x8xf32>) {
  %m = sma.mask.decay %a : tensor<?x?x2xf32>
  %y, %s = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x2x8xf32>) mask(%m) -> tensor<?x?x2x8xf32>, tensor<?x2x8x8xf32>
  return %y, %s : tensor<?x?x2x8xf32>, tensor<?x2x8x8xf32>
}
