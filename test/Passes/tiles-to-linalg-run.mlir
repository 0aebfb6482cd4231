// RUN: smc-opt %s --sma-tiles-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --buffer-loop-hoisting --buffer-deallocation-pipeline --sma-lower-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_c_runner_utils.so,%mlir_lib_dir/libmlir_runner_utils.so \
// RUN: | FileCheck %s

// Numerics of the CPU lowering of tile programs, through the whole CPU
// pipeline after sma-tiles-to-linalg. The expected values were computed
// independently (in Python, from the definitions of the tile ops) and are
// exact in f32 and bf16.
//
// Y1: per sequence b, x = X[b] padded to 8 rows (the load bound 6 zeroes rows
//     6, 7), then x * S[b] + row (tile.map with a scalar operand and a
//     broadcast range), stored with bound 5: rows 5..7 keep their -1.
// Y3: per sequence, the row sums of x (0 past the end), their cumsum, and the
//     row sums of x^2 masked to the lower triangle (row >= column).
// Y2: V broadcast along rows + At^T Bt^T (f32, both transposed)
//     + A2 Bt^T (bf16, b transposed) + 0.5 (At^T B + A2 B) (a transposed; a
//     bf16 tile extended to f32).
// Y4, Y5: a scan over 4 steps with a loop-carried 2x3 state (below); Y5 is
//     the final state.
//
// The reference (Python 3, no dependencies):
//   X = [[[(b+1)*(t-2.5) + 0.25*p for p in range(4)] for t in range(6)]
//        for b in range(2)]
//   S = [1.5, -2.0]
//   At = [[((k+1)*(m+2) % 7) - 2.5 for m in range(4)] for k in range(3)]
//   Bt = [[(n+1)*0.5 - k for k in range(3)] for n in range(5)]
//   B = [[(k*5+n) % 7 - 3 for n in range(5)] for k in range(3)]
//   A2 = [[(((m+1)*(k+3)) % 5)*0.5 - 0.75 for k in range(3)] for m in range(4)]
//   V = [n - 1.5 for n in range(5)]
//   for b in range(2):
//     x = [[X[b][t][p] if t < 6 else 0.0 for p in range(4)] for t in range(8)]
//     y1 = [[x[t][p]*S[b] + t if t < 5 else -1.0 for p in range(4)]
//           for t in range(8)]
//     rs = [sum(r) for r in x]; cum = [sum(rs[:i+1]) for i in range(8)]
//     ms = [sum(x[t][p]**2 for p in range(4) if t >= p) for t in range(8)]
//   Y2 = [[V[n] + sum((At[k][m] + A2[m][k]) * (Bt[n][k] + 0.5*B[k][n])
//                     for k in range(3)) for n in range(5)] for m in range(4)]
//   G = [0.5, 0.75, 0.25, 1.0]
//   Xs = [[t + 1.0, 0.5 - t*0.5] for t in range(4)]
//   Bs = [[(t+n) % 3 - 0.5 for n in range(3)] for t in range(4)]
//   Cs = [[1.0 + 0.5*((t*n) % 3) for n in range(3)] for t in range(4)]
//   h, Y4 = [[0.0]*3 for _ in range(2)], []
//   for t in range(4):
//     h2 = [[h[p][n]*G[t] + Xs[t][p]*Bs[t][n] for n in range(3)]
//           for p in range(2)]
//     Y4.append([sum((h2[p][n] + h[p][n])*Cs[t][n] for n in range(3))
//                for p in range(2)])
//     h = h2
//   Y5 = h

