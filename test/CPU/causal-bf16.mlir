// Causal mask, bf16 activations (tolerance 3e-3), h = 4, g = 2, p = 8, n = 16.
// Every legal form (--form=all: linear, quadratic, chunked) against the
// float64 reference and against each other at T = 1, 7, Q-1, Q, 3Q+5 (batch 2)
// and 4096 (batch 1), chunk Q = 16.

// The tolerance is tighter than the bf16 default (5e-3): the CPU path rounds
// only the inputs and the output.
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=1 --seed=130 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=1'
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=7 --seed=131 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=7'
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=15 --seed=132 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=15'
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=16 --seed=133 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=16'
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=53 --seed=134 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=53'
// RUN: smc run %s --check --tolerance=3e-3 --form=all --chunk=16 --seqlen=4096 --batch=1 --seed=135 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096'

// CHECK-LABEL: model {{.*}} @causal_bf16:
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
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 3.0e-03 PASS
// CHECK-NEXT: chunked 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 3.0e-03 PASS
// CHECK-NEXT: forms all agreement {{.*}} 3.0e-03 PASS
// CHECK-NOT: FAIL

func.func @causal_bf16(%c: tensor<?x?x2x16xbf16>, %b: tensor<?x?x2x16xbf16>, %x: tensor<?x?x4x8xbf16>) -> (tensor<?x?x4x8xbf16>) {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<?x?x2x16xbf16>) B(%b : tensor<?x?x2x16xbf16>) X(%x : tensor<?x?x4x8xbf16>) mask(%m) -> tensor<?x?x4x8xbf16>
  return %y : tensor<?x?x4x8xbf16>
}
