// RUN: smc-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule of the sma dialect: ODS type constraints and
// traits, the op verifiers in SmaOps.cpp and MaskOps.cpp, FormAttr::verify.

//===----------------------------------------------------------------------===//
// sma.mask.fixed_decay
//===----------------------------------------------------------------------===//

func.func @fixed_decay_empty() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.fixed_decay' op expected at least one gamma value}}
  %m = sma.mask.fixed_decay []
  return %m : !sma.mask
}

// -----

func.func @fixed_decay_zero() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.fixed_decay' op gamma[1] must be in (0, 1], got 0.000000e+00}}
  %m = sma.mask.fixed_decay [0.5, 0.0]
  return %m : !sma.mask
}

// -----

func.func @fixed_decay_negative() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.fixed_decay' op gamma[0] must be in (0, 1], got -5.000000e-01}}
  %m = sma.mask.fixed_decay [-0.5]
  return %m : !sma.mask
}

// -----

func.func @fixed_decay_above_one() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.fixed_decay' op gamma[2] must be in (0, 1], got 1.000001e+00}}
  %m = sma.mask.fixed_decay [0.5, 1.0, 1.000001]
  return %m : !sma.mask
}

// -----

func.func @fixed_decay_nan() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.fixed_decay' op gamma[0] must be in (0, 1], got nan}}
  %m = sma.mask.fixed_decay [0x7FF8000000000000]
  return %m : !sma.mask
}

// -----

func.func @fixed_decay_integer() -> !sma.mask {
  // expected-error @+2 {{unexpected decimal integer literal for a floating point value}}
  // expected-note @+1 {{add a trailing dot to make the literal a float}}
  %m = sma.mask.fixed_decay [1]
  return %m : !sma.mask
}

// -----

//===----------------------------------------------------------------------===//
// sma.mask.decay
//===----------------------------------------------------------------------===//

func.func @decay_rank(%a: tensor<2x64xf32>) -> !sma.mask {
  // expected-error @+1 {{'sma.mask.decay' op operand #0 must be 3D tensor of 32-bit float values, but got 'tensor<2x64xf32>'}}
  %m = sma.mask.decay %a : tensor<2x64xf32>
  return %m : !sma.mask
}

// -----

func.func @decay_bf16(%a: tensor<2x64x4xbf16>) -> !sma.mask {
  // expected-error @+1 {{'sma.mask.decay' op operand #0 must be 3D tensor of 32-bit float values, but got 'tensor<2x64x4xbf16>'}}
  %m = sma.mask.decay %a : tensor<2x64x4xbf16>
  return %m : !sma.mask
}

// -----

//===----------------------------------------------------------------------===//
// sma.mask.window
//===----------------------------------------------------------------------===//

func.func @window_zero() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.window' op width must be at least 1, got 0}}
  %m = sma.mask.window 0
  return %m : !sma.mask
}

// -----

func.func @window_negative() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.window' op width must be at least 1, got -8}}
  %m = sma.mask.window -8
  return %m : !sma.mask
}

// -----

//===----------------------------------------------------------------------===//
// sma.mask.mul
//===----------------------------------------------------------------------===//

func.func @mul_not_a_mask(%a: tensor<2x64x4xf32>) -> !sma.mask {
  %c = sma.mask.causal
  // expected-note @-2 {{prior use here}}
  // expected-error @+1 {{use of value '%a' expects different type than prior uses: '!sma.mask' vs 'tensor<2x64x4xf32>'}}
  %m = sma.mask.mul %c, %a
  return %m : !sma.mask
}

// -----

//===----------------------------------------------------------------------===//
// sma.mask.custom and sma.yield
//===----------------------------------------------------------------------===//

func.func @custom_too_few_args() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.custom' op region: expected 3 block arguments (t, s, head, then a value at t and at s per operand), got 2}}
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index):
    %one = arith.constant 1.0 : f32
    sma.yield %one : f32
  }
  return %m : !sma.mask
}

// -----

func.func @custom_args_without_operand_values(%p: tensor<?x?x4xf32>) -> !sma.mask {
  // expected-error @+1 {{'sma.mask.custom' op region: expected 5 block arguments (t, s, head, then a value at t and at s per operand), got 3}}
  %m = sma.mask.custom causal (%p : tensor<?x?x4xf32>) {
  ^bb0(%t: index, %s: index, %h: index):
    %one = arith.constant 1.0 : f32
    sma.yield %one : f32
  }
  return %m : !sma.mask
}

// -----

func.func @custom_position_arg_type() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.custom' op region: block argument 1 must be 'index', got 'i64'}}
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: i64, %h: index):
    %one = arith.constant 1.0 : f32
    sma.yield %one : f32
  }
  return %m : !sma.mask
}

// -----

func.func @custom_operand_arg_type(%p: tensor<?x?x4xf32>) -> !sma.mask {
  // expected-error @+1 {{'sma.mask.custom' op region: block argument 4 must be 'f32', got 'f64'}}
  %m = sma.mask.custom (%p : tensor<?x?x4xf32>) {
  ^bb0(%t: index, %s: index, %h: index, %pt: f32, %ps: f64):
    sma.yield %pt : f32
  }
  return %m : !sma.mask
}

