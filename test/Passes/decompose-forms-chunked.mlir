// RUN: smc-opt %s -split-input-file --sma-decompose-forms | FileCheck %s
// RUN: smc-opt %s -split-input-file --sma-decompose-forms=gpu=true | FileCheck %s --check-prefix=GPU

// The chunked (SSD) form, chunk Q = 16.
// The CPU (default prefix) runs it in one pass: [the cumsum grid of the
// log-decays,] then one program per (sequence, head) that starts from the
// initial state (or zeros) and loops over the chunks of its sequence with
// the f32 state H carried: each chunk's output from the state before it
// (C H^T, plus the lower-triangular scores (C B^T) o L times X), stored,
// then H advanced past the chunk (H + X^T B). No buffers besides the
// cumsum: no per-chunk states, segment ends or starts.
// The GPU keeps three passes: a scan of the chunk states per (sequence,
// segment of chunks, head), a combine of the segments per (sequence, head,
// block of state rows), and an output grid per (sequence, chunk, head).
// The causal mask has no cumsum and no decay.

// CHECK-LABEL: func.func @chunked_causal
// CHECK:         %[[BATCH:.*]] = tensor.dim
// CHECK:         %[[T:.*]] = tensor.dim
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<?x?x1x12xf32>, %[[B:[^:]*]]: memref<?x?x1x12xf32>, %[[X:[^:]*]]: memref<?x?x2x6xf32>, %[[YM:[^:]*]]: memref<?x?x2x6xf32>):
// CHECK-NOT:       memref.alloc
// CHECK-NOT:       tile.cumsum
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]]) in (%[[BATCH]], %c2{{(_[0-9]+)?}}) {
// CHECK-NEXT:        %[[RATIO:.*]] = arith.constant 2 : index
// CHECK-NEXT:        %[[GROUP:.*]] = arith.divui %[[HEAD]], %[[RATIO]] : index
// CHECK-NEXT:        %[[START:.*]] = arith.constant 0 : index
// CHECK-NEXT:        %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<6x12xf32>
// CHECK-NEXT:        %[[Q:.*]] = arith.constant 16 : index
// CHECK-NEXT:        %[[NK:.*]] = arith.ceildivui %[[T]], %[[Q]] : index
// CHECK-NEXT:        %[[K0:.*]] = arith.constant 0 : index
// CHECK-NEXT:        %[[K1:.*]] = arith.constant 1 : index
// CHECK-NEXT:        scf.for %[[K:.*]] = %[[K0]] to %[[NK]] step %[[K1]] iter_args(%[[H:.*]] = %[[ZERO]]) -> (tensor<6x12xf32>) {
// CHECK-NEXT:          %[[QK:.*]] = arith.constant 16 : index
// CHECK-NEXT:          %[[OFF:.*]] = arith.muli %[[K]], %[[QK]] : index
// CHECK-NEXT:          %[[HI:.*]] = arith.maxui %[[T]], %[[OFF]] : index
// CHECK-NEXT:          %[[LEFT:.*]] = arith.subi %[[HI]], %[[OFF]] : index
// CHECK-NEXT:          %[[FIRST:.*]] = arith.addi %[[START]], %[[OFF]] : index
// CHECK-NEXT:          %[[QC:.*]] = arith.constant 16 : index
// CHECK-NEXT:          %[[COUNT:.*]] = arith.minui %[[LEFT]], %[[QC]] : index
// The chunk's output from H, the state before it: C H^T, then the chunk's
// own lower-triangular block [s <= t].
// CHECK:               %[[CT:.*]] = tile.load %[[C]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:               %[[BT:.*]] = tile.load %[[B]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:               %[[XT:.*]] = tile.load %[[X]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x2x6xf32> -> tensor<16x6xf32>
// CHECK-NEXT:          %[[Y0:.*]] = arith.constant dense<0.000000e+00> : tensor<16x6xf32>
// CHECK-NEXT:          %[[YOFF:.*]] = tile.dot %[[CT]], %[[H]], %[[Y0]] {transpose_b} : tensor<16x12xf32>, tensor<6x12xf32> -> tensor<16x6xf32>
// CHECK-NEXT:          %[[S0:.*]] = arith.constant dense<0.000000e+00> : tensor<16x16xf32>
// CHECK-NEXT:          %[[S:.*]] = tile.dot %[[CT]], %[[BT]], %[[S0]] {transpose_b, tril_result} : tensor<16x12xf32>, tensor<16x12xf32> -> tensor<16x16xf32>
// CHECK-NEXT:          %[[SZ:.*]] = arith.constant dense<0.000000e+00> : tensor<16x16xf32>
// CHECK-NEXT:          %[[RT:.*]] = tile.range : tensor<16xindex>
// CHECK-NEXT:          %[[TI:.*]] = tile.broadcast %[[RT]] dims [1] : tensor<16xindex> -> tensor<16x16xindex>
// CHECK-NEXT:          %[[RS:.*]] = tile.range : tensor<16xindex>
// CHECK-NEXT:          %[[SI:.*]] = tile.broadcast %[[RS]] dims [0] : tensor<16xindex> -> tensor<16x16xindex>
// CHECK-NEXT:          %[[LOWER:.*]] = arith.cmpi ule, %[[SI]], %[[TI]] : tensor<16x16xindex>
// CHECK-NEXT:          %[[SL:.*]] = arith.select %[[LOWER]], %[[S]], %[[SZ]] : tensor<16x16xi1>, tensor<16x16xf32>
// CHECK-NEXT:          %[[Y:.*]] = tile.dot %[[SL]], %[[XT]], %[[YOFF]] {tril_a} : tensor<16x16xf32>, tensor<16x6xf32> -> tensor<16x6xf32>
// CHECK:               tile.store %[[Y]], %[[YM]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : tensor<16x6xf32>, memref<?x?x2x6xf32>
// Then the state past the chunk, H + X^T B (no decay); no final state.
// CHECK:               %[[XK:.*]] = tile.load %[[X]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x2x6xf32> -> tensor<16x6xf32>
// CHECK:               %[[BK:.*]] = tile.load %[[B]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK-NOT:           math.
// CHECK:               %[[HN:.*]] = tile.dot %[[XK]], %[[BK]], %[[H]] {transpose_a} : tensor<16x6xf32>, tensor<16x12xf32> -> tensor<6x12xf32>
// CHECK-NEXT:          scf.yield %[[HN]] : tensor<6x12xf32>
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return

// The GPU splits sequences into segments for about 512 scan programs:
// count = max(min(ceil(512 / (batch * heads)), chunks), 1) segments of
// max(ceil(chunks / count), 1) chunks. Its tiles are padded to 16 (the
// 6x12 state is a [16, 16] tile). Warps: the scan a warp per 16 rows of the
// state, the combine 4, the output a warp per 16 rows of the chunk.
// GPU-LABEL: func.func @chunked_causal
// GPU:         %[[BATCH:.*]] = tensor.dim
// GPU:         %[[T:.*]] = tensor.dim
// GPU:         tile.program
// GPU-NEXT:    ^bb0(%[[C:[^:]*]]: memref<?x?x1x12xf32>, %[[B:[^:]*]]: memref<?x?x1x12xf32>, %[[X:[^:]*]]: memref<?x?x2x6xf32>, %[[YM:[^:]*]]: memref<?x?x2x6xf32>):
// GPU-NOT:       tile.cumsum
// GPU:           %[[Q:.*]] = arith.constant 16 : index
// GPU-NEXT:      %[[CHUNKS:.*]] = arith.ceildivui %[[T]], %[[Q]] : index
// GPU-NEXT:      %[[ONE:.*]] = arith.constant 1 : index
// GPU-NEXT:      %[[HEADS:.*]] = arith.constant 2 : index
// GPU-NEXT:      %[[SLICES0:.*]] = arith.muli %[[BATCH]], %[[HEADS]] : index
// GPU-NEXT:      %[[SLICES:.*]] = arith.maxui %[[SLICES0]], %[[ONE]] : index
// GPU-NEXT:      %[[PROGRAMS:.*]] = arith.constant 512 : index
// GPU-NEXT:      %[[PER:.*]] = arith.ceildivui %[[PROGRAMS]], %[[SLICES]] : index
// GPU-NEXT:      %[[CAP:.*]] = arith.minui %[[PER]], %[[CHUNKS]] : index
// GPU-NEXT:      %[[NSEG:.*]] = arith.maxui %[[CAP]], %[[ONE]] : index
// GPU-NEXT:      %[[L0:.*]] = arith.ceildivui %[[CHUNKS]], %[[NSEG]] : index
// GPU-NEXT:      %[[SEGLEN:.*]] = arith.maxui %[[L0]], %[[ONE]] : index
// GPU-NEXT:      %[[STATES:.*]] = memref.alloc(%[[BATCH]], %[[CHUNKS]]) : memref<?x2x?x6x12xf32>
// GPU-NEXT:      %[[SEGEND:.*]] = memref.alloc(%[[BATCH]], %[[NSEG]]) : memref<?x2x?x6x12xf32>
// GPU-NEXT:      %[[SEGSTART:.*]] = memref.alloc(%[[BATCH]], %[[NSEG]]) : memref<?x2x?x6x12xf32>
// Scan: the state before each chunk of the segment, then the segment's end.
// GPU:           tile.grid (%[[SEQ:.*]], %[[SEG:.*]], %[[HEAD:.*]]) in (%[[BATCH]], %[[NSEG]], %{{.*}}) attributes {num_warps = 1 : i64} {
// GPU-NEXT:        %[[RATIO:.*]] = arith.constant 2 : index
// GPU-NEXT:        %[[GROUP:.*]] = arith.divui %[[HEAD]], %[[RATIO]] : index
// GPU:             %[[OWN:.*]] = arith.ceildivui %[[T]], %{{.*}} : index
// GPU-NEXT:        %[[F0:.*]] = arith.muli %[[SEG]], %[[SEGLEN]] : index
// GPU-NEXT:        %[[FIRSTK:.*]] = arith.minui %[[F0]], %[[OWN]] : index
// GPU-NEXT:        %[[E0:.*]] = arith.addi %[[FIRSTK]], %[[SEGLEN]] : index
// GPU-NEXT:        %[[ENDK:.*]] = arith.minui %[[E0]], %[[OWN]] : index
// GPU-NEXT:        %[[ANY:.*]] = arith.cmpi ult, %[[FIRSTK]], %[[ENDK]] : index
// GPU-NEXT:        scf.if %[[ANY]] {
// GPU-NEXT:          %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<16x16xf32>
// GPU:               %[[SCAN:.*]]:2 = scf.for %[[K:.*]] = %[[FIRSTK]] to %[[ENDK]] step %{{.*}} iter_args(%[[H:.*]] = %[[Z]], %{{.*}} = %{{.*}}) -> (tensor<16x16xf32>, f32) {
// GPU:                 tile.store %[[H]], %[[STATES]][%[[SEQ]], %[[HEAD]], %[[K]], %{{.*}}, %{{.*}}] dims [3, 4] bounds(%{{.*}}, %{{.*}}) : tensor<16x16xf32>, memref<?x2x?x6x12xf32>
// GPU-NOT:             math.exp
// GPU:                 %[[XK:.*]] = tile.load %[[X]][%[[SEQ]], %{{.*}}, %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%{{.*}}, %{{.*}}) : memref<?x?x2x6xf32> -> tensor<16x16xf32>
// GPU:                 %[[BK:.*]] = tile.load %[[B]][%[[SEQ]], %{{.*}}, %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%{{.*}}, %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x16xf32>
// GPU:                 %[[HN:.*]] = tile.dot %[[XK]], %[[BK]], %[[H]] {transpose_a} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// GPU:                 scf.yield %[[HN]], %{{.*}} : tensor<16x16xf32>, f32
// GPU:               tile.store %[[SCAN]]#0, %[[SEGEND]][%[[SEQ]], %[[HEAD]], %[[SEG]], %{{.*}}, %{{.*}}] dims [3, 4]
// GPU-NOT:           memref.store
// Combine: the state before each segment (from zero without an initial
// state); nothing else to store without a final state.
// GPU:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]], %[[PART:.*]]) in (%[[BATCH]], %{{.*}}, %{{.*}}) attributes {num_warps = 4 : i64} {
// GPU:             %[[ROW0:.*]] = arith.muli %[[PART]], %{{.*}} : index
// GPU:             %[[SEGS:.*]] = arith.ceildivui %{{.*}}, %[[SEGLEN]] : index
// GPU-NEXT:        %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<16x16xf32>
// GPU:             scf.for %[[J:.*]] = %{{.*}} to %[[SEGS]] step %{{.*}} iter_args(%[[H:.*]] = %[[Z]]) -> (tensor<16x16xf32>) {
// GPU:               tile.store %[[H]], %[[SEGSTART]][%[[SEQ]], %[[HEAD]], %[[J]], %[[ROW0]], %{{.*}}] dims [3, 4]
// GPU:               %[[END:.*]] = tile.load %[[SEGEND]][%[[SEQ]], %[[HEAD]], %[[J]], %[[ROW0]], %{{.*}}] dims [3, 4] {{.*}} -> tensor<16x16xf32>
// GPU-NEXT:          %[[HN:.*]] = arith.addf %[[H]], %[[END]] {{.*}}: tensor<16x16xf32>
// GPU-NEXT:          scf.yield %[[HN]] : tensor<16x16xf32>
// GPU-NEXT:        }
// GPU-NEXT:      }
// Output: C H^T from the chunk's state plus its segment's start, then the
// chunk's own lower-triangular block.
// GPU:           tile.grid (%[[SEQ:.*]], %[[CHUNK:.*]], %[[HEAD:.*]]) in (%[[BATCH]], %[[CHUNKS]], %{{.*}}) attributes {num_warps = 1 : i64} {
// GPU-NEXT:        %[[RATIO:.*]] = arith.constant 2 : index
// GPU-NEXT:        %[[GROUP:.*]] = arith.divui %[[HEAD]], %[[RATIO]] : index
// GPU:             %[[FIRST:.*]] = arith.addi
// GPU:             %[[COUNT:.*]] = arith.minui
// GPU:             scf.if
// GPU:               %[[CT:.*]] = tile.load %[[C]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x16xf32>
// GPU:               %[[BT:.*]] = tile.load %[[B]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x16xf32>
// GPU:               %[[XT:.*]] = tile.load %[[X]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x2x6xf32> -> tensor<16x16xf32>
// GPU-NEXT:          %[[SEGK:.*]] = arith.divui %[[CHUNK]], %[[SEGLEN]] : index
// GPU:               %[[BEFORE:.*]] = tile.load %[[SEGSTART]][%[[SEQ]], %[[HEAD]], %[[SEGK]], %{{.*}}, %{{.*}}] dims [3, 4] {{.*}} -> tensor<16x16xf32>
// GPU:               %[[OWNH:.*]] = tile.load %[[STATES]][%[[SEQ]], %[[HEAD]], %[[CHUNK]], %{{.*}}, %{{.*}}] dims [3, 4] {{.*}} -> tensor<16x16xf32>
// GPU-NEXT:          %[[HC:.*]] = arith.addf %[[OWNH]], %[[BEFORE]] {{.*}}: tensor<16x16xf32>
// GPU-NEXT:          %[[Y0:.*]] = arith.constant dense<0.000000e+00> : tensor<16x16xf32>
// GPU-NEXT:          %[[YOFF:.*]] = tile.dot %[[CT]], %[[HC]], %[[Y0]] {transpose_b} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// GPU-NEXT:          %[[S0:.*]] = arith.constant dense<0.000000e+00> : tensor<16x16xf32>
// GPU-NEXT:          %[[S:.*]] = tile.dot %[[CT]], %[[BT]], %[[S0]] {transpose_b, tril_result} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// GPU-NOT:           math.exp
// GPU:               %[[LOWER:.*]] = arith.cmpi ule, %{{.*}}, %{{.*}} : tensor<16x16xindex>
// GPU-NEXT:          %[[SL:.*]] = arith.select %[[LOWER]], %[[S]], %{{.*}} : tensor<16x16xi1>, tensor<16x16xf32>
// GPU-NEXT:          %[[Y:.*]] = tile.dot %[[SL]], %[[XT]], %[[YOFF]] {tril_a} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// GPU:               tile.store %[[Y]], %[[YM]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : tensor<16x16xf32>, memref<?x?x2x6xf32>
// GPU-NOT:       tile.grid
func.func @chunked_causal(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>) -> tensor<?x?x2x6xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<chunked, 16>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// A fixed decay: the cumsum grid (tile.cumsum of log gamma_h within each
// chunk). On the CPU, each chunk weighs C H^T by e^{cum_t} and the scores
// by e^{cum_t - cum_s}; the state advances with B weighed by e^{A - cum}
// (A the chunk's total, the cumsum at its last row) and H decayed by e^{A}
// (as H + expm1(A) H). The only buffer is the cumsum's.

// CHECK-LABEL: func.func @chunked_fixed_decay
// CHECK:         %[[BATCH:.*]] = tensor.dim
// CHECK:         %[[T:.*]] = tensor.dim
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<?x?x1x12xf32>, %[[B:[^:]*]]: memref<?x?x1x12xf32>, %[[X:[^:]*]]: memref<?x?x2x6xf32>, %[[YM:[^:]*]]: memref<?x?x2x6xf32>):
// CHECK:           %[[CUM:.*]] = memref.alloc(%[[BATCH]], %[[T]]) : memref<?x?x2xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %{{.*}}, %[[HEAD:.*]]) in {{.*}} attributes {num_warps = 1 : i64} {
// CHECK:             %[[LOG:.*]] = vector.extract %{{.*}}[%[[HEAD]]] : f32 from vector<2xf32>
// CHECK:             %[[LOGS:.*]] = tensor.splat %[[LOG]] : tensor<16xf32>
// CHECK-NEXT:        %[[LD:.*]] = arith.select %{{.*}}, %[[LOGS]], %{{.*}} : tensor<16xi1>, tensor<16xf32>
// CHECK-NEXT:        %[[SUMS:.*]] = tile.cumsum %[[LD]] : tensor<16xf32>
// CHECK-NEXT:        tile.store %[[SUMS]], %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] dims [1] bounds(%{{.*}}) : tensor<16xf32>, memref<?x?x2xf32>
// CHECK-NOT:       memref.alloc
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]]) in (%[[BATCH]], %c2{{(_[0-9]+)?}}) {
// CHECK-NEXT:        %[[RATIO:.*]] = arith.constant 2 : index
// CHECK-NEXT:        %[[GROUP:.*]] = arith.divui %[[HEAD]], %[[RATIO]] : index
// CHECK:             %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<6x12xf32>
// CHECK:             scf.for %{{.*}} iter_args(%[[H:.*]] = %[[ZERO]]) -> (tensor<6x12xf32>) {
// CHECK:               %[[FIRST:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:          %[[QC:.*]] = arith.constant 16 : index
// CHECK-NEXT:          %[[COUNT:.*]] = arith.minui %{{.*}}, %[[QC]] : index
// CHECK:               %[[CT:.*]] = tile.load %[[C]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:               %[[BT:.*]] = tile.load %[[B]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:               %[[XT:.*]] = tile.load %[[X]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x2x6xf32> -> tensor<16x6xf32>
// CHECK-NEXT:          %[[SUMS:.*]] = tile.load %[[CUM]][%[[SEQ]], %[[FIRST]], %[[HEAD]]] dims [1] bounds(%[[COUNT]]) : memref<?x?x2xf32> -> tensor<16xf32>
// CHECK-NEXT:          %[[Y0:.*]] = arith.constant dense<0.000000e+00> : tensor<16x6xf32>
// CHECK-NEXT:          %[[YOFF:.*]] = tile.dot %[[CT]], %[[H]], %[[Y0]] {transpose_b} : tensor<16x12xf32>, tensor<6x12xf32> -> tensor<16x6xf32>
// CHECK-NEXT:          %[[EC:.*]] = math.exp %[[SUMS]] : tensor<16xf32>
// CHECK-NEXT:          %[[ECB:.*]] = tile.broadcast %[[EC]] dims [1] : tensor<16xf32> -> tensor<16x6xf32>
// CHECK-NEXT:          %[[YD:.*]] = arith.mulf %[[YOFF]], %[[ECB]] {{.*}}: tensor<16x6xf32>
// CHECK-NEXT:          %[[S0:.*]] = arith.constant dense<0.000000e+00> : tensor<16x16xf32>
// CHECK-NEXT:          %[[S:.*]] = tile.dot %[[CT]], %[[BT]], %[[S0]] {transpose_b, tril_result} : tensor<16x12xf32>, tensor<16x12xf32> -> tensor<16x16xf32>
// CHECK-NEXT:          %[[FROM:.*]] = tile.broadcast %[[SUMS]] dims [0] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK-NEXT:          %[[AT:.*]] = tile.broadcast %[[SUMS]] dims [1] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK-NEXT:          %[[DIFF:.*]] = arith.subf %[[AT]], %[[FROM]] : tensor<16x16xf32>
// CHECK-NEXT:          %[[E:.*]] = math.exp %[[DIFF]] : tensor<16x16xf32>
// CHECK-NEXT:          %[[SD:.*]] = arith.mulf %[[S]], %[[E]] {{.*}}: tensor<16x16xf32>
// CHECK:               %[[LOWER:.*]] = arith.cmpi ule, %{{.*}}, %{{.*}} : tensor<16x16xindex>
// CHECK-NEXT:          %[[SL:.*]] = arith.select %[[LOWER]], %[[SD]], %{{.*}} : tensor<16x16xi1>, tensor<16x16xf32>
// CHECK-NEXT:          %[[Y:.*]] = tile.dot %[[SL]], %[[XT]], %[[YD]] {tril_a} : tensor<16x16xf32>, tensor<16x6xf32> -> tensor<16x6xf32>
// CHECK:               tile.store %[[Y]], %[[YM]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : tensor<16x6xf32>, memref<?x?x2x6xf32>
// CHECK:               %[[XK:.*]] = tile.load %[[X]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] {{.*}} -> tensor<16x6xf32>
// CHECK:               %[[BK:.*]] = tile.load %[[B]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] {{.*}} -> tensor<16x12xf32>
// CHECK:               %[[I1:.*]] = arith.constant 1 : index
// CHECK-NEXT:          %[[END:.*]] = arith.addi %[[FIRST]], %[[COUNT]] : index
// CHECK-NEXT:          %[[LAST:.*]] = arith.subi %[[END]], %[[I1]] : index
// CHECK-NEXT:          %[[TOTAL:.*]] = tile.load %[[CUM]][%[[SEQ]], %[[LAST]], %[[HEAD]]] : memref<?x?x2xf32> -> f32
// CHECK-NEXT:          %[[SK:.*]] = tile.load %[[CUM]][%[[SEQ]], %[[FIRST]], %[[HEAD]]] dims [1] bounds(%[[COUNT]]) : memref<?x?x2xf32> -> tensor<16xf32>
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
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return

// The GPU's three passes: the scan records e^{run} (the decay from the
// segment's start to each chunk) and each segment's total, weighs B by
// e^{A - cum} and decays the state by e^{A} (as expm1); the combine decays
// by the segments' totals; the output decays the segment's start to the
// chunk, weighs C H^T by e^{cum_t} and the scores by e^{cum_t - cum_s}.
// GPU-LABEL: func.func @chunked_fixed_decay
// GPU:           %[[CUM:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?x2xf32>
// GPU:           tile.grid (%[[SEQ:.*]], %{{.*}}, %[[HEAD:.*]]) in {{.*}} attributes {num_warps = 1 : i64} {
// GPU:             %[[LD:.*]] = arith.select %{{.*}} : tensor<16xi1>, tensor<16xf32>
// GPU-NEXT:        %[[SUMS:.*]] = tile.cumsum %[[LD]] : tensor<16xf32>
// GPU-NEXT:        tile.store %[[SUMS]], %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] dims [1] bounds(%{{.*}}) : tensor<16xf32>, memref<?x?x2xf32>
// GPU:           %[[STATES:.*]] = memref.alloc({{.*}}) : memref<?x2x?x6x12xf32>
// GPU-NEXT:      %[[DECAYTO:.*]] = memref.alloc({{.*}}) : memref<?x2x?xf32>
// GPU-NEXT:      %[[SEGEND:.*]] = memref.alloc({{.*}}) : memref<?x2x?x6x12xf32>
// GPU-NEXT:      %[[SEGTOTAL:.*]] = memref.alloc({{.*}}) : memref<?x2x?xf32>
// GPU-NEXT:      %[[SEGSTART:.*]] = memref.alloc({{.*}}) : memref<?x2x?x6x12xf32>
// GPU:           tile.grid (%[[SEQ:.*]], %[[SEG:.*]], %[[HEAD:.*]]) in
// GPU:               %[[SCAN:.*]]:2 = scf.for %[[K:.*]] = {{.*}} iter_args(%[[H:.*]] = %{{.*}}, %[[ACC:.*]] = %{{.*}}) -> (tensor<16x16xf32>, f32) {
// GPU:                 tile.store %[[H]], %[[STATES]][%[[SEQ]], %[[HEAD]], %[[K]], %{{.*}}, %{{.*}}]
// GPU-NEXT:            %[[ER:.*]] = math.exp %[[ACC]] : f32
// GPU-NEXT:            memref.store %[[ER]], %[[DECAYTO]][%[[SEQ]], %[[HEAD]], %[[K]]] : memref<?x2x?xf32>
// GPU:                 %[[XK:.*]] = tile.load {{.*}} -> tensor<16x16xf32>
// GPU:                 %[[BK:.*]] = tile.load {{.*}} -> tensor<16x16xf32>
// GPU:                 %[[TOTAL:.*]] = tile.load %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] : memref<?x?x2xf32> -> f32
// GPU-NEXT:            %[[SK:.*]] = tile.load %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] dims [1] bounds(%{{.*}}) : memref<?x?x2xf32> -> tensor<16xf32>
// GPU-NEXT:            %[[TS:.*]] = tensor.splat %[[TOTAL]] : tensor<16xf32>
// GPU-NEXT:            %[[REST:.*]] = arith.subf %[[TS]], %[[SK]] : tensor<16xf32>
// GPU-NEXT:            %[[WR:.*]] = math.exp %[[REST]] : tensor<16xf32>
// GPU-NEXT:            %[[WB:.*]] = tile.broadcast %[[WR]] dims [1] : tensor<16xf32> -> tensor<16x16xf32>
// GPU-NEXT:            %[[BW:.*]] = arith.mulf %[[BK]], %[[WB]] {{.*}}: tensor<16x16xf32>
// GPU-NEXT:            %[[EM1:.*]] = math.expm1 %[[TOTAL]] : f32
// GPU-NEXT:            %[[ES:.*]] = tensor.splat %[[EM1]] : tensor<16x16xf32>
// GPU-NEXT:            %[[DH:.*]] = arith.mulf %[[ES]], %[[H]] {{.*}}: tensor<16x16xf32>
// GPU-NEXT:            %[[HD:.*]] = arith.addf %[[H]], %[[DH]] {{.*}}: tensor<16x16xf32>
// GPU-NEXT:            %[[HN:.*]] = tile.dot %[[XK]], %[[BW]], %[[HD]] {transpose_a} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// GPU-NEXT:            %[[RN:.*]] = arith.addf %[[ACC]], %[[TOTAL]] {{.*}}: f32
// GPU-NEXT:            scf.yield %[[HN]], %[[RN]] : tensor<16x16xf32>, f32
// GPU:               tile.store %[[SCAN]]#0, %[[SEGEND]][%[[SEQ]], %[[HEAD]], %[[SEG]], %{{.*}}, %{{.*}}]
// GPU-NEXT:          memref.store %[[SCAN]]#1, %[[SEGTOTAL]][%[[SEQ]], %[[HEAD]], %[[SEG]]] : memref<?x2x?xf32>
// GPU:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]], %{{.*}}) in
// GPU:             scf.for %[[J:.*]] = {{.*}} iter_args(%[[H:.*]] = %{{.*}}) -> (tensor<16x16xf32>) {
// GPU:               tile.store %[[H]], %[[SEGSTART]][%[[SEQ]], %[[HEAD]], %[[J]], %{{.*}}, %{{.*}}]
// GPU-NEXT:          %[[TOT:.*]] = tile.load %[[SEGTOTAL]][%[[SEQ]], %[[HEAD]], %[[J]]] : memref<?x2x?xf32> -> f32
// GPU-NEXT:          %[[EM1:.*]] = math.expm1 %[[TOT]] : f32
// GPU-NEXT:          %[[ES:.*]] = tensor.splat %[[EM1]] : tensor<16x16xf32>
// GPU-NEXT:          %[[DH:.*]] = arith.mulf %[[ES]], %[[H]] {{.*}}: tensor<16x16xf32>
// GPU-NEXT:          %[[HD:.*]] = arith.addf %[[H]], %[[DH]] {{.*}}: tensor<16x16xf32>
// GPU:               %[[END:.*]] = tile.load %[[SEGEND]]
// GPU-NEXT:          %[[HN:.*]] = arith.addf %[[HD]], %[[END]] {{.*}}: tensor<16x16xf32>
// GPU-NEXT:          scf.yield %[[HN]] : tensor<16x16xf32>
// GPU:           tile.grid (%[[SEQ:.*]], %[[CHUNK:.*]], %[[HEAD:.*]]) in
// GPU:               %[[SUMS:.*]] = tile.load %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] dims [1] {{.*}} -> tensor<16xf32>
// GPU:               %[[BEFORE:.*]] = tile.load %[[SEGSTART]]
// GPU-NEXT:          %[[DT:.*]] = tile.load %[[DECAYTO]][%[[SEQ]], %[[HEAD]], %[[CHUNK]]] : memref<?x2x?xf32> -> f32
// GPU-NEXT:          %[[DTS:.*]] = tensor.splat %[[DT]] : tensor<16x16xf32>
// GPU-NEXT:          %[[BD:.*]] = arith.mulf %[[BEFORE]], %[[DTS]] {{.*}}: tensor<16x16xf32>
// GPU:               %[[OWNH:.*]] = tile.load %[[STATES]]
// GPU-NEXT:          %[[HC:.*]] = arith.addf %[[OWNH]], %[[BD]] {{.*}}: tensor<16x16xf32>
// GPU:               %[[YOFF:.*]] = tile.dot %{{.*}}, %[[HC]], %{{.*}} {transpose_b}
// GPU-NEXT:          %[[EC:.*]] = math.exp %[[SUMS]] : tensor<16xf32>
// GPU-NEXT:          %[[ECB:.*]] = tile.broadcast %[[EC]] dims [1] : tensor<16xf32> -> tensor<16x16xf32>
// GPU-NEXT:          %[[YD:.*]] = arith.mulf %[[YOFF]], %[[ECB]] {{.*}}: tensor<16x16xf32>
// GPU:               %[[S:.*]] = tile.dot %{{.*}} {transpose_b, tril_result}
// GPU-NEXT:          %[[FROM:.*]] = tile.broadcast %[[SUMS]] dims [0] : tensor<16xf32> -> tensor<16x16xf32>
// GPU-NEXT:          %[[AT:.*]] = tile.broadcast %[[SUMS]] dims [1] : tensor<16xf32> -> tensor<16x16xf32>
// GPU-NEXT:          %[[DIFF:.*]] = arith.subf %[[AT]], %[[FROM]] : tensor<16x16xf32>
// GPU-NEXT:          %[[E:.*]] = math.exp %[[DIFF]] : tensor<16x16xf32>
// GPU-NEXT:          %[[SD:.*]] = arith.mulf %[[S]], %[[E]] {{.*}}: tensor<16x16xf32>
// GPU:               %[[SL:.*]] = arith.select %{{.*}}, %[[SD]], %{{.*}} : tensor<16x16xi1>, tensor<16x16xf32>
// GPU-NEXT:          tile.dot %[[SL]], %{{.*}}, %[[YD]] {tril_a}
func.func @chunked_fixed_decay(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>) -> tensor<?x?x2x6xf32> {
  %m = sma.mask.fixed_decay [0.5, 0.25]
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<chunked, 16>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// bf16 data, chunk 24, initial and final states. The CPU computes in f32
// on tiles of 24 positions: the loop starts from the initial state (all
// p = 6 rows), extends each chunk's loads to f32, truncates its output to
// bf16, and the state it ends with is the final state. The GPU pads the
// chunk to 32 positions (and p, n to 16), keeps the products' operands in
// bf16 (the chunk states and segment starts are bf16 buffers) and the
// accumulators in f32; its combine starts from the initial state and
// stores the final state, per block of 16 state rows.

// CHECK-LABEL: func.func @chunked_decay_states
// CHECK:         %[[BATCH:.*]] = tensor.dim
// CHECK:         %[[T:.*]] = tensor.dim
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<?x?x1x12xbf16>, %[[B:[^:]*]]: memref<?x?x1x12xbf16>, %[[X:[^:]*]]: memref<?x?x2x6xbf16>, %[[S0:[^:]*]]: memref<?x2x6x12xf32>, %[[A:[^:]*]]: memref<?x?x2xf32>, %[[YM:[^:]*]]: memref<?x?x2x6xbf16>, %[[SF:[^:]*]]: memref<?x2x6x12xf32>):
// CHECK:           %[[CUM:.*]] = memref.alloc(%[[BATCH]], %[[T]]) : memref<?x?x2xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %{{.*}}, %[[HEAD:.*]]) in {{.*}} attributes {num_warps = 1 : i64} {
// CHECK:             %[[LA:.*]] = tile.load %[[A]][%[[SEQ]], %{{.*}}, %[[HEAD]]] dims [1] {{.*}} -> tensor<24xf32>
// CHECK-NEXT:        %[[LD:.*]] = tile.map(%[[LA]]) : (tensor<24xf32>) -> tensor<24xf32> {
// CHECK:             %[[SUMS:.*]] = tile.cumsum %[[LD]] : tensor<24xf32>
// CHECK-NEXT:        tile.store %[[SUMS]], %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] dims [1] {{.*}} : tensor<24xf32>, memref<?x?x2xf32>
// CHECK-NOT:       memref.alloc
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]]) in (%[[BATCH]], %c2{{(_[0-9]+)?}}) {
// CHECK-NEXT:        %[[RATIO:.*]] = arith.constant 2 : index
// CHECK-NEXT:        %[[GROUP:.*]] = arith.divui %[[HEAD]], %[[RATIO]] : index
// CHECK-NEXT:        %[[START:.*]] = arith.constant 0 : index
// CHECK-NEXT:        %[[ROW0:.*]] = arith.constant 0 : index
// CHECK-NEXT:        %[[COL0:.*]] = arith.constant 0 : index
// CHECK-NEXT:        %[[P:.*]] = arith.constant 6 : index
// CHECK-NEXT:        %[[ROWS:.*]] = arith.subi %[[P]], %[[ROW0]] : index
// CHECK-NEXT:        %[[N:.*]] = arith.constant 12 : index
// CHECK-NEXT:        %[[H0:.*]] = tile.load %[[S0]][%[[SEQ]], %[[HEAD]], %[[ROW0]], %[[COL0]]] dims [2, 3] bounds(%[[ROWS]], %[[N]]) : memref<?x2x6x12xf32> -> tensor<6x12xf32>
// CHECK-NEXT:        %[[Q:.*]] = arith.constant 24 : index
// CHECK-NEXT:        %[[NK:.*]] = arith.ceildivui %[[T]], %[[Q]] : index
// CHECK:             %[[HL:.*]] = scf.for %{{.*}} = %{{.*}} to %[[NK]] step %{{.*}} iter_args(%[[H:.*]] = %[[H0]]) -> (tensor<6x12xf32>) {
// CHECK:               %[[FIRST:.*]] = arith.addi %[[START]], %{{.*}} : index
// CHECK-NEXT:          %[[QC:.*]] = arith.constant 24 : index
// CHECK-NEXT:          %[[COUNT:.*]] = arith.minui %{{.*}}, %[[QC]] : index
// CHECK:               %[[CB:.*]] = tile.load %[[C]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xbf16> -> tensor<24x12xbf16>
// CHECK-NEXT:          %[[CT:.*]] = arith.extf %[[CB]] : tensor<24x12xbf16> to tensor<24x12xf32>
// CHECK:               %[[BB:.*]] = tile.load %[[B]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xbf16> -> tensor<24x12xbf16>
// CHECK-NEXT:          %[[BT:.*]] = arith.extf %[[BB]] : tensor<24x12xbf16> to tensor<24x12xf32>
// CHECK:               %[[XB:.*]] = tile.load %[[X]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x2x6xbf16> -> tensor<24x6xbf16>
// CHECK-NEXT:          %[[XT:.*]] = arith.extf %[[XB]] : tensor<24x6xbf16> to tensor<24x6xf32>
// CHECK-NEXT:          %[[SUMS:.*]] = tile.load %[[CUM]][%[[SEQ]], %[[FIRST]], %[[HEAD]]] dims [1] bounds(%[[COUNT]]) : memref<?x?x2xf32> -> tensor<24xf32>
// CHECK-NEXT:          %[[Y0:.*]] = arith.constant dense<0.000000e+00> : tensor<24x6xf32>
// CHECK-NEXT:          %[[YOFF:.*]] = tile.dot %[[CT]], %[[H]], %[[Y0]] {transpose_b} : tensor<24x12xf32>, tensor<6x12xf32> -> tensor<24x6xf32>
// CHECK-NEXT:          %[[EC:.*]] = math.exp %[[SUMS]] : tensor<24xf32>
// CHECK-NEXT:          %[[ECB:.*]] = tile.broadcast %[[EC]] dims [1] : tensor<24xf32> -> tensor<24x6xf32>
// CHECK-NEXT:          %[[YD:.*]] = arith.mulf %[[YOFF]], %[[ECB]] {{.*}}: tensor<24x6xf32>
// CHECK-NEXT:          %[[SC0:.*]] = arith.constant dense<0.000000e+00> : tensor<24x24xf32>
// CHECK-NEXT:          %[[S:.*]] = tile.dot %[[CT]], %[[BT]], %[[SC0]] {transpose_b, tril_result} : tensor<24x12xf32>, tensor<24x12xf32> -> tensor<24x24xf32>
// CHECK:               %[[DIFF:.*]] = arith.subf %{{.*}}, %{{.*}} : tensor<24x24xf32>
// CHECK-NEXT:          %[[E:.*]] = math.exp %[[DIFF]] : tensor<24x24xf32>
// CHECK-NEXT:          %[[SD:.*]] = arith.mulf %[[S]], %[[E]] {{.*}}: tensor<24x24xf32>
// CHECK:               %[[LOWER:.*]] = arith.cmpi ule, %{{.*}}, %{{.*}} : tensor<24x24xindex>
// CHECK-NEXT:          %[[SL:.*]] = arith.select %[[LOWER]], %[[SD]], %{{.*}} : tensor<24x24xi1>, tensor<24x24xf32>
// CHECK-NEXT:          %[[Y:.*]] = tile.dot %[[SL]], %[[XT]], %[[YD]] {tril_a} : tensor<24x24xf32>, tensor<24x6xf32> -> tensor<24x6xf32>
// CHECK:               %[[YB:.*]] = arith.truncf %[[Y]] : tensor<24x6xf32> to tensor<24x6xbf16>
// CHECK-NEXT:          tile.store %[[YB]], %[[YM]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : tensor<24x6xbf16>, memref<?x?x2x6xbf16>
// CHECK:               %[[XKB:.*]] = tile.load %[[X]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] {{.*}} -> tensor<24x6xbf16>
// CHECK-NEXT:          %[[XK:.*]] = arith.extf %[[XKB]] : tensor<24x6xbf16> to tensor<24x6xf32>
// CHECK:               %[[BKB:.*]] = tile.load %[[B]][%[[SEQ]], %[[FIRST]], %[[GROUP]], %{{.*}}] {{.*}} -> tensor<24x12xbf16>
// CHECK-NEXT:          %[[BK:.*]] = arith.extf %[[BKB]] : tensor<24x12xbf16> to tensor<24x12xf32>
// CHECK:               %[[TOTAL:.*]] = tile.load %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] : memref<?x?x2xf32> -> f32
// CHECK:               %[[WB:.*]] = tile.broadcast %{{.*}} dims [1] : tensor<24xf32> -> tensor<24x12xf32>
// CHECK-NEXT:          %[[BW:.*]] = arith.mulf %[[BK]], %[[WB]] {{.*}}: tensor<24x12xf32>
// CHECK-NEXT:          %[[EM1:.*]] = math.expm1 %[[TOTAL]] : f32
// CHECK-NEXT:          %[[ES:.*]] = tensor.splat %[[EM1]] : tensor<6x12xf32>
// CHECK-NEXT:          %[[DH:.*]] = arith.mulf %[[ES]], %[[H]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:          %[[HD:.*]] = arith.addf %[[H]], %[[DH]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:          %[[HN:.*]] = tile.dot %[[XK]], %[[BW]], %[[HD]] {transpose_a} : tensor<24x6xf32>, tensor<24x12xf32> -> tensor<6x12xf32>
// CHECK-NEXT:          scf.yield %[[HN]] : tensor<6x12xf32>
// CHECK-NEXT:        }
// CHECK-NEXT:        %[[FROW0:.*]] = arith.constant 0 : index
// CHECK-NEXT:        %[[FCOL0:.*]] = arith.constant 0 : index
// CHECK-NEXT:        %[[FP:.*]] = arith.constant 6 : index
// CHECK-NEXT:        %[[FROWS:.*]] = arith.subi %[[FP]], %[[FROW0]] : index
// CHECK-NEXT:        %[[FN:.*]] = arith.constant 12 : index
// CHECK-NEXT:        tile.store %[[HL]], %[[SF]][%[[SEQ]], %[[HEAD]], %[[FROW0]], %[[FCOL0]]] dims [2, 3] bounds(%[[FROWS]], %[[FN]]) : tensor<6x12xf32>, memref<?x2x6x12xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return

// GPU-LABEL: func.func @chunked_decay_states
// GPU:         tile.program
// GPU-NEXT:    ^bb0({{.*}}, %[[S0:[^:]*]]: memref<?x2x6x12xf32>, %{{.*}}: memref<?x?x2xf32>, %{{.*}}: memref<?x?x2x6xbf16>, %[[SF:[^:]*]]: memref<?x2x6x12xf32>):
// GPU:           tile.grid {{.*}} attributes {num_warps = 1 : i64} {
// GPU:             tile.cumsum %{{.*}} : tensor<32xf32>
// GPU:           %[[STATES:.*]] = memref.alloc({{.*}}) : memref<?x2x?x6x12xbf16>
// GPU:           %[[SEGSTART:.*]] = memref.alloc({{.*}}) : memref<?x2x?x6x12xbf16>
// GPU:           tile.grid {{.*}} attributes {num_warps = 1 : i64} {
// GPU:               %[[H:.*]]:2 = scf.for {{.*}} -> (tensor<16x16xf32>, f32) {
// GPU:                 %[[HB:.*]] = arith.truncf %{{.*}} : tensor<16x16xf32> to tensor<16x16xbf16>
// GPU-NEXT:            tile.store %[[HB]], %[[STATES]]
// GPU:                 %[[XK:.*]] = tile.load {{.*}} -> tensor<32x16xbf16>
// GPU:                 %[[BW:.*]] = arith.truncf %{{.*}} : tensor<32x16xf32> to tensor<32x16xbf16>
// GPU-NEXT:            tile.dot %[[XK]], %[[BW]], %{{.*}} {transpose_a} : tensor<32x16xbf16>, tensor<32x16xbf16> -> tensor<16x16xf32>
// GPU:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]], %[[PART:.*]]) in {{.*}} attributes {num_warps = 4 : i64} {
// GPU:             %[[ROW0:.*]] = arith.muli %[[PART]], %{{.*}} : index
// GPU:             %[[H0:.*]] = tile.load %[[S0]][%[[SEQ]], %[[HEAD]], %[[ROW0]], %{{.*}}] dims [2, 3] {{.*}} -> tensor<16x16xf32>
// GPU:             %[[HL:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[H0]]) -> (tensor<16x16xf32>) {
// GPU:               arith.truncf %{{.*}} : tensor<16x16xf32> to tensor<16x16xbf16>
// GPU-NEXT:          tile.store %{{.*}}, %[[SEGSTART]]
// GPU:             tile.store %[[HL]], %[[SF]][%[[SEQ]], %[[HEAD]], %[[ROW0]], %{{.*}}] dims [2, 3] {{.*}} : tensor<16x16xf32>, memref<?x2x6x12xf32>
// GPU:           tile.grid {{.*}} attributes {num_warps = 2 : i64} {
// GPU:               tile.load {{.*}} -> tensor<32x16xbf16>
// GPU:               %[[HS:.*]] = arith.truncf %{{.*}} : tensor<16x16xf32> to tensor<16x16xbf16>
// GPU-NEXT:          tile.dot %{{.*}}, %[[HS]], %{{.*}} {transpose_b} : tensor<32x16xbf16>, tensor<16x16xbf16> -> tensor<32x16xf32>
// GPU:               tile.dot %{{.*}} {transpose_b, tril_result} : tensor<32x16xbf16>, tensor<32x16xbf16> -> tensor<32x32xf32>
// GPU:               %[[SB:.*]] = arith.truncf %{{.*}} : tensor<32x32xf32> to tensor<32x32xbf16>
// GPU-NEXT:          tile.dot %[[SB]], %{{.*}} {tril_a} : tensor<32x32xbf16>, tensor<32x16xbf16> -> tensor<32x16xf32>
func.func @chunked_decay_states(%c: tensor<?x?x1x12xbf16>, %b: tensor<?x?x1x12xbf16>, %x: tensor<?x?x2x6xbf16>, %a: tensor<?x?x2xf32>, %s0: tensor<?x2x6x12xf32>) -> (tensor<?x?x2x6xbf16>, tensor<?x2x6x12xf32>) {
  %m = sma.mask.decay %a : tensor<?x?x2xf32>
  %y, %s = sma.contract C(%c : tensor<?x?x1x12xbf16>) B(%b : tensor<?x?x1x12xbf16>) X(%x : tensor<?x?x2x6xbf16>) mask(%m) init(%s0 : tensor<?x2x6x12xf32>) {form = #sma.form<chunked, 24>} -> tensor<?x?x2x6xbf16>, tensor<?x2x6x12xf32>
  return %y, %s : tensor<?x?x2x6xbf16>, tensor<?x2x6x12xf32>
}

// -----

// Packed sequences with a decay times a fixed decay: Y is zeroed first; the
// cumsum buffer has one batch (positions are absolute in the packed
// sequence), its grid runs per packed sequence and adds the two log-decays.
// On the CPU the one-pass grid runs per (packed sequence, head): the
// sequence's rows [cu[s], cu[s+1]) (clamped to T) in chunks of 16 from
// cu[s], every access at batch 0.

// CHECK-LABEL: func.func @chunked_mul_varlen
// CHECK:         tensor.dim %{{.*}}, %{{.*}} : tensor<1x?x2x6xf32>
// CHECK:         %[[T:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<1x?x2x6xf32>
// CHECK:         %[[NSEQ:.*]] = arith.subi
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<1x?x1x12xf32>, %[[B:[^:]*]]: memref<1x?x1x12xf32>, %[[X:[^:]*]]: memref<1x?x2x6xf32>, %[[CU:[^:]*]]: memref<?xi32>, %[[A:[^:]*]]: memref<1x?x2xf32>, %[[YM:[^:]*]]: memref<1x?x2x6xf32>):
// CHECK:           tile.grid
// CHECK:             tile.store %{{.*}}, %[[YM]]{{.*}} : tensor<64x6xf32>, memref<1x?x2x6xf32>
// CHECK:           %[[CUM:.*]] = memref.alloc(%c1{{(_[0-9]+)?}}, %[[T]]) : memref<?x?x2xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %{{.*}}, %[[HEAD:.*]]) in (%[[NSEQ]], {{.*}} attributes {num_warps = 1 : i64} {
// CHECK:             %[[ZI:.*]] = arith.constant 0 : index
// CHECK-NEXT:        tile.load %[[CU]][%[[SEQ]]] : memref<?xi32> -> i32
// CHECK:             %[[LD:.*]] = tile.map
// CHECK:             %[[FIXED:.*]] = arith.select {{.*}} : tensor<16xi1>, tensor<16xf32>
// CHECK-NEXT:        %[[SUM:.*]] = arith.addf %[[LD]], %[[FIXED]] {{.*}}: tensor<16xf32>
// CHECK-NEXT:        %[[SUMS:.*]] = tile.cumsum %[[SUM]] : tensor<16xf32>
// CHECK-NEXT:        tile.store %[[SUMS]], %[[CUM]][%[[ZI]], %{{.*}}, %[[HEAD]]] dims [1]
// CHECK-NOT:       memref.alloc
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]]) in (%[[NSEQ]], %c2{{(_[0-9]+)?}}) {
// CHECK-NEXT:        %[[RATIO:.*]] = arith.constant 2 : index
// CHECK-NEXT:        %[[GROUP:.*]] = arith.divui %[[HEAD]], %[[RATIO]] : index
// CHECK-NEXT:        %[[ZI:.*]] = arith.constant 0 : index
// CHECK-NEXT:        %[[CB:.*]] = tile.load %[[CU]][%[[SEQ]]] : memref<?xi32> -> i32
// CHECK-NEXT:        %[[CBI:.*]] = arith.index_cast %[[CB]] : i32 to index
// CHECK-NEXT:        %[[CB0:.*]] = arith.maxsi %[[CBI]], %[[ZI]] : index
// CHECK-NEXT:        %[[BEGIN:.*]] = arith.minsi %[[CB0]], %[[T]] : index
// CHECK-NEXT:        %[[I1:.*]] = arith.constant 1 : index
// CHECK-NEXT:        %[[SEQ1:.*]] = arith.addi %[[SEQ]], %[[I1]] : index
// CHECK-NEXT:        %[[CE:.*]] = tile.load %[[CU]][%[[SEQ1]]] : memref<?xi32> -> i32
// CHECK-NEXT:        %[[CEI:.*]] = arith.index_cast %[[CE]] : i32 to index
// CHECK-NEXT:        %[[CE0:.*]] = arith.maxsi %[[CEI]], %[[ZI]] : index
// CHECK-NEXT:        %[[END:.*]] = arith.minsi %[[CE0]], %[[T]] : index
// CHECK-NEXT:        %[[END1:.*]] = arith.maxui %[[END]], %[[BEGIN]] : index
// CHECK-NEXT:        %[[LEN:.*]] = arith.subi %[[END1]], %[[BEGIN]] : index
// CHECK-NEXT:        %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<6x12xf32>
// CHECK-NEXT:        %[[Q:.*]] = arith.constant 16 : index
// CHECK-NEXT:        %[[NK:.*]] = arith.ceildivui %[[LEN]], %[[Q]] : index
// CHECK:             scf.for %[[K:.*]] = %{{.*}} to %[[NK]] step %{{.*}} iter_args(%[[H:.*]] = %[[ZERO]]) -> (tensor<6x12xf32>) {
// CHECK-NEXT:          %[[QK:.*]] = arith.constant 16 : index
// CHECK-NEXT:          %[[OFF:.*]] = arith.muli %[[K]], %[[QK]] : index
// CHECK-NEXT:          %[[HI:.*]] = arith.maxui %[[LEN]], %[[OFF]] : index
// CHECK-NEXT:          %[[LEFT:.*]] = arith.subi %[[HI]], %[[OFF]] : index
// CHECK-NEXT:          %[[FIRST:.*]] = arith.addi %[[BEGIN]], %[[OFF]] : index
// CHECK-NEXT:          %[[QC:.*]] = arith.constant 16 : index
// CHECK-NEXT:          %[[COUNT:.*]] = arith.minui %[[LEFT]], %[[QC]] : index
// CHECK:               %[[CT:.*]] = tile.load %[[C]][%[[ZI]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<1x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:               %[[BT:.*]] = tile.load %[[B]][%[[ZI]], %[[FIRST]], %[[GROUP]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<1x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:               %[[XT:.*]] = tile.load %[[X]][%[[ZI]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<1x?x2x6xf32> -> tensor<16x6xf32>
// CHECK-NEXT:          %[[SUMS:.*]] = tile.load %[[CUM]][%[[ZI]], %[[FIRST]], %[[HEAD]]] dims [1] bounds(%[[COUNT]]) : memref<?x?x2xf32> -> tensor<16xf32>
// CHECK-NEXT:          %[[Y0:.*]] = arith.constant dense<0.000000e+00> : tensor<16x6xf32>
// CHECK-NEXT:          %[[YOFF:.*]] = tile.dot %[[CT]], %[[H]], %[[Y0]] {transpose_b} : tensor<16x12xf32>, tensor<6x12xf32> -> tensor<16x6xf32>
// CHECK-NEXT:          %[[EC:.*]] = math.exp %[[SUMS]] : tensor<16xf32>
// CHECK:               %[[S:.*]] = tile.dot %[[CT]], %[[BT]], %{{.*}} {transpose_b, tril_result} : tensor<16x12xf32>, tensor<16x12xf32> -> tensor<16x16xf32>
// CHECK:               %[[E:.*]] = math.exp %{{.*}} : tensor<16x16xf32>
// CHECK-NEXT:          %[[SD:.*]] = arith.mulf %[[S]], %[[E]] {{.*}}: tensor<16x16xf32>
// CHECK:               %[[SL:.*]] = arith.select %{{.*}}, %[[SD]], %{{.*}} : tensor<16x16xi1>, tensor<16x16xf32>
// CHECK-NEXT:          %[[Y:.*]] = tile.dot %[[SL]], %[[XT]], %{{.*}} {tril_a} : tensor<16x16xf32>, tensor<16x6xf32> -> tensor<16x6xf32>
// CHECK:               tile.store %[[Y]], %[[YM]][%[[ZI]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : tensor<16x6xf32>, memref<1x?x2x6xf32>
// CHECK:               %[[XK:.*]] = tile.load %[[X]][%[[ZI]], %[[FIRST]], %[[HEAD]], %{{.*}}] {{.*}} -> tensor<16x6xf32>
// CHECK:               %[[BK:.*]] = tile.load %[[B]][%[[ZI]], %[[FIRST]], %[[GROUP]], %{{.*}}] {{.*}} -> tensor<16x12xf32>
// CHECK:               %[[TOTAL:.*]] = tile.load %[[CUM]][%[[ZI]], %{{.*}}, %[[HEAD]]] : memref<?x?x2xf32> -> f32
// CHECK:               %[[BW:.*]] = arith.mulf %[[BK]], %{{.*}} {{.*}}: tensor<16x12xf32>
// CHECK-NEXT:          %[[EM1:.*]] = math.expm1 %[[TOTAL]] : f32
// CHECK:               %[[HD:.*]] = arith.addf %[[H]], %{{.*}} {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:          %[[HN:.*]] = tile.dot %[[XK]], %[[BW]], %[[HD]] {transpose_a} : tensor<16x6xf32>, tensor<16x12xf32> -> tensor<6x12xf32>
// CHECK-NEXT:          scf.yield %[[HN]] : tensor<6x12xf32>
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return

// On the GPU, the zeroing grid has tiles padded to 16 columns, and the
// scan, combine and output grids each run per packed sequence and read
// the sequence's start from cu_seqlens.
// GPU-LABEL: func.func @chunked_mul_varlen
// GPU:         %[[NSEQ:.*]] = arith.subi
// GPU:         tile.program
// GPU-NEXT:    ^bb0({{.*}}, %[[CU:[^:]*]]: memref<?xi32>, %[[A:[^:]*]]: memref<1x?x2xf32>, %[[YM:[^:]*]]: memref<1x?x2x6xf32>):
// GPU:           tile.grid {{.*}} attributes {num_warps = 4 : i64} {
// GPU:             tile.store %{{.*}}, %[[YM]]{{.*}} : tensor<64x16xf32>, memref<1x?x2x6xf32>
// GPU:           %[[CUM:.*]] = memref.alloc(%c1{{(_[0-9]+)?}}, %{{.*}}) : memref<?x?x2xf32>
// GPU:           tile.grid (%{{.*}}, %{{.*}}, %{{.*}}) in (%[[NSEQ]], {{.*}} attributes {num_warps = 1 : i64} {
// GPU:             tile.load %[[A]]
// GPU:             tile.cumsum %{{.*}} : tensor<16xf32>
// GPU:           memref.alloc(%[[NSEQ]], %{{.*}}) : memref<?x2x?x6x12xf32>
// GPU:           tile.grid (%[[SEQ:.*]], %{{.*}}, %{{.*}}) in (%[[NSEQ]], %{{.*}}, %{{.*}}) attributes {num_warps = 1 : i64} {
// GPU:             tile.load %[[CU]][%[[SEQ]]] : memref<?xi32> -> i32
// GPU:               scf.for {{.*}} -> (tensor<16x16xf32>, f32) {
// GPU:                 tile.load %[[CUM]]
// GPU:                 tile.dot {{.*}} {transpose_a} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// GPU:           tile.grid (%[[SEQ:.*]], %{{.*}}, %{{.*}}) in (%[[NSEQ]], %{{.*}}, %{{.*}}) attributes {num_warps = 4 : i64} {
// GPU:             tile.load %[[CU]][%[[SEQ]]] : memref<?xi32> -> i32
// GPU:             scf.for {{.*}} -> (tensor<16x16xf32>) {
// GPU:           tile.grid (%[[SEQ:.*]], %{{.*}}, %{{.*}}) in (%[[NSEQ]], %{{.*}}, %{{.*}}) attributes {num_warps = 1 : i64} {
// GPU:             tile.load %[[CU]][%[[SEQ]]] : memref<?xi32> -> i32
// GPU:               tile.dot {{.*}} {tril_a} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// GPU:               tile.store %{{.*}}, %[[YM]]
func.func @chunked_mul_varlen(%c: tensor<1x?x1x12xf32>, %b: tensor<1x?x1x12xf32>, %x: tensor<1x?x2x6xf32>, %a: tensor<1x?x2xf32>, %cu: tensor<?xi32>) -> tensor<1x?x2x6xf32> {
  %d = sma.mask.decay %a : tensor<1x?x2xf32>
  %f = sma.mask.fixed_decay [0.5, 0.25]
  %m = sma.mask.mul %d, %f
  %y = sma.contract C(%c : tensor<1x?x1x12xf32>) B(%b : tensor<1x?x1x12xf32>) X(%x : tensor<1x?x2x6xf32>) mask(%m) seqs(%cu : tensor<?xi32>) {form = #sma.form<chunked, 16>} -> tensor<1x?x2x6xf32>
  return %y : tensor<1x?x2x6xf32>
}

// -----

// The largest GPU chunk, 128 (p = n = 64, h = 8, g = 1). The CPU runs one
// program per (sequence, head) carrying the [64, 64] f32 state through
// chunks of 128 rows. On the GPU, the combine has 4 programs of 16 state
// rows a head, the output grid 8 warps for its 128 rows.

// CHECK-LABEL: func.func @chunked_128
// CHECK:         tile.grid {{.*}} attributes {num_warps = 1 : i64} {
// CHECK:           tile.cumsum %{{.*}} : tensor<128xf32>
// CHECK-NOT:     memref.alloc
// CHECK:         tile.grid (%{{.*}}, %{{.*}}) in (%{{.*}}, %c8{{(_[0-9]+)?}}) {
// CHECK:           scf.for {{.*}} -> (tensor<64x64xf32>) {
// CHECK:             tile.dot %{{.*}} {transpose_b} : tensor<128x64xf32>, tensor<64x64xf32> -> tensor<128x64xf32>
// CHECK:             tile.dot %{{.*}} {transpose_b, tril_result} : tensor<128x64xf32>, tensor<128x64xf32> -> tensor<128x128xf32>
// CHECK:             %[[Y:.*]] = tile.dot %{{.*}} {tril_a} : tensor<128x128xf32>, tensor<128x64xf32> -> tensor<128x64xf32>
// CHECK:             %[[YB:.*]] = arith.truncf %[[Y]] : tensor<128x64xf32> to tensor<128x64xbf16>
// CHECK-NEXT:        tile.store %[[YB]]
// CHECK:             %[[HN:.*]] = tile.dot %{{.*}} {transpose_a} : tensor<128x64xf32>, tensor<128x64xf32> -> tensor<64x64xf32>
// CHECK-NEXT:        scf.yield %[[HN]] : tensor<64x64xf32>
// CHECK-NOT:     tile.grid

// GPU-LABEL: func.func @chunked_128
// GPU:         tile.grid {{.*}} attributes {num_warps = 1 : i64} {
// GPU:           tile.cumsum %{{.*}} : tensor<128xf32>
// GPU:         tile.grid {{.*}} attributes {num_warps = 4 : i64} {
// GPU:             tile.dot %{{.*}} {transpose_a} : tensor<128x64xbf16>, tensor<128x64xbf16> -> tensor<64x64xf32>
// GPU:         %[[PARTS:.*]] = arith.constant 4 : index
// GPU-NEXT:    tile.grid (%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}}, %{{.*}}, %[[PARTS]]) attributes {num_warps = 4 : i64} {
// GPU:           scf.for {{.*}} -> (tensor<16x64xf32>) {
// GPU:         tile.grid {{.*}} attributes {num_warps = 8 : i64} {
// GPU:             tile.dot %{{.*}} {tril_a} : tensor<128x128xbf16>, tensor<128x64xbf16> -> tensor<128x64xf32>
func.func @chunked_128(%c: tensor<?x?x1x64xbf16>, %b: tensor<?x?x1x64xbf16>, %x: tensor<?x?x8x64xbf16>, %a: tensor<?x?x8xf32>) -> tensor<?x?x8x64xbf16> {
  %m = sma.mask.decay %a : tensor<?x?x8xf32>
  %y = sma.contract C(%c : tensor<?x?x1x64xbf16>) B(%b : tensor<?x?x1x64xbf16>) X(%x : tensor<?x?x8x64xbf16>) mask(%m) {form = #sma.form<chunked, 128>} -> tensor<?x?x8x64xbf16>
  return %y : tensor<?x?x8x64xbf16>
}
