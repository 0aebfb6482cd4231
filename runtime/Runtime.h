//===- Runtime.h - the smc GPU runtime --------------------------*- C++ -*-===//
//
// Part of the smc project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The runtime's C++ API in one include: parse an artifact (Artifact.h),
/// open a Device and load an Executable (Device.h, Executable.h), run an
/// entry on DeviceTensors. Built on the CUDA driver API only, loaded at run
/// time (Driver.h); no MLIR or LLVM. The C API is smc_runtime.h.
///
//===----------------------------------------------------------------------===//

#ifndef SMC_RUNTIME_RUNTIME_H
#define SMC_RUNTIME_RUNTIME_H

#include "runtime/Artifact.h"
#include "runtime/Binding.h"
#include "runtime/Device.h"
#include "runtime/DeviceTensor.h"
#include "runtime/Executable.h"

#endif // SMC_RUNTIME_RUNTIME_H
