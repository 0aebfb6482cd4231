// RUN: smc-opt %s -split-input-file --sma-tiles-to-gpu | FileCheck %s

// Grids, loads, stores and staging (products: tiles-to-gpu-dot.mlir;
// elementwise ops, scans and sums: tiles-to-gpu-compute.mlir; barriers:
// tiles-to-gpu-barriers.mlir).

// A grid is a gpu.launch of one block per grid point (the product of the
// sizes, the last dim fastest in the block index) and 32 threads a warp; a
// grid with staged tiles asks for their dynamic shared memory, and a grid
// without num_warps has 4. A scalar tile.load is a memref.load by every
// thread; a scalar store is made by the block's first thread.

// CHECK-LABEL: func.func @grid
// CHECK-SAME:      (%[[A:[^:]*]]: memref<?x8xf32>, %[[N:[^:]*]]: index, %[[H:[^:]*]]: index)
// CHECK:         %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT:    %[[B0:.*]] = arith.muli %[[ONE]], %[[N]] : index
// CHECK-NEXT:    %[[BLOCKS:.*]] = arith.muli %[[B0]], %[[H]] : index
// CHECK-NEXT:    %[[THREADS:.*]] = arith.constant 64 : index
// CHECK-NEXT:    gpu.launch blocks(%[[BX:[^,]*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[BLOCKS]], %{{.*}} = %[[ONE]], %{{.*}} = %[[ONE]]) threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %[[THREADS]], %{{.*}} = %[[ONE]], %{{.*}} = %[[ONE]]) {
// CHECK-NEXT:      %[[I:.*]] = arith.divui %[[BX]], %[[H]] : index
// CHECK-NEXT:      %[[J:.*]] = arith.remui %[[BX]], %[[H]] : index
// CHECK-NEXT:      %[[V:.*]] = memref.load %[[A]][%[[I]], %[[J]]] : memref<?x8xf32>
// CHECK-NEXT:      %[[TID:.*]] = gpu.thread_id  x
// CHECK-NEXT:      %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-NEXT:      %[[FIRST:.*]] = arith.cmpi eq, %[[TID]], %[[ZERO]] : index
// CHECK-NEXT:      %[[E:.*]] = math.exp %[[V]] : f32
// CHECK-NEXT:      scf.if %[[FIRST]] {
// CHECK-NEXT:        memref.store %[[E]], %[[A]][%[[I]], %[[J]]] : memref<?x8xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      gpu.terminator
// CHECK-NEXT:    }
// CHECK:         %[[B1:.*]] = arith.muli %{{.*}}, %[[N]] : index
// CHECK-NEXT:    %[[THREADS4:.*]] = arith.constant 128 : index
// CHECK-NEXT:    %[[SHARED:.*]] = arith.constant 4096 : i32
// CHECK-NEXT:    gpu.launch blocks({{.*}}) in (%{{.*}} = %[[B1]], {{.*}}) threads({{.*}}) in (%{{.*}} = %[[THREADS4]], {{.*}}) dynamic_shared_memory_size %[[SHARED]] {
// CHECK-NOT:     tile.
func.func @grid(%A: memref<?x8xf32>, %n: index, %h: index) {
  tile.grid (%i, %j) in (%n, %h) attributes {num_warps = 2, tile.shared_bytes = 0 : i64} {
    %a = tile.load %A[%i, %j] : memref<?x8xf32> -> f32
    %e = math.exp %a : f32
    memref.store %e, %A[%i, %j] : memref<?x8xf32>
  }
  tile.grid (%i) in (%n) attributes {tile.shared_bytes = 4096 : i64} {
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 8], threads = [16, 2], warps = [1, 1]>

// A blocked [32, 16] bf16 tile in one warp: each thread holds two pieces of
// 8 consecutive elements (16 bytes), rows r and r + 16 with r = lane / 2,
// columns 8 (lane % 2). Each piece is one vector access. The row bound
// %len: loads read from a row clamped to max(len, 1) - 1 and select zeros
// past the bound (no branch); stores past the bound are skipped. The
// column bound is the tile's width: no check.

// CHECK-LABEL: func.func @bounds
// CHECK-SAME:      (%[[X:[^:]*]]: memref<?x?x16xbf16>, %[[Y:[^:]*]]: memref<?x?x16xbf16>, %{{.*}}: index, %[[T:[^:]*]]: index, %[[LEN:[^:]*]]: index)
// CHECK:         gpu.launch blocks(%[[BX:[^,]*]], %{{.*}}, %{{.*}}) in
// CHECK:           %[[TID:.*]] = gpu.thread_id  x
// CHECK:           %[[LANE:.*]] = arith.remui %[[TID]], %{{.*}} : index
// CHECK:           %[[M0:.*]] = arith.maxui %[[LEN]], %[[ONE:.*]] : index
// CHECK-NEXT:      %[[LAST0:.*]] = arith.subi %[[M0]], %[[ONE]] : index
// CHECK:           %[[R0:.*]] = arith.divui %[[LANE]], %{{.*}} : index
// CHECK-NEXT:      %[[R1:.*]] = arith.remui %[[R0]], %{{.*}} : index
// CHECK:           %[[CROW:.*]] = arith.minui %[[ROW:.*]], %[[LAST0]] : index
// CHECK-NEXT:      %[[IDX0:.*]] = arith.addi %[[T]], %[[CROW]] : index
// CHECK-NEXT:      %[[P0:.*]] = vector.load %[[X]][%[[BX]], %[[IDX0]], %{{.*}}] {alignment = 16 : i64} : memref<?x?x16xbf16>, vector<8xbf16>
// CHECK:           %[[CROW16:.*]] = arith.minui %[[ROW16:.*]], %{{.*}} : index
// CHECK-NEXT:      %[[IDX1:.*]] = arith.addi %[[T]], %[[CROW16]] : index
// CHECK-NEXT:      %[[P1:.*]] = vector.load %[[X]][%[[BX]], %[[IDX1]], %{{.*}}] {alignment = 16 : i64} : memref<?x?x16xbf16>, vector<8xbf16>
// CHECK-NOT:       vector.load
// CHECK:           %[[Z1:.*]] = arith.constant dense<0.000000e+00> : vector<8xbf16>
// CHECK-NEXT:      %[[IN1:.*]] = arith.cmpi ult, %[[ROW16]], %[[LEN]] : index
// CHECK-NEXT:      %{{.*}} = arith.select %[[IN1]], %[[P1]], %[[Z1]] : vector<8xbf16>
// CHECK:           %[[Z0:.*]] = arith.constant dense<0.000000e+00> : vector<8xbf16>
// CHECK-NEXT:      %[[IN0:.*]] = arith.cmpi ult, %[[ROW]], %[[LEN]] : index
// CHECK-NEXT:      %{{.*}} = arith.select %[[IN0]], %[[P0]], %[[Z0]] : vector<8xbf16>
// CHECK:           %[[S0:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7] : vector<16xbf16>, vector<16xbf16>
// CHECK:           %[[SCLAMP0:.*]] = arith.minui %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      %[[SIDX0:.*]] = arith.addi %[[T]], %[[SCLAMP0]] : index
// CHECK-NEXT:      scf.if %{{.*}} {
// CHECK-NEXT:        vector.store %[[S0]], %[[Y]][%[[BX]], %[[SIDX0]], %{{.*}}] {alignment = 16 : i64} : memref<?x?x16xbf16>, vector<8xbf16>
// CHECK-NEXT:      }
// CHECK:           %[[S1:.*]] = vector.shuffle %{{.*}}, %{{.*}} [8, 9, 10, 11, 12, 13, 14, 15] : vector<16xbf16>, vector<16xbf16>
// CHECK:           scf.if %{{.*}} {
// CHECK-NEXT:        vector.store %[[S1]], %[[Y]]{{.*}}
// CHECK-NEXT:      }
// CHECK-NEXT:      gpu.terminator
func.func @bounds(%X: memref<?x?x16xbf16>, %Y: memref<?x?x16xbf16>, %n: index, %t: index, %len: index) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 0 : i64} {
    %x = tile.load %X[%i, %t, %c0] dims [1, 2] bounds(%len, %c16) : memref<?x?x16xbf16> -> tensor<32x16xbf16, #blk>
    tile.store %x, %Y[%i, %t, %c0] dims [1, 2] bounds(%len, %c16) : tensor<32x16xbf16, #blk>, memref<?x?x16xbf16>
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 4], threads = [2, 16], warps = [1, 1]>
#mma = #tile.mma<warps = 1>
#sh = #tile.shared<pad = 4>