// -----

func.func @custom_operand_type(%p: tensor<?x?x4xf16>) -> !sma.mask {
  // expected-error @+1 {{'sma.mask.custom' op operand #0 must be variadic of 3D tensor of 32-bit float values, but got 'tensor<?x?x4xf16>'}}
  %m = sma.mask.custom (%p : tensor<?x?x4xf16>) {
  ^bb0(%t: index, %s: index, %h: index, %pt: f32, %ps: f32):
    sma.yield %pt : f32
  }
  return %m : !sma.mask
}

// -----

func.func @custom_yield_type() -> !sma.mask {
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %h: index):
    %one = arith.constant 1.0 : f64
    // expected-error @+1 {{'sma.yield' op operand #0 must be 32-bit float, but got 'f64'}}
    sma.yield %one : f64
  }
  return %m : !sma.mask
}

// -----

func.func @custom_other_terminator() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.custom' op region: expected an 'sma.yield' terminator}}
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %h: index):
    ub.unreachable
  }
  return %m : !sma.mask
}

// -----

func.func @custom_no_terminator() -> !sma.mask {
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %h: index):
    // expected-error @+1 {{block with no terminator}}
    %one = arith.constant 1.0 : f32
  }
  return %m : !sma.mask
}

// -----

func.func @custom_empty_region() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.custom' op expects a non-empty block}}
  %m = sma.mask.custom {
  }
  return %m : !sma.mask
}

// -----

func.func @custom_two_blocks() -> !sma.mask {
  // expected-error @+1 {{'sma.mask.custom' op expects region #0 to have 0 or 1 blocks}}
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %h: index):
    cf.br ^bb1
  ^bb1:
    %one = arith.constant 1.0 : f32
    sma.yield %one : f32
  }
  return %m : !sma.mask
}

// -----

func.func @yield_outside_custom(%v: f32) {
  // expected-error @+1 {{'sma.yield' op expects parent op 'sma.mask.custom'}}
  sma.yield %v : f32
}

// -----

//===----------------------------------------------------------------------===//
// #sma.form and #sma.form_kind
//===----------------------------------------------------------------------===//

// expected-error @+1 {{only the chunked form takes a chunk size, got 64 on 'linear'}}
func.func @form_linear_chunk() attributes {form = #sma.form<linear, 64>} {
  return
}

// -----

// expected-error @+1 {{only the chunked form takes a chunk size, got 16 on 'quadratic'}}
func.func @form_quadratic_chunk() attributes {form = #sma.form<quadratic, 16>} {
  return
}

// -----

// expected-error @+1 {{chunk size must be positive (or 0 to let form selection choose), got -1}}
func.func @form_negative_chunk() attributes {form = #sma.form<chunked, -1>} {
  return
}

// -----

// expected-error @+2 {{expected one of [linear, quadratic, chunked] for dual form of a contraction, got: recurrent}}
// expected-error @+1 {{failed to parse Sma_FormAttr parameter 'kind' which is to be a `FormKind`}}
func.func @form_unknown_kind() attributes {form = #sma.form<recurrent>} {
  return
}

// -----

// expected-error @+2 {{expected ::smc::sma::FormKind to be one of: linear, quadratic, chunked}}
// expected-error @+1 {{failed to parse Sma_FormKindAttr parameter 'value' which is to be a `::smc::sma::FormKind`}}
func.func @form_kind_unknown() attributes {kind = #sma.form_kind<ssd>} {
  return
}

// -----

//===----------------------------------------------------------------------===//
// sma.contract: types (ODS constraints and traits)
//===----------------------------------------------------------------------===//

func.func @contract_rank(%c: tensor<64x1x16xf32>, %b: tensor<2x64x1x16xf32>,
                         %x: tensor<2x64x4x8xf32>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op operand #0 must be 4D tensor of bfloat16 type or 16-bit float or 32-bit float values, but got 'tensor<64x1x16xf32>'}}
  %y = sma.contract C(%c : tensor<64x1x16xf32>) B(%b : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_int_data(%c: tensor<2x64x1x16xf32>,
                             %x: tensor<2x64x4x8xi32>) -> tensor<2x64x4x8xi32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op operand #2 must be 4D tensor of bfloat16 type or 16-bit float or 32-bit float values, but got 'tensor<2x64x4x8xi32>'}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xi32>) mask(%m) -> tensor<2x64x4x8xi32>
  return %y : tensor<2x64x4x8xi32>
}

// -----

func.func @contract_f64_data(%c: tensor<2x64x1x16xf64>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op operand #0 must be 4D tensor of bfloat16 type or 16-bit float or 32-bit float values, but got 'tensor<2x64x1x16xf64>'}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf64>) B(%c : tensor<2x64x1x16xf64>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_cb_element_types(%c: tensor<2x64x1x16xf32>,
                                     %b: tensor<2x64x1x16xbf16>,
                                     %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op failed to verify that all of {C, B} have same element type}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%b : tensor<2x64x1x16xbf16>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_result_int(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xi32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op result #0 must be 4D tensor of bfloat16 type or 16-bit float or 32-bit float values, but got 'tensor<2x64x4x8xi32>'}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xi32>
  return %y : tensor<2x64x4x8xi32>
}

// -----

func.func @contract_init_f16(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                             %s0: tensor<2x4x8x16xf16>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op operand #4 must be 4D tensor of 32-bit float values, but got 'tensor<2x4x8x16xf16>'}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) init(%s0 : tensor<2x4x8x16xf16>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_final_bf16(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> (tensor<2x64x4x8xf32>, tensor<2x4x8x16xbf16>) {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op result #1 must be 4D tensor of 32-bit float values, but got 'tensor<2x4x8x16xbf16>'}}
  %y, %s = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m)
      -> tensor<2x64x4x8xf32>, tensor<2x4x8x16xbf16>
  return %y, %s : tensor<2x64x4x8xf32>, tensor<2x4x8x16xbf16>
}

