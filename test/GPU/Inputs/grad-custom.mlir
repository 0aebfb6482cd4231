// A custom region's per-position operand has no derived gradient.
func.func @custom(%c: tensor<1x8x1x4xf32>, %x: tensor<1x8x1x4xf32>, %k: tensor<1x8x1xf32>) -> tensor<1x8x1x4xf32> {
  %m = sma.mask.custom causal (%k : tensor<1x8x1xf32>) {
  ^bb0(%t: index, %s: index, %h: index, %kt: f32, %ks: f32):
    sma.yield %kt : f32
  }
  %y = sma.contract C(%c : tensor<1x8x1x4xf32>) B(%c : tensor<1x8x1x4xf32>) X(%x : tensor<1x8x1x4xf32>) mask(%m) -> tensor<1x8x1x4xf32>
  return %y : tensor<1x8x1x4xf32>
}