// A 1-d tile in a slice layout moves to another register layout through
// shared memory: a view of the dynamic shared memory at the tile's offset,
// a store of every thread's slots, a barrier, a read in the new layout. A
// slice layout's replicas (here the lanes of an mma row that differ in the
// column) do not store: only the lanes whose column part is 0 write Y.

// CHECK-LABEL: func.func @stage
// CHECK-SAME:      (%{{.*}}: memref<?x16xf32>, %[[Y:[^:]*]]: memref<?x16xf32>, %{{.*}}: index)
// CHECK:         gpu.launch {{.*}} dynamic_shared_memory_size %{{.*}} {
// CHECK-COUNT-8:   vector.load %{{.*}} : memref<?x16xf32>, vector<1xf32>
// CHECK:           %[[SMEM:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK-NEXT:      %[[VIEW:.*]] = memref.view %[[SMEM]][%[[OFF:.*]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<16xf32, #gpu.address_space<workgroup>>
// CHECK-COUNT-8:   vector.store %{{.*}}, %[[VIEW]][%{{.*}}] {alignment = 4 : i64} : memref<16xf32, #gpu.address_space<workgroup>>, vector<1xf32>
// CHECK:           gpu.barrier
// CHECK-NEXT:      vector.load %[[VIEW]][%{{.*}}] {alignment = 4 : i64} : memref<16xf32, #gpu.address_space<workgroup>>, vector<1xf32>
// CHECK:           vector.load %[[VIEW]][%{{.*}}] {alignment = 4 : i64} : memref<16xf32, #gpu.address_space<workgroup>>, vector<1xf32>
// CHECK:           %[[OWNER:.*]] = arith.cmpi eq, %{{.*}}, %{{.*}} : index
// CHECK-NEXT:      scf.if %[[OWNER]] {
// CHECK-NEXT:        vector.store %{{.*}}, %[[Y]]{{.*}}
// CHECK-NEXT:      }
// CHECK:           scf.if %[[OWNER]] {
// CHECK-NEXT:        vector.store %{{.*}}, %[[Y]]{{.*}}
// CHECK-NEXT:      }
// CHECK-NEXT:      gpu.terminator
func.func @stage(%A: memref<?x16xf32>, %Y: memref<?x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 64 : i64} {
    %a = tile.load %A[%i, %c0] dims [1] : memref<?x16xf32> -> tensor<16xf32, #tile.slice<dim = 1, parent = #blk>>
    %s = tile.convert_layout %a {offset = 0 : i64} : tensor<16xf32, #tile.slice<dim = 1, parent = #blk>> -> tensor<16xf32, #sh>
    %r = tile.convert_layout %s : tensor<16xf32, #sh> -> tensor<16xf32, #tile.slice<dim = 1, parent = #mma>>
    tile.store %r, %Y[%i, %c0] dims [1] : tensor<16xf32, #tile.slice<dim = 1, parent = #mma>>, memref<?x16xf32>
  }
  return
}
