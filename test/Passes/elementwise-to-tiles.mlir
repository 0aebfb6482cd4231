// RUN: smc-opt %s --sma-select-form --sma-decompose-forms --sma-fuse-elementwise --sma-elementwise-to-tiles --sma-fuse-elementwise --canonicalize | FileCheck %s
// RUN: smc run %s --seqlen 37 | FileCheck %s --check-prefix=EXEC
// RUN: smc compile %s --ptx -o %t && FileCheck %s --check-prefix=GPU < %t

// y is returned and also read by an elementwise op, so the op is not fused
// into the contraction's stores: it gets a tile program of its own (a copy
// of its result, into whose loads fusion pulls it), and runs through the
// tile level on both targets.
// CHECK-LABEL: func.func @twice
// CHECK:         %[[Y:.*]] = tile.program ins(%{{.*}}) outs(%{{.*}}) -> tensor<?x?x2x8xf32> {
// CHECK:         %[[Z:.*]] = tile.program ins(%[[Y]], %{{.*}} : tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>) outs(%{{.*}} : tensor<?x?x2x8xf32>) -> tensor<?x?x2x8xf32> {
// CHECK:           tile.grid (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) attributes {num_warps = 4 : i64} {
// CHECK:             %[[A:.*]] = tile.load %{{.*}} dims [3] bounds(%{{.*}}) : memref<?x?x2x8xf32> -> tensor<8xf32>
// CHECK:             %[[B:.*]] = tile.load %{{.*}} dims [3] bounds(%{{.*}}) : memref<?x?x2x8xf32> -> tensor<8xf32>
// CHECK:             %[[S:.*]] = tile.map(%[[A]], %[[B]]) : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
// CHECK:               arith.addf
// CHECK:             tile.store %[[S]]
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[Y]], %[[Z]]

// EXEC: output 0: shape [2,37,2,8] f32
// EXEC: output 1: shape [2,37,2,8] f32

// GPU: kernel k0
// GPU: kernel k1
// GPU: launch k1 grid {{.*}} block 128 1 1

#id = affine_map<(b, t, h, p) -> (b, t, h, p)>
func.func @twice(%c: tensor<?x?x1x16xf32>, %b: tensor<?x?x1x16xf32>, %x: tensor<?x?x2x8xf32>) -> (tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>) {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<?x?x1x16xf32>) B(%b : tensor<?x?x1x16xf32>) X(%x : tensor<?x?x2x8xf32>) mask(%m) -> tensor<?x?x2x8xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %y, %c0 : tensor<?x?x2x8xf32>
  %d1 = tensor.dim %y, %c1 : tensor<?x?x2x8xf32>
  %e = tensor.empty(%d0, %d1) : tensor<?x?x2x8xf32>
  %z = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y, %x : tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>) outs(%e : tensor<?x?x2x8xf32>) {
  ^bb0(%a: f32, %v: f32, %o: f32):
    %s = arith.addf %a, %v : f32
    linalg.yield %s : f32
  } -> tensor<?x?x2x8xf32>
  return %y, %z : tensor<?x?x2x8xf32>, tensor<?x?x2x8xf32>
}
