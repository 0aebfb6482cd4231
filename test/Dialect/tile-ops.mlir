// RUN: smc-opt %s | smc-opt | FileCheck %s
// RUN: smc-opt %s --mlir-print-op-generic | smc-opt | FileCheck %s

// Round trip of every tile op, with optional attributes and operands present
// and absent.

// CHECK-LABEL: func.func @program
// CHECK:         %[[Y:.*]] = tile.program ins(%{{.*}}, %{{.*}} : tensor<?x?x1x16xbf16>, tensor<?x?x4x8xf32>) outs(%{{.*}} : tensor<?x?x4x8xf32>) -> tensor<?x?x4x8xf32> {
// CHECK-NEXT:    ^bb0(%[[C:.*]]: memref<?x?x1x16xbf16>, %[[X:.*]]: memref<?x?x4x8xf32>, %[[YM:.*]]: memref<?x?x4x8xf32>):
// CHECK:           tile.grid (%[[B:.*]], %[[H:.*]]) in (%{{.*}}, %{{.*}}) attributes {num_warps = 4 : i64} {
// CHECK:             tile.load %[[X]][%[[B]], %{{.*}}, %[[H]], %{{.*}}] dims [1, 3] bounds(%{{.*}}, %{{.*}}) : memref<?x?x4x8xf32> -> tensor<16x8xf32>
// CHECK:             tile.load %[[C]][%[[B]], %{{.*}}, %{{.*}}, %{{.*}}] dims [1, 3] : memref<?x?x1x16xbf16> -> tensor<16x16xbf16>
// CHECK:             tile.load %[[C]][%[[B]], %{{.*}}, %{{.*}}, %{{.*}}] : memref<?x?x1x16xbf16> -> bf16
// CHECK:             tile.store %{{.*}}, %[[YM]][%[[B]], %{{.*}}, %[[H]], %{{.*}}] dims [1, 3] bounds(%{{.*}}, %{{.*}}) : tensor<16x8xf32>, memref<?x?x4x8xf32>
// CHECK:           tile.grid (%{{.*}}) in (%{{.*}}) {
// CHECK:         return %[[Y]]
func.func @program(%C: tensor<?x?x1x16xbf16>, %X: tensor<?x?x4x8xf32>,
                   %Y0: tensor<?x?x4x8xf32>) -> tensor<?x?x4x8xf32> {
  %y = tile.program ins(%C, %X : tensor<?x?x1x16xbf16>, tensor<?x?x4x8xf32>)
      outs(%Y0 : tensor<?x?x4x8xf32>) -> tensor<?x?x4x8xf32> {
  ^bb0(%Cm: memref<?x?x1x16xbf16>, %Xm: memref<?x?x4x8xf32>,
       %Ym: memref<?x?x4x8xf32>):
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    %c8 = arith.constant 8 : index
    %n = memref.dim %Xm, %c0 : memref<?x?x4x8xf32>
    tile.grid (%b, %h) in (%n, %c4) attributes {num_warps = 4} {
      %x = tile.load %Xm[%b, %c0, %h, %c0] dims [1, 3] bounds(%c8, %c8)
          : memref<?x?x4x8xf32> -> tensor<16x8xf32>
      %c = tile.load %Cm[%b, %c0, %c0, %c0] dims [1, 3]
          : memref<?x?x1x16xbf16> -> tensor<16x16xbf16>
      %e = tile.load %Cm[%b, %c0, %c0, %c0] : memref<?x?x1x16xbf16> -> bf16
      tile.store %x, %Ym[%b, %c0, %h, %c0] dims [1, 3] bounds(%c8, %c8)
          : tensor<16x8xf32>, memref<?x?x4x8xf32>
    }
    tile.grid (%i) in (%n) {
    }
  }
  return %y : tensor<?x?x4x8xf32>
}

// CHECK-LABEL: func.func @compute
// CHECK:         %[[R:.*]] = tile.range : tensor<16xindex>
// CHECK:         %[[CUM:.*]] = tile.cumsum %{{.*}} : tensor<16xf32>
// CHECK:         %[[BC:.*]] = tile.broadcast %[[CUM]] dims [1] : tensor<16xf32> -> tensor<16x8xf32>
// CHECK:         %[[D:.*]] = tile.dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<16x16xbf16>, tensor<16x8xbf16> -> tensor<16x8xf32>
// CHECK:         %[[T:.*]] = tile.dot %{{.*}}, %{{.*}}, %{{.*}} {transpose_a, transpose_b, tril_a, tril_result} : tensor<16x16xbf16>, tensor<8x16xbf16> -> tensor<16x8xf32>
// CHECK:         %[[S:.*]] = tile.sum %[[D]] dim 1 : tensor<16x8xf32> -> tensor<16xf32>
// CHECK:         %[[M:.*]] = tile.map(%[[D]], %[[BC]], %{{.*}}) : (tensor<16x8xf32>, tensor<16x8xf32>, f32) -> tensor<16x8xf32> {
// CHECK-NEXT:    ^bb0(%[[P:.*]]: f32, %[[Q:.*]]: f32, %[[K:.*]]: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.addf %[[P]], %[[Q]] : f32
// CHECK-NEXT:      %[[W:.*]] = arith.mulf %[[V]], %[[K]] : f32
// CHECK-NEXT:      tile.yield %[[W]] : f32
// CHECK-NEXT:    }
// CHECK:         %[[Z:.*]] = tile.map : () -> tensor<4xf32> {
func.func @compute(%a: tensor<16x16xbf16>, %b: tensor<16x8xbf16>,
                   %bt: tensor<8x16xbf16>, %v: tensor<16xf32>, %k: f32)
    -> (tensor<16xindex>, tensor<16x8xf32>, tensor<16xf32>, tensor<16x8xf32>,
        tensor<4xf32>) {
  %r = tile.range : tensor<16xindex>
  %cum = tile.cumsum %v : tensor<16xf32>
  %bc = tile.broadcast %cum dims [1] : tensor<16xf32> -> tensor<16x8xf32>
  %zero = arith.constant dense<0.0> : tensor<16x8xf32>
  %d = tile.dot %a, %b, %zero : tensor<16x16xbf16>, tensor<16x8xbf16> -> tensor<16x8xf32>
  %t = tile.dot %a, %bt, %zero {transpose_a, transpose_b, tril_a, tril_result}
      : tensor<16x16xbf16>, tensor<8x16xbf16> -> tensor<16x8xf32>
  %s = tile.sum %d dim 1 : tensor<16x8xf32> -> tensor<16xf32>
  %m = tile.map (%d, %bc, %k) : (tensor<16x8xf32>, tensor<16x8xf32>, f32) -> tensor<16x8xf32> {
  ^bb0(%p: f32, %q: f32, %kk: f32):
    %x = arith.addf %p, %q : f32
    %y = arith.mulf %x, %kk : f32
    tile.yield %y : f32
  }
  %z = tile.map : () -> tensor<4xf32> {
    %one = arith.constant 1.0 : f32
    tile.yield %one : f32
  }
  return %r, %t, %s, %m, %z : tensor<16xindex>, tensor<16x8xf32>, tensor<16xf32>, tensor<16x8xf32>, tensor<4xf32>
}
