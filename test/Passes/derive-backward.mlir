// RUN: smc-opt %s -split-input-file --sma-derive-backward | FileCheck %s

// A decay with states and g < h: dX and dH0 from the transposed
// contraction seeded by dF, dC and dB per head then summed over the
// group, the log-decay gradient from the saved Y and final state.

// CHECK-LABEL: func.func @f_fwd(
// CHECK: %[[Y:.*]], %[[F:.*]] = sma.contract
// CHECK: return %[[Y]], %[[F]] :
// CHECK-LABEL: func.func @f_bwd(
// CHECK-SAME: %[[C:[^:]*]]: tensor<2x?x1x16xf32>, %[[B:[^:]*]]: tensor<2x?x1x16xf32>, %[[X:[^:]*]]: tensor<2x?x4x8xf32>, %[[A:[^:]*]]: tensor<2x?x4xf32>, %[[H0:[^:]*]]: tensor<2x4x8x16xf32>, %[[SY:[^:]*]]: tensor<2x?x4x8xf32>, %[[SF:[^:]*]]: tensor<2x4x8x16xf32>, %[[DY:[^:]*]]: tensor<2x?x4x8xf32>, %[[DF:[^:]*]]: tensor<2x4x8x16xf32>)
// CHECK: %[[M:.*]] = sma.mask.decay %[[A]]
// CHECK: %[[MT:.*]] = sma.mask.transpose %[[M]]
// CHECK-NOT: sma.contract C(%[[C]] {{.*}} B(%[[B]]
// CHECK: %[[DX:.*]], %[[DH0:.*]] = sma.contract C(%[[B]] : {{.*}}) B(%[[C]] : {{.*}}) X(%[[DY]] : {{.*}}) mask(%[[MT]]) init(%[[DF]] :
// CHECK: %[[BH:.*]] = sma.expand_groups %[[B]] : tensor<2x?x1x16xf32> -> tensor<2x?x4x16xf32>
// CHECK: %[[H0T:.*]] = sma.transpose_state %[[H0]] : tensor<2x4x8x16xf32> -> tensor<2x4x16x8xf32>
// CHECK: %[[DCH:.*]] = sma.contract C(%[[DY]] : {{.*}}) B(%[[X]] : {{.*}}) X(%[[BH]] : {{.*}}) mask(%[[M]]) init(%[[H0T]] :
// CHECK: %[[CH:.*]] = sma.expand_groups %[[C]]
// CHECK: %[[DFT:.*]] = sma.transpose_state %[[DF]]
// CHECK: %[[DBH:.*]] = sma.contract C(%[[X]] : {{.*}}) B(%[[DY]] : {{.*}}) X(%[[CH]] : {{.*}}) mask(%[[MT]]) init(%[[DFT]] :
// CHECK: %[[DA:.*]] = sma.decay_grad dY(%[[DY]] : {{.*}}) Y(%[[SY]] : {{.*}}) X(%[[X]] : {{.*}}) dX(%[[DX]] : {{.*}}) final(%[[SF]] : {{.*}}) d_final(%[[DF]] :
// CHECK: %[[DC:.*]] = sma.sum_groups %[[DCH]] : tensor<2x?x4x16xf32> -> tensor<2x?x1x16xf32>
// CHECK: %[[DB:.*]] = sma.sum_groups %[[DBH]]
// CHECK: return %[[DC]], %[[DB]], %[[DX]], %[[DA]], %[[DH0]] :
func.func @f(%c: tensor<2x?x1x16xf32>, %b: tensor<2x?x1x16xf32>, %x: tensor<2x?x4x8xf32>, %a: tensor<2x?x4xf32>, %h0: tensor<2x4x8x16xf32>) -> (tensor<2x?x4x8xf32>, tensor<2x4x8x16xf32>) {
  %d = sma.mask.decay %a : tensor<2x?x4xf32>
  %y, %s = sma.contract C(%c : tensor<2x?x1x16xf32>) B(%b : tensor<2x?x1x16xf32>) X(%x : tensor<2x?x4x8xf32>) mask(%d) init(%h0 : tensor<2x4x8x16xf32>) -> tensor<2x?x4x8xf32>, tensor<2x4x8x16xf32>
  return %y, %s : tensor<2x?x4x8xf32>, tensor<2x4x8x16xf32>
}

