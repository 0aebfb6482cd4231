// The model definitions in examples/ parse, verify and print back as written.
// RUN: smc-opt %examples/mamba2.mlir | FileCheck %s --check-prefix=MAMBA
// RUN: smc-opt %examples/mamba2_decode.mlir | FileCheck %s --check-prefix=DECODE
// RUN: smc-opt %examples/retnet.mlir | FileCheck %s --check-prefix=RETNET
// RUN: smc-opt %examples/linear_attention.mlir | FileCheck %s --check-prefix=LINEAR
// RUN: smc-opt %examples/window_decay.mlir | FileCheck %s --check-prefix=WINDOW
// RUN: smc-opt %examples/alibi_custom.mlir | FileCheck %s --check-prefix=ALIBI

// MAMBA-LABEL: func.func @mamba2_mixer(
// MAMBA-SAME:      %[[X:.*]]: tensor<?x?x80x64xbf16>, %[[DT:.*]]: tensor<?x?x80xbf16>, %[[A:.*]]: tensor<80xf32>, %[[B:.*]]: tensor<?x?x1x128xbf16>, %[[C:.*]]: tensor<?x?x1x128xbf16>, %[[D:.*]]: tensor<80xf32>, %[[Z:.*]]: tensor<?x?x80x64xbf16>, %[[DB:.*]]: tensor<80xf32>)
// MAMBA-SAME:      -> tensor<?x?x80x64xbf16>
// MAMBA-NEXT:    %[[Y:.*]] = sma.ssd x(%[[X]] : tensor<?x?x80x64xbf16>) dt(%[[DT]] : tensor<?x?x80xbf16>) A(%[[A]] : tensor<80xf32>) B(%[[B]] : tensor<?x?x1x128xbf16>) C(%[[C]] : tensor<?x?x1x128xbf16>) D(%[[D]] : tensor<80xf32>) z(%[[Z]] : tensor<?x?x80x64xbf16>) dt_bias(%[[DB]] : tensor<80xf32>) {dt_softplus} -> tensor<?x?x80x64xbf16>{{$}}
// MAMBA-NEXT:    return %[[Y]] : tensor<?x?x80x64xbf16>

// DECODE-LABEL: func.func @mamba2_decode_step(
// DECODE-SAME:      %[[X:.*]]: tensor<?x1x80x64xbf16>, %[[DT:.*]]: tensor<?x1x80xbf16>, %[[A:.*]]: tensor<80xf32>, %[[B:.*]]: tensor<?x1x1x128xbf16>, %[[C:.*]]: tensor<?x1x1x128xbf16>, %[[D:.*]]: tensor<80xf32>, %[[Z:.*]]: tensor<?x1x80x64xbf16>, %[[DB:.*]]: tensor<80xf32>, %[[S0:.*]]: tensor<?x80x64x128xf32>)
// DECODE-SAME:      -> (tensor<?x1x80x64xbf16>, tensor<?x80x64x128xf32>)
// DECODE-NEXT:    %[[Y:.*]], %[[S:.*]] = sma.ssd x(%[[X]] : tensor<?x1x80x64xbf16>) dt(%[[DT]] : tensor<?x1x80xbf16>) A(%[[A]] : tensor<80xf32>) B(%[[B]] : tensor<?x1x1x128xbf16>) C(%[[C]] : tensor<?x1x1x128xbf16>) D(%[[D]] : tensor<80xf32>) z(%[[Z]] : tensor<?x1x80x64xbf16>) dt_bias(%[[DB]] : tensor<80xf32>) init(%[[S0]] : tensor<?x80x64x128xf32>) {dt_softplus} -> tensor<?x1x80x64xbf16>, tensor<?x80x64x128xf32>{{$}}
// DECODE-NEXT:    return %[[Y]], %[[S]] : tensor<?x1x80x64xbf16>, tensor<?x80x64x128xf32>

