#!/usr/bin/env bash
# Builds smc and runs the main job: the Mamba-2 2.7B mixer
# (examples/mamba2.mlir) compiled, run on random inputs and checked against
# the float64 reference: on the GPU when one is present (through an sm_90
# artifact and smc-runner), otherwise on the CPU. Extra arguments go to
# `smc run`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SMC_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh" smc
model="$root/examples/mamba2.mlir"
"$build/bin/smc" summary "$model"
"$build/bin/smc" explain "$model" --batch 8 --seqlen 2048
backend=cpu
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  if "$root/scripts/build.sh" smc-runner; then
    backend=cuda
  else
    echo "main: a GPU is present but smc-runner did not build (CUDA toolkit's cuda.h?); running on the CPU" >&2
  fi
fi
"$build/bin/smc" run "$model" --backend=$backend --check --batch 2 --seqlen 512 "$@"
