// GPU suite model: a decay mask on packed sequences with p = n = 32 (the
// warp-per-position output kernel), f32, with states.
func.func @decay_wide_varlen(%c: tensor<1x?x1x32xf32>, %b: tensor<1x?x1x32xf32>, %x: tensor<1x?x2x32xf32>,
                             %a: tensor<1x?x2xf32>, %s0: tensor<?x2x32x32xf32>, %cu: tensor<?xi64>)
    -> (tensor<1x?x2x32xf32>, tensor<?x2x32x32xf32>) {
  %m = sma.mask.decay %a : tensor<1x?x2xf32>
  %y, %s = sma.contract C(%c : tensor<1x?x1x32xf32>) B(%b : tensor<1x?x1x32xf32>) X(%x : tensor<1x?x2x32xf32>)
      mask(%m) init(%s0 : tensor<?x2x32x32xf32>) seqs(%cu : tensor<?xi64>) -> tensor<1x?x2x32xf32>, tensor<?x2x32x32xf32>
  return %y, %s : tensor<1x?x2x32xf32>, tensor<?x2x32x32xf32>
}
