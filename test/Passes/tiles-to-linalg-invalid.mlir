// RUN: smc-opt %s -split-input-file --sma-tiles-to-linalg -verify-diagnostics

// A tile of a memref whose layout is not strided has no window to copy.

func.func @load_not_strided(%m: memref<16x16xf32, affine_map<(d0, d1) -> (d0 floordiv 4, d1, d0 mod 4)>>) -> tensor<4x4xf32> {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'tile.load' op cannot be lowered for the CPU: 'memref<16x16xf32, affine_map<(d0, d1) -> (d0 floordiv 4, d1, d0 mod 4)>>' has no strided layout}}
  %t = tile.load %m[%c0, %c0] dims [0, 1]
      : memref<16x16xf32, affine_map<(d0, d1) -> (d0 floordiv 4, d1, d0 mod 4)>> -> tensor<4x4xf32>
  return %t : tensor<4x4xf32>
}

// -----

func.func @store_not_strided(%t: tensor<4x4xf32>, %m: memref<16x16xf32, affine_map<(d0, d1) -> (d0 floordiv 4, d1, d0 mod 4)>>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'tile.store' op cannot be lowered for the CPU}}
  tile.store %t, %m[%c0, %c0] dims [0, 1]
      : tensor<4x4xf32>, memref<16x16xf32, affine_map<(d0, d1) -> (d0 floordiv 4, d1, d0 mod 4)>>
  return
}
