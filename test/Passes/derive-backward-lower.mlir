// The backward lowers through the CPU pipeline, the zero gradient of an
// input that reaches no result included (its generic yields a constant that
// canonicalization hoists out of the body: sma-fuse-elementwise used to
// crash on it). On the GPU, the backward of a model without a decay
// gradient lowers to kernels; sma.decay_grad does not yet (its cross-warp
// row sums have no lowering), see docs/training.md.

// RUN: smc-opt %s --sma-derive-backward --sma-to-cpu | FileCheck %s --check-prefix=CPU
// RUN: smc-opt %s --sma-derive-backward --sma-to-nvvm="chip=sm_90 format=isa" | FileCheck %s --check-prefix=GPU

// CPU: llvm.func @f_bwd(
// GPU: gpu.binary
// GPU: func.func @f_bwd(
// GPU: gpu.launch_func

func.func @f(%c: tensor<2x?x1x16xf32>, %b: tensor<2x?x1x16xf32>,
    %x: tensor<2x?x4x8xf32>, %unused: tensor<2x?x4xf32>,
    %h0: tensor<2x4x8x16xf32>) -> (tensor<2x?x4x8xf32>, tensor<2x4x8x16xf32>) {
  %m = sma.mask.fixed_decay [0.9, 0.95, 0.99, 1.0]
  %y, %s = sma.contract C(%c : tensor<2x?x1x16xf32>) B(%b : tensor<2x?x1x16xf32>)
      X(%x : tensor<2x?x4x8xf32>) mask(%m) init(%h0 : tensor<2x4x8x16xf32>)
      -> tensor<2x?x4x8xf32>, tensor<2x4x8x16xf32>
  return %y, %s : tensor<2x?x4x8xf32>, tensor<2x4x8x16xf32>
}
