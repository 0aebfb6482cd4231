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
// A block per (sequence, head, block of 8 state rows): one warp, each row
// of the state held by 4 lanes (n = 4 padded to 16).
// CHECK-NEXT: launch k0 grid b*2 1 1 block 32 1 1 args {{.*}}memref:y memref:final_state
// CHECK-NEXT: reference contract C=C B=B X=X mask=mul(decay(log_decay),fixed(0.5,0.9)) init=init_state y=y final=final_state
// CHECK-NEXT: end
// CHECK-NEXT: data
// CHECK: .target sm_90
// CHECK: .visible .entry [[MOD]]
// CHECK: ld.global
// CHECK: st.global

// The chunked form: the cumsum of the log-decays, the scan over segments of
// chunks (which records the state before each chunk, f32 for f32 data),
// the combine of the segments and the output kernel, which reads those
// states; the scan and the output stage their products' operands in
// shared memory.
// CHUNKED: kernel k0 {{.*}} shared 0
// CHUNKED-NEXT: kernel k1 {{.*}} shared {{[1-9][0-9]*}}
// CHUNKED-NEXT: kernel k2 {{.*}} shared 0
// CHUNKED-NEXT: kernel k3 {{.*}} shared {{[1-9][0-9]*}}
// CHUNKED: buffer buf{{[0-9]+}} f32 b 2 (T+8-1)/8 3 4
// CHUNKED: launch k0 grid (b*((T+8-1)/8))*2 1 1 block 32 1 1
// CHUNKED: launch k1 grid (b*({{.*}}))*2 1 1 block 32 1 1
// CHUNKED: launch k2 grid b*2 1 1 block 128 1 1
// CHUNKED: launch k3 grid (b*((T+8-1)/8))*2 1 1 block 32 1 1
// CHUNKED: reference contract
// f32 data keeps f32 products (FMA): no tensor cores.
// CHUNKED-NOT: mma.sync
func.func @mixer(%c: tensor<?x?x1x4xf32>, %b: tensor<?x?x1x4xf32>, %x: tensor<?x?x2x3xf32>, %a: tensor<?x?x2xf32>, %s0: tensor<?x2x3x4xf32>) -> (tensor<?x?x2x3xf32>, tensor<?x2x3x4xf32>) {
  %d = sma.mask.decay %a : tensor<?x?x2xf32>
  %f = sma.mask.fixed_decay [0.5, 0.9]
  %m = sma.mask.mul %d, %f
  %y, %s = sma.contract C(%c : tensor<?x?x1x4xf32>) B(%b : tensor<?x?x1x4xf32>) X(%x : tensor<?x?x2x3xf32>) mask(%m) init(%s0 : tensor<?x2x3x4xf32>) -> tensor<?x?x2x3xf32>, tensor<?x2x3x4xf32>
  return %y, %s : tensor<?x?x2x3xf32>, tensor<?x2x3x4xf32>
}
