// --seqlens on a model without a cu_seqlens operand is a diagnostic: the
// model cannot pack sequences, so the lengths cannot be honoured.
//

// RUN: not smc run %s --check --seqlens=5,0,17 --seed=1310 2>&1 | FileCheck %s

// CHECK-NOT: {{PASS|FAIL|packed sequences}}
// CHECK: smc: error: {{.*}}seqlens
// CHECK-NOT: {{PASS|FAIL|packed sequences}}

func.func @causal(%c: tensor<?x?x1x8xf32>, %b: tensor<?x?x1x8xf32>, %x: tensor<?x?x2x8xf32>) -> tensor<?x?x2x8xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x2x8xf32>) mask(%m) -> tensor<?x?x2x8xf32>
  return %y : tensor<?x?x2x8xf32>
}
