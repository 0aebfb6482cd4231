// RUN: smc-opt %s | smc-opt | FileCheck %s
// RUN: smc-opt %s --mlir-print-op-generic | smc-opt | FileCheck %s

// Round trip of every sma op and attribute, with each optional operand,
// result and attribute present and absent, static and dynamic shapes.

//===----------------------------------------------------------------------===//
// Masks
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @mask_causal()
// CHECK-NEXT:    %[[M:.*]] = sma.mask.causal{{$}}
// CHECK-NEXT:    return %[[M]] : !sma.mask
func.func @mask_causal() -> !sma.mask {
  %m = sma.mask.causal
  return %m : !sma.mask
}

// The values of RetNet's gamma_h = 1 - 2^(-5-h) must survive a round trip
// exactly, not rounded to six digits.
// CHECK-LABEL: func.func @mask_fixed_decay()
// CHECK-NEXT:    %[[M1:.*]] = sma.mask.fixed_decay [1.000000e+00]{{$}}
// CHECK-NEXT:    %[[M2:.*]] = sma.mask.fixed_decay [9.687500e-01, 9.843750e-01, 0.9921875, 0.99609375, 0.998046875, 0.9990234375, 0.99951171875, 0.999755859375]{{$}}
// CHECK-NEXT:    %[[M3:.*]] = sma.mask.fixed_decay [5.000000e-01, 9.000000e-01]{{$}}
// CHECK-NEXT:    return %[[M1]], %[[M2]], %[[M3]]
func.func @mask_fixed_decay() -> (!sma.mask, !sma.mask, !sma.mask) {
  %one = sma.mask.fixed_decay [1.0]
  %retnet = sma.mask.fixed_decay [0.96875, 0.984375, 0.9921875, 0.99609375,
                                  0.998046875, 0.9990234375, 0.99951171875,
                                  0.999755859375]
  %hex = sma.mask.fixed_decay [0x3FE0000000000000, 0.9]
  return %one, %retnet, %hex : !sma.mask, !sma.mask, !sma.mask
}

// CHECK-LABEL: func.func @mask_decay(
// CHECK-SAME:      %[[A:.*]]: tensor<2x64x8xf32>, %[[AD:.*]]: tensor<?x?x8xf32>)
// CHECK-NEXT:    %[[M1:.*]] = sma.mask.decay %[[A]] : tensor<2x64x8xf32>{{$}}
// CHECK-NEXT:    %[[M2:.*]] = sma.mask.decay %[[AD]] : tensor<?x?x8xf32>{{$}}
// CHECK-NEXT:    return %[[M1]], %[[M2]]
func.func @mask_decay(%a: tensor<2x64x8xf32>, %ad: tensor<?x?x8xf32>)
    -> (!sma.mask, !sma.mask) {
  %m1 = sma.mask.decay %a : tensor<2x64x8xf32>
  %m2 = sma.mask.decay %ad : tensor<?x?x8xf32>
  return %m1, %m2 : !sma.mask, !sma.mask
}

// CHECK-LABEL: func.func @mask_window()
// CHECK-NEXT:    %[[M1:.*]] = sma.mask.window 1{{$}}
// CHECK-NEXT:    %[[M2:.*]] = sma.mask.window 128{{$}}
// CHECK-NEXT:    return %[[M1]], %[[M2]]
func.func @mask_window() -> (!sma.mask, !sma.mask) {
  %m1 = sma.mask.window 1
  %m2 = sma.mask.window 128
  return %m1, %m2 : !sma.mask, !sma.mask
}

// CHECK-LABEL: func.func @mask_mul(
// CHECK-SAME:      %[[A:.*]]: tensor<?x?x8xf32>)
// CHECK-NEXT:    %[[W:.*]] = sma.mask.window 64{{$}}
// CHECK-NEXT:    %[[D:.*]] = sma.mask.decay %[[A]] : tensor<?x?x8xf32>{{$}}
// CHECK-NEXT:    %[[WD:.*]] = sma.mask.mul %[[W]], %[[D]]{{$}}
// CHECK-NEXT:    %[[C:.*]] = sma.mask.causal{{$}}
// CHECK-NEXT:    %[[NESTED:.*]] = sma.mask.mul %[[C]], %[[WD]]{{$}}
// CHECK-NEXT:    return %[[NESTED]] : !sma.mask
func.func @mask_mul(%a: tensor<?x?x8xf32>) -> !sma.mask {
  %w = sma.mask.window 64
  %d = sma.mask.decay %a : tensor<?x?x8xf32>
  %wd = sma.mask.mul %w, %d
  %c = sma.mask.causal
  %m = sma.mask.mul %c, %wd
  return %m : !sma.mask
}

// No `causal`, no operands: the region sees (t, s, head) only.
// CHECK-LABEL: func.func @mask_custom_plain()
// CHECK-NEXT:    %[[M:.*]] = sma.mask.custom {
// CHECK-NEXT:    ^bb0(%[[T:.*]]: index, %[[S:.*]]: index, %[[H:.*]]: index):
// CHECK-NEXT:      %[[EQ:.*]] = arith.cmpi eq, %[[T]], %[[S]] : index
// CHECK-NEXT:      %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:      %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT:      %[[V:.*]] = arith.select %[[EQ]], %[[ONE]], %[[HALF]] : f32
// CHECK-NEXT:      sma.yield %[[V]] : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[M]] : !sma.mask
func.func @mask_custom_plain() -> !sma.mask {
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %h: index):
    %eq = arith.cmpi eq, %t, %s : index
    %one = arith.constant 1.0 : f32
    %half = arith.constant 0.5 : f32
    %v = arith.select %eq, %one, %half : f32
    sma.yield %v : f32
  }
  return %m : !sma.mask
}

