// RUN: smc-opt %s --sma-decompose-ssd | FileCheck %s

// The full Mamba-2 front: dt bias, softplus and limits, D skip and z gate.
// CHECK-LABEL: func.func @full
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x4x2xbf16>, %[[DT:.*]]: tensor<2x8x4xbf16>, %[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<2x8x1x3xbf16>, %[[C:.*]]: tensor<2x8x1x3xbf16>, %[[D:.*]]: tensor<4xf32>, %[[Z:.*]]: tensor<2x8x4x2xbf16>, %[[BIAS:.*]]: tensor<4xf32>)
// CHECK-NOT: sma.ssd
// dt' = clamp(softplus(dt + dt_bias), 0, 0.5)
// CHECK: %[[DTP:.*]] = linalg.generic {{.*}} ins(%[[DT]], %[[BIAS]] : tensor<2x8x4xbf16>, tensor<4xf32>)
// CHECK: arith.extf
// CHECK: arith.addf
// CHECK: math.exp
// CHECK: math.log1p
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: } -> tensor<2x8x4xf32>
// a = dt' * A
// CHECK: %[[LOGA:.*]] = linalg.generic {{.*}} ins(%[[DTP]], %[[A]] : tensor<2x8x4xf32>, tensor<4xf32>)
// CHECK: arith.mulf
// X = x * dt', kept in f32
// CHECK: %[[XS:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[DTP]] : tensor<2x8x4x2xbf16>, tensor<2x8x4xf32>)
// CHECK: } -> tensor<2x8x4x2xf32>
// CHECK: %[[M:.*]] = sma.mask.decay %[[LOGA]] : tensor<2x8x4xf32>
// CHECK: %[[Y:.*]] = sma.contract C(%[[C]] : tensor<2x8x1x3xbf16>) B(%[[B]] : tensor<2x8x1x3xbf16>) X(%[[XS]] : tensor<2x8x4x2xf32>) mask(%[[M]]) {form = #sma.form<chunked, 4>} -> tensor<2x8x4x2xf32>
// y += D x ; y *= silu(z) ; back to bf16
// CHECK: %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[Y]], %[[X]], %[[D]], %[[Z]] :
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: arith.truncf {{.*}} : f32 to bf16
// CHECK: return %[[OUT]]
func.func @full(%x: tensor<2x8x4x2xbf16>, %dt: tensor<2x8x4xbf16>, %A: tensor<4xf32>, %B: tensor<2x8x1x3xbf16>, %C: tensor<2x8x1x3xbf16>, %D: tensor<4xf32>, %z: tensor<2x8x4x2xbf16>, %db: tensor<4xf32>) -> tensor<2x8x4x2xbf16> {
  %y = sma.ssd x(%x : tensor<2x8x4x2xbf16>) dt(%dt : tensor<2x8x4xbf16>) A(%A : tensor<4xf32>) B(%B : tensor<2x8x1x3xbf16>) C(%C : tensor<2x8x1x3xbf16>) D(%D : tensor<4xf32>) z(%z : tensor<2x8x4x2xbf16>) dt_bias(%db : tensor<4xf32>) {dt_softplus, dt_limit = array<f64: 0.0, 0.5>, form = #sma.form<chunked, 4>} -> tensor<2x8x4x2xbf16>
  return %y : tensor<2x8x4x2xbf16>
}

// The bare core with states and packed sequences: no softplus, no clamp, no
// gate; states and cu_seqlens pass through to the contraction.
// CHECK-LABEL: func.func @states
// CHECK-SAME: %[[S0:[^:]*]]: tensor<3x2x4x8xf32>, %[[CU:[^:]*]]: tensor<4xi64>
// CHECK-NOT: math.log1p
// CHECK-NOT: arith.maximumf
// CHECK: %[[M:.*]] = sma.mask.decay
// CHECK: %[[Y:.*]], %[[FIN:.*]] = sma.contract {{.*}} mask(%[[M]]) init(%[[S0]] : tensor<3x2x4x8xf32>) seqs(%[[CU]] : tensor<4xi64>) -> tensor<1x?x2x4xf32>, tensor<3x2x4x8xf32>
// CHECK-NOT: math.exp
// CHECK: return %{{.*}}, %[[FIN]]
func.func @states(%x: tensor<1x?x2x4xf32>, %dt: tensor<1x?x2xf32>, %A: tensor<2xf32>, %B: tensor<1x?x1x8xf32>, %C: tensor<1x?x1x8xf32>, %s0: tensor<3x2x4x8xf32>, %cu: tensor<4xi64>) -> (tensor<1x?x2x4xf32>, tensor<3x2x4x8xf32>) {
  %y, %s = sma.ssd x(%x : tensor<1x?x2x4xf32>) dt(%dt : tensor<1x?x2xf32>) A(%A : tensor<2xf32>) B(%B : tensor<1x?x1x8xf32>) C(%C : tensor<1x?x1x8xf32>) init(%s0 : tensor<3x2x4x8xf32>) seqs(%cu : tensor<4xi64>) -> tensor<1x?x2x4xf32>, tensor<3x2x4x8xf32>
  return %y, %s : tensor<1x?x2x4xf32>, tensor<3x2x4x8xf32>
}
