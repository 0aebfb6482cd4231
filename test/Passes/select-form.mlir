// RUN: smc-opt %s --split-input-file --sma-select-form | FileCheck %s
// RUN: smc-opt %s --split-input-file --sma-select-form="force-form=quadratic" | FileCheck %s --check-prefix=QUAD

// The decode step (T = 1 with a carried state) takes the linear form.
// CHECK-LABEL: func.func @decode
// CHECK: sma.contract {{.*}} {form = #sma.form<linear>}
// QUAD-LABEL: func.func @decode
// QUAD: {form = #sma.form<quadratic>}
func.func @decode(%c: tensor<256x1x1x128xbf16>, %b: tensor<256x1x1x128xbf16>, %x: tensor<256x1x80x64xbf16>, %a: tensor<256x1x80xf32>, %s0: tensor<256x80x64x128xf32>) -> (tensor<256x1x80x64xbf16>, tensor<256x80x64x128xf32>) {
  %m = sma.mask.decay %a : tensor<256x1x80xf32>
  %y, %s = sma.contract C(%c : tensor<256x1x1x128xbf16>) B(%b : tensor<256x1x1x128xbf16>) X(%x : tensor<256x1x80x64xbf16>) mask(%m) init(%s0 : tensor<256x80x64x128xf32>) -> tensor<256x1x80x64xbf16>, tensor<256x80x64x128xf32>
  return %y, %s : tensor<256x1x80x64xbf16>, tensor<256x80x64x128xf32>
}

// -----

// Long sequences of the Mamba-2 2.7B mixer take the chunked form.
// CHECK-LABEL: func.func @long
// CHECK: sma.contract {{.*}} {form = #sma.form<chunked, {{[0-9]+}}>}
// QUAD-LABEL: func.func @long
// QUAD: {form = #sma.form<quadratic>}
func.func @long(%c: tensor<8x2048x1x128xbf16>, %b: tensor<8x2048x1x128xbf16>, %x: tensor<8x2048x80x64xbf16>, %a: tensor<8x2048x80xf32>) -> tensor<8x2048x80x64xbf16> {
  %m = sma.mask.decay %a : tensor<8x2048x80xf32>
  %y = sma.contract C(%c : tensor<8x2048x1x128xbf16>) B(%b : tensor<8x2048x1x128xbf16>) X(%x : tensor<8x2048x80x64xbf16>) mask(%m) -> tensor<8x2048x80x64xbf16>
  return %y : tensor<8x2048x80x64xbf16>
}

// -----

// A banded mask has no recurrence: quadratic whatever the length.
// CHECK-LABEL: func.func @window
// CHECK: sma.contract {{.*}} {form = #sma.form<quadratic>}
// QUAD-LABEL: func.func @window
// QUAD: {form = #sma.form<quadratic>}
func.func @window(%c: tensor<1x4096x1x64xbf16>, %b: tensor<1x4096x1x64xbf16>, %x: tensor<1x4096x8x64xbf16>) -> tensor<1x4096x8x64xbf16> {
  %m = sma.mask.window 128
  %y = sma.contract C(%c : tensor<1x4096x1x64xbf16>) B(%b : tensor<1x4096x1x64xbf16>) X(%x : tensor<1x4096x8x64xbf16>) mask(%m) -> tensor<1x4096x8x64xbf16>
  return %y : tensor<1x4096x8x64xbf16>
}

// -----

// A form the user set on the op is kept.
// CHECK-LABEL: func.func @user_form
// CHECK: sma.contract {{.*}} {form = #sma.form<quadratic>}
func.func @user_form(%c: tensor<8x2048x1x128xbf16>, %b: tensor<8x2048x1x128xbf16>, %x: tensor<8x2048x80x64xbf16>) -> tensor<8x2048x80x64xbf16> {
  %m = sma.mask.causal
  %y = sma.contract C(%c : tensor<8x2048x1x128xbf16>) B(%b : tensor<8x2048x1x128xbf16>) X(%x : tensor<8x2048x80x64xbf16>) mask(%m) {form = #sma.form<quadratic>} -> tensor<8x2048x80x64xbf16>
  return %y : tensor<8x2048x80x64xbf16>
}
