// RUN: smc-opt %s -split-input-file --sma-decompose-forms | FileCheck %s
// RUN: smc-opt %s -split-input-file --sma-decompose-forms=gpu=true | FileCheck %s --check-prefix=GPU

// The quadratic (attention) form: one program per (sequence, tile of output
// positions, head), skipped past the sequence's end. A causal mask takes
// the diagonal tile first (scores C B^T with tril_result, the lower
// triangle selected, then a product with tril_a), then walks back over the
// earlier tiles (tile - 1 - k for k in [0, tile)) with full products,
// carrying the output tile and the log-decay passed so far. Tiles are 16
// positions on the CPU and 64 on the GPU (4 warps, n and p padded to 16).

// CHECK-LABEL: func.func @quadratic_causal
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<?x?x1x12xf32>, %[[B:[^:]*]]: memref<?x?x1x12xf32>, %[[X:[^:]*]]: memref<?x?x2x6xf32>, %[[YM:[^:]*]]: memref<?x?x2x6xf32>):
// CHECK-NOT:       tile.cumsum
// CHECK:           %[[TILES:.*]] = arith.ceildivui %[[T:.*]], %{{.*}} : index
// CHECK:           tile.grid (%[[SEQ:.*]], %[[TILE:.*]], %[[HEAD:.*]]) in (%{{.*}}, %[[TILES]], %{{.*}}) {
// CHECK:             %[[FIRST:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:             %[[COUNT:.*]] = arith.minui %{{.*}}, %{{.*}} : index
// CHECK:             %[[ANY:.*]] = arith.cmpi ult, %{{.*}}, %[[COUNT]] : index
// CHECK:             scf.if %[[ANY]] {
// CHECK:               %[[CT:.*]] = tile.load %[[C]][%[[SEQ]], %[[FIRST]], %{{.*}}, %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:               %[[Y0:.*]] = arith.constant dense<0.000000e+00> : tensor<16x6xf32>
// CHECK:               %[[BT:.*]] = tile.load %[[B]][%[[SEQ]], %[[FIRST]], %{{.*}}, %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:               %[[XT:.*]] = tile.load %[[X]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x2x6xf32> -> tensor<16x6xf32>
// CHECK:               %[[W:.*]] = tile.dot %[[CT]], %[[BT]], %{{.*}} {transpose_b, tril_result} : tensor<16x12xf32>, tensor<16x12xf32> -> tensor<16x16xf32>
// CHECK-NOT:           math.exp
// CHECK:               %[[R1:.*]] = tile.range : tensor<16xindex>
// CHECK:               %[[TT:.*]] = tile.broadcast %[[R1]] dims [1] : tensor<16xindex> -> tensor<16x16xindex>
// CHECK:               %[[R0:.*]] = tile.range : tensor<16xindex>
// CHECK:               %[[SS:.*]] = tile.broadcast %[[R0]] dims [0] : tensor<16xindex> -> tensor<16x16xindex>
// CHECK:               %[[LOWER:.*]] = arith.cmpi ule, %[[SS]], %[[TT]] : tensor<16x16xindex>
// CHECK:               %[[WL:.*]] = arith.select %[[LOWER]], %[[W]], %{{.*}} : tensor<16x16xi1>, tensor<16x16xf32>
// CHECK:               %[[YD:.*]] = tile.dot %[[WL]], %[[XT]], %[[Y0]] {tril_a} : tensor<16x16xf32>, tensor<16x6xf32> -> tensor<16x6xf32>
// CHECK:               %[[NK:.*]] = arith.subi %[[TILE]], %{{.*}} : index
// CHECK:               %[[YS:.*]]:2 = scf.for %[[K:.*]] = %{{.*}} to %[[NK]] step %{{.*}} iter_args(%[[Y:.*]] = %[[YD]], %[[PASSED:.*]] = %{{.*}}) -> (tensor<16x6xf32>, f32) {
// CHECK:                 %[[BACK:.*]] = arith.subi %[[TILE]], %[[K]] : index
// CHECK:                 %[[SRC:.*]] = arith.subi %[[BACK]], %{{.*}} : index
// CHECK:                 %[[SOFF:.*]] = arith.muli %[[SRC]], %{{.*}} : index
// CHECK:                 %[[SFIRST:.*]] = arith.addi %{{.*}}, %[[SOFF]] : index
// CHECK:                 %[[SCOUNT:.*]] = arith.minui
// CHECK:                 %[[BS:.*]] = tile.load %[[B]][%[[SEQ]], %[[SFIRST]], %{{.*}}, %{{.*}}] dims [1, 3] bounds(%[[SCOUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:                 %[[XS:.*]] = tile.load %[[X]][%[[SEQ]], %[[SFIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[SCOUNT]], %{{.*}}) : memref<?x?x2x6xf32> -> tensor<16x6xf32>
// CHECK:                 %[[WS:.*]] = tile.dot %[[CT]], %[[BS]], %{{.*}} {transpose_b} : tensor<16x12xf32>, tensor<16x12xf32> -> tensor<16x16xf32>
// CHECK-NEXT:            %[[YN:.*]] = tile.dot %[[WS]], %[[XS]], %[[Y]] : tensor<16x16xf32>, tensor<16x6xf32> -> tensor<16x6xf32>
// CHECK-NEXT:            scf.yield %[[YN]], %[[PASSED]] : tensor<16x6xf32>, f32
// CHECK-NEXT:          }
// CHECK:               tile.store %[[YS]]#0, %[[YM]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : tensor<16x6xf32>, memref<?x?x2x6xf32>
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:    }

