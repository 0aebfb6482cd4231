// RUN: smc-opt %s --split-input-file --verify-diagnostics --sma-select-form="force-form=chunked"
// RUN: smc-opt %s --split-input-file --verify-diagnostics --sma-select-form="force-form=linear"

// A forced illegal form is a diagnostic naming the mask and why.
func.func @window(%c: tensor<1x64x1x8xf32>, %b: tensor<1x64x1x8xf32>, %x: tensor<1x64x2x8xf32>) -> tensor<1x64x2x8xf32> {
  %m = sma.mask.window 16
  // expected-error @+1 {{is illegal for this mask: 'sma.mask.window' is banded (width 16) and has no constant-size state; only the quadratic form is legal}}
  %y = sma.contract C(%c : tensor<1x64x1x8xf32>) B(%b : tensor<1x64x1x8xf32>) X(%x : tensor<1x64x2x8xf32>) mask(%m) -> tensor<1x64x2x8xf32>
  return %y : tensor<1x64x2x8xf32>
}

// -----

func.func @product(%c: tensor<1x64x1x8xf32>, %b: tensor<1x64x1x8xf32>, %x: tensor<1x64x2x8xf32>, %a: tensor<1x64x2xf32>) -> tensor<1x64x2x8xf32> {
  %w = sma.mask.window 16
  %d = sma.mask.decay %a : tensor<1x64x2xf32>
  %m = sma.mask.mul %d, %w
  // expected-error @+1 {{'sma.mask.mul' has a factor without a state recurrence: 'sma.mask.window' is banded (width 16)}}
  %y = sma.contract C(%c : tensor<1x64x1x8xf32>) B(%b : tensor<1x64x1x8xf32>) X(%x : tensor<1x64x2x8xf32>) mask(%m) -> tensor<1x64x2x8xf32>
  return %y : tensor<1x64x2x8xf32>
}

// -----

func.func @custom(%c: tensor<1x64x1x8xf32>, %b: tensor<1x64x1x8xf32>, %x: tensor<1x64x2x8xf32>) -> tensor<1x64x2x8xf32> {
  %m = sma.mask.custom causal {
  ^bb0(%t: index, %s: index, %h: index):
    %one = arith.constant 1.0 : f32
    sma.yield %one : f32
  }
  // expected-error @+1 {{'sma.mask.custom' has no known state recurrence}}
  %y = sma.contract C(%c : tensor<1x64x1x8xf32>) B(%b : tensor<1x64x1x8xf32>) X(%x : tensor<1x64x2x8xf32>) mask(%m) -> tensor<1x64x2x8xf32>
  return %y : tensor<1x64x2x8xf32>
}
