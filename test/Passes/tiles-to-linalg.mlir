// RUN: smc-opt %s -split-input-file --sma-tiles-to-linalg | FileCheck %s

// Grids are loop nests over [0, size); num_warps means nothing on the CPU.
// A scalar tile.load is a memref.load.

// CHECK-LABEL: func.func @grid
// CHECK-SAME:    (%[[N:.*]]: index)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[A:.*]] = memref.alloc(%[[N]])
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[N]] step %[[C1]] {
// CHECK-NEXT:      scf.for %[[J:.*]] = %[[C0]] to %[[C4]] step %[[C1]] {
// CHECK-NEXT:        %[[V:.*]] = memref.load %[[A]][%[[I]], %[[J]]] : memref<?x4xf32>
// CHECK-NEXT:        %[[W:.*]] = arith.addf %[[V]], %[[V]] : f32
// CHECK-NEXT:        memref.store %[[W]], %[[A]][%[[I]], %[[J]]]
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NOT:     tile.
func.func @grid(%n: index) {
  %c4 = arith.constant 4 : index
  %a = memref.alloc(%n) : memref<?x4xf32>
  tile.grid (%i, %j) in (%n, %c4) attributes {num_warps = 4} {
    %v = tile.load %a[%i, %j] : memref<?x4xf32> -> f32
    %w = arith.addf %v, %v : f32
    memref.store %w, %a[%i, %j] : memref<?x4xf32>
  }
  return
}

// -----

// A bounded load zeroes the tile and copies the window of min(bound, size)
// rows into it (a bound clamped to [0, size]); the rows past the bound are
// never read.

// CHECK-LABEL: func.func @load_bounds
// CHECK-SAME:    (%[[X:.*]]: memref<?x?x8x64xbf16>, %[[B:.*]]: index, %[[T:.*]]: index, %[[H:.*]]: index, %[[LEN:.*]]: index)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : bf16
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK:         %[[LO:.*]] = arith.maxsi %[[LEN]], %[[C0]] : index
// CHECK:         %[[ROWS:.*]] = arith.minsi %[[LO]], %[[C64]] : index
// CHECK:         %[[VIEW:.*]] = memref.subview %[[X]][%[[B]], %[[T]], %[[H]], 0] [1, %[[ROWS]], 1, 64] [1, 1, 1, 1] : memref<?x?x8x64xbf16> to memref<?x64xbf16, strided<[512, 1], offset: ?>>
// CHECK:         %[[SRC:.*]] = bufferization.to_tensor %[[VIEW]] restrict : memref<?x64xbf16, strided<[512, 1], offset: ?>> to tensor<?x64xbf16>
// CHECK:         %[[EMPTY:.*]] = bufferization.alloc_tensor() : tensor<64x64xbf16>
// CHECK:         %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : bf16) outs(%[[EMPTY]] : tensor<64x64xbf16>)
// CHECK:         %[[DST:.*]] = tensor.extract_slice %[[FILL]][0, 0] [%[[ROWS]], 64] [1, 1]
// CHECK:         %[[COPY:.*]] = linalg.copy ins(%[[SRC]] : tensor<?x64xbf16>) outs(%[[DST]] : tensor<?x64xbf16>)
// CHECK:         %[[TILE:.*]] = tensor.insert_slice %[[COPY]] into %[[FILL]][0, 0] [%[[ROWS]], 64] [1, 1] : tensor<?x64xbf16> into tensor<64x64xbf16>
// CHECK:         return %[[TILE]]
func.func @load_bounds(%X: memref<?x?x8x64xbf16>, %b: index, %t: index,
                       %h: index, %len: index) -> tensor<64x64xbf16> {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %x = tile.load %X[%b, %t, %h, %c0] dims [1, 3] bounds(%len, %c64)
      : memref<?x?x8x64xbf16> -> tensor<64x64xbf16>
  return %x : tensor<64x64xbf16>
}

// -----

// A bound of 0 (an empty sequence) reads nothing: the tile is zeros.

// CHECK-LABEL: func.func @load_empty
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[EMPTY:.*]] = bufferization.alloc_tensor() : tensor<8x4xf32>
// CHECK:         %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<8x4xf32>)
// CHECK-NEXT:    return %[[FILL]]
func.func @load_empty(%X: memref<16x4xf32>) -> tensor<8x4xf32> {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %x = tile.load %X[%c0, %c0] dims [0, 1] bounds(%c0, %c4)
      : memref<16x4xf32> -> tensor<8x4xf32>
  return %x : tensor<8x4xf32>
}

// -----

// Without bounds the whole window is copied, with no zero fill.

