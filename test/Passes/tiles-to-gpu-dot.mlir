// RUN: smc-opt %s -split-input-file --sma-tiles-to-gpu | FileCheck %s

#blk = #tile.blocked<size = [1, 8], threads = [8, 4], warps = [1, 1]>
#mma = #tile.mma<warps = 1>
#sh = #tile.shared<pad = 8>

// C B^T on bf16 tiles staged in shared memory ([16, 32] . [16, 32]^T, one
// warp): per 16-deep reduction step, one ldmatrix.x4 of A, one of B for
// each pair of 8-column tiles of the result (the reduction dim is the
// contiguous one for both: no transpose), and an mma.sync m16n8k16 per
// 8-column tile on the 32-bit registers (bf16 goes to nvvm.mma.sync
// directly); the results are the accumulator's slots (f32, mma layout).

// CHECK-LABEL: func.func @scores
// CHECK:         gpu.launch {{.*}} dynamic_shared_memory_size
// CHECK:           %[[VIEW:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<16x40xbf16, #gpu.address_space<workgroup>>
// CHECK:           gpu.barrier
// CHECK-NEXT:      nvgpu.ldmatrix %[[VIEW]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<16x40xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// CHECK:           nvgpu.ldmatrix %[[VIEW]][%{{.*}}, %{{.*}}] {numTiles = 4 : i32, transpose = false}
// CHECK:           vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK:           nvvm.mma.sync A[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}]  B[%{{.*}}, %{{.*}}]  C[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}]  {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK:           nvvm.mma.sync
// CHECK:           nvgpu.ldmatrix %[[VIEW]]{{.*}}transpose = false
// CHECK:           nvgpu.ldmatrix %[[VIEW]]{{.*}}transpose = false
// CHECK:           nvvm.mma.sync
// CHECK:           nvvm.mma.sync
// CHECK-NOT:       nvgpu.ldmatrix
// CHECK-NOT:       nvvm.mma.sync
// CHECK-COUNT-4:   vector.store %{{.*}} : memref<?x16x16xf32>, vector<2xf32>
// CHECK-NOT:       tile.
func.func @scores(%C: memref<?x16x32xbf16>, %Y: memref<?x16x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 1280 : i64} {
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x16x32xbf16> -> tensor<16x32xbf16, #blk>
    %z = arith.constant dense<0.0> : tensor<16x16xf32, #mma>
    %cs = tile.convert_layout %c {offset = 0 : i64} : tensor<16x32xbf16, #blk> -> tensor<16x32xbf16, #sh>
    %s = tile.dot %cs, %cs, %z {transpose_b} : tensor<16x32xbf16, #sh>, tensor<16x32xbf16, #sh> -> tensor<16x16xf32, #mma>
    tile.store %s, %Y[%i, %c0, %c0] dims [1, 2] : tensor<16x16xf32, #mma>, memref<?x16x16xf32>
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 8], threads = [16, 2], warps = [1, 1]>
#mma = #tile.mma<warps = 1>
#sh = #tile.shared<pad = 8>

// X^T B (the state update, [32, 16]^T . [32, 16]): for A = X^T and for the
// untransposed B the reduction dim runs down the rows in shared memory, so
// both are read with transposing ldmatrix.

// CHECK-LABEL: func.func @transposed
// CHECK:           gpu.barrier
// CHECK-NEXT:      nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = true} : memref<32x24xbf16, #gpu.address_space<workgroup>> -> vector<4x2xbf16>
// CHECK:           nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = true}
// CHECK:           nvvm.mma.sync
// CHECK:           nvvm.mma.sync
// CHECK:           nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = true}
// CHECK:           nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = true}
// CHECK:           nvvm.mma.sync
// CHECK:           nvvm.mma.sync
// CHECK-NOT:       nvgpu.ldmatrix
func.func @transposed(%X: memref<?x32x16xbf16>, %Y: memref<?x16x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 1536 : i64} {
    %x = tile.load %X[%i, %c0, %c0] dims [1, 2] : memref<?x32x16xbf16> -> tensor<32x16xbf16, #blk>
    %z = arith.constant dense<0.0> : tensor<16x16xf32, #mma>
    %xs = tile.convert_layout %x {offset = 0 : i64} : tensor<32x16xbf16, #blk> -> tensor<32x16xbf16, #sh>
    %h = tile.dot %xs, %xs, %z {transpose_a} : tensor<32x16xbf16, #sh>, tensor<32x16xbf16, #sh> -> tensor<16x16xf32, #mma>
    tile.store %h, %Y[%i, %c0, %c0] dims [1, 2] : tensor<16x16xf32, #mma>, memref<?x16x16xf32>
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 8], threads = [16, 2], warps = [2, 1]>
#mma = #tile.mma<warps = 2>
#sh = #tile.shared<pad = 8>