// gamma_h = 1 - 2^(-5-h), exactly.
// RETNET-LABEL: func.func @retention(
// RETNET-SAME:      %[[Q:.*]]: tensor<?x?x8x64xbf16>, %[[K:.*]]: tensor<?x?x8x64xbf16>, %[[V:.*]]: tensor<?x?x8x64xbf16>)
// RETNET-NEXT:    %[[M:.*]] = sma.mask.fixed_decay [9.687500e-01, 9.843750e-01, 0.9921875, 0.99609375, 0.998046875, 0.9990234375, 0.99951171875, 0.999755859375]{{$}}
// RETNET-NEXT:    %[[Y:.*]] = sma.contract C(%[[Q]] : tensor<?x?x8x64xbf16>) B(%[[K]] : tensor<?x?x8x64xbf16>) X(%[[V]] : tensor<?x?x8x64xbf16>) mask(%[[M]]) -> tensor<?x?x8x64xbf16>{{$}}
// RETNET-NEXT:    return %[[Y]]

// LINEAR-LABEL: func.func @linear_attention(
// LINEAR-SAME:      %[[Q:.*]]: tensor<?x?x8x64xf32>, %[[K:.*]]: tensor<?x?x8x64xf32>, %[[V:.*]]: tensor<?x?x8x64xf32>)
// LINEAR-NEXT:    %[[M:.*]] = sma.mask.causal{{$}}
// LINEAR-NEXT:    %[[Y:.*]] = sma.contract C(%[[Q]] : tensor<?x?x8x64xf32>) B(%[[K]] : tensor<?x?x8x64xf32>) X(%[[V]] : tensor<?x?x8x64xf32>) mask(%[[M]]) -> tensor<?x?x8x64xf32>{{$}}
// LINEAR-NEXT:    return %[[Y]]

// WINDOW-LABEL: func.func @window_decay(
// WINDOW-SAME:      %[[C:.*]]: tensor<?x?x1x64xbf16>, %[[B:.*]]: tensor<?x?x1x64xbf16>, %[[X:.*]]: tensor<?x?x8x64xbf16>, %[[A:.*]]: tensor<?x?x8xf32>)
// WINDOW-NEXT:    %[[W:.*]] = sma.mask.window 128{{$}}
// WINDOW-NEXT:    %[[D:.*]] = sma.mask.decay %[[A]] : tensor<?x?x8xf32>{{$}}
// WINDOW-NEXT:    %[[M:.*]] = sma.mask.mul %[[W]], %[[D]]{{$}}
// WINDOW-NEXT:    %[[Y:.*]] = sma.contract C(%[[C]] : tensor<?x?x1x64xbf16>) B(%[[B]] : tensor<?x?x1x64xbf16>) X(%[[X]] : tensor<?x?x8x64xbf16>) mask(%[[M]]) -> tensor<?x?x8x64xbf16>{{$}}
// WINDOW-NEXT:    return %[[Y]]

// ALIBI-LABEL: func.func @alibi_custom(
// ALIBI-SAME:      %[[Q:.*]]: tensor<?x?x8x64xf32>, %[[K:.*]]: tensor<?x?x8x64xf32>, %[[V:.*]]: tensor<?x?x8x64xf32>, %[[R:.*]]: tensor<?x?x8xf32>)
// ALIBI-NEXT:    %[[M:.*]] = sma.mask.custom causal(%[[R]] : tensor<?x?x8xf32>) {
// ALIBI-NEXT:    ^bb0(%[[T:.*]]: index, %[[S:.*]]: index, %[[H:.*]]: index, %[[RT:.*]]: f32, %{{.*}}: f32):
// ALIBI:           %[[SLOPE:.*]] = math.powf %{{.*}}, %{{.*}} : f32
// ALIBI:           %[[DIST:.*]] = arith.subi %[[T]], %[[S]] : index
// ALIBI:           %[[RATE:.*]] = arith.mulf %[[SLOPE]], %[[RT]] : f32
// ALIBI:           %[[L:.*]] = math.exp %{{.*}} : f32
// ALIBI-NEXT:      sma.yield %[[L]] : f32
// ALIBI-NEXT:    }
// ALIBI-NEXT:    %[[Y:.*]] = sma.contract C(%[[Q]] : tensor<?x?x8x64xf32>) B(%[[K]] : tensor<?x?x8x64xf32>) X(%[[V]] : tensor<?x?x8x64xf32>) mask(%[[M]]) -> tensor<?x?x8x64xf32>{{$}}
// ALIBI-NEXT:    return %[[Y]]