// -----

func.func @contract_seqs_float(%c: tensor<1x64x1x16xf32>, %x: tensor<1x64x4x8xf32>,
                               %cu: tensor<3xf32>) -> tensor<1x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op operand #4 must be 1D tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<3xf32>'}}
  %y = sma.contract C(%c : tensor<1x64x1x16xf32>) B(%c : tensor<1x64x1x16xf32>)
      X(%x : tensor<1x64x4x8xf32>) mask(%m) seqs(%cu : tensor<3xf32>)
      -> tensor<1x64x4x8xf32>
  return %y : tensor<1x64x4x8xf32>
}

// -----

func.func @contract_seqs_rank(%c: tensor<1x64x1x16xf32>, %x: tensor<1x64x4x8xf32>,
                              %cu: tensor<1x3xi32>) -> tensor<1x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op operand #4 must be 1D tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<1x3xi32>'}}
  %y = sma.contract C(%c : tensor<1x64x1x16xf32>) B(%c : tensor<1x64x1x16xf32>)
      X(%x : tensor<1x64x4x8xf32>) mask(%m) seqs(%cu : tensor<1x3xi32>)
      -> tensor<1x64x4x8xf32>
  return %y : tensor<1x64x4x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// sma.contract: shapes
//===----------------------------------------------------------------------===//

func.func @contract_c_b_shapes(%c: tensor<2x64x1x32xf32>, %b: tensor<2x64x1x16xf32>,
                               %x: tensor<2x64x4x8xf32>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op C: expected shape [b, T, g, n] of B = [2, 64, 1, 16], got [2, 64, 1, 32]}}
  %y = sma.contract C(%c : tensor<2x64x1x32xf32>) B(%b : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_batch(%c: tensor<3x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op B and X must agree on batch and sequence length: B is [3, 64, 1, 16], X is [2, 64, 4, 8]}}
  %y = sma.contract C(%c : tensor<3x64x1x16xf32>) B(%c : tensor<3x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_length(%c: tensor<?x32x1x16xf32>, %x: tensor<?x64x4x8xf32>)
    -> tensor<?x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op B and X must agree on batch and sequence length: B is [?, 32, 1, 16], X is [?, 64, 4, 8]}}
  %y = sma.contract C(%c : tensor<?x32x1x16xf32>) B(%c : tensor<?x32x1x16xf32>)
      X(%x : tensor<?x64x4x8xf32>) mask(%m) -> tensor<?x64x4x8xf32>
  return %y : tensor<?x64x4x8xf32>
}

// -----

func.func @contract_dynamic_heads(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x?x8xf32>)
    -> tensor<2x64x?x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op heads (dim 2 of X) and groups (dim 2 of B) must be static}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x?x8xf32>) mask(%m) -> tensor<2x64x?x8xf32>
  return %y : tensor<2x64x?x8xf32>
}

// -----

func.func @contract_dynamic_groups(%c: tensor<2x64x?x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op heads (dim 2 of X) and groups (dim 2 of B) must be static}}
  %y = sma.contract C(%c : tensor<2x64x?x16xf32>) B(%c : tensor<2x64x?x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_dynamic_p(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x?xf32>)
    -> tensor<2x64x4x?xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op head dim p (dim 3 of X) and state dim n (dim 3 of B) must be static}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x?xf32>) mask(%m) -> tensor<2x64x4x?xf32>
  return %y : tensor<2x64x4x?xf32>
}

// -----

func.func @contract_dynamic_n(%c: tensor<2x64x1x?xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op head dim p (dim 3 of X) and state dim n (dim 3 of B) must be static}}
  %y = sma.contract C(%c : tensor<2x64x1x?xf32>) B(%c : tensor<2x64x1x?xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_heads_groups(%c: tensor<2x64x3x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op heads (4) must be a multiple of groups (3)}}
  %y = sma.contract C(%c : tensor<2x64x3x16xf32>) B(%c : tensor<2x64x3x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_zero_groups(%c: tensor<2x64x0x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op heads (4) must be a multiple of groups (0)}}
  %y = sma.contract C(%c : tensor<2x64x0x16xf32>) B(%c : tensor<2x64x0x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_y_shape(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x16xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op result y: expected type 'tensor<2x64x4x8xf32>' (the type of X), got 'tensor<2x64x4x16xf32>'}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x16xf32>
  return %y : tensor<2x64x4x16xf32>
}

