// RUN: smc-opt %s -split-input-file --sma-tiles-to-gpu | FileCheck %s

#blk = #tile.blocked<size = [1, 8], threads = [16, 2], warps = [1, 1]>
#mma = #tile.mma<warps = 1>
#sh = #tile.shared<pad = 8>

// Tiles staged together share one barrier: C and X (a 16-byte piece a
// thread each) are both written to
// shared memory before the first product reads C, so a single barrier
// separates those writes from all the reads of both products.

// CHECK-LABEL: func.func @staged_together
// CHECK-NOT:       gpu.barrier
// CHECK:           %[[CV:.*]] = memref.view {{.*}} to memref<16x24xbf16, #gpu.address_space<workgroup>>
// CHECK-NEXT:      vector.store %{{.*}}, %[[CV]]
// CHECK:           %[[XV:.*]] = memref.view {{.*}} to memref<16x24xbf16, #gpu.address_space<workgroup>>
// CHECK-NEXT:      vector.store %{{.*}}, %[[XV]]
// CHECK-NOT:       gpu.barrier
// CHECK:           gpu.barrier
// CHECK-NEXT:      nvgpu.ldmatrix %[[CV]]
// CHECK-NOT:       gpu.barrier
// CHECK:           nvgpu.ldmatrix %[[XV]]
// CHECK-NOT:       gpu.barrier
// CHECK:           gpu.terminator
func.func @staged_together(%C: memref<?x16x16xbf16>, %X: memref<?x16x16xbf16>, %Y: memref<?x16x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 1536 : i64} {
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x16x16xbf16> -> tensor<16x16xbf16, #blk>
    %x = tile.load %X[%i, %c0, %c0] dims [1, 2] : memref<?x16x16xbf16> -> tensor<16x16xbf16, #blk>
    %z = arith.constant dense<0.0> : tensor<16x16xf32, #mma>
    %cs = tile.convert_layout %c {offset = 0 : i64} : tensor<16x16xbf16, #blk> -> tensor<16x16xbf16, #sh>
    %xs = tile.convert_layout %x {offset = 768 : i64} : tensor<16x16xbf16, #blk> -> tensor<16x16xbf16, #sh>
    %s = tile.dot %cs, %cs, %z {transpose_b} : tensor<16x16xbf16, #sh>, tensor<16x16xbf16, #sh> -> tensor<16x16xf32, #mma>
    %sb = arith.truncf %s : tensor<16x16xf32, #mma> to tensor<16x16xbf16, #mma>
    %y = tile.dot %sb, %xs, %z : tensor<16x16xbf16, #mma>, tensor<16x16xbf16, #sh> -> tensor<16x16xf32, #mma>
    tile.store %y, %Y[%i, %c0, %c0] dims [1, 2] : tensor<16x16xf32, #mma>, memref<?x16x16xf32>
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 8], threads = [16, 2], warps = [1, 1]>
#mma = #tile.mma<warps = 1>
#sh = #tile.shared<pad = 8>

// A loop that restages its operands each iteration (a pipelined state
// scan) needs two barriers an iteration: before the writes (the previous
// iteration's reads of the same tiles must be done) and before the reads.

