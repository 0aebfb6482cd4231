// Sliding window (width 5) over packed sequences (cu_seqlens): the window
// never reaches across a sequence boundary. f32, h = 4, g = 1, p = 8, n = 8,
// quadratic form.

// RUN: smc run %s --check --form=all --seqlens=5,0,17,9 --seed=410 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=31' -D'$S=4'
// RUN: smc run %s --check --form=all --seqlens=0,16,1,0 --seed=411 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=17' -D'$S=4'
// RUN: smc run %s --check --form=all --seqlens=1,7,15,16,53 --seed=412 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=92' -D'$S=5'
// RUN: smc run %s --check --form=all --seqlens=1000,0,3096 --seed=413 \
// RUN:   | FileCheck %s -D'$B=1' -D'$T=4096' -D'$S=3'

// CHECK-LABEL: model {{.*}} @window_varlen:
// CHECK-SAME: batch [[$B]], length [[$T]], [[$S]] packed sequences{{$}}
// CHECK-NEXT: contraction 0: form quadratic
// CHECK-NEXT: compiled in
// CHECK-NEXT: reference in {{[0-9.]+}} s{{$}}
// CHECK-NEXT: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: quadratic 0 {{\[}}[[$B]],[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

func.func @window_varlen(%c: tensor<1x?x1x8xf32>, %b: tensor<1x?x1x8xf32>, %x: tensor<1x?x4x8xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x4x8xf32>) {
  %m = sma.mask.window 5
  %y = sma.contract C(%c : tensor<1x?x1x8xf32>) B(%b : tensor<1x?x1x8xf32>) X(%x : tensor<1x?x4x8xf32>) mask(%m) seqs(%cu : tensor<?xi32>) -> tensor<1x?x4x8xf32>
  return %y : tensor<1x?x4x8xf32>
}