// -----

func.func @contract_y_element(%c: tensor<2x64x1x16xbf16>, %x: tensor<2x64x4x8xbf16>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op result y: expected type 'tensor<2x64x4x8xbf16>' (the type of X), got 'tensor<2x64x4x8xf32>'}}
  %y = sma.contract C(%c : tensor<2x64x1x16xbf16>) B(%c : tensor<2x64x1x16xbf16>)
      X(%x : tensor<2x64x4x8xbf16>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

// A result type may not be more or less static than X.
func.func @contract_y_dynamic(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<?x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op result y: expected type 'tensor<2x64x4x8xf32>' (the type of X), got 'tensor<?x64x4x8xf32>'}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<?x64x4x8xf32>
  return %y : tensor<?x64x4x8xf32>
}

// -----

func.func @contract_init_heads(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                               %s0: tensor<2x2x8x16xf32>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op initial state: expected shape [S, h, p, n] = [2, 4, 8, 16], got [2, 2, 8, 16]}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) init(%s0 : tensor<2x2x8x16xf32>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_init_batch(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                               %s0: tensor<1x4x8x16xf32>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op initial state: expected shape [S, h, p, n] = [2, 4, 8, 16], got [1, 4, 8, 16]}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) init(%s0 : tensor<1x4x8x16xf32>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

// p and n swapped: the state is [S, h, p, n].
func.func @contract_init_transposed(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                                    %s0: tensor<2x4x16x8xf32>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op initial state: expected shape [S, h, p, n] = [2, 4, 8, 16], got [2, 4, 16, 8]}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) init(%s0 : tensor<2x4x16x8xf32>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_final_shape(%c: tensor<?x64x1x16xf32>, %x: tensor<?x64x4x8xf32>)
    -> (tensor<?x64x4x8xf32>, tensor<?x4x8x32xf32>) {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op final state: expected shape [S, h, p, n] = [?, 4, 8, 16], got [?, 4, 8, 32]}}
  %y, %s = sma.contract C(%c : tensor<?x64x1x16xf32>) B(%c : tensor<?x64x1x16xf32>)
      X(%x : tensor<?x64x4x8xf32>) mask(%m)
      -> tensor<?x64x4x8xf32>, tensor<?x4x8x32xf32>
  return %y, %s : tensor<?x64x4x8xf32>, tensor<?x4x8x32xf32>
}

// -----

func.func @contract_init_final_types(%c: tensor<?x64x1x16xf32>, %x: tensor<?x64x4x8xf32>,
                                     %s0: tensor<?x4x8x16xf32>)
    -> (tensor<?x64x4x8xf32>, tensor<2x4x8x16xf32>) {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op final state: expected type 'tensor<?x4x8x16xf32>' (the initial state's), got 'tensor<2x4x8x16xf32>'}}
  %y, %s = sma.contract C(%c : tensor<?x64x1x16xf32>) B(%c : tensor<?x64x1x16xf32>)
      X(%x : tensor<?x64x4x8xf32>) mask(%m) init(%s0 : tensor<?x4x8x16xf32>)
      -> tensor<?x64x4x8xf32>, tensor<2x4x8x16xf32>
  return %y, %s : tensor<?x64x4x8xf32>, tensor<2x4x8x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// sma.contract: packed sequences
//===----------------------------------------------------------------------===//

func.func @contract_seqs_batch(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                               %cu: tensor<3xi32>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op packed sequences (seqs) need batch 1, got batch 2}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) seqs(%cu : tensor<3xi32>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_seqs_one_offset(%c: tensor<1x64x1x16xf32>, %x: tensor<1x64x4x8xf32>,
                                    %cu: tensor<1xi64>) -> tensor<1x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op cu_seqlens: expected at least 2 offsets, got 1}}
  %y = sma.contract C(%c : tensor<1x64x1x16xf32>) B(%c : tensor<1x64x1x16xf32>)
      X(%x : tensor<1x64x4x8xf32>) mask(%m) seqs(%cu : tensor<1xi64>)
      -> tensor<1x64x4x8xf32>
  return %y : tensor<1x64x4x8xf32>
}

// -----

func.func @contract_seqs_no_offset(%c: tensor<1x64x1x16xf32>, %x: tensor<1x64x4x8xf32>,
                                   %cu: tensor<0xi32>) -> tensor<1x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op cu_seqlens: expected at least 2 offsets, got 0}}
  %y = sma.contract C(%c : tensor<1x64x1x16xf32>) B(%c : tensor<1x64x1x16xf32>)
      X(%x : tensor<1x64x4x8xf32>) mask(%m) seqs(%cu : tensor<0xi32>)
      -> tensor<1x64x4x8xf32>
  return %y : tensor<1x64x4x8xf32>
}

// -----

