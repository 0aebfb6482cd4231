func.func @bad(%c: tensor<1x8x3x4xf32>, %b: tensor<1x8x3x4xf32>, %x: tensor<1x8x4x2xf32>) -> tensor<1x8x4x2xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<1x8x3x4xf32>) B(%b : tensor<1x8x3x4xf32>) X(%x : tensor<1x8x4x2xf32>) mask(%m) -> tensor<1x8x4x2xf32>
  return %y : tensor<1x8x4x2xf32>
}
