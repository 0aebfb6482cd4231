// RUN: smc-opt %s -split-input-file --sma-tiles-to-gpu | FileCheck %s

#blk = #tile.blocked<size = [1, 4], threads = [4, 8], warps = [1, 1]>

// Elementwise work on a tile is the same work on the 16 slots each thread
// holds (a [16, 32] f32 tile in one warp), in pieces of 8; a splat is a
// vector.broadcast. A tile.map whose body is elementwise runs on the
// pieces (its scalar operands splat); one with another op (here a
// vector.extract at a dynamic position) runs once per slot.

// CHECK-LABEL: func.func @elementwise
// CHECK-SAME:      %[[K:[^:]*]]: f32)
// CHECK:           %[[KS:.*]] = vector.broadcast %[[K]] : f32 to vector<16xf32>
// CHECK-DAG:       %[[K1:.*]] = vector.shuffle %[[KS]], %[[KS]] [8, 9, 10, 11, 12, 13, 14, 15] : vector<16xf32>, vector<16xf32>
// CHECK-DAG:       %[[A1:.*]] = vector.shuffle %[[A:.*]], %[[A]] [8, 9, 10, 11, 12, 13, 14, 15] : vector<16xf32>, vector<16xf32>
// CHECK-DAG:       %[[M1:.*]] = arith.mulf %[[A1]], %[[K1]] : vector<8xf32>
// CHECK-DAG:       %[[K0:.*]] = vector.shuffle %[[KS]], %[[KS]] [0, 1, 2, 3, 4, 5, 6, 7] : vector<16xf32>, vector<16xf32>
// CHECK-DAG:       %[[A0:.*]] = vector.shuffle %[[A]], %[[A]] [0, 1, 2, 3, 4, 5, 6, 7] : vector<16xf32>, vector<16xf32>
// CHECK-DAG:       %[[M0:.*]] = arith.mulf %[[A0]], %[[K0]] : vector<8xf32>
// CHECK:           %[[M:.*]] = vector.shuffle %[[M0]], %[[M1]] [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<8xf32>, vector<8xf32>
// CHECK-COUNT-2:   math.exp %{{.*}} : vector<8xf32>
// CHECK-NOT:       math.exp
// The vectorizable map: its body on each piece, with the constant and the
// scalar operand splat.
// CHECK:           %[[V1:.*]] = arith.addf %{{.*}}, %[[ONES:.*]] : vector<8xf32>
// CHECK-NEXT:      %[[KV1:.*]] = vector.broadcast %[[K]] : f32 to vector<8xf32>
// CHECK-NEXT:      arith.mulf %[[V1]], %[[KV1]] : vector<8xf32>
// CHECK-NEXT:      %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:      %[[ONES0:.*]] = vector.broadcast %[[ONE]] : f32 to vector<8xf32>
// CHECK:           %[[V0:.*]] = arith.addf %{{.*}}, %[[ONES0]] : vector<8xf32>
// CHECK-NEXT:      %[[KV0:.*]] = vector.broadcast %[[K]] : f32 to vector<8xf32>
// CHECK-NEXT:      arith.mulf %[[V0]], %[[KV0]] : vector<8xf32>
// The other map: its body for each of the 16 slots, then the slots
// gathered.
// CHECK-COUNT-16:  arith.addf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT:      vector.from_elements {{.*}} : vector<16xf32>
// CHECK-NOT:       tile.map
func.func @elementwise(%A: memref<?x16x32xf32>, %Y: memref<?x16x32xf32>, %n: index, %k: f32) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 0 : i64} {
    %a = tile.load %A[%i, %c0, %c0] dims [1, 2] : memref<?x16x32xf32> -> tensor<16x32xf32, #blk>
    %s = tensor.splat %k : tensor<16x32xf32, #blk>
    %m = arith.mulf %a, %s : tensor<16x32xf32, #blk>
    %e = math.exp %m : tensor<16x32xf32, #blk>
    %v = tile.map (%e, %k) : (tensor<16x32xf32, #blk>, f32) -> tensor<16x32xf32, #blk> {
    ^bb0(%x: f32, %kk: f32):
      %one = arith.constant 1.0 : f32
      %p = arith.addf %x, %one : f32
      %q = arith.mulf %p, %kk : f32
      tile.yield %q : f32
    }
    %t = tile.map (%v) : (tensor<16x32xf32, #blk>) -> tensor<16x32xf32, #blk> {
    ^bb0(%x: f32):
      %tbl = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : vector<4xf32>
      %c2 = arith.constant 2 : index
      %y = vector.extract %tbl[%c2] : f32 from vector<4xf32>
      %w = arith.addf %x, %y : f32
      tile.yield %w : f32
    }
    tile.store %t, %Y[%i, %c0, %c0] dims [1, 2] : tensor<16x32xf32, #blk>, memref<?x16x32xf32>
  }
  return
}

