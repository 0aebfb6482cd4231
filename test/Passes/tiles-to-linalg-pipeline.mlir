// RUN: smc-opt %s --sma-tiles-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --buffer-loop-hoisting --buffer-deallocation-pipeline \
// RUN: | FileCheck %s --check-prefix=BUF
// RUN: smc-opt %s --sma-tiles-to-linalg \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --buffer-loop-hoisting --buffer-deallocation-pipeline --sma-lower-to-llvm \
// RUN: | FileCheck %s --check-prefix=LLVM

// What the CPU lowering of a realistic tile program costs at run time, after
// the rest of the CPU pipeline: every tile is a static buffer allocated once,
// before the grid's loops (none inside them); no copy goes through a strided
// memref.copy (a call into the runner utils, which the JIT does not link);
// and the loops call nothing per element (exponentials are polynomials, not
// libm calls).

// BUF-LABEL: func.func @quad
// BUF:         memref.alloc(%{{.*}}, %{{.*}}) {alignment = 64 : i64} : memref<?x?x4x64xf32>
// BUF-NOT:     scf.for
// BUF:         memref.alloc() {alignment = 64 : i64} : memref<64x64xbf16>
// BUF:         scf.for
// BUF-NOT:     memref.alloc
// BUF-NOT:     memref.copy {{.*}}strided
// BUF:         memref.dealloc
// BUF:         return

// LLVM-LABEL: llvm.func @quad
// LLVM-NOT:     llvm.call @{{(memrefCopy|expf|logf|fmaf|floorf|fabsf)}}
// LLVM:         llvm.return

// The quadratic form with a decay mask, as DecomposeForms could write it for
// CPU: per (sequence, tile of 64 outputs, head), walk the source tiles up to
// the diagonal: scores C B^T, masked by exp(cum[t] - cum[s]) for s <= t,
// times X.
func.func @quad(%C: tensor<?x?x1x64xbf16>, %B: tensor<?x?x1x64xbf16>,
                %X: tensor<?x?x4x64xbf16>, %A: tensor<?x?x4xf32>)
    -> tensor<?x?x4x64xf32> {
  %i0 = arith.constant 0 : index
  %i1 = arith.constant 1 : index
  %d0 = tensor.dim %X, %i0 : tensor<?x?x4x64xbf16>
  %d1 = tensor.dim %X, %i1 : tensor<?x?x4x64xbf16>
  %Y0 = tensor.empty(%d0, %d1) : tensor<?x?x4x64xf32>
  %y = tile.program ins(%C, %B, %X, %A : tensor<?x?x1x64xbf16>, tensor<?x?x1x64xbf16>,
                        tensor<?x?x4x64xbf16>, tensor<?x?x4xf32>)
      outs(%Y0 : tensor<?x?x4x64xf32>) -> tensor<?x?x4x64xf32> {
  ^bb0(%Cm: memref<?x?x1x64xbf16>, %Bm: memref<?x?x1x64xbf16>,
       %Xm: memref<?x?x4x64xbf16>, %Am: memref<?x?x4xf32>, %Ym: memref<?x?x4x64xf32>):
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c63 = arith.constant 63 : index
    %c64 = arith.constant 64 : index
    %nb = memref.dim %Xm, %c0 : memref<?x?x4x64xbf16>
    %T = memref.dim %Xm, %c1 : memref<?x?x4x64xbf16>
    %T63 = arith.addi %T, %c63 : index
    %nt = arith.divui %T63, %c64 : index
    tile.grid (%b, %ti, %h) in (%nb, %nt, %c4) attributes {num_warps = 4} {
      %t0 = arith.muli %ti, %c64 : index
      %lent = arith.subi %T, %t0 : index
      %c = tile.load %Cm[%b, %t0, %c0, %c0] dims [1, 3] bounds(%lent, %c64)
          : memref<?x?x1x64xbf16> -> tensor<64x64xbf16>
      %at = tile.load %Am[%b, %t0, %h] dims [1] bounds(%lent)
          : memref<?x?x4xf32> -> tensor<64xf32>
      %cumt = tile.cumsum %at : tensor<64xf32>
      %zero = arith.constant dense<0.0> : tensor<64x64xf32>
      %r = tile.range : tensor<64xindex>
      %rows = tile.broadcast %r dims [1] : tensor<64xindex> -> tensor<64x64xindex>
      %cols = tile.broadcast %r dims [0] : tensor<64xindex> -> tensor<64x64xindex>
      %ct = tile.broadcast %cumt dims [1] : tensor<64xf32> -> tensor<64x64xf32>
      %ntile = arith.addi %ti, %c1 : index
      %acc = scf.for %si = %c0 to %ntile step %c1 iter_args(%acc = %zero) -> (tensor<64x64xf32>) {
        %s0 = arith.muli %si, %c64 : index
        %lens = arith.subi %T, %s0 : index
        %bb = tile.load %Bm[%b, %s0, %c0, %c0] dims [1, 3] bounds(%lens, %c64)
            : memref<?x?x1x64xbf16> -> tensor<64x64xbf16>
        %x = tile.load %Xm[%b, %s0, %h, %c0] dims [1, 3] bounds(%lens, %c64)
            : memref<?x?x4x64xbf16> -> tensor<64x64xbf16>
        %as = tile.load %Am[%b, %s0, %h] dims [1] bounds(%lens)
            : memref<?x?x4xf32> -> tensor<64xf32>
        %cums = tile.cumsum %as : tensor<64xf32>
        %s = tile.dot %c, %bb, %zero {transpose_b, tril_result}
            : tensor<64x64xbf16>, tensor<64x64xbf16> -> tensor<64x64xf32>
        // Positions: t = t0 + row, s = s0 + col; decay exp(cum_t - cum_s)
        // plus the sum of the chunks between (folded into cum here).
        %t0s = tensor.splat %t0 : tensor<64x64xindex>
        %s0s = tensor.splat %s0 : tensor<64x64xindex>
        %tt = arith.addi %rows, %t0s : tensor<64x64xindex>
        %ss = arith.addi %cols, %s0s : tensor<64x64xindex>
        %keep = arith.cmpi uge, %tt, %ss : tensor<64x64xindex>
        %cs = tile.broadcast %cums dims [0] : tensor<64xf32> -> tensor<64x64xf32>
        %diff = arith.subf %ct, %cs : tensor<64x64xf32>
        %dec = math.exp %diff : tensor<64x64xf32>
        %sd = arith.mulf %s, %dec : tensor<64x64xf32>
        %sm = arith.select %keep, %sd, %zero : tensor<64x64xi1>, tensor<64x64xf32>
        %xf = arith.extf %x : tensor<64x64xbf16> to tensor<64x64xf32>
        %acc2 = tile.dot %sm, %xf, %acc : tensor<64x64xf32>, tensor<64x64xf32> -> tensor<64x64xf32>
        scf.yield %acc2 : tensor<64x64xf32>
      }
      tile.store %acc, %Ym[%b, %t0, %h, %c0] dims [1, 3] bounds(%lent, %c64)
          : tensor<64x64xf32>, memref<?x?x4x64xf32>
    }
  }
  return %y : tensor<?x?x4x64xf32>
}