// -----

// No decay to differentiate and g == h: nothing is saved, no regrouping,
// and an input used as both keys gets the sum of its two gradients.

// CHECK-LABEL: func.func @g_fwd(
// CHECK-SAME: -> tensor<1x8x2x4xf32>
// CHECK-LABEL: func.func @g_bwd(
// CHECK-SAME: %[[K:[^:]*]]: tensor<1x8x2x4xf32>, %[[X:[^:]*]]: tensor<1x8x2x4xf32>, %{{[^:]*}}: tensor<1x8x2x4xf32>, %[[DY:[^:]*]]: tensor<1x8x2x4xf32>)
// CHECK-NOT: sma.expand_groups
// CHECK-NOT: sma.decay_grad
// CHECK: %[[DC:.*]] = sma.contract C(%[[DY]] : {{.*}}) B(%[[X]] : {{.*}}) X(%[[K]] :
// CHECK: %[[DB:.*]] = sma.contract C(%[[X]] : {{.*}}) B(%[[DY]] : {{.*}}) X(%[[K]] :
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[DC]], %[[DB]] :
// CHECK: arith.addf
// CHECK: return %[[SUM]], %{{.*}} : tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>
func.func @g(%k: tensor<1x8x2x4xf32>, %x: tensor<1x8x2x4xf32>) -> tensor<1x8x2x4xf32> {
  %f = sma.mask.fixed_decay [0.9, 0.5]
  %y = sma.contract C(%k : tensor<1x8x2x4xf32>) B(%k : tensor<1x8x2x4xf32>) X(%x : tensor<1x8x2x4xf32>) mask(%f) -> tensor<1x8x2x4xf32>
  return %y : tensor<1x8x2x4xf32>
}

// -----

// sma.ssd is differentiated as the core ops it decomposes into: @f_fwd
// runs the decomposition and saves the contraction's f32 output; @f_bwd
// applies the epilogue's (z, D) and the front's (x dt', dt' A, softplus)
// chain rules around the contraction's backward, the per-head parameters
// summed over positions.

// CHECK-LABEL: func.func @ssd_fwd(
// CHECK: %[[YC:.*]] = sma.contract
// CHECK: %[[Y:.*]] = linalg.generic
// CHECK: return %[[Y]], %[[YC]] : tensor<1x?x2x4xf32>, tensor<1x?x2x4xf32>
// CHECK-LABEL: func.func @ssd_bwd(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x?x2x4xf32>, %[[DT:[^:]*]]: tensor<1x?x2xf32>, %[[AA:[^:]*]]: tensor<2xf32>, %[[BB:[^:]*]]: tensor<1x?x1x4xf32>, %[[CC:[^:]*]]: tensor<1x?x1x4xf32>, %[[DD:[^:]*]]: tensor<2xf32>, %[[Z:[^:]*]]: tensor<1x?x2x4xf32>, %[[BIAS:[^:]*]]: tensor<2xf32>, %{{[^:]*}}: tensor<1x?x2x4xf32>, %[[SYC:[^:]*]]: tensor<1x?x2x4xf32>, %{{[^:]*}}: tensor<1x?x2x4xf32>)
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[Z]] :
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[SYC]], %[[X]], %[[Z]], %[[DD]] :
// CHECK: %[[GX:.*]] = sma.dot_rows %[[G]], %[[X]]
// CHECK: %[[DDV:.*]] = sma.sum_positions %[[GX]]
// CHECK: sma.contract {{.*}} X(%[[G]] : tensor<1x?x2x4xf32>)
// CHECK: sma.decay_grad dY(%[[G]] : tensor<1x?x2x4xf32>) Y(%[[SYC]] :
// CHECK: sma.dot_rows
// CHECK: sma.sum_positions
// CHECK: %[[DBIAS:.*]] = sma.sum_positions
// CHECK: return {{.*}}, %[[DDV]], {{.*}}, %[[DBIAS]] :
func.func @ssd(%x: tensor<1x?x2x4xf32>, %dt: tensor<1x?x2xf32>, %A: tensor<2xf32>, %B: tensor<1x?x1x4xf32>, %C: tensor<1x?x1x4xf32>, %D: tensor<2xf32>, %z: tensor<1x?x2x4xf32>, %db: tensor<2xf32>) -> tensor<1x?x2x4xf32> {
  %y = sma.ssd x(%x : tensor<1x?x2x4xf32>) dt(%dt : tensor<1x?x2xf32>) A(%A : tensor<2xf32>) B(%B : tensor<1x?x1x4xf32>) C(%C : tensor<1x?x1x4xf32>) D(%D : tensor<2xf32>) z(%z : tensor<1x?x2x4xf32>) dt_bias(%db : tensor<2xf32>) {dt_softplus, dt_limit = array<f64: 0.0, 0.5>} -> tensor<1x?x2x4xf32>
  return %y : tensor<1x?x2x4xf32>
}