// CHECK-LABEL: func.func @load_full
// CHECK-SAME:    (%[[X:.*]]: memref<?x?x8x64xf32>, %[[B:.*]]: index, %[[T:.*]]: index, %[[H:.*]]: index)
// CHECK:         %[[VIEW:.*]] = memref.subview %[[X]][%[[B]], %[[T]], %[[H]], 0] [1, 16, 1, 64] [1, 1, 1, 1] : memref<?x?x8x64xf32> to memref<16x64xf32, strided<[512, 1], offset: ?>>
// CHECK:         %[[SRC:.*]] = bufferization.to_tensor %[[VIEW]] restrict
// CHECK:         %[[EMPTY:.*]] = tensor.empty() : tensor<16x64xf32>
// CHECK:         %[[COPY:.*]] = linalg.copy ins(%[[SRC]] : tensor<16x64xf32>) outs(%[[EMPTY]] : tensor<16x64xf32>)
// CHECK:         return %[[COPY]]
// CHECK-NOT:     linalg.fill
func.func @load_full(%X: memref<?x?x8x64xf32>, %b: index, %t: index,
                     %h: index) -> tensor<16x64xf32> {
  %c0 = arith.constant 0 : index
  %x = tile.load %X[%b, %t, %h, %c0] dims [1, 3]
      : memref<?x?x8x64xf32> -> tensor<16x64xf32>
  return %x : tensor<16x64xf32>
}

// -----

// A bounded store copies the in-bound part of the tile into a writable
// tensor of the window and materializes it there (bufferization writes the
// copy in place; the materialization becomes a self-copy).

// CHECK-LABEL: func.func @store_bounds
// CHECK-SAME:    (%[[V:.*]]: tensor<64x64xf32>, %[[Y:.*]]: memref<?x?x8x64xf32>, %[[B:.*]]: index, %[[T:.*]]: index, %[[H:.*]]: index, %[[LEN:.*]]: index)
// CHECK:         %[[LO:.*]] = arith.maxsi %[[LEN]], %{{.*}} : index
// CHECK:         %[[ROWS:.*]] = arith.minsi %[[LO]], %{{.*}} : index
// CHECK:         %[[VIEW:.*]] = memref.subview %[[Y]][%[[B]], %[[T]], %[[H]], 0] [1, %[[ROWS]], 1, 64] [1, 1, 1, 1] : memref<?x?x8x64xf32> to memref<?x64xf32, strided<[512, 1], offset: ?>>
// CHECK:         %[[PART:.*]] = tensor.extract_slice %[[V]][0, 0] [%[[ROWS]], 64] [1, 1] : tensor<64x64xf32> to tensor<?x64xf32>
// CHECK:         %[[DEST:.*]] = bufferization.to_tensor %[[VIEW]] restrict writable
// CHECK:         %[[COPY:.*]] = linalg.copy ins(%[[PART]] : tensor<?x64xf32>) outs(%[[DEST]] : tensor<?x64xf32>)
// CHECK:         bufferization.materialize_in_destination %[[COPY]] in restrict writable %[[VIEW]]
func.func @store_bounds(%v: tensor<64x64xf32>, %Y: memref<?x?x8x64xf32>,
                        %b: index, %t: index, %h: index, %len: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  tile.store %v, %Y[%b, %t, %h, %c0] dims [1, 3] bounds(%len, %c64)
      : tensor<64x64xf32>, memref<?x?x8x64xf32>
  return
}

// -----

// A whole tile is stored by an identity generic writing the window, into
// which fusion pulls an elementwise producer, moved down to the store: the
// exp below is computed straight into the window.

// CHECK-DAG:   #[[$ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @store_full
// CHECK-SAME:    (%[[V:.*]]: tensor<64xf32>, %[[Y:.*]]: memref<?x8x64xf32>, %[[B:.*]]: index, %[[H:.*]]: index)
// CHECK:         %[[VIEW:.*]] = memref.subview %[[Y]][%[[B]], %[[H]], 0] [1, 1, 64] [1, 1, 1] : memref<?x8x64xf32> to memref<64xf32, strided<[1], offset: ?>>
// CHECK:         %[[DEST:.*]] = bufferization.to_tensor %[[VIEW]] restrict writable
// CHECK:         %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel"]} ins(%[[V]] : tensor<64xf32>) outs(%[[DEST]] : tensor<64xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[E:.*]] = math.exp %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[E]] : f32
// CHECK-NOT:     linalg.generic
// CHECK:         bufferization.materialize_in_destination %[[COPY]] in restrict writable %[[VIEW]]
func.func @store_full(%v: tensor<64xf32>, %Y: memref<?x8x64xf32>, %b: index,
                      %h: index) {
  %c0 = arith.constant 0 : index
  %e = math.exp %v : tensor<64xf32>
  tile.store %e, %Y[%b, %h, %c0] dims [2] : tensor<64xf32>, memref<?x8x64xf32>
  return
}

