// RUN: smc-opt %s -split-input-file --sma-assign-layouts | FileCheck %s

// The attention step of a quadratic tile in 4 warps: loads take the
// default blocked layout (16-byte pieces: 8 bf16 a thread, lanes along the
// rows first, warps down the columns); a product's accumulator and result
// are #tile.mma; its operands are staged in shared memory (rows padded by
// 16 bytes), each tile at its own 128-byte aligned offset, all three before
// the first product, and the grid records the total. The bf16 scores,
// computed in the mma layout, are the next product's A operand straight
// from registers.

// CHECK-DAG: #[[$BLOCKED0:blocked[0-9]*]] = #tile.blocked<size = [1, 8], threads = [2, 16], warps = [4, 1]>
// CHECK-DAG: #[[$BLOCKED1:blocked[0-9]*]] = #tile.blocked<size = [1, 8], threads = [4, 8], warps = [4, 1]>
// CHECK-LABEL: func.func @attention
// CHECK:         tile.grid (%{{.*}}) in (%{{.*}}) attributes {num_warps = 4 : i64, tile.shared_bytes = 44032 : i64} {
// CHECK-NEXT:      %[[C:.*]] = tile.load {{.*}} -> tensor<64x128xbf16, #[[$BLOCKED0]]>
// CHECK-NEXT:      %[[B:.*]] = tile.load {{.*}} -> tensor<64x128xbf16, #[[$BLOCKED0]]>
// CHECK-NEXT:      %[[X:.*]] = tile.load {{.*}} -> tensor<64x64xbf16, #[[$BLOCKED1]]>
// CHECK-NEXT:      %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #mma>
// CHECK-NEXT:      %[[CS:.*]] = tile.convert_layout %[[C]] {offset = 0 : i64} : tensor<64x128xbf16, #[[$BLOCKED0]]> -> tensor<64x128xbf16, #shared{{[0-9]*}}>
// CHECK-NEXT:      %[[BS:.*]] = tile.convert_layout %[[B]] {offset = 17408 : i64} : tensor<64x128xbf16, #[[$BLOCKED0]]> -> tensor<64x128xbf16, #shared{{[0-9]*}}>
// CHECK-NEXT:      %[[XS:.*]] = tile.convert_layout %[[X]] {offset = 34816 : i64} : tensor<64x64xbf16, #[[$BLOCKED1]]> -> tensor<64x64xbf16, #shared{{[0-9]*}}>
// CHECK-NEXT:      %[[S:.*]] = tile.dot %[[CS]], %[[BS]], %[[Z]] {transpose_b, tril_result} : tensor<64x128xbf16, #shared{{[0-9]*}}>, tensor<64x128xbf16, #shared{{[0-9]*}}> -> tensor<64x64xf32, #mma>
// CHECK-NEXT:      %[[SB:.*]] = arith.truncf %[[S]] : tensor<64x64xf32, #mma> to tensor<64x64xbf16, #mma>
// CHECK-NEXT:      %[[Y:.*]] = tile.dot %[[SB]], %[[XS]], %[[Z]] {tril_a} : tensor<64x64xbf16, #mma>, tensor<64x64xbf16, #shared{{[0-9]*}}> -> tensor<64x64xf32, #mma>
// CHECK-NEXT:      tile.store %[[Y]], {{.*}} : tensor<64x64xf32, #mma>, memref<?x?x8x64xf32>
func.func @attention(%C: memref<?x?x1x128xbf16>, %B: memref<?x?x1x128xbf16>, %X: memref<?x?x8x64xbf16>, %Y: memref<?x?x8x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %c = tile.load %C[%c0, %i, %c0, %c0] dims [1, 3] : memref<?x?x1x128xbf16> -> tensor<64x128xbf16>
    %b = tile.load %B[%c0, %i, %c0, %c0] dims [1, 3] : memref<?x?x1x128xbf16> -> tensor<64x128xbf16>
    %x = tile.load %X[%c0, %i, %c0, %c0] dims [1, 3] : memref<?x?x8x64xbf16> -> tensor<64x64xbf16>
    %z = arith.constant dense<0.0> : tensor<64x64xf32>
    %s = tile.dot %c, %b, %z {transpose_b, tril_result} : tensor<64x128xbf16>, tensor<64x128xbf16> -> tensor<64x64xf32>
    %sb = arith.truncf %s : tensor<64x64xf32> to tensor<64x64xbf16>
    %y = tile.dot %sb, %x, %z {tril_a} : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
    tile.store %y, %Y[%c0, %i, %c0, %c0] dims [1, 3] : tensor<64x64xf32>, memref<?x?x8x64xf32>
  }
  return
}