// `causal` without operands.
// CHECK-LABEL: func.func @mask_custom_causal()
// CHECK-NEXT:    %[[M:.*]] = sma.mask.custom causal {
// CHECK-NEXT:    ^bb0(%[[T:.*]]: index, %[[S:.*]]: index, %[[H:.*]]: index):
// CHECK-NEXT:      %[[D:.*]] = arith.subi %[[T]], %[[S]] : index
// CHECK-NEXT:      %[[DI:.*]] = arith.index_cast %[[D]] : index to i64
// CHECK-NEXT:      %[[DF:.*]] = arith.sitofp %[[DI]] : i64 to f32
// CHECK-NEXT:      %[[HI:.*]] = arith.index_cast %[[H]] : index to i64
// CHECK-NEXT:      %[[HF:.*]] = arith.sitofp %[[HI]] : i64 to f32
// CHECK-NEXT:      %[[E:.*]] = arith.mulf %[[HF]], %[[DF]] : f32
// CHECK-NEXT:      %[[N:.*]] = arith.negf %[[E]] : f32
// CHECK-NEXT:      %[[V:.*]] = math.exp %[[N]] : f32
// CHECK-NEXT:      sma.yield %[[V]] : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[M]] : !sma.mask
func.func @mask_custom_causal() -> !sma.mask {
  %m = sma.mask.custom causal {
  ^bb0(%t: index, %s: index, %h: index):
    %d = arith.subi %t, %s : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %hi = arith.index_cast %h : index to i64
    %hf = arith.sitofp %hi : i64 to f32
    %e = arith.mulf %hf, %df : f32
    %n = arith.negf %e : f32
    %v = math.exp %n : f32
    sma.yield %v : f32
  }
  return %m : !sma.mask
}

// Operands without `causal`: one value at t and one at s per operand.
// CHECK-LABEL: func.func @mask_custom_operands(
// CHECK-SAME:      %[[P:.*]]: tensor<?x?x8xf32>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.custom(%[[P]] : tensor<?x?x8xf32>) {
// CHECK-NEXT:    ^bb0(%{{.*}}: index, %{{.*}}: index, %{{.*}}: index, %[[PT:.*]]: f32, %[[PS:.*]]: f32):
// CHECK-NEXT:      %[[V:.*]] = arith.mulf %[[PT]], %[[PS]] : f32
// CHECK-NEXT:      sma.yield %[[V]] : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[M]] : !sma.mask
func.func @mask_custom_operands(%p: tensor<?x?x8xf32>) -> !sma.mask {
  %m = sma.mask.custom (%p : tensor<?x?x8xf32>) {
  ^bb0(%t: index, %s: index, %h: index, %pt: f32, %ps: f32):
    %v = arith.mulf %pt, %ps : f32
    sma.yield %v : f32
  }
  return %m : !sma.mask
}

// `causal` with two operands of different static shapes.
// CHECK-LABEL: func.func @mask_custom_causal_operands(
// CHECK-SAME:      %[[P:.*]]: tensor<2x64x8xf32>, %[[Q:.*]]: tensor<?x64x8xf32>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.custom causal(%[[P]], %[[Q]] : tensor<2x64x8xf32>, tensor<?x64x8xf32>) {
// CHECK-NEXT:    ^bb0(%{{.*}}: index, %{{.*}}: index, %{{.*}}: index, %[[PT:.*]]: f32, %[[PS:.*]]: f32, %[[QT:.*]]: f32, %[[QS:.*]]: f32):
// CHECK-NEXT:      %[[A:.*]] = arith.addf %[[PT]], %[[QS]] : f32
// CHECK-NEXT:      %[[B:.*]] = arith.subf %[[A]], %[[PS]] : f32
// CHECK-NEXT:      %[[V:.*]] = arith.addf %[[B]], %[[QT]] : f32
// CHECK-NEXT:      sma.yield %[[V]] : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[M]] : !sma.mask
func.func @mask_custom_causal_operands(%p: tensor<2x64x8xf32>,
                                       %q: tensor<?x64x8xf32>) -> !sma.mask {
  %m = sma.mask.custom causal (%p, %q : tensor<2x64x8xf32>, tensor<?x64x8xf32>) {
  ^bb0(%t: index, %s: index, %h: index, %pt: f32, %ps: f32, %qt: f32, %qs: f32):
    %a = arith.addf %pt, %qs : f32
    %b = arith.subf %a, %ps : f32
    %v = arith.addf %b, %qt : f32
    sma.yield %v : f32
  }
  return %m : !sma.mask
}

