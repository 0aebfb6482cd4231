// RUN: smc-opt %s --sma-gpu-modules-to-binaries="format=isa" | FileCheck %s
// RUN: not smc-opt %s --sma-gpu-modules-to-binaries="format=elf" 2>&1 | FileCheck %s --check-prefix=FORMAT

// Every module is serialized (here to PTX, which needs no CUDA toolkit), in
// parallel, and becomes a gpu.binary in the modules' order.
// CHECK-NOT: gpu.module
// CHECK: gpu.binary @first [#gpu.object<#nvvm.target<chip = "sm_90">, {{.*}}assembly = "{{.*}}.entry first_kernel
// CHECK: gpu.binary @second [#gpu.object<#nvvm.target<chip = "sm_90">, {{.*}}assembly = "{{.*}}.entry second_kernel
// CHECK: gpu.binary @third [#gpu.object<#nvvm.target<chip = "sm_90">, {{.*}}assembly = "{{.*}}.entry third_kernel
// CHECK-NOT: gpu.module

// FORMAT: error: format 'elf': expected isa, bin or fatbin

module attributes {gpu.container_module} {
  gpu.module @first [#nvvm.target<chip = "sm_90">] {
    llvm.func @first_kernel() attributes {gpu.kernel, nvvm.kernel} {
      llvm.return
    }
  }
  gpu.module @second [#nvvm.target<chip = "sm_90">] {
    llvm.func @second_kernel() attributes {gpu.kernel, nvvm.kernel} {
      llvm.return
    }
  }
  gpu.module @third [#nvvm.target<chip = "sm_90">] {
    llvm.func @third_kernel() attributes {gpu.kernel, nvvm.kernel} {
      llvm.return
    }
  }
}