// With cu_seqlens the states have one row per sequence: S = 4 - 1.
func.func @contract_seqs_init(%c: tensor<1x64x1x16xf32>, %x: tensor<1x64x4x8xf32>,
                              %s0: tensor<1x4x8x16xf32>, %cu: tensor<4xi32>)
    -> tensor<1x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op initial state: expected shape [S, h, p, n] = [3, 4, 8, 16], got [1, 4, 8, 16]}}
  %y = sma.contract C(%c : tensor<1x64x1x16xf32>) B(%c : tensor<1x64x1x16xf32>)
      X(%x : tensor<1x64x4x8xf32>) mask(%m) init(%s0 : tensor<1x4x8x16xf32>)
      seqs(%cu : tensor<4xi32>) -> tensor<1x64x4x8xf32>
  return %y : tensor<1x64x4x8xf32>
}

// -----

func.func @contract_seqs_final(%c: tensor<1x64x1x16xf32>, %x: tensor<1x64x4x8xf32>,
                               %cu: tensor<3xi64>)
    -> (tensor<1x64x4x8xf32>, tensor<3x4x8x16xf32>) {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op final state: expected shape [S, h, p, n] = [2, 4, 8, 16], got [3, 4, 8, 16]}}
  %y, %s = sma.contract C(%c : tensor<1x64x1x16xf32>) B(%c : tensor<1x64x1x16xf32>)
      X(%x : tensor<1x64x4x8xf32>) mask(%m) seqs(%cu : tensor<3xi64>)
      -> tensor<1x64x4x8xf32>, tensor<3x4x8x16xf32>
  return %y, %s : tensor<1x64x4x8xf32>, tensor<3x4x8x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// sma.contract: the mask operand
//===----------------------------------------------------------------------===//