// CHECK: rank = 3 offset = 0 sizes = [2, 8, 4] strides = [32, 4, 1] data =
// CHECK-NEXT: {{\[\[\[}}-3.75, -3.375, -3, -2.625]
// CHECK-NEXT: {{\[}}-1.25, -0.875, -0.5, -0.125]
// CHECK-NEXT: {{\[}}1.25, 1.625, 2, 2.375]
// CHECK-NEXT: {{\[}}3.75, 4.125, 4.5, 4.875]
// CHECK-NEXT: {{\[}}6.25, 6.625, 7, 7.375]
// CHECK-NEXT: {{\[}}-1, -1, -1, -1]
// CHECK-NEXT: {{\[}}-1, -1, -1, -1]
// CHECK-NEXT: {{\[}}-1, -1, -1, -1]
// CHECK-NEXT: {{\[\[}}10, 9.5, 9, 8.5]
// CHECK-NEXT: {{\[}}7, 6.5, 6, 5.5]
// CHECK-NEXT: {{\[}}4, 3.5, 3, 2.5]
// CHECK-NEXT: {{\[}}1, 0.5, 0, -0.5]
// CHECK-NEXT: {{\[}}-2, -2.5, -3, -3.5]
// CHECK-NEXT: {{\[}}-1, -1, -1, -1]
// CHECK-NEXT: {{\[}}-1, -1, -1, -1]
// CHECK-NEXT: {{\[}}-1, -1, -1, -1]
// CHECK: rank = 2 offset = 0 sizes = [4, 5] strides = [5, 1] data =
// CHECK-NEXT: {{\[\[}}-4.5, 2.25, -0.625, 6.125, 3.25]
// CHECK-NEXT: {{\[}}2.25, 6.5, -4.125, 0.125, 8.75]
// CHECK-NEXT: {{\[}}-7.5, -3.25, 5.375, 9.625, 7.75]
// CHECK-NEXT: {{\[}}-0.75, 1, 1.875, 3.625, 13.25]
// CHECK: rank = 3 offset = 0 sizes = [2, 3, 8] strides = [24, 8, 1] data =
// CHECK-NEXT: {{\[\[\[}}-8.5, -4.5, -0.5, 3.5, 7.5, 11.5, 0, 0]
// CHECK-NEXT: {{\[}}-8.5, -13, -13.5, -10, -2.5, 9, 9, 9]
// CHECK-NEXT: {{\[}}6.25, 3.8125, 0.3125, 3.375, 14.375, 33.375, 0, 0]
// CHECK-NEXT: {{\[\[}}-18.5, -10.5, -2.5, 5.5, 13.5, 21.5, 0, 0]
// CHECK-NEXT: {{\[}}-18.5, -29, -31.5, -26, -12.5, 9, 9, 9]
// CHECK-NEXT: {{\[}}25, 16.5625, 1.8125, 7.875, 45.875, 115.875, 0, 0]
// CHECK: rank = 2 offset = 0 sizes = [4, 2] strides = [2, 1] data =
// CHECK-NEXT: {{\[\[}}1.5, 0.75]
// CHECK-NEXT: {{\[}}9.1875, 2.84375]
// CHECK-NEXT: {{\[}}13.2031, 0.664062]
// CHECK-NEXT: {{\[}}17.0625, -2.71875]
// CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
// CHECK-NEXT: {{\[\[}}2.65625, 1.34375, 7.53125]
// CHECK-NEXT: {{\[}}-0.296875, -0.203125, -1.60938]

