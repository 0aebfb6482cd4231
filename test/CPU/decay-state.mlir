// Data-dependent decay with initial and final states, f32, h = 4, g = 1,
// p = 8, n = 16. Every legal form (--form=all: linear, quadratic, chunked)
// against the float64 reference and against each other at T = 1, 7, Q-1, Q,
// 3Q+5 (batch 2) and 4096 (batch 1), chunk Q = 16. Then decoding: one token
// (T = 1) with a carried state through the linear form alone, and a short
// prefill through each form alone.

// RUN: smc run %s --check --form=all --chunk=16 --seqlen=1 --seed=310 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=1' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=7 --seed=311 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=7' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=15 --seed=312 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=15' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=16 --seed=313 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=16' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=53 --seed=314 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=53' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=4096 --batch=1 --seed=315 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096' -D'$S=1'
// RUN: smc run %s --check --form=linear --seqlen=1 --seed=316 \
// RUN:   | FileCheck %s --check-prefix=LIN -D'$B=2' -D'$T=1' -D'$S=2'
// RUN: smc run %s --check --form=linear --seqlen=1 --batch=1 --seed=317 \
// RUN:   | FileCheck %s --check-prefix=LIN -D'$B=1' -D'$T=1' -D'$S=1'
// RUN: smc run %s --check --form=linear --seqlen=53 --seed=318 \
// RUN:   | FileCheck %s --check-prefix=LIN -D'$B=2' -D'$T=53' -D'$S=2'
// RUN: smc run %s --check --form=quadratic --seqlen=53 --seed=319 \
// RUN:   | FileCheck %s --check-prefix=QUAD -D'$B=2' -D'$T=53' -D'$S=2'
// RUN: smc run %s --check --form=chunked --chunk=16 --seqlen=53 --seed=320 \
// RUN:   | FileCheck %s --check-prefix=CHUNK -D'$B=2' -D'$T=53' -D'$S=2'

// CHECK-LABEL: model {{.*}} @decay_state:
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
// CHECK-NEXT: linear 1 {{\[}}[[$S]],4,8,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic 1 {{\[}}[[$S]],4,8,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 1 {{\[}}[[$S]],4,8,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: forms all agreement {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

// LIN-LABEL: model {{.*}} @decay_state:
// LIN-SAME: batch [[$B]], length [[$T]]{{$}}
// LIN-NEXT: contraction 0: form linear
// LIN-NEXT: compiled in
// LIN-NEXT: reference in {{[0-9.]+}} s{{$}}
// LIN-NEXT: form output shape rel. error max abs err tolerance result
// LIN-NEXT: linear 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// LIN-NEXT: linear 1 {{\[}}[[$S]],4,8,16] {{.*}} 1.0e-05 PASS
// LIN-NOT: FAIL

// QUAD-LABEL: model {{.*}} @decay_state:
// QUAD-SAME: batch [[$B]], length [[$T]]{{$}}
// QUAD-NEXT: contraction 0: form quadratic
// QUAD-NEXT: compiled in
// QUAD-NEXT: reference in {{[0-9.]+}} s{{$}}
// QUAD-NEXT: form output shape rel. error max abs err tolerance result
// QUAD-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// QUAD-NEXT: quadratic 1 {{\[}}[[$S]],4,8,16] {{.*}} 1.0e-05 PASS
// QUAD-NOT: FAIL

// CHUNK-LABEL: model {{.*}} @decay_state:
// CHUNK-SAME: batch [[$B]], length [[$T]]{{$}}
// CHUNK-NEXT: contraction 0: form chunked(16)
// CHUNK-NEXT: compiled in
// CHUNK-NEXT: reference in {{[0-9.]+}} s{{$}}
// CHUNK-NEXT: form output shape rel. error max abs err tolerance result
// CHUNK-NEXT: chunked 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHUNK-NEXT: chunked 1 {{\[}}[[$S]],4,8,16] {{.*}} 1.0e-05 PASS
// CHUNK-NOT: FAIL

func.func @decay_state(%c: tensor<?x?x1x16xf32>, %b: tensor<?x?x1x16xf32>, %x: tensor<?x?x4x8xf32>, %a: tensor<?x?x4xf32>, %s0: tensor<?x4x8x16xf32>) -> (tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>) {
  %m = sma.mask.decay %a : tensor<?x?x4xf32>
  %y, %s = sma.contract C(%c : tensor<?x?x1x16xf32>) B(%b : tensor<?x?x1x16xf32>) X(%x : tensor<?x?x4x8xf32>) mask(%m) init(%s0 : tensor<?x4x8x16xf32>) -> tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
  return %y, %s : tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
}