// -----

// A transposed A operand is always staged, even when computed in the mma
// layout; so is an f32 one (rows padded by 4 elements). A tile constant
// defined outside the grid is recomputed inside it in the layout it needs.

// CHECK-DAG: #[[$MMA0:mma[0-9]*]] = #tile.mma<warps = 1>
// CHECK-LABEL: func.func @staged_a
// CHECK:         tile.grid (%{{.*}}) in (%{{.*}}) attributes {num_warps = 1 : i64, tile.shared_bytes = 2816 : i64} {
// CHECK-NEXT:      %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<16x16xf32, #[[$MMA0]]>
// CHECK:           %[[S:.*]] = tile.dot %{{.*}}, %{{.*}}, %[[Z]] {transpose_b} : {{.*}} -> tensor<16x16xf32, #[[$MMA0]]>
// CHECK-NEXT:      %[[SB:.*]] = arith.truncf %[[S]] : tensor<16x16xf32, #[[$MMA0]]> to tensor<16x16xbf16, #[[$MMA0]]>
// CHECK-NEXT:      %[[SBS:.*]] = tile.convert_layout %[[SB]] {offset = 768 : i64} : tensor<16x16xbf16, #[[$MMA0]]> -> tensor<16x16xbf16, #shared{{[0-9]*}}>
// CHECK-NEXT:      %[[T:.*]] = tile.dot %[[SBS]], %{{.*}}, %[[Z]] {transpose_a} : tensor<16x16xbf16, #shared{{[0-9]*}}>, tensor<16x16xbf16, #shared{{[0-9]*}}> -> tensor<16x16xf32, #[[$MMA0]]>
// CHECK-NEXT:      %[[TS:.*]] = tile.convert_layout %[[T]] {offset = 1536 : i64} : tensor<16x16xf32, #[[$MMA0]]> -> tensor<16x16xf32, #shared{{[0-9]*}}>
// CHECK-NEXT:      %[[U:.*]] = tile.dot %[[TS]], %[[TS]], %[[Z]] : tensor<16x16xf32, #shared{{[0-9]*}}>, tensor<16x16xf32, #shared{{[0-9]*}}> -> tensor<16x16xf32, #[[$MMA0]]>
func.func @staged_a(%C: memref<?x16x16xbf16>, %Y: memref<?x16x16xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %z = arith.constant dense<0.0> : tensor<16x16xf32>
  tile.grid (%i) in (%n) attributes {num_warps = 1} {
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x16x16xbf16> -> tensor<16x16xbf16>
    %s = tile.dot %c, %c, %z {transpose_b} : tensor<16x16xbf16>, tensor<16x16xbf16> -> tensor<16x16xf32>
    %sb = arith.truncf %s : tensor<16x16xf32> to tensor<16x16xbf16>
    %t = tile.dot %sb, %c, %z {transpose_a} : tensor<16x16xbf16>, tensor<16x16xbf16> -> tensor<16x16xf32>
    %u = tile.dot %t, %t, %z : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
    tile.store %u, %Y[%i, %c0, %c0] dims [1, 2] : tensor<16x16xf32>, memref<?x16x16xf32>
  }
  return
}

// -----

// A 1-d tile broadcast along the rows of an mma tile is loaded (and its
// exponential computed) in the slice of the mma layout; an f32 product's
// operands are staged with 4 elements of padding, the same tile once.