// -----

#mma = #tile.mma<warps = 1>
#rows = #tile.slice<dim = 1, parent = #mma>
#cols = #tile.slice<dim = 0, parent = #mma>

// In a [16, 16] mma tile a thread holds rows r, r + 8 (r = lane / 4) and
// columns c, c + 1, c + 8, c + 9 (c = 2 (lane % 4)), as 8 slots ordered by
// 8-column tile, then (r, c), (r, c + 1), (r + 8, c), (r + 8, c + 1). A
// broadcast along the rows picks each slot's row from the 2 slots of the
// row slice; along the columns, its column from the 4 of the column slice:
// one vector.shuffle each. A range is the thread's offset plus each slot's
// constant offset.

// CHECK-LABEL: func.func @broadcast
// CHECK:           %[[COLOFF:.*]] = arith.constant dense<[0, 1, 8, 9]> : vector<4xindex>
// CHECK:           %[[COLBASE:.*]] = vector.broadcast %{{.*}} : index to vector<4xindex>
// CHECK-NEXT:      %[[CR:.*]] = arith.addi %[[COLBASE]], %[[COLOFF]] : vector<4xindex>
// CHECK-NEXT:      %[[CB:.*]] = vector.shuffle %[[CR]], %[[CR]] [0, 1, 0, 1, 2, 3, 2, 3] : vector<4xindex>, vector<4xindex>
// CHECK-NEXT:      %[[ROWOFF:.*]] = arith.constant dense<[0, 8]> : vector<2xindex>
// CHECK:           %[[ROWBASE:.*]] = vector.broadcast %{{.*}} : index to vector<2xindex>
// CHECK-NEXT:      %[[RR:.*]] = arith.addi %[[ROWBASE]], %[[ROWOFF]] : vector<2xindex>
// CHECK-NEXT:      %[[RB:.*]] = vector.shuffle %[[RR]], %[[RR]] [0, 0, 1, 1, 0, 0, 1, 1] : vector<2xindex>, vector<2xindex>
// CHECK-NEXT:      %[[LE:.*]] = arith.cmpi ule, %[[CB]], %[[RB]] : vector<8xindex>
// CHECK:           %[[COLS:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 1, 0, 1, 2, 3, 2, 3] : vector<4xf32>, vector<4xf32>
// CHECK:           %[[ROWS:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 0, 1, 1, 0, 0, 1, 1] : vector<2xf32>, vector<2xf32>
// CHECK-NEXT:      %[[D:.*]] = arith.subf %[[ROWS]], %[[COLS]] : vector<8xf32>
// CHECK-NEXT:      arith.select %[[LE]], %[[D]], %{{.*}} : vector<8xi1>, vector<8xf32>
func.func @broadcast(%A: memref<?x16xf32>, %Y: memref<?x16x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 0 : i64} {
    %a = tile.load %A[%i, %c0] dims [1] : memref<?x16xf32> -> tensor<16xf32, #rows>
    %t = tile.broadcast %a dims [1] : tensor<16xf32, #rows> -> tensor<16x16xf32, #mma>
    %b = tile.load %A[%i, %c0] dims [1] : memref<?x16xf32> -> tensor<16xf32, #cols>
    %s = tile.broadcast %b dims [0] : tensor<16xf32, #cols> -> tensor<16x16xf32, #mma>
    %d = arith.subf %t, %s : tensor<16x16xf32, #mma>
    %r = tile.range : tensor<16xindex, #rows>
    %rb = tile.broadcast %r dims [1] : tensor<16xindex, #rows> -> tensor<16x16xindex, #mma>
    %c = tile.range : tensor<16xindex, #cols>
    %cb = tile.broadcast %c dims [0] : tensor<16xindex, #cols> -> tensor<16x16xindex, #mma>
    %le = arith.cmpi ule, %cb, %rb : tensor<16x16xindex, #mma>
    %z = arith.constant dense<0.0> : tensor<16x16xf32, #mma>
    %m = arith.select %le, %d, %z : tensor<16x16xi1, #mma>, tensor<16x16xf32, #mma>
    tile.store %m, %Y[%i, %c0, %c0] dims [1, 2] : tensor<16x16xf32, #mma>, memref<?x16x16xf32>
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 4], threads = [4, 8], warps = [1, 1]>

