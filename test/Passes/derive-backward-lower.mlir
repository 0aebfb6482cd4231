// The backward lowers through the CPU pipeline, the zero gradient of an
// input that reaches no result included (its generic yields a constant that
// canonicalization hoists out of the body: sma-fuse-elementwise used to
// crash on it). On the GPU every building block of the backward lowers to
// kernels, sma.decay_grad with a final state's gradient included.

// RUN: smc-opt %s --sma-derive-backward=entry=f --sma-to-cpu | FileCheck %s --check-prefix=CPU
// RUN: smc-opt %s --sma-derive-backward=entry=f --sma-to-nvvm="chip=sm_90 format=isa" | FileCheck %s --check-prefix=GPU
// RUN: smc-opt %s --sma-derive-backward=entry=decay --sma-to-nvvm="chip=sm_90 format=isa" | FileCheck %s --check-prefix=DECAY

// CPU: llvm.func @f_bwd(
// GPU: gpu.binary
// GPU: func.func @f_bwd(
// GPU: gpu.launch_func

// DECAY: gpu.binary
// DECAY: func.func @decay_bwd(
// DECAY: gpu.launch_func

func.func @f(%c: tensor<2x?x1x16xf32>, %b: tensor<2x?x1x16xf32>,
    %x: tensor<2x?x4x8xf32>, %unused: tensor<2x?x4xf32>,
    %h0: tensor<2x4x8x16xf32>) -> (tensor<2x?x4x8xf32>, tensor<2x4x8x16xf32>) {
  %m = sma.mask.fixed_decay [0.9, 0.95, 0.99, 1.0]
  %y, %s = sma.contract C(%c : tensor<2x?x1x16xf32>) B(%b : tensor<2x?x1x16xf32>)
      X(%x : tensor<2x?x4x8xf32>) mask(%m) init(%h0 : tensor<2x4x8x16xf32>)
      -> tensor<2x?x4x8xf32>, tensor<2x4x8x16xf32>
  return %y, %s : tensor<2x?x4x8xf32>, tensor<2x4x8x16xf32>
}

func.func @decay(%c: tensor<2x?x1x32xbf16>, %b: tensor<2x?x1x32xbf16>,
    %x: tensor<2x?x4x32xbf16>, %a: tensor<2x?x4xf32>,
    %h0: tensor<2x4x32x32xf32>) -> (tensor<2x?x4x32xbf16>, tensor<2x4x32x32xf32>) {
  %m = sma.mask.decay %a : tensor<2x?x4xf32>
  %y, %s = sma.contract C(%c : tensor<2x?x1x32xbf16>) B(%b : tensor<2x?x1x32xbf16>)
      X(%x : tensor<2x?x4x32xbf16>) mask(%m) init(%h0 : tensor<2x4x32x32xf32>)
      -> tensor<2x?x4x32xbf16>, tensor<2x4x32x32xf32>
  return %y, %s : tensor<2x?x4x32xbf16>, tensor<2x4x32x32xf32>
}
