// The transpose of a data-dependent decay (anti-causal, run right to left)
// with initial and final states, f32, h = 4, g = 2, p = 8, n = 16: every
// form against the float64 reference at T = 1, 7, Q-1, Q, 3Q+5 and 1000,
// chunk Q = 16. The initial state enters at the end of the sequence and
// the final state is the one left before its start.

// RUN: smc run %s --check --form=all --chunk=16 --seqlen=1 --seed=340 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=1' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=7 --seed=341 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=7' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=15 --seed=342 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=15' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=16 --seed=343 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=16' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=53 --seed=344 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=53' -D'$S=2'
// RUN: smc run %s --check --form=all --chunk=16 --seqlen=1000 --batch=1 --seed=345 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=1000' -D'$S=1'

// CHECK-LABEL: model {{.*}} @transpose_decay_state:
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

func.func @transpose_decay_state(%c: tensor<?x?x2x16xf32>, %b: tensor<?x?x2x16xf32>,
    %x: tensor<?x?x4x8xf32>, %a: tensor<?x?x4xf32>, %h0: tensor<?x4x8x16xf32>)
    -> (tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>) {
  %d = sma.mask.decay %a : tensor<?x?x4xf32>
  %m = sma.mask.transpose %d
  %y, %s = sma.contract C(%c : tensor<?x?x2x16xf32>) B(%b : tensor<?x?x2x16xf32>)
      X(%x : tensor<?x?x4x8xf32>) mask(%m) init(%h0 : tensor<?x4x8x16xf32>)
      -> tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
  return %y, %s : tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
}