// GPU-LABEL: func.func @quadratic_causal
// GPU:         %[[SIXTYFOUR:.*]] = arith.constant 64 : index
// GPU:         %[[TILES:.*]] = arith.ceildivui %{{.*}}, %[[SIXTYFOUR]] : index
// GPU:         tile.grid (%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}}, %[[TILES]], %{{.*}}) attributes {num_warps = 4 : i64} {
// GPU:           tile.load {{.*}} : memref<?x?x1x12xf32> -> tensor<64x16xf32>
// GPU:           tile.load {{.*}} : memref<?x?x2x6xf32> -> tensor<64x16xf32>
// GPU:           tile.dot %{{.*}} {transpose_b, tril_result} : tensor<64x16xf32>, tensor<64x16xf32> -> tensor<64x64xf32>
// GPU:           tile.dot %{{.*}} {tril_a} : tensor<64x64xf32>, tensor<64x16xf32> -> tensor<64x16xf32>
// GPU:           scf.for
// GPU:             tile.dot %{{.*}} {transpose_b} : tensor<64x16xf32>, tensor<64x16xf32> -> tensor<64x64xf32>
// GPU:             tile.dot %{{.*}} : tensor<64x64xf32>, tensor<64x16xf32> -> tensor<64x16xf32>
func.func @quadratic_causal(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>) -> tensor<?x?x2x6xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<quadratic>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// A fixed decay: a first grid (one warp a program) writes the chunk-local
// cumsum of the log-decays (log gamma_h at the tile's positions, zero past
// them) into a [b, T, h] buffer. The diagonal tile weighs the scores by
// exp(cum_t - cum_s); an earlier tile by exp(cum_t + passed + (total_s -
// cum_s)), total_s being the source tile's last cumsum, which is then added
// to the passed log-decay.