func.func @contract_mask_block_arg(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                                   %m: !sma.mask) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.contract' op mask operand must be defined by an sma.mask op}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_mask_select(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                                %cond: i1) -> tensor<2x64x4x8xf32> {
  %m1 = sma.mask.causal
  %m2 = sma.mask.window 4
  %m = arith.select %cond, %m1, %m2 : !sma.mask
  // expected-error @+1 {{'sma.contract' op mask operand must be defined by an sma.mask op}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_mul_block_arg(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                                  %arg: !sma.mask) -> tensor<2x64x4x8xf32> {
  %causal = sma.mask.causal
  // expected-error @+1 {{'sma.mask.mul' op operand #1 must be defined by an sma.mask op}}
  %m = sma.mask.mul %causal, %arg
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_form_not_a_form(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.causal
  // expected-error @+2 {{'sma.contract' op attribute 'form' failed to satisfy constraint: The dual form of a contraction, with its chunk size}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) {form = "chunked"}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// sma.ssd: types (ODS constraints and traits)
//===----------------------------------------------------------------------===//

func.func @ssd_x_int(%x: tensor<2x64x4x8xi32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                     %b: tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xi32> {
  // expected-error @+1 {{'sma.ssd' op operand #0 must be 4D tensor of bfloat16 type or 16-bit float or 32-bit float values, but got 'tensor<2x64x4x8xi32>'}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xi32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xi32>
  return %y : tensor<2x64x4x8xi32>
}

// -----

func.func @ssd_dt_rank(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4x1xf32>, %A: tensor<4xf32>,
                       %b: tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op operand #1 must be 3D tensor of bfloat16 type or 16-bit float or 32-bit float values, but got 'tensor<2x64x4x1xf32>'}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4x1xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_dt_int(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xi32>, %A: tensor<4xf32>,
                      %b: tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op operand #1 must be 3D tensor of bfloat16 type or 16-bit float or 32-bit float values, but got 'tensor<2x64x4xi32>'}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xi32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_A_bf16(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xbf16>,
                      %b: tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op operand #2 must be 1D tensor of 32-bit float values, but got 'tensor<4xbf16>'}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xbf16>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_D_rank(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                      %b: tensor<2x64x1x16xf32>, %D: tensor<4x8xf32>) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op operand #5 must be 1D tensor of 32-bit float values, but got 'tensor<4x8xf32>'}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) D(%D : tensor<4x8xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_x_b_element_types(%x: tensor<2x64x4x8xbf16>, %dt: tensor<2x64x4xf32>,
                                 %A: tensor<4xf32>, %b: tensor<2x64x1x16xf32>)
    -> tensor<2x64x4x8xbf16> {
  // expected-error @+1 {{'sma.ssd' op failed to verify that all of {x, B, C, y} have same element type}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xbf16>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xbf16>
  return %y : tensor<2x64x4x8xbf16>
}

// -----

func.func @ssd_y_element_type(%x: tensor<2x64x4x8xbf16>, %dt: tensor<2x64x4xf32>,
                              %A: tensor<4xf32>, %b: tensor<2x64x1x16xbf16>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op failed to verify that all of {x, B, C, y} have same element type}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xbf16>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xbf16>)
      C(%b : tensor<2x64x1x16xbf16>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_init_bf16(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                         %b: tensor<2x64x1x16xf32>, %s0: tensor<2x4x8x16xbf16>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op operand #5 must be 4D tensor of 32-bit float values, but got 'tensor<2x4x8x16xbf16>'}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) init(%s0 : tensor<2x4x8x16xbf16>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_dt_limit_type(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>,
                             %A: tensor<4xf32>, %b: tensor<2x64x1x16xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+3 {{'sma.ssd' op attribute 'dt_limit' failed to satisfy constraint: f64 dense array attribute}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) {dt_limit = array<f32: 0.0, 1.0>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// sma.ssd: shapes
//===----------------------------------------------------------------------===//

func.func @ssd_dt_shape(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x8xf32>, %A: tensor<4xf32>,
                        %b: tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op dt: expected shape [b, T, h] = [2, 64, 4], got [2, 64, 8]}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x8xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_dt_length(%x: tensor<?x32x4x8xf32>, %dt: tensor<?x16x4xf32>, %A: tensor<4xf32>,
                         %b: tensor<?x?x1x16xf32>) -> tensor<?x32x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op dt: expected shape [b, T, h] = [?, 32, 4], got [?, 16, 4]}}
  %y = sma.ssd x(%x : tensor<?x32x4x8xf32>) dt(%dt : tensor<?x16x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<?x?x1x16xf32>)
      C(%b : tensor<?x?x1x16xf32>) -> tensor<?x32x4x8xf32>
  return %y : tensor<?x32x4x8xf32>
}

// -----

func.func @ssd_c_b_shapes(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                          %b: tensor<2x64x1x16xf32>, %c: tensor<2x64x2x16xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op C: expected shape [b, T, g, n] of B = [2, 64, 1, 16], got [2, 64, 2, 16]}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%c : tensor<2x64x2x16xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_b_x_length(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                          %b: tensor<2x65x1x16xf32>) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op B and x must agree on batch and sequence length: B is [2, 65, 1, 16], x is [2, 64, 4, 8]}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x65x1x16xf32>)
      C(%b : tensor<2x65x1x16xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_dynamic_heads(%x: tensor<2x64x?x8xf32>, %dt: tensor<2x64x?xf32>, %A: tensor<?xf32>,
                             %b: tensor<2x64x1x16xf32>) -> tensor<2x64x?x8xf32> {
  // expected-error @+1 {{'sma.ssd' op heads (dim 2 of x) and groups (dim 2 of B) must be static}}
  %y = sma.ssd x(%x : tensor<2x64x?x8xf32>) dt(%dt : tensor<2x64x?xf32>)
      A(%A : tensor<?xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) -> tensor<2x64x?x8xf32>
  return %y : tensor<2x64x?x8xf32>
}

// -----

func.func @ssd_dynamic_n(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                         %b: tensor<2x64x1x?xf32>) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op head dim p (dim 3 of x) and state dim n (dim 3 of B) must be static}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x?xf32>)
      C(%b : tensor<2x64x1x?xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_heads_groups(%x: tensor<2x64x6x8xf32>, %dt: tensor<2x64x6xf32>, %A: tensor<6xf32>,
                            %b: tensor<2x64x4x16xf32>) -> tensor<2x64x6x8xf32> {
  // expected-error @+1 {{'sma.ssd' op heads (6) must be a multiple of groups (4)}}
  %y = sma.ssd x(%x : tensor<2x64x6x8xf32>) dt(%dt : tensor<2x64x6xf32>)
      A(%A : tensor<6xf32>) B(%b : tensor<2x64x4x16xf32>)
      C(%b : tensor<2x64x4x16xf32>) -> tensor<2x64x6x8xf32>
  return %y : tensor<2x64x6x8xf32>
}

// -----

func.func @ssd_y_shape(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                       %b: tensor<2x64x1x16xf32>) -> tensor<2x64x4x16xf32> {
  // expected-error @+1 {{'sma.ssd' op result y: expected type 'tensor<2x64x4x8xf32>' (the type of x), got 'tensor<2x64x4x16xf32>'}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) -> tensor<2x64x4x16xf32>
  return %y : tensor<2x64x4x16xf32>
}

// -----

func.func @ssd_A_shape(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<8xf32>,
                       %b: tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op A: expected shape [h] = [4], got [8]}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<8xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_D_shape(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                       %b: tensor<2x64x1x16xf32>, %D: tensor<1xf32>) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op D: expected shape [h] = [4], got [1]}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) D(%D : tensor<1xf32>) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_dt_bias_shape(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                             %b: tensor<2x64x1x16xf32>, %db: tensor<5xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op dt_bias: expected shape [h] = [4], got [5]}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) dt_bias(%db : tensor<5xf32>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_z_shape(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                       %b: tensor<2x64x1x16xf32>, %z: tensor<2x64x4x16xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op z: expected type 'tensor<2x64x4x8xf32>' (the type of x), got 'tensor<2x64x4x16xf32>'}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) z(%z : tensor<2x64x4x16xf32>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_z_element_type(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>,
                              %A: tensor<4xf32>, %b: tensor<2x64x1x16xf32>,
                              %z: tensor<2x64x4x8xbf16>) -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op z: expected type 'tensor<2x64x4x8xf32>' (the type of x), got 'tensor<2x64x4x8xbf16>'}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) z(%z : tensor<2x64x4x8xbf16>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_init_shape(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>, %A: tensor<4xf32>,
                          %b: tensor<2x64x1x16xf32>, %s0: tensor<2x4x8x8xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op initial state: expected shape [S, h, p, n] = [2, 4, 8, 16], got [2, 4, 8, 8]}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) init(%s0 : tensor<2x4x8x8xf32>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_init_final_types(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>,
                                %A: tensor<4xf32>, %b: tensor<2x64x1x16xf32>,
                                %s0: tensor<2x4x8x16xf32>)
    -> (tensor<2x64x4x8xf32>, tensor<?x4x8x16xf32>) {
  // expected-error @+1 {{'sma.ssd' op final state: expected type 'tensor<2x4x8x16xf32>' (the initial state's), got 'tensor<?x4x8x16xf32>'}}
  %y, %s = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) init(%s0 : tensor<2x4x8x16xf32>)
      -> tensor<2x64x4x8xf32>, tensor<?x4x8x16xf32>
  return %y, %s : tensor<2x64x4x8xf32>, tensor<?x4x8x16xf32>
}