// The diagonal block of the quadratic form in 2 warps (16 rows each):
// - scores with tril_result: the products of the 8-column tiles at or past
//   the warp's last row + 1 are skipped: each is an scf.if on
//   8 nt < warp * 16 + 16 yielding the accumulator unchanged otherwise;
// - the bf16 scores, in the mma layout, are the A operand of the next
//   product straight from registers (no ldmatrix of A), and with tril_a a
//   whole 16-deep reduction step is skipped where 16 kk >= warp * 16 + 16;
//   X, not transposed, is read with transposing ldmatrix.

// CHECK-LABEL: func.func @diagonal
// CHECK:           gpu.barrier
// CHECK-NEXT:      nvgpu.ldmatrix {{.*}}transpose = false
// CHECK:           nvgpu.ldmatrix {{.*}}transpose = false
// CHECK:           %[[ROWEND:.*]] = arith.addi %[[ROW0:.*]], %{{.*}} : index
// CHECK-NEXT:      %[[NEED0:.*]] = arith.cmpi ult, %[[C0:.*]], %[[ROWEND]] : index
// CHECK:           %[[ACC0:.*]] = scf.if %[[NEED0]] -> (vector<16xf32>) {
// CHECK:             nvvm.mma.sync
// CHECK:             scf.yield %{{.*}} : vector<16xf32>
// CHECK-NEXT:      } else {
// CHECK-NEXT:        scf.yield %{{.*}} : vector<16xf32>
// CHECK-NEXT:      }
// CHECK:           %[[NEED1:.*]] = arith.cmpi ult, %[[C8:.*]], %[[ROWEND]] : index
// CHECK:           %[[ACC1:.*]] = scf.if %[[NEED1]] -> (vector<16xf32>) {
// CHECK:             nvvm.mma.sync
// CHECK:           } else {
// CHECK-NEXT:        scf.yield %[[ACC0]] : vector<16xf32>
// CHECK-NEXT:      }
// CHECK:           nvgpu.ldmatrix {{.*}}transpose = false
// CHECK:           arith.cmpi ult, %{{.*}}, %[[ROWEND]] : index
// CHECK:           scf.if
// CHECK:           arith.cmpi ult, %{{.*}}, %[[ROWEND]] : index
// CHECK:           %[[S:.*]] = scf.if
// The second product: a 16-deep step per scf.if, no ldmatrix of A.
// CHECK:           %[[ROWEND2:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[STEP0:.*]] = arith.cmpi ult, %[[K0:.*]], %[[ROWEND2]] : index
// CHECK:           %[[Y0:.*]] = scf.if %[[STEP0]] -> (vector<8xf32>) {
// CHECK-NOT:         nvgpu.ldmatrix {{.*}}transpose = false
// CHECK:             nvgpu.ldmatrix {{.*}}transpose = true
// CHECK-NOT:         nvgpu.ldmatrix
// CHECK:             nvvm.mma.sync
// CHECK:             nvvm.mma.sync
// CHECK:           } else {
// CHECK:           %[[STEP1:.*]] = arith.cmpi ult, %[[K16:.*]], %[[ROWEND2]] : index
// CHECK-NEXT:      scf.if %[[STEP1]] -> (vector<8xf32>) {
// CHECK-NOT:         nvgpu.ldmatrix {{.*}}transpose = false
// CHECK:             nvgpu.ldmatrix {{.*}}transpose = true
// CHECK:             nvvm.mma.sync
// CHECK:             nvvm.mma.sync
// CHECK:           } else {
// CHECK-NEXT:        scf.yield %[[Y0]] : vector<8xf32>
// CHECK-NEXT:      }
// CHECK-NOT:       nvgpu.ldmatrix
// CHECK-NOT:       nvvm.mma.sync
// CHECK:           gpu.terminator
func.func @diagonal(%C: memref<?x32x16xbf16>, %X: memref<?x32x16xbf16>, %Y: memref<?x32x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 2, tile.shared_bytes = 3072 : i64} {
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x32x16xbf16> -> tensor<32x16xbf16, #blk>
    %x = tile.load %X[%i, %c0, %c0] dims [1, 2] : memref<?x32x16xbf16> -> tensor<32x16xbf16, #blk>
    %z = arith.constant dense<0.0> : tensor<32x32xf32, #mma>
    %z2 = arith.constant dense<0.0> : tensor<32x16xf32, #mma>
    %cs = tile.convert_layout %c {offset = 0 : i64} : tensor<32x16xbf16, #blk> -> tensor<32x16xbf16, #sh>
    %xs = tile.convert_layout %x {offset = 1536 : i64} : tensor<32x16xbf16, #blk> -> tensor<32x16xbf16, #sh>
    %s = tile.dot %cs, %cs, %z {transpose_b, tril_result} : tensor<32x16xbf16, #sh>, tensor<32x16xbf16, #sh> -> tensor<32x32xf32, #mma>
    %sb = arith.truncf %s : tensor<32x32xf32, #mma> to tensor<32x32xbf16, #mma>
    %y = tile.dot %sb, %xs, %z2 {tril_a} : tensor<32x32xbf16, #mma>, tensor<32x16xbf16, #sh> -> tensor<32x16xf32, #mma>
    tile.store %y, %Y[%i, %c0, %c0] dims [1, 2] : tensor<32x16xf32, #mma>, memref<?x32x16xf32>
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 8], threads = [8, 4], warps = [1, 1]>
#mma = #tile.mma<warps = 1>
#sh = #tile.shared<pad = 8>

