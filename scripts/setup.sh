#!/usr/bin/env bash
# Installs what smc's build needs from Debian's packages. Idempotent: it is
# quiet and quick when everything is already there.
set -euo pipefail

# clang-22 and its runtime libraries build the libFuzzer targets (fuzz/).
packages=(llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools libfmt-dev
          ninja-build libgtest-dev cmake g++ clang-22 libclang-rt-22-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The CUDA toolkit is optional for building and testing on the CPU; without it
# the GPU parts (cubin tests, the runtime) are skipped. Say so clearly.
cuda_home=${CUDA_HOME:-/usr/local/cuda}
if ! command -v ptxas >/dev/null 2>&1 && [ ! -x "$cuda_home/bin/ptxas" ]; then
  echo "setup: note: ptxas not found (PATH or \$CUDA_HOME/bin): cubin tests will be skipped" >&2
fi
if [ ! -f "$cuda_home/include/cuda.h" ]; then
  echo "setup: note: cuda.h not found under $cuda_home/include: the CUDA runtime will not be built" >&2
fi