// Sums: each thread adds its slots of a row (or column), then the lanes
// along the summed dim add theirs with xor shuffles: along the columns
// (8 lanes, the lane's low bits) offsets 4, 2, 1; along the rows (4 lanes,
// the lane's high bits) offsets 16, 8.

// CHECK-LABEL: func.func @sums
// The sum of the thread's row (slots 12..15: its 4th row), then over lanes.
// CHECK:           %[[X15:.*]] = vector.extract %[[A:.*]][15] : f32 from vector<16xf32>
// CHECK-NEXT:      %[[X14:.*]] = vector.extract %[[A]][14] : f32 from vector<16xf32>
// CHECK-NEXT:      %[[X13:.*]] = vector.extract %[[A]][13] : f32 from vector<16xf32>
// CHECK-NEXT:      %[[X12:.*]] = vector.extract %[[A]][12] : f32 from vector<16xf32>
// CHECK-NEXT:      %[[P1:.*]] = arith.addf %[[X12]], %[[X13]] : f32
// CHECK-NEXT:      %[[P2:.*]] = arith.addf %[[P1]], %[[X14]] : f32
// CHECK-NEXT:      %[[P3:.*]] = arith.addf %[[P2]], %[[X15]] : f32
// CHECK-NEXT:      %[[S4:.*]], %{{.*}} = gpu.shuffle  xor %[[P3]], %c4_i32{{[_0-9]*}}, %{{.*}} : f32
// CHECK-NEXT:      %[[Q4:.*]] = arith.addf %[[P3]], %[[S4]] : f32
// CHECK-NEXT:      %[[S2:.*]], %{{.*}} = gpu.shuffle  xor %[[Q4]], %c2_i32{{[_0-9]*}}, %{{.*}} : f32
// CHECK-NEXT:      %[[Q2:.*]] = arith.addf %[[Q4]], %[[S2]] : f32
// CHECK-NEXT:      %[[S1:.*]], %{{.*}} = gpu.shuffle  xor %[[Q2]], %c1_i32{{[_0-9]*}}, %{{.*}} : f32
// CHECK-NEXT:      %[[ROW3:.*]] = arith.addf %[[Q2]], %[[S1]] : f32
// CHECK-COUNT-9:   gpu.shuffle  xor %{{.*}}, %c{{[421]}}_i32
// CHECK-NOT:       gpu.shuffle
// CHECK:           vector.from_elements %{{.*}}, %{{.*}}, %{{.*}}, %[[ROW3]] : vector<4xf32>
// The sum of the thread's column (slots 3, 7, 11, 15: its 4th column),
// then over lanes.
// CHECK:           %[[Y15:.*]] = vector.extract %[[A]][15] : f32 from vector<16xf32>
// CHECK-NEXT:      %[[Y11:.*]] = vector.extract %[[A]][11] : f32 from vector<16xf32>
// CHECK-NEXT:      %[[Y7:.*]] = vector.extract %[[A]][7] : f32 from vector<16xf32>
// CHECK-NEXT:      %[[Y3:.*]] = vector.extract %[[A]][3] : f32 from vector<16xf32>
// CHECK-NEXT:      %[[R1:.*]] = arith.addf %[[Y3]], %[[Y7]] : f32
// CHECK-NEXT:      %[[R2:.*]] = arith.addf %[[R1]], %[[Y11]] : f32
// CHECK-NEXT:      %[[R3:.*]] = arith.addf %[[R2]], %[[Y15]] : f32
// CHECK-NEXT:      %[[T16:.*]], %{{.*}} = gpu.shuffle  xor %[[R3]], %c16_i32{{[_0-9]*}}, %{{.*}} : f32
// CHECK-NEXT:      %[[U16:.*]] = arith.addf %[[R3]], %[[T16]] : f32
// CHECK-NEXT:      %[[T8:.*]], %{{.*}} = gpu.shuffle  xor %[[U16]], %c8_i32{{[_0-9]*}}, %{{.*}} : f32
// CHECK-NEXT:      %[[COL3:.*]] = arith.addf %[[U16]], %[[T8]] : f32
// CHECK-COUNT-6:   gpu.shuffle  xor %{{.*}}, %c{{16|8}}_i32
// CHECK-NOT:       gpu.shuffle
// CHECK:           vector.from_elements %{{.*}}, %{{.*}}, %{{.*}}, %[[COL3]] : vector<4xf32>
func.func @sums(%A: memref<?x16x32xf32>, %R: memref<?x16xf32>, %C: memref<?x32xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 0 : i64} {
    %a = tile.load %A[%i, %c0, %c0] dims [1, 2] : memref<?x16x32xf32> -> tensor<16x32xf32, #blk>
    %r = tile.sum %a dim 1 : tensor<16x32xf32, #blk> -> tensor<16xf32, #tile.slice<dim = 1, parent = #blk>>
    %c = tile.sum %a dim 0 : tensor<16x32xf32, #blk> -> tensor<32xf32, #tile.slice<dim = 0, parent = #blk>>
    tile.store %r, %R[%i, %c0] dims [1] : tensor<16xf32, #tile.slice<dim = 1, parent = #blk>>, memref<?x16xf32>
    tile.store %c, %C[%i, %c0] dims [1] : tensor<32xf32, #tile.slice<dim = 0, parent = #blk>>, memref<?x32xf32>
  }
  return
}

