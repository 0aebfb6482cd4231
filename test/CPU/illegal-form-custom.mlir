// A forced linear or chunked form on a custom mask (no known state
// recurrence, even though it is causal) is a diagnostic, never wrong numbers.

// RUN: not smc run %s --check --form=linear --seed=1010 2>&1 \
// RUN:   | FileCheck %s -D'$FORM=linear'
// RUN: not smc run %s --check --form=chunked --chunk=16 --seed=1011 2>&1 \
// RUN:   | FileCheck %s -D'$FORM=chunked'

// CHECK-NOT: {{PASS|FAIL|contraction|output}}
// CHECK: smc: error: {{.*}}illegal-form-custom.mlir: form selection failed:
// CHECK-NEXT: 'sma.contract' op form '[[$FORM]]' is illegal for this mask: 'sma.mask.custom' has no known state recurrence; only the quadratic form is legal
// CHECK-NOT: {{PASS|FAIL|contraction|output}}

func.func @custom(%c: tensor<?x?x1x8xf32>, %b: tensor<?x?x1x8xf32>, %x: tensor<?x?x2x8xf32>) -> tensor<?x?x2x8xf32> {
  %m = sma.mask.custom causal {
  ^bb0(%t: index, %s: index, %head: index):
    %d = arith.subi %t, %s : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %k = arith.constant -0.05 : f32
    %e = arith.mulf %k, %df : f32
    %v = math.exp %e : f32
    sma.yield %v : f32
  }
  %y = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x2x8xf32>) mask(%m) -> tensor<?x?x2x8xf32>
  return %y : tensor<?x?x2x8xf32>
}
