// RUN: smc-opt %s -split-input-file --sma-decompose-ssd --sma-decompose-forms | FileCheck %s

// What every form's program shares (the forms themselves:
// decompose-forms-{linear,quadratic,chunked}.mlir): the program's operands
// and results, heads reading their group's keys, and the mask ops, which
// the programs consume and which are then erased.

// The Mamba-2 front: sma-decompose-ssd leaves the prologue (dt', a = dt' A,
// X = x dt') and the epilogue (y + D x) as linalg.generic ops around the
// contraction, whose tile program reads C, B, X and the log-decays a and
// whose result the epilogue reads. h = 4 heads share g = 1 group: the
// chunked program (one pass per (sequence, head) on the CPU, after the
// cumsum grid) reads C and B at group = head / 4, X at the head.

// CHECK-LABEL: func.func @ssd
// CHECK-SAME:      (%[[XIN:[^:]*]]: tensor<2x?x4x8xbf16>, %[[DT:[^:]*]]: tensor<2x?x4xbf16>, %[[AIN:[^:]*]]: tensor<4xf32>, %[[BIN:[^:]*]]: tensor<2x?x1x16xbf16>, %[[CIN:[^:]*]]: tensor<2x?x1x16xbf16>, %[[D:[^:]*]]: tensor<4xf32>)
// CHECK-NOT:     sma.
// CHECK:         %[[DTP:.*]] = linalg.generic {{.*}} ins(%[[DT]] : tensor<2x?x4xbf16>)
// CHECK:         %[[LOGA:.*]] = linalg.generic {{.*}} ins(%[[DTP]], %[[AIN]] : tensor<2x?x4xf32>, tensor<4xf32>)
// CHECK:         %[[XS:.*]] = linalg.generic {{.*}} ins(%[[XIN]], %[[DTP]] : tensor<2x?x4x8xbf16>, tensor<2x?x4xf32>)
// CHECK:         %[[Y:.*]] = tile.program ins(%[[CIN]], %[[BIN]], %[[XS]], %[[LOGA]] : tensor<2x?x1x16xbf16>, tensor<2x?x1x16xbf16>, tensor<2x?x4x8xf32>, tensor<2x?x4xf32>) outs(%{{.*}} : tensor<2x?x4x8xf32>) -> tensor<2x?x4x8xf32> {
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<2x?x1x16xbf16>, %[[B:[^:]*]]: memref<2x?x1x16xbf16>, %[[X:[^:]*]]: memref<2x?x4x8xf32>, %[[A:[^:]*]]: memref<2x?x4xf32>, %{{.*}}: memref<2x?x4x8xf32>):
// CHECK:           tile.grid
// CHECK:             tile.load %[[A]]
// CHECK:             tile.cumsum
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]]) in (%{{.*}}, %c4{{(_[0-9]+)?}}) {
// CHECK-NEXT:        %[[HEADS:.*]] = arith.constant 4 : index
// CHECK-NEXT:        %[[GROUP:.*]] = arith.divui %[[HEAD]], %[[HEADS]] : index
// CHECK:             scf.for {{.*}} -> (tensor<8x16xf32>) {
// CHECK:               tile.load %[[C]][%[[SEQ]], %{{.*}}, %[[GROUP]], %{{.*}}] dims [1, 3]
// CHECK:               tile.load %[[B]][%[[SEQ]], %{{.*}}, %[[GROUP]], %{{.*}}] dims [1, 3]
// CHECK:               tile.load %[[X]][%[[SEQ]], %{{.*}}, %[[HEAD]], %{{.*}}] dims [1, 3]
// CHECK:               tile.dot {{.*}} {tril_a}
// CHECK:               tile.dot {{.*}} {transpose_a}
// CHECK-NOT:       tile.grid
// CHECK:         %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[Y]], %[[XIN]], %[[D]] :
// CHECK:         return %[[OUT]]
func.func @ssd(%x: tensor<2x?x4x8xbf16>, %dt: tensor<2x?x4xbf16>, %A: tensor<4xf32>, %B: tensor<2x?x1x16xbf16>, %C: tensor<2x?x1x16xbf16>, %D: tensor<4xf32>) -> tensor<2x?x4x8xbf16> {
  %y = sma.ssd x(%x : tensor<2x?x4x8xbf16>) dt(%dt : tensor<2x?x4xbf16>) A(%A : tensor<4xf32>) B(%B : tensor<2x?x1x16xbf16>) C(%C : tensor<2x?x1x16xbf16>) D(%D : tensor<4xf32>) {dt_softplus, form = #sma.form<chunked, 16>} -> tensor<2x?x4x8xbf16>
  return %y : tensor<2x?x4x8xbf16>
}

// -----

// Head i reads the keys of group i / (h / g): h = 4, g = 2; with h = g the
// head is the group.

// CHECK-LABEL: func.func @groups
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<?x?x2x8xf32>, %[[B:[^:]*]]: memref<?x?x2x8xf32>, %{{.*}}: memref<?x?x4x4xf32>, %{{.*}}: memref<?x?x4x4xf32>):
// CHECK:           tile.grid (%{{.*}}, %[[HEAD:.*]], %{{.*}}) in
// CHECK:             %[[RATIO:.*]] = arith.constant 2 : index
// CHECK-NEXT:        %[[GROUP:.*]] = arith.divui %[[HEAD]], %[[RATIO]] : index
// CHECK:             tile.load %[[B]][%{{.*}}, %{{.*}}, %[[GROUP]], %{{.*}}] dims [3]
// CHECK:             tile.load %[[C]][%{{.*}}, %{{.*}}, %[[GROUP]], %{{.*}}] dims [3]
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<?x?x4x8xf32>, %[[B:[^:]*]]: memref<?x?x4x8xf32>, %{{.*}}: memref<?x?x4x4xf32>, %{{.*}}: memref<?x?x4x4xf32>):
// CHECK:           tile.grid (%{{.*}}, %[[HEAD:.*]], %{{.*}}) in
// CHECK-NOT:         arith.divui
// CHECK:             tile.load %[[B]][%{{.*}}, %{{.*}}, %[[HEAD]], %{{.*}}] dims [3]
// CHECK:             tile.load %[[C]][%{{.*}}, %{{.*}}, %[[HEAD]], %{{.*}}] dims [3]
func.func @groups(%c2: tensor<?x?x2x8xf32>, %b2: tensor<?x?x2x8xf32>, %c4: tensor<?x?x4x8xf32>, %b4: tensor<?x?x4x8xf32>, %x: tensor<?x?x4x4xf32>) -> (tensor<?x?x4x4xf32>, tensor<?x?x4x4xf32>) {
  %m = sma.mask.causal
  %y = sma.contract C(%c2 : tensor<?x?x2x8xf32>) B(%b2 : tensor<?x?x2x8xf32>) X(%x : tensor<?x?x4x4xf32>) mask(%m) {form = #sma.form<linear>} -> tensor<?x?x4x4xf32>
  %z = sma.contract C(%c4 : tensor<?x?x4x8xf32>) B(%b4 : tensor<?x?x4x8xf32>) X(%x : tensor<?x?x4x4xf32>) mask(%m) {form = #sma.form<linear>} -> tensor<?x?x4x4xf32>
  return %y, %z : tensor<?x?x4x4xf32>, tensor<?x?x4x4xf32>
}

// -----

// One mask read by contractions of different forms: each gets its own
// program (the quadratic one its own cumsum in tiles of 16, the chunked one
// in chunks of 8, then its pass per (sequence, head) carrying the [4, 8]
// state); the mask ops (a product and its parts) are erased once no
// contraction uses them; a mask a function does not use by a contraction
// is erased as well.

// CHECK-LABEL: func.func @shared_mask
// CHECK-NOT:     sma.
// CHECK:         tile.program
// CHECK:           tile.cumsum %{{.*}} : tensor<16xf32>
// CHECK:           tile.dot {{.*}} {transpose_b, tril_result}
// CHECK:         tile.program
// CHECK:           tile.cumsum %{{.*}} : tensor<8xf32>
// CHECK:           tile.grid (%{{.*}}, %{{.*}}) in (%{{.*}}, %c2{{(_[0-9]+)?}}) {
// CHECK:             scf.for {{.*}} -> (tensor<4x8xf32>) {
// CHECK:               tile.dot {{.*}} {transpose_a} : tensor<8x4xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
// CHECK-NOT:     sma.
// CHECK:         return
func.func @shared_mask(%c: tensor<?x?x1x8xf32>, %b: tensor<?x?x1x8xf32>, %x: tensor<?x?x2x4xf32>, %a: tensor<?x?x2xf32>) -> (tensor<?x?x2x4xf32>, tensor<?x?x2x4xf32>) {
  %d = sma.mask.decay %a : tensor<?x?x2xf32>
  %f = sma.mask.fixed_decay [0.5, 0.25]
  %m = sma.mask.mul %d, %f
  %unused = sma.mask.window 4
  %y = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x2x4xf32>) mask(%m) {form = #sma.form<quadratic>} -> tensor<?x?x2x4xf32>
  %z = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x2x4xf32>) mask(%m) {form = #sma.form<chunked, 8>} -> tensor<?x?x2x4xf32>
  return %y, %z : tensor<?x?x2x4xf32>, tensor<?x?x2x4xf32>
}

// -----

// The CPU takes any chunk (the GPU stops at 128: see
// decompose-forms-invalid.mlir): chunks of 256 rows through the one pass
// carrying the [3, 4] state.

// CHECK-LABEL: func.func @cpu_chunk_256
// CHECK:         tile.cumsum %{{.*}} : tensor<256xf32>
// CHECK:         tile.grid (%{{.*}}, %{{.*}}) in (%{{.*}}, %c2{{(_[0-9]+)?}}) {
// CHECK:           scf.for {{.*}} -> (tensor<3x4xf32>) {
// CHECK:             tile.dot %{{.*}} {transpose_b, tril_result} : tensor<256x4xf32>, tensor<256x4xf32> -> tensor<256x256xf32>
func.func @cpu_chunk_256(%c: tensor<1x?x1x4xf32>, %b: tensor<1x?x1x4xf32>, %x: tensor<1x?x2x3xf32>, %a: tensor<1x?x2xf32>) -> tensor<1x?x2x3xf32> {
  %m = sma.mask.decay %a : tensor<1x?x2xf32>
  %y = sma.contract C(%c : tensor<1x?x1x4xf32>) B(%b : tensor<1x?x1x4xf32>) X(%x : tensor<1x?x2x3xf32>) mask(%m) {form = #sma.form<chunked, 256>} -> tensor<1x?x2x3xf32>
  return %y : tensor<1x?x2x3xf32>
}
