// RUN: smc-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule of the tile dialect (dialect/tile/TileOps.cpp).

func.func @program_result_count(%x: tensor<4xf32>) {
  // expected-error @+1 {{'tile.program' op expected one result per output, got 0 results and 1 outputs}}
  "tile.program"(%x) <{operandSegmentSizes = array<i32: 0, 1>}> ({
  ^bb0(%m: memref<4xf32>):
    tile.end
  }) : (tensor<4xf32>) -> ()
  return
}

// -----

func.func @program_block_args(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tile.program' op expected 1 block arguments (one memref per operand), got 0}}
  %y = tile.program outs(%x : tensor<4xf32>) -> tensor<4xf32> {
  }
  return %y : tensor<4xf32>
}

// -----

func.func @program_block_arg_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tile.program' op block argument 0 must be a memref of shape and element type of 'tensor<4xf32>', got 'memref<4xf16>'}}
  %y = tile.program outs(%x : tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%m: memref<4xf16>):
  }
  return %y : tensor<4xf32>
}

// -----

func.func @grid_sizes(%n: index) {
  // expected-error @+1 {{expected one size per coordinate, got 2 coordinates and 1 sizes}}
  tile.grid (%i, %j) in (%n) {
  }
  return
}

// -----

func.func @grid_warps(%n: index) {
  // expected-error @+1 {{'tile.grid' op num_warps must be at least 1, got 0}}
  tile.grid (%i) in (%n) attributes {num_warps = 0} {
  }
  return
}

// -----

func.func @load_indices(%m: memref<?x8xf32>, %i: index) {
  // expected-error @+1 {{'tile.load' op expected 2 indices (the memref's rank), got 1}}
  %t = tile.load %m[%i] dims [0] : memref<?x8xf32> -> tensor<16xf32>
  return
}

// -----