// -----

// Ranges are generics yielding their index; a broadcast fuses into its
// consumer, here leaving the index of the range's dimension.

// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @range_broadcast
// CHECK:         %[[E1:.*]] = tensor.empty() : tensor<16xindex>
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID1]]], iterator_types = ["parallel"]} outs(%[[E1]] : tensor<16xindex>)
// CHECK:           %[[I:.*]] = linalg.index 0 : index
// CHECK:           linalg.yield %[[I]] : index
// CHECK:         %[[E2:.*]] = tensor.empty() : tensor<16x8xindex>
// CHECK:         %[[ROWS:.*]] = linalg.generic {indexing_maps = [#[[$ID2]]], iterator_types = ["parallel", "parallel"]} outs(%[[E2]] : tensor<16x8xindex>)
// CHECK:           %[[I0:.*]] = linalg.index 0 : index
// CHECK:           linalg.yield %[[I0]] : index
// CHECK:         %[[E3:.*]] = tensor.empty() : tensor<4x16xindex>
// CHECK:         %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[$ID2]]], iterator_types = ["parallel", "parallel"]} outs(%[[E3]] : tensor<4x16xindex>)
// CHECK:           %[[I1:.*]] = linalg.index 1 : index
// CHECK:           linalg.yield %[[I1]] : index
// CHECK:         return %[[R]], %[[ROWS]], %[[COLS]]
func.func @range_broadcast()
    -> (tensor<16xindex>, tensor<16x8xindex>, tensor<4x16xindex>) {
  %r = tile.range : tensor<16xindex>
  %rows = tile.broadcast %r dims [1] : tensor<16xindex> -> tensor<16x8xindex>
  %cols = tile.broadcast %r dims [0] : tensor<16xindex> -> tensor<4x16xindex>
  return %r, %rows, %cols
      : tensor<16xindex>, tensor<16x8xindex>, tensor<4x16xindex>
}

// -----

// A broadcast that feeds a tile.dot is materialized: it repeats its source.

// CHECK-DAG:   #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG:   #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast
// CHECK-SAME:    (%[[V:.*]]: tensor<8xf32>
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<16x8xf32>
// CHECK:         %[[BC:.*]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[V]] : tensor<8xf32>) outs(%[[E]] : tensor<16x8xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      linalg.yield %[[IN]] : f32
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %[[BC]]) -> (tensor<16x8xf32>)
func.func @broadcast(%v: tensor<8xf32>, %a: tensor<16x4xf32>,
                     %b: tensor<4x8xf32>) -> tensor<16x8xf32> {
  %acc = tile.broadcast %v dims [0] : tensor<8xf32> -> tensor<16x8xf32>
  %d = tile.dot %a, %b, %acc : tensor<16x4xf32>, tensor<4x8xf32> -> tensor<16x8xf32>
  return %d : tensor<16x8xf32>
}

// -----

// tile.dot: a loop over the rows m of the result, each row a vector held
// across the reduction over k: row += a[m, k] * b[k, :] in f32. tril_a ends
// the reduction at k = m; tril_result is ignored (the full product is valid).

