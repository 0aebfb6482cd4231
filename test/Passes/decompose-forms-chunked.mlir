// RUN: smc-opt %s -split-input-file --sma-decompose-forms | FileCheck %s
// RUN: smc-opt %s -split-input-file --sma-decompose-forms=gpu=true | FileCheck %s --check-prefix=GPU

// The chunked (SSD) form, chunk Q = 16: [cumsum of the log-decays,] a scan
// of chunk states per (sequence, segment of chunks, head), a combine of the
// segments per (sequence, head, block of state rows), and an output grid
// per (sequence, chunk, head). The causal mask has no cumsum and no decay
// buffers. The CPU scans each sequence as one segment.

// CHECK-LABEL: func.func @chunked_causal
// CHECK:         %[[BATCH:.*]] = tensor.dim
// CHECK:         %[[T:.*]] = tensor.dim
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0(%[[C:[^:]*]]: memref<?x?x1x12xf32>, %[[B:[^:]*]]: memref<?x?x1x12xf32>, %[[X:[^:]*]]: memref<?x?x2x6xf32>, %[[YM:[^:]*]]: memref<?x?x2x6xf32>):
// CHECK-NOT:       tile.cumsum
// CHECK:           %[[Q:.*]] = arith.constant 16 : index
// CHECK-NEXT:      %[[CHUNKS:.*]] = arith.ceildivui %[[T]], %[[Q]] : index
// CHECK-NEXT:      %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT:      %[[SEGLEN:.*]] = arith.maxui %[[CHUNKS]], %[[ONE]] : index
// CHECK-NEXT:      %[[STATES:.*]] = memref.alloc(%[[BATCH]], %[[CHUNKS]]) : memref<?x2x?x6x12xf32>
// CHECK-NEXT:      %[[SEGEND:.*]] = memref.alloc(%[[BATCH]], %[[ONE]]) : memref<?x2x?x6x12xf32>
// CHECK-NEXT:      %[[SEGSTART:.*]] = memref.alloc(%[[BATCH]], %[[ONE]]) : memref<?x2x?x6x12xf32>
// Scan: the state before each chunk of the segment, then the segment's end.
// CHECK:           tile.grid (%[[SEQ:.*]], %[[SEG:.*]], %[[HEAD:.*]]) in (%[[BATCH]], %[[ONE]], %{{.*}}) {
// CHECK:             %[[OWN:.*]] = arith.ceildivui %[[T]], %{{.*}} : index
// CHECK-NEXT:        %[[F0:.*]] = arith.muli %[[SEG]], %[[SEGLEN]] : index
// CHECK-NEXT:        %[[FIRSTK:.*]] = arith.minui %[[F0]], %[[OWN]] : index
// CHECK-NEXT:        %[[E0:.*]] = arith.addi %[[FIRSTK]], %[[SEGLEN]] : index
// CHECK-NEXT:        %[[ENDK:.*]] = arith.minui %[[E0]], %[[OWN]] : index
// CHECK-NEXT:        %[[ANY:.*]] = arith.cmpi ult, %[[FIRSTK]], %[[ENDK]] : index
// CHECK-NEXT:        scf.if %[[ANY]] {
// CHECK:               %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<6x12xf32>
// CHECK:               %[[SCAN:.*]]:2 = scf.for %[[K:.*]] = %[[FIRSTK]] to %[[ENDK]] step %{{.*}} iter_args(%[[H:.*]] = %[[Z]], %{{.*}} = %{{.*}}) -> (tensor<6x12xf32>, f32) {
// CHECK:                 tile.store %[[H]], %[[STATES]][%[[SEQ]], %[[HEAD]], %[[K]], %{{.*}}, %{{.*}}] dims [3, 4] bounds(%{{.*}}, %{{.*}}) : tensor<6x12xf32>, memref<?x2x?x6x12xf32>
// CHECK-NOT:             math.exp
// CHECK:                 %[[XK:.*]] = tile.load %[[X]][%[[SEQ]], %{{.*}}, %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%{{.*}}, %{{.*}}) : memref<?x?x2x6xf32> -> tensor<16x6xf32>
// CHECK:                 %[[BK:.*]] = tile.load %[[B]][%[[SEQ]], %{{.*}}] dims [1, 3] bounds(%{{.*}}, %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:                 %[[HN:.*]] = tile.dot %[[XK]], %[[BK]], %[[H]] {transpose_a} : tensor<16x6xf32>, tensor<16x12xf32> -> tensor<6x12xf32>
// CHECK:                 scf.yield %[[HN]], %{{.*}} : tensor<6x12xf32>, f32
// CHECK:               tile.store %[[SCAN]]#0, %[[SEGEND]][%[[SEQ]], %[[HEAD]], %[[SEG]], %{{.*}}, %{{.*}}] dims [3, 4]
// CHECK-NOT:           memref.store
// Combine: the state before each segment (from zero without an initial
// state); nothing else to store without a final state.
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]], %[[PART:.*]]) in (%[[BATCH]], %{{.*}}, %{{.*}}) {
// CHECK:             %[[NSEG:.*]] = arith.ceildivui %{{.*}}, %[[SEGLEN]] : index
// CHECK-NEXT:        %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<6x12xf32>
// CHECK:             scf.for %[[J:.*]] = %{{.*}} to %[[NSEG]] step %{{.*}} iter_args(%[[H:.*]] = %[[Z]]) -> (tensor<6x12xf32>) {
// CHECK:               tile.store %[[H]], %[[SEGSTART]][%[[SEQ]], %[[HEAD]], %[[J]], %{{.*}}, %{{.*}}] dims [3, 4]
// CHECK:               %[[END:.*]] = tile.load %[[SEGEND]][%[[SEQ]], %[[HEAD]], %[[J]], %{{.*}}, %{{.*}}] dims [3, 4] {{.*}} -> tensor<6x12xf32>
// CHECK-NEXT:          %[[HN:.*]] = arith.addf %[[H]], %[[END]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:          scf.yield %[[HN]] : tensor<6x12xf32>
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// Output: C H^T from the chunk's state plus its segment's start, then the
// chunk's own lower-triangular block.
// CHECK:           tile.grid (%[[SEQ:.*]], %[[CHUNK:.*]], %[[HEAD:.*]]) in (%[[BATCH]], %[[CHUNKS]], %{{.*}}) {
// CHECK:             %[[FIRST:.*]] = arith.addi
// CHECK:             %[[COUNT:.*]] = arith.minui
// CHECK:             scf.if
// CHECK:               %[[CT:.*]] = tile.load %[[C]][%[[SEQ]], %[[FIRST]], %{{.*}}, %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:               %[[BT:.*]] = tile.load %[[B]][%[[SEQ]], %[[FIRST]], %{{.*}}, %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x1x12xf32> -> tensor<16x12xf32>
// CHECK:               %[[XT:.*]] = tile.load %[[X]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : memref<?x?x2x6xf32> -> tensor<16x6xf32>
// CHECK-NEXT:          %[[SEGK:.*]] = arith.divui %[[CHUNK]], %[[SEGLEN]] : index
// CHECK:               %[[BEFORE:.*]] = tile.load %[[SEGSTART]][%[[SEQ]], %[[HEAD]], %[[SEGK]], %{{.*}}, %{{.*}}] dims [3, 4] {{.*}} -> tensor<6x12xf32>
// CHECK:               %[[OWNH:.*]] = tile.load %[[STATES]][%[[SEQ]], %[[HEAD]], %[[CHUNK]], %{{.*}}, %{{.*}}] dims [3, 4] {{.*}} -> tensor<6x12xf32>
// CHECK-NEXT:          %[[HC:.*]] = arith.addf %[[OWNH]], %[[BEFORE]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:          %[[Y0:.*]] = arith.constant dense<0.000000e+00> : tensor<16x6xf32>
// CHECK-NEXT:          %[[YOFF:.*]] = tile.dot %[[CT]], %[[HC]], %[[Y0]] {transpose_b} : tensor<16x12xf32>, tensor<6x12xf32> -> tensor<16x6xf32>
// CHECK-NEXT:          %[[S0:.*]] = arith.constant dense<0.000000e+00> : tensor<16x16xf32>
// CHECK-NEXT:          %[[S:.*]] = tile.dot %[[CT]], %[[BT]], %[[S0]] {transpose_b, tril_result} : tensor<16x12xf32>, tensor<16x12xf32> -> tensor<16x16xf32>
// CHECK-NOT:           math.exp
// CHECK:               %[[LOWER:.*]] = arith.cmpi ule, %{{.*}}, %{{.*}} : tensor<16x16xindex>
// CHECK-NEXT:          %[[SL:.*]] = arith.select %[[LOWER]], %[[S]], %{{.*}} : tensor<16x16xi1>, tensor<16x16xf32>
// CHECK-NEXT:          %[[Y:.*]] = tile.dot %[[SL]], %[[XT]], %[[YOFF]] {tril_a} : tensor<16x16xf32>, tensor<16x6xf32> -> tensor<16x6xf32>
// CHECK:               tile.store %[[Y]], %[[YM]][%[[SEQ]], %[[FIRST]], %[[HEAD]], %{{.*}}] dims [1, 3] bounds(%[[COUNT]], %{{.*}}) : tensor<16x6xf32>, memref<?x?x2x6xf32>
// CHECK-NOT:       tile.grid

// The GPU splits sequences into segments for about 512 scan programs:
// count = max(min(ceil(512 / (batch * heads)), chunks), 1) segments of
// max(ceil(chunks / count), 1) chunks. Warps: the scan a warp per 16 rows
// of the [16, 16] state, the combine 4, the output a warp per 16 rows of
// the chunk.
// GPU-LABEL: func.func @chunked_causal
// GPU:         %[[BATCH:.*]] = tensor.dim
// GPU:         tile.program
// GPU:           %[[CHUNKS:.*]] = arith.ceildivui
// GPU:           %[[HEADS:.*]] = arith.constant 2 : index
// GPU-NEXT:      %[[SLICES0:.*]] = arith.muli %[[BATCH]], %[[HEADS]] : index
// GPU-NEXT:      %[[SLICES:.*]] = arith.maxui %[[SLICES0]], %[[ONE:.*]] : index
// GPU-NEXT:      %[[PROGRAMS:.*]] = arith.constant 512 : index
// GPU-NEXT:      %[[PER:.*]] = arith.ceildivui %[[PROGRAMS]], %[[SLICES]] : index
// GPU-NEXT:      %[[CAP:.*]] = arith.minui %[[PER]], %[[CHUNKS]] : index
// GPU-NEXT:      %[[NSEG:.*]] = arith.maxui %[[CAP]], %[[ONE]] : index
// GPU-NEXT:      %[[L0:.*]] = arith.ceildivui %[[CHUNKS]], %[[NSEG]] : index
// GPU-NEXT:      %[[SEGLEN:.*]] = arith.maxui %[[L0]], %[[ONE]] : index
// GPU-NEXT:      memref.alloc(%[[BATCH]], %[[CHUNKS]]) : memref<?x2x?x6x12xf32>
// GPU-NEXT:      memref.alloc(%[[BATCH]], %[[NSEG]]) : memref<?x2x?x6x12xf32>
// GPU-NEXT:      memref.alloc(%[[BATCH]], %[[NSEG]]) : memref<?x2x?x6x12xf32>
// GPU:           tile.grid (%{{.*}}, %[[SEG:.*]], %{{.*}}) in (%[[BATCH]], %[[NSEG]], %{{.*}}) attributes {num_warps = 1 : i64} {
// GPU:             arith.muli %[[SEG]], %[[SEGLEN]] : index
// GPU:             tile.dot %{{.*}} {transpose_a} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// GPU:           tile.grid {{.*}} attributes {num_warps = 4 : i64} {
// GPU:           tile.grid {{.*}} attributes {num_warps = 1 : i64} {
// GPU:             tile.dot %{{.*}} {transpose_b} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// GPU:             tile.dot %{{.*}} {transpose_b, tril_result} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// GPU:             tile.dot %{{.*}} {tril_a} : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
func.func @chunked_causal(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>) -> tensor<?x?x2x6xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<chunked, 16>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// A fixed decay: the cumsum grid (tile.cumsum of log gamma_h within each
// chunk); the scan records e^{run} (the decay from the segment's start to
// each chunk) and each segment's total, weighs B by e^{A - cum} and decays
// the state by e^{A} (as expm1); the combine decays by the segments'
// totals; the output decays the segment's start to the chunk, weighs
// C H^T by e^{cum_t} and the scores by e^{cum_t - cum_s}.

// CHECK-LABEL: func.func @chunked_fixed_decay
// CHECK:           %[[CUM:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?x2xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %{{.*}}, %[[HEAD:.*]]) in {{.*}} attributes {num_warps = 1 : i64} {
// CHECK:             %[[LOG:.*]] = vector.extract %{{.*}}[%[[HEAD]]] : f32 from vector<2xf32>
// CHECK:             %[[LD:.*]] = arith.select %{{.*}} : tensor<16xi1>, tensor<16xf32>
// CHECK-NEXT:        %[[SUMS:.*]] = tile.cumsum %[[LD]] : tensor<16xf32>
// CHECK-NEXT:        tile.store %[[SUMS]], %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] dims [1] bounds(%{{.*}}) : tensor<16xf32>, memref<?x?x2xf32>
// CHECK:           %[[STATES:.*]] = memref.alloc({{.*}}) : memref<?x2x?x6x12xf32>
// CHECK-NEXT:      %[[DECAYTO:.*]] = memref.alloc({{.*}}) : memref<?x2x?xf32>
// CHECK-NEXT:      %[[SEGEND:.*]] = memref.alloc({{.*}}) : memref<?x2x?x6x12xf32>
// CHECK-NEXT:      %[[SEGTOTAL:.*]] = memref.alloc({{.*}}) : memref<?x2x?xf32>
// CHECK-NEXT:      %[[SEGSTART:.*]] = memref.alloc({{.*}}) : memref<?x2x?x6x12xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %[[SEG:.*]], %[[HEAD:.*]]) in
// CHECK:               %[[SCAN:.*]]:2 = scf.for %[[K:.*]] = {{.*}} iter_args(%[[H:.*]] = %{{.*}}, %[[ACC:.*]] = %{{.*}}) -> (tensor<6x12xf32>, f32) {
// CHECK:                 tile.store %[[H]], %[[STATES]][%[[SEQ]], %[[HEAD]], %[[K]], %{{.*}}, %{{.*}}]
// CHECK-NEXT:            %[[ER:.*]] = math.exp %[[ACC]] : f32
// CHECK-NEXT:            memref.store %[[ER]], %[[DECAYTO]][%[[SEQ]], %[[HEAD]], %[[K]]] : memref<?x2x?xf32>
// CHECK:                 %[[XK:.*]] = tile.load {{.*}} -> tensor<16x6xf32>
// CHECK:                 %[[BK:.*]] = tile.load {{.*}} -> tensor<16x12xf32>
// CHECK:                 %[[TOTAL:.*]] = tile.load %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] : memref<?x?x2xf32> -> f32
// CHECK-NEXT:            %[[SK:.*]] = tile.load %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] dims [1] bounds(%{{.*}}) : memref<?x?x2xf32> -> tensor<16xf32>
// CHECK-NEXT:            %[[TS:.*]] = tensor.splat %[[TOTAL]] : tensor<16xf32>
// CHECK-NEXT:            %[[REST:.*]] = arith.subf %[[TS]], %[[SK]] : tensor<16xf32>
// CHECK-NEXT:            %[[WR:.*]] = math.exp %[[REST]] : tensor<16xf32>
// CHECK-NEXT:            %[[WB:.*]] = tile.broadcast %[[WR]] dims [1] : tensor<16xf32> -> tensor<16x12xf32>
// CHECK-NEXT:            %[[BW:.*]] = arith.mulf %[[BK]], %[[WB]] {{.*}}: tensor<16x12xf32>
// CHECK-NEXT:            %[[EM1:.*]] = math.expm1 %[[TOTAL]] : f32
// CHECK-NEXT:            %[[ES:.*]] = tensor.splat %[[EM1]] : tensor<6x12xf32>
// CHECK-NEXT:            %[[DH:.*]] = arith.mulf %[[ES]], %[[H]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:            %[[HD:.*]] = arith.addf %[[H]], %[[DH]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:            %[[HN:.*]] = tile.dot %[[XK]], %[[BW]], %[[HD]] {transpose_a} : tensor<16x6xf32>, tensor<16x12xf32> -> tensor<6x12xf32>
// CHECK-NEXT:            %[[RN:.*]] = arith.addf %[[ACC]], %[[TOTAL]] {{.*}}: f32
// CHECK-NEXT:            scf.yield %[[HN]], %[[RN]] : tensor<6x12xf32>, f32
// CHECK:               tile.store %[[SCAN]]#0, %[[SEGEND]][%[[SEQ]], %[[HEAD]], %[[SEG]], %{{.*}}, %{{.*}}]
// CHECK-NEXT:          memref.store %[[SCAN]]#1, %[[SEGTOTAL]][%[[SEQ]], %[[HEAD]], %[[SEG]]] : memref<?x2x?xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]], %{{.*}}) in
// CHECK:             scf.for %[[J:.*]] = {{.*}} iter_args(%[[H:.*]] = %{{.*}}) -> (tensor<6x12xf32>) {
// CHECK:               tile.store %[[H]], %[[SEGSTART]][%[[SEQ]], %[[HEAD]], %[[J]], %{{.*}}, %{{.*}}]
// CHECK-NEXT:          %[[TOT:.*]] = tile.load %[[SEGTOTAL]][%[[SEQ]], %[[HEAD]], %[[J]]] : memref<?x2x?xf32> -> f32
// CHECK-NEXT:          %[[EM1:.*]] = math.expm1 %[[TOT]] : f32
// CHECK-NEXT:          %[[ES:.*]] = tensor.splat %[[EM1]] : tensor<6x12xf32>
// CHECK-NEXT:          %[[DH:.*]] = arith.mulf %[[ES]], %[[H]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:          %[[HD:.*]] = arith.addf %[[H]], %[[DH]] {{.*}}: tensor<6x12xf32>
// CHECK:               %[[END:.*]] = tile.load %[[SEGEND]]
// CHECK-NEXT:          %[[HN:.*]] = arith.addf %[[HD]], %[[END]] {{.*}}: tensor<6x12xf32>
// CHECK-NEXT:          scf.yield %[[HN]] : tensor<6x12xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %[[CHUNK:.*]], %[[HEAD:.*]]) in
// CHECK:               %[[SUMS:.*]] = tile.load %[[CUM]][%[[SEQ]], %{{.*}}, %[[HEAD]]] dims [1] {{.*}} -> tensor<16xf32>
// CHECK:               %[[BEFORE:.*]] = tile.load %[[SEGSTART]]
// CHECK-NEXT:          %[[DT:.*]] = tile.load %[[DECAYTO]][%[[SEQ]], %[[HEAD]], %[[CHUNK]]] : memref<?x2x?xf32> -> f32
// CHECK-NEXT:          %[[DTS:.*]] = tensor.splat %[[DT]] : tensor<6x12xf32>
// CHECK-NEXT:          %[[BD:.*]] = arith.mulf %[[BEFORE]], %[[DTS]] {{.*}}: tensor<6x12xf32>
// CHECK:               %[[OWNH:.*]] = tile.load %[[STATES]]
// CHECK-NEXT:          %[[HC:.*]] = arith.addf %[[OWNH]], %[[BD]] {{.*}}: tensor<6x12xf32>
// CHECK:               %[[YOFF:.*]] = tile.dot %{{.*}}, %[[HC]], %{{.*}} {transpose_b}
// CHECK-NEXT:          %[[EC:.*]] = math.exp %[[SUMS]] : tensor<16xf32>
// CHECK-NEXT:          %[[ECB:.*]] = tile.broadcast %[[EC]] dims [1] : tensor<16xf32> -> tensor<16x6xf32>
// CHECK-NEXT:          %[[YD:.*]] = arith.mulf %[[YOFF]], %[[ECB]] {{.*}}: tensor<16x6xf32>
// CHECK:               %[[S:.*]] = tile.dot %{{.*}} {transpose_b, tril_result}
// CHECK-NEXT:          %[[FROM:.*]] = tile.broadcast %[[SUMS]] dims [0] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK-NEXT:          %[[AT:.*]] = tile.broadcast %[[SUMS]] dims [1] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK-NEXT:          %[[DIFF:.*]] = arith.subf %[[AT]], %[[FROM]] : tensor<16x16xf32>
// CHECK-NEXT:          %[[E:.*]] = math.exp %[[DIFF]] : tensor<16x16xf32>
// CHECK-NEXT:          %[[SD:.*]] = arith.mulf %[[S]], %[[E]] {{.*}}: tensor<16x16xf32>
// CHECK:               %[[SL:.*]] = arith.select %{{.*}}, %[[SD]], %{{.*}} : tensor<16x16xi1>, tensor<16x16xf32>
// CHECK-NEXT:          tile.dot %[[SL]], %{{.*}}, %[[YD]] {tril_a}
func.func @chunked_fixed_decay(%c: tensor<?x?x1x12xf32>, %b: tensor<?x?x1x12xf32>, %x: tensor<?x?x2x6xf32>) -> tensor<?x?x2x6xf32> {
  %m = sma.mask.fixed_decay [0.5, 0.25]
  %y = sma.contract C(%c : tensor<?x?x1x12xf32>) B(%b : tensor<?x?x1x12xf32>) X(%x : tensor<?x?x2x6xf32>) mask(%m) {form = #sma.form<chunked, 16>} -> tensor<?x?x2x6xf32>
  return %y : tensor<?x?x2x6xf32>
}

// -----

// bf16 data, chunk 24, initial and final states. The CPU computes in f32
// on tiles of 24 positions; the GPU pads the chunk to 32 positions (and p,
// n to 16), keeps the products' operands in bf16 (the chunk states and
// segment starts are bf16 buffers) and the accumulators in f32. The combine
// starts from the initial state and stores the final state.

// CHECK-LABEL: func.func @chunked_decay_states
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0({{.*}}, %[[S0:[^:]*]]: memref<?x2x6x12xf32>, %[[A:[^:]*]]: memref<?x?x2xf32>, %{{.*}}: memref<?x?x2x6xbf16>, %[[SF:[^:]*]]: memref<?x2x6x12xf32>):
// CHECK:           %[[Q:.*]] = arith.constant 24 : index
// CHECK-NEXT:      arith.ceildivui %{{.*}}, %[[Q]] : index
// CHECK:           tile.grid {{.*}} attributes {num_warps = 1 : i64} {
// CHECK:             %[[LA:.*]] = tile.load %[[A]]{{.*}} -> tensor<24xf32>
// CHECK-NEXT:        %[[LD:.*]] = tile.map(%[[LA]]) : (tensor<24xf32>) -> tensor<24xf32> {
// CHECK:             tile.cumsum %{{.*}} : tensor<24xf32>
// CHECK:           %[[STATES:.*]] = memref.alloc({{.*}}) : memref<?x2x?x6x12xf32>
// CHECK:           %[[SEGSTART:.*]] = memref.alloc({{.*}}) : memref<?x2x?x6x12xf32>
// CHECK:           tile.grid
// CHECK:                 %[[XK:.*]] = tile.load {{.*}} -> tensor<24x6xbf16>
// CHECK-NEXT:            %[[XF:.*]] = arith.extf %[[XK]] : tensor<24x6xbf16> to tensor<24x6xf32>
// CHECK:                 tile.dot %[[XF]], %{{.*}} {transpose_a} : tensor<24x6xf32>, tensor<24x12xf32> -> tensor<6x12xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %[[HEAD:.*]], %[[PART:.*]]) in
// CHECK:             %[[ROW0:.*]] = arith.muli %[[PART]], %{{.*}} : index
// CHECK:             %[[H0:.*]] = tile.load %[[S0]][%[[SEQ]], %[[HEAD]], %[[ROW0]], %{{.*}}] dims [2, 3] {{.*}} -> tensor<6x12xf32>
// CHECK:             %[[HL:.*]] = scf.for %{{.*}} iter_args(%{{.*}} = %[[H0]]) -> (tensor<6x12xf32>) {
// CHECK:             }
// CHECK:             tile.store %[[HL]], %[[SF]][%[[SEQ]], %[[HEAD]], %[[ROW0]], %{{.*}}] dims [2, 3] {{.*}} : tensor<6x12xf32>, memref<?x2x6x12xf32>
// CHECK:           tile.grid
// CHECK:               tile.dot %{{.*}} {transpose_b} : tensor<24x12xf32>, tensor<6x12xf32> -> tensor<24x6xf32>
// CHECK:               tile.dot %{{.*}} {transpose_b, tril_result} : tensor<24x12xf32>, tensor<24x12xf32> -> tensor<24x24xf32>
// CHECK:               %[[Y:.*]] = tile.dot %{{.*}} {tril_a} : tensor<24x24xf32>, tensor<24x6xf32> -> tensor<24x6xf32>
// CHECK:               %[[YB:.*]] = arith.truncf %[[Y]] : tensor<24x6xf32> to tensor<24x6xbf16>
// CHECK-NEXT:          tile.store %[[YB]]

// GPU-LABEL: func.func @chunked_decay_states
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
// GPU:           tile.grid {{.*}} attributes {num_warps = 4 : i64} {
// GPU:             tile.load {{.*}} -> tensor<16x16xf32>
// GPU:             scf.for {{.*}} -> (tensor<16x16xf32>) {
// GPU:               arith.truncf %{{.*}} : tensor<16x16xf32> to tensor<16x16xbf16>
// GPU-NEXT:          tile.store %{{.*}}, %[[SEGSTART]]
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

// CHECK-LABEL: func.func @chunked_mul_varlen
// CHECK:         tensor.dim %{{.*}}, %{{.*}} : tensor<1x?x2x6xf32>
// CHECK:         %[[T:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<1x?x2x6xf32>
// CHECK:         %[[NSEQ:.*]] = arith.subi
// CHECK:         tile.program
// CHECK-NEXT:    ^bb0({{.*}}, %[[CU:[^:]*]]: memref<?xi32>, %[[A:[^:]*]]: memref<1x?x2xf32>, %[[YM:[^:]*]]: memref<1x?x2x6xf32>):
// CHECK:           tile.grid
// CHECK:             tile.store %{{.*}}, %[[YM]]{{.*}} : tensor<64x6xf32>, memref<1x?x2x6xf32>
// CHECK:           arith.maxui
// CHECK-NEXT:      %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT:      %[[CUM:.*]] = memref.alloc(%[[ONE]], %[[T]]) : memref<?x?x2xf32>
// CHECK:           tile.grid (%[[SEQ:.*]], %{{.*}}, %[[HEAD:.*]]) in (%[[NSEQ]], {{.*}} attributes {num_warps = 1 : i64} {
// CHECK:             %[[ZI:.*]] = arith.constant 0 : index
// CHECK-NEXT:        tile.load %[[CU]][%[[SEQ]]] : memref<?xi32> -> i32
// CHECK:             %[[LD:.*]] = tile.map
// CHECK:             %[[FIXED:.*]] = arith.select {{.*}} : tensor<16xi1>, tensor<16xf32>
// CHECK-NEXT:        %[[SUM:.*]] = arith.addf %[[LD]], %[[FIXED]] {{.*}}: tensor<16xf32>
// CHECK-NEXT:        %[[SUMS:.*]] = tile.cumsum %[[SUM]] : tensor<16xf32>
// CHECK-NEXT:        tile.store %[[SUMS]], %[[CUM]][%[[ZI]], %{{.*}}, %[[HEAD]]] dims [1]
// CHECK:           tile.grid (%{{.*}}, %{{.*}}, %{{.*}}) in (%[[NSEQ]],
// CHECK:           tile.grid (%{{.*}}, %{{.*}}, %{{.*}}) in (%[[NSEQ]],
// CHECK:           tile.grid (%{{.*}}, %{{.*}}, %{{.*}}) in (%[[NSEQ]],
// CHECK:               tile.store %{{.*}}, %[[YM]]
func.func @chunked_mul_varlen(%c: tensor<1x?x1x12xf32>, %b: tensor<1x?x1x12xf32>, %x: tensor<1x?x2x6xf32>, %a: tensor<1x?x2xf32>, %cu: tensor<?xi32>) -> tensor<1x?x2x6xf32> {
  %d = sma.mask.decay %a : tensor<1x?x2xf32>
  %f = sma.mask.fixed_decay [0.5, 0.25]
  %m = sma.mask.mul %d, %f
  %y = sma.contract C(%c : tensor<1x?x1x12xf32>) B(%b : tensor<1x?x1x12xf32>) X(%x : tensor<1x?x2x6xf32>) mask(%m) seqs(%cu : tensor<?xi32>) {form = #sma.form<chunked, 16>} -> tensor<1x?x2x6xf32>
  return %y : tensor<1x?x2x6xf32>
}

// -----

// The largest GPU chunk, 128 (p = n = 64, h = 8, g = 1): the combine has 4
// programs of 16 state rows a head, the output grid 8 warps for its 128
// rows.

// CHECK-LABEL: func.func @chunked_128
// CHECK:         tile.cumsum %{{.*}} : tensor<128xf32>
// CHECK:         tile.dot %{{.*}} {transpose_a} : tensor<128x64xf32>, tensor<128x64xf32> -> tensor<64x64xf32>
// CHECK:         tile.dot %{{.*}} {tril_a} : tensor<128x128xf32>, tensor<128x64xf32> -> tensor<128x64xf32>

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