func.func @kernel(%X: tensor<2x6x4xf32>, %S: tensor<2xf32>, %At: tensor<3x4xf32>,
                  %Bt: tensor<5x3xf32>, %B: tensor<3x5xf32>, %A2: tensor<4x3xbf16>,
                  %V: tensor<5xf32>, %G: tensor<4xf32>, %Xs: tensor<4x2xf32>,
                  %Bs: tensor<4x3xf32>, %Cs: tensor<4x3xf32>)
    -> (tensor<2x8x4xf32>, tensor<4x5xf32>, tensor<2x3x8xf32>, tensor<4x2xf32>,
        tensor<2x3xf32>) {
  // Every output starts as -1, so elements a bounded store skips show.
  %Y1i = arith.constant dense<-1.0> : tensor<2x8x4xf32>
  %Y2i = arith.constant dense<-1.0> : tensor<4x5xf32>
  %Y3i = arith.constant dense<-1.0> : tensor<2x3x8xf32>
  %Y4i = arith.constant dense<-1.0> : tensor<4x2xf32>
  %Y5i = arith.constant dense<-1.0> : tensor<2x3xf32>
  %y1, %y2, %y3, %y4, %y5 = tile.program
      ins(%X, %S, %At, %Bt, %B, %A2, %V, %G, %Xs, %Bs, %Cs
          : tensor<2x6x4xf32>, tensor<2xf32>, tensor<3x4xf32>, tensor<5x3xf32>,
            tensor<3x5xf32>, tensor<4x3xbf16>, tensor<5xf32>, tensor<4xf32>,
            tensor<4x2xf32>, tensor<4x3xf32>, tensor<4x3xf32>)
      outs(%Y1i, %Y2i, %Y3i, %Y4i, %Y5i : tensor<2x8x4xf32>, tensor<4x5xf32>,
           tensor<2x3x8xf32>, tensor<4x2xf32>, tensor<2x3xf32>)
      -> tensor<2x8x4xf32>, tensor<4x5xf32>, tensor<2x3x8xf32>, tensor<4x2xf32>,
         tensor<2x3xf32> {
  ^bb0(%Xm: memref<2x6x4xf32>, %Sm: memref<2xf32>, %Atm: memref<3x4xf32>,
       %Btm: memref<5x3xf32>, %Bm: memref<3x5xf32>, %A2m: memref<4x3xbf16>,
       %Vm: memref<5xf32>, %Gm: memref<4xf32>, %Xsm: memref<4x2xf32>,
       %Bsm: memref<4x3xf32>, %Csm: memref<4x3xf32>,
       %Y1: memref<2x8x4xf32>, %Y2: memref<4x5xf32>, %Y3: memref<2x3x8xf32>,
       %Y4: memref<4x2xf32>, %Y5: memref<2x3xf32>):
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    %c5 = arith.constant 5 : index
    %n = memref.dim %Xm, %c1 : memref<2x6x4xf32>
    %nstore = arith.subi %n, %c1 : index
    // Per sequence: rows past the sequence's end load as zero; stores keep
    // the rows past their bound untouched.
    tile.grid (%b, %p) in (%c2, %c1) attributes {num_warps = 4} {
      %x = tile.load %Xm[%b, %c0, %c0] dims [1, 2] bounds(%n, %c4)
          : memref<2x6x4xf32> -> tensor<8x4xf32>
      %k = tile.load %Sm[%b] : memref<2xf32> -> f32
      %r = tile.range : tensor<8xindex>
      %rows = tile.broadcast %r dims [1] : tensor<8xindex> -> tensor<8x4xindex>
      %m = tile.map (%x, %rows, %k) : (tensor<8x4xf32>, tensor<8x4xindex>, f32) -> tensor<8x4xf32> {
      ^bb0(%xe: f32, %re: index, %ke: f32):
        %ri = arith.index_cast %re : index to i64
        %rf = arith.sitofp %ri : i64 to f32
        %xk = arith.mulf %xe, %ke : f32
        %v = arith.addf %xk, %rf : f32
        tile.yield %v : f32
      }
      tile.store %m, %Y1[%b, %c0, %c0] dims [1, 2] bounds(%nstore, %c4)
          : tensor<8x4xf32>, memref<2x8x4xf32>
      // Row sums (zero past the end), their prefix sums, and masked squares.
      %sq = arith.mulf %x, %x : tensor<8x4xf32>
      %cols = tile.range : tensor<4xindex>
      %colb = tile.broadcast %cols dims [0] : tensor<4xindex> -> tensor<8x4xindex>
      %keep = arith.cmpi uge, %rows, %colb : tensor<8x4xindex>
      %zero = arith.constant dense<0.0> : tensor<8x4xf32>
      %masked = arith.select %keep, %sq, %zero : tensor<8x4xi1>, tensor<8x4xf32>
      %rs = tile.sum %x dim 1 : tensor<8x4xf32> -> tensor<8xf32>
      %cum = tile.cumsum %rs : tensor<8xf32>
      %ms = tile.sum %masked dim 1 : tensor<8x4xf32> -> tensor<8xf32>
      tile.store %rs, %Y3[%b, %c0, %c0] dims [2] : tensor<8xf32>, memref<2x3x8xf32>
      tile.store %cum, %Y3[%b, %c1, %c0] dims [2] : tensor<8xf32>, memref<2x3x8xf32>
      tile.store %ms, %Y3[%b, %c2, %c0] dims [2] : tensor<8xf32>, memref<2x3x8xf32>
    }
    // Products with every transpose combination; the accumulator repeats V
    // along the rows.
    tile.grid (%g) in (%c1) {
      %at = tile.load %Atm[%c0, %c0] dims [0, 1] : memref<3x4xf32> -> tensor<3x4xf32>
      %bt = tile.load %Btm[%c0, %c0] dims [0, 1] : memref<5x3xf32> -> tensor<5x3xf32>
      %bb = tile.load %Bm[%c0, %c0] dims [0, 1] : memref<3x5xf32> -> tensor<3x5xf32>
      %a2 = tile.load %A2m[%c0, %c0] dims [0, 1] : memref<4x3xbf16> -> tensor<4x3xbf16>
      %v = tile.load %Vm[%c0] dims [0] : memref<5xf32> -> tensor<5xf32>
      %acc = tile.broadcast %v dims [0] : tensor<5xf32> -> tensor<4x5xf32>
      %d1 = tile.dot %at, %bt, %acc {transpose_a, transpose_b}
          : tensor<3x4xf32>, tensor<5x3xf32> -> tensor<4x5xf32>
      %bt16 = arith.truncf %bt : tensor<5x3xf32> to tensor<5x3xbf16>
      %d2 = tile.dot %a2, %bt16, %d1 {transpose_b}
          : tensor<4x3xbf16>, tensor<5x3xbf16> -> tensor<4x5xf32>
      %z = arith.constant dense<0.0> : tensor<4x5xf32>
      %d3 = tile.dot %at, %bb, %z {transpose_a} : tensor<3x4xf32>, tensor<3x5xf32> -> tensor<4x5xf32>
      %a2f = arith.extf %a2 : tensor<4x3xbf16> to tensor<4x3xf32>
      %d4 = tile.dot %a2f, %bb, %d3 : tensor<4x3xf32>, tensor<3x5xf32> -> tensor<4x5xf32>
      %half = arith.constant 0.5 : f32
      %h = tensor.splat %half : tensor<4x5xf32>
      %d4h = arith.mulf %d4, %h : tensor<4x5xf32>
      %sum = arith.addf %d2, %d4h : tensor<4x5xf32>
      tile.store %sum, %Y2[%c0, %c0] dims [0, 1] : tensor<4x5xf32>, memref<4x5xf32>
    }
    // A scan with the state as a loop-carried tile: h = h g_t + x_t b_t^T,
    // y_t = (h + h_previous) c_t. Reading the previous state after the update
    // keeps the update from being in place: it is copied into the state.
    tile.grid (%g) in (%c1) {
      %h0 = arith.constant dense<0.0> : tensor<2x3xf32>
      %hT = scf.for %t = %c0 to %c4 step %c1 iter_args(%h = %h0) -> (tensor<2x3xf32>) {
        %xt = tile.load %Xsm[%t, %c0] dims [1] : memref<4x2xf32> -> tensor<2xf32>
        %bt3 = tile.load %Bsm[%t, %c0] dims [1] : memref<4x3xf32> -> tensor<3xf32>
        %ct = tile.load %Csm[%t, %c0] dims [1] : memref<4x3xf32> -> tensor<3xf32>
        %gt = tile.load %Gm[%t] : memref<4xf32> -> f32
        %gs = tensor.splat %gt : tensor<2x3xf32>
        %xb = tile.broadcast %xt dims [1] : tensor<2xf32> -> tensor<2x3xf32>
        %bb3 = tile.broadcast %bt3 dims [0] : tensor<3xf32> -> tensor<2x3xf32>
        %hd = arith.mulf %h, %gs : tensor<2x3xf32>
        %outer = arith.mulf %xb, %bb3 : tensor<2x3xf32>
        %h2 = arith.addf %hd, %outer : tensor<2x3xf32>
        %both = arith.addf %h2, %h : tensor<2x3xf32>
        %cb = tile.broadcast %ct dims [0] : tensor<3xf32> -> tensor<2x3xf32>
        %hc = arith.mulf %both, %cb : tensor<2x3xf32>
        %yt = tile.sum %hc dim 1 : tensor<2x3xf32> -> tensor<2xf32>
        tile.store %yt, %Y4[%t, %c0] dims [1] : tensor<2xf32>, memref<4x2xf32>
        scf.yield %h2 : tensor<2x3xf32>
      }
      tile.store %hT, %Y5[%c0, %c0] dims [0, 1] : tensor<2x3xf32>, memref<2x3xf32>
    }
  }
  return %y1, %y2, %y3, %y4, %y5 : tensor<2x8x4xf32>, tensor<4x5xf32>,
      tensor<2x3x8xf32>, tensor<4x2xf32>, tensor<2x3xf32>
}

