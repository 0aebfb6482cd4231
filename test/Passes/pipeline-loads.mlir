// RUN: smc-opt %s -split-input-file --sma-pipeline-loads | FileCheck %s

#blk = #tile.blocked<size = [1, 8], threads = [4, 8], warps = [4, 1]>
#mma = #tile.mma<warps = 4>
#sh = #tile.shared<pad = 8>

// A state scan (as sma-assign-layouts leaves it): a loop that runs at least
// once (guarded by lb < ub) and feeds a product. Both loads are issued one
// iteration ahead: the first iteration's before the loop (at lb), the next
// iteration's (at min(k + 1, ub - 1)) right after this iteration's tile is
// staged, carried to the next iteration in registers.

// CHECK-LABEL: func.func @guarded
// CHECK-SAME:      (%[[X:[^:]*]]: memref<?x?x64xbf16>, %[[B:[^:]*]]: memref<?x?x64xbf16>, %{{.*}}: memref<?x64x64xf32>, %{{.*}}: index, %[[LB:[^:]*]]: index, %[[UB:[^:]*]]: index)
// CHECK:         tile.grid (%[[I:.*]]) in
// CHECK:           %[[GO:.*]] = arith.cmpi ult, %[[LB]], %[[UB]] : index
// CHECK-NEXT:      scf.if %[[GO]] {
// CHECK-NEXT:        %[[R0:.*]] = arith.muli %[[LB]], %[[C64:.*]] : index
// CHECK-NEXT:        %[[X0:.*]] = tile.load %[[X]][%[[I]], %[[R0]], %{{.*}}] dims [1, 2] : memref<?x?x64xbf16> -> tensor<64x64xbf16, #blocked{{[0-9]*}}>
// CHECK-NEXT:        %[[R1:.*]] = arith.muli %[[LB]], %[[C64]] : index
// CHECK-NEXT:        %[[B0:.*]] = tile.load %[[B]][%[[I]], %[[R1]], %{{.*}}] dims [1, 2] : memref<?x?x64xbf16> -> tensor<64x64xbf16, #blocked{{[0-9]*}}>
// CHECK-NEXT:        %[[H:.*]]:3 = scf.for %[[K:.*]] = %[[LB]] to %[[UB]] step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}, %[[XC:.*]] = %[[X0]], %[[BC:.*]] = %[[B0]]) -> (tensor<64x64xf32, #mma>, tensor<64x64xbf16, #blocked{{[0-9]*}}>, tensor<64x64xbf16, #blocked{{[0-9]*}}>) {
// CHECK-NOT:           tile.load
// CHECK:               %[[XS:.*]] = tile.convert_layout %[[XC]] {offset = 0 : i64}
// CHECK-NEXT:          %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT:          %[[LAST:.*]] = arith.subi %[[UB]], %[[ONE]] : index
// CHECK-NEXT:          %[[K1:.*]] = arith.addi %[[K]], %[[ONE]] : index
// CHECK-NEXT:          %[[KN:.*]] = arith.minui %[[K1]], %[[LAST]] : index
// CHECK-NEXT:          %[[RN:.*]] = arith.muli %[[KN]], %[[C64]] : index
// CHECK-NEXT:          %[[XN:.*]] = tile.load %[[X]][%[[I]], %[[RN]], %{{.*}}] dims [1, 2]
// CHECK-NEXT:          %[[BS:.*]] = tile.convert_layout %[[BC]] {offset = 9216 : i64}
// CHECK-NEXT:          %[[ONE2:.*]] = arith.constant 1 : index
// CHECK-NEXT:          %[[LAST2:.*]] = arith.subi %[[UB]], %[[ONE2]] : index
// CHECK-NEXT:          %[[K2:.*]] = arith.addi %[[K]], %[[ONE2]] : index
// CHECK-NEXT:          %[[KN2:.*]] = arith.minui %[[K2]], %[[LAST2]] : index
// CHECK-NEXT:          %[[RN2:.*]] = arith.muli %[[KN2]], %[[C64]] : index
// CHECK-NEXT:          %[[BN:.*]] = tile.load %[[B]][%[[I]], %[[RN2]], %{{.*}}] dims [1, 2]
// CHECK-NEXT:          %[[D:.*]] = tile.dot %[[XS]], %[[BS]], %[[ACC]] {transpose_a}
// CHECK-NEXT:          scf.yield %[[D]], %[[XN]], %[[BN]] :
// CHECK-NEXT:        }
// CHECK-NEXT:        tile.store %[[H]]#0
func.func @guarded(%X: memref<?x?x64xbf16>, %B: memref<?x?x64xbf16>, %H: memref<?x64x64xf32>, %n: index, %lb: index, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
    %go = arith.cmpi ult, %lb, %ub : index
    scf.if %go {
      %h = scf.for %k = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) {
        %row = arith.muli %k, %c64 : index
        %x = tile.load %X[%i, %row, %c0] dims [1, 2] : memref<?x?x64xbf16> -> tensor<64x64xbf16, #blk>
        %b = tile.load %B[%i, %row, %c0] dims [1, 2] : memref<?x?x64xbf16> -> tensor<64x64xbf16, #blk>
        %xs = tile.convert_layout %x {offset = 0 : i64} : tensor<64x64xbf16, #blk> -> tensor<64x64xbf16, #sh>
        %bs = tile.convert_layout %b {offset = 9216 : i64} : tensor<64x64xbf16, #blk> -> tensor<64x64xbf16, #sh>
        %d = tile.dot %xs, %bs, %acc {transpose_a} : tensor<64x64xbf16, #sh>, tensor<64x64xbf16, #sh> -> tensor<64x64xf32, #mma>
        scf.yield %d : tensor<64x64xf32, #mma>
      }
      tile.store %h, %H[%i, %c0, %c0] dims [1, 2] : tensor<64x64xf32, #mma>, memref<?x64x64xf32>
    }
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 8], threads = [4, 8], warps = [4, 1]>
#mma = #tile.mma<warps = 4>
#sh = #tile.shared<pad = 8>