// CHECK-LABEL: func.func @quadratic_fixed_decay
// CHECK:         tile.program
// CHECK:           %[[CUM:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?x2xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %{{.*}}, %[[HEAD:.*]]) in (%{{.*}}, %{{.*}}, %{{.*}}) attributes {num_warps = 1 : i64} {
// CHECK:             %[[FIRST:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:             %[[COUNT:.*]] = arith.minui %{{.*}}, %{{.*}} : index
// CHECK:             scf.if
// CHECK-NEXT:          %[[LOGS:.*]] = arith.constant dense<[-0.693147182, -1.38629436]> : vector<2xf32>
// CHECK-NEXT:          %[[LOG:.*]] = vector.extract %[[LOGS]][%[[HEAD]]] : f32 from vector<2xf32>
// CHECK-NEXT:          %[[CS:.*]] = tensor.splat %[[COUNT]] : tensor<16xindex>
// CHECK-NEXT:          %[[POS:.*]] = tile.range : tensor<16xindex>
// CHECK-NEXT:          %[[IN:.*]] = arith.cmpi ult, %[[POS]], %[[CS]] : tensor<16xindex>
// CHECK-NEXT:          %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<16xf32>
// CHECK-NEXT:          %[[LS:.*]] = tensor.splat %[[LOG]] : tensor<16xf32>
// CHECK-NEXT:          %[[LD:.*]] = arith.select %[[IN]], %[[LS]], %[[Z]] : tensor<16xi1>, tensor<16xf32>
// CHECK-NEXT:          %[[SUMS:.*]] = tile.cumsum %[[LD]] : tensor<16xf32>
// CHECK-NEXT:          tile.store %[[SUMS]], %[[CUM]][%[[SEQ]], %[[FIRST]], %[[HEAD]]] dims [1] bounds(%[[COUNT]]) : tensor<16xf32>, memref<?x?x2xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %{{.*}}, %[[HEAD:.*]]) in
// CHECK-NOT:         attributes
// CHECK:             %[[FIRST:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:             %[[COUNT:.*]] = arith.minui %{{.*}}, %{{.*}} : index
// CHECK:             %[[AT:.*]] = tile.load %[[CUM]][%[[SEQ]], %[[FIRST]], %[[HEAD]]] dims [1] bounds(%[[COUNT]]) : memref<?x?x2xf32> -> tensor<16xf32>
// CHECK:             %[[W:.*]] = tile.dot %{{.*}} {transpose_b, tril_result}
// CHECK-NEXT:        %[[ATB:.*]] = tile.broadcast %[[AT]] dims [1] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK-NEXT:        %[[FROM:.*]] = tile.load %[[CUM]][%[[SEQ]], %[[FIRST]], %[[HEAD]]] dims [1] bounds(%[[COUNT]]) : memref<?x?x2xf32> -> tensor<16xf32>
// CHECK-NEXT:        %[[FROMB:.*]] = tile.broadcast %[[FROM]] dims [0] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK-NEXT:        %[[DIFF:.*]] = arith.subf %[[ATB]], %[[FROMB]] : tensor<16x16xf32>
// CHECK-NEXT:        %[[DECAY:.*]] = math.exp %[[DIFF]] : tensor<16x16xf32>
// CHECK-NEXT:        %[[WD:.*]] = arith.mulf %[[W]], %[[DECAY]] {{.*}}: tensor<16x16xf32>
// CHECK:             %[[WL:.*]] = arith.select %{{.*}}, %[[WD]], %{{.*}} : tensor<16x16xi1>, tensor<16x16xf32>
// CHECK:             tile.dot %[[WL]], %{{.*}} {tril_a}
// CHECK:             scf.for %{{.*}} iter_args(%[[Y:.*]] = %{{.*}}, %[[PASSED:.*]] = %{{.*}}) -> (tensor<16x6xf32>, f32) {
// CHECK:               %[[SFIRST:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:               %[[SCOUNT:.*]] = arith.minui %{{.*}}, %{{.*}} : index
// CHECK:               %[[WS:.*]] = tile.dot %{{.*}} {transpose_b} : tensor<16x12xf32>, tensor<16x12xf32> -> tensor<16x16xf32>
// CHECK-NEXT:          %[[ATS:.*]] = tile.broadcast %[[AT]] dims [1] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK-NEXT:          %[[SRC:.*]] = tile.load %[[CUM]][%[[SEQ]], %[[SFIRST]], %[[HEAD]]] dims [1] bounds(%[[SCOUNT]]) : memref<?x?x2xf32> -> tensor<16xf32>
// CHECK-NEXT:          %[[SRCB:.*]] = tile.broadcast %[[SRC]] dims [0] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK:               %[[END:.*]] = arith.addi %[[SFIRST]], %[[SCOUNT]] : index
// CHECK-NEXT:          %[[LAST:.*]] = arith.subi %[[END]], %{{.*}} : index
// CHECK-NEXT:          %[[TOTAL:.*]] = tile.load %[[CUM]][%[[SEQ]], %[[LAST]], %[[HEAD]]] : memref<?x?x2xf32> -> f32
// CHECK-NEXT:          %[[TS:.*]] = tensor.splat %[[TOTAL]] : tensor<16x16xf32>
// CHECK-NEXT:          %[[REST:.*]] = arith.subf %[[TS]], %[[SRCB]] : tensor<16x16xf32>
// CHECK-NEXT:          %[[PS:.*]] = tensor.splat %[[PASSED]] : tensor<16x16xf32>
// CHECK-NEXT:          %[[A1:.*]] = arith.addf %[[ATS]], %[[PS]] {{.*}}: tensor<16x16xf32>
// CHECK-NEXT:          %[[A2:.*]] = arith.addf %[[A1]], %[[REST]] {{.*}}: tensor<16x16xf32>
// CHECK-NEXT:          %[[E:.*]] = math.exp %[[A2]] : tensor<16x16xf32>
// CHECK-NEXT:          %[[WSD:.*]] = arith.mulf %[[WS]], %[[E]] {{.*}}: tensor<16x16xf32>
// CHECK-NEXT:          %[[YN:.*]] = tile.dot %[[WSD]], %{{.*}}, %[[Y]] : tensor<16x16xf32>, tensor<16x6xf32> -> tensor<16x6xf32>
// CHECK:               %[[TOTAL2:.*]] = tile.load %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] : memref<?x?x2xf32> -> f32
// CHECK-NEXT:          %[[PN:.*]] = arith.addf %[[PASSED]], %[[TOTAL2]] {{.*}}: f32
// CHECK-NEXT:          scf.yield %[[YN]], %[[PN]] : tensor<16x6xf32>, f32

