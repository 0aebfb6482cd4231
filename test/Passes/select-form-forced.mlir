// RUN: smc-opt %s --sma-select-form="force-form=chunked chunk=32" | FileCheck %s
// RUN: smc-opt %s --sma-select-form="force-form=chunked" | FileCheck %s --check-prefix=AUTO
// RUN: smc-opt %s --sma-select-form="force-form=linear" | FileCheck %s --check-prefix=LINEAR

// A forced form overrides the model, also on the decode step; a forced
// chunked form without a size gets the modelled best size.
// CHECK-LABEL: func.func @decode
// CHECK: {form = #sma.form<chunked, 32>}
// AUTO-LABEL: func.func @decode
// AUTO: {form = #sma.form<chunked, {{32|64|128|256}}>}
// LINEAR-LABEL: func.func @decode
// LINEAR: {form = #sma.form<linear>}
func.func @decode(%c: tensor<4x1x1x16xf32>, %b: tensor<4x1x1x16xf32>, %x: tensor<4x1x2x8xf32>) -> tensor<4x1x2x8xf32> {
  %m = sma.mask.fixed_decay [0.5, 0.25]
  %y = sma.contract C(%c : tensor<4x1x1x16xf32>) B(%b : tensor<4x1x1x16xf32>) X(%x : tensor<4x1x2x8xf32>) mask(%m) -> tensor<4x1x2x8xf32>
  return %y : tensor<4x1x2x8xf32>
}