// -----

func.func @ssd_seqs_batch(%x: tensor<4x64x4x8xf32>, %dt: tensor<4x64x4xf32>, %A: tensor<4xf32>,
                          %b: tensor<4x64x1x16xf32>, %cu: tensor<5xi32>)
    -> tensor<4x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op packed sequences (seqs) need batch 1, got batch 4}}
  %y = sma.ssd x(%x : tensor<4x64x4x8xf32>) dt(%dt : tensor<4x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<4x64x1x16xf32>)
      C(%b : tensor<4x64x1x16xf32>) seqs(%cu : tensor<5xi32>)
      -> tensor<4x64x4x8xf32>
  return %y : tensor<4x64x4x8xf32>
}

// -----

func.func @ssd_seqs_one_offset(%x: tensor<1x64x4x8xf32>, %dt: tensor<1x64x4xf32>,
                               %A: tensor<4xf32>, %b: tensor<1x64x1x16xf32>,
                               %cu: tensor<1xi32>) -> tensor<1x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op cu_seqlens: expected at least 2 offsets, got 1}}
  %y = sma.ssd x(%x : tensor<1x64x4x8xf32>) dt(%dt : tensor<1x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<1x64x1x16xf32>)
      C(%b : tensor<1x64x1x16xf32>) seqs(%cu : tensor<1xi32>)
      -> tensor<1x64x4x8xf32>
  return %y : tensor<1x64x4x8xf32>
}

// -----

