// A forced linear or chunked form on the product of a data-dependent decay
// and a sliding window is a diagnostic naming the factor without a state
// recurrence, never wrong numbers.

// RUN: not smc run %s --check --form=linear --seed=1020 2>&1 \
// RUN:   | FileCheck %s -D'$FORM=linear'
// RUN: not smc run %s --check --form=chunked --chunk=16 --seed=1021 2>&1 \
// RUN:   | FileCheck %s -D'$FORM=chunked'

// CHECK-NOT: {{PASS|FAIL|contraction|output}}
// CHECK: smc: error: {{.*}}illegal-form-mul.mlir: form selection failed:
// CHECK-NEXT: 'sma.contract' op form '[[$FORM]]' is illegal for this mask: 'sma.mask.mul' has a factor without a state recurrence: 'sma.mask.window' is banded (width 20) and has no constant-size state; only the quadratic form is legal
// CHECK-NOT: {{PASS|FAIL|contraction|output}}

func.func @mul(%c: tensor<?x?x1x8xf32>, %b: tensor<?x?x1x8xf32>, %x: tensor<?x?x2x8xf32>, %a: tensor<?x?x2xf32>) -> tensor<?x?x2x8xf32> {
  %d = sma.mask.decay %a : tensor<?x?x2xf32>
  %w = sma.mask.window 20
  %m = sma.mask.mul %d, %w
  %y = sma.contract C(%c : tensor<?x?x1x8xf32>) B(%b : tensor<?x?x1x8xf32>) X(%x : tensor<?x?x2x8xf32>) mask(%m) -> tensor<?x?x2x8xf32>
  return %y : tensor<?x?x2x8xf32>
}
