// Fixed per-head decay (RetNet), gamma = 0.5, 0.8, 0.95, 1.0, f32, h = 4,
// g = 1, p = 16, n = 8. Every legal form (--form=all: linear, quadratic,
// chunked) against the float64 reference and against each other at T = 1, 7,
// Q-1, Q, 3Q+5 (batch 2) and 4096 (batch 1), chunk Q = 16; then the form smc
// chooses.

// RUN: smc run %s --check --form=all --chunk=16 --seqlen=1 --seed=200 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=1'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=7 --seed=201 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=7'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=15 --seed=202 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=15'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=16 --seed=203 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=16'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=53 --seed=204 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=53'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=4096 --batch=1 --seed=205 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096'
// RUN: smc run %s --check --seqlen=53 --seed=206 \
// RUN:   | FileCheck %s --check-prefix=AUTO -D'$B=2' -D'$T=53'

// CHECK-LABEL: model {{.*}} @fixed_decay:
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
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 0 {{\[}}[[$B]],[[$T]],4,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: forms all agreement {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

// AUTO-LABEL: model {{.*}} @fixed_decay:
// AUTO-SAME: batch [[$B]], length [[$T]]{{$}}
// AUTO-NEXT: contraction 0: form {{.+}}
// AUTO-NEXT: compiled in
// AUTO-NEXT: reference in {{[0-9.]+}} s{{$}}
// AUTO-NEXT: form output shape rel. error max abs err tolerance result
// AUTO-NEXT: auto 0 {{\[}}[[$B]],[[$T]],4,16] {{.*}} 1.0e-05 PASS
// AUTO-NOT: FAIL

func.func @fixed_decay(%c: tensor<?x?x1x8xf32>, %b: tensor<?x?x1x8xf32>, %x: tensor<?x?x4x16xf32>) -> (tensor<?x?x4x16xf32>) {
  %m = sma.mask.fixed_decay [0.5, 0.8, 0.95, 1.0]
  %y = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x4x16xf32>) mask(%m) -> tensor<?x?x4x16xf32>
  return %y : tensor<?x?x4x16xf32>
}
