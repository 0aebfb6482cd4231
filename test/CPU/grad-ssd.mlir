// The derived backward of sma.ssd (sma-derive-backward): the chain rules of
// its front (x dt', dt' A, softplus with dt_bias, the dt_limit clamp) and
// epilogue (D x, the silu(z) gate) around its contraction's backward. Every
// gradient (x, dt, A, B, C, D, z, dt_bias, the initial state) of every form
// against the float64 reference's computeSsdGrad, for random output and
// final-state gradients: the f32 model with every extra (h = 4, g = 2) at
// T = 1, 7, Q-1, Q, 3Q+5 (chunk Q = 16), packed sequences with states (one
// empty), and bf16.

// RUN: smc run %S/ssd-full.mlir --grad --check --form=all --chunk=16 --seqlen=1 \
// RUN:   --seed=430 | FileCheck %s -D'$T=1'
// RUN: smc run %S/ssd-full.mlir --grad --check --form=all --chunk=16 --seqlen=7 \
// RUN:   --seed=431 | FileCheck %s -D'$T=7'
// RUN: smc run %S/ssd-full.mlir --grad --check --form=all --chunk=16 --seqlen=15 \
// RUN:   --seed=432 | FileCheck %s -D'$T=15'
// RUN: smc run %S/ssd-full.mlir --grad --check --form=all --chunk=16 --seqlen=16 \
// RUN:   --seed=433 | FileCheck %s -D'$T=16'
// RUN: smc run %S/ssd-full.mlir --grad --check --form=all --chunk=16 --seqlen=53 \
// RUN:   --seed=434 | FileCheck %s -D'$T=53'
// RUN: smc run %S/ssd-varlen.mlir --grad --check --form=all --chunk=16 \
// RUN:   --seqlens=5,0,17,9 --seed=440 | FileCheck %s --check-prefix=VARLEN
// RUN: smc run %S/ssd-bf16.mlir --grad --check --form=all --chunk=16 \
// RUN:   --seqlen=53 --seed=441 | FileCheck %s --check-prefix=BF16 -D'$T=53'
// RUN: smc run %S/ssd-bf16.mlir --grad --check --form=all --chunk=16 \
// RUN:   --seqlen=7 --seed=442 | FileCheck %s --check-prefix=BF16 -D'$T=7'

// CHECK: model {{.*}} @ssd_full: batch 2, length [[$T]]{{$}}
// CHECK: form gradient shape rel. error max abs err tolerance result
// CHECK-NEXT: linear dx {{\[}}2,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear ddt {{\[}}2,[[$T]],4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear dA [4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear dB {{\[}}2,[[$T]],2,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear dC {{\[}}2,[[$T]],2,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear dD [4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear dz {{\[}}2,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear ddt_bias [4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: linear dinit_state {{\[}}2,4,8,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dx {{\[}}2,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic ddt {{\[}}2,[[$T]],4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dA [4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dB {{\[}}2,[[$T]],2,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dC {{\[}}2,[[$T]],2,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dD [4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dz {{\[}}2,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic ddt_bias [4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: quadratic dinit_state {{\[}}2,4,8,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dx {{\[}}2,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked ddt {{\[}}2,[[$T]],4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dA [4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dB {{\[}}2,[[$T]],2,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dC {{\[}}2,[[$T]],2,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dD [4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dz {{\[}}2,[[$T]],4,8] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked ddt_bias [4] {{.*}} 1.0e-05 PASS
// CHECK-NEXT: chunked dinit_state {{\[}}2,4,8,8] {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

// VARLEN: model {{.*}} @ssd_varlen:
// VARLEN: form gradient shape rel. error max abs err tolerance result
// VARLEN-NEXT: linear dx {{\[}}1,31,4,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: linear ddt {{\[}}1,31,4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: linear dA [4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: linear dB {{\[}}1,31,1,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: linear dC {{\[}}1,31,1,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: linear dD [4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: linear ddt_bias [4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: linear dinit_state {{\[}}4,4,8,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: quadratic dx {{\[}}1,31,4,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: quadratic ddt {{\[}}1,31,4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: quadratic dA [4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: quadratic dB {{\[}}1,31,1,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: quadratic dC {{\[}}1,31,1,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: quadratic dD [4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: quadratic ddt_bias [4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: quadratic dinit_state {{\[}}4,4,8,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: chunked dx {{\[}}1,31,4,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: chunked ddt {{\[}}1,31,4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: chunked dA [4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: chunked dB {{\[}}1,31,1,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: chunked dC {{\[}}1,31,1,8] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: chunked dD [4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: chunked ddt_bias [4] {{.*}} 1.0e-05 PASS
// VARLEN-NEXT: chunked dinit_state {{\[}}4,4,8,8] {{.*}} 1.0e-05 PASS
// VARLEN-NOT: FAIL

// BF16: model {{.*}} @ssd_bf16: batch 2, length [[$T]]{{$}}
// BF16: form gradient shape rel. error max abs err tolerance result
// BF16-NEXT: linear dx {{\[}}2,[[$T]],4,8] {{.*}} 5.0e-03 PASS
// BF16-NEXT: linear ddt {{\[}}2,[[$T]],4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: linear dA [4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: linear dB {{\[}}2,[[$T]],2,16] {{.*}} 5.0e-03 PASS
// BF16-NEXT: linear dC {{\[}}2,[[$T]],2,16] {{.*}} 5.0e-03 PASS
// BF16-NEXT: linear dD [4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: linear dz {{\[}}2,[[$T]],4,8] {{.*}} 5.0e-03 PASS
// BF16-NEXT: linear ddt_bias [4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: quadratic dx {{\[}}2,[[$T]],4,8] {{.*}} 5.0e-03 PASS
// BF16-NEXT: quadratic ddt {{\[}}2,[[$T]],4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: quadratic dA [4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: quadratic dB {{\[}}2,[[$T]],2,16] {{.*}} 5.0e-03 PASS
// BF16-NEXT: quadratic dC {{\[}}2,[[$T]],2,16] {{.*}} 5.0e-03 PASS
// BF16-NEXT: quadratic dD [4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: quadratic dz {{\[}}2,[[$T]],4,8] {{.*}} 5.0e-03 PASS
// BF16-NEXT: quadratic ddt_bias [4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: chunked dx {{\[}}2,[[$T]],4,8] {{.*}} 5.0e-03 PASS
// BF16-NEXT: chunked ddt {{\[}}2,[[$T]],4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: chunked dA [4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: chunked dB {{\[}}2,[[$T]],2,16] {{.*}} 5.0e-03 PASS
// BF16-NEXT: chunked dC {{\[}}2,[[$T]],2,16] {{.*}} 5.0e-03 PASS
// BF16-NEXT: chunked dD [4] {{.*}} 5.0e-03 PASS
// BF16-NEXT: chunked dz {{\[}}2,[[$T]],4,8] {{.*}} 5.0e-03 PASS
// BF16-NEXT: chunked ddt_bias [4] {{.*}} 5.0e-03 PASS
// BF16-NOT: FAIL
