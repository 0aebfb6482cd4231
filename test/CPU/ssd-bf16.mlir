// sma.ssd in bf16 (x, dt, B, C, z; tolerance 3e-3) with D, z, dt_bias,
// dt_softplus and a final state but no initial state; h = 4, g = 2, p = 8,
// n = 16. Every legal form (--form=all: linear, quadratic, chunked) against
// the float64 reference and against each other at T = 1, 7, Q-1, Q, 3Q+5
// (batch 2) and 4096 (batch 1), chunk Q = 16.

// The tolerance is tighter than the bf16 default (5e-3): the CPU path rounds
// only the inputs and the output.
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=1 --seed=930 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=1' -D'$S=2'
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=7 --seed=931 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=7' -D'$S=2'
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=15 --seed=932 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=15' -D'$S=2'
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=16 --seed=933 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=16' -D'$S=2'
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=53 --seed=934 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=53' -D'$S=2'
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=4096 --batch=1 --seed=935 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096' -D'$S=1'

// CHECK-LABEL: model {{.*}} @ssd_bf16:
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
// CHECK-NEXT: linear 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 3.0e-03 PASS
// CHECK-NEXT: linear 1 {{\[}}[[$S]],4,8,16] {{.*}} 3.0e-03 PASS
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 3.0e-03 PASS
// CHECK-NEXT: quadratic 1 {{\[}}[[$S]],4,8,16] {{.*}} 3.0e-03 PASS
// CHECK-NEXT: chunked 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 3.0e-03 PASS
// CHECK-NEXT: chunked 1 {{\[}}[[$S]],4,8,16] {{.*}} 3.0e-03 PASS
// CHECK-NEXT: forms all agreement {{.*}} 3.0e-03 PASS
// CHECK-NOT: FAIL

func.func @ssd_bf16(%x: tensor<?x?x4x8xbf16>, %dt: tensor<?x?x4xbf16>, %A: tensor<4xf32>, %B: tensor<?x?x2x16xbf16>, %C: tensor<?x?x2x16xbf16>, %D: tensor<4xf32>, %z: tensor<?x?x4x8xbf16>, %db: tensor<4xf32>) -> (tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>) {
  %y, %s = sma.ssd x(%x : tensor<?x?x4x8xbf16>) dt(%dt : tensor<?x?x4xbf16>) A(%A : tensor<4xf32>) B(%B : tensor<?x?x2x16xbf16>) C(%C : tensor<?x?x2x16xbf16>) D(%D : tensor<4xf32>) z(%z : tensor<?x?x4x8xbf16>) dt_bias(%db : tensor<4xf32>) {dt_softplus} -> tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>
  return %y, %s : tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>
}
