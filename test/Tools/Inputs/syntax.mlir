func.func @bad(%c: tensor<1x8x1x4xf32>) {
  %m = sma.mask.window
  return
}