// The cumsum tile is the output tile (64) on the GPU.
// GPU-LABEL: func.func @quadratic_fixed_decay
// GPU:         tile.grid {{.*}} attributes {num_warps = 1 : i64} {
// GPU:           tile.cumsum %{{.*}} : tensor<64xf32>
// GPU:         tile.grid {{.*}} attributes {num_warps = 4 : i64} {
func.func @quadratic_fixed_decay(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>) -> tensor<?x?x2x6xf32> {
  %m = sma.mask.fixed_decay [0.5, 0.25]
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<quadratic>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// A data-dependent decay: its log-decays are tile loads through a tile.map
// of the mask's log-decay (the value itself). The initial state adds
// e^{cum_t + passed} C_t H0^T after the walk; the final state is a third
// grid per (sequence, head) scanning the tiles as chunks from H0:
// H = e^{A} H + X^T (e^{A - cum} B), A the tile's total log-decay.

// CHECK-LABEL: func.func @quadratic_decay_states
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<?x?x1x12xf32>, %[[B:[^:]*]]: memref<?x?x1x12xf32>, %[[X:[^:]*]]: memref<?x?x2x6xf32>, %[[S0:[^:]*]]: memref<?x2x6x12xf32>, %[[A:[^:]*]]: memref<?x?x2xf32>, %{{.*}}: memref<?x?x2x6xf32>, %[[SF:[^:]*]]: memref<?x2x6x12xf32>):
// CHECK:           %[[CUM:.*]] = memref.alloc
// CHECK:           tile.grid {{.*}} attributes {num_warps = 1 : i64} {
// CHECK:             %[[LA:.*]] = tile.load %[[A]][{{.*}}] dims [1] bounds(%{{.*}}) : memref<?x?x2xf32> -> tensor<16xf32>
// CHECK-NEXT:        %[[LD:.*]] = tile.map(%[[LA]]) : (tensor<16xf32>) -> tensor<16xf32> {
// CHECK-NEXT:        ^bb0(%[[V:.*]]: f32):
// CHECK-NEXT:          tile.yield %[[V]] : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        %[[SUMS:.*]] = tile.cumsum %[[LD]] : tensor<16xf32>
// CHECK-NEXT:        tile.store %[[SUMS]], %[[CUM]]
// CHECK:           tile.grid (%[[SEQ:.*]], %{{.*}}, %[[HEAD:.*]]) in
// CHECK:             %[[CT:.*]] = tile.load %[[C]]
// CHECK-NEXT:        %[[AT:.*]] = tile.load %[[CUM]]
// CHECK:             %[[YS:.*]]:2 = scf.for
// CHECK:             }
// CHECK:             %[[H0:.*]] = tile.load %[[S0]][%[[SEQ]], %[[HEAD]], %{{.*}}, %{{.*}}] dims [2, 3] bounds(%{{.*}}, %{{.*}}) : memref<?x2x6x12xf32> -> tensor<6x12xf32>
// CHECK:             %[[TERM:.*]] = tile.dot %[[CT]], %[[H0]], %{{.*}} {transpose_b} : tensor<16x12xf32>, tensor<6x12xf32> -> tensor<16x6xf32>
// CHECK-NEXT:        %[[PS:.*]] = tensor.splat %[[YS]]#1 : tensor<16xf32>
// CHECK-NEXT:        %[[LOGD:.*]] = arith.addf %[[AT]], %[[PS]] {{.*}}: tensor<16xf32>
// CHECK-NEXT:        %[[D:.*]] = math.exp %[[LOGD]] : tensor<16xf32>
// CHECK-NEXT:        %[[DB:.*]] = tile.broadcast %[[D]] dims [1] : tensor<16xf32> -> tensor<16x6xf32>
// CHECK-NEXT:        %[[TD:.*]] = arith.mulf %[[TERM]], %[[DB]] {{.*}}: tensor<16x6xf32>
// CHECK-NEXT:        %[[YF:.*]] = arith.addf %[[YS]]#0, %[[TD]] {{.*}}: tensor<16x6xf32>
// CHECK:             tile.store %[[YF]]
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]]) in (%{{.*}}, %{{.*}}) {
// CHECK:             %[[H0:.*]] = tile.load %[[S0]][%[[SEQ]], %[[HEAD]], %{{.*}}, %{{.*}}] dims [2, 3] {{.*}} -> tensor<6x12xf32>
// CHECK:             %[[HL:.*]] = scf.for %{{.*}} iter_args(%[[H:.*]] = %[[H0]]) -> (tensor<6x12xf32>) {
// CHECK:               %[[XK:.*]] = tile.load %[[X]]{{.*}} -> tensor<16x6xf32>
// CHECK:               %[[BK:.*]] = tile.load %[[B]]{{.*}} -> tensor<16x12xf32>
// CHECK:               %[[TOTAL:.*]] = tile.load %[[CUM]][{{.*}}] : memref<?x?x2xf32> -> f32
// CHECK-NEXT:          %[[SK:.*]] = tile.load %[[CUM]][{{.*}}] dims [1] {{.*}} -> tensor<16xf32>
// CHECK-NEXT:          %[[TS:.*]] = tensor.splat %[[TOTAL]] : tensor<16xf32>
// CHECK-NEXT:          %[[REST:.*]] = arith.subf %[[TS]], %[[SK]] : tensor<16xf32>
// CHECK-NEXT:          %[[WR:.*]] = math.exp %[[REST]] : tensor<16xf32>
// CHECK-NEXT:          %[[WB:.*]] = tile.broadcast %[[WR]] dims [1] : tensor<16xf32> -> tensor<16x12xf32>
// CHECK-NEXT:          %[[BW:.*]] = arith.mulf %[[BK]], %[[WB]] {{.*}}: tensor<16x12xf32>
// CHECK-NEXT:          %[[EM1:.*]] = math.expm1 %[[TOTAL]] : f32
// CHECK-NEXT:          %[[ES:.*]] = tensor.splat %[[EM1]] : tensor<6x12xf32>
// CHECK-NEXT:          %[[DH:.*]] = arith.mulf %[[ES]], %[[H]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:          %[[HD:.*]] = arith.addf %[[H]], %[[DH]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:          %[[HN:.*]] = tile.dot %[[XK]], %[[BW]], %[[HD]] {transpose_a} : tensor<16x6xf32>, tensor<16x12xf32> -> tensor<6x12xf32>
// CHECK-NEXT:          scf.yield %[[HN]] : tensor<6x12xf32>
// CHECK:             tile.store %[[HL]], %[[SF]][%[[SEQ]], %[[HEAD]], %{{.*}}, %{{.*}}] dims [2, 3]
// CHECK-NOT:       tile.grid

// On the GPU the state is [16, 16] (p and n padded) and the final-state
// grid has a warp per 16 rows of it.
// GPU-LABEL: func.func @quadratic_decay_states
// GPU:         tile.dot %{{.*}} {transpose_b} : tensor<64x16xf32>, tensor<16x16xf32> -> tensor<64x16xf32>
// GPU:         tile.grid (%{{.*}}, %{{.*}}) in (%{{.*}}, %{{.*}}) attributes {num_warps = 1 : i64} {
// GPU:           tile.dot %{{.*}} {transpose_a} : tensor<64x16xf32>, tensor<64x16xf32> -> tensor<16x16xf32>
func.func @quadratic_decay_states(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>, %a: tensor<?x?x2xf32>, %s0: tensor<?x2x6x12xf32>) -> (tensor<?x?x2x6xf32>, tensor<?x2x6x12xf32>) {
  %m = sma.mask.decay %a : tensor<?x?x2xf32>
  %y, %s = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) init(%s0 : tensor<?x2x6x12xf32>) {form = #sma.form<quadratic>} -> tensor<?x?x2x6xf32>, tensor<?x2x6x12xf32>
  return %y, %s : tensor<?x?x2x6xf32>, tensor<?x2x6x12xf32>
}

// -----

// A window of 20: the factor F(t, s) = [0 <= t - s < 20] is a tile.map of
// the window's predicate on the positions t (rows) and s (columns), counted
// from the sequence's start; the walk back stops at the tile holding the
// band's edge for the tile's first row: (max(first, 19) - 19) / size.

// CHECK-LABEL: func.func @quadratic_window
// CHECK-NOT:       tile.cumsum
// CHECK:           tile.grid (%{{.*}}, %[[TILE:.*]], %{{.*}}) in
// CHECK:             %[[FIRST:.*]] = arith.addi %[[START:.*]], %{{.*}} : index
// CHECK:             %[[W:.*]] = tile.dot %{{.*}} {transpose_b, tril_result} : tensor<16x12xf32>, tensor<16x12xf32> -> tensor<16x16xf32>
// CHECK-NEXT:        %[[TOFF:.*]] = arith.subi %[[FIRST]], %[[START]] : index
// CHECK-NEXT:        %[[TR:.*]] = tile.range : tensor<16xindex>
// CHECK-NEXT:        %[[TOS:.*]] = tensor.splat %[[TOFF]] : tensor<16xindex>
// CHECK-NEXT:        %[[TP:.*]] = arith.addi %[[TR]], %[[TOS]] : tensor<16xindex>
// CHECK-NEXT:        %[[TB:.*]] = tile.broadcast %[[TP]] dims [1] : tensor<16xindex> -> tensor<16x16xindex>
// CHECK-NEXT:        %[[SOFF:.*]] = arith.subi %[[FIRST]], %[[START]] : index
// CHECK-NEXT:        %[[SR:.*]] = tile.range : tensor<16xindex>
// CHECK-NEXT:        %[[SOS:.*]] = tensor.splat %[[SOFF]] : tensor<16xindex>
// CHECK-NEXT:        %[[SP:.*]] = arith.addi %[[SR]], %[[SOS]] : tensor<16xindex>
// CHECK-NEXT:        %[[SB:.*]] = tile.broadcast %[[SP]] dims [0] : tensor<16xindex> -> tensor<16x16xindex>
// CHECK-NEXT:        %[[F:.*]] = tile.map(%[[TB]], %[[SB]]) : (tensor<16x16xindex>, tensor<16x16xindex>) -> tensor<16x16xf32> {
// CHECK-NEXT:        ^bb0(%[[TI:.*]]: index, %[[SI:.*]]: index):
// CHECK-NEXT:          %[[D:.*]] = arith.subi %[[TI]], %[[SI]] : index
// CHECK-NEXT:          %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-NEXT:          %[[WIDTH:.*]] = arith.constant 20 : index
// CHECK-NEXT:          %[[LT:.*]] = arith.cmpi slt, %[[D]], %[[WIDTH]] : index
// CHECK-NEXT:          %[[GE:.*]] = arith.cmpi sge, %[[D]], %[[ZERO]] : index
// CHECK-NEXT:          %[[IN:.*]] = arith.andi %[[GE]], %[[LT]] : i1
// CHECK-NEXT:          %[[F0:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:          %[[F1:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:          %[[V:.*]] = arith.select %[[IN]], %[[F1]], %[[F0]] : f32
// CHECK-NEXT:          tile.yield %[[V]] : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        %[[WF:.*]] = arith.mulf %[[W]], %[[F]] {{.*}}: tensor<16x16xf32>
// CHECK:             %[[WL:.*]] = arith.select %{{.*}}, %[[WF]], %{{.*}} : tensor<16x16xi1>, tensor<16x16xf32>
// CHECK:             tile.dot %[[WL]], %{{.*}} {tril_a}
// CHECK:             %[[SIZE:.*]] = arith.constant 16 : index
// CHECK-NEXT:        %[[TFIRST:.*]] = arith.muli %[[TILE]], %[[SIZE]] : index
// CHECK-NEXT:        %[[REACH:.*]] = arith.constant 19 : index
// CHECK-NEXT:        %[[M:.*]] = arith.maxui %[[TFIRST]], %[[REACH]] : index
// CHECK-NEXT:        %[[EDGE:.*]] = arith.subi %[[M]], %[[REACH]] : index
// CHECK-NEXT:        %[[SIZE2:.*]] = arith.constant 16 : index
// CHECK-NEXT:        %[[LOWEST:.*]] = arith.divui %[[EDGE]], %[[SIZE2]] : index
// CHECK:             %[[NK:.*]] = arith.subi %[[TILE]], %[[LOWEST]] : index
// CHECK:             scf.for %{{.*}} = %{{.*}} to %[[NK]] step
// CHECK:               %[[WS:.*]] = tile.dot %{{.*}} {transpose_b} : tensor<16x12xf32>, tensor<16x12xf32> -> tensor<16x16xf32>
// CHECK:               %[[FS:.*]] = tile.map
// CHECK:                 arith.constant 20 : index
// CHECK:               }
// CHECK-NEXT:          %[[WSF:.*]] = arith.mulf %[[WS]], %[[FS]] {{.*}}: tensor<16x16xf32>
// CHECK-NEXT:          tile.dot %[[WSF]], %{{.*}} : tensor<16x16xf32>, tensor<16x6xf32> -> tensor<16x6xf32>

// GPU-LABEL: func.func @quadratic_window
// GPU:         tile.map
// GPU-SAME:        (tensor<64x64xindex>, tensor<64x64xindex>) -> tensor<64x64xf32>
// GPU:         %[[SIZE:.*]] = arith.constant 64 : index
// GPU-NEXT:    %[[TFIRST:.*]] = arith.muli %{{.*}}, %[[SIZE]] : index
// GPU-NEXT:    %[[REACH:.*]] = arith.constant 19 : index
// GPU-NEXT:    arith.maxui %[[TFIRST]], %[[REACH]] : index
func.func @quadratic_window(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>) -> tensor<?x?x2x6xf32> {
  %m = sma.mask.window 20
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<quadratic>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// A decay times a window: the decays (exp of cumsum differences) and the
// window's factor map both weigh the scores, and the band limits the walk.

// CHECK-LABEL: func.func @quadratic_window_decay
// CHECK:           tile.cumsum
// CHECK:           tile.grid
// CHECK:             tile.dot %{{.*}} {transpose_b, tril_result}
// CHECK:             %[[E:.*]] = math.exp %{{.*}} : tensor<16x16xf32>
// CHECK-NEXT:        %[[WD:.*]] = arith.mulf %{{.*}}, %[[E]] {{.*}}: tensor<16x16xf32>
// CHECK:             %[[F:.*]] = tile.map
// CHECK:               arith.constant 20 : index
// CHECK:             }
// CHECK-NEXT:        %[[WF:.*]] = arith.mulf %[[WD]], %[[F]] {{.*}}: tensor<16x16xf32>
// CHECK:             arith.constant 19 : index
// CHECK:             scf.for
// CHECK:               math.exp
// CHECK:               tile.map
func.func @quadratic_window_decay(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>, %a: tensor<?x?x2xf32>) -> tensor<?x?x2x6xf32> {
  %d = sma.mask.decay %a : tensor<?x?x2xf32>
  %w = sma.mask.window 20
  %m = sma.mask.mul %d, %w
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<quadratic>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// A decay times a fixed decay: the log-decays of the two atoms are added
// before the cumsum.

// CHECK-LABEL: func.func @quadratic_decay_fixed
// CHECK:           tile.grid {{.*}} attributes {num_warps = 1 : i64} {
// CHECK:             %[[LD:.*]] = tile.map(%{{.*}}) : (tensor<16xf32>) -> tensor<16xf32> {
// CHECK:             %[[LOGS:.*]] = arith.constant dense<[-0.693147182, -1.38629436]> : vector<2xf32>
// CHECK:             %[[FIXED:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<16xi1>, tensor<16xf32>
// CHECK-NEXT:        %[[SUM:.*]] = arith.addf %[[LD]], %[[FIXED]] {{.*}}: tensor<16xf32>
// CHECK-NEXT:        tile.cumsum %[[SUM]] : tensor<16xf32>
// CHECK-NOT:       tile.map
func.func @quadratic_decay_fixed(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>, %a: tensor<?x?x2xf32>) -> tensor<?x?x2x6xf32> {
  %d = sma.mask.decay %a : tensor<?x?x2xf32>
  %f = sma.mask.fixed_decay [0.5, 0.25]
  %m = sma.mask.mul %d, %f
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<quadratic>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// A causal custom mask: its region is inlined into a tile.map over (t, s,
// the operand at t, the operand at s) (the head is the grid's), with the
// entries above the diagonal zeroed whatever the region computes there.

// CHECK-LABEL: func.func @quadratic_custom_causal
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0(%{{.*}}: memref<?x?x1x12xf32>, %{{.*}}: memref<?x?x1x12xf32>, %{{.*}}: memref<?x?x2x6xf32>, %[[SLOPE:[^:]*]]: memref<?x?x2xf32>, %{{.*}}: memref<?x?x2x6xf32>):
// CHECK-NOT:       tile.cumsum
// CHECK:           tile.grid (%[[SEQ:.*]], %{{.*}}, %[[HEAD:.*]]) in
// CHECK:             %[[FIRST:.*]] = arith.addi
// CHECK:             %[[COUNT:.*]] = arith.minui
// CHECK:             %[[W:.*]] = tile.dot %{{.*}} {transpose_b, tril_result}
// CHECK:             %[[TB:.*]] = tile.broadcast %{{.*}} dims [1] : tensor<16xindex> -> tensor<16x16xindex>
// CHECK:             %[[SB:.*]] = tile.broadcast %{{.*}} dims [0] : tensor<16xindex> -> tensor<16x16xindex>
// CHECK-NEXT:        %[[ST:.*]] = tile.load %[[SLOPE]][%[[SEQ]], %[[FIRST]], %[[HEAD]]] dims [1] bounds(%[[COUNT]]) : memref<?x?x2xf32> -> tensor<16xf32>
// CHECK-NEXT:        %[[STB:.*]] = tile.broadcast %[[ST]] dims [1] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK-NEXT:        %[[SS:.*]] = tile.load %[[SLOPE]][%[[SEQ]], %[[FIRST]], %[[HEAD]]] dims [1] bounds(%[[COUNT]]) : memref<?x?x2xf32> -> tensor<16xf32>
// CHECK-NEXT:        %[[SSB:.*]] = tile.broadcast %[[SS]] dims [0] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK-NEXT:        %[[F:.*]] = tile.map(%[[TB]], %[[SB]], %[[STB]], %[[SSB]]) : (tensor<16x16xindex>, tensor<16x16xindex>, tensor<16x16xf32>, tensor<16x16xf32>) -> tensor<16x16xf32> {
// CHECK-NEXT:        ^bb0(%[[T:.*]]: index, %[[S:.*]]: index, %[[AT:.*]]: f32, %[[AS:.*]]: f32):
// CHECK-NEXT:          %[[D:.*]] = arith.subi %[[T]], %[[S]] : index
// CHECK-NEXT:          %[[DI:.*]] = arith.index_cast %[[D]] : index to i64
// CHECK-NEXT:          %[[DF:.*]] = arith.sitofp %[[DI]] : i64 to f32
// CHECK-NEXT:          %[[E:.*]] = arith.mulf %[[AT]], %[[DF]] : f32
// CHECK-NEXT:          %[[N:.*]] = arith.negf %[[E]] : f32
// CHECK-NEXT:          %[[V:.*]] = math.exp %[[N]] : f32
// CHECK-NEXT:          %[[BELOW:.*]] = arith.cmpi sle, %[[S]], %[[T]] : index
// CHECK-NEXT:          %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:          %[[VC:.*]] = arith.select %[[BELOW]], %[[V]], %[[Z]] : f32
// CHECK-NEXT:          tile.yield %[[VC]] : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        %[[WF:.*]] = arith.mulf %[[W]], %[[F]] {{.*}}: tensor<16x16xf32>
// CHECK:             tile.dot %{{.*}} {tril_a}
// CHECK:             scf.for
// CHECK:               tile.map
// CHECK:                 math.exp
// CHECK:                 arith.cmpi sle
func.func @quadratic_custom_causal(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>, %slope: tensor<?x?x2xf32>) -> tensor<?x?x2x6xf32> {
  %m = sma.mask.custom causal (%slope : tensor<?x?x2xf32>) {
  ^bb0(%t: index, %s: index, %h: index, %st: f32, %ss: f32):
    %d = arith.subi %t, %s : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %e = arith.mulf %st, %df : f32
    %n = arith.negf %e : f32
    %v = math.exp %n : f32
    sma.yield %v : f32
  }
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<quadratic>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// A non-causal custom mask over packed sequences: Y is zeroed first; each
// output tile then walks every tile of its sequence (no diagonal step, no
// triangle, no tril flags), the region inlined as it is, with positions
// counted from the sequence's start.

// CHECK-LABEL: func.func @quadratic_custom_noncausal_varlen
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0({{.*}}, %[[CU:[^:]*]]: memref<?xi32>, %[[YM:[^:]*]]: memref<1x?x2x6xf32>):
// CHECK:           tile.grid (%{{.*}}, %{{.*}}) in
// CHECK:             tile.store %{{.*}}, %[[YM]]{{.*}} : tensor<64x6xf32>, memref<1x?x2x6xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %{{.*}}, %{{.*}}) in
// CHECK:             %[[CU0:.*]] = tile.load %[[CU]][%[[SEQ]]] : memref<?xi32> -> i32
// CHECK:             %[[I0:.*]] = arith.index_cast %[[CU0]] : i32 to index
// CHECK:             %[[LO:.*]] = arith.maxsi %[[I0]], %{{.*}} : index
// CHECK:             %[[START:.*]] = arith.minsi %[[LO]], %{{.*}} : index
// CHECK:             %[[LEN:.*]] = arith.subi %{{.*}}, %[[START]] : index
// CHECK:             %[[FIRST:.*]] = arith.addi %[[START]], %{{.*}} : index
// CHECK:             scf.if
// CHECK-NOT:           tril
// CHECK:               %[[NT:.*]] = arith.ceildivui %[[LEN]], %{{.*}} : index
// CHECK:               %[[YL:.*]] = scf.for %{{.*}} = %{{.*}} to %[[NT]] step %{{.*}} iter_args(%[[Y:.*]] = %{{.*}}) -> (tensor<16x6xf32>) {
// CHECK:                 %[[SFIRST:.*]] = arith.addi %[[START]], %{{.*}} : index
// CHECK:                 %[[W:.*]] = tile.dot %{{.*}} {transpose_b} : tensor<16x12xf32>, tensor<16x12xf32> -> tensor<16x16xf32>
// CHECK-NEXT:            %[[TOFF:.*]] = arith.subi %[[FIRST]], %[[START]] : index
// CHECK:                 %[[SOFF:.*]] = arith.subi %[[SFIRST]], %[[START]] : index
// CHECK:                 %[[F:.*]] = tile.map
// CHECK-NEXT:            ^bb0(%[[T:.*]]: index, %[[S:.*]]: index):
// CHECK-NEXT:              %[[D:.*]] = arith.subi %[[T]], %[[S]] : index
// CHECK-NEXT:              arith.index_cast
// CHECK-NEXT:              arith.sitofp
// CHECK-NEXT:              math.absf
// CHECK-NEXT:              arith.constant -1.000000e-01 : f32
// CHECK-NEXT:              arith.mulf
// CHECK-NEXT:              %[[V:.*]] = math.exp
// CHECK-NEXT:              tile.yield %[[V]] : f32
// CHECK-NEXT:            }
// CHECK-NEXT:            %[[WF:.*]] = arith.mulf %[[W]], %[[F]] {{.*}}: tensor<16x16xf32>
// CHECK-NEXT:            %[[YN:.*]] = tile.dot %[[WF]], %{{.*}}, %[[Y]] : tensor<16x16xf32>, tensor<16x6xf32> -> tensor<16x6xf32>
// CHECK-NEXT:            scf.yield %[[YN]] : tensor<16x6xf32>
// CHECK-NEXT:          }
// CHECK:               tile.store %[[YL]], %[[YM]]
func.func @quadratic_custom_noncausal_varlen(%c: tensor<1x?x1x12xf32>, %b: tensor<1x?x1x12xf32>, %x: tensor<1x?x2x6xf32>, %cu: tensor<?xi32>) -> tensor<1x?x2x6xf32> {
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %h: index):
    %d = arith.subi %t, %s : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %a = math.absf %df : f32
    %k = arith.constant -0.1 : f32
    %e = arith.mulf %k, %a : f32
    %v = math.exp %e : f32
    sma.yield %v : f32
  }
  %y = sma.contract C(%c : tensor<1x?x1x12xf32>) B(%b : tensor<1x?x1x12xf32>) X(%x : tensor<1x?x2x6xf32>) mask(%m) seqs(%cu : tensor<?xi32>) {form = #sma.form<quadratic>} -> tensor<1x?x2x6xf32>
  return %y : tensor<1x?x2x6xf32>
}
