// With the CUDA toolkit's ptxas, kernels are shipped as sm_90 cubin (ELF).
// REQUIRES: ptxas
// RUN: smc compile %examples/mamba2.mlir -o %t
// RUN: FileCheck %s < %t

// The Mamba-2 mixer: dt processing, then the chunked form's kernels (with
// x dt' fused into their loads and the D / silu(z) epilogue into their
// stores), each a cubin module.
// CHECK: smc-artifact 1
// CHECK-NEXT: target sm_90
// CHECK-NEXT: module [[M0:[a-z_0-9]+]] cubin {{[0-9]+}}
// CHECK: entry mamba2
// CHECK-NEXT: input x bf16 normal b T 80 64
// CHECK-NEXT: input dt bf16 dt_raw b T 80
// CHECK-NEXT: input A f32 a_log 80
// CHECK: output y bf16 b T 80 64
// CHECK: reference ssd x=x dt=dt A=A B=B C=C D=D z=z dt_bias=dt_bias softplus=1 y=y
// CHECK-NEXT: end
// CHECK-NEXT: data
// CHECK-NEXT: {{.}}ELF

// sm_80 (A100) cubin too.
// RUN: smc compile %examples/retnet.mlir --target=sm_80 -o %t.sm80
// RUN: FileCheck %s --check-prefix=SM80 < %t.sm80
// SM80: smc-artifact 1
// SM80-NEXT: target sm_80
// SM80-NEXT: module {{[a-z_0-9]+}} cubin {{[0-9]+}}
// SM80: reference contract C=C B=B X=X mask=fixed(0.96875,0.984375,0.9921875,0.99609375,0.998046875,0.9990234375,0.99951171875,0.999755859375) y=y
// RUN: not smc compile %examples/retnet.mlir --target=sm_70 -o %t.sm70 2>&1 | FileCheck %s --check-prefix=SM70
// SM70: smc: error: unknown target 'sm_70' (expected sm_90 or sm_80)
