// Fixed per-head decay over packed sequences (cu_seqlens) with initial and
// final states, f32, h = 4, g = 4, p = 8, n = 8.

// RUN: smc run %s --check --form=all --chunk=16 --seqlens=5,0,17,9 --seed=220 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=31' -D'$S=4'
// RUN: smc run %s --check --form=all --chunk=16 --seqlens=0,16,1,0 --seed=221 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=17' -D'$S=4'
// RUN: smc run %s --check --form=all --chunk=16 --seqlens=1,7,15,16,53 --seed=222 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=92' -D'$S=5'
// RUN: smc run %s --check --form=all --chunk=16 --seqlens=1000,0,3096 --seed=223 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096' -D'$S=3'

// CHECK-LABEL: model {{.*}} @fixed_decay_varlen:
// CHECK-SAME: batch [[$B]], length [[$T]], [[$S]] packed sequences{{$}}
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

func.func @fixed_decay_varlen(%c: tensor<1x?x4x8xf32>, %b: tensor<1x?x4x8xf32>, %x: tensor<1x?x4x8xf32>, %s0: tensor<?x4x8x8xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x4x8xf32>, tensor<?x4x8x8xf32>) {
  %m = sma.mask.fixed_decay [0.5, 0.8, 0.95, 1.0]
  %y, %s = sma.contract C(%c : tensor<1x?x4x8xf32>) B(%b : tensor<1x?x4x8xf32>) X(%x : tensor<1x?x4x8xf32>) mask(%m) init(%s0 : tensor<?x4x8x8xf32>) seqs(%cu : tensor<?xi32>) -> tensor<1x?x4x8xf32>, tensor<?x4x8x8xf32>
  return %y, %s : tensor<1x?x4x8xf32>, tensor<?x4x8x8xf32>
}
