// RUN: smc summary %s | FileCheck %s

// CHECK: function @mixer: 4 inputs, 2 outputs
// CHECK-NEXT: input 0:  [?, ?, 1, 16] bf16
// CHECK-NEXT: input 1:  [?, ?, 1, 16] bf16
// CHECK-NEXT: input 2:  [?, ?, 4, 8] bf16
// CHECK-NEXT: input 3:  [?, ?, 4] f32
// CHECK-NEXT: output 0: [?, ?, 4, 8] bf16
// CHECK-NEXT: output 1: [?, 4, 8, 16] f32
// CHECK: sma.mask.window
// CHECK-NEXT: computes:  L[t,s] = 1 for 0 <= t-s < 32
// CHECK-NEXT: structure: causal, Toeplitz, banded (width 32), static
// CHECK: sma.mask.decay
// CHECK-NEXT: computes:  L[t,s] = exp(sum_{k=s+1..t} a[k]) for s <= t
// CHECK-NEXT: structure: causal, semiseparable, data dependent
// CHECK: sma.mask.fixed_decay
// CHECK-NEXT: computes:  L[t,s] = gamma_h^(t-s) for s <= t, 4 heads
// CHECK-NEXT: structure: causal, semiseparable, Toeplitz, static
// CHECK: sma.mask.mul
// CHECK-NEXT: computes:  L = L1 o L2
// CHECK-NEXT: structure: causal, semiseparable, data dependent
// CHECK: sma.contract
// CHECK-NEXT: computes:  Y = (L o C B^T) X: heads 4, groups 1, head dim p 8, state dim n 16, final state
// CHECK: mask:      sma.mask.mul (causal, semiseparable, data dependent)
// CHECK-NEXT: form:      chunked, chunk 64
func.func @mixer(%c: tensor<?x?x1x16xbf16>, %b: tensor<?x?x1x16xbf16>, %x: tensor<?x?x4x8xbf16>, %a: tensor<?x?x4xf32>) -> (tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>) {
  %w = sma.mask.window 32
  %d = sma.mask.decay %a : tensor<?x?x4xf32>
  %f = sma.mask.fixed_decay [0.5, 0.75, 0.875, 0.9375]
  %m = sma.mask.mul %d, %f
  %y, %s = sma.contract C(%c : tensor<?x?x1x16xbf16>) B(%b : tensor<?x?x1x16xbf16>) X(%x : tensor<?x?x4x8xbf16>) mask(%m) {form = #sma.form<chunked, 64>} -> tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>
  return %y, %s : tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>
}
