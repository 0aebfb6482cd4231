// GPU suite model: Mamba-2 (dt processing, D, z) in bf16 on packed
// sequences with p = 16, n = 32, h = 4 over g = 2 groups, initial and final
// states: the tensor-core chunked form with its fused prologue and epilogue.
func.func @ssd_mma_varlen(%x: tensor<1x?x4x16xbf16>, %dt: tensor<1x?x4xbf16>, %A: tensor<4xf32>,
                          %B: tensor<1x?x2x32xbf16>, %C: tensor<1x?x2x32xbf16>, %D: tensor<4xf32>,
                          %z: tensor<1x?x4x16xbf16>, %db: tensor<4xf32>, %s0: tensor<?x4x16x32xf32>,
                          %cu: tensor<?xi32>) -> (tensor<1x?x4x16xbf16>, tensor<?x4x16x32xf32>) {
  %y, %s = sma.ssd x(%x : tensor<1x?x4x16xbf16>) dt(%dt : tensor<1x?x4xbf16>) A(%A : tensor<4xf32>)
      B(%B : tensor<1x?x2x32xbf16>) C(%C : tensor<1x?x2x32xbf16>) D(%D : tensor<4xf32>)
      z(%z : tensor<1x?x4x16xbf16>) dt_bias(%db : tensor<4xf32>) init(%s0 : tensor<?x4x16x32xf32>)
      seqs(%cu : tensor<?xi32>) {dt_softplus} -> tensor<1x?x4x16xbf16>, tensor<?x4x16x32xf32>
  return %y, %s : tensor<1x?x4x16xbf16>, tensor<?x4x16x32xf32>
}