// CHECK-LABEL: func.func @dot
// CHECK-SAME:    (%[[X:.*]]: tensor<16x32xbf16>, %[[Y:.*]]: tensor<32x8xbf16>, %[[ACC:.*]]: tensor<16x8xf32>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK:         %[[D:.*]] = scf.for %[[M:.*]] = %[[C0]] to %[[C16]] step %[[C1]] iter_args(%[[T:.*]] = %[[ACC]]) -> (tensor<16x8xf32>) {
// CHECK-NEXT:      %[[ROW:.*]] = vector.transfer_read %[[T]][%[[M]], %[[C0]]], %{{.*}} {in_bounds = [true]} : tensor<16x8xf32>, vector<8xf32>
// CHECK-NEXT:      %[[M1:.*]] = arith.addi %[[M]], %[[C1]] : index
// CHECK-NEXT:      %[[END:.*]] = arith.minui %[[M1]], %[[C32]] : index
// CHECK-NEXT:      %[[R:.*]] = scf.for %[[K:.*]] = %[[C0]] to %[[END]] step %[[C1]] iter_args(%[[SUM:.*]] = %[[ROW]]) -> (vector<8xf32>) {
// CHECK-NEXT:        %[[P:.*]] = tensor.extract %[[X]][%[[M]], %[[K]]] : tensor<16x32xbf16>
// CHECK-NEXT:        %[[P32:.*]] = arith.extf %[[P]] : bf16 to f32
// CHECK-NEXT:        %[[Q:.*]] = vector.transfer_read %[[Y]][%[[K]], %[[C0]]], %{{.*}} {in_bounds = [true]} : tensor<32x8xbf16>, vector<8xbf16>
// CHECK-NEXT:        %[[Q32:.*]] = arith.extf %[[Q]] : vector<8xbf16> to vector<8xf32>
// CHECK-NEXT:        %[[PS:.*]] = vector.broadcast %[[P32]] : f32 to vector<8xf32>
// CHECK-NEXT:        %[[F:.*]] = vector.fma %[[PS]], %[[Q32]], %[[SUM]] : vector<8xf32>
// CHECK-NEXT:        scf.yield %[[F]] : vector<8xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      %[[W:.*]] = vector.transfer_write %[[R]], %[[T]][%[[M]], %[[C0]]] {in_bounds = [true]} : vector<8xf32>, tensor<16x8xf32>
// CHECK-NEXT:      scf.yield %[[W]] : tensor<16x8xf32>
// CHECK:         return %[[D]]
func.func @dot(%a: tensor<16x32xbf16>, %b: tensor<32x8xbf16>,
               %acc: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %d = tile.dot %a, %b, %acc {tril_a, tril_result}
      : tensor<16x32xbf16>, tensor<32x8xbf16> -> tensor<16x8xf32>
  return %d : tensor<16x8xf32>
}

// -----

// A transposed a is read at [k, m]; without tril_a the reduction runs over
// all of k.

// CHECK-LABEL: func.func @dot_transpose_a
// CHECK-SAME:    (%[[X:.*]]: tensor<32x16xf32>, %[[Y:.*]]: tensor<32x8xf32>, %[[ACC:.*]]: tensor<16x8xf32>)
// CHECK:         scf.for %[[M:.*]] = {{.*}} iter_args(%{{.*}} = %[[ACC]]) -> (tensor<16x8xf32>) {
// CHECK:           scf.for %[[K:.*]] = %{{.*}} to %[[C32:.*]] step
// CHECK-NEXT:        %[[P:.*]] = tensor.extract %[[X]][%[[K]], %[[M]]] : tensor<32x16xf32>
// CHECK-NEXT:        %[[Q:.*]] = vector.transfer_read %[[Y]][%[[K]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<32x8xf32>, vector<8xf32>
// CHECK-NEXT:        %[[PS:.*]] = vector.broadcast %[[P]] : f32 to vector<8xf32>
// CHECK-NEXT:        vector.fma %[[PS]], %[[Q]], %{{.*}} : vector<8xf32>
func.func @dot_transpose_a(%a: tensor<32x16xf32>, %b: tensor<32x8xf32>,
                           %acc: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %d = tile.dot %a, %b, %acc {transpose_a}
      : tensor<32x16xf32>, tensor<32x8xf32> -> tensor<16x8xf32>
  return %d : tensor<16x8xf32>
}

// -----

// A row wider than 128 elements is held in blocks of columns: 192 in two
// blocks of 96 (the widest divisor that fits).

// CHECK-LABEL: func.func @dot_wide
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xf32>, %[[Y:.*]]: tensor<8x192xf32>, %[[ACC:.*]]: tensor<4x192xf32>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C96:.*]] = arith.constant 96 : index
// CHECK-DAG:     %[[C192:.*]] = arith.constant 192 : index
// CHECK:         scf.for %[[M:.*]] = {{.*}} iter_args(%[[T:.*]] = %[[ACC]]) -> (tensor<4x192xf32>) {
// CHECK:           scf.for %[[COL:.*]] = %[[C0]] to %[[C192]] step %[[C96]] iter_args(%[[TB:.*]] = %[[T]]) -> (tensor<4x192xf32>) {
// CHECK-NEXT:        vector.transfer_read %[[TB]][%[[M]], %[[COL]]], %{{.*}} {in_bounds = [true]} : tensor<4x192xf32>, vector<96xf32>
// CHECK:               vector.transfer_read %[[Y]][%{{.*}}, %[[COL]]], %{{.*}} {in_bounds = [true]} : tensor<8x192xf32>, vector<96xf32>
// CHECK:             vector.transfer_write %{{.*}}, %[[TB]][%[[M]], %[[COL]]] {in_bounds = [true]} : vector<96xf32>, tensor<4x192xf32>
func.func @dot_wide(%a: tensor<4x8xf32>, %b: tensor<8x192xf32>,
                    %acc: tensor<4x192xf32>) -> tensor<4x192xf32> {
  %d = tile.dot %a, %b, %acc : tensor<4x8xf32>, tensor<8x192xf32> -> tensor<4x192xf32>
  return %d : tensor<4x192xf32>
}

