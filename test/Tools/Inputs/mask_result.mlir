// A model whose entry returns a mask, not a tensor.
func.func @f(%c: tensor<1x8x1x4xf32>) -> !sma.mask {
  %m = sma.mask.causal
  return %m : !sma.mask
}
