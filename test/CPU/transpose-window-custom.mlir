// Transposes of masks without a state recurrence, which run quadratic
// only, f32, h = 2, g = 1, p = 4, n = 8: a window (anti-causal band; the
// later tiles up to its edge), a custom causal region (read at (s, t)) and
// a transposed decay times a causal mask (only the diagonal is left).
// Against the float64 reference at T = 1, 7, 70 (more than a tile).

// RUN: smc run %s --entry=window --check --form=all --seqlen=1 --seed=360 | FileCheck %s -D'$F=window'
// RUN: smc run %s --entry=window --check --form=all --seqlen=70 --seed=361 | FileCheck %s -D'$F=window'
// RUN: smc run %s --entry=custom --check --form=all --seqlen=7 --seed=362 | FileCheck %s -D'$F=custom'
// RUN: smc run %s --entry=custom --check --form=all --seqlen=70 --seed=363 | FileCheck %s -D'$F=custom'
// RUN: smc run %s --entry=diagonal --check --form=all --seqlen=70 --seed=364 | FileCheck %s -D'$F=diagonal'

// CHECK: model {{.*}} @[[$F]]:
// CHECK-NEXT: contraction 0: form quadratic
// CHECK: quadratic 0 {{.*}} 1.0e-05 PASS
// CHECK-NOT: FAIL

func.func @window(%c: tensor<2x?x1x8xf32>, %b: tensor<2x?x1x8xf32>,
    %x: tensor<2x?x2x4xf32>) -> tensor<2x?x2x4xf32> {
  %w = sma.mask.window 20
  %m = sma.mask.transpose %w
  %y = sma.contract C(%c : tensor<2x?x1x8xf32>) B(%b : tensor<2x?x1x8xf32>)
      X(%x : tensor<2x?x2x4xf32>) mask(%m) -> tensor<2x?x2x4xf32>
  return %y : tensor<2x?x2x4xf32>
}

func.func @custom(%c: tensor<2x?x1x8xf32>, %b: tensor<2x?x1x8xf32>,
    %x: tensor<2x?x2x4xf32>, %k: tensor<2x?x2xf32>) -> tensor<2x?x2x4xf32> {
  %r = sma.mask.custom causal (%k : tensor<2x?x2xf32>) {
  ^bb0(%t: index, %s: index, %h: index, %kt: f32, %ks: f32):
    %d = arith.subi %t, %s : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %e = arith.mulf %kt, %df : f32
    %v = arith.addf %e, %ks : f32
    sma.yield %v : f32
  }
  %m = sma.mask.transpose %r
  %y = sma.contract C(%c : tensor<2x?x1x8xf32>) B(%b : tensor<2x?x1x8xf32>)
      X(%x : tensor<2x?x2x4xf32>) mask(%m) -> tensor<2x?x2x4xf32>
  return %y : tensor<2x?x2x4xf32>
}

func.func @diagonal(%c: tensor<2x?x1x8xf32>, %b: tensor<2x?x1x8xf32>,
    %x: tensor<2x?x2x4xf32>) -> tensor<2x?x2x4xf32> {
  %f = sma.mask.fixed_decay [0.9, 0.5]
  %t = sma.mask.transpose %f
  %k = sma.mask.causal
  %m = sma.mask.mul %t, %k
  %y = sma.contract C(%c : tensor<2x?x1x8xf32>) B(%b : tensor<2x?x1x8xf32>)
      X(%x : tensor<2x?x2x4xf32>) mask(%m) -> tensor<2x?x2x4xf32>
  return %y : tensor<2x?x2x4xf32>
}