// -----

// A transposed b is first transposed into an f32 tile, so that its rows are
// contiguous; elementwise fusion must not undo that. A zero accumulator is
// not read: each row starts from zeros, written into a fresh tile.

// CHECK-DAG:   #[[$T:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG:   #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @dot_transpose_b
// CHECK-SAME:    (%[[X:.*]]: tensor<16x32xbf16>, %[[Y:.*]]: tensor<8x32xbf16>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK-DAG:     %[[E:.*]] = tensor.empty() : tensor<32x8xf32>
// CHECK:         %[[YT:.*]] = linalg.generic {indexing_maps = [#[[$T]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[Y]] : tensor<8x32xbf16>) outs(%[[E]] : tensor<32x8xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: bf16, %{{.*}}: f32):
// CHECK-NEXT:      %[[IN32:.*]] = arith.extf %[[IN]] : bf16 to f32
// CHECK-NEXT:      linalg.yield %[[IN32]] : f32
// CHECK:         %[[FRESH:.*]] = bufferization.alloc_tensor() : tensor<16x8xf32>
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %[[FRESH]]) -> (tensor<16x8xf32>) {
// CHECK-NOT:       vector.transfer_read %{{.*}} : tensor<16x8xf32>
// CHECK:           scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]]) -> (vector<8xf32>) {
// CHECK:             vector.transfer_read %[[YT]]
func.func @dot_transpose_b(%a: tensor<16x32xbf16>, %b: tensor<8x32xbf16>)
    -> tensor<16x8xf32> {
  %acc = arith.constant dense<0.0> : tensor<16x8xf32>
  %d = tile.dot %a, %b, %acc {transpose_b}
      : tensor<16x32xbf16>, tensor<8x32xbf16> -> tensor<16x8xf32>
  return %d : tensor<16x8xf32>
}

// -----

// CHECK-LABEL: func.func @cumsum
// CHECK-SAME:    (%[[V:.*]]: tensor<16xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK:         %[[E:.*]] = bufferization.alloc_tensor() : tensor<16xf32>
// CHECK:         %[[R:.*]]:2 = scf.for %[[I:.*]] = %[[C0]] to %[[C16]] step %[[C1]] iter_args(%[[OUT:.*]] = %[[E]], %[[ACC:.*]] = %[[ZERO]]) -> (tensor<16xf32>, f32) {
// CHECK-NEXT:      %[[X:.*]] = tensor.extract %[[V]][%[[I]]] : tensor<16xf32>
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[ACC]], %[[X]] : f32
// CHECK-NEXT:      %[[NEW:.*]] = tensor.insert %[[S]] into %[[OUT]][%[[I]]] : tensor<16xf32>
// CHECK-NEXT:      scf.yield %[[NEW]], %[[S]] : tensor<16xf32>, f32
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]]#0
func.func @cumsum(%v: tensor<16xf32>) -> tensor<16xf32> {
  %c = tile.cumsum %v : tensor<16xf32>
  return %c : tensor<16xf32>
}

// -----

// Sums are reductions into zeros. Along dim 1 (along rows) the reduction
// is vectorized a row at a time: one vector.reduction per row, added to the
// row's zero. Along dim 0 the reduction is the outer loop and the innermost
// loop runs along the rows, which LLVM vectorizes.