// The same loop without the guard may not run at all: it is left alone.

// CHECK-LABEL: func.func @unguarded
// CHECK:         tile.grid
// CHECK-NEXT:      %[[Z:.*]] = arith.constant
// CHECK-NEXT:      scf.for %{{.*}} iter_args(%{{.*}} = %[[Z]]) -> (tensor<64x64xf32, #mma>) {
// CHECK-NEXT:        arith.muli
// CHECK-NEXT:        tile.load
// CHECK-NEXT:        tile.load
// CHECK-NEXT:        tile.convert_layout
// CHECK-NEXT:        tile.convert_layout
// CHECK-NEXT:        tile.dot
// CHECK-NEXT:        scf.yield %{{.*}} : tensor<64x64xf32, #mma>
func.func @unguarded(%X: memref<?x?x64xbf16>, %B: memref<?x?x64xbf16>, %H: memref<?x64x64xf32>, %n: index, %lb: index, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
    %h = scf.for %k = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) {
      %row = arith.muli %k, %c64 : index
      %x = tile.load %X[%i, %row, %c0] dims [1, 2] : memref<?x?x64xbf16> -> tensor<64x64xbf16, #blk>
      %b = tile.load %B[%i, %row, %c0] dims [1, 2] : memref<?x?x64xbf16> -> tensor<64x64xbf16, #blk>
      %xs = tile.convert_layout %x {offset = 0 : i64} : tensor<64x64xbf16, #blk> -> tensor<64x64xbf16, #sh>
      %bs = tile.convert_layout %b {offset = 9216 : i64} : tensor<64x64xbf16, #blk> -> tensor<64x64xbf16, #sh>
      %d = tile.dot %xs, %bs, %acc {transpose_a} : tensor<64x64xbf16, #sh>, tensor<64x64xbf16, #sh> -> tensor<64x64xf32, #mma>
      scf.yield %d : tensor<64x64xf32, #mma>
    }
    tile.store %h, %H[%i, %c0, %c0] dims [1, 2] : tensor<64x64xf32, #mma>, memref<?x64x64xf32>
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 8], threads = [4, 8], warps = [4, 1]>
#mma = #tile.mma<warps = 4>
#sh = #tile.shared<pad = 8>

// A guard on other bounds says nothing about this loop: left alone.

// CHECK-LABEL: func.func @other_guard
// CHECK:         scf.if
// CHECK-NEXT:      scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<64x64xf32, #mma>) {
// CHECK-NEXT:        arith.muli
// CHECK-NEXT:        tile.load
func.func @other_guard(%X: memref<?x?x64xbf16>, %H: memref<?x64x64xf32>, %n: index, %lb: index, %ub: index, %end: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
    %go = arith.cmpi ult, %lb, %end : index
    scf.if %go {
      %h = scf.for %k = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #mma>) {
        %row = arith.muli %k, %c64 : index
        %x = tile.load %X[%i, %row, %c0] dims [1, 2] : memref<?x?x64xbf16> -> tensor<64x64xbf16, #blk>
        %xs = tile.convert_layout %x {offset = 0 : i64} : tensor<64x64xbf16, #blk> -> tensor<64x64xbf16, #sh>
        %d = tile.dot %xs, %xs, %acc {transpose_a} : tensor<64x64xbf16, #sh>, tensor<64x64xbf16, #sh> -> tensor<64x64xf32, #mma>
        scf.yield %d : tensor<64x64xf32, #mma>
      }
      tile.store %h, %H[%i, %c0, %c0] dims [1, 2] : tensor<64x64xf32, #mma>, memref<?x64x64xf32>
    }
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 8], threads = [4, 8], warps = [4, 1]>
#mma = #tile.mma<warps = 4>
#sh = #tile.shared<pad = 8>

