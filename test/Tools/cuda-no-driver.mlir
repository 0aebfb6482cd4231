// Without an NVIDIA driver, the GPU paths of smc compile the artifact, then
// say clearly why they cannot run it (exit 2), instead of crashing.
// REQUIRES: smc-runner, ptxas
// UNSUPPORTED: cuda-device
// RUN: not smc run %S/summary.mlir --backend=cuda --check 2>&1 | FileCheck %s
// RUN: not smc bench %S/summary.mlir --iters 3 2>&1 | FileCheck %s
// RUN: not smc run %S/summary.mlir --backend=tpu 2>&1 | FileCheck %s --check-prefix=BACKEND

// CHECK: smc: lowering to sm_90 kernels...
// CHECK: smc: wrote {{.*}}.smca ({{[0-9]+}} kernels
// CHECK: smc-runner: error: CUDA driver unavailable: cannot load 'libcuda.so.1'

// BACKEND: smc: error: unknown backend 'tpu' (expected cpu or cuda)
