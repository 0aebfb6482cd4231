// RUN: smc explain %s | FileCheck %s
// RUN: smc explain %s --target=cpu | FileCheck %s --check-prefix=CPU

// Decode step: T = 1 with a carried state takes the linear form.
// CHECK: sma.contract at {{.*}}explain.mlir:{{[0-9]+}}:{{[0-9]+}}
// CHECK-NEXT: shape:     sequences 256, length 1, heads 80, groups 1, p 64, n 128, 2-byte data, initial state, final state
// CHECK-NEXT: mask:      sma.mask.decay: causal, semiseparable, data dependent
// CHECK-NEXT: legal:     linear, quadratic, chunked
// CHECK-NEXT: target:    h200 (5.2e+04 GFLOP/s matmul, 4300 GB/s, 132 parallel units)
// CHECK: choice:    linear: lowest modelled time
func.func @decode(%c: tensor<256x1x1x128xbf16>, %b: tensor<256x1x1x128xbf16>, %x: tensor<256x1x80x64xbf16>, %a: tensor<256x1x80xf32>, %s0: tensor<256x80x64x128xf32>) -> (tensor<256x1x80x64xbf16>, tensor<256x80x64x128xf32>) {
  %m = sma.mask.decay %a : tensor<256x1x80xf32>
  %y, %s = sma.contract C(%c : tensor<256x1x1x128xbf16>) B(%b : tensor<256x1x1x128xbf16>) X(%x : tensor<256x1x80x64xbf16>) mask(%m) init(%s0 : tensor<256x80x64x128xf32>) -> tensor<256x1x80x64xbf16>, tensor<256x80x64x128xf32>
  return %y, %s : tensor<256x1x80x64xbf16>, tensor<256x80x64x128xf32>
}

// The Mamba-2 2.7B mixer at 16K tokens (via sma.ssd): chunked, with every
// candidate's modelled time, FLOPs and bytes.
// CHECK: sma.contract at {{.*}}explain.mlir:{{[0-9]+}}:{{[0-9]+}}
// CHECK-NEXT: shape:     sequences 8, length 2048, heads 80, groups 1, p 64, n 128, 2-byte data
// CHECK-NEXT: mask:      sma.mask.decay: causal, semiseparable, data dependent
// CHECK-NEXT: legal:     linear, quadratic, chunked
// CHECK-NEXT: target:    h200
// CHECK-NEXT: candidate time (ms) GFLOP MB launches bound by
// CHECK-NEXT: linear {{[0-9.]+}} {{[0-9.]+}} {{[0-9.]+}} 1 {{[a-z]+}}
// CHECK-NEXT: chunked(32)
// CHECK-NEXT: chunked(64)
// CHECK-NEXT: chunked(128)
// The GPU kernels take chunks of at most 128.
// CHECK-NEXT: quadratic
// CHECK-NEXT: choice:    chunked({{[0-9]+}}): lowest modelled time, {{[0-9.]+}}x faster than the best {{linear|quadratic}} candidate
// CPU: sma.contract at {{.*}}explain.mlir:{{[0-9]+}}:{{[0-9]+}}
// CPU: target:    cpu (40 GFLOP/s matmul, 20 GB/s, 2 parallel units)
// CPU: choice:    chunked
func.func @mamba(%x: tensor<8x2048x80x64xbf16>, %dt: tensor<8x2048x80xbf16>, %A: tensor<80xf32>, %B: tensor<8x2048x1x128xbf16>, %C: tensor<8x2048x1x128xbf16>) -> tensor<8x2048x80x64xbf16> {
  %y = sma.ssd x(%x : tensor<8x2048x80x64xbf16>) dt(%dt : tensor<8x2048x80xbf16>) A(%A : tensor<80xf32>) B(%B : tensor<8x2048x1x128xbf16>) C(%C : tensor<8x2048x1x128xbf16>) {dt_softplus} -> tensor<8x2048x80x64xbf16>
  return %y : tensor<8x2048x80x64xbf16>
}

// A window mask: quadratic only, and explain says why.
// CHECK: sma.contract at {{.*}}explain.mlir:{{[0-9]+}}:{{[0-9]+}}
// CHECK: legal:     quadratic
// CHECK-NEXT: (linear and chunked need a state recurrence: 'sma.mask.window' is banded (width 128) and has no constant-size state)
// CHECK: quadratic {{.*}} <- chosen
// CHECK-NEXT: choice:    quadratic: the only legal form
func.func @window(%c: tensor<1x4096x1x64xbf16>, %b: tensor<1x4096x1x64xbf16>, %x: tensor<1x4096x8x64xbf16>) -> tensor<1x4096x8x64xbf16> {
  %m = sma.mask.window 128
  %y = sma.contract C(%c : tensor<1x4096x1x64xbf16>) B(%b : tensor<1x4096x1x64xbf16>) X(%x : tensor<1x4096x8x64xbf16>) mask(%m) -> tensor<1x4096x8x64xbf16>
  return %y : tensor<1x4096x8x64xbf16>
}