func.func @ssd_seqs_final(%x: tensor<1x64x4x8xf32>, %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>,
                          %b: tensor<1x64x1x16xf32>, %cu: tensor<5xi32>)
    -> (tensor<1x64x4x8xf32>, tensor<1x4x8x16xf32>) {
  // expected-error @+1 {{'sma.ssd' op final state: expected shape [S, h, p, n] = [4, 4, 8, 16], got [1, 4, 8, 16]}}
  %y, %s = sma.ssd x(%x : tensor<1x64x4x8xf32>) dt(%dt : tensor<1x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<1x64x1x16xf32>)
      C(%b : tensor<1x64x1x16xf32>) seqs(%cu : tensor<5xi32>)
      -> tensor<1x64x4x8xf32>, tensor<1x4x8x16xf32>
  return %y, %s : tensor<1x64x4x8xf32>, tensor<1x4x8x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// sma.ssd: dt_limit
//===----------------------------------------------------------------------===//

func.func @ssd_dt_limit_size(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>,
                             %A: tensor<4xf32>, %b: tensor<2x64x1x16xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op dt_limit: expected 2 values [lo, hi], got 3}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) {dt_limit = array<f64: 0.0, 0.5, 1.0>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_dt_limit_one(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>,
                            %A: tensor<4xf32>, %b: tensor<2x64x1x16xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op dt_limit: expected 2 values [lo, hi], got 1}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) {dt_limit = array<f64: 1.0>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_dt_limit_order(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>,
                              %A: tensor<4xf32>, %b: tensor<2x64x1x16xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op dt_limit: expected 0 <= lo <= hi, got [1.000000e-01, 1.000000e-02]}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) {dt_limit = array<f64: 0.1, 0.01>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_dt_limit_negative(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>,
                                 %A: tensor<4xf32>, %b: tensor<2x64x1x16xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op dt_limit: expected 0 <= lo <= hi, got [-1.000000e+00, 1.000000e+00]}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) {dt_limit = array<f64: -1.0, 1.0>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @ssd_dt_limit_nan(%x: tensor<2x64x4x8xf32>, %dt: tensor<2x64x4xf32>,
                            %A: tensor<4xf32>, %b: tensor<2x64x1x16xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+1 {{'sma.ssd' op dt_limit: expected 0 <= lo <= hi, got [0.000000e+00, nan]}}
  %y = sma.ssd x(%x : tensor<2x64x4x8xf32>) dt(%dt : tensor<2x64x4xf32>)
      A(%A : tensor<4xf32>) B(%b : tensor<2x64x1x16xf32>)
      C(%b : tensor<2x64x1x16xf32>) {dt_limit = array<f64: 0.0, 0x7FF8000000000000>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

// A custom mask's region is isolated: it sees only t, s, the head and its
// operands' values, never values from outside.
func.func @custom_uses_outside_value(%v: f32) -> !sma.mask {
  // expected-note @+1 {{required by region isolation constraints}}
  %m = sma.mask.custom causal {
  ^bb0(%t: index, %s: index, %h: index):
    // expected-error @+1 {{using value defined outside the region}}
    sma.yield %v : f32
  }
  return %m : !sma.mask
}

// -----

// A product of itself: the verifiers stay local (they never walk into a
// mask's parts), so this is MLIR's dominance error, not an endless recursion.
func.func @mul_of_itself(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  // expected-error @+2 {{operand #0 does not dominate this use}}
  // expected-note @+1 {{operand defined here (op in the same block)}}
  %m = sma.mask.mul %m, %m
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @transpose_of_itself() {
  // expected-error @+2 {{operand #0 does not dominate this use}}
  // expected-note @+1 {{operand defined here (op in the same block)}}
  %m = sma.mask.transpose %m
  return
}

// -----

func.func @expand_groups_fewer(%b: tensor<2x8x4x16xf32>) {
  // expected-error @+1 {{'sma.expand_groups' op result: expected at least as many heads as groups}}
  %e = sma.expand_groups %b : tensor<2x8x4x16xf32> -> tensor<2x8x2x16xf32>
  return
}

// -----

func.func @expand_groups_multiple(%b: tensor<2x8x2x16xf32>) {
  // expected-error @+1 {{'sma.expand_groups' op heads (3) must be a multiple of groups (2)}}
  %e = sma.expand_groups %b : tensor<2x8x2x16xf32> -> tensor<2x8x3x16xf32>
  return
}

// -----

func.func @sum_groups_dims(%b: tensor<2x8x4x16xf32>) {
  // expected-error @+1 {{'sma.sum_groups' op result: expected the source's dims but dim 2, got [2, 8, 1, 8] for a source of [2, 8, 4, 16]}}
  %e = sma.sum_groups %b : tensor<2x8x4x16xf32> -> tensor<2x8x1x8xf32>
  return
}

// -----

func.func @transpose_state_shape(%s: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{'sma.transpose_state' op result: expected shape [S, h, n, p] of the source's [S, h, p, n] = [2, 4, 16, 8], got [2, 4, 8, 16]}}
  %t = sma.transpose_state %s : tensor<2x4x8x16xf32> -> tensor<2x4x8x16xf32>
  return
}

// -----

func.func @decay_grad_final(%y: tensor<2x8x4x8xf32>, %f: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{'sma.decay_grad' op final and d_final come together}}
  %d = sma.decay_grad dY(%y : tensor<2x8x4x8xf32>) Y(%y : tensor<2x8x4x8xf32>) X(%y : tensor<2x8x4x8xf32>) dX(%y : tensor<2x8x4x8xf32>) final(%f : tensor<2x4x8x16xf32>) -> tensor<2x8x4xf32>
  return
}

// -----

func.func @decay_grad_shape(%y: tensor<2x8x4x8xf32>, %x: tensor<2x8x4x4xf32>) {
  // expected-error @+1 {{'sma.decay_grad' op X: expected shape [b, T, h, p] of Y = [2, 8, 4, 8], got [2, 8, 4, 4]}}
  %d = sma.decay_grad dY(%y : tensor<2x8x4x8xf32>) Y(%y : tensor<2x8x4x8xf32>) X(%x : tensor<2x8x4x4xf32>) dX(%y : tensor<2x8x4x8xf32>) -> tensor<2x8x4xf32>
  return
}

// -----

func.func @dot_rows_shape(%a: tensor<2x8x4x8xf32>, %b: tensor<2x8x4x4xf32>) {
  // expected-error @+1 {{'sma.dot_rows' op rhs: expected shape [b, T, h, d] of lhs = [2, 8, 4, 8], got [2, 8, 4, 4]}}
  %r = sma.dot_rows %a, %b : tensor<2x8x4x8xf32>, tensor<2x8x4x4xf32> -> tensor<2x8x4xf32>
  return
}

// -----

func.func @dot_rows_result(%a: tensor<2x8x4x8xf32>) {
  // expected-error @+1 {{'sma.dot_rows' op result: expected shape [b, T, h] of lhs = [2, 8, 4], got [2, 8, 8]}}
  %r = sma.dot_rows %a, %a : tensor<2x8x4x8xf32>, tensor<2x8x4x8xf32> -> tensor<2x8x8xf32>
  return
}

// -----

func.func @sum_positions_heads(%a: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'sma.sum_positions' op result: expected shape [h] of the source's [b, T, h] = [4], got [8]}}
  %r = sma.sum_positions %a : tensor<2x8x4xf32> -> tensor<8xf32>
  return
}