// CHECK-DAG: #[[$BLOCKED0:blocked[0-9]*]] = #tile.blocked<size = [1, 4], threads = [8, 4], warps = [4, 1]>
// CHECK-DAG: #[[$SLICE0:slice[0-9]*]] = #tile.slice<dim = 1, parent = #mma>
// CHECK-LABEL: func.func @broadcast
// CHECK:         tile.grid (%{{.*}}) in (%{{.*}}) attributes {num_warps = 4 : i64, tile.shared_bytes = 5120 : i64} {
// CHECK:           %[[CS:.*]] = tile.convert_layout %{{.*}} {offset = 0 : i64} : tensor<64x16xf32, #[[$BLOCKED0]]> -> tensor<64x16xf32, #shared{{[0-9]*}}>
// CHECK-NEXT:      %[[S:.*]] = tile.dot %[[CS]], %[[CS]], %{{.*}} {transpose_b} : tensor<64x16xf32, #shared{{[0-9]*}}>, tensor<64x16xf32, #shared{{[0-9]*}}> -> tensor<64x64xf32, #mma>
// CHECK-NEXT:      %[[A:.*]] = tile.load {{.*}} dims [1] : memref<?x64xf32> -> tensor<64xf32, #[[$SLICE0]]>
// CHECK-NEXT:      %[[E:.*]] = math.exp %[[A]] : tensor<64xf32, #[[$SLICE0]]>
// CHECK-NEXT:      %[[R:.*]] = tile.broadcast %[[E]] dims [1] : tensor<64xf32, #[[$SLICE0]]> -> tensor<64x64xf32, #mma>
// CHECK-NEXT:      %[[W:.*]] = arith.mulf %[[S]], %[[R]] : tensor<64x64xf32, #mma>
// CHECK-NOT:       tile.convert_layout
func.func @broadcast(%C: memref<?x64x16xf32>, %A: memref<?x64xf32>, %Y: memref<?x64x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x64x16xf32> -> tensor<64x16xf32>
    %z = arith.constant dense<0.0> : tensor<64x64xf32>
    %s = tile.dot %c, %c, %z {transpose_b} : tensor<64x16xf32>, tensor<64x16xf32> -> tensor<64x64xf32>
    %a = tile.load %A[%i, %c0] dims [1] : memref<?x64xf32> -> tensor<64xf32>
    %e = math.exp %a : tensor<64xf32>
    %rows = tile.broadcast %e dims [1] : tensor<64xf32> -> tensor<64x64xf32>
    %w = arith.mulf %s, %rows : tensor<64x64xf32>
    tile.store %w, %Y[%i, %c0, %c0] dims [1, 2] : tensor<64x64xf32>, memref<?x64x64xf32>
  }
  return
}

// -----

// A sum's result is the slice of its operand's layout (a one-warp grid:
// a row of 128 f32 across the 32 lanes, 4 a lane).

// CHECK-DAG: #[[$BLOCKED0:blocked[0-9]*]] = #tile.blocked<size = [1, 4], threads = [1, 32], warps = [1, 1]>
// CHECK-DAG: #[[$SLICE0:slice[0-9]*]] = #tile.slice<dim = 1, parent = #[[$BLOCKED0]]>
// CHECK-LABEL: func.func @sum
// CHECK:         tile.grid (%{{.*}}) in (%{{.*}}) attributes {num_warps = 1 : i64, tile.shared_bytes = 0 : i64} {
// CHECK-NEXT:      %[[H:.*]] = tile.load {{.*}} -> tensor<8x128xf32, #[[$BLOCKED0]]>
// CHECK-NEXT:      %[[E:.*]] = math.exp %[[H]] : tensor<8x128xf32, #[[$BLOCKED0]]>
// CHECK-NEXT:      %[[Y:.*]] = tile.sum %[[E]] dim 1 : tensor<8x128xf32, #[[$BLOCKED0]]> -> tensor<8xf32, #[[$SLICE0]]>
// CHECK-NEXT:      tile.store %[[Y]], {{.*}} : tensor<8xf32, #[[$SLICE0]]>, memref<?x8xf32>
func.func @sum(%H: memref<?x8x128xf32>, %Y: memref<?x8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1} {
    %h = tile.load %H[%i, %c0, %c0] dims [1, 2] : memref<?x8x128xf32> -> tensor<8x128xf32>
    %e = math.exp %h : tensor<8x128xf32>
    %y = tile.sum %e dim 1 : tensor<8x128xf32> -> tensor<8xf32>
    tile.store %y, %Y[%i, %c0] dims [1] : tensor<8xf32>, memref<?x8xf32>
  }
  return
}

// -----

// A cumsum and its operand take the one-warp scan layout: element i in
// lane i % 32.

// CHECK-DAG: #[[$BLOCKED0:blocked[0-9]*]] = #tile.blocked<size = [1], threads = [32], warps = [1]>
// CHECK-LABEL: func.func @cumsum
// CHECK:         %[[A:.*]] = tile.load {{.*}} -> tensor<64xf32, #[[$BLOCKED0]]>
// CHECK-NEXT:    %[[S:.*]] = tile.cumsum %[[A]] : tensor<64xf32, #[[$BLOCKED0]]>
// CHECK-NEXT:    tile.store %[[S]], {{.*}} : tensor<64xf32, #[[$BLOCKED0]]>, memref<?x64xf32>
func.func @cumsum(%A: memref<?x64xf32>, %S: memref<?x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 1} {
    %a = tile.load %A[%i, %c0] dims [1] : memref<?x64xf32> -> tensor<64xf32>
    %s = tile.cumsum %a : tensor<64xf32>
    tile.store %s, %S[%i, %c0] dims [1] : tensor<64xf32>, memref<?x64xf32>
  }
  return
}

