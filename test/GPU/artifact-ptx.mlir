// smc compile writes an artifact: header directives, then the kernels. PTX
// needs no CUDA toolkit, so this runs everywhere.
// RUN: smc compile %s --form=linear --ptx -o %t
// RUN: FileCheck %s < %t
// RUN: smc compile %s --form=chunked --chunk=8 --ptx -o %t.chunked
// RUN: FileCheck %s --check-prefix=CHUNKED < %t.chunked

// CHECK: smc-artifact 1
// CHECK-NEXT: target sm_90
// CHECK-NEXT: module [[MOD:[a-z_0-9]+]] ptx {{[0-9]+}}
// CHECK-NEXT: kernel k0 [[MOD]] {{[a-z_0-9]+}} shared 0
// CHECK-NEXT: entry mixer
// CHECK-NEXT: input C f32 normal b T 1 4
// CHECK-NEXT: input B f32 normal b T 1 4
// CHECK-NEXT: input X f32 normal b T 2 3
// CHECK-NEXT: input log_decay f32 log_decay b T 2
// CHECK-NEXT: input init_state f32 normal S 2 3 4
// CHECK-NEXT: output y f32 b T 2 3
// CHECK-NEXT: output final_state f32 b 2 3 4
// A block per (sequence, head), a thread per row p of the state.
// CHECK-NEXT: launch k0 grid b*2 1 1 block 3 1 1 args {{.*}}memref:y memref:final_state
// CHECK-NEXT: reference contract C=C B=B X=X mask=mul(decay(log_decay),fixed(0.5,0.9)) init=init_state y=y final=final_state
// CHECK-NEXT: end
// CHECK-NEXT: data
// CHECK: .target sm_90
// CHECK: .visible .entry [[MOD]]
// CHECK: ld.global
// CHECK: st.global

// The chunked form: the recurrence over chunks records the state before each
// chunk in a buffer that the per-position output kernel reads.
// CHUNKED: buffer buf{{[0-9]+}} f32 b 2 (T+8-1)/8 4 3
// CHUNKED: launch k0 grid b*2 1 1 block 3 1 1
// CHUNKED: launch k1 grid (b*2)*((T+128-1)/128) 1 1 block 128 1 1
// CHUNKED: reference contract
// f32 data keeps the scalar f32 kernels: no tensor cores.
// CHUNKED-NOT: mma.sync
func.func @mixer(%c: tensor<?x?x1x4xf32>, %b: tensor<?x?x1x4xf32>, %x: tensor<?x?x2x3xf32>, %a: tensor<?x?x2xf32>, %s0: tensor<?x2x3x4xf32>) -> (tensor<?x?x2x3xf32>, tensor<?x2x3x4xf32>) {
  %d = sma.mask.decay %a : tensor<?x?x2xf32>
  %f = sma.mask.fixed_decay [0.5, 0.9]
  %m = sma.mask.mul %d, %f
  %y, %s = sma.contract C(%c : tensor<?x?x1x4xf32>) B(%b : tensor<?x?x1x4xf32>) X(%x : tensor<?x?x2x3xf32>) mask(%m) init(%s0 : tensor<?x2x3x4xf32>) -> tensor<?x?x2x3xf32>, tensor<?x2x3x4xf32>
  return %y, %s : tensor<?x?x2x3xf32>, tensor<?x2x3x4xf32>
}