// CHECK-LABEL: func.func @restaged
// CHECK-NOT:       gpu.barrier
// CHECK:           scf.for
// CHECK-NOT:         gpu.barrier
// CHECK:             %[[XV:.*]] = memref.view {{.*}}[%[[XOFF:.*]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<16x24xbf16, #gpu.address_space<workgroup>>
// CHECK-NEXT:        gpu.barrier
// CHECK-NEXT:        vector.store %{{.*}}, %[[XV]]
// CHECK:             %[[BV:.*]] = memref.view {{.*}} to memref<16x24xbf16, #gpu.address_space<workgroup>>
// CHECK-NEXT:        vector.store %{{.*}}, %[[BV]]
// CHECK-NOT:         gpu.barrier
// CHECK:             gpu.barrier
// CHECK-NEXT:        nvgpu.ldmatrix %[[XV]]
// CHECK:             nvgpu.ldmatrix %[[BV]]
// CHECK-NOT:         gpu.barrier
// CHECK:             scf.yield
// CHECK-NOT:       gpu.barrier
// CHECK:           gpu.terminator
func.func @restaged(%X: memref<?x?x16xbf16>, %B: memref<?x?x16xbf16>, %H: memref<?x16x16xf32>, %n: index, %lb: index, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 1536 : i64} {
    %z = arith.constant dense<0.0> : tensor<16x16xf32, #mma>
    %h = scf.for %k = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<16x16xf32, #mma>) {
      %row = arith.muli %k, %c16 : index
      %x = tile.load %X[%i, %row, %c0] dims [1, 2] : memref<?x?x16xbf16> -> tensor<16x16xbf16, #blk>
      %b = tile.load %B[%i, %row, %c0] dims [1, 2] : memref<?x?x16xbf16> -> tensor<16x16xbf16, #blk>
      %xs = tile.convert_layout %x {offset = 0 : i64} : tensor<16x16xbf16, #blk> -> tensor<16x16xbf16, #sh>
      %bs = tile.convert_layout %b {offset = 768 : i64} : tensor<16x16xbf16, #blk> -> tensor<16x16xbf16, #sh>
      %d = tile.dot %xs, %bs, %acc {transpose_a} : tensor<16x16xbf16, #sh>, tensor<16x16xbf16, #sh> -> tensor<16x16xf32, #mma>
      scf.yield %d : tensor<16x16xf32, #mma>
    }
    tile.store %h, %H[%i, %c0, %c0] dims [1, 2] : tensor<16x16xf32, #mma>, memref<?x16x16xf32>
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 8], threads = [16, 2], warps = [1, 1]>
#mma = #tile.mma<warps = 1>
#sh = #tile.shared<pad = 8>

// The first read of a staged tile is inside control flow that depends on
// the thread (a tril_a product skipping blocks per warp): the barrier goes
// before that scf.if, never inside it.

// CHECK-LABEL: func.func @branch
// CHECK:           vector.store %{{.*}}, %[[XV:.*]][%{{.*}}, %{{.*}}] {{.*}} : memref<16x24xbf16, #gpu.address_space<workgroup>>, vector<8xbf16>
// CHECK-NOT:       gpu.barrier
// CHECK:           %[[NEED:.*]] = arith.cmpi ult, %{{.*}}, %{{.*}} : index
// CHECK:           gpu.barrier
// CHECK-NEXT:      scf.if %[[NEED]] -> (vector<8xf32>) {
// CHECK-NOT:         gpu.barrier
// CHECK:             nvgpu.ldmatrix %[[XV]]
// CHECK-NOT:       gpu.barrier
// CHECK:           gpu.terminator
func.func @branch(%X: memref<?x16x16xbf16>, %S: memref<?x16x16xf32>, %Y: memref<?x16x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 768 : i64} {
    %s = tile.load %S[%i, %c0, %c0] dims [1, 2] : memref<?x16x16xf32> -> tensor<16x16xf32, #mma>
    %sb = arith.truncf %s : tensor<16x16xf32, #mma> to tensor<16x16xbf16, #mma>
    %x = tile.load %X[%i, %c0, %c0] dims [1, 2] : memref<?x16x16xbf16> -> tensor<16x16xbf16, #blk>
    %xs = tile.convert_layout %x {offset = 0 : i64} : tensor<16x16xbf16, #blk> -> tensor<16x16xbf16, #sh>
    %z = arith.constant dense<0.0> : tensor<16x16xf32, #mma>
    %y = tile.dot %sb, %xs, %z {tril_a} : tensor<16x16xbf16, #mma>, tensor<16x16xbf16, #sh> -> tensor<16x16xf32, #mma>
    tile.store %y, %Y[%i, %c0, %c0] dims [1, 2] : tensor<16x16xf32, #mma>, memref<?x16x16xf32>
  }
  return
}