// -----

// A load used in two layouts (added to an mma accumulator and to a tile
// carried by a loop, which is blocked) is loaded twice, once in each, and
// never converted; so is the zero constant.

// CHECK-DAG: #[[$BLOCKED0:blocked[0-9]*]] = #tile.blocked<size = [1, 4], threads = [2, 16], warps = [4, 1]>
// CHECK-LABEL: func.func @rematerialize
// CHECK:         tile.grid
// CHECK-NEXT:      %[[XM:.*]] = tile.load %[[XMEM:.*]][{{.*}}] dims [1, 2] : memref<?x64x64xf32> -> tensor<64x64xf32, #mma>
// CHECK:           %[[S:.*]] = tile.dot {{.*}} -> tensor<64x64xf32, #mma>
// CHECK-NEXT:      %[[W:.*]] = arith.addf %[[S]], %[[XM]] : tensor<64x64xf32, #mma>
// CHECK-NEXT:      %[[XB:.*]] = tile.load %[[XMEM]][{{.*}}] dims [1, 2] : memref<?x64x64xf32> -> tensor<64x64xf32, #[[$BLOCKED0]]>
// CHECK-NEXT:      %[[ZB:.*]] = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #[[$BLOCKED0]]>
// CHECK-NEXT:      %[[H:.*]] = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[ZB]]) -> (tensor<64x64xf32, #[[$BLOCKED0]]>) {
// CHECK-NEXT:        %[[N:.*]] = arith.addf %[[ACC]], %[[XB]] : tensor<64x64xf32, #[[$BLOCKED0]]>
// CHECK-NEXT:        scf.yield %[[N]]
// CHECK-NEXT:      }
// CHECK-NEXT:      tile.store %[[W]], {{.*}} : tensor<64x64xf32, #mma>, memref<?x64x64xf32>
// CHECK-NEXT:      tile.store %[[H]], {{.*}} : tensor<64x64xf32, #[[$BLOCKED0]]>, memref<?x64x64xf32>
// CHECK-NOT:       tile.convert_layout {{.*}}memref<?x64x64xf32>
func.func @rematerialize(%X: memref<?x64x64xf32>, %C: memref<?x64x16xbf16>, %Y: memref<?x64x64xf32>, %n: index, %k: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %x = tile.load %X[%i, %c0, %c0] dims [1, 2] : memref<?x64x64xf32> -> tensor<64x64xf32>
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x64x16xbf16> -> tensor<64x16xbf16>
    %z = arith.constant dense<0.0> : tensor<64x64xf32>
    %s = tile.dot %c, %c, %z {transpose_b} : tensor<64x16xbf16>, tensor<64x16xbf16> -> tensor<64x64xf32>
    %w = arith.addf %s, %x : tensor<64x64xf32>
    %h = scf.for %j = %c0 to %k step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32>) {
      %n2 = arith.addf %acc, %x : tensor<64x64xf32>
      scf.yield %n2 : tensor<64x64xf32>
    }
    tile.store %w, %Y[%i, %c0, %c0] dims [1, 2] : tensor<64x64xf32>, memref<?x64x64xf32>
    tile.store %h, %Y[%i, %c0, %c0] dims [1, 2] : tensor<64x64xf32>, memref<?x64x64xf32>
  }
  return
}

// -----

// A value that is not cheap to recompute (a sum) needed in another register
// layout (the slice of the mma layout its broadcast needs) moves through
// shared memory: a store in its own layout, a read in the other.

