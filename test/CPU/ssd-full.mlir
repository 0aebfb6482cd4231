// sma.ssd with every extra: D, z, dt_bias, dt_softplus, dt_limit = [0.02, 0.3]
// (clamps some dt), initial and final states; f32, h = 4, g = 2, p = 8, n = 8.
// Every legal form (--form=all: linear, quadratic, chunked) against the
// float64 reference and against each other at T = 1, 7, Q-1, Q, 3Q+5 (batch 2)
// and 4096 (batch 1), chunk Q = 16. Then decoding: one token with a carried
// state through the linear form alone.

// RUN: smc run %s --check --form=all --chunk=16 --seqlen=1 --seed=910 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=1' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=7 --seed=911 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=7' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=15 --seed=912 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=15' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=16 --seed=913 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=16' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=53 --seed=914 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=53' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=4096 --batch=1 --seed=915 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096' -D'$S=1'
// RUN: smc run %s --check --form=linear --seqlen=1 --seed=916 \
// RUN:   | FileCheck %s --check-prefix=LIN -D'$B=2' -D'$T=1' -D'$S=2'

// CHECK-LABEL: model {{.*}} @ssd_full:
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
// CHECK-NEXT: linear 1 {{\[}}[[$S]],4,8,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic 1 {{\[}}[[$S]],4,8,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 1 {{\[}}[[$S]],4,8,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: forms all agreement {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

// LIN-LABEL: model {{.*}} @ssd_full:
// LIN-SAME: batch [[$B]], length [[$T]]{{$}}
// LIN-NEXT: contraction 0: form linear
// LIN-NEXT: compiled in
// LIN-NEXT: reference in {{[0-9.]+}} s{{$}}
// LIN-NEXT: form output shape rel. error max abs err tolerance result
// LIN-NEXT: linear 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// LIN-NEXT: linear 1 {{\[}}[[$S]],4,8,8] {{.*}} 1.0e-05 PASS
// LIN-NOT: FAIL

func.func @ssd_full(%x: tensor<?x?x4x8xf32>, %dt: tensor<?x?x4xf32>, %A: tensor<4xf32>, %B: tensor<?x?x2x8xf32>, %C: tensor<?x?x2x8xf32>, %D: tensor<4xf32>, %z: tensor<?x?x4x8xf32>, %db: tensor<4xf32>, %s0: tensor<?x4x8x8xf32>) -> (tensor<?x?x4x8xf32>, tensor<?x4x8x8xf32>) {
  %y, %s = sma.ssd x(%x : tensor<?x?x4x8xf32>) dt(%dt : tensor<?x?x4xf32>) A(%A : tensor<4xf32>) B(%B : tensor<?x?x2x8xf32>) C(%C : tensor<?x?x2x8xf32>) D(%D : tensor<4xf32>) z(%z : tensor<?x?x4x8xf32>) dt_bias(%db : tensor<4xf32>) init(%s0 : tensor<?x4x8x8xf32>) {dt_softplus, dt_limit = array<f64: 0.02, 0.3>} -> tensor<?x?x4x8xf32>, tensor<?x4x8x8xf32>
  return %y, %s : tensor<?x?x4x8xf32>, tensor<?x4x8x8xf32>
}
