// GPU suite model: the Mamba-2 front with p and n multiples of 32, so the
// chunked form's output kernel takes its warp-per-position path.
func.func @ssd_wide(%x: tensor<?x?x4x32xbf16>, %dt: tensor<?x?x4xbf16>, %A: tensor<4xf32>,
                    %B: tensor<?x?x2x64xbf16>, %C: tensor<?x?x2x64xbf16>, %D: tensor<4xf32>,
                    %z: tensor<?x?x4x32xbf16>, %db: tensor<4xf32>, %s0: tensor<?x4x32x64xf32>)
    -> (tensor<?x?x4x32xbf16>, tensor<?x4x32x64xf32>) {
  %y, %s = sma.ssd x(%x : tensor<?x?x4x32xbf16>) dt(%dt : tensor<?x?x4xbf16>) A(%A : tensor<4xf32>)
      B(%B : tensor<?x?x2x64xbf16>) C(%C : tensor<?x?x2x64xbf16>) D(%D : tensor<4xf32>)
      z(%z : tensor<?x?x4x32xbf16>) dt_bias(%db : tensor<4xf32>) init(%s0 : tensor<?x4x32x64xf32>)
      {dt_softplus} -> tensor<?x?x4x32xbf16>, tensor<?x4x32x64xf32>
  return %y, %s : tensor<?x?x4x32xbf16>, tensor<?x4x32x64xf32>
}