// -----

// bf16 keys run on tensor cores on the GPU, which round scores and values:
// the log-decay gradient, a difference of dY . Y and X . dX, would
// difference that rounding. So @f_fwd saves nothing, and @f_bwd recomputes
// Y with C, B and X in f32 and computes dX with the f32 keys.

// CHECK-LABEL: func.func @bf16_fwd(
// CHECK: %[[Y:.*]] = sma.contract
// CHECK-NEXT: return %[[Y]] : tensor<1x?x2x16xbf16>
// CHECK-LABEL: func.func @bf16_bwd(
// CHECK-SAME: %[[C:[^:]*]]: tensor<1x?x1x16xbf16>, %[[B:[^:]*]]: tensor<1x?x1x16xbf16>, %[[X:[^:]*]]: tensor<1x?x2x16xbf16>, %{{[^:]*}}: tensor<1x?x2xf32>, %{{[^:]*}}: tensor<1x?x2x16xbf16>, %[[DY:[^:]*]]: tensor<1x?x2x16xbf16>)
// CHECK: %[[DYF:.*]] = linalg.generic {{.*}} ins(%[[DY]] : tensor<1x?x2x16xbf16>) outs(%{{.*}} : tensor<1x?x2x16xf32>)
// CHECK: %[[CF:.*]] = linalg.generic {{.*}} ins(%[[C]] : tensor<1x?x1x16xbf16>) outs(%{{.*}} : tensor<1x?x1x16xf32>)
// CHECK: %[[BF:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<1x?x1x16xbf16>) outs(%{{.*}} : tensor<1x?x1x16xf32>)
// CHECK: %[[XF:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<1x?x2x16xbf16>) outs(%{{.*}} : tensor<1x?x2x16xf32>)
// CHECK: %[[YF:.*]] = sma.contract C(%[[CF]] : tensor<1x?x1x16xf32>) B(%[[BF]] : tensor<1x?x1x16xf32>) X(%[[XF]] : tensor<1x?x2x16xf32>)
// CHECK: %[[DX:.*]] = sma.contract C(%[[BF]] : tensor<1x?x1x16xf32>) B(%[[CF]] : tensor<1x?x1x16xf32>) X(%[[DYF]] : tensor<1x?x2x16xf32>)
// CHECK: sma.decay_grad dY(%[[DY]] : tensor<1x?x2x16xbf16>) Y(%[[YF]] : tensor<1x?x2x16xf32>) X(%[[X]] : tensor<1x?x2x16xbf16>) dX(%[[DX]] : tensor<1x?x2x16xf32>)
func.func @bf16(%c: tensor<1x?x1x16xbf16>, %b: tensor<1x?x1x16xbf16>, %x: tensor<1x?x2x16xbf16>, %a: tensor<1x?x2xf32>) -> tensor<1x?x2x16xbf16> {
  %d = sma.mask.decay %a : tensor<1x?x2xf32>
  %y = sma.contract C(%c : tensor<1x?x1x16xbf16>) B(%b : tensor<1x?x1x16xbf16>) X(%x : tensor<1x?x2x16xbf16>) mask(%d) -> tensor<1x?x2x16xbf16>
  return %y : tensor<1x?x2x16xbf16>
}
