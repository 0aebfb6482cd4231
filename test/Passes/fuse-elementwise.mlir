// RUN: smc-opt %s --sma-fuse-elementwise -split-input-file | FileCheck %s

#id4 = affine_map<(b, t, h, p) -> (b, t, h, p)>
#bth = affine_map<(b, t, h, p) -> (b, t, h)>

// One link: the loaded tile of X = x * dt is computed from a tile of x and
// a broadcast row of dt; the generic and its init are gone.
// CHECK-LABEL: func.func @single_link(
// CHECK-SAME:      %[[X:[^:]*]]: tensor<2x?x4x64xf32>, %[[DT:[^:]*]]: tensor<2x?x4xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         %[[INIT:.*]] = tensor.empty(%{{.*}}) : tensor<2x?x4x64xf32>
// CHECK-NEXT:    %[[Y:.*]] = tile.program ins(%[[X]], %[[DT]] : tensor<2x?x4x64xf32>, tensor<2x?x4xf32>) outs(%[[INIT]] : tensor<2x?x4x64xf32>) -> tensor<2x?x4x64xf32> {
// CHECK-NEXT:    ^bb0(%[[XM:.*]]: memref<2x?x4x64xf32>, %[[DTM:.*]]: memref<2x?x4xf32>, %[[YM:.*]]: memref<2x?x4x64xf32>):
// CHECK-NEXT:      %[[C0:.*]] = arith.constant 0 : index
// CHECK:           tile.grid (%[[B:.*]], %[[H:.*]]) in
// CHECK-NEXT:        %[[XT:.*]] = tile.load %[[XM]][%[[B]], %[[C0]], %[[H]], %[[C0]]] dims [1, 3] : memref<2x?x4x64xf32> -> tensor<64x64xf32>
// CHECK-NEXT:        %[[DTT:.*]] = tile.load %[[DTM]][%[[B]], %[[C0]], %[[H]]] dims [1] : memref<2x?x4xf32> -> tensor<64xf32>
// CHECK-NEXT:        %[[DTB:.*]] = tile.broadcast %[[DTT]] dims [1] : tensor<64xf32> -> tensor<64x64xf32>
// CHECK-NEXT:        %[[XS:.*]] = tile.map(%[[XT]], %[[DTB]]) : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32> {
// CHECK-NEXT:        ^bb0(%[[XV:.*]]: f32, %[[DV:.*]]: f32):
// CHECK-NEXT:          %[[M:.*]] = arith.mulf %[[XV]], %[[DV]] : f32
// CHECK-NEXT:          tile.yield %[[M]] : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        tile.store %[[XS]], %[[YM]][%[[B]], %[[C0]], %[[H]], %[[C0]]] dims [1, 3] : tensor<64x64xf32>, memref<2x?x4x64xf32>
// CHECK:         return %[[Y]]
func.func @single_link(%x: tensor<2x?x4x64xf32>, %dt: tensor<2x?x4xf32>)
    -> tensor<2x?x4x64xf32> {
  %c1 = arith.constant 1 : index
  %T = tensor.dim %x, %c1 : tensor<2x?x4x64xf32>
  %e = tensor.empty(%T) : tensor<2x?x4x64xf32>
  %X = linalg.generic {indexing_maps = [#id4, #bth, #id4],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %dt : tensor<2x?x4x64xf32>, tensor<2x?x4xf32>)
      outs(%e : tensor<2x?x4x64xf32>) {
  ^bb0(%xv: f32, %dv: f32, %o: f32):
    %m = arith.mulf %xv, %dv : f32
    linalg.yield %m : f32
  } -> tensor<2x?x4x64xf32>
  %init = tensor.empty(%T) : tensor<2x?x4x64xf32>
  %y = tile.program ins(%X : tensor<2x?x4x64xf32>)
      outs(%init : tensor<2x?x4x64xf32>) -> tensor<2x?x4x64xf32> {
  ^bb0(%Xm: memref<2x?x4x64xf32>, %Ym: memref<2x?x4x64xf32>):
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    tile.grid (%b, %h) in (%c2, %c4) {
      %xt = tile.load %Xm[%b, %c0, %h, %c0] dims [1, 3]
          : memref<2x?x4x64xf32> -> tensor<64x64xf32>
      tile.store %xt, %Ym[%b, %c0, %h, %c0] dims [1, 3]
          : tensor<64x64xf32>, memref<2x?x4x64xf32>
    }
  }
  return %y : tensor<2x?x4x64xf32>
}

// -----

#id4 = affine_map<(b, t, h, p) -> (b, t, h, p)>
#bth = affine_map<(b, t, h, p) -> (b, t, h)>
#id3 = affine_map<(b, t, h) -> (b, t, h)>
#h3 = affine_map<(b, t, h) -> (h)>

// Two links, X = x * dt' and dt' = softplus(dt + bias): each is computed at
// its own rank, softplus on the 64 positions of the tile, the product on
// 64x64 elements.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME:      %[[X:[^:]*]]: tensor<2x?x4x64xbf16>, %[[DT:[^:]*]]: tensor<2x?x4xbf16>, %[[BIAS:[^:]*]]: tensor<4xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         %[[INIT:.*]] = tensor.empty(%{{.*}}) : tensor<2x?x4x64xf32>
// CHECK-NEXT:    %[[Y:.*]] = tile.program ins(%[[X]], %[[DT]], %[[BIAS]] : tensor<2x?x4x64xbf16>, tensor<2x?x4xbf16>, tensor<4xf32>) outs(%[[INIT]] : tensor<2x?x4x64xf32>) -> tensor<2x?x4x64xf32> {
// CHECK-NEXT:    ^bb0(%[[XM:.*]]: memref<2x?x4x64xbf16>, %[[DTM:.*]]: memref<2x?x4xbf16>, %[[BM:.*]]: memref<4xf32>, %[[YM:.*]]: memref<2x?x4x64xf32>):
// CHECK-NEXT:      %[[C0:.*]] = arith.constant 0 : index
// CHECK:           tile.grid (%[[B:.*]], %[[H:.*]]) in
// CHECK-NEXT:        %[[XT:.*]] = tile.load %[[XM]][%[[B]], %[[C0]], %[[H]], %[[C0]]] dims [1, 3] : memref<2x?x4x64xbf16> -> tensor<64x64xbf16>
// CHECK-NEXT:        %[[DTT:.*]] = tile.load %[[DTM]][%[[B]], %[[C0]], %[[H]]] dims [1] : memref<2x?x4xbf16> -> tensor<64xbf16>
// CHECK-NEXT:        %[[BS:.*]] = tile.load %[[BM]][%[[H]]] : memref<4xf32> -> f32
// CHECK-NEXT:        %[[SP:.*]] = tile.map(%[[DTT]], %[[BS]]) : (tensor<64xbf16>, f32) -> tensor<64xf32> {
// CHECK-NEXT:        ^bb0(%[[D:.*]]: bf16, %[[BV:.*]]: f32):
// CHECK-NEXT:          %[[DF:.*]] = arith.extf %[[D]] : bf16 to f32
// CHECK-NEXT:          %[[S:.*]] = arith.addf %[[DF]], %[[BV]] : f32
// CHECK-NEXT:          %[[E:.*]] = math.exp %[[S]] : f32
// CHECK-NEXT:          %[[L:.*]] = math.log1p %[[E]] : f32
// CHECK-NEXT:          tile.yield %[[L]] : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        %[[SPB:.*]] = tile.broadcast %[[SP]] dims [1] : tensor<64xf32> -> tensor<64x64xf32>
// CHECK-NEXT:        %[[XS:.*]] = tile.map(%[[XT]], %[[SPB]]) : (tensor<64x64xbf16>, tensor<64x64xf32>) -> tensor<64x64xf32> {
// CHECK-NEXT:        ^bb0(%[[XV:.*]]: bf16, %[[DV:.*]]: f32):
// CHECK-NEXT:          %[[XF:.*]] = arith.extf %[[XV]] : bf16 to f32
// CHECK-NEXT:          %[[M:.*]] = arith.mulf %[[XF]], %[[DV]] : f32
// CHECK-NEXT:          tile.yield %[[M]] : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        tile.store %[[XS]], %[[YM]]
// CHECK:         return %[[Y]]
func.func @chain(%x: tensor<2x?x4x64xbf16>, %dt: tensor<2x?x4xbf16>,
                 %bias: tensor<4xf32>) -> tensor<2x?x4x64xf32> {
  %c1 = arith.constant 1 : index
  %T = tensor.dim %x, %c1 : tensor<2x?x4x64xbf16>
  %e3 = tensor.empty(%T) : tensor<2x?x4xf32>
  %dtp = linalg.generic {indexing_maps = [#id3, #h3, #id3],
                         iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%dt, %bias : tensor<2x?x4xbf16>, tensor<4xf32>)
      outs(%e3 : tensor<2x?x4xf32>) {
  ^bb0(%d: bf16, %bv: f32, %o: f32):
    %df = arith.extf %d : bf16 to f32
    %s = arith.addf %df, %bv : f32
    %ex = math.exp %s : f32
    %sp = math.log1p %ex : f32
    linalg.yield %sp : f32
  } -> tensor<2x?x4xf32>
  %e4 = tensor.empty(%T) : tensor<2x?x4x64xf32>
  %X = linalg.generic {indexing_maps = [#id4, #bth, #id4],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %dtp : tensor<2x?x4x64xbf16>, tensor<2x?x4xf32>)
      outs(%e4 : tensor<2x?x4x64xf32>) {
  ^bb0(%xv: bf16, %dv: f32, %o: f32):
    %xf = arith.extf %xv : bf16 to f32
    %m = arith.mulf %xf, %dv : f32
    linalg.yield %m : f32
  } -> tensor<2x?x4x64xf32>
  %init = tensor.empty(%T) : tensor<2x?x4x64xf32>
  %y = tile.program ins(%X : tensor<2x?x4x64xf32>)
      outs(%init : tensor<2x?x4x64xf32>) -> tensor<2x?x4x64xf32> {
  ^bb0(%Xm: memref<2x?x4x64xf32>, %Ym: memref<2x?x4x64xf32>):
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    tile.grid (%b, %h) in (%c2, %c4) {
      %xt = tile.load %Xm[%b, %c0, %h, %c0] dims [1, 3]
          : memref<2x?x4x64xf32> -> tensor<64x64xf32>
      tile.store %xt, %Ym[%b, %c0, %h, %c0] dims [1, 3]
          : tensor<64x64xf32>, memref<2x?x4x64xf32>
    }
  }
  return %y : tensor<2x?x4x64xf32>
}

// -----

#id3 = affine_map<(b, t, h) -> (b, t, h)>
#h3 = affine_map<(b, t, h) -> (h)>

// Past the bound of a tile, a load reads zeros. softplus(0 + bias) is not
// zero, so positions at or past %len are selected to zero in the map; the
// product of two zero-padded tiles is zero there already and needs no mask,
// nor does a dim whose bound is the tile's size.
// CHECK-LABEL: func.func @padding(
// CHECK-SAME:      %[[DT:[^:]*]]: tensor<2x?x4xf32>, %[[BIAS:[^:]*]]: tensor<4xf32>, %[[A:[^:]*]]: tensor<2x?x4xf32>, %[[LEN:[^:]*]]: index)
// CHECK-NOT:     linalg.generic
// CHECK:         tile.program ins(%[[DT]], %[[BIAS]], %[[A]] : tensor<2x?x4xf32>, tensor<4xf32>, tensor<2x?x4xf32>)
// CHECK-NEXT:    ^bb0(%[[DTM:.*]]: memref<2x?x4xf32>, %[[BM:.*]]: memref<4xf32>, %[[AM:.*]]: memref<2x?x4xf32>, %[[YM:.*]]: memref<2x?x4xf32>):
// CHECK-NEXT:      %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:      arith.constant 2 : index
// CHECK-NEXT:      %[[C4:.*]] = arith.constant 4 : index
// CHECK:           tile.grid (%[[B:.*]]) in
// CHECK-NEXT:        %[[D:.*]] = tile.load %[[DTM]][%[[B]], %[[C0]], %[[C0]]] dims [1, 2] bounds(%[[LEN]], %[[C4]]) : memref<2x?x4xf32> -> tensor<64x4xf32>
// CHECK-NEXT:        %[[BT:.*]] = tile.load %[[BM]][%[[C0]]] dims [0] bounds(%[[C4]]) : memref<4xf32> -> tensor<4xf32>
// CHECK-NEXT:        %[[BB:.*]] = tile.broadcast %[[BT]] dims [0] : tensor<4xf32> -> tensor<64x4xf32>
// CHECK-NEXT:        %[[R:.*]] = tile.range : tensor<64xindex>
// CHECK-NEXT:        %[[RB:.*]] = tile.broadcast %[[R]] dims [1] : tensor<64xindex> -> tensor<64x4xindex>
// CHECK-NEXT:        %[[SP:.*]] = tile.map(%[[D]], %[[BB]], %[[RB]], %[[LEN]]) : (tensor<64x4xf32>, tensor<64x4xf32>, tensor<64x4xindex>, index) -> tensor<64x4xf32> {
// CHECK-NEXT:        ^bb0(%[[DV:.*]]: f32, %[[BV:.*]]: f32, %[[I:.*]]: index, %[[N:.*]]: index):
// CHECK-NEXT:          %[[S:.*]] = arith.addf %[[DV]], %[[BV]] : f32
// CHECK-NEXT:          %[[E:.*]] = math.exp %[[S]] : f32
// CHECK-NEXT:          %[[L:.*]] = math.log1p %[[E]] : f32
// CHECK-NEXT:          %[[IN:.*]] = arith.cmpi slt, %[[I]], %[[N]] : index
// CHECK-NEXT:          %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:          %[[V:.*]] = arith.select %[[IN]], %[[L]], %[[Z]] : f32
// CHECK-NEXT:          tile.yield %[[V]] : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        %[[D2:.*]] = tile.load %[[DTM]][%[[B]], %[[C0]], %[[C0]]] dims [1, 2] bounds(%[[LEN]], %[[C4]]) : memref<2x?x4xf32> -> tensor<64x4xf32>
// CHECK-NEXT:        %[[AT:.*]] = tile.load %[[AM]][%[[B]], %[[C0]], %[[C0]]] dims [1, 2] bounds(%[[LEN]], %[[C4]]) : memref<2x?x4xf32> -> tensor<64x4xf32>
// CHECK-NEXT:        %[[LOGA:.*]] = tile.map(%[[D2]], %[[AT]]) : (tensor<64x4xf32>, tensor<64x4xf32>) -> tensor<64x4xf32> {
// CHECK-NEXT:        ^bb0(%[[DV:.*]]: f32, %[[AV:.*]]: f32):
// CHECK-NEXT:          %[[M:.*]] = arith.mulf %[[DV]], %[[AV]] : f32
// CHECK-NEXT:          tile.yield %[[M]] : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        arith.addf %[[SP]], %[[LOGA]] : tensor<64x4xf32>
func.func @padding(%dt: tensor<2x?x4xf32>, %bias: tensor<4xf32>,
                   %A: tensor<2x?x4xf32>, %len: index) -> tensor<2x?x4xf32> {
  %c1 = arith.constant 1 : index
  %T = tensor.dim %dt, %c1 : tensor<2x?x4xf32>
  %e = tensor.empty(%T) : tensor<2x?x4xf32>
  %dtp = linalg.generic {indexing_maps = [#id3, #h3, #id3],
                         iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%dt, %bias : tensor<2x?x4xf32>, tensor<4xf32>)
      outs(%e : tensor<2x?x4xf32>) {
  ^bb0(%d: f32, %bv: f32, %o: f32):
    %s = arith.addf %d, %bv : f32
    %ex = math.exp %s : f32
    %sp = math.log1p %ex : f32
    linalg.yield %sp : f32
  } -> tensor<2x?x4xf32>
  %a = linalg.generic {indexing_maps = [#id3, #id3, #id3],
                       iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%dt, %A : tensor<2x?x4xf32>, tensor<2x?x4xf32>)
      outs(%e : tensor<2x?x4xf32>) {
  ^bb0(%d: f32, %av: f32, %o: f32):
    %m = arith.mulf %d, %av : f32
    linalg.yield %m : f32
  } -> tensor<2x?x4xf32>
  %init = tensor.empty(%T) : tensor<2x?x4xf32>
  %y = tile.program ins(%dtp, %a : tensor<2x?x4xf32>, tensor<2x?x4xf32>)
      outs(%init : tensor<2x?x4xf32>) -> tensor<2x?x4xf32> {
  ^bb0(%Dm: memref<2x?x4xf32>, %Am: memref<2x?x4xf32>, %Ym: memref<2x?x4xf32>):
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    tile.grid (%b) in (%c2) {
      %d = tile.load %Dm[%b, %c0, %c0] dims [1, 2] bounds(%len, %c4)
          : memref<2x?x4xf32> -> tensor<64x4xf32>
      %at = tile.load %Am[%b, %c0, %c0] dims [1, 2] bounds(%len, %c4)
          : memref<2x?x4xf32> -> tensor<64x4xf32>
      %s = arith.addf %d, %at : tensor<64x4xf32>
      tile.store %s, %Ym[%b, %c0, %c0] dims [1, 2] bounds(%len, %c4)
          : tensor<64x4xf32>, memref<2x?x4xf32>
    }
  }
  return %y : tensor<2x?x4xf32>
}

// -----

#id4 = affine_map<(b, t, h, p) -> (b, t, h, p)>
#h4 = affine_map<(b, t, h, p) -> (h)>

// A single element of X = x * s: the body runs on the scalar loads, no map.
// CHECK-LABEL: func.func @scalar_load(
// CHECK-SAME:      %[[X:[^:]*]]: tensor<2x?x4x64xf32>, %[[S:[^:]*]]: tensor<4xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         tile.program ins(%[[X]], %[[S]] : tensor<2x?x4x64xf32>, tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[XM:.*]]: memref<2x?x4x64xf32>, %[[SM:.*]]: memref<4xf32>, %[[YM:.*]]: memref<2x?x4x64xf32>):
// CHECK-NEXT:      %[[C0:.*]] = arith.constant 0 : index
// CHECK:           tile.grid (%[[B:.*]], %[[H:.*]]) in
// CHECK-NEXT:        %[[XV:.*]] = tile.load %[[XM]][%[[B]], %[[C0]], %[[H]], %[[C0]]] : memref<2x?x4x64xf32> -> f32
// CHECK-NEXT:        %[[SV:.*]] = tile.load %[[SM]][%[[H]]] : memref<4xf32> -> f32
// CHECK-NEXT:        %[[V:.*]] = arith.mulf %[[XV]], %[[SV]] : f32
// CHECK-NEXT:        tile.map(%[[V]]) : (f32) -> tensor<64xf32> {
func.func @scalar_load(%x: tensor<2x?x4x64xf32>, %s: tensor<4xf32>)
    -> tensor<2x?x4x64xf32> {
  %c1 = arith.constant 1 : index
  %T = tensor.dim %x, %c1 : tensor<2x?x4x64xf32>
  %e = tensor.empty(%T) : tensor<2x?x4x64xf32>
  %X = linalg.generic {indexing_maps = [#id4, #h4, #id4],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %s : tensor<2x?x4x64xf32>, tensor<4xf32>)
      outs(%e : tensor<2x?x4x64xf32>) {
  ^bb0(%xv: f32, %sv: f32, %o: f32):
    %m = arith.mulf %xv, %sv : f32
    linalg.yield %m : f32
  } -> tensor<2x?x4x64xf32>
  %init = tensor.empty(%T) : tensor<2x?x4x64xf32>
  %y = tile.program ins(%X : tensor<2x?x4x64xf32>)
      outs(%init : tensor<2x?x4x64xf32>) -> tensor<2x?x4x64xf32> {
  ^bb0(%Xm: memref<2x?x4x64xf32>, %Ym: memref<2x?x4x64xf32>):
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    tile.grid (%b, %h) in (%c2, %c4) {
      %v = tile.load %Xm[%b, %c0, %h, %c0] : memref<2x?x4x64xf32> -> f32
      %t = tile.map (%v) : (f32) -> tensor<64xf32> {
      ^bb0(%vv: f32):
        tile.yield %vv : f32
      }
      tile.store %t, %Ym[%b, %c0, %h, %c0] dims [3]
          : tensor<64xf32>, memref<2x?x4x64xf32>
    }
  }
  return %y : tensor<2x?x4x64xf32>
}

// -----

#id2 = affine_map<(t, p) -> (t, p)>

// X's buffer is also read for its size: X stays a program input.
// CHECK-LABEL: func.func @other_use(
// CHECK:         %[[X:.*]] = linalg.generic
// CHECK:         tile.program ins(%[[X]] : tensor<?x64xf32>)
// CHECK:           memref.dim
// CHECK:           tile.load
// CHECK-NOT:       tile.map
func.func @other_use(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %T = tensor.dim %x, %c0 : tensor<?x64xf32>
  %e = tensor.empty(%T) : tensor<?x64xf32>
  %X = linalg.generic {indexing_maps = [#id2, #id2],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x64xf32>) outs(%e : tensor<?x64xf32>) {
  ^bb0(%xv: f32, %o: f32):
    %n = arith.negf %xv : f32
    linalg.yield %n : f32
  } -> tensor<?x64xf32>
  %init = tensor.empty(%T) : tensor<?x64xf32>
  %y = tile.program ins(%X : tensor<?x64xf32>) outs(%init : tensor<?x64xf32>)
      -> tensor<?x64xf32> {
  ^bb0(%Xm: memref<?x64xf32>, %Ym: memref<?x64xf32>):
    %c0i = arith.constant 0 : index
    %n = memref.dim %Xm, %c0i : memref<?x64xf32>
    tile.grid (%i) in (%n) {
      %xt = tile.load %Xm[%i, %c0i] dims [1] : memref<?x64xf32> -> tensor<64xf32>
      tile.store %xt, %Ym[%i, %c0i] dims [1] : tensor<64xf32>, memref<?x64xf32>
    }
  }
  return %y : tensor<?x64xf32>
}

// -----

#id2 = affine_map<(t, p) -> (t, p)>
#win = affine_map<(t, p) -> (t + p)>

// X[t, p] = -x[t + p] is not a projection of the loops: not fused.
// CHECK-LABEL: func.func @non_projection(
// CHECK:         %[[X:.*]] = linalg.generic
// CHECK:         tile.program ins(%[[X]] : tensor<16x64xf32>)
// CHECK-NOT:       tile.map
func.func @non_projection(%x: tensor<79xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  %X = linalg.generic {indexing_maps = [#win, #id2],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<79xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%xv: f32, %o: f32):
    %n = arith.negf %xv : f32
    linalg.yield %n : f32
  } -> tensor<16x64xf32>
  %init = tensor.empty() : tensor<16x64xf32>
  %y = tile.program ins(%X : tensor<16x64xf32>) outs(%init : tensor<16x64xf32>)
      -> tensor<16x64xf32> {
  ^bb0(%Xm: memref<16x64xf32>, %Ym: memref<16x64xf32>):
    %c0 = arith.constant 0 : index
    %xt = tile.load %Xm[%c0, %c0] dims [0, 1] : memref<16x64xf32> -> tensor<16x64xf32>
    tile.store %xt, %Ym[%c0, %c0] dims [0, 1] : tensor<16x64xf32>, memref<16x64xf32>
  }
  return %y : tensor<16x64xf32>
}

// -----

#id2 = affine_map<(t, p) -> (t, p)>
#tr2 = affine_map<(t, p) -> (p, t)>

// A transposed read is a projection, but not in the loops' order: a tile
// load cannot read it.
// CHECK-LABEL: func.func @transposed(
// CHECK:         %[[X:.*]] = linalg.generic
// CHECK:         tile.program ins(%[[X]] : tensor<16x64xf32>)
// CHECK-NOT:       tile.map
func.func @transposed(%x: tensor<64x16xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  %X = linalg.generic {indexing_maps = [#tr2, #id2],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x16xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%xv: f32, %o: f32):
    %n = arith.negf %xv : f32
    linalg.yield %n : f32
  } -> tensor<16x64xf32>
  %init = tensor.empty() : tensor<16x64xf32>
  %y = tile.program ins(%X : tensor<16x64xf32>) outs(%init : tensor<16x64xf32>)
      -> tensor<16x64xf32> {
  ^bb0(%Xm: memref<16x64xf32>, %Ym: memref<16x64xf32>):
    %c0 = arith.constant 0 : index
    %xt = tile.load %Xm[%c0, %c0] dims [0, 1] : memref<16x64xf32> -> tensor<16x64xf32>
    tile.store %xt, %Ym[%c0, %c0] dims [0, 1] : tensor<16x64xf32>, memref<16x64xf32>
  }
  return %y : tensor<16x64xf32>
}

// -----

#id4 = affine_map<(b, t, h, p) -> (b, t, h, p)>
#h4 = affine_map<(b, t, h, p) -> (h)>

// The Mamba-2 epilogue (y + D x) * silu(z) in bf16, the only user of the
// program's f32 result: the program stores the epilogue's bf16 tile into a
// bf16 output, reading x (already an input), D and z.
// CHECK-LABEL: func.func @epilogue(
// CHECK-SAME:      %[[X:[^:]*]]: tensor<2x?x4x64xbf16>, %[[D:[^:]*]]: tensor<4xf32>, %[[Z:[^:]*]]: tensor<2x?x4x64xbf16>)
// CHECK-NOT:     tensor<2x?x4x64xf32>
// CHECK:         %[[OUT:.*]] = tensor.empty(%{{.*}}) : tensor<2x?x4x64xbf16>
// CHECK-NEXT:    %[[Y:.*]] = tile.program ins(%[[X]], %[[D]], %[[Z]] : tensor<2x?x4x64xbf16>, tensor<4xf32>, tensor<2x?x4x64xbf16>) outs(%[[OUT]] : tensor<2x?x4x64xbf16>) -> tensor<2x?x4x64xbf16> {
// CHECK-NEXT:    ^bb0(%[[XM:.*]]: memref<2x?x4x64xbf16>, %[[DM:.*]]: memref<4xf32>, %[[ZM:.*]]: memref<2x?x4x64xbf16>, %[[YM:.*]]: memref<2x?x4x64xbf16>):
// CHECK-NEXT:      %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:      arith.constant 2 : index
// CHECK-NEXT:      arith.constant 4 : index
// CHECK-NEXT:      %[[C64:.*]] = arith.constant 64 : index
// CHECK-NEXT:      tile.grid (%[[B:.*]], %[[H:.*]]) in
// CHECK-NEXT:        %[[XT:.*]] = tile.load %[[XM]][%[[B]], %[[C0]], %[[H]], %[[C0]]] dims [1, 3] bounds(%[[T:.*]], %[[C64]])
// CHECK-NEXT:        %[[YT:.*]] = arith.extf %[[XT]] : tensor<64x64xbf16> to tensor<64x64xf32>
// CHECK-NEXT:        %[[XT2:.*]] = tile.load %[[XM]][%[[B]], %[[C0]], %[[H]], %[[C0]]] dims [1, 3] bounds(%[[T]], %[[C64]]) : memref<2x?x4x64xbf16> -> tensor<64x64xbf16>
// CHECK-NEXT:        %[[DS:.*]] = tile.load %[[DM]][%[[H]]] : memref<4xf32> -> f32
// CHECK-NEXT:        %[[ZT:.*]] = tile.load %[[ZM]][%[[B]], %[[C0]], %[[H]], %[[C0]]] dims [1, 3] bounds(%[[T]], %[[C64]]) : memref<2x?x4x64xbf16> -> tensor<64x64xbf16>
// CHECK-NEXT:        %[[G:.*]] = tile.map(%[[YT]], %[[XT2]], %[[DS]], %[[ZT]]) : (tensor<64x64xf32>, tensor<64x64xbf16>, f32, tensor<64x64xbf16>) -> tensor<64x64xbf16> {
// CHECK-NEXT:        ^bb0(%[[YV:.*]]: f32, %[[XV:.*]]: bf16, %[[DV:.*]]: f32, %[[ZV:.*]]: bf16):
// CHECK-NEXT:          %[[XF:.*]] = arith.extf %[[XV]] : bf16 to f32
// CHECK-NEXT:          %[[DX:.*]] = arith.mulf %[[DV]], %[[XF]] : f32
// CHECK-NEXT:          %[[V:.*]] = arith.addf %[[YV]], %[[DX]] : f32
// CHECK:               %[[R:.*]] = arith.truncf %{{.*}} : f32 to bf16
// CHECK-NEXT:          tile.yield %[[R]] : bf16
// CHECK-NEXT:        }
// CHECK-NEXT:        tile.store %[[G]], %[[YM]][%[[B]], %[[C0]], %[[H]], %[[C0]]] dims [1, 3] bounds(%[[T]], %[[C64]]) : tensor<64x64xbf16>, memref<2x?x4x64xbf16>
// CHECK:         return %[[Y]] : tensor<2x?x4x64xbf16>
func.func @epilogue(%x: tensor<2x?x4x64xbf16>, %D: tensor<4xf32>,
                    %z: tensor<2x?x4x64xbf16>) -> tensor<2x?x4x64xbf16> {
  %c1 = arith.constant 1 : index
  %T = tensor.dim %x, %c1 : tensor<2x?x4x64xbf16>
  %init = tensor.empty(%T) : tensor<2x?x4x64xf32>
  %y = tile.program ins(%x : tensor<2x?x4x64xbf16>)
      outs(%init : tensor<2x?x4x64xf32>) -> tensor<2x?x4x64xf32> {
  ^bb0(%Xm: memref<2x?x4x64xbf16>, %Ym: memref<2x?x4x64xf32>):
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    %c64 = arith.constant 64 : index
    tile.grid (%b, %h) in (%c2, %c4) {
      %xt = tile.load %Xm[%b, %c0, %h, %c0] dims [1, 3] bounds(%T, %c64)
          : memref<2x?x4x64xbf16> -> tensor<64x64xbf16>
      %yt = arith.extf %xt : tensor<64x64xbf16> to tensor<64x64xf32>
      tile.store %yt, %Ym[%b, %c0, %h, %c0] dims [1, 3] bounds(%T, %c64)
          : tensor<64x64xf32>, memref<2x?x4x64xf32>
    }
  }
  %e = tensor.empty(%T) : tensor<2x?x4x64xbf16>
  %out = linalg.generic {indexing_maps = [#id4, #id4, #h4, #id4, #id4],
                         iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %x, %D, %z : tensor<2x?x4x64xf32>, tensor<2x?x4x64xbf16>,
                           tensor<4xf32>, tensor<2x?x4x64xbf16>)
      outs(%e : tensor<2x?x4x64xbf16>) {
  ^bb0(%yv: f32, %xv: bf16, %dv: f32, %zv: bf16, %o: bf16):
    %xf = arith.extf %xv : bf16 to f32
    %dx = arith.mulf %dv, %xf : f32
    %v = arith.addf %yv, %dx : f32
    %zf = arith.extf %zv : bf16 to f32
    %one = arith.constant 1.0 : f32
    %nz = arith.negf %zf : f32
    %ez = math.exp %nz : f32
    %den = arith.addf %one, %ez : f32
    %silu = arith.divf %zf, %den : f32
    %g = arith.mulf %v, %silu : f32
    %r = arith.truncf %g : f32 to bf16
    linalg.yield %r : bf16
  } -> tensor<2x?x4x64xbf16>
  return %out : tensor<2x?x4x64xbf16>
}

// -----

#id2 = affine_map<(t, p) -> (t, p)>

// y is also returned: the generic is not its only user, nothing is fused.
// CHECK-LABEL: func.func @two_users(
// CHECK:         %[[Y:.*]] = tile.program {{.*}} -> tensor<16x64xf32>
// CHECK-NOT:       tile.map
// CHECK:         %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[Y]] : tensor<16x64xf32>)
// CHECK:         return %[[Y]], %[[OUT]]
func.func @two_users(%x: tensor<16x64xf32>)
    -> (tensor<16x64xf32>, tensor<16x64xf32>) {
  %init = tensor.empty() : tensor<16x64xf32>
  %y = tile.program ins(%x : tensor<16x64xf32>) outs(%init : tensor<16x64xf32>)
      -> tensor<16x64xf32> {
  ^bb0(%Xm: memref<16x64xf32>, %Ym: memref<16x64xf32>):
    %c0 = arith.constant 0 : index
    %xt = tile.load %Xm[%c0, %c0] dims [0, 1] : memref<16x64xf32> -> tensor<16x64xf32>
    tile.store %xt, %Ym[%c0, %c0] dims [0, 1] : tensor<16x64xf32>, memref<16x64xf32>
  }
  %e = tensor.empty() : tensor<16x64xf32>
  %out = linalg.generic {indexing_maps = [#id2, #id2],
                         iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<16x64xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%yv: f32, %o: f32):
    %n = arith.negf %yv : f32
    linalg.yield %n : f32
  } -> tensor<16x64xf32>
  return %y, %out : tensor<16x64xf32>, tensor<16x64xf32>
}

// -----

#id2 = affine_map<(t, p) -> (t, p)>

// The program's output is not a fresh tensor: elements it does not store
// keep %init's values, which the generic would have transformed. Not fused.
// CHECK-LABEL: func.func @init_not_empty(
// CHECK:         %[[Y:.*]] = tile.program {{.*}} -> tensor<16x64xf32>
// CHECK-NOT:       tile.map
// CHECK:         %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[Y]] : tensor<16x64xf32>)
// CHECK:         return %[[OUT]]
func.func @init_not_empty(%x: tensor<16x64xf32>, %init: tensor<16x64xf32>)
    -> tensor<16x64xf32> {
  %y = tile.program ins(%x : tensor<16x64xf32>) outs(%init : tensor<16x64xf32>)
      -> tensor<16x64xf32> {
  ^bb0(%Xm: memref<16x64xf32>, %Ym: memref<16x64xf32>):
    %c0 = arith.constant 0 : index
    %xt = tile.load %Xm[%c0, %c0] dims [0, 1] : memref<16x64xf32> -> tensor<16x64xf32>
    tile.store %xt, %Ym[%c0, %c0] dims [0, 1] : tensor<16x64xf32>, memref<16x64xf32>
  }
  %e = tensor.empty() : tensor<16x64xf32>
  %out = linalg.generic {indexing_maps = [#id2, #id2],
                         iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<16x64xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%yv: f32, %o: f32):
    %n = arith.negf %yv : f32
    linalg.yield %n : f32
  } -> tensor<16x64xf32>
  return %out : tensor<16x64xf32>
}

// -----

#id2 = affine_map<(t, p) -> (t, p)>

// x is already an input and X = x * x reads it twice: the program keeps one
// x, loaded once, and X (an input twice) is gone.
// CHECK-LABEL: func.func @input_twice(
// CHECK-SAME:      %[[X:[^:]*]]: tensor<16x64xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         tile.program ins(%[[X]] : tensor<16x64xf32>)
// CHECK-NEXT:    ^bb0(%[[XM:.*]]: memref<16x64xf32>, %[[YM:.*]]: memref<16x64xf32>):
// CHECK-NEXT:      %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:      %[[L1:.*]] = tile.load %[[XM]][%[[C0]], %[[C0]]] dims [0, 1]
// CHECK-NEXT:      %[[SQ1:.*]] = tile.map(%[[L1]], %[[L1]])
// CHECK:           %[[XT:.*]] = tile.load %[[XM]][%[[C0]], %[[C0]]] dims [0, 1]
// CHECK-NEXT:      %[[L2:.*]] = tile.load %[[XM]][%[[C0]], %[[C0]]] dims [0, 1]
// CHECK-NEXT:      %[[SQ2:.*]] = tile.map(%[[L2]], %[[L2]])
// CHECK:           %[[S:.*]] = arith.addf %[[SQ1]], %[[XT]]
// CHECK-NEXT:      arith.addf %[[S]], %[[SQ2]]
func.func @input_twice(%x: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  %X = linalg.generic {indexing_maps = [#id2, #id2, #id2],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x, %x : tensor<16x64xf32>, tensor<16x64xf32>)
      outs(%e : tensor<16x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<16x64xf32>
  %init = tensor.empty() : tensor<16x64xf32>
  %y = tile.program ins(%X, %x, %X : tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>)
      outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32> {
  ^bb0(%Xm: memref<16x64xf32>, %xm: memref<16x64xf32>, %Xm2: memref<16x64xf32>,
       %Ym: memref<16x64xf32>):
    %c0 = arith.constant 0 : index
    %a = tile.load %Xm[%c0, %c0] dims [0, 1] : memref<16x64xf32> -> tensor<16x64xf32>
    %b = tile.load %xm[%c0, %c0] dims [0, 1] : memref<16x64xf32> -> tensor<16x64xf32>
    %c = tile.load %Xm2[%c0, %c0] dims [0, 1] : memref<16x64xf32> -> tensor<16x64xf32>
    %s = arith.addf %a, %b : tensor<16x64xf32>
    %t = arith.addf %s, %c : tensor<16x64xf32>
    tile.store %t, %Ym[%c0, %c0] dims [0, 1] : tensor<16x64xf32>, memref<16x64xf32>
  }
  return %y : tensor<16x64xf32>
}

// -----

#id2 = affine_map<(t, p) -> (t, p)>

// The generic's other input is computed after the program, so the program
// cannot read it: not fused.
// CHECK-LABEL: func.func @input_after_program(
// CHECK:         %[[Y:.*]] = tile.program {{.*}} -> tensor<16x64xf32>
// CHECK-NOT:       tile.map
// CHECK:         %[[Z:.*]] = arith.negf
// CHECK:         %[[OUT:.*]] = linalg.generic {{.*}} ins(%[[Y]], %[[Z]] : tensor<16x64xf32>, tensor<16x64xf32>)
// CHECK:         return %[[OUT]]
func.func @input_after_program(%x: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %init = tensor.empty() : tensor<16x64xf32>
  %y = tile.program ins(%x : tensor<16x64xf32>) outs(%init : tensor<16x64xf32>)
      -> tensor<16x64xf32> {
  ^bb0(%Xm: memref<16x64xf32>, %Ym: memref<16x64xf32>):
    %c0 = arith.constant 0 : index
    %xt = tile.load %Xm[%c0, %c0] dims [0, 1] : memref<16x64xf32> -> tensor<16x64xf32>
    tile.store %xt, %Ym[%c0, %c0] dims [0, 1] : tensor<16x64xf32>, memref<16x64xf32>
  }
  %z = arith.negf %x : tensor<16x64xf32>
  %e = tensor.empty() : tensor<16x64xf32>
  %out = linalg.generic {indexing_maps = [#id2, #id2, #id2],
                         iterator_types = ["parallel", "parallel"]}
      ins(%y, %z : tensor<16x64xf32>, tensor<16x64xf32>)
      outs(%e : tensor<16x64xf32>) {
  ^bb0(%yv: f32, %zv: f32, %o: f32):
    %s = arith.addf %yv, %zv : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %out : tensor<16x64xf32>
}
