// RUN: smc-opt %s -split-input-file -verify-diagnostics --sma-decompose-forms

// The CPU's chunked program holds a [Q, Q] f32 score tile: Q is at most 4096
// (64 MB), so a huge chunk is a diagnostic, not a failed allocation in the
// JIT code.
func.func @cpu_chunk_too_large(%c: tensor<1x?x1x4xf32>, %b: tensor<1x?x1x4xf32>, %x: tensor<1x?x2x3xf32>) -> tensor<1x?x2x3xf32> {
  %m = sma.mask.causal
  // expected-error @+1 {{'sma.contract' op chunk 4097 is larger than the CPU tiles support (at most 4096)}}
  %y = sma.contract C(%c : tensor<1x?x1x4xf32>) B(%b : tensor<1x?x1x4xf32>) X(%x : tensor<1x?x2x3xf32>) mask(%m) {form = #sma.form<chunked, 4097>} -> tensor<1x?x2x3xf32>
  return %y : tensor<1x?x2x3xf32>
}

// -----

// 4096 itself is taken.
func.func @cpu_chunk_largest(%c: tensor<1x?x1x4xf32>, %b: tensor<1x?x1x4xf32>, %x: tensor<1x?x2x3xf32>) -> tensor<1x?x2x3xf32> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<1x?x1x4xf32>) B(%b : tensor<1x?x1x4xf32>) X(%x : tensor<1x?x2x3xf32>) mask(%m) {form = #sma.form<chunked, 4096>} -> tensor<1x?x2x3xf32>
  return %y : tensor<1x?x2x3xf32>
}
