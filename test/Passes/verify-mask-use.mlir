// RUN: smc-opt %s -split-input-file -verify-diagnostics --sma-select-form

// The checks of a contraction that read its mask's structure
// (sma.contract's verifyMask): the op verifier stays local, and form
// selection, which every pipeline and smc tool runs, makes them.
func.func @contract_fixed_decay_heads(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.fixed_decay [0.5, 0.75]
  // expected-error @+1 {{'sma.contract' op mask 'sma.mask.fixed_decay' has 2 gamma values, but the contraction has 4 heads}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

// The parts of a product are checked against the contraction too.
func.func @contract_mul_fixed_decay_heads(%c: tensor<2x64x1x16xf32>,
                                          %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %w = sma.mask.window 16
  %f = sma.mask.fixed_decay [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
  %m = sma.mask.mul %w, %f
  // expected-error @+1 {{'sma.contract' op mask 'sma.mask.fixed_decay' has 8 gamma values, but the contraction has 4 heads}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_decay_batch(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                                %a: tensor<3x64x4xf32>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.decay %a : tensor<3x64x4xf32>
  // expected-error @+1 {{'sma.contract' op mask 'sma.mask.decay': operand dim 0 (batch) is 3, but the contraction has 2}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_decay_length(%c: tensor<?x?x1x16xf32>, %x: tensor<?x128x4x8xf32>,
                                 %a: tensor<?x64x4xf32>) -> tensor<?x128x4x8xf32> {
  %m = sma.mask.decay %a : tensor<?x64x4xf32>
  // expected-error @+1 {{'sma.contract' op mask 'sma.mask.decay': operand dim 1 (sequence length) is 64, but the contraction has 128}}
  %y = sma.contract C(%c : tensor<?x?x1x16xf32>) B(%c : tensor<?x?x1x16xf32>)
      X(%x : tensor<?x128x4x8xf32>) mask(%m) -> tensor<?x128x4x8xf32>
  return %y : tensor<?x128x4x8xf32>
}

// -----

func.func @contract_decay_heads(%c: tensor<?x?x1x16xf32>, %x: tensor<?x?x4x8xf32>,
                                %a: tensor<?x?x1xf32>) -> tensor<?x?x4x8xf32> {
  %m = sma.mask.decay %a : tensor<?x?x1xf32>
  // expected-error @+1 {{'sma.contract' op mask 'sma.mask.decay': operand dim 2 (heads) is 1, but the contraction has 4}}
  %y = sma.contract C(%c : tensor<?x?x1x16xf32>) B(%c : tensor<?x?x1x16xf32>)
      X(%x : tensor<?x?x4x8xf32>) mask(%m) -> tensor<?x?x4x8xf32>
  return %y : tensor<?x?x4x8xf32>
}

// -----

// With packed sequences the decay is [1, T, h] like X.
func.func @contract_seqs_decay_batch(%c: tensor<1x64x1x16xf32>, %x: tensor<1x64x4x8xf32>,
                                     %a: tensor<3x64x4xf32>, %cu: tensor<4xi32>)
    -> tensor<1x64x4x8xf32> {
  %m = sma.mask.decay %a : tensor<3x64x4xf32>
  // expected-error @+1 {{'sma.contract' op mask 'sma.mask.decay': operand dim 0 (batch) is 3, but the contraction has 1}}
  %y = sma.contract C(%c : tensor<1x64x1x16xf32>) B(%c : tensor<1x64x1x16xf32>)
      X(%x : tensor<1x64x4x8xf32>) mask(%m) seqs(%cu : tensor<4xi32>)
      -> tensor<1x64x4x8xf32>
  return %y : tensor<1x64x4x8xf32>
}

// -----

func.func @contract_custom_operand_heads(%c: tensor<?x?x1x16xf32>, %x: tensor<?x?x4x8xf32>,
                                         %p: tensor<?x?x8xf32>) -> tensor<?x?x4x8xf32> {
  %m = sma.mask.custom causal (%p : tensor<?x?x8xf32>) {
  ^bb0(%t: index, %s: index, %h: index, %pt: f32, %ps: f32):
    sma.yield %pt : f32
  }
  // expected-error @+1 {{'sma.contract' op mask 'sma.mask.custom': operand dim 2 (heads) is 8, but the contraction has 4}}
  %y = sma.contract C(%c : tensor<?x?x1x16xf32>) B(%c : tensor<?x?x1x16xf32>)
      X(%x : tensor<?x?x4x8xf32>) mask(%m) -> tensor<?x?x4x8xf32>
  return %y : tensor<?x?x4x8xf32>
}

// -----

func.func @contract_mul_decay_length(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                                     %a: tensor<2x32x4xf32>) -> tensor<2x64x4x8xf32> {
  %w = sma.mask.window 16
  %d = sma.mask.decay %a : tensor<2x32x4xf32>
  %m = sma.mask.mul %w, %d
  // expected-error @+1 {{'sma.contract' op mask 'sma.mask.decay': operand dim 1 (sequence length) is 32, but the contraction has 64}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// sma.contract: states and forms need a state recurrence
//===----------------------------------------------------------------------===//

func.func @contract_init_window(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>,
                                %s0: tensor<2x4x8x16xf32>) -> tensor<2x64x4x8xf32> {
  %m = sma.mask.window 32
  // expected-error @+1 {{'sma.contract' op states need a semiseparable mask, but 'sma.mask.window' is banded (width 32) and has no constant-size state}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) init(%s0 : tensor<2x4x8x16xf32>)
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_final_custom(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> (tensor<2x64x4x8xf32>, tensor<2x4x8x16xf32>) {
  %m = sma.mask.custom causal {
  ^bb0(%t: index, %s: index, %h: index):
    %one = arith.constant 1.0 : f32
    sma.yield %one : f32
  }
  // expected-error @+1 {{'sma.contract' op states need a semiseparable mask, but 'sma.mask.custom' has no known state recurrence}}
  %y, %s = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m)
      -> tensor<2x64x4x8xf32>, tensor<2x4x8x16xf32>
  return %y, %s : tensor<2x64x4x8xf32>, tensor<2x4x8x16xf32>
}

// -----

func.func @contract_init_mul_window_decay(%c: tensor<2x64x1x16xf32>,
                                          %x: tensor<2x64x4x8xf32>,
                                          %a: tensor<2x64x4xf32>,
                                          %s0: tensor<2x4x8x16xf32>)
    -> (tensor<2x64x4x8xf32>, tensor<2x4x8x16xf32>) {
  %w = sma.mask.window 16
  %d = sma.mask.decay %a : tensor<2x64x4xf32>
  %m = sma.mask.mul %w, %d
  // expected-error @+1 {{'sma.contract' op states need a semiseparable mask, but 'sma.mask.mul' has a factor without a state recurrence: 'sma.mask.window' is banded (width 16) and has no constant-size state}}
  %y, %s = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) init(%s0 : tensor<2x4x8x16xf32>)
      -> tensor<2x64x4x8xf32>, tensor<2x4x8x16xf32>
  return %y, %s : tensor<2x64x4x8xf32>, tensor<2x4x8x16xf32>
}

// -----

func.func @contract_linear_window(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.window 8
  // expected-error @+1 {{'sma.contract' op form 'linear' is illegal for this mask: 'sma.mask.window' is banded (width 8) and has no constant-size state; only the quadratic form is legal}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) {form = #sma.form<linear>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_chunked_window(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.window 8
  // expected-error @+1 {{'sma.contract' op form 'chunked' is illegal for this mask: 'sma.mask.window' is banded (width 8) and has no constant-size state; only the quadratic form is legal}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) {form = #sma.form<chunked, 16>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_linear_custom(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.custom {
  ^bb0(%t: index, %s: index, %h: index):
    %one = arith.constant 1.0 : f32
    sma.yield %one : f32
  }
  // expected-error @+1 {{'sma.contract' op form 'linear' is illegal for this mask: 'sma.mask.custom' has no known state recurrence; only the quadratic form is legal}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) {form = #sma.form<linear>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_chunked_custom(%c: tensor<2x64x1x16xf32>, %x: tensor<2x64x4x8xf32>)
    -> tensor<2x64x4x8xf32> {
  %m = sma.mask.custom causal {
  ^bb0(%t: index, %s: index, %h: index):
    %one = arith.constant 1.0 : f32
    sma.yield %one : f32
  }
  // expected-error @+1 {{'sma.contract' op form 'chunked' is illegal for this mask: 'sma.mask.custom' has no known state recurrence; only the quadratic form is legal}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) {form = #sma.form<chunked>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

// -----

func.func @contract_chunked_mul_window_decay(%c: tensor<2x64x1x16xf32>,
                                             %x: tensor<2x64x4x8xf32>,
                                             %a: tensor<2x64x4xf32>)
    -> tensor<2x64x4x8xf32> {
  %d = sma.mask.decay %a : tensor<2x64x4xf32>
  %w = sma.mask.window 16
  %m = sma.mask.mul %d, %w
  // expected-error @+1 {{'sma.contract' op form 'chunked' is illegal for this mask: 'sma.mask.mul' has a factor without a state recurrence: 'sma.mask.window' is banded (width 16) and has no constant-size state; only the quadratic form is legal}}
  %y = sma.contract C(%c : tensor<2x64x1x16xf32>) B(%c : tensor<2x64x1x16xf32>)
      X(%x : tensor<2x64x4x8xf32>) mask(%m) {form = #sma.form<chunked, 32>}
      -> tensor<2x64x4x8xf32>
  return %y : tensor<2x64x4x8xf32>
}

