// The derived backward of a bf16 decay contraction with states (keys and
// values in bf16, states and log-decays f32) against the float64
// reference's gradients at the bf16 tolerance, T = 1, 7, Q-1, Q, 3Q+5
// (chunk Q = 16).

// RUN: smc run %s --grad --check --form=all --chunk=16 --seqlen=1 --seed=421 | FileCheck %s
// RUN: smc run %s --grad --check --form=all --chunk=16 --seqlen=7 --seed=422 | FileCheck %s
// RUN: smc run %s --grad --check --form=all --chunk=16 --seqlen=15 --seed=423 | FileCheck %s
// RUN: smc run %s --grad --check --form=all --chunk=16 --seqlen=16 --seed=424 | FileCheck %s
// RUN: smc run %s --grad --check --form=all --chunk=16 --seqlen=53 --seed=420 | FileCheck %s

// CHECK: form gradient shape rel. error max abs err tolerance result
// CHECK-COUNT-15: {{(linear|quadratic|chunked)}} d{{.*}} 5.0e-03 PASS
// CHECK-NOT: FAIL

func.func @decay_bf16(%c: tensor<?x?x1x16xbf16>, %b: tensor<?x?x1x16xbf16>, %x: tensor<?x?x4x8xbf16>, %a: tensor<?x?x4xf32>, %h0: tensor<?x4x8x16xf32>) -> (tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>) {
  %m = sma.mask.decay %a : tensor<?x?x4xf32>
  %y, %s = sma.contract C(%c : tensor<?x?x1x16xbf16>) B(%b : tensor<?x?x1x16xbf16>) X(%x : tensor<?x?x4x8xbf16>) mask(%m) init(%h0 : tensor<?x4x8x16xf32>) -> tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>
  return %y, %s : tensor<?x?x4x8xbf16>, tensor<?x4x8x16xf32>
}
