// A state tile larger than the GPU kernels hold (p = 64, n = 1024): a
// diagnostic at once, not minutes of compiling spilled kernels (issue 14).
func.func @f(%c: tensor<?x?x1x1024xbf16>, %b: tensor<?x?x1x1024xbf16>, %x: tensor<?x?x2x64xbf16>, %a: tensor<?x?x2xf32>) -> tensor<?x?x2x64xbf16> {
  %m = sma.mask.decay %a : tensor<?x?x2xf32>
  %y = sma.contract C(%c : tensor<?x?x1x1024xbf16>) B(%b : tensor<?x?x1x1024xbf16>) X(%x : tensor<?x?x2x64xbf16>) mask(%m) -> tensor<?x?x2x64xbf16>
  return %y : tensor<?x?x2x64xbf16>
}