// Discardable attributes on mask ops are kept.
// CHECK-LABEL: func.func @mask_attr_dict()
// CHECK-NEXT:    sma.mask.causal {note = "a"}
// CHECK-NEXT:    sma.mask.fixed_decay [5.000000e-01] {note = "b"}
// CHECK-NEXT:    sma.mask.window 4 {note = "c"}
// CHECK-NEXT:    sma.mask.custom causal {
// CHECK-NEXT:    ^bb0(%{{.*}}: index, %{{.*}}: index, %{{.*}}: index):
// CHECK-NEXT:      %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:      sma.yield %[[ONE]] : f32
// CHECK-NEXT:    } {note = "d"}
func.func @mask_attr_dict() -> (!sma.mask, !sma.mask, !sma.mask, !sma.mask) {
  %c = sma.mask.causal {note = "a"}
  %f = sma.mask.fixed_decay [0.5] {note = "b"}
  %w = sma.mask.window 4 {note = "c"}
  %u = sma.mask.custom causal {
  ^bb0(%t: index, %s: index, %h: index):
    %one = arith.constant 1.0 : f32
    sma.yield %one : f32
  } {note = "d"}
  return %c, %f, %w, %u : !sma.mask, !sma.mask, !sma.mask, !sma.mask
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

// A chunk of 0 is the default: it is not printed.
// CHECK-LABEL: func.func @form_attrs()
// CHECK-SAME:      a = #sma.form<linear>
// CHECK-SAME:      b = #sma.form<quadratic>
// CHECK-SAME:      c = #sma.form<chunked>
// CHECK-SAME:      d = #sma.form<chunked, 256>
// CHECK-SAME:      e = #sma.form<chunked>
// CHECK-SAME:      f = #sma.form<linear>
// CHECK-SAME:      g = #sma.form_kind<linear>
// CHECK-SAME:      h = #sma.form_kind<quadratic>
// CHECK-SAME:      i = #sma.form_kind<chunked>
func.func @form_attrs() attributes {
    a = #sma.form<linear>, b = #sma.form<quadratic>, c = #sma.form<chunked>,
    d = #sma.form<chunked, 256>, e = #sma.form<chunked, 0>,
    f = #sma.form<linear, 0>, g = #sma.form_kind<linear>,
    h = #sma.form_kind<quadratic>, i = #sma.form_kind<chunked>} {
  return
}

//===----------------------------------------------------------------------===//
// sma.contract
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @contract_minimal(
// CHECK-SAME:      %[[C:.*]]: tensor<2x64x1x16xf32>, %[[B:.*]]: tensor<2x64x1x16xf32>, %[[X:.*]]: tensor<2x64x4x8xf32>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.causal
// CHECK-NEXT:    %[[Y:.*]] = sma.contract C(%[[C]] : tensor<2x64x1x16xf32>) B(%[[B]] : tensor<2x64x1x16xf32>) X(%[[X]] : tensor<2x64x4x8xf32>) mask(%[[M]]) -> tensor<2x64x4x8xf32>{{$}}
// CHECK-NEXT:    return %[[Y]] : tensor<2x64x4x8xf32>
func.func @contract_minimal(%c: tensor<2x64x1x16xf32>, %b: tensor<2x64x1x16xf32>,
                            %x: tensor<2x64x4x8xf32>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%b : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// Dynamic batch and length, bf16 keys with f16 values, g = h.
// CHECK-LABEL: func.func @contract_dynamic(
// CHECK-SAME:      %[[C:.*]]: tensor<?x?x8x64xbf16>, %[[B:.*]]: tensor<?x?x8x64xbf16>, %[[X:.*]]: tensor<?x?x8x32xf16>, %[[G:.*]]: tensor<?x?x8xf32>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.decay %[[G]] : tensor<?x?x8xf32>
// CHECK-NEXT:    %[[Y:.*]] = sma.contract C(%[[C]] : tensor<?x?x8x64xbf16>) B(%[[B]] : tensor<?x?x8x64xbf16>) X(%[[X]] : tensor<?x?x8x32xf16>) mask(%[[M]]) -> tensor<?x?x8x32xf16>{{$}}
// CHECK-NEXT:    return %[[Y]]
func.func @contract_dynamic(%c: tensor<?x?x8x64xbf16>, %b: tensor<?x?x8x64xbf16>,
                            %x: tensor<?x?x8x32xf16>, %a: tensor<?x?x8xf32>)
    -> tensor<?x?x8x32xf16> {
  %m = sma.mask.decay %a : tensor<?x?x8xf32>
  %y = sma.contract C(%c : tensor<?x?x8x64xbf16>) B(%b : tensor<?x?x8x64xbf16>)
      X(%x : tensor<?x?x8x32xf16>) mask(%m) -> tensor<?x?x8x32xf16>
  return %y : tensor<?x?x8x32xf16>
}

// Mixed static and dynamic dims between C, B and X.
// CHECK-LABEL: func.func @contract_mixed_dims(
// CHECK:         sma.contract C(%{{.*}} : tensor<?x64x2x16xf32>) B(%{{.*}} : tensor<2x?x2x16xf32>) X(%{{.*}} : tensor<2x64x4x8xf32>) mask(%{{.*}}) -> tensor<2x64x4x8xf32>{{$}}
func.func @contract_mixed_dims(%c: tensor<?x64x2x16xf32>, %b: tensor<2x?x2x16xf32>,
                               %x: tensor<2x64x4x8xf32>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<?x64x2x16xf32>) B(%b : tensor<2x?x2x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// Initial state in, no final state out.
// CHECK-LABEL: func.func @contract_init(
// CHECK-SAME:      %[[C:.*]]: tensor<2x64x1x16xbf16>, %[[X:.*]]: tensor<2x64x4x8xbf16>, %[[S0:.*]]: tensor<2x4x8x16xf32>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.fixed_decay [9.687500e-01, 9.843750e-01, 0.9921875, 0.99609375]
// CHECK-NEXT:    %[[Y:.*]] = sma.contract C(%[[C]] : tensor<2x64x1x16xbf16>) B(%[[C]] : tensor<2x64x1x16xbf16>) X(%[[X]] : tensor<2x64x4x8xbf16>) mask(%[[M]]) init(%[[S0]] : tensor<2x4x8x16xf32>) -> tensor<2x64x4x8xbf16>{{$}}
// CHECK-NEXT:    return %[[Y]]
func.func @contract_init(%c: tensor<2x64x1x16xbf16>, %x: tensor<2x64x4x8xbf16>,
                         %s0: tensor<2x4x8x16xf32>) -> tensor<2x64x4x8xbf16> {
  %m = sma.mask.fixed_decay [0.96875, 0.984375, 0.9921875, 0.99609375]
  %y = sma.contract C(%c : tensor<2x64x1x16xbf16>) B(%c : tensor<2x64x1x16xbf16>)
      X(%x : tensor<2x64x4x8xbf16>) mask(%m) init(%s0 : tensor<2x4x8x16xf32>)
      -> tensor<2x64x4x8xbf16>
  return %y : tensor<2x64x4x8xbf16>
}

// Final state out without an initial state (return_final_states).
// CHECK-LABEL: func.func @contract_final(
// CHECK-SAME:      %[[C:.*]]: tensor<?x?x1x16xf32>, %[[X:.*]]: tensor<?x?x4x8xf32>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.causal
// CHECK-NEXT:    %[[Y:.*]], %[[S:.*]] = sma.contract C(%[[C]] : tensor<?x?x1x16xf32>) B(%[[C]] : tensor<?x?x1x16xf32>) X(%[[X]] : tensor<?x?x4x8xf32>) mask(%[[M]]) -> tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>{{$}}
// CHECK-NEXT:    return %[[Y]], %[[S]]
func.func @contract_final(%c: tensor<?x?x1x16xf32>, %x: tensor<?x?x4x8xf32>)
    -> (tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>) {
  %m = sma.mask.causal
  %y, %s = sma.contract C(%c : tensor<?x?x1x16xf32>) B(%c : tensor<?x?x1x16xf32>)
      X(%x : tensor<?x?x4x8xf32>) mask(%m)
      -> tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
  return %y, %s : tensor<?x?x4x8xf32>, tensor<?x4x8x16xf32>
}

// Initial and final state, with a product of semiseparable masks.
// CHECK-LABEL: func.func @contract_init_final(
// CHECK-SAME:      %[[C:.*]]: tensor<2x64x2x16xf32>, %[[B:.*]]: tensor<2x64x2x16xf32>, %[[X:.*]]: tensor<2x64x4x8xf32>, %[[A:.*]]: tensor<2x64x4xf32>, %[[S0:.*]]: tensor<2x4x8x16xf32>)
// CHECK-NEXT:    %[[D:.*]] = sma.mask.decay %[[A]] : tensor<2x64x4xf32>
// CHECK-NEXT:    %[[F:.*]] = sma.mask.fixed_decay [5.000000e-01, 5.000000e-01, 1.000000e+00, 1.000000e+00]
// CHECK-NEXT:    %[[M:.*]] = sma.mask.mul %[[D]], %[[F]]
// CHECK-NEXT:    %[[Y:.*]], %[[S:.*]] = sma.contract C(%[[C]] : tensor<2x64x2x16xf32>) B(%[[B]] : tensor<2x64x2x16xf32>) X(%[[X]] : tensor<2x64x4x8xf32>) mask(%[[M]]) init(%[[S0]] : tensor<2x4x8x16xf32>) -> tensor<2x64x4x8xf32>, tensor<2x4x8x16xf32>{{$}}
// CHECK-NEXT:    return %[[Y]], %[[S]]
func.func @contract_init_final(%c: tensor<2x64x2x16xf32>, %b: tensor<2x64x2x16xf32>,
                               %x: tensor<2x64x4x8xf32>, %a: tensor<2x64x4xf32>,
                               %s0: tensor<2x4x8x16xf32>)
    -> (tensor<2x64x4x8xf32>, tensor<2x4x8x16xf32>) {
  %d = sma.mask.decay %a : tensor<2x64x4xf32>
  %f = sma.mask.fixed_decay [0.5, 0.5, 1.0, 1.0]
  %m = sma.mask.mul %d, %f
  %y, %s = sma.contract C(%c : tensor<2x64x2x16xf32>) B(%b : tensor<2x64x2x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) init(%s0 : tensor<2x4x8x16xf32>)
      -> tensor<2x64x4x8xf32>, tensor<2x4x8x16xf32>
  return %y, %s : tensor<2x64x4x8xf32>, tensor<2x4x8x16xf32>
}

// Packed sequences (i32 offsets), no states.
// CHECK-LABEL: func.func @contract_seqs(
// CHECK-SAME:      %[[C:.*]]: tensor<1x?x1x16xf32>, %[[X:.*]]: tensor<1x?x4x8xf32>, %[[CU:.*]]: tensor<?xi32>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.causal
// CHECK-NEXT:    %[[Y:.*]] = sma.contract C(%[[C]] : tensor<1x?x1x16xf32>) B(%[[C]] : tensor<1x?x1x16xf32>) X(%[[X]] : tensor<1x?x4x8xf32>) mask(%[[M]]) seqs(%[[CU]] : tensor<?xi32>) -> tensor<1x?x4x8xf32>{{$}}
// CHECK-NEXT:    return %[[Y]]
func.func @contract_seqs(%c: tensor<1x?x1x16xf32>, %x: tensor<1x?x4x8xf32>,
                         %cu: tensor<?xi32>) -> tensor<1x?x4x8xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<1x?x1x16xf32>) B(%c : tensor<1x?x1x16xf32>)
      X(%x : tensor<1x?x4x8xf32>) mask(%m) seqs(%cu : tensor<?xi32>)
      -> tensor<1x?x4x8xf32>
  return %y : tensor<1x?x4x8xf32>
}

// Packed sequences (i64 offsets, S = 3) with per-sequence states.
// CHECK-LABEL: func.func @contract_seqs_states(
// CHECK-SAME:      %[[C:.*]]: tensor<1x100x1x16xf32>, %[[X:.*]]: tensor<1x100x4x8xf32>, %[[A:.*]]: tensor<1x100x4xf32>, %[[S0:.*]]: tensor<3x4x8x16xf32>, %[[CU:.*]]: tensor<4xi64>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.decay %[[A]] : tensor<1x100x4xf32>
// CHECK-NEXT:    %[[Y:.*]], %[[S:.*]] = sma.contract C(%[[C]] : tensor<1x100x1x16xf32>) B(%[[C]] : tensor<1x100x1x16xf32>) X(%[[X]] : tensor<1x100x4x8xf32>) mask(%[[M]]) init(%[[S0]] : tensor<3x4x8x16xf32>) seqs(%[[CU]] : tensor<4xi64>) -> tensor<1x100x4x8xf32>, tensor<3x4x8x16xf32>{{$}}
// CHECK-NEXT:    return %[[Y]], %[[S]]
func.func @contract_seqs_states(%c: tensor<1x100x1x16xf32>, %x: tensor<1x100x4x8xf32>,
                                %a: tensor<1x100x4xf32>, %s0: tensor<3x4x8x16xf32>,
                                %cu: tensor<4xi64>)
    -> (tensor<1x100x4x8xf32>, tensor<3x4x8x16xf32>) {
  %m = sma.mask.decay %a : tensor<1x100x4xf32>
  %y, %s = sma.contract C(%c : tensor<1x100x1x16xf32>) B(%c : tensor<1x100x1x16xf32>)
      X(%x : tensor<1x100x4x8xf32>) mask(%m) init(%s0 : tensor<3x4x8x16xf32>)
      seqs(%cu : tensor<4xi64>) -> tensor<1x100x4x8xf32>, tensor<3x4x8x16xf32>
  return %y, %s : tensor<1x100x4x8xf32>, tensor<3x4x8x16xf32>
}

// Every form, forced by hand; quadratic on masks without a state recurrence.
// CHECK-LABEL: func.func @contract_forms(
// CHECK-SAME:      %[[C:.*]]: tensor<2x64x1x16xf32>, %[[X:.*]]: tensor<2x64x4x8xf32>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.causal
// CHECK-NEXT:    %[[W:.*]] = sma.mask.window 8
// CHECK-NEXT:    %[[Y1:.*]] = sma.contract C(%[[C]] : tensor<2x64x1x16xf32>) B(%[[C]] : tensor<2x64x1x16xf32>) X(%[[X]] : tensor<2x64x4x8xf32>) mask(%[[M]]) {form = #sma.form<linear>} -> tensor<2x64x4x8xf32>{{$}}
// CHECK-NEXT:    %[[Y2:.*]] = sma.contract C(%[[C]] : tensor<2x64x1x16xf32>) B(%[[C]] : tensor<2x64x1x16xf32>) X(%[[X]] : tensor<2x64x4x8xf32>) mask(%[[M]]) {form = #sma.form<quadratic>} -> tensor<2x64x4x8xf32>{{$}}
// CHECK-NEXT:    %[[Y3:.*]] = sma.contract C(%[[C]] : tensor<2x64x1x16xf32>) B(%[[C]] : tensor<2x64x1x16xf32>) X(%[[X]] : tensor<2x64x4x8xf32>) mask(%[[M]]) {form = #sma.form<chunked>} -> tensor<2x64x4x8xf32>{{$}}
// CHECK-NEXT:    %[[Y4:.*]] = sma.contract C(%[[C]] : tensor<2x64x1x16xf32>) B(%[[C]] : tensor<2x64x1x16xf32>) X(%[[X]] : tensor<2x64x4x8xf32>) mask(%[[M]]) {form = #sma.form<chunked, 16>} -> tensor<2x64x4x8xf32>{{$}}
// CHECK-NEXT:    %[[Y5:.*]] = sma.contract C(%[[C]] : tensor<2x64x1x16xf32>) B(%[[C]] : tensor<2x64x1x16xf32>) X(%[[X]] : tensor<2x64x4x8xf32>) mask(%[[W]]) {form = #sma.form<quadratic>, note = "kept"} -> tensor<2x64x4x8xf32>{{$}}
// CHECK-NEXT:    return %[[Y1]], %[[Y2]], %[[Y3]], %[[Y4]], %[[Y5]]
func.func @contract_forms(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> (tensor<2x64x4x8xf32>, tensor<2x64x4x8xf32>, tensor<2x64x4x8xf32>,
        tensor<2x64x4x8xf32>, tensor<2x64x4x8xf32>) {
  %m = sma.mask.causal
  %w = sma.mask.window 8
  %y1 = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) {form = #sma.form<linear>}
      -> tensor<2x64x4x8xf32>
  %y2 = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) {form = #sma.form<quadratic>}
      -> tensor<2x64x4x8xf32>
  %y3 = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) {form = #sma.form<chunked>}
      -> tensor<2x64x4x8xf32>
  %y4 = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) {form = #sma.form<chunked, 16>}
      -> tensor<2x64x4x8xf32>
  %y5 = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%w)
      {note = "kept", form = #sma.form<quadratic>} -> tensor<2x64x4x8xf32>
  return %y1, %y2, %y3, %y4, %y5 : tensor<2x64x4x8xf32>, tensor<2x64x4x8xf32>,
      tensor<2x64x4x8xf32>, tensor<2x64x4x8xf32>, tensor<2x64x4x8xf32>
}

// Everything at once: init, seqs, final state and a forced form.
// CHECK-LABEL: func.func @contract_all(
// CHECK-SAME:      %[[C:.*]]: tensor<1x?x2x16xf16>, %[[X:.*]]: tensor<1x?x4x8xf16>, %[[S0:.*]]: tensor<?x4x8x16xf32>, %[[CU:.*]]: tensor<?xi32>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.causal
// CHECK-NEXT:    %[[Y:.*]], %[[S:.*]] = sma.contract C(%[[C]] : tensor<1x?x2x16xf16>) B(%[[C]] : tensor<1x?x2x16xf16>) X(%[[X]] : tensor<1x?x4x8xf16>) mask(%[[M]]) init(%[[S0]] : tensor<?x4x8x16xf32>) seqs(%[[CU]] : tensor<?xi32>) {form = #sma.form<chunked, 32>} -> tensor<1x?x4x8xf16>, tensor<?x4x8x16xf32>{{$}}
// CHECK-NEXT:    return %[[Y]], %[[S]]
func.func @contract_all(%c: tensor<1x?x2x16xf16>, %x: tensor<1x?x4x8xf16>,
                        %s0: tensor<?x4x8x16xf32>, %cu: tensor<?xi32>)
    -> (tensor<1x?x4x8xf16>, tensor<?x4x8x16xf32>) {
  %m = sma.mask.causal
  %y, %s = sma.contract C(%c : tensor<1x?x2x16xf16>) B(%c : tensor<1x?x2x16xf16>)
      X(%x : tensor<1x?x4x8xf16>) mask(%m) init(%s0 : tensor<?x4x8x16xf32>)
      seqs(%cu : tensor<?xi32>) {form = #sma.form<chunked, 32>}
      -> tensor<1x?x4x8xf16>, tensor<?x4x8x16xf32>
  return %y, %s : tensor<1x?x4x8xf16>, tensor<?x4x8x16xf32>
}

// Masks without a state recurrence, quadratic, with their operands.
// CHECK-LABEL: func.func @contract_custom(
// CHECK-SAME:      %[[C:.*]]: tensor<?x?x8x64xbf16>, %[[X:.*]]: tensor<?x?x8x64xbf16>, %[[P:.*]]: tensor<?x?x8xf32>)
// CHECK-NEXT:    %[[M:.*]] = sma.mask.custom causal(%[[P]] : tensor<?x?x8xf32>) {
// CHECK-NEXT:    ^bb0(%{{.*}}: index, %{{.*}}: index, %{{.*}}: index, %[[PT:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      sma.yield %[[PT]] : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[W:.*]] = sma.mask.window 128
// CHECK-NEXT:    %[[MW:.*]] = sma.mask.mul %[[M]], %[[W]]
// CHECK-NEXT:    %[[Y:.*]] = sma.contract C(%[[C]] : tensor<?x?x8x64xbf16>) B(%[[C]] : tensor<?x?x8x64xbf16>) X(%[[X]] : tensor<?x?x8x64xbf16>) mask(%[[MW]]) -> tensor<?x?x8x64xbf16>{{$}}
// CHECK-NEXT:    return %[[Y]]
func.func @contract_custom(%c: tensor<?x?x8x64xbf16>, %x: tensor<?x?x8x64xbf16>,
                           %p: tensor<?x?x8xf32>) -> tensor<?x?x8x64xbf16> {
  %m = sma.mask.custom causal (%p : tensor<?x?x8xf32>) {
  ^bb0(%t: index, %s: index, %h: index, %pt: f32, %ps: f32):
    sma.yield %pt : f32
  }
  %w = sma.mask.window 128
  %mw = sma.mask.mul %m, %w
  %y = sma.contract C(%c : tensor<?x?x8x64xbf16>) B(%c : tensor<?x?x8x64xbf16>)
      X(%x : tensor<?x?x8x64xbf16>) mask(%mw) -> tensor<?x?x8x64xbf16>
  return %y : tensor<?x?x8x64xbf16>
}

//===----------------------------------------------------------------------===//
// sma.ssd
//===----------------------------------------------------------------------===//

// No optional operand or attribute.
// CHECK-LABEL: func.func @ssd_minimal(
// CHECK-SAME:      %[[X:.*]]: tensor<2x64x4x8xf32>, %[[DT:.*]]: tensor<2x64x4xf32>, %[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<2x64x1x16xf32>, %[[C:.*]]: tensor<2x64x1x16xf32>)
// CHECK-NEXT:    %[[Y:.*]] = sma.ssd x(%[[X]] : tensor<2x64x4x8xf32>) dt(%[[DT]] : tensor<2x64x4xf32>) A(%[[A]] : tensor<4xf32>) B(%[[B]] : tensor<2x64x1x16xf32>) C(%[[C]] : tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32>{{$}}
// CHECK-NEXT:    return %[[Y]]
func.func @ssd_minimal(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>,
                       %A: tensor<4xf32>, %b: tensor<2x64x1x16xf32>,
                       %c: tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32> {
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%c : tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// Each optional operand alone: D, z, dt_bias, init; then the final state
// alone and the unit and array attributes alone.
// CHECK-LABEL: func.func @ssd_each_optional(
// CHECK-SAME:      %[[X:.*]]: tensor<?x?x4x8xbf16>, %[[DT:.*]]: tensor<?x?x4xbf16>, %[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<?x?x2x16xbf16>, %[[V:.*]]: tensor<4xf32>, %[[S0:.*]]: tensor<?x4x8x16xf32>)
// CHECK-NEXT:    %[[Y1:.*]] = sma.ssd x(%[[X]] : tensor<?x?x4x8xbf16>) dt(%[[DT]] : tensor<?x?x4xbf16>) A(%[[A]] : tensor<4xf32>) B(%[[B]] : tensor<?x?x2x16xbf16>) C(%[[B]] : tensor<?x?x2x16xbf16>) D(%[[V]] : tensor<4xf32>) -> tensor<?x?x4x8xbf16>{{$}}
// CHECK-NEXT:    %[[Y2:.*]] = sma.ssd x(%[[X]] : tensor<?x?x4x8xbf16>) dt(%[[DT]] : tensor<?x?x4xbf16>) A(%[[A]] : tensor<4xf32>) B(%[[B]] : tensor<?x?x2x16xbf16>) C(%[[B]] : tensor<?x?x2x16xbf16>) z(%[[X]] : tensor<?x?x4x8xbf16>) -> tensor<?x?x4x8xbf16>{{$}}
// CHECK-NEXT:    %[[Y3:.*]] = sma.ssd x(%[[X]] : tensor<?x?x4x8xbf16>) dt(%[[DT]] : tensor<?x?x4xbf16>) A(%[[A]] : tensor<4xf32>) B(%[[B]] : tensor<?x?x2x16xbf16>) C(%[[B]] : tensor<?x?x2x16xbf16>) dt_bias(%[[V]] : tensor<4xf32>) -> tensor<?x?x4x8xbf16>{{$}}
// CHECK-NEXT:    %[[Y4:.*]] = sma.ssd x(%[[X]] : tensor<?x?x4x8xbf16>) dt(%[[DT]] : tensor<?x?x4xbf16>) A(%[[A]] : tensor<4xf32>) B(%[[B]] : tensor<?x?x2x16xbf16>) C(%[[B]] : tensor<?x?x2x16xbf16>) init(%[[S0]] : tensor<?x4x8x16xf32>) -> tensor<?x?x4x8xbf16>{{$}}
// CHECK-NEXT:    %[[Y5:.*]], %[[S5:.*]] = sma.ssd x(%[[X]] : tensor<?x?x4x8xbf16>) dt(%[[DT]] : tensor<?x?x4xbf16>) A(%[[A]] : tensor<4xf32>) B(%[[B]] : tensor<?x?x2x16xbf16>) C(%[[B]] : tensor<?x?x2x16xbf16>) -> tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>{{$}}
// CHECK-NEXT:    %[[Y6:.*]] = sma.ssd x(%[[X]] : tensor<?x?x4x8xbf16>) dt(%[[DT]] : tensor<?x?x4xbf16>) A(%[[A]] : tensor<4xf32>) B(%[[B]] : tensor<?x?x2x16xbf16>) C(%[[B]] : tensor<?x?x2x16xbf16>) {dt_softplus} -> tensor<?x?x4x8xbf16>{{$}}
// CHECK-NEXT:    %[[Y7:.*]] = sma.ssd x(%[[X]] : tensor<?x?x4x8xbf16>) dt(%[[DT]] : tensor<?x?x4xbf16>) A(%[[A]] : tensor<4xf32>) B(%[[B]] : tensor<?x?x2x16xbf16>) C(%[[B]] : tensor<?x?x2x16xbf16>) {dt_limit = array<f64: 1.000000e-03, 1.000000e-01>} -> tensor<?x?x4x8xbf16>{{$}}
// CHECK-NEXT:    %[[Y8:.*]] = sma.ssd x(%[[X]] : tensor<?x?x4x8xbf16>) dt(%[[DT]] : tensor<?x?x4xbf16>) A(%[[A]] : tensor<4xf32>) B(%[[B]] : tensor<?x?x2x16xbf16>) C(%[[B]] : tensor<?x?x2x16xbf16>) {form = #sma.form<linear>} -> tensor<?x?x4x8xbf16>{{$}}
// CHECK-NEXT:    return %[[Y1]], %[[Y2]], %[[Y3]], %[[Y4]], %[[Y5]], %[[S5]], %[[Y6]], %[[Y7]], %[[Y8]]
func.func @ssd_each_optional(%x: tensor<?x?x4x8xbf16>, %dt: tensor<?x?x4xbf16>,
                             %A: tensor<4xf32>, %b: tensor<?x?x2x16xbf16>,
                             %v: tensor<4xf32>, %s0: tensor<?x4x8x16xf32>)
    -> (tensor<?x?x4x8xbf16>, tensor<?x?x4x8xbf16>, tensor<?x?x4x8xbf16>,
        tensor<?x?x4x8xbf16>, tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>,
        tensor<?x?x4x8xbf16>, tensor<?x?x4x8xbf16>, tensor<?x?x4x8xbf16>) {
  %y1 = sma.ssd x(%x : tensor<?x?x4x8xbf16>) dt(%dt : tensor<?x?x4xbf16>)
      A(%A : tensor<4xf32>) B(%b : tensor<?x?x2x16xbf16>)
      C(%b : tensor<?x?x2x16xbf16>) D(%v : tensor<4xf32>) -> tensor<?x?x4x8xbf16>
  %y2 = sma.ssd x(%x : tensor<?x?x4x8xbf16>) dt(%dt : tensor<?x?x4xbf16>)
      A(%A : tensor<4xf32>) B(%b : tensor<?x?x2x16xbf16>)
      C(%b : tensor<?x?x2x16xbf16>) z(%x : tensor<?x?x4x8xbf16>)
      -> tensor<?x?x4x8xbf16>
  %y3 = sma.ssd x(%x : tensor<?x?x4x8xbf16>) dt(%dt : tensor<?x?x4xbf16>)
      A(%A : tensor<4xf32>) B(%b : tensor<?x?x2x16xbf16>)
      C(%b : tensor<?x?x2x16xbf16>) dt_bias(%v : tensor<4xf32>)
      -> tensor<?x?x4x8xbf16>
  %y4 = sma.ssd x(%x : tensor<?x?x4x8xbf16>) dt(%dt : tensor<?x?x4xbf16>)
      A(%A : tensor<4xf32>) B(%b : tensor<?x?x2x16xbf16>)
      C(%b : tensor<?x?x2x16xbf16>) init(%s0 : tensor<?x4x8x16xf32>)
      -> tensor<?x?x4x8xbf16>
  %y5, %s5 = sma.ssd x(%x : tensor<?x?x4x8xbf16>) dt(%dt : tensor<?x?x4xbf16>)
      A(%A : tensor<4xf32>) B(%b : tensor<?x?x2x16xbf16>)
      C(%b : tensor<?x?x2x16xbf16>) -> tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>
  %y6 = sma.ssd x(%x : tensor<?x?x4x8xbf16>) dt(%dt : tensor<?x?x4xbf16>)
      A(%A : tensor<4xf32>) B(%b : tensor<?x?x2x16xbf16>)
      C(%b : tensor<?x?x2x16xbf16>) {dt_softplus} -> tensor<?x?x4x8xbf16>
  %y7 = sma.ssd x(%x : tensor<?x?x4x8xbf16>) dt(%dt : tensor<?x?x4xbf16>)
      A(%A : tensor<4xf32>) B(%b : tensor<?x?x2x16xbf16>)
      C(%b : tensor<?x?x2x16xbf16>) {dt_limit = array<f64: 0.001, 0.1>}
      -> tensor<?x?x4x8xbf16>
  %y8 = sma.ssd x(%x : tensor<?x?x4x8xbf16>) dt(%dt : tensor<?x?x4xbf16>)
      A(%A : tensor<4xf32>) B(%b : tensor<?x?x2x16xbf16>)
      C(%b : tensor<?x?x2x16xbf16>) {form = #sma.form<linear>}
      -> tensor<?x?x4x8xbf16>
  return %y1, %y2, %y3, %y4, %y5, %s5, %y6, %y7, %y8
      : tensor<?x?x4x8xbf16>, tensor<?x?x4x8xbf16>, tensor<?x?x4x8xbf16>,
        tensor<?x?x4x8xbf16>, tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>,
        tensor<?x?x4x8xbf16>, tensor<?x?x4x8xbf16>, tensor<?x?x4x8xbf16>
}

// Packed sequences alone, with i64 offsets.
// CHECK-LABEL: func.func @ssd_seqs(
// CHECK:         sma.ssd x(%{{.*}} : tensor<1x?x4x8xf16>) dt(%{{.*}} : tensor<1x?x4xf32>) A(%{{.*}} : tensor<4xf32>) B(%{{.*}} : tensor<1x?x1x16xf16>) C(%{{.*}} : tensor<1x?x1x16xf16>) seqs(%{{.*}} : tensor<5xi64>) -> tensor<1x?x4x8xf16>{{$}}
func.func @ssd_seqs(%x: tensor<1x?x4x8xf16>, %dt: tensor<1x?x4xf32>,
                    %A: tensor<4xf32>, %b: tensor<1x?x1x16xf16>,
                    %cu: tensor<5xi64>) -> tensor<1x?x4x8xf16> {
  %y = sma.ssd x(%x : tensor<1x?x4x8xf16>) dt(%dt : tensor<1x?x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<1x?x1x16xf16>)
      C(%b : tensor<1x?x1x16xf16>) seqs(%cu : tensor<5xi64>)
      -> tensor<1x?x4x8xf16>
  return %y : tensor<1x?x4x8xf16>
}

// Everything: the Mamba-2 call with every option, printed in a fixed order
// whatever order the attributes were written in.
// CHECK-LABEL: func.func @ssd_all(
// CHECK-SAME:      %[[X:.*]]: tensor<1x?x80x64xbf16>, %[[DT:.*]]: tensor<1x?x80xbf16>, %[[A:.*]]: tensor<80xf32>, %[[B:.*]]: tensor<1x?x1x128xbf16>, %[[C:.*]]: tensor<1x?x1x128xbf16>, %[[D:.*]]: tensor<80xf32>, %[[Z:.*]]: tensor<1x?x80x64xbf16>, %[[DB:.*]]: tensor<80xf32>, %[[S0:.*]]: tensor<3x80x64x128xf32>, %[[CU:.*]]: tensor<4xi32>)
// CHECK-NEXT:    %[[Y:.*]], %[[S:.*]] = sma.ssd x(%[[X]] : tensor<1x?x80x64xbf16>) dt(%[[DT]] : tensor<1x?x80xbf16>) A(%[[A]] : tensor<80xf32>) B(%[[B]] : tensor<1x?x1x128xbf16>) C(%[[C]] : tensor<1x?x1x128xbf16>) D(%[[D]] : tensor<80xf32>) z(%[[Z]] : tensor<1x?x80x64xbf16>) dt_bias(%[[DB]] : tensor<80xf32>) init(%[[S0]] : tensor<3x80x64x128xf32>) seqs(%[[CU]] : tensor<4xi32>) {dt_limit = array<f64: 0.000000e+00, 1.000000e+02>, dt_softplus, form = #sma.form<chunked, 256>} -> tensor<1x?x80x64xbf16>, tensor<3x80x64x128xf32>{{$}}
// CHECK-NEXT:    return %[[Y]], %[[S]]
func.func @ssd_all(%x: tensor<1x?x80x64xbf16>, %dt: tensor<1x?x80xbf16>,
                   %A: tensor<80xf32>, %b: tensor<1x?x1x128xbf16>,
                   %c: tensor<1x?x1x128xbf16>, %D: tensor<80xf32>,
                   %z: tensor<1x?x80x64xbf16>, %db: tensor<80xf32>,
                   %s0: tensor<3x80x64x128xf32>, %cu: tensor<4xi32>)
    -> (tensor<1x?x80x64xbf16>, tensor<3x80x64x128xf32>) {
  %y, %s = sma.ssd x(%x : tensor<1x?x80x64xbf16>) dt(%dt : tensor<1x?x80xbf16>)
      A(%A : tensor<80xf32>) B(%b : tensor<1x?x1x128xbf16>)
      C(%c : tensor<1x?x1x128xbf16>) D(%D : tensor<80xf32>)
      z(%z : tensor<1x?x80x64xbf16>) dt_bias(%db : tensor<80xf32>)
      init(%s0 : tensor<3x80x64x128xf32>) seqs(%cu : tensor<4xi32>)
      {form = #sma.form<chunked, 256>, dt_softplus,
       dt_limit = array<f64: 0.0, 100.0>}
      -> tensor<1x?x80x64xbf16>, tensor<3x80x64x128xf32>
  return %y, %s : tensor<1x?x80x64xbf16>, tensor<3x80x64x128xf32>
}

// CHECK-LABEL: func.func @backward_blocks
// CHECK: %[[D:.*]] = sma.mask.decay
// CHECK: sma.mask.transpose %[[D]]
// CHECK: sma.expand_groups %{{.*}} : tensor<2x?x1x16xbf16> -> tensor<2x?x4x16xf32>
// CHECK: sma.sum_groups %{{.*}} : tensor<2x?x4x16xf32> -> tensor<2x?x1x16xbf16>
// CHECK: sma.transpose_state %{{.*}} : tensor<2x4x8x16xf32> -> tensor<2x4x16x8xf32>
// CHECK: sma.decay_grad dY(%{{.*}} : tensor<2x?x4x8xf32>) Y(%{{.*}} : tensor<2x?x4x8xf32>) X(%{{.*}} : tensor<2x?x4x8xf32>) dX(%{{.*}} : tensor<2x?x4x8xf32>) final(%{{.*}} : tensor<2x4x8x16xf32>) d_final(%{{.*}} : tensor<2x4x8x16xf32>) -> tensor<2x?x4xf32>
// CHECK: %[[R:.*]] = sma.dot_rows %{{.*}}, %{{.*}} : tensor<2x?x4x8xf32>, tensor<2x?x4x8xbf16> -> tensor<2x?x4xf32>
// CHECK: sma.sum_positions %[[R]] : tensor<2x?x4xf32> -> tensor<4xf32>
func.func @backward_blocks(%a: tensor<2x?x4xf32>, %b: tensor<2x?x1x16xbf16>,
    %y: tensor<2x?x4x8xf32>, %s: tensor<2x4x8x16xf32>) {
  %d = sma.mask.decay %a : tensor<2x?x4xf32>
  %t = sma.mask.transpose %d
  %e = sma.expand_groups %b : tensor<2x?x1x16xbf16> -> tensor<2x?x4x16xf32>
  %g = sma.sum_groups %e : tensor<2x?x4x16xf32> -> tensor<2x?x1x16xbf16>
  %st = sma.transpose_state %s : tensor<2x4x8x16xf32> -> tensor<2x4x16x8xf32>
  %da = sma.decay_grad dY(%y : tensor<2x?x4x8xf32>) Y(%y : tensor<2x?x4x8xf32>)
      X(%y : tensor<2x?x4x8xf32>) dX(%y : tensor<2x?x4x8xf32>)
      final(%s : tensor<2x4x8x16xf32>) d_final(%s : tensor<2x4x8x16xf32>)
      -> tensor<2x?x4xf32>
  %xb = arith.truncf %y : tensor<2x?x4x8xf32> to tensor<2x?x4x8xbf16>
  %r = sma.dot_rows %y, %xb : tensor<2x?x4x8xf32>, tensor<2x?x4x8xbf16> -> tensor<2x?x4xf32>
  %sp = sma.sum_positions %r : tensor<2x?x4xf32> -> tensor<4xf32>
  return
}
