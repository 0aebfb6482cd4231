// RUN: smc-opt %s -split-input-file -verify-diagnostics --sma-assign-layouts

// An mma accumulator gives each warp blocks of 16 rows.
func.func @dot_rows(%C: memref<?x32x16xbf16>, %Y: memref<?x32x32xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %c = tile.load %C[%i, %c0, %c0] dims [1, 2] : memref<?x32x16xbf16> -> tensor<32x16xbf16>
    %z = arith.constant dense<0.0> : tensor<32x32xf32>
    // expected-error @+1 {{'tile.dot' op needs a multiple of 64 rows for 4 warps on the GPU, got 32}}
    %s = tile.dot %c, %c, %z {transpose_b} : tensor<32x16xbf16>, tensor<32x16xbf16> -> tensor<32x32xf32>
    tile.store %s, %Y[%i, %c0, %c0] dims [1, 2] : tensor<32x32xf32>, memref<?x32x32xf32>
  }
  return
}

// -----

// The shuffle scan runs in one warp.
func.func @cumsum_warps(%A: memref<?x64xf32>, %S: memref<?x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  tile.grid (%i) in (%n) attributes {num_warps = 2} {
    %a = tile.load %A[%i, %c0] dims [1] : memref<?x64xf32> -> tensor<64xf32>
    // expected-error @+1 {{'tile.cumsum' op runs in a one-warp grid on the GPU}}
    %s = tile.cumsum %a : tensor<64xf32>
    tile.store %s, %S[%i, %c0] dims [1] : tensor<64xf32>, memref<?x64xf32>
  }
  return
}