// -----

#scan = #tile.blocked<size = [1], threads = [32], warps = [1]>

// A cumsum of 64 elements in one warp (element i in lane i % 32): for each
// block of 32, an inclusive scan by shuffles up 1, 2, 4, 8, 16 (each added
// where the source lane exists), plus the running total of the blocks
// before, which lane 31 then passes on (shuffle idx).

// CHECK-LABEL: func.func @cumsum
// CHECK:           %[[E0:.*]] = vector.extract %[[V:.*]][0] : f32 from vector<2xf32>
// CHECK-NEXT:      %[[U1:.*]], %[[OK1:.*]] = gpu.shuffle  up %[[E0]], %[[O1:.*]], %[[W:.*]] : f32
// CHECK-NEXT:      %[[A1:.*]] = arith.addf %[[E0]], %[[U1]] : f32
// CHECK-NEXT:      %[[R1:.*]] = arith.select %[[OK1]], %[[A1]], %[[E0]] : f32
// CHECK-NEXT:      %{{.*}}, %{{.*}} = gpu.shuffle  up %[[R1]], %{{.*}} : f32
// CHECK-COUNT-3:   gpu.shuffle  up
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      %[[IN0:.*]] = arith.addf %{{.*}}, %[[ZERO]] : f32
// CHECK-NEXT:      %[[V0:.*]] = vector.insert %[[IN0]], %[[V]] [0] : f32 into vector<2xf32>
// CHECK-NEXT:      %[[E1:.*]] = vector.extract %[[V0]][1] : f32 from vector<2xf32>
// CHECK-COUNT-5:   gpu.shuffle  up
// CHECK:           %[[CARRY:.*]], %{{.*}} = gpu.shuffle  idx %[[IN0]], %[[L31:.*]], %{{.*}} : f32
// CHECK-NEXT:      %[[IN1:.*]] = arith.addf %{{.*}}, %[[CARRY]] : f32
// CHECK:           vector.insert %[[IN1]], %[[V0]] [1] : f32 into vector<2xf32>
func.func @cumsum(%A: memref<?x64xf32>, %S: memref<?x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1, tile.shared_bytes = 0 : i64} {
    %a = tile.load %A[%i, %c0] dims [1] : memref<?x64xf32> -> tensor<64xf32, #scan>
    %s = tile.cumsum %a : tensor<64xf32, #scan>
    tile.store %s, %S[%i, %c0] dims [1] : tensor<64xf32, #scan>, memref<?x64xf32>
  }
  return
}
