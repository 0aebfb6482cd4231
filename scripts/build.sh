#!/usr/bin/env bash
# Configures (once) and builds smc in ./build with Ninja.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SMC_BUILD_DIR:-$root/build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR="$(llvm-config-22 --prefix)/lib/cmake/mlir" \
    -DLLVM_EXTERNAL_LIT="$(llvm-config-22 --bindir)/lit" >/dev/null
fi
ninja -C "$build" "$@"