func.func @load_dims_rank(%m: memref<?x8xf32>, %i: index) {
  // expected-error @+1 {{'tile.load' op expected 2 dims (the tile's rank), got 1}}
  %t = tile.load %m[%i, %i] dims [0] : memref<?x8xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @load_dims_range(%m: memref<?x8xf32>, %i: index) {
  // expected-error @+1 {{'tile.load' op dims[0] = 2 is not a dimension of the memref (rank 2)}}
  %t = tile.load %m[%i, %i] dims [2] : memref<?x8xf32> -> tensor<16xf32>
  return
}

// -----

func.func @load_dims_order(%m: memref<?x8xf32>, %i: index) {
  // expected-error @+1 {{'tile.load' op dims must increase, got 0 after 1}}
  %t = tile.load %m[%i, %i] dims [1, 0] : memref<?x8xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @load_bounds(%m: memref<?x8xf32>, %i: index) {
  // expected-error @+1 {{'tile.load' op expected no bounds or 2 (one per tile dim), got 1}}
  %t = tile.load %m[%i, %i] dims [0, 1] bounds(%i) : memref<?x8xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @load_element_type(%m: memref<?x8xf32>, %i: index) {
  // expected-error @+1 {{'tile.load' op result element type 'bf16' differs from the memref's 'f32'}}
  %t = tile.load %m[%i, %i] dims [0, 1] : memref<?x8xf32> -> tensor<16x8xbf16>
  return
}

// -----

func.func @load_scalar_type(%m: memref<?x8xf32>, %i: index) {
  // expected-error @+1 {{'tile.load' op result element type 'f16' differs from the memref's 'f32'}}
  %t = tile.load %m[%i, %i] : memref<?x8xf32> -> f16
  return
}

// -----

func.func @load_dynamic(%m: memref<?x8xf32>, %i: index) {
  // expected-error @+1 {{'tile.load' op a tile must have a static shape, got 'tensor<?x8xf32>'}}
  %t = tile.load %m[%i, %i] dims [0, 1] : memref<?x8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @store_element_type(%m: memref<?x8xbf16>, %t: tensor<16x8xf32>, %i: index) {
  // expected-error @+1 {{'tile.store' op tile element type 'f32' differs from the memref's 'bf16'}}
  tile.store %t, %m[%i, %i] dims [0, 1] : tensor<16x8xf32>, memref<?x8xbf16>
  return
}

// -----

func.func @store_dims(%m: memref<?x8xf32>, %t: tensor<16x8xf32>, %i: index) {
  // expected-error @+1 {{'tile.store' op expected 2 dims (the tile's rank), got 1}}
  tile.store %t, %m[%i, %i] dims [0] : tensor<16x8xf32>, memref<?x8xf32>
  return
}

// -----

func.func @store_rank() {
  %m = memref.alloc() : memref<4x4x4xf32>
  %t = arith.constant dense<0.0> : tensor<2x2x2xf32>
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'tile.store' op operand #0 must be tile (a static tensor of rank 1 or 2), but got 'tensor<2x2x2xf32>'}}
  tile.store %t, %m[%c0, %c0, %c0] dims [0, 1, 2] : tensor<2x2x2xf32>, memref<4x4x4xf32>
  return
}

// -----

func.func @range_empty() {
  // expected-error @+1 {{'tile.range' op expected at least one element}}
  %r = tile.range : tensor<0xindex>
  return
}

// -----

func.func @broadcast_type(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.broadcast' op element types differ: 'f32' and 'f16'}}
  %b = tile.broadcast %v dims [1] : tensor<16xf32> -> tensor<16x8xf16>
  return
}

// -----

func.func @broadcast_rank(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.broadcast' op result rank 2 must be the source's rank 1 plus the 2 new dims}}
  %b = tile.broadcast %v dims [0, 1] : tensor<16xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @broadcast_shape(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.broadcast' op the result's other dims must be the source's shape}}
  %b = tile.broadcast %v dims [0] : tensor<16xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @broadcast_dim(%v: tensor<16xf32>) {
  // expected-error @+1 {{'tile.broadcast' op new dim 2 is not a result dim}}
  %b = tile.broadcast %v dims [2] : tensor<16xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @dot_reduction(%a: tensor<16x16xbf16>, %b: tensor<8x8xbf16>, %c: tensor<16x8xf32>) {
  // expected-error @+1 {{'tile.dot' op reduction sizes differ: 16 (a) and 8 (b)}}
  %d = tile.dot %a, %b, %c : tensor<16x16xbf16>, tensor<8x8xbf16> -> tensor<16x8xf32>
  return
}

// -----

func.func @dot_transposed(%a: tensor<16x16xbf16>, %b: tensor<16x8xbf16>, %c: tensor<16x8xf32>) {
  // expected-error @+1 {{'tile.dot' op reduction sizes differ: 16 (a) and 8 (b)}}
  %d = tile.dot %a, %b, %c {transpose_b} : tensor<16x16xbf16>, tensor<16x8xbf16> -> tensor<16x8xf32>
  return
}

// -----

func.func @dot_acc(%a: tensor<16x16xbf16>, %b: tensor<16x8xbf16>, %c: tensor<8x8xf32>) {
  // expected-error @+1 {{'tile.dot' op accumulator must be 16x8, got 8x8}}
  %d = tile.dot %a, %b, %c : tensor<16x16xbf16>, tensor<16x8xbf16> -> tensor<8x8xf32>
  return
}

// -----

func.func @dot_mixed(%a: tensor<16x16xbf16>, %b: tensor<16x8xf32>, %c: tensor<16x8xf32>) {
  // expected-error @+1 {{'tile.dot' op operand element types differ: 'bf16' and 'f32'}}
  %d = tile.dot %a, %b, %c : tensor<16x16xbf16>, tensor<16x8xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @dot_int(%a: tensor<16x16xi32>, %b: tensor<16x8xi32>, %c: tensor<16x8xf32>) {
  // expected-error @+1 {{'tile.dot' op operands must be float tiles}}
  %d = tile.dot %a, %b, %c : tensor<16x16xi32>, tensor<16x8xi32> -> tensor<16x8xf32>
  return
}

// -----

func.func @dot_acc_type(%a: tensor<16x16xbf16>, %b: tensor<16x8xbf16>, %c: tensor<16x8xbf16>) {
  // expected-error @+1 {{'tile.dot' op the accumulator must be f32, got 'bf16'}}
  %d = tile.dot %a, %b, %c : tensor<16x16xbf16>, tensor<16x8xbf16> -> tensor<16x8xbf16>
  return
}

// -----

func.func @sum_dim(%a: tensor<16x8xf32>) {
  // expected-error @+1 {{'tile.sum' op dim must be 0 or 1, got 2}}
  %s = tile.sum %a dim 2 : tensor<16x8xf32> -> tensor<16xf32>
  return
}

// -----

func.func @sum_shape(%a: tensor<16x8xf32>) {
  // expected-error @+1 {{'tile.sum' op expected a result of 16 elements, got 8}}
  %s = tile.sum %a dim 1 : tensor<16x8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @map_args(%a: tensor<16xf32>) {
  // expected-error @+1 {{'tile.map' op expected one block argument per input (1), got 0}}
  %m = tile.map (%a) : (tensor<16xf32>) -> tensor<16xf32> {
    %one = arith.constant 1.0 : f32
    tile.yield %one : f32
  }
  return
}

// -----

func.func @map_shape(%a: tensor<8xf32>) {
  // expected-error @+1 {{'tile.map' op input 0 has shape 'tensor<8xf32>', but the result is 'tensor<16xf32>'}}
  %m = tile.map (%a) : (tensor<8xf32>) -> tensor<16xf32> {
  ^bb0(%x: f32):
    tile.yield %x : f32
  }
  return
}

// -----

func.func @map_arg_type(%a: tensor<16xf32>) {
  // expected-error @+1 {{'tile.map' op block argument 0 must be 'f32', got 'f16'}}
  %m = tile.map (%a) : (tensor<16xf32>) -> tensor<16xf32> {
  ^bb0(%x: f16):
    %y = arith.extf %x : f16 to f32
    tile.yield %y : f32
  }
  return
}

// -----

func.func @map_yield(%a: tensor<16xf32>) {
  // expected-error @+1 {{'tile.map' op yields 'f32', but the result's elements are 'f16'}}
  %m = tile.map (%a) : (tensor<16xf32>) -> tensor<16xf16> {
  ^bb0(%x: f32):
    tile.yield %x : f32
  }
  return
}
