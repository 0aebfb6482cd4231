// The transpose of a data-dependent decay in bf16 with p = n = 32 (the
// GPU's tensor-core kernels), h = 4, g = 1, f32 states: every form against
// the float64 reference at the bf16 tolerance, chunk 16.

// RUN: smc run %s --check --form=all --chunk=16 --seqlen=53 --seed=370 | FileCheck %s

// CHECK: form output shape rel. error max abs err tolerance result
// CHECK-COUNT-6: {{(linear|quadratic|chunked)}} {{[01]}} {{.*}} 5.0e-03 PASS
// CHECK-NOT: FAIL

func.func @transpose_bf16(%c: tensor<?x?x1x32xbf16>, %b: tensor<?x?x1x32xbf16>,
    %x: tensor<?x?x4x32xbf16>, %a: tensor<?x?x4xf32>, %h0: tensor<?x4x32x32xf32>)
    -> (tensor<?x?x4x32xbf16>, tensor<?x4x32x32xf32>) {
  %d = sma.mask.decay %a : tensor<?x?x4xf32>
  %m = sma.mask.transpose %d
  %y, %s = sma.contract C(%c : tensor<?x?x1x32xbf16>) B(%b : tensor<?x?x1x32xbf16>)
      X(%x : tensor<?x?x4x32xbf16>) mask(%m) init(%h0 : tensor<?x4x32x32xf32>)
      -> tensor<?x?x4x32xbf16>, tensor<?x4x32x32xf32>
  return %y, %s : tensor<?x?x4x32xbf16>, tensor<?x4x32x32xf32>
}
