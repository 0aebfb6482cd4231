// Custom causal mask L[t, s] = exp(-0.02 (head + 1) (t - s)) * slope_s over
// packed sequences (cu_seqlens): uses the head index and the operand at s,
// with t and s relative to the start of their sequence. f32, h = 4, g = 2,
// p = 8, n = 8, quadratic form.

// RUN: smc run %s --check --form=all --seqlens=5,0,17,9 --seed=810 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=31' -D'$S=4'
// RUN: smc run %s --check --form=all --seqlens=0,16,1,0 --seed=811 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=17' -D'$S=4'
// RUN: smc run %s --check --form=all --seqlens=1,7,15,16,53 --seed=812 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=92' -D'$S=5'
// RUN: smc run %s --check --form=all --seqlens=1000,0,3096 --seed=813 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096' -D'$S=3'

// CHECK-LABEL: model {{.*}} @custom_varlen:
// CHECK-SAME: batch [[$B]], length [[$T]], [[$S]] packed sequences{{$}}
// CHECK-NEXT: contraction 0: form quadratic
// CHECK-NEXT: compiled in
// CHECK-NEXT: reference in {{[0-9.]+}} s{{$}}
// CHECK-NEXT: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

func.func @custom_varlen(%c: tensor<1x?x2x8xf32>, %b: tensor<1x?x2x8xf32>, %x: tensor<1x?x4x8xf32>, %slope: tensor<1x?x4xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x4x8xf32>) {
  %m = sma.mask.custom causal (%slope : tensor<1x?x4xf32>) {
  ^bb0(%t: index, %s: index, %head: index, %slope_t: f32, %slope_s: f32):
    %c1 = arith.constant 1 : index
    %h1 = arith.addi %head, %c1 : index
    %d = arith.subi %t, %s : index
    %hd = arith.muli %h1, %d : index
    %di = arith.index_cast %hd : index to i64
    %df = arith.sitofp %di : i64 to f32
    %k = arith.constant -0.02 : f32
    %e = arith.mulf %k, %df : f32
    %v = math.exp %e : f32
    %r = arith.mulf %v, %slope_s : f32
    sma.yield %r : f32
  }
  %y = sma.contract C(%c : tensor<1x?x2x8xf32>) B(%b : tensor<1x?x2x8xf32>) X(%x : tensor<1x?x4x8xf32>) mask(%m) seqs(%cu : tensor<?xi32>) -> tensor<1x?x4x8xf32>
  return %y : tensor<1x?x4x8xf32>
}
