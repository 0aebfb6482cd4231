#!/usr/bin/env bash
# Runs the smc_torch GPU tests (PyTorch with CUDA and a GPU needed):
#
#   runtime/python/gpu_test_torch.sh ARTIFACT_DIR [LIB_DIR] [TEST...]
#
# ARTIFACT_DIR: made by runtime/python/prepare_torch_tests.sh; LIB_DIR holds
# libsmc_runtime.so (default ARTIFACT_DIR/lib). TEST names run only those
# tests (e.g. compile_fullgraph). Prints one line per test and a PASS/FAIL
# table; exits 1 if any test failed. About 1-3 minutes, mostly
# torch.compile.
set -uo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 ARTIFACT_DIR [LIB_DIR] [TEST...]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
artifacts=$(cd "$1" && pwd) || exit 2
shift
lib=$artifacts/lib
if [ $# -gt 0 ] && [ -d "$1" ]; then
  lib=$(cd "$1" && pwd)
  shift
fi
if [ ! -e "$lib/libsmc_runtime.so" ]; then
  echo "$0: $lib/libsmc_runtime.so is missing" >&2
  exit 2
fi
export SMC_RUNTIME_LIB=$lib/libsmc_runtime.so
export SMC_TORCH_GPU_ARTIFACTS=$artifacts
export PYTHONPATH=$here${PYTHONPATH:+:$PYTHONPATH}
exec "${PYTHON:-python3}" "$here/test_smc_torch_gpu.py" "$@"