// CHECK-DAG:   #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$D1:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @sum
// CHECK-SAME:    (%[[T:.*]]: tensor<16x8xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK:         %[[E1:.*]] = bufferization.alloc_tensor() : tensor<16xf32>
// CHECK:         %[[Z1:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E1]] : tensor<16xf32>)
// CHECK:         %[[ROWS:.*]] = scf.for %[[R:.*]] = %[[C0]] to %[[C16]] step %[[C1]] iter_args(%[[ACC:.*]] = %[[Z1]]) -> (tensor<16xf32>) {
// CHECK-NEXT:      %[[ROW:.*]] = tensor.extract_slice %[[T]][%[[R]], 0] [1, 8] [1, 1] : tensor<16x8xf32> to tensor<1x8xf32>
// CHECK-NEXT:      %[[OUT:.*]] = tensor.extract_slice %[[ACC]][%[[R]]] [1] [1] : tensor<16xf32> to tensor<1xf32>
// CHECK-NEXT:      %[[V:.*]] = vector.transfer_read %[[ROW]][%[[C0]], %[[C0]]], %{{.*}} {in_bounds = [true]} : tensor<1x8xf32>, vector<8xf32>
// CHECK-NEXT:      %[[O:.*]] = vector.transfer_read %[[OUT]][%[[C0]]], %{{.*}} {in_bounds = [true]} : tensor<1xf32>, vector<1xf32>
// CHECK-NEXT:      %[[O0:.*]] = vector.extract %[[O]][0] : f32 from vector<1xf32>
// CHECK-NEXT:      %[[S:.*]] = vector.reduction <add>, %[[V]], %[[O0]] : vector<8xf32> into f32
// CHECK-NEXT:      %[[SV:.*]] = vector.insert %[[S]], %{{.*}} [0] : f32 into vector<1xf32>
// CHECK-NEXT:      %[[W:.*]] = vector.transfer_write %[[SV]], %[[OUT]][%[[C0]]] {in_bounds = [true]} : vector<1xf32>, tensor<1xf32>
// CHECK-NEXT:      %[[NEW:.*]] = tensor.insert_slice %[[W]] into %[[ACC]][%[[R]]] [1] [1] : tensor<1xf32> into tensor<16xf32>
// CHECK-NEXT:      scf.yield %[[NEW]] : tensor<16xf32>
// CHECK:         %[[E2:.*]] = bufferization.alloc_tensor() : tensor<8xf32>
// CHECK:         %[[Z2:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E2]] : tensor<8xf32>)
// CHECK:         %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$D1]]], iterator_types = ["reduction", "parallel"]} ins(%[[T]] : tensor<16x8xf32>) outs(%[[Z2]] : tensor<8xf32>)
// CHECK-NEXT:    ^bb0(%[[IN:.*]]: f32, %[[OUTC:.*]]: f32):
// CHECK-NEXT:      %[[SC:.*]] = arith.addf %[[OUTC]], %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[SC]] : f32
// CHECK:         return %[[ROWS]], %[[COLS]]
func.func @sum(%t: tensor<16x8xf32>) -> (tensor<16xf32>, tensor<8xf32>) {
  %rows = tile.sum %t dim 1 : tensor<16x8xf32> -> tensor<16xf32>
  %cols = tile.sum %t dim 0 : tensor<16x8xf32> -> tensor<8xf32>
  return %rows, %cols : tensor<16xf32>, tensor<8xf32>
}

// -----

// tile.map: a generic over the tile operands; the scalar operand is used in
// the body directly.

// CHECK-DAG:   #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @map
// CHECK-SAME:    (%[[T:.*]]: tensor<16x8xf32>, %[[I:.*]]: tensor<16x8xindex>, %[[K:.*]]: f32)
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<16x8xf32>
// CHECK:         %[[M:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ID2]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[T]], %[[I]] : tensor<16x8xf32>, tensor<16x8xindex>) outs(%[[E]] : tensor<16x8xf32>)
// CHECK-NEXT:    ^bb0(%[[X:.*]]: f32, %[[J:.*]]: index, %{{.*}}: f32):
// CHECK-NEXT:      %[[JI:.*]] = arith.index_cast %[[J]] : index to i32
// CHECK-NEXT:      %[[JF:.*]] = arith.sitofp %[[JI]] : i32 to f32
// CHECK-NEXT:      %[[Y:.*]] = arith.mulf %[[X]], %[[K]] : f32
// CHECK-NEXT:      %[[Z:.*]] = arith.addf %[[Y]], %[[JF]] : f32
// CHECK-NEXT:      linalg.yield %[[Z]] : f32
// CHECK:         %[[E1:.*]] = tensor.empty() : tensor<4xf32>
// CHECK:         %[[C:.*]] = linalg.generic {indexing_maps = [#[[$ID1]]], iterator_types = ["parallel"]} outs(%[[E1]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%{{.*}}: f32):
// CHECK-NEXT:      linalg.yield %[[ONE]] : f32
// CHECK:         return %[[M]], %[[C]]
func.func @map(%t: tensor<16x8xf32>, %i: tensor<16x8xindex>, %k: f32)
    -> (tensor<16x8xf32>, tensor<4xf32>) {
  %m = tile.map (%t, %k, %i)
      : (tensor<16x8xf32>, f32, tensor<16x8xindex>) -> tensor<16x8xf32> {
  ^bb0(%x: f32, %s: f32, %j: index):
    %ji = arith.index_cast %j : index to i32
    %jf = arith.sitofp %ji : i32 to f32
    %y = arith.mulf %x, %s : f32
    %z = arith.addf %y, %jf : f32
    tile.yield %z : f32
  }
  %one = tile.map : () -> tensor<4xf32> {
    %c = arith.constant 1.0 : f32
    tile.yield %c : f32
  }
  return %m, %one : tensor<16x8xf32>, tensor<4xf32>
}

