// RUN: smc-opt %s -split-input-file --sma-decompose-forms | FileCheck %s
// RUN: smc-opt %s -split-input-file --sma-decompose-forms=gpu=true | FileCheck %s --check-prefix=GPU

// The linear (recurrent) form: one program per (sequence, head, block of
// state rows), scanning the positions of its sequence with the state rows
// carried as a tile, h = h + x_t B_t^T, y_t = sum(h * C_t) along n. No
// products of tiles (tile.dot) and no decay for the causal mask. The CPU
// takes all p = 6 rows in one program; the GPU 8 rows (p padded to 16 and
// n = 12 padded to 16) in one warp.

// CHECK-LABEL: func.func @linear_causal
// CHECK-SAME:      (%[[CT:[^:]*]]: tensor<?x?x1x12xf32>, %[[BT:[^:]*]]: tensor<?x?x1x12xf32>, %[[XT:[^:]*]]: tensor<?x?x2x6xf32>)
// CHECK:         %[[BATCH:.*]] = tensor.dim %[[XT]], %{{.*}} : tensor<?x?x2x6xf32>
// CHECK:         %[[T:.*]] = tensor.dim %[[XT]], %{{.*}} : tensor<?x?x2x6xf32>
// CHECK:         %[[YINIT:.*]] = tensor.empty(%[[BATCH]], %[[T]]) : tensor<?x?x2x6xf32>
// CHECK:         %[[Y:.*]] = tile.program ins(%[[CT]], %[[BT]], %[[XT]] : tensor<?x?x1x12xf32>, tensor<?x?x1x12xf32>, tensor<?x?x2x6xf32>) outs(%[[YINIT]] : tensor<?x?x2x6xf32>) -> tensor<?x?x2x6xf32> {
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<?x?x1x12xf32>, %[[B:[^:]*]]: memref<?x?x1x12xf32>, %[[X:[^:]*]]: memref<?x?x2x6xf32>, %[[YM:[^:]*]]: memref<?x?x2x6xf32>):
// CHECK-DAG:       %[[ONE:.*]] = arith.constant 1 : index
// CHECK-DAG:       %[[HEADS:.*]] = arith.constant 2 : index
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]], %[[PART:.*]]) in (%[[BATCH]], %[[HEADS]], %[[ONE]]) {
// CHECK:             %[[GROUP:.*]] = arith.divui %[[HEAD]], %{{.*}} : index
// CHECK:             %[[ROW0:.*]] = arith.muli %[[PART]], %{{.*}} : index
// CHECK:             %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<6x12xf32>
// CHECK:             %[[END:.*]] = arith.addi %[[START:.*]], %[[T]] : index
// CHECK:             scf.for %[[POS:.*]] = %[[START]] to %[[END]] step %{{.*}} iter_args(%[[H:.*]] = %[[ZERO]]) -> (tensor<6x12xf32>) {
// CHECK-NOT:           math.exp
// CHECK:               %[[XROW:.*]] = tile.load %[[X]][%[[SEQ]], %[[POS]], %[[HEAD]], %[[ROW0]]] dims [3] bounds(%{{.*}}) : memref<?x?x2x6xf32> -> tensor<6xf32>
// CHECK:               %[[BROW:.*]] = tile.load %[[B]][%[[SEQ]], %[[POS]], %[[GROUP]], %{{.*}}] dims [3] bounds(%{{.*}}) : memref<?x?x1x12xf32> -> tensor<12xf32>
// CHECK:               %[[BB:.*]] = tile.broadcast %[[BROW]] dims [0] : tensor<12xf32> -> tensor<6x12xf32>
// CHECK:               %[[XB:.*]] = tile.broadcast %[[XROW]] dims [1] : tensor<6xf32> -> tensor<6x12xf32>
// CHECK:               %[[XBT:.*]] = arith.mulf %[[XB]], %[[BB]] {{.*}}: tensor<6x12xf32>
// CHECK:               %[[HNEW:.*]] = arith.addf %[[H]], %[[XBT]] {{.*}}: tensor<6x12xf32>
// CHECK:               %[[CROW:.*]] = tile.load %[[C]][%[[SEQ]], %[[POS]], %[[GROUP]], %{{.*}}] dims [3] bounds(%{{.*}}) : memref<?x?x1x12xf32> -> tensor<12xf32>
// CHECK:               %[[CB:.*]] = tile.broadcast %[[CROW]] dims [0] : tensor<12xf32> -> tensor<6x12xf32>
// CHECK:               %[[HC:.*]] = arith.mulf %[[HNEW]], %[[CB]] {{.*}}: tensor<6x12xf32>
// CHECK:               %[[YROW:.*]] = tile.sum %[[HC]] dim 1 : tensor<6x12xf32> -> tensor<6xf32>
// CHECK:               tile.store %[[YROW]], %[[YM]][%[[SEQ]], %[[POS]], %[[HEAD]], %[[ROW0]]] dims [3] bounds(%{{.*}}) : tensor<6xf32>, memref<?x?x2x6xf32>
// CHECK:               scf.yield %[[HNEW]] : tensor<6x12xf32>
// CHECK:             }
// CHECK-NOT:         tile.store
// CHECK:           }
// CHECK-NOT:       tile.grid
// CHECK:         }
// CHECK:         return %[[Y]]

// GPU-LABEL: func.func @linear_causal
// GPU:         tile.grid (%{{.*}}, %[[HEAD:.*]], %[[PART:.*]]) in (%{{.*}}, %{{.*}}, %{{.*}}) attributes {num_warps = 1 : i64} {
// GPU:           %[[ROW0:.*]] = arith.muli %[[PART]], %{{.*}} : index
// GPU:           %[[LEFT:.*]] = arith.subi %{{.*}}, %[[ROW0]] : index
// GPU:           scf.for {{.*}} -> (tensor<8x16xf32>) {
// GPU:             tile.load {{.*}} dims [3] bounds(%[[LEFT]]) : memref<?x?x2x6xf32> -> tensor<8xf32>
// GPU:             tile.load {{.*}} dims [3] bounds(%{{.*}}) : memref<?x?x1x12xf32> -> tensor<16xf32>
// GPU:             tile.sum %{{.*}} dim 1 : tensor<8x16xf32> -> tensor<8xf32>
// GPU:             tile.store {{.*}} dims [3] bounds(%[[LEFT]]) : tensor<8xf32>, memref<?x?x2x6xf32>
func.func @linear_causal(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>) -> tensor<?x?x2x6xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<linear>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// Blocks of state rows: p = 24 on the GPU is 3 programs of 8 rows (4 warps
// for 8 x 64 elements); the CPU takes the 24 rows at once. bf16 data is
// extended to f32 and the outputs truncated back.

// CHECK-LABEL: func.func @linear_rows
// CHECK:         tile.program
// CHECK:           %[[ONE:.*]] = arith.constant 1 : index
// CHECK:         tile.grid (%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}}, %{{.*}}, %[[ONE]]) {
// CHECK:           scf.for {{.*}} -> (tensor<24x64xf32>) {
// CHECK:             %[[XR:.*]] = tile.load {{.*}} : memref<?x?x2x24xbf16> -> tensor<24xbf16>
// CHECK:             arith.extf %[[XR]] : tensor<24xbf16> to tensor<24xf32>
// CHECK:             %[[YR:.*]] = tile.sum %{{.*}} dim 1 : tensor<24x64xf32> -> tensor<24xf32>
// CHECK:             %[[YB:.*]] = arith.truncf %[[YR]] : tensor<24xf32> to tensor<24xbf16>
// CHECK:             tile.store %[[YB]], {{.*}} : tensor<24xbf16>, memref<?x?x2x24xbf16>

// GPU-LABEL: func.func @linear_rows
// GPU-DAG:     %[[PARTS:.*]] = arith.constant 3 : index
// GPU:         tile.grid (%{{.*}}, %{{.*}}, %[[PART:.*]]) in (%{{.*}}, %{{.*}}, %[[PARTS]]) attributes {num_warps = 4 : i64} {
// GPU:           %[[EIGHT:.*]] = arith.constant 8 : index
// GPU:           %[[ROW0:.*]] = arith.muli %[[PART]], %[[EIGHT]] : index
// GPU:           %[[P:.*]] = arith.constant 24 : index
// GPU:           %[[LEFT:.*]] = arith.subi %[[P]], %[[ROW0]] : index
// GPU:           scf.for {{.*}} -> (tensor<8x64xf32>) {
// GPU:             tile.load %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[ROW0]]] dims [3] bounds(%[[LEFT]]) : memref<?x?x2x24xbf16> -> tensor<8xbf16>
// GPU:             tile.sum %{{.*}} dim 1 : tensor<8x64xf32> -> tensor<8xf32>
// GPU:             tile.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[ROW0]]] dims [3] bounds(%[[LEFT]]) : tensor<8xbf16>, memref<?x?x2x24xbf16>
func.func @linear_rows(%c: tensor<?x?x1x64xbf16>, %b: tensor<?x?x1x64xbf16>, %x: tensor<?x?x2x24xbf16>) -> tensor<?x?x2x24xbf16> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<?x?x1x64xbf16>) B(%b : tensor<?x?x1x64xbf16>) X(%x : tensor<?x?x2x24xbf16>) mask(%m) {form = #sma.form<linear>} -> tensor<?x?x2x24xbf16>
  return %y : tensor<?x?x2x24xbf16>
}

