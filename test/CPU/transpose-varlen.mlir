// The transpose of a product of a data-dependent and a fixed decay over
// packed sequences (cu_seqlens) with initial and final states, f32,
// h = 4, g = 1, p = 8, n = 16: states reset at every boundary, right to
// left too. Every form against the float64 reference, chunk 16.

// RUN: smc run %s --check --form=all --chunk=16 --seqlens=5,0,17,9 --seed=350 \
// RUN:   | FileCheck %s -D'$T=31' -D'$S=4'
// RUN: smc run %s --check --form=all --chunk=16 --seqlens=1,7,15,16,53 --seed=351 \
// RUN:   | FileCheck %s -D'$T=92' -D'$S=5'

// CHECK-LABEL: model {{.*}} @transpose_varlen:
// CHECK-SAME: batch 1, length [[$T]], [[$S]] packed sequences{{$}}
// CHECK: reference in {{[0-9.]+}} s{{$}}
// CHECK-NEXT: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: linear 0 {{\[}}1,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear 1 {{\[}}[[$S]],4,8,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic 0 {{\[}}1,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic 1 {{\[}}[[$S]],4,8,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 0 {{\[}}1,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked 1 {{\[}}[[$S]],4,8,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: forms all agreement {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

func.func @transpose_varlen(%c: tensor<1x?x1x16xf32>, %b: tensor<1x?x1x16xf32>,
    %x: tensor<1x?x4x8xf32>, %a: tensor<1x?x4xf32>, %h0: tensor<?x4x8x16xf32>,
    %cu: tensor<?xi32>) -> (tensor<1x?x4x8xf32>, tensor<?x4x8x16xf32>) {
  %d = sma.mask.decay %a : tensor<1x?x4xf32>
  %f = sma.mask.fixed_decay [0.9, 0.95, 0.99, 1.0]
  %p = sma.mask.mul %d, %f
  %m = sma.mask.transpose %p
  %y, %s = sma.contract C(%c : tensor<1x?x1x16xf32>) B(%b : tensor<1x?x1x16xf32>)
      X(%x : tensor<1x?x4x8xf32>) mask(%m) init(%h0 : tensor<?x4x8x16xf32>)
      seqs(%cu : tensor<?xi32>) -> tensor<1x?x4x8xf32>, tensor<?x4x8x16xf32>
  return %y, %s : tensor<1x?x4x8xf32>, tensor<?x4x8x16xf32>
}
