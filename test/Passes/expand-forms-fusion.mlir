// RUN: smc-opt %s --sma-decompose-ssd --sma-select-form="force-form=linear" --sma-expand-forms --canonicalize | FileCheck %s
// RUN: smc-opt %s --sma-decompose-ssd --sma-select-form="force-form=chunked chunk=16" --sma-expand-forms="gpu=true" --canonicalize | FileCheck %s --check-prefix=GPU

// X = x * dt' is an elementwise producer of the contraction's X: it is never
// materialized. Loads of X evaluate it inside the form's loops (and inside
// the GPU kernels); the 4-d f32 generic disappears. In the linear form the
// chain under it is evaluated in place too: dt' = softplus(dt) for X and
// dt' A for the mask's log-decays, so no generic is left.
// CHECK-LABEL: func.func @ssd
// CHECK-NOT: linalg.generic
// CHECK: scf.for
// CHECK: tensor.extract %arg1[{{.*}}] : tensor<2x?x4xbf16>
// CHECK: math.log1p
// CHECK: %[[XV:.*]] = tensor.extract %arg0[{{.*}}] : tensor<2x?x4x8xbf16>
// CHECK: tensor.extract %arg1[{{.*}}] : tensor<2x?x4xbf16>
// CHECK: math.log1p
// CHECK: %[[XF:.*]] = arith.extf %[[XV]] : bf16 to f32
// CHECK: arith.mulf %[[XF]]
// CHECK-NOT: sma.contract
// CHECK-NOT: linalg.generic
// CHECK: return

// The scalar GPU chunked form reads X and the log-decays once per (t, s)
// pair of a chunk: dt' stays a generic (materialized), read by X's loads.
// GPU-LABEL: func.func @ssd
// GPU-NOT: outs({{.*}} : tensor<2x?x4x8xf32>)
// GPU: %[[DTP:.*]] = linalg.generic {{.*}} ins(%arg1 : tensor<2x?x4xbf16>)
// GPU-NOT: outs({{.*}} : tensor<2x?x4x8xf32>)
// GPU: gpu.launch
// GPU: tensor.extract %[[DTP]]
// GPU: tensor.extract %arg0[{{.*}}] : tensor<2x?x4x8xbf16>
// GPU: arith.extf {{.*}} : bf16 to f32
// GPU: arith.mulf
func.func @ssd(%x: tensor<2x?x4x8xbf16>, %dt: tensor<2x?x4xbf16>, %A: tensor<4xf32>, %B: tensor<2x?x1x16xbf16>, %C: tensor<2x?x1x16xbf16>) -> tensor<2x?x4x8xbf16> {
  %y = sma.ssd x(%x : tensor<2x?x4x8xbf16>) dt(%dt : tensor<2x?x4xbf16>) A(%A : tensor<4xf32>) B(%B : tensor<2x?x1x16xbf16>) C(%C : tensor<2x?x1x16xbf16>) {dt_softplus} -> tensor<2x?x4x8xbf16>
  return %y : tensor<2x?x4x8xbf16>
}

// (y + D x) * silu(z) is the only user of the contraction's Y: it is never
// materialized either. Stores of Y evaluate the epilogue on the value and on
// loads of x, D and z, and write the epilogue's bf16 result directly.
// CHECK-LABEL: func.func @ssd_epilogue
// CHECK-NOT: outs({{.*}} : tensor<2x?x4x8xf32>)
// CHECK: scf.for
// CHECK: tensor.extract %arg6[{{.*}}] : tensor<2x?x4x8xbf16>
// CHECK: arith.negf
// CHECK: memref.store {{.*}} : memref<2x?x4x8xbf16>
// CHECK-NOT: linalg.generic {{.*}} outs({{.*}} : tensor<2x?x4x8xbf16>)
// CHECK: return

// GPU-LABEL: func.func @ssd_epilogue
// GPU: gpu.launch
// GPU: tensor.extract %arg6[{{.*}}] : tensor<2x?x4x8xbf16>
// GPU: memref.store {{.*}} : memref<2x?x4x8xbf16>
// GPU-NOT: linalg.generic {{.*}} outs({{.*}} : tensor<2x?x4x8xbf16>)
// GPU: return
func.func @ssd_epilogue(%x: tensor<2x?x4x8xbf16>, %dt: tensor<2x?x4xbf16>, %A: tensor<4xf32>, %B: tensor<2x?x1x16xbf16>, %C: tensor<2x?x1x16xbf16>, %D: tensor<4xf32>, %z: tensor<2x?x4x8xbf16>) -> tensor<2x?x4x8xbf16> {
  %y = sma.ssd x(%x : tensor<2x?x4x8xbf16>) dt(%dt : tensor<2x?x4xbf16>) A(%A : tensor<4xf32>) B(%B : tensor<2x?x1x16xbf16>) C(%C : tensor<2x?x1x16xbf16>) D(%D : tensor<4xf32>) z(%z : tensor<2x?x4x8xbf16>) {dt_softplus} -> tensor<2x?x4x8xbf16>
  return %y : tensor<2x?x4x8xbf16>
}