// f16 operands take nvgpu.mma.sync (which nvgpu's lowering to NVVM takes).

// CHECK-LABEL: func.func @scores_f16
// CHECK-NOT:       nvvm.mma.sync
// CHECK-COUNT-4:   nvgpu.mma.sync(%{{.*}}, %{{.*}}, %{{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK-NOT:       nvvm.mma.sync
func.func @scores_f16(%C: memref<?x16x32xf16>, %Y: memref<?x16x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 1280 : i64} {
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x16x32xf16> -> tensor<16x32xf16, #blk>
    %z = arith.constant dense<0.0> : tensor<16x16xf32, #mma>
    %cs = tile.convert_layout %c {offset = 0 : i64} : tensor<16x32xf16, #blk> -> tensor<16x32xf16, #sh>
    %s = tile.dot %cs, %cs, %z {transpose_b} : tensor<16x32xf16, #sh>, tensor<16x32xf16, #sh> -> tensor<16x16xf32, #mma>
    tile.store %s, %Y[%i, %c0, %c0] dims [1, 2] : tensor<16x16xf32, #mma>, memref<?x16x16xf32>
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 4], threads = [8, 4], warps = [1, 1]>
#mma = #tile.mma<warps = 1>
#sh = #tile.shared<pad = 4>

// f32 operands: a loop over the 16 reduction steps in which each thread
// reads the rows of A and columns of B its 8 accumulator slots need from
// shared memory (each distinct one once: rows r, r + 8, columns c, c + 1,
// c + 8, c + 9) and accumulates with FMAs. No tensor cores.
// (A barrier is also inserted at the top of this loop's body, once per
// reduction step, where one before the loop would do: not checked here.)

// CHECK-LABEL: func.func @fma
// CHECK-NOT:       mma.sync
// CHECK:           %[[VIEW:.*]] = memref.view %{{.*}} to memref<16x20xf32, #gpu.address_space<workgroup>>
// CHECK:           %[[K:.*]] = arith.constant 16 : index
// CHECK:           %[[ACC:.*]] = scf.for %[[KK:.*]] = %{{.*}} to %[[K]] step %{{.*}} iter_args(%[[A0:.*]] = %{{.*}}) -> (vector<8xf32>) {
// CHECK-COUNT-6:     memref.load %[[VIEW]][%{{.*}}, %[[KK]]] : memref<16x20xf32, #gpu.address_space<workgroup>>
// CHECK-NOT:         memref.load
// CHECK:             %[[E0:.*]] = vector.extract %[[A0]][0] : f32 from vector<8xf32>
// CHECK-NEXT:        %[[F0:.*]] = math.fma %{{.*}}, %{{.*}}, %[[E0]] : f32
// CHECK-NEXT:        vector.insert %[[F0]], %[[A0]] [0] : f32 into vector<8xf32>
// CHECK-COUNT-7:     math.fma
// CHECK-NOT:         math.fma
// CHECK:             scf.yield %{{.*}} : vector<8xf32>
// CHECK-NEXT:      }
// CHECK-NOT:       mma.sync
func.func @fma(%C: memref<?x16x16xf32>, %Y: memref<?x16x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 1280 : i64} {
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x16x16xf32> -> tensor<16x16xf32, #blk>
    %z = arith.constant dense<0.0> : tensor<16x16xf32, #mma>
    %cs = tile.convert_layout %c {offset = 0 : i64} : tensor<16x16xf32, #blk> -> tensor<16x16xf32, #sh>
    %s = tile.dot %cs, %cs, %z {transpose_b} : tensor<16x16xf32, #sh>, tensor<16x16xf32, #sh> -> tensor<16x16xf32, #mma>
    tile.store %s, %Y[%i, %c0, %c0] dims [1, 2] : tensor<16x16xf32, #mma>, memref<?x16x16xf32>
  }
  return
}
