// An output that overflows is reported as non-finite, not as a small or an
// infinite error: L[t, s] = exp(100) on and below the diagonal is finite in
// the float64 reference (2.7e43) but overflows f32, so every output element
// is +-inf or NaN in the compiled model.

// RUN: not smc run %s --check --seqlen=7 --seed=41 | FileCheck %s

// CHECK: form output shape rel. error max abs err tolerance result
// CHECK-NEXT: auto 0 [2,7,2,4] - - 1.0e-05 NON-FINITE (112 of 112 elements)
// CHECK-NOT: PASS

func.func @overflow(%c: tensor<?x?x1x4xf32>, %b: tensor<?x?x1x4xf32>, %x: tensor<?x?x2x4xf32>) -> tensor<?x?x2x4xf32> {
  %m = sma.mask.custom causal {
  ^bb0(%t: index, %s: index, %head: index):
    %big = arith.constant 100.0 : f32
    %v = math.exp %big : f32
    sma.yield %v : f32
  }
  %y = sma.contract C(%c : tensor<?x?x1x4xf32>) B(%b : tensor<?x?x1x4xf32>) X(%x : tensor<?x?x2x4xf32>) mask(%m) -> tensor<?x?x2x4xf32>
  return %y : tensor<?x?x2x4xf32>
}
