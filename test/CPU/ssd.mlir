// sma.ssd, the Mamba-2 mixer with only x, dt (> 0, no softplus), A, B, C; f32,
// h = 4, g = 1, p = 8, n = 16. Every legal form (--form=all: linear,
// quadratic, chunked) against the float64 reference and against each other at
// T = 1, 7, Q-1, Q, 3Q+5 (batch 2) and 4096 (batch 1), chunk Q = 16; then the
// form smc chooses.

// RUN: smc run %s --check --form=all --chunk=16 --seqlen=1 --seed=900 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=1'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=7 --seed=901 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=7'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=15 --seed=902 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=15'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=16 --seed=903 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=16'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=53 --seed=904 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=53'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=4096 --batch=1 --seed=905 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096'
// RUN: smc run %s --check --seqlen=53 --seed=906 \
// RUN:   | FileCheck %s --check-prefix=AUTO -D'$B=2' -D'$T=53'

// CHECK-LABEL: model {{.*}} @ssd:
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
// CHECK-NEXT: linear 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: forms all agreement {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

// AUTO-LABEL: model {{.*}} @ssd:
// AUTO-SAME: batch [[$B]], length [[$T]]{{$}}
// AUTO-NEXT: contraction 0: form {{.+}}
// AUTO-NEXT: compiled in
// AUTO-NEXT: reference in {{[0-9.]+}} s{{$}}
// AUTO-NEXT: form output shape rel. error max abs err tolerance result
// AUTO-NEXT: auto 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// AUTO-NOT: FAIL

func.func @ssd(%x: tensor<?x?x4x8xf32>, %dt: tensor<?x?x4xf32>, %A: tensor<4xf32>, %B: tensor<?x?x1x16xf32>, %C: tensor<?x?x1x16xf32>) -> (tensor<?x?x4x8xf32>) {
  %y = sma.ssd x(%x : tensor<?x?x4x8xf32>) dt(%dt : tensor<?x?x4xf32>) A(%A : tensor<4xf32>) B(%B : tensor<?x?x1x16xf32>) C(%C : tensor<?x?x1x16xf32>) -> tensor<?x?x4x8xf32>
  return %y : tensor<?x?x4x8xf32>
}