// CHECK-DAG: #[[$BLOCKED0:blocked[0-9]*]] = #tile.blocked<size = [1, 4], threads = [2, 16], warps = [4, 1]>
// CHECK-DAG: #[[$SLICE0:slice[0-9]*]] = #tile.slice<dim = 1, parent = #[[$BLOCKED0]]>
// CHECK-DAG: #[[$SLICE1:slice[0-9]*]] = #tile.slice<dim = 1, parent = #mma>
// CHECK-LABEL: func.func @through_shared
// CHECK:         tile.grid (%{{.*}}) in (%{{.*}}) attributes {num_warps = 4 : i64, tile.shared_bytes = 3328 : i64} {
// CHECK:           %[[R:.*]] = tile.sum %{{.*}} dim 1 : {{.*}} -> tensor<64xf32, #[[$SLICE0]]>
// CHECK:           %[[RS:.*]] = tile.convert_layout %[[R]] {offset = 3072 : i64} : tensor<64xf32, #[[$SLICE0]]> -> tensor<64xf32, #shared{{[0-9]*}}>
// CHECK-NEXT:      %[[RM:.*]] = tile.convert_layout %[[RS]] : tensor<64xf32, #shared{{[0-9]*}}> -> tensor<64xf32, #[[$SLICE1]]>
// CHECK:           tile.broadcast %[[RM]] dims [1] : tensor<64xf32, #[[$SLICE1]]> -> tensor<64x64xf32, #mma>
func.func @through_shared(%H: memref<?x64x64xf32>, %C: memref<?x64x16xbf16>, %Y: memref<?x64x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %h = tile.load %H[%i, %c0, %c0] dims [1, 2] : memref<?x64x64xf32> -> tensor<64x64xf32>
    %e = math.exp %h : tensor<64x64xf32>
    %r = tile.sum %e dim 1 : tensor<64x64xf32> -> tensor<64xf32>
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x64x16xbf16> -> tensor<64x16xbf16>
    %z = arith.constant dense<0.0> : tensor<64x64xf32>
    %s = tile.dot %c, %c, %z {transpose_b} : tensor<64x16xbf16>, tensor<64x16xbf16> -> tensor<64x64xf32>
    %rb = tile.broadcast %r dims [1] : tensor<64xf32> -> tensor<64x64xf32>
    %w = arith.mulf %s, %rb : tensor<64x64xf32>
    tile.store %w, %Y[%i, %c0, %c0] dims [1, 2] : tensor<64x64xf32>, memref<?x64x64xf32>
  }
  return
}

// -----

// A sum of an accumulator (#tile.mma) reads it in a blocked layout with
// the warps down the rows, converted through shared memory; a second sum
// whose result joins the first's (their sum is one class) reads its input
// in the same blocked layout, whose slice both results are, though its
// input is narrower.

// CHECK-LABEL: func.func @sum_of_accumulator
// CHECK:         %[[S:.*]] = tile.dot {{.*}} -> tensor<64x64xf32, #mma>
// CHECK:         %[[ST:.*]] = tile.convert_layout %[[S]] {{.*}} -> tensor<64x64xf32, #shared{{[0-9]*}}>
// CHECK-NEXT:    %[[SB:.*]] = tile.convert_layout %[[ST]] : tensor<64x64xf32, #shared{{[0-9]*}}> -> tensor<64x64xf32, #[[$SRC:blocked[0-9]*]]>
// CHECK-NEXT:    %[[R:.*]] = tile.sum %[[SB]] dim 1 : tensor<64x64xf32, #[[$SRC]]> -> tensor<64xf32, #[[$SLICE:slice[0-9]*]]>
// CHECK:         tile.sum %{{.*}} dim 1 : tensor<64x32xf32, #[[$SRC]]> -> tensor<64xf32, #[[$SLICE]]>
// CHECK:         arith.addf %[[R]], %{{.*}} : tensor<64xf32, #[[$SLICE]]>
func.func @sum_of_accumulator(%C: memref<?x64x128xbf16>, %V: memref<?x64x32xf32>, %R: memref<?x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x64x128xbf16> -> tensor<64x128xbf16>
    %z = arith.constant dense<0.0> : tensor<64x64xf32>
    %s = tile.dot %c, %c, %z {transpose_b} : tensor<64x128xbf16>, tensor<64x128xbf16> -> tensor<64x64xf32>
    %r = tile.sum %s dim 1 : tensor<64x64xf32> -> tensor<64xf32>
    %v = tile.load %V[%i, %c0, %c0] dims [1, 2] : memref<?x64x32xf32> -> tensor<64x32xf32>
    %w = tile.sum %v dim 1 : tensor<64x32xf32> -> tensor<64xf32>
    %t = arith.addf %r, %w : tensor<64xf32>
    tile.store %t, %R[%i, %c0] dims [1] : tensor<64xf32>, memref<?x64xf32>
  }
  return
}
