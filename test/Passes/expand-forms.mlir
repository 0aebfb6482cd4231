// RUN: smc-opt %s --split-input-file --sma-expand-forms --cse | FileCheck %s

// Linear: per (batch, head) a scan over T with the decay read per step.
// CHECK-LABEL: func.func @linear
// CHECK-DAG: %[[C:.*]] = bufferization.to_buffer %arg0 read_only
// CHECK-DAG: %[[B:.*]] = bufferization.to_buffer %arg1 read_only
// CHECK-DAG: %[[X:.*]] = bufferization.to_buffer %arg2 read_only
// CHECK-DAG: %[[A:.*]] = bufferization.to_buffer %arg3 read_only
// CHECK: %[[Y:.*]] = memref.alloc(%{{.*}}) : memref<2x?x2x3xf32>
// CHECK: %[[H:.*]] = memref.alloca() : memref<3x4xf32>
// CHECK: scf.for %[[BATCH:.*]] = {{.*}} {
// CHECK:   scf.for %[[HEAD:.*]] = {{.*}} {
// CHECK:     scf.for %[[T:.*]] = {{.*}} {
// CHECK:       %[[LD:.*]] = memref.load %[[A]][%[[BATCH]], %[[T]], %[[HEAD]]]
// CHECK:       math.expm1 %[[LD]] : f32
// CHECK:       memref.load %[[B]]
// CHECK:       memref.store {{.*}}, %[[H]]
// CHECK:       memref.load %[[C]]
// CHECK:       memref.store {{.*}}, %[[Y]][%[[BATCH]], %[[T]], %[[HEAD]], %{{.*}}]
// CHECK: %[[RES:.*]] = bufferization.to_tensor %[[Y]] restrict writable
// CHECK-NOT: sma.
// CHECK: return %[[RES]]
func.func @linear(%c: tensor<2x?x1x4xf32>, %b: tensor<2x?x1x4xf32>, %x: tensor<2x?x2x3xf32>, %a: tensor<2x?x2xf32>) -> tensor<2x?x2x3xf32> {
  %m = sma.mask.decay %a : tensor<2x?x2xf32>
  %y = sma.contract C(%c : tensor<2x?x1x4xf32>) B(%b : tensor<2x?x1x4xf32>) X(%x : tensor<2x?x2x3xf32>) mask(%m) {form = #sma.form<linear>} -> tensor<2x?x2x3xf32>
  return %y : tensor<2x?x2x3xf32>
}

// -----

// Quadratic on a banded mask: sources stop at the band's edge and the
// window's factor is evaluated per entry; no decay, so no exp.
// CHECK-LABEL: func.func @quadratic_window
// CHECK: scf.for
// CHECK:   scf.for
// CHECK:     scf.for %{{.*}} = {{.*}} iter_args
// CHECK:       %[[W:.*]] = arith.constant 8 : index
// CHECK:       %[[N:.*]] = arith.minsi %{{.*}}, %[[W]] : index
// CHECK:       scf.for %{{.*}} = %{{.*}} to %[[N]]
// CHECK:         arith.cmpi slt, %{{.*}}, %[[W]] : index
// CHECK:         arith.select
// CHECK-NOT: math.exp
// CHECK-NOT: sma.
// CHECK: return
func.func @quadratic_window(%c: tensor<1x64x1x4xf32>, %b: tensor<1x64x1x4xf32>, %x: tensor<1x64x2x3xf32>) -> tensor<1x64x2x3xf32> {
  %m = sma.mask.window 8
  %y = sma.contract C(%c : tensor<1x64x1x4xf32>) B(%b : tensor<1x64x1x4xf32>) X(%x : tensor<1x64x2x3xf32>) mask(%m) {form = #sma.form<quadratic>} -> tensor<1x64x2x3xf32>
  return %y : tensor<1x64x2x3xf32>
}

// -----

// Chunked with states and packed sequences: per sequence and head, chunks of
// 16 with a chunk-local cumsum of log(gamma_h), then the final state.
// CHECK-LABEL: func.func @chunked
// CHECK: %[[CU:.*]] = bufferization.to_buffer %arg4 read_only
// CHECK: %[[FIN:.*]] = memref.alloc() : memref<3x2x3x4xf32>
// CHECK: %[[CUM:.*]] = memref.alloca() : memref<16xf32>
// CHECK: scf.for %[[SEQ:.*]] = {{.*}} {
// CHECK:   scf.for %[[HEAD:.*]] = {{.*}} {
// CHECK:     memref.load %[[CU]][%[[SEQ]]] : memref<4xi64>
// CHECK:     arith.ceildivui
// CHECK:     scf.for
// CHECK:       %[[LOGS:.*]] = arith.constant dense<[-0.693147182, -1.38629436]> : vector<2xf32>
// CHECK:       vector.extract %[[LOGS]][%{{.*}}] : f32 from vector<2xf32>
// CHECK:       memref.store %{{.*}}, %[[CUM]]
// CHECK:     memref.store %{{.*}}, %[[FIN]][%[[SEQ]], %[[HEAD]], %{{.*}}, %{{.*}}]
// CHECK-NOT: sma.
// CHECK: return
func.func @chunked(%c: tensor<1x?x1x4xf32>, %b: tensor<1x?x1x4xf32>, %x: tensor<1x?x2x3xf32>, %s0: tensor<3x2x3x4xf32>, %cu: tensor<4xi64>) -> (tensor<1x?x2x3xf32>, tensor<3x2x3x4xf32>) {
  %m = sma.mask.fixed_decay [0.5, 0.25]
  %y, %s = sma.contract C(%c : tensor<1x?x1x4xf32>) B(%b : tensor<1x?x1x4xf32>) X(%x : tensor<1x?x2x3xf32>) mask(%m) init(%s0 : tensor<3x2x3x4xf32>) seqs(%cu : tensor<4xi64>) {form = #sma.form<chunked, 16>} -> tensor<1x?x2x3xf32>, tensor<3x2x3x4xf32>
  return %y, %s : tensor<1x?x2x3xf32>, tensor<3x2x3x4xf32>
}
