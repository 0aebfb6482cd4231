// RUN: smc-opt %s -split-input-file -verify-diagnostics --sma-derive-backward

// The gradient of a custom region's operand would need the region's
// derivative: an error, never a zero.
func.func @custom(%c: tensor<1x8x1x4xf32>, %x: tensor<1x8x1x4xf32>, %k: tensor<1x8x1xf32>) -> tensor<1x8x1x4xf32> {
  // expected-error @+1 {{'sma.mask.custom' op has per-position operands, whose gradient needs the derivative of its region}}
  %m = sma.mask.custom causal (%k : tensor<1x8x1xf32>) {
  ^bb0(%t: index, %s: index, %h: index, %kt: f32, %ks: f32):
    sma.yield %kt : f32
  }
  %y = sma.contract C(%c : tensor<1x8x1x4xf32>) B(%c : tensor<1x8x1x4xf32>) X(%x : tensor<1x8x1x4xf32>) mask(%m) -> tensor<1x8x1x4xf32>
  return %y : tensor<1x8x1x4xf32>
}

// -----

func.func @anti(%c: tensor<1x8x1x4xf32>, %x: tensor<1x8x1x4xf32>, %a: tensor<1x8x1xf32>) -> tensor<1x8x1x4xf32> {
  %d = sma.mask.decay %a : tensor<1x8x1xf32>
  %m = sma.mask.transpose %d
  // expected-error @+1 {{has an anti-causal mask with data-dependent decays, whose log-decay gradient sma-derive-backward does not derive yet}}
  %y = sma.contract C(%c : tensor<1x8x1x4xf32>) B(%c : tensor<1x8x1x4xf32>) X(%x : tensor<1x8x1x4xf32>) mask(%m) -> tensor<1x8x1x4xf32>
  return %y : tensor<1x8x1x4xf32>
}
