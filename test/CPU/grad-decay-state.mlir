// The derived backward (sma-derive-backward) of a data-dependent decay with
// initial and final states, f32, h = 4, g = 1, p = 8, n = 16: every
// gradient (C, B, X, the log-decays, the initial state) of every form
// against the float64 reference's own backward, for random output and
// final-state gradients, at T = 1, 7, Q-1, Q, 3Q+5 (chunk Q = 16).

// RUN: smc run %s --grad --check --form=all --chunk=16 --seqlen=1 --seed=400 \
// RUN:   | FileCheck %s -D'$T=1'
// RUN: smc run %s --grad --check --form=all --chunk=16 --seqlen=7 --seed=401 \
// RUN:   | FileCheck %s -D'$T=7'
// RUN: smc run %s --grad --check --form=all --chunk=16 --seqlen=15 --seed=402 \
// RUN:   | FileCheck %s -D'$T=15'
// RUN: smc run %s --grad --check --form=all --chunk=16 --seqlen=16 --seed=403 \
// RUN:   | FileCheck %s -D'$T=16'
// RUN: smc run %s --grad --check --form=all --chunk=16 --seqlen=53 --seed=404 \
// RUN:   | FileCheck %s -D'$T=53'

// CHECK: model {{.*}} @decay: batch 2, length [[$T]]{{$}}
// CHECK: backward contraction 0: form linear
// CHECK: backward contraction 0: form quadratic
// CHECK: backward contraction 0: form chunked(16)
// CHECK: form gradient shape rel. error max abs err tolerance result
// CHECK-NEXT: linear dC {{\[}}2,[[$T]],1,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear dB {{\[}}2,[[$T]],1,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear dX {{\[}}2,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear dlog_decay {{\[}}2,[[$T]],4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear dinit_state {{\[}}2,4,8,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dC {{\[}}2,[[$T]],1,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dB {{\[}}2,[[$T]],1,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dX {{\[}}2,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dlog_decay {{\[}}2,[[$T]],4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dinit_state {{\[}}2,4,8,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dC {{\[}}2,[[$T]],1,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dB {{\[}}2,[[$T]],1,16] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dX {{\[}}2,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dlog_decay {{\[}}2,[[$T]],4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dinit_state {{\[}}2,4,8,16] {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

func.func @decay(%c: tensor<?x?x1x16xf32>, %b: tensor<?x?x1x16xf32>, %x: tensor<?x?x4x8xf32>, %a: tensor<?x?x4xf32>, %h0: tensor<?x4x8x16xf32>) -> (tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>) {
  %m = sma.mask.decay %a : tensor<?x?x4xf32>
  %y, %s = sma.contract C(%c : tensor<?x?x1x16xf32>) B(%b : tensor<?x?x1x16xf32>) X(%x : tensor<?x?x4x8xf32>) mask(%m) init(%h0 : tensor<?x4x8x16xf32>) -> tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
  return %y, %s : tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
}
