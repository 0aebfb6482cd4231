// A forced form that the mask does not allow is a diagnostic (exit code 2),
// never wrong numbers: a sliding window has no constant-size state, so the
// linear and chunked forms are refused, with or without --check, and nothing
// is run or compared.

// RUN: not smc run %s --form=chunked --seed=1002 2>&1 \
// RUN:   | FileCheck %s -D'$FORM=chunked'
// RUN: not smc run %s --check --form=chunked --chunk=16 --seqlen=53 --seed=1000 2>&1 \
// RUN:   | FileCheck %s -D'$FORM=chunked'
// RUN: not smc run %s --check --form=linear --seqlen=1 --seed=1001 2>&1 \
// RUN:   | FileCheck %s -D'$FORM=linear'

// CHECK-NOT: {{PASS|FAIL|contraction|output}}
// CHECK: smc: error: {{.*}}illegal-form.mlir: form selection failed:
// CHECK-NEXT: 'sma.contract' op form '[[$FORM]]' is illegal for this mask: 'sma.mask.window' is banded (width 5) and has no constant-size state; only the quadratic form is legal
// CHECK-NOT: {{PASS|FAIL|contraction|output}}

func.func @window(%c: tensor<?x?x2x8xf32>, %b: tensor<?x?x2x8xf32>, %x: tensor<?x?x4x8xf32>) -> tensor<?x?x4x8xf32> {
  %m = sma.mask.window 5
  %y = sma.contract C(%c : tensor<?x?x2x8xf32>) B(%b : tensor<?x?x2x8xf32>) X(%x : tensor<?x?x4x8xf32>) mask(%m) -> tensor<?x?x4x8xf32>
  return %y : tensor<?x?x4x8xf32>
}