// -----

// A causal decay mask written with elementwise ops on tiles becomes one
// generic: ranges, broadcasts, splats and constants fold into its body, and
// nothing but its inputs is materialized.

// CHECK-DAG:   #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$D0:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME:    (%[[S:.*]]: tensor<16x8xf32>, %[[CUM:.*]]: tensor<16xf32>, %[[T0:.*]]: index)
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<16x8xf32>
// CHECK:         %[[M:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$D0]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[S]], %[[CUM]] : tensor<16x8xf32>, tensor<16xf32>) outs(%[[E]] : tensor<16x8xf32>)
// CHECK-NEXT:    ^bb0(%[[X:.*]]: f32, %[[C:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[EXP:.*]] = math.exp %[[C]] : f32
// CHECK-NEXT:      %[[P:.*]] = arith.mulf %[[X]], %[[EXP]] : f32
// CHECK-NEXT:      %[[COL:.*]] = linalg.index 1 : index
// CHECK-NEXT:      %[[ROW:.*]] = linalg.index 0 : index
// CHECK-NEXT:      %[[T:.*]] = arith.addi %[[ROW]], %[[T0]] : index
// CHECK-NEXT:      %[[KEEP:.*]] = arith.cmpi uge, %[[T]], %[[COL]] : index
// CHECK-NEXT:      %[[R:.*]] = arith.select %[[KEEP]], %[[P]], %[[ZERO]] : f32
// CHECK-NEXT:      linalg.yield %[[R]] : f32
// CHECK:         return %[[M]]
func.func @elementwise(%s: tensor<16x8xf32>, %cum: tensor<16xf32>, %t0: index)
    -> tensor<16x8xf32> {
  %r = tile.range : tensor<16xindex>
  %rows = tile.broadcast %r dims [1] : tensor<16xindex> -> tensor<16x8xindex>
  %r8 = tile.range : tensor<8xindex>
  %cols = tile.broadcast %r8 dims [0] : tensor<8xindex> -> tensor<16x8xindex>
  %off = tensor.splat %t0 : tensor<16x8xindex>
  %t = arith.addi %rows, %off : tensor<16x8xindex>
  %keep = arith.cmpi uge, %t, %cols : tensor<16x8xindex>
  %c = tile.broadcast %cum dims [1] : tensor<16xf32> -> tensor<16x8xf32>
  %e = math.exp %c : tensor<16x8xf32>
  %p = arith.mulf %s, %e : tensor<16x8xf32>
  %zero = arith.constant dense<0.0> : tensor<16x8xf32>
  %m = arith.select %keep, %p, %zero : tensor<16x8xi1>, tensor<16x8xf32>
  return %m : tensor<16x8xf32>
}

// -----

// Inside a tile program, exponentials become polynomials (no libm call per
// element), and the program stays for bufferization to inline.

// CHECK-LABEL: func.func @program
// CHECK:         %[[Y:.*]] = tile.program
// CHECK:           scf.for
// CHECK:             linalg.generic
// CHECK-NOT:           math.exp
// CHECK:               arith.fptosi
// CHECK:             linalg.yield
// CHECK:             bufferization.materialize_in_destination
// CHECK:         return %[[Y]]
func.func @program(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %y = tile.program ins(%x : tensor<4x16xf32>) outs(%x : tensor<4x16xf32>)
      -> tensor<4x16xf32> {
  ^bb0(%X: memref<4x16xf32>, %Y: memref<4x16xf32>):
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    tile.grid (%i) in (%c4) {
      %v = tile.load %X[%i, %c0] dims [1] : memref<4x16xf32> -> tensor<16xf32>
      %e = math.exp %v : tensor<16xf32>
      tile.store %e, %Y[%i, %c0] dims [1] : tensor<16xf32>, memref<4x16xf32>
    }
  }
  return %y : tensor<4x16xf32>
}

// -----

// A tile carried by a loop must be written into the buffer of its iter_arg
// (one-shot bufferization requires it): an elementwise update writes into
// the iter_arg; a product accumulating into it is already in place; an
// update that the loop still reads the old state after is copied into it.
// A product updating a tile that an elementwise op starts from the iter_arg
// is in place too: the elementwise op writes into the iter_arg, the product
// updates it.

