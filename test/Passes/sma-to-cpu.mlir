// RUN: smc-opt %s --sma-to-cpu | FileCheck %s
// RUN: smc-opt %s --sma-to-cpu="form=quadratic" | FileCheck %s
// RUN: smc-opt %s --sma-to-cpu="form=linear" | FileCheck %s

// The whole CPU pipeline ends in the LLVM dialect: no sma, tile, tensor,
// memref, linalg or scf op is left, bf16 conversions are integer code (no
// libcalls) and exponentials inside the tile programs are polynomials (no
// libm call per element): the only calls allocate and free the tiles.
// CHECK-LABEL: llvm.func @mamba
// CHECK-NOT: sma.
// CHECK-NOT: tile.
// CHECK-NOT: memref.
// CHECK-NOT: linalg.
// CHECK-NOT: scf.
// CHECK-NOT: tensor.
// CHECK-NOT: __truncsfbf2
// CHECK-NOT: llvm.call @{{[a-ln-z]}}
// CHECK: llvm.call @malloc
// CHECK-NOT: llvm.call @{{[a-eg-ln-z]}}
// CHECK: llvm.return
func.func @mamba(%x: tensor<?x?x4x8xbf16>, %dt: tensor<?x?x4xbf16>, %A: tensor<4xf32>, %B: tensor<?x?x1x16xbf16>, %C: tensor<?x?x1x16xbf16>, %D: tensor<4xf32>, %z: tensor<?x?x4x8xbf16>, %db: tensor<4xf32>) -> tensor<?x?x4x8xbf16> {
  %y = sma.ssd x(%x : tensor<?x?x4x8xbf16>) dt(%dt : tensor<?x?x4xbf16>) A(%A : tensor<4xf32>) B(%B : tensor<?x?x1x16xbf16>) C(%C : tensor<?x?x1x16xbf16>) D(%D : tensor<4xf32>) z(%z : tensor<?x?x4x8xbf16>) dt_bias(%db : tensor<4xf32>) {dt_softplus} -> tensor<?x?x4x8xbf16>
  return %y : tensor<?x?x4x8xbf16>
}