func.func private @printMemrefF32(memref<*xf32>)

func.func @main() {
  %X = arith.constant dense<[[[-2.5, -2.25, -2.0, -1.75], [-1.5, -1.25, -1.0, -0.75], [-0.5, -0.25, 0.0, 0.25], [0.5, 0.75, 1.0, 1.25], [1.5, 1.75, 2.0, 2.25], [2.5, 2.75, 3.0, 3.25]], [[-5.0, -4.75, -4.5, -4.25], [-3.0, -2.75, -2.5, -2.25], [-1.0, -0.75, -0.5, -0.25], [1.0, 1.25, 1.5, 1.75], [3.0, 3.25, 3.5, 3.75], [5.0, 5.25, 5.5, 5.75]]]> : tensor<2x6x4xf32>
  %S = arith.constant dense<[1.5, -2.0]> : tensor<2xf32>
  %At = arith.constant dense<[[-0.5, 0.5, 1.5, 2.5], [1.5, 3.5, -1.5, 0.5], [3.5, -0.5, 2.5, -1.5]]> : tensor<3x4xf32>
  %Bt = arith.constant dense<[[0.5, -0.5, -1.5], [1.0, 0.0, -1.0], [1.5, 0.5, -0.5], [2.0, 1.0, 0.0], [2.5, 1.5, 0.5]]> : tensor<5x3xf32>
  %B = arith.constant dense<[[-3.0, -2.0, -1.0, 0.0, 1.0], [2.0, 3.0, -3.0, -2.0, -1.0], [0.0, 1.0, 2.0, 3.0, -3.0]]> : tensor<3x5xf32>
  %A2 = arith.constant dense<[[0.75, 1.25, -0.75], [-0.25, 0.75, -0.75], [1.25, 0.25, -0.75], [0.25, -0.25, -0.75]]> : tensor<4x3xbf16>
  %V = arith.constant dense<[-1.5, -0.5, 0.5, 1.5, 2.5]> : tensor<5xf32>
  %G = arith.constant dense<[0.5, 0.75, 0.25, 1.0]> : tensor<4xf32>
  %Xs = arith.constant dense<[[1.0, 0.5], [2.0, 0.0], [3.0, -0.5], [4.0, -1.0]]> : tensor<4x2xf32>
  %Bs = arith.constant dense<[[-0.5, 0.5, 1.5], [0.5, 1.5, -0.5], [1.5, -0.5, 0.5], [-0.5, 0.5, 1.5]]> : tensor<4x3xf32>
  %Cs = arith.constant dense<[[1.0, 1.0, 1.0], [1.0, 1.5, 2.0], [1.0, 2.0, 1.5], [1.0, 1.0, 1.0]]> : tensor<4x3xf32>
  %y1, %y2, %y3, %y4, %y5 = call @kernel(%X, %S, %At, %Bt, %B, %A2, %V, %G, %Xs, %Bs, %Cs)
      : (tensor<2x6x4xf32>, tensor<2xf32>, tensor<3x4xf32>, tensor<5x3xf32>,
         tensor<3x5xf32>, tensor<4x3xbf16>, tensor<5xf32>, tensor<4xf32>,
         tensor<4x2xf32>, tensor<4x3xf32>, tensor<4x3xf32>)
      -> (tensor<2x8x4xf32>, tensor<4x5xf32>, tensor<2x3x8xf32>, tensor<4x2xf32>,
          tensor<2x3xf32>)
  %m1 = bufferization.to_buffer %y1 : tensor<2x8x4xf32> to memref<2x8x4xf32>
  %u1 = memref.cast %m1 : memref<2x8x4xf32> to memref<*xf32>
  call @printMemrefF32(%u1) : (memref<*xf32>) -> ()
  %m2 = bufferization.to_buffer %y2 : tensor<4x5xf32> to memref<4x5xf32>
  %u2 = memref.cast %m2 : memref<4x5xf32> to memref<*xf32>
  call @printMemrefF32(%u2) : (memref<*xf32>) -> ()
  %m3 = bufferization.to_buffer %y3 : tensor<2x3x8xf32> to memref<2x3x8xf32>
  %u3 = memref.cast %m3 : memref<2x3x8xf32> to memref<*xf32>
  call @printMemrefF32(%u3) : (memref<*xf32>) -> ()
  %m4 = bufferization.to_buffer %y4 : tensor<4x2xf32> to memref<4x2xf32>
  %u4 = memref.cast %m4 : memref<4x2xf32> to memref<*xf32>
  call @printMemrefF32(%u4) : (memref<*xf32>) -> ()
  %m5 = bufferization.to_buffer %y5 : tensor<2x3xf32> to memref<2x3xf32>
  %u5 = memref.cast %m5 : memref<2x3xf32> to memref<*xf32>
  call @printMemrefF32(%u5) : (memref<*xf32>) -> ()
  return
}