// -----

// A fixed decay decays the state before each step by gamma_h, applied as
// h + expm1(log gamma_h) h with log gamma_h taken from a constant table by
// the head.

// CHECK-LABEL: func.func @linear_fixed_decay
// CHECK:         tile.grid (%{{.*}}, %[[HEAD:.*]], %{{.*}}) in
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[H:.*]] = %{{.*}}) -> (tensor<6x12xf32>) {
// CHECK-NEXT:        %[[LOGS:.*]] = arith.constant dense<[-0.693147182, -1.38629436]> : vector<2xf32>
// CHECK-NEXT:        %[[LOG:.*]] = vector.extract %[[LOGS]][%[[HEAD]]] : f32 from vector<2xf32>
// CHECK-NEXT:        %[[EM1:.*]] = math.expm1 %[[LOG]] : f32
// CHECK-NEXT:        %[[S:.*]] = tensor.splat %[[EM1]] : tensor<6x12xf32>
// CHECK-NEXT:        %[[DH:.*]] = arith.mulf %[[S]], %[[H]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:        %[[HD:.*]] = arith.addf %[[H]], %[[DH]] {{.*}}: tensor<6x12xf32>
// CHECK:             %[[HNEW:.*]] = arith.addf %[[HD]], %{{.*}} : tensor<6x12xf32>
// CHECK:             tile.sum
// CHECK:             scf.yield %[[HNEW]] : tensor<6x12xf32>
func.func @linear_fixed_decay(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>) -> tensor<?x?x2x6xf32> {
  %m = sma.mask.fixed_decay [0.5, 0.25]
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<linear>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// A data-dependent decay reads a_t at each step (one scalar per position
// and head); the initial state is loaded into the carried tile and the
// final state stored after the scan. The program takes the state and the
// log-decays as inputs (after C, B, X) and writes Y and the final state.

// CHECK-LABEL: func.func @linear_decay_states
// CHECK-SAME:      (%[[CT:[^:]*]]: tensor<?x?x1x12xf32>, %[[BT:[^:]*]]: tensor<?x?x1x12xf32>, %[[XT:[^:]*]]: tensor<?x?x2x6xf32>, %[[AT:[^:]*]]: tensor<?x?x2xf32>, %[[S0T:[^:]*]]: tensor<?x2x6x12xf32>)
// CHECK-NOT:     sma.
// CHECK:         %[[BATCH:.*]] = tensor.dim %[[XT]]
// CHECK:         %[[YINIT:.*]] = tensor.empty
// CHECK:         %[[SINIT:.*]] = tensor.empty(%[[BATCH]]) : tensor<?x2x6x12xf32>
// CHECK:         %[[R:.*]]:2 = tile.program ins(%[[CT]], %[[BT]], %[[XT]], %[[S0T]], %[[AT]] : {{.*}}) outs(%[[YINIT]], %[[SINIT]] : tensor<?x?x2x6xf32>, tensor<?x2x6x12xf32>) -> tensor<?x?x2x6xf32>, tensor<?x2x6x12xf32> {
// CHECK-NEXT:    ^bb0(%{{.*}}: memref<?x?x1x12xf32>, %{{.*}}: memref<?x?x1x12xf32>, %{{.*}}: memref<?x?x2x6xf32>, %[[S0:[^:]*]]: memref<?x2x6x12xf32>, %[[A:[^:]*]]: memref<?x?x2xf32>, %{{.*}}: memref<?x?x2x6xf32>, %[[SF:[^:]*]]: memref<?x2x6x12xf32>):
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]], %{{.*}}) in
// CHECK:             %[[HINIT:.*]] = tile.load %[[S0]][%[[SEQ]], %[[HEAD]], %[[ROW0:.*]], %{{.*}}] dims [2, 3] bounds(%{{.*}}, %{{.*}}) : memref<?x2x6x12xf32> -> tensor<6x12xf32>
// CHECK:             %[[HLAST:.*]] = scf.for %[[POS:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[H:.*]] = %[[HINIT]]) -> (tensor<6x12xf32>) {
// CHECK-NEXT:          %[[LOG:.*]] = tile.load %[[A]][%[[SEQ]], %[[POS]], %[[HEAD]]] : memref<?x?x2xf32> -> f32
// CHECK-NEXT:          %[[EM1:.*]] = math.expm1 %[[LOG]] : f32
// CHECK-NEXT:          %[[S:.*]] = tensor.splat %[[EM1]] : tensor<6x12xf32>
// CHECK-NEXT:          %[[DH:.*]] = arith.mulf %[[S]], %[[H]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:          arith.addf %[[H]], %[[DH]] {{.*}}: tensor<6x12xf32>
// CHECK:               scf.yield
// CHECK:             }
// CHECK:             tile.store %[[HLAST]], %[[SF]][%[[SEQ]], %[[HEAD]], %[[ROW0]], %{{.*}}] dims [2, 3] bounds(%{{.*}}, %{{.*}}) : tensor<6x12xf32>, memref<?x2x6x12xf32>
// CHECK:         return %[[R]]#0, %[[R]]#1
func.func @linear_decay_states(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>, %a: tensor<?x?x2xf32>, %s0: tensor<?x2x6x12xf32>) -> (tensor<?x?x2x6xf32>, tensor<?x2x6x12xf32>) {
  %m = sma.mask.decay %a : tensor<?x?x2xf32>
  %y, %s = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) init(%s0 : tensor<?x2x6x12xf32>) {form = #sma.form<linear>} -> tensor<?x?x2x6xf32>, tensor<?x2x6x12xf32>
  return %y, %s : tensor<?x?x2x6xf32>, tensor<?x2x6x12xf32>
}

