// Data-dependent decay (Mamba-2 mask), f32, h = 4, g = 2, p = 8, n = 8. Every
// legal form (--form=all: linear, quadratic, chunked) against the float64
// reference and against each other at T = 1, 7, Q-1, Q, 3Q+5 (batch 2) and
// 4096 (batch 1), chunk Q = 16; then the form smc chooses.

// RUN: smc run %s --check --form=all --chunk=16 --seqlen=1 --seed=300 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=1'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=7 --seed=301 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=7'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=15 --seed=302 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=15'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=16 --seed=303 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=16'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=53 --seed=304 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=53'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=4096 --batch=1 --seed=305 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096'
// RUN: smc run %s --check --seqlen=53 --seed=306 \
// RUN:   | FileCheck %s --check-prefix=AUTO -D'$B=2' -D'$T=53'

// CHECK-LABEL: model {{.*}} @decay:
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

// AUTO-LABEL: model {{.*}} @decay:
// AUTO-SAME: batch [[$B]], length [[$T]]{{$}}
// AUTO-NEXT: contraction 0: form {{.+}}
// AUTO-NEXT: compiled in
// AUTO-NEXT: reference in {{[0-9.]+}} s{{$}}
// AUTO-NEXT: form output shape rel. error max abs err tolerance result
// AUTO-NEXT: auto 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// AUTO-NOT: FAIL

func.func @decay(%c: tensor<?x?x2x8xf32>, %b: tensor<?x?x2x8xf32>, %x: tensor<?x?x4x8xf32>, %a: tensor<?x?x4xf32>) -> (tensor<?x?x4x8xf32>) {
  %m = sma.mask.decay %a : tensor<?x?x4xf32>
  %y = sma.contract C(%c : tensor<?x?x2x8xf32>) B(%b : tensor<?x?x2x8xf32>) X(%x : tensor<?x?x4x8xf32>) mask(%m) -> tensor<?x?x4x8xf32>
  return %y : tensor<?x?x4x8xf32>
}
