// RUN: smc-opt %s --split-input-file --verify-diagnostics --sma-expand-forms

// Expansion needs a form: sma-select-form (or the user) sets one first.
func.func @no_form(%c: tensor<1x8x1x4xf32>, %b: tensor<1x8x1x4xf32>, %x: tensor<1x8x2x3xf32>) -> tensor<1x8x2x3xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{has no form: run sma-select-form first or set one}}
  %y = sma.contract C(%c : tensor<1x8x1x4xf32>) B(%b : tensor<1x8x1x4xf32>) X(%x : tensor<1x8x2x3xf32>) mask(%m) -> tensor<1x8x2x3xf32>
  return %y : tensor<1x8x2x3xf32>
}

// -----

func.func @no_chunk(%c: tensor<1x8x1x4xf32>, %b: tensor<1x8x1x4xf32>, %x: tensor<1x8x2x3xf32>) -> tensor<1x8x2x3xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{chunked form without a chunk size: run sma-select-form first}}
  %y = sma.contract C(%c : tensor<1x8x1x4xf32>) B(%b : tensor<1x8x1x4xf32>) X(%x : tensor<1x8x2x3xf32>) mask(%m) {form = #sma.form<chunked>} -> tensor<1x8x2x3xf32>
  return %y : tensor<1x8x2x3xf32>
}
