// A negative --chunk is a diagnostic that names the value given.
//

// RUN: not smc run %s --form=chunked --chunk=-3 --seed=1200 2>&1 | FileCheck %s

// CHECK-NOT: {{PASS|FAIL|contraction|output}}
// CHECK: chunk{{.*}} got -3{{$}}
// CHECK-NOT: {{PASS|FAIL|contraction|output}}

func.func @causal(%c: tensor<?x?x1x8xf32>, %b: tensor<?x?x1x8xf32>, %x: tensor<?x?x2x8xf32>) -> tensor<?x?x2x8xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x2x8xf32>) mask(%m) -> tensor<?x?x2x8xf32>
  return %y : tensor<?x?x2x8xf32>
}
