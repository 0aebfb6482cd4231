// Custom causal mask L[t, s] = exp(-0.05 (t - s)) * (1 + slope_t) with a [b,
// T, h] operand, f32, h = 4, g = 2, p = 8, n = 8. Every legal form
// (--form=all: quadratic only) against the float64 reference and against each
// other at T = 1, 7, Q-1, Q, 3Q+5 (batch 2) and 4096 (batch 1), chunk Q = 16;
// then the form smc chooses.

// RUN: smc run %s --check --form=all --seqlen=1 --seed=700 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=1'
// RUN: smc run %s --check --form=all --seqlen=7 --seed=701 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=7'
// RUN: smc run %s --check --form=all --seqlen=15 --seed=702 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=15'
// RUN: smc run %s --check --form=all --seqlen=16 --seed=703 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=16'
// RUN: smc run %s --check --form=all --seqlen=53 --seed=704 \
// RUN:   | FileCheck %s -D'$B=2' -D'$T=53'
// RUN: smc run %s --check --form=all --seqlen=4096 --batch=1 --seed=705 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096'
// RUN: smc run %s --check --seqlen=53 --seed=706 \
// RUN:   | FileCheck %s --check-prefix=AUTO -D'$B=2' -D'$T=53'

// CHECK-LABEL: model {{.*}} @custom_causal:
// CHECK-SAME: batch [[$B]], length [[$T]]{{$}}
// CHECK-NEXT: contraction 0: form quadratic
// CHECK-NEXT: compiled in
// CHECK-NEXT: reference in {{[0-9.]+}} s{{$}}
// CHECK-NEXT: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

// AUTO-LABEL: model {{.*}} @custom_causal:
// AUTO-SAME: batch [[$B]], length [[$T]]{{$}}
// AUTO-NEXT: contraction 0: form {{.+}}
// AUTO-NEXT: compiled in
// AUTO-NEXT: reference in {{[0-9.]+}} s{{$}}
// AUTO-NEXT: form output shape rel. error max abs err tolerance result
// AUTO-NEXT: auto 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// AUTO-NOT: FAIL

func.func @custom_causal(%c: tensor<?x?x2x8xf32>, %b: tensor<?x?x2x8xf32>, %x: tensor<?x?x4x8xf32>, %slope: tensor<?x?x4xf32>) -> (tensor<?x?x4x8xf32>) {
  %m = sma.mask.custom causal (%slope : tensor<?x?x4xf32>) {
  ^bb0(%t: index, %s: index, %head: index, %slope_t: f32, %slope_s: f32):
    %d = arith.subi %t, %s : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %k = arith.constant -0.05 : f32
    %e = arith.mulf %k, %df : f32
    %v = math.exp %e : f32
    %one = arith.constant 1.0 : f32
    %w = arith.addf %one, %slope_t : f32
    %r = arith.mulf %v, %w : f32
    sma.yield %r : f32
  }
  %y = sma.contract C(%c : tensor<?x?x2x8xf32>) B(%b : tensor<?x?x2x8xf32>) X(%x : tensor<?x?x4x8xf32>) mask(%m) -> tensor<?x?x4x8xf32>
  return %y : tensor<?x?x4x8xf32>
}