// -----

// Packed sequences (cu_seqlens): a first grid zeroes Y in tiles of 64
// positions (positions no sequence covers stay zero); then one program per
// packed sequence (len(cu_seqlens) - 1 of them) scans positions
// [cu[seq], cu[seq + 1]) of batch 0, the offsets clamped to [0, T]. The
// product of a decay and a fixed decay adds the two log-decays.

// CHECK-LABEL: func.func @linear_mul_varlen
// CHECK-SAME:      %[[CUT:[^:]*]]: tensor<?xi32>)
// CHECK:         tensor.dim %{{.*}}, %{{.*}} : tensor<1x?x2x6xf32>
// CHECK:         %[[T:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<1x?x2x6xf32>
// CHECK:         %[[NCU:.*]] = tensor.dim %[[CUT]], %{{.*}} : tensor<?xi32>
// CHECK:         %[[NSEQ:.*]] = arith.subi %[[NCU]], %{{.*}} : index
// CHECK:         tile.program ins(%{{.*}}, %{{.*}}, %{{.*}}, %[[CUT]], %{{.*}} : tensor<1x?x1x12xf32>, tensor<1x?x1x12xf32>, tensor<1x?x2x6xf32>, tensor<?xi32>, tensor<1x?x2xf32>)
// CHECK-NEXT:    ^bb0(%{{.*}}: memref<1x?x1x12xf32>, %{{.*}}: memref<1x?x1x12xf32>, %{{.*}}: memref<1x?x2x6xf32>, %[[CU:[^:]*]]: memref<?xi32>, %[[A:[^:]*]]: memref<1x?x2xf32>, %[[YM:[^:]*]]: memref<1x?x2x6xf32>):
// CHECK:           %[[SIXTYFOUR:.*]] = arith.constant 64 : index
// CHECK:           %[[ZTILES:.*]] = arith.ceildivui %[[T]], %[[SIXTYFOUR]] : index
// CHECK:           tile.grid (%{{.*}}, %[[ZHEAD:.*]]) in (%[[ZTILES]], %{{.*}}) {
// CHECK:             %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<64x6xf32>
// CHECK:             tile.store %[[ZERO]], %[[YM]][%{{.*}}, %{{.*}}, %[[ZHEAD]], %{{.*}}] dims [1, 3] bounds(%{{.*}}, %{{.*}}) : tensor<64x6xf32>, memref<1x?x2x6xf32>
// CHECK-NEXT:      }
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]], %{{.*}}) in (%[[NSEQ]], %{{.*}}, %{{.*}}) {
// CHECK:             %[[ZI:.*]] = arith.constant 0 : index
// CHECK:             %[[CU0:.*]] = tile.load %[[CU]][%[[SEQ]]] : memref<?xi32> -> i32
// CHECK:             %[[I0:.*]] = arith.index_cast %[[CU0]] : i32 to index
// CHECK:             %[[LO0:.*]] = arith.maxsi %[[I0]], %[[ZI]] : index
// CHECK:             %[[START:.*]] = arith.minsi %[[LO0]], %[[T]] : index
// CHECK:             %[[NEXT:.*]] = arith.addi %[[SEQ]], %{{.*}} : index
// CHECK:             %[[CU1:.*]] = tile.load %[[CU]][%[[NEXT]]] : memref<?xi32> -> i32
// CHECK:             %[[I1:.*]] = arith.index_cast %[[CU1]] : i32 to index
// CHECK:             %[[LO1:.*]] = arith.maxsi %[[I1]], %[[ZI]] : index
// CHECK:             %[[HI1:.*]] = arith.minsi %[[LO1]], %[[T]] : index
// CHECK:             %[[STOP:.*]] = arith.maxui %[[HI1]], %[[START]] : index
// CHECK:             %[[LEN:.*]] = arith.subi %[[STOP]], %[[START]] : index
// CHECK:             %[[END:.*]] = arith.addi %[[START]], %[[LEN]] : index
// CHECK:             scf.for %[[POS:.*]] = %[[START]] to %[[END]] step
// CHECK-NEXT:          %[[LD:.*]] = tile.load %[[A]][%[[ZI]], %[[POS]], %[[HEAD]]] : memref<1x?x2xf32> -> f32
// CHECK-NEXT:          %[[LOGS:.*]] = arith.constant dense<[-0.693147182, -1.38629436]> : vector<2xf32>
// CHECK-NEXT:          %[[LG:.*]] = vector.extract %[[LOGS]][%[[HEAD]]] : f32 from vector<2xf32>
// CHECK-NEXT:          %[[LOG:.*]] = arith.addf %[[LD]], %[[LG]] {{.*}}: f32
// CHECK-NEXT:          math.expm1 %[[LOG]] : f32
// CHECK:               tile.load %{{.*}}[%[[ZI]], %[[POS]], %[[HEAD]], %{{.*}}] dims [3]
// CHECK:               tile.store %{{.*}}, %[[YM]][%[[ZI]], %[[POS]], %[[HEAD]], %{{.*}}] dims [3]

// The zero-fill grid has 64-row tiles and 4 warps on the GPU too.
// GPU-LABEL: func.func @linear_mul_varlen
// GPU:         tile.grid (%{{.*}}, %{{.*}}) in (%{{.*}}, %{{.*}}) attributes {num_warps = 4 : i64} {
// GPU:           tile.store %{{.*}} : tensor<64x16xf32>, memref<1x?x2x6xf32>
// GPU:         tile.grid ({{.*}}) attributes {num_warps = 1 : i64} {
func.func @linear_mul_varlen(%c: tensor<1x?x1x12xf32>, %b: tensor<1x?x1x12xf32>, %x: tensor<1x?x2x6xf32>, %a: tensor<1x?x2xf32>, %cu: tensor<?xi32>) -> tensor<1x?x2x6xf32> {
  %d = sma.mask.decay %a : tensor<1x?x2xf32>
  %f = sma.mask.fixed_decay [0.5, 0.25]
  %m = sma.mask.mul %d, %f
  %y = sma.contract C(%c : tensor<1x?x1x12xf32>) B(%b : tensor<1x?x1x12xf32>) X(%x : tensor<1x?x2x6xf32>) mask(%m) seqs(%cu : tensor<?xi32>) {form = #sma.form<linear>} -> tensor<1x?x2x6xf32>
  return %y : tensor<1x?x2x6xf32>
}
