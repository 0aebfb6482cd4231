// The derived backward for the other mask families, f32, against the
// float64 reference's gradients: a window and a window times a decay
// (quadratic only), a custom region without operands, a decay applied twice
// with C used as both keys (gradients of an input used twice add up), and
// a decay over packed sequences (cu_seqlens, an empty one included) with
// states, h != g where the shapes allow.

// RUN: smc run %s --entry=window --grad --check --form=all --seqlen=70 --seed=410 | FileCheck %s --check-prefix=ONE
// RUN: smc run %s --entry=window_decay --grad --check --form=all --seqlen=70 --seed=411 | FileCheck %s --check-prefix=ONE
// RUN: smc run %s --entry=custom --grad --check --form=all --seqlen=7 --seed=412 | FileCheck %s --check-prefix=ONE
// RUN: smc run %s --entry=shared --grad --check --form=all --chunk=16 --seqlen=53 --seed=413 | FileCheck %s --check-prefix=ALL
// RUN: smc run %s --entry=varlen --grad --check --form=all --chunk=16 --seqlens=5,0,17,40 --seed=414 | FileCheck %s --check-prefix=ALL

// ONE: form gradient shape rel. error max abs err tolerance result
// ONE-NEXT: quadratic dC {{.*}} PASS
// ONE-NEXT: quadratic dB {{.*}} PASS
// ONE-NEXT: quadratic dX {{.*}} PASS
// ONE-NOT: FAIL

// ALL: form gradient shape rel. error max abs err tolerance result
// ALL-NOT: FAIL
// ALL: chunked dlog_decay {{.*}} PASS
// ALL-NOT: FAIL

func.func @window(%c: tensor<2x?x2x8xf32>, %b: tensor<2x?x2x8xf32>, %x: tensor<2x?x4x4xf32>) -> tensor<2x?x4x4xf32> {
  %m = sma.mask.window 5
  %y = sma.contract C(%c : tensor<2x?x2x8xf32>) B(%b : tensor<2x?x2x8xf32>) X(%x : tensor<2x?x4x4xf32>) mask(%m) -> tensor<2x?x4x4xf32>
  return %y : tensor<2x?x4x4xf32>
}
func.func @window_decay(%c: tensor<2x?x2x8xf32>, %b: tensor<2x?x2x8xf32>, %x: tensor<2x?x4x4xf32>, %a: tensor<2x?x4xf32>) -> tensor<2x?x4x4xf32> {
  %w = sma.mask.window 20
  %d = sma.mask.decay %a : tensor<2x?x4xf32>
  %m = sma.mask.mul %w, %d
  %y = sma.contract C(%c : tensor<2x?x2x8xf32>) B(%b : tensor<2x?x2x8xf32>) X(%x : tensor<2x?x4x4xf32>) mask(%m) -> tensor<2x?x4x4xf32>
  return %y : tensor<2x?x4x4xf32>
}
func.func @custom(%c: tensor<2x?x2x8xf32>, %b: tensor<2x?x2x8xf32>, %x: tensor<2x?x4x4xf32>) -> tensor<2x?x4x4xf32> {
  %m = sma.mask.custom causal {
  ^bb0(%t: index, %s: index, %h: index):
    %d = arith.subi %t, %s : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %k = arith.constant -0.1 : f32
    %e = arith.mulf %k, %df : f32
    %v = math.cos %e : f32
    sma.yield %v : f32
  }
  %y = sma.contract C(%c : tensor<2x?x2x8xf32>) B(%b : tensor<2x?x2x8xf32>) X(%x : tensor<2x?x4x4xf32>) mask(%m) -> tensor<2x?x4x4xf32>
  return %y : tensor<2x?x4x4xf32>
}
func.func @shared(%c: tensor<2x?x4x8xf32>, %x: tensor<2x?x4x4xf32>, %a: tensor<2x?x4xf32>) -> tensor<2x?x4x4xf32> {
  %d = sma.mask.decay %a : tensor<2x?x4xf32>
  %m = sma.mask.mul %d, %d
  %y = sma.contract C(%c : tensor<2x?x4x8xf32>) B(%c : tensor<2x?x4x8xf32>) X(%x : tensor<2x?x4x4xf32>) mask(%m) -> tensor<2x?x4x4xf32>
  return %y : tensor<2x?x4x4xf32>
}
func.func @varlen(%c: tensor<1x?x1x8xf32>, %b: tensor<1x?x1x8xf32>, %x: tensor<1x?x2x4xf32>, %a: tensor<1x?x2xf32>, %h0: tensor<?x2x4x8xf32>, %cu: tensor<?xi32>) -> (tensor<1x?x2x4xf32>, tensor<?x2x4x8xf32>) {
  %m = sma.mask.decay %a : tensor<1x?x2xf32>
  %y, %s = sma.contract C(%c : tensor<1x?x1x8xf32>) B(%b : tensor<1x?x1x8xf32>) X(%x : tensor<1x?x2x4xf32>) mask(%m) init(%h0 : tensor<?x2x4x8xf32>) seqs(%cu : tensor<?xi32>) -> tensor<1x?x2x4xf32>, tensor<?x2x4x8xf32>
  return %y, %s : tensor<1x?x2x4xf32>, tensor<?x2x4x8xf32>
}