// Only loads whose address depends on the induction variable and values
// from outside the loop move: one at a carried row stays in place.

// CHECK-LABEL: func.func @carried_address
// CHECK:           scf.if
// CHECK-NEXT:        %[[R0:.*]] = arith.muli
// CHECK-NEXT:        %[[X0:.*]] = tile.load %{{.*}}[%{{.*}}, %[[R0]], %{{.*}}]
// CHECK-NEXT:        scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}, %[[ROW:.*]] = %{{.*}}, %{{.*}} = %[[X0]]) -> (tensor<64x64xf32, #mma>, index, tensor<64x64xbf16, #blocked{{[0-9]*}}>) {
// CHECK-NEXT:          arith.muli
// CHECK-NEXT:          tile.load %{{.*}}[%{{.*}}, %[[ROW]], %{{.*}}]
// CHECK:               tile.load
// CHECK:               tile.dot
func.func @carried_address(%X: memref<?x?x64xbf16>, %B: memref<?x?x64xbf16>, %H: memref<?x64x64xf32>, %n: index, %lb: index, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %z = arith.constant dense<0.0> : tensor<64x64xf32, #mma>
    %go = arith.cmpi ult, %lb, %ub : index
    scf.if %go {
      %h:2 = scf.for %k = %lb to %ub step %c1 iter_args(%acc = %z, %r = %c0) -> (tensor<64x64xf32, #mma>, index) {
        %row = arith.muli %k, %c64 : index
        %b = tile.load %B[%i, %r, %c0] dims [1, 2] : memref<?x?x64xbf16> -> tensor<64x64xbf16, #blk>
        %x = tile.load %X[%i, %row, %c0] dims [1, 2] : memref<?x?x64xbf16> -> tensor<64x64xbf16, #blk>
        %xs = tile.convert_layout %x {offset = 0 : i64} : tensor<64x64xbf16, #blk> -> tensor<64x64xbf16, #sh>
        %bs = tile.convert_layout %b {offset = 9216 : i64} : tensor<64x64xbf16, #blk> -> tensor<64x64xbf16, #sh>
        %d = tile.dot %xs, %bs, %acc {transpose_a} : tensor<64x64xbf16, #sh>, tensor<64x64xbf16, #sh> -> tensor<64x64xf32, #mma>
        scf.yield %d, %row : tensor<64x64xf32, #mma>, index
      }
      tile.store %h#0, %H[%i, %c0, %c0] dims [1, 2] : tensor<64x64xf32, #mma>, memref<?x64x64xf32>
    }
  }
  return
}

// -----

#blk = #tile.blocked<size = [1, 4], threads = [2, 16], warps = [4, 1]>

// A guarded loop without products (the combine of chunk states) is left
// alone: its loads have nothing to overlap.

// CHECK-LABEL: func.func @no_product
// CHECK:         scf.if
// CHECK-NEXT:      scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<64x64xf32, #blocked{{[0-9]*}}>) {
// CHECK-NEXT:        tile.load
// CHECK-NEXT:        arith.addf
func.func @no_product(%S: memref<?x?x64x64xf32>, %H: memref<?x64x64xf32>, %n: index, %lb: index, %ub: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  tile.grid (%i) in (%n) attributes {num_warps = 4} {
    %z = arith.constant dense<0.0> : tensor<64x64xf32, #blk>
    %go = arith.cmpi ult, %lb, %ub : index
    scf.if %go {
      %h = scf.for %k = %lb to %ub step %c1 iter_args(%acc = %z) -> (tensor<64x64xf32, #blk>) {
        %s = tile.load %S[%i, %k, %c0, %c0] dims [2, 3] : memref<?x?x64x64xf32> -> tensor<64x64xf32, #blk>
        %a = arith.addf %acc, %s : tensor<64x64xf32, #blk>
        scf.yield %a : tensor<64x64xf32, #blk>
      }
      tile.store %h, %H[%i, %c0, %c0] dims [1, 2] : tensor<64x64xf32, #blk>, memref<?x64x64xf32>
    }
  }
  return
}
