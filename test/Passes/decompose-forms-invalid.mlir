// RUN: smc-opt %s -split-input-file -verify-diagnostics --sma-decompose-forms=gpu=true

// Decomposition needs a form: sma-select-form (or the user) sets one first.
func.func @no_form(%c: tensor<1x8x1x4xf32>, %b: tensor<1x8x1x4xf32>, %x: tensor<1x8x2x3xf32>) -> tensor<1x8x2x3xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op has no form: run sma-select-form first or set one}}
  %y = sma.contract C(%c : tensor<1x8x1x4xf32>) B(%b : tensor<1x8x1x4xf32>) X(%x : tensor<1x8x2x3xf32>) mask(%m) -> tensor<1x8x2x3xf32>
  return %y : tensor<1x8x2x3xf32>
}

// -----

func.func @no_chunk(%c: tensor<1x8x1x4xf32>, %b: tensor<1x8x1x4xf32>, %x: tensor<1x8x2x3xf32>) -> tensor<1x8x2x3xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op chunked form without a chunk size: run sma-select-form first}}
  %y = sma.contract C(%c : tensor<1x8x1x4xf32>) B(%b : tensor<1x8x1x4xf32>) X(%x : tensor<1x8x2x3xf32>) mask(%m) {form = #sma.form<chunked>} -> tensor<1x8x2x3xf32>
  return %y : tensor<1x8x2x3xf32>
}

// -----

// The GPU's chunked kernels hold a chunk of at most 128 positions.
func.func @gpu_chunk_too_large(%c: tensor<1x?x1x4xf32>, %b: tensor<1x?x1x4xf32>, %x: tensor<1x?x2x3xf32>) -> tensor<1x?x2x3xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op chunk 256 is larger than the GPU kernels support (at most 128)}}
  %y = sma.contract C(%c : tensor<1x?x1x4xf32>) B(%b : tensor<1x?x1x4xf32>) X(%x : tensor<1x?x2x3xf32>) mask(%m) {form = #sma.form<chunked, 256>} -> tensor<1x?x2x3xf32>
  return %y : tensor<1x?x2x3xf32>
}

// -----

// The limit applies to the padded tile: 129 positions take a tile of 256.
func.func @gpu_chunk_padded_too_large(%c: tensor<1x?x1x4xf32>, %b: tensor<1x?x1x4xf32>, %x: tensor<1x?x2x3xf32>) -> tensor<1x?x2x3xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op chunk 129 is larger than the GPU kernels support (at most 128)}}
  %y = sma.contract C(%c : tensor<1x?x1x4xf32>) B(%b : tensor<1x?x1x4xf32>) X(%x : tensor<1x?x2x3xf32>) mask(%m) {form = #sma.form<chunked, 129>} -> tensor<1x?x2x3xf32>
  return %y : tensor<1x?x2x3xf32>
}

// -----

// A form set by hand must be legal for the mask: a window has no
// constant-size state.
func.func @linear_window(%c: tensor<1x8x1x4xf32>, %b: tensor<1x8x1x4xf32>, %x: tensor<1x8x2x3xf32>) -> tensor<1x8x2x3xf32> {
  %m = sma.mask.window 4
  // expected-error @+1 {{'sma.contract' op form 'linear' is illegal for this mask: 'sma.mask.window' is banded (width 4) and has no constant-size state; only the quadratic form is legal}}
  %y = sma.contract C(%c : tensor<1x8x1x4xf32>) B(%b : tensor<1x8x1x4xf32>) X(%x : tensor<1x8x2x3xf32>) mask(%m) {form = #sma.form<linear>} -> tensor<1x8x2x3xf32>
  return %y : tensor<1x8x2x3xf32>
}

// -----

// A custom mask has no known structure, and a product has the structure of
// its parts.
func.func @chunked_custom_product(%c: tensor<1x8x1x4xf32>, %b: tensor<1x8x1x4xf32>, %x: tensor<1x8x2x3xf32>, %a: tensor<1x8x2xf32>) -> tensor<1x8x2x3xf32> {
  %d = sma.mask.decay %a : tensor<1x8x2xf32>
  %u = sma.mask.custom causal {
  ^bb0(%t: index, %s: index, %h: index):
    %one = arith.constant 1.0 : f32
    sma.yield %one : f32
  }
  %m = sma.mask.mul %d, %u
  // expected-error @+1 {{'sma.contract' op form 'chunked' is illegal for this mask: 'sma.mask.mul' has a factor without a state recurrence: 'sma.mask.custom' has no known state recurrence; only the quadratic form is legal}}
  %y = sma.contract C(%c : tensor<1x8x1x4xf32>) B(%b : tensor<1x8x1x4xf32>) X(%x : tensor<1x8x2x3xf32>) mask(%m) {form = #sma.form<chunked, 4>} -> tensor<1x8x2x3xf32>
  return %y : tensor<1x8x2x3xf32>
}

// -----

// States need a semiseparable mask, whatever the form.
func.func @window_states(%c: tensor<1x8x1x4xf32>, %b: tensor<1x8x1x4xf32>, %x: tensor<1x8x2x3xf32>, %s0: tensor<1x2x3x4xf32>) -> tensor<1x8x2x3xf32> {
  %m = sma.mask.window 4
  // expected-error @+1 {{'sma.contract' op states need a semiseparable mask, but 'sma.mask.window' is banded (width 4) and has no constant-size state}}
  %y = sma.contract C(%c : tensor<1x8x1x4xf32>) B(%b : tensor<1x8x1x4xf32>) X(%x : tensor<1x8x2x3xf32>) mask(%m) init(%s0 : tensor<1x2x3x4xf32>) {form = #sma.form<quadratic>} -> tensor<1x8x2x3xf32>
  return %y : tensor<1x8x2x3xf32>
}
