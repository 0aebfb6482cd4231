// Causal mask with an initial state and a final state, f32, h = 4, g = 1,
// p = 16, n = 8. Every legal form (--form=all: linear, quadratic, chunked)
// against the float64 reference and against each other at T = 1, 7, Q-1, Q,
// 3Q+5 (batch 2) and 4096 (batch 1), chunk Q = 16.

// RUN: smc run %s --check --form=all --chunk=16 --seqlen=1 --seed=110 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=1' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=7 --seed=111 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=7' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=15 --seed=112 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=15' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=16 --seed=113 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=16' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=53 --seed=114 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=53' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=4096 --batch=1 --seed=115 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096' -D'$S=1'

// CHECK-LABEL: model {{.*}} @causal_state:
// CHECK-SAME: batch [[$B]], length [[$T]]{{$}}
// CHECK-NEXT: contraction 0: form linear
// CHECK-NEXT: compiled in
// CHECK: contraction 0: form quadratic
// CHECK-NEXT: compiled in
// CHECK: contraction 0: form chunked(16)
// CHECK-NEXT: compiled in
// CHECK-NEXT: forms agree: max relative difference to the linear form
// CHECK-NEXT: reference in {{[0-9.]+}} s{{$}}
// CHECK-NEXT: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: linear 0 {{\[}}[[$B]],[[$T]],4,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear 1 {{\[}}[[$S]],4,16,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic 1 {{\[}}[[$S]],4,16,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 0 {{\[}}[[$B]],[[$T]],4,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 1 {{\[}}[[$S]],4,16,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: forms all agreement {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

func.func @causal_state(%c: tensor<?x?x1x8xf32>, %b: tensor<?x?x1x8xf32>, %x: tensor<?x?x4x16xf32>, %s0: tensor<?x4x16x8xf32>) -> (tensor<?x?x4x16xf32>, tensor<?x4x16x8xf32>) {
  %m = sma.mask.causal
  %y, %s = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x4x16xf32>) mask(%m) init(%s0 : tensor<?x4x16x8xf32>) -> tensor<?x?x4x16xf32>, tensor<?x4x16x8xf32>
  return %y, %s : tensor<?x?x4x16xf32>, tensor<?x4x16x8xf32>
}