// The linear form's scan: the state is a loop-carried tile, updated in place
// in its buffer (allocated, like every tile, outside the loops).

// BUF-LABEL: func.func @linear
// BUF:         %[[STATE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<8x16xf32>
// BUF:         scf.for
// BUF-NOT:     memref.alloc
// BUF:           scf.for
// BUF-NOT:       memref.alloc
// BUF:             linalg.generic {{.*}} ins(%[[STATE]], {{.*}}) outs(%[[STATE]] : memref<8x16xf32>)
// BUF-NOT:     memref.alloc
// BUF:         return

// LLVM-LABEL: llvm.func @linear
// LLVM-NOT:     llvm.call @{{(memrefCopy|expf|logf|fmaf|floorf|fabsf)}}
// LLVM:         llvm.return

func.func @linear(%C: tensor<?x?x1x16xf32>, %B: tensor<?x?x1x16xf32>,
                  %X: tensor<?x?x4x8xf32>, %A: tensor<?x?x4xf32>) -> tensor<?x?x4x8xf32> {
  %i0 = arith.constant 0 : index
  %i1 = arith.constant 1 : index
  %d0 = tensor.dim %X, %i0 : tensor<?x?x4x8xf32>
  %d1 = tensor.dim %X, %i1 : tensor<?x?x4x8xf32>
  %Y0 = tensor.empty(%d0, %d1) : tensor<?x?x4x8xf32>
  %y = tile.program ins(%C, %B, %X, %A : tensor<?x?x1x16xf32>, tensor<?x?x1x16xf32>, tensor<?x?x4x8xf32>, tensor<?x?x4xf32>)
      outs(%Y0 : tensor<?x?x4x8xf32>) -> tensor<?x?x4x8xf32> {
  ^bb0(%Cm: memref<?x?x1x16xf32>, %Bm: memref<?x?x1x16xf32>, %Xm: memref<?x?x4x8xf32>, %Am: memref<?x?x4xf32>, %Ym: memref<?x?x4x8xf32>):
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %nb = memref.dim %Xm, %c0 : memref<?x?x4x8xf32>
    %T = memref.dim %Xm, %c1 : memref<?x?x4x8xf32>
    tile.grid (%b, %h) in (%nb, %c4) {
      %h0 = arith.constant dense<0.0> : tensor<8x16xf32>
      %hs = scf.for %t = %c0 to %T step %c1 iter_args(%st = %h0) -> (tensor<8x16xf32>) {
        %x = tile.load %Xm[%b, %t, %h, %c0] dims [3] : memref<?x?x4x8xf32> -> tensor<8xf32>
        %bt = tile.load %Bm[%b, %t, %c0, %c0] dims [3] : memref<?x?x1x16xf32> -> tensor<16xf32>
        %ct = tile.load %Cm[%b, %t, %c0, %c0] dims [3] : memref<?x?x1x16xf32> -> tensor<16xf32>
        %a = tile.load %Am[%b, %t, %h] : memref<?x?x4xf32> -> f32
        %da = math.exp %a : f32
        %xb = tile.broadcast %x dims [1] : tensor<8xf32> -> tensor<8x16xf32>
        %bb = tile.broadcast %bt dims [0] : tensor<16xf32> -> tensor<8x16xf32>
        %das = tensor.splat %da : tensor<8x16xf32>
        %decayed = arith.mulf %st, %das : tensor<8x16xf32>
        %outer = arith.mulf %xb, %bb : tensor<8x16xf32>
        %st2 = arith.addf %decayed, %outer : tensor<8x16xf32>
        %cb = tile.broadcast %ct dims [0] : tensor<16xf32> -> tensor<8x16xf32>
        %hc = arith.mulf %st2, %cb : tensor<8x16xf32>
        %yt = tile.sum %hc dim 1 : tensor<8x16xf32> -> tensor<8xf32>
        tile.store %yt, %Ym[%b, %t, %h, %c0] dims [3] : tensor<8xf32>, memref<?x?x4x8xf32>
        scf.yield %st2 : tensor<8x16xf32>
      }
    }
  }
  return %y : tensor<?x?x4x8xf32>
}
