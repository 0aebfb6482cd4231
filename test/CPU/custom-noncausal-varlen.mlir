// Custom non-causal mask L[t, s] = exp(-0.1 |t - s|) over packed sequences
// (cu_seqlens): no position sees past or future tokens of another sequence.
// f32, h = 2, g = 1, p = 8, n = 16, quadratic form.

// RUN: smc run %s --check --form=all --seqlens=5,0,17,9 --seed=820 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=31' -D'$S=4'
// RUN: smc run %s --check --form=all --seqlens=0,16,1,0 --seed=821 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=17' -D'$S=4'
// RUN: smc run %s --check --form=all --seqlens=1,7,15,16,53 --seed=822 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=92' -D'$S=5'
// RUN: smc run %s --check --form=all --seqlens=1000,0,3096 --seed=823 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096' -D'$S=3'

// CHECK-LABEL: model {{.*}} @custom_noncausal_varlen:
// CHECK-SAME: batch [[$B]], length [[$T]], [[$S]] packed sequences{{$}}
// CHECK-NEXT: contraction 0: form quadratic
// CHECK-NEXT: compiled in
// CHECK-NEXT: reference in {{[0-9.]+}} s{{$}}
// CHECK-NEXT: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],2,8] {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

func.func @custom_noncausal_varlen(%c: tensor<1x?x1x16xf32>, %b: tensor<1x?x1x16xf32>, %x: tensor<1x?x2x8xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x2x8xf32>) {
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %head: index):
    %d = arith.subi %t, %s : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %a = math.absf %df : f32
    %k = arith.constant -0.1 : f32
    %e = arith.mulf %k, %a : f32
    %v = math.exp %e : f32
    sma.yield %v : f32
  }
  %y = sma.contract C(%c : tensor<1x?x1x16xf32>) B(%b : tensor<1x?x1x16xf32>) X(%x : tensor<1x?x2x8xf32>) mask(%m) seqs(%cu : tensor<?xi32>) -> tensor<1x?x2x8xf32>
  return %y : tensor<1x?x2x8xf32>
}
