// sma.ssd over packed sequences (cu_seqlens) with D, dt_bias, dt_softplus and
// initial and final states; f32, h = 4, g = 1, p = 8, n = 8.

// RUN: smc run %s --check --form=all --chunk=16 --seqlens=5,0,17,9 --seed=920 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=31' -D'$S=4'
// RUN: smc run %s --check --form=all --chunk=16 --seqlens=0,16,1,0 --seed=921 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=17' -D'$S=4'
// RUN: smc run %s --check --form=all --chunk=16 --seqlens=1,7,15,16,53 --seed=922 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=92' -D'$S=5'
// RUN: smc run %s --check --form=all --chunk=16 --seqlens=1000,0,3096 --seed=923 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096' -D'$S=3'

// CHECK-LABEL: model {{.*}} @ssd_varlen:
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

func.func @ssd_varlen(%x: tensor<1x?x4x8xf32>, %dt: tensor<1x?x4xf32>, %A: tensor<4xf32>, %B: tensor<1x?x1x8xf32>, %C: tensor<1x?x1x8xf32>, %D: tensor<4xf32>, %db: tensor<4xf32>, %s0: tensor<?x4x8x8xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x4x8xf32>, tensor<?x4x8x8xf32>) {
  %y, %s = sma.ssd x(%x : tensor<1x?x4x8xf32>) dt(%dt : tensor<1x?x4xf32>) A(%A : tensor<4xf32>) B(%B : tensor<1x?x1x8xf32>) C(%C : tensor<1x?x1x8xf32>) D(%D : tensor<4xf32>) dt_bias(%db : tensor<4xf32>) init(%s0 : tensor<?x4x8x8xf32>) seqs(%cu : tensor<?xi32>) {dt_softplus} -> tensor<1x?x4x8xf32>, tensor<?x4x8x8xf32>
  return %y, %s : tensor<1x?x4x8xf32>, tensor<?x4x8x8xf32>
}