// CHECK-LABEL: func.func @carried
// CHECK:         scf.for %{{.*}} iter_args(%[[H:.*]] = %{{.*}}) -> (tensor<4x8xf32>)
// CHECK:           %[[NEW:.*]] = linalg.generic {{.*}} ins(%[[H]], %{{.*}} : tensor<4x8xf32>, tensor<4x8xf32>) outs(%[[H]] : tensor<4x8xf32>)
// CHECK:           scf.yield %[[NEW]] : tensor<4x8xf32>
// CHECK:         scf.for %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<4x8xf32>)
// CHECK:           %[[D:.*]] = scf.for %{{.*}} iter_args(%{{.*}} = %[[ACC]]) -> (tensor<4x8xf32>)
// CHECK-NOT:       linalg.copy
// CHECK:           scf.yield %[[D]] : tensor<4x8xf32>
// CHECK:         scf.for %{{.*}} iter_args(%[[S:.*]] = %{{.*}}) -> (tensor<4x8xf32>)
// CHECK:           %[[UPD:.*]] = linalg.generic {{.*}} ins(%[[S]], %{{.*}} : tensor<4x8xf32>, tensor<4x8xf32>) outs(%{{.*}} : tensor<4x8xf32>)
// CHECK:           linalg.generic {{.*}} ins(%[[UPD]], %[[S]] : tensor<4x8xf32>, tensor<4x8xf32>)
// CHECK:           %[[C:.*]] = linalg.copy ins(%[[UPD]] : tensor<4x8xf32>) outs(%[[S]] : tensor<4x8xf32>)
// CHECK:           scf.yield %[[C]] : tensor<4x8xf32>
// CHECK:         scf.for %{{.*}} iter_args(%[[G:.*]] = %{{.*}}) -> (tensor<4x8xf32>)
// CHECK:           %[[DEC:.*]] = linalg.generic {{.*}} ins(%[[G]], %{{.*}} : tensor<4x8xf32>, tensor<4x8xf32>) outs(%[[G]] : tensor<4x8xf32>)
// CHECK:           %[[PROD:.*]] = scf.for %{{.*}} iter_args(%{{.*}} = %[[DEC]]) -> (tensor<4x8xf32>)
// CHECK-NOT:       linalg.copy
// CHECK:           scf.yield %[[PROD]] : tensor<4x8xf32>
func.func @carried(%x: tensor<4x8xf32>, %a: tensor<4x2xf32>,
                   %b: tensor<2x8xf32>) -> tensor<4x4x8xf32> {
  %init = tensor.empty() : tensor<4x4x8xf32>
  %y = tile.program ins(%x : tensor<4x8xf32>) outs(%init : tensor<4x4x8xf32>)
      -> tensor<4x4x8xf32> {
  ^bb0(%X: memref<4x8xf32>, %Y: memref<4x4x8xf32>):
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c16 = arith.constant 16 : index
    %t = tile.load %X[%c0, %c0] dims [0, 1] : memref<4x8xf32> -> tensor<4x8xf32>
    %zero = arith.constant dense<0.0> : tensor<4x8xf32>
    %h = scf.for %i = %c0 to %c16 step %c1 iter_args(%h = %zero) -> (tensor<4x8xf32>) {
      %n = arith.addf %h, %t : tensor<4x8xf32>
      scf.yield %n : tensor<4x8xf32>
    }
    tile.store %h, %Y[%c0, %c0, %c0] dims [1, 2] : tensor<4x8xf32>, memref<4x4x8xf32>
    %acc = scf.for %i = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> (tensor<4x8xf32>) {
      %d = tile.dot %a, %b, %acc : tensor<4x2xf32>, tensor<2x8xf32> -> tensor<4x8xf32>
      scf.yield %d : tensor<4x8xf32>
    }
    tile.store %acc, %Y[%c1, %c0, %c0] dims [1, 2] : tensor<4x8xf32>, memref<4x4x8xf32>
    %s = scf.for %i = %c0 to %c16 step %c1 iter_args(%s = %zero) -> (tensor<4x8xf32>) {
      %n = arith.addf %s, %t : tensor<4x8xf32>
      %both = arith.mulf %n, %s : tensor<4x8xf32>
      tile.store %both, %Y[%c2, %c0, %c0] dims [1, 2] : tensor<4x8xf32>, memref<4x4x8xf32>
      scf.yield %n : tensor<4x8xf32>
    }
    %c3 = arith.constant 3 : index
    %g = scf.for %i = %c0 to %c16 step %c1 iter_args(%g = %zero) -> (tensor<4x8xf32>) {
      %dec = arith.mulf %g, %t : tensor<4x8xf32>
      %d = tile.dot %a, %b, %dec : tensor<4x2xf32>, tensor<2x8xf32> -> tensor<4x8xf32>
      scf.yield %d : tensor<4x8xf32>
    }
    tile.store %g, %Y[%c3, %c0, %c0] dims [1, 2] : tensor<4x8xf32>, memref<4x4x8xf32>
  }
  return %y : tensor<4x4x8xf32>
}
