// The bf16 chunked form runs on tensor cores: the artifact's PTX has
// mma.sync (bf16 operands, f32 accumulators) in the state-scan and output
// kernels, which take dynamic shared memory. PTX needs no CUDA toolkit.
// RUN: smc compile %examples/mamba2.mlir --chunk=64 --ptx -o %t
// RUN: FileCheck %s < %t
// RUN: FileCheck %s --check-prefix=PTX < %t
// An f32 model keeps its precision: scalar f32 kernels, no tensor cores.
// RUN: smc compile %s --form=chunked --chunk=16 --ptx -o %t.f32
// RUN: FileCheck %s --check-prefix=F32 < %t.f32
// The bf16 quadratic form of a window mask runs on tensor cores too.
// RUN: smc compile %S/Inputs/window-mma.mlir --form=quadratic --ptx -o %t.quad
// RUN: FileCheck %s --check-prefix=QUAD < %t.quad
// Decode (linear form, n = 128): a warp per state row, 16-byte accesses.
// RUN: smc compile %examples/mamba2_decode.mlir --ptx -o %t.decode
// RUN: FileCheck %s --check-prefix=DECODE < %t.decode

// Four kernels: the cumsum of the log-decays, which evaluates the dt
// prologue (softplus(dt + dt_bias) A) in place; the state scan over
// segments of chunks; the combine of the segments; the output kernel. The
// scan and the output kernels stage their products' operands in shared
// memory.
// CHECK: kernel k0 [[CUM:[a-z_0-9]+]] {{[a-z_0-9]+}} shared 0
// CHECK-NEXT: kernel k1 [[SCAN:[a-z_0-9]+]] {{[a-z_0-9]+}} shared {{[1-9][0-9]+}}
// CHECK-NEXT: kernel k2 [[COMB:[a-z_0-9]+]] {{[a-z_0-9]+}} shared 0
// CHECK-NEXT: kernel k3 [[OUT:[a-z_0-9]+]] {{[a-z_0-9]+}} shared {{[1-9][0-9]+}}
// CHECK-NEXT: entry mamba2_mixer
// Neither dt' nor X = x dt' nor the f32 y is materialized: no [b, T, 80]
// buffer but the cumsum's, no [b, T, 80, 64] f32 buffer. The states before
// each chunk are bf16 (the tensor cores' operand type); the segments'
// states (the scan splits b * 80 slices into about 512 programs) are f32 at
// their ends and bf16 at their starts.
// CHECK-NOT: buffer {{.*}} f32 b T 80 64
// CHECK: buffer [[CS:buf[0-9]+]] f32 b T 80
// CHECK-NEXT: buffer [[ST:buf[0-9]+]] bf16 b 80 (T+64-1)/64 64 128
// CHECK-NEXT: buffer [[DEC:buf[0-9]+]] f32 b 80 (T+64-1)/64
// CHECK-NEXT: buffer [[END:buf[0-9]+]] f32 b 80 [[SEGS:max\(min\(\(512\+\(max\(b\*80,1\)\)-1\)/\(max\(b\*80,1\)\),\(T\+64-1\)/64\),1\)]] 64 128
// CHECK-NEXT: buffer [[TOT:buf[0-9]+]] f32 b 80 [[SEGS]]
// CHECK-NEXT: buffer [[START:buf[0-9]+]] bf16 b 80 [[SEGS]] 64 128
// CHECK-NOT: buffer
// A warp per (sequence, chunk, head) for the cumsum, reading dt, dt_bias
// and A; four warps per (sequence, segment, head) for the scan (16 rows p
// of the state each); four per (sequence, head, 16 rows p) for the
// combine; four per (sequence, chunk, head) for the outputs (16 positions
// each), which apply the D / silu(z) epilogue and write y directly.
// CHECK: launch k0 grid (b*((T+64-1)/64))*80 1 1 block 32 1 1 args {{.*}}memref:dt memref:dt_bias memref:A memref:[[CS]]
// CHECK-NEXT: launch k1 grid (b*([[SEGS]]))*80 1 1 block 128 1 1 {{.*}}memref:[[ST]] memref:[[DEC]] memref:[[END]] memref:[[TOT]]
// CHECK-NEXT: launch k2 grid b*320 1 1 block 128 1 1 {{.*}}memref:[[START]] memref:[[TOT]] memref:[[END]]
// CHECK-NEXT: launch k3 grid (b*((T+64-1)/64))*80 1 1 block 128 1 1 {{.*}}memref:[[START]] memref:[[DEC]] memref:[[ST]] memref:D memref:z memref:y
// CHECK-NEXT: reference ssd

// The cumsum: softplus's exp, a shuffle scan.
// PTX: .visible .entry [[CUM:[a-z_0-9]+]](
// PTX: ex2.approx
// PTX: shfl.sync.up.b32
// The scan stages X and B~ as they lie in memory (16-byte shared stores)
// and reads them transposed with ldmatrix; no 16-bit shared stores remain.
// PTX: .visible .entry [[SCAN:[a-z_0-9]+]](
// PTX-NOT: st.shared.b16
// PTX: cvt.rn.bf16x2.f32
// PTX-NOT: st.shared.b16
// PTX: st.shared.v4.b32
// PTX-NOT: st.shared.b16
// PTX: bar.sync
// PTX-NOT: st.shared.b16
// PTX: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// PTX-NOT: st.shared.b16
// PTX: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// The combine kernel, then the output kernel, which reads C (an A operand)
// with ldmatrix, X (a B operand whose reduction dim is not contiguous) with
// ldmatrix.trans, and stores bf16 pairs of y.
// PTX: .visible .entry [[COMB:[a-z_0-9]+]](
// PTX: .visible .entry [[OUT:[a-z_0-9]+]](
// PTX: st.shared.v4.b32
// PTX: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// PTX: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// PTX: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// PTX: st.global.b32

// QUAD: kernel k0 {{.*}} shared {{[1-9][0-9]+}}
// QUAD-NOT: kernel k1
// QUAD: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// QUAD: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32

// F32: launch k0
// F32-NOT: mma.sync
// F32: .visible .entry

// One decode kernel: dt' and its decay are evaluated in place; 8 warps per
// program, a warp per row of the state, 16-byte accesses, the output a
// warp sum.
// DECODE: launch k0 grid b*640 1 1 block 256 1 1 args {{.*}}memref:dt memref:dt_bias memref:A
// DECODE-NOT: launch
// DECODE: ld.global.v4.b32
// DECODE: shfl.sync.bfly.b32
func.func @f32_mixer(%c: tensor<?x?x1x16xf32>, %b: tensor<?x?x1x16xf32>, %x: tensor<?x?x2x16xf32>, %a: tensor<?x?x2xf32>) -> tensor<?x?x2x16xf32> {
  %m = sma.mask.decay %a : tensor<?x?x2xf32>
  %y = sma.contract C(%c : tensor<?x?x1x16xf32>) B(%b : tensor<?x?x1x16xf32>) X(%x : tensor<?x?x2x16xf32>) mask(%m) -> tensor<?x?x2x16xf32>
  return %y : tensor<?x?x2x16xf32>
}
