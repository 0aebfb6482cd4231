#!/usr/bin/env bash
# GPU end-to-end checks of the runtime, smc-runner and the Python module on
# the fixture artifacts (runtime/test/make_fixtures.py). Runs on a machine
# with only the NVIDIA driver (and, for the Python part, PyTorch):
#
#   runtime/test/gpu_smoke.sh BIN_DIR LIB_DIR FIXTURE_DIR
#
# BIN_DIR holds smc-runner, LIB_DIR libsmc_runtime.so and smc_runtime.py.
set -u
bin=$1 lib=$2 fx=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
runner=$bin/smc-runner
failures=0

# expect RC REGEX ARGS...: runs smc-runner ARGS, checks the exit code and
# matches REGEX against the whole output ('.' matches newlines).
expect() {
  local rc=$1 regex=$2
  shift 2
  echo "\$ smc-runner $*"
  out=$("$runner" "$@" 2>&1)
  got=$?
  echo "$out"
  if [ "$got" != "$rc" ]; then
    echo ">>> FAIL: exit code $got, expected $rc"
    failures=$((failures + 1))
  elif ! grep -zqE -- "$regex" <<<"$out"; then
    echo ">>> FAIL: output does not match '$regex'"
    failures=$((failures + 1))
  fi
  echo
}

expect 0 "Y +\[2,64,4,8\].*PASS" run "$fx/contract-f32.smca" --check
expect 0 "PASS" run "$fx/contract-f32.smca" --check --batch 3 --seqlen 100 --seed 7
expect 0 "PASS" run "$fx/contract-f32.smca" --check --batch 1 --seqlen 1
expect 0 "PASS" run "$fx/contract-varlen-ptx.smca" --check
expect 0 "3 packed sequences.*PASS" run "$fx/contract-varlen-ptx.smca" --check --seqlens 5,0,17
expect 0 "PASS" run "$fx/contract-varlen-ptx.smca" --check --seqlens 0,16,1,0
expect 0 "final_state.*PASS" run "$fx/ssd-bf16.smca" --check
expect 0 "final_state.*PASS" run "$fx/ssd-bf16.smca" --check --batch 3 --seqlen 300 --sync
# T*4+49152 bytes of shared memory: opted in at run time.
expect 0 "final_state.*PASS" run "$fx/ssd-bf16.smca" --check --batch 1 --seqlen 4000 --check-rows 64
expect 0 "PASS" run "$fx/two-entries.smca" --entry contract_varlen --check --seqlens 3,9
expect 2 "has 2 entries" run "$fx/two-entries.smca"
# A wrong tolerance fails the check with exit code 1.
expect 1 "FAIL" run "$fx/ssd-bf16.smca" --check --tolerance 1e-9
# Inputs written by one run and read back give the same outputs.
tmp=$(mktemp -d)
expect 0 "PASS" run "$fx/ssd-bf16.smca" --check --seed 3 --save-inputs "$tmp/in" --output-dir "$tmp/out1"
expect 0 "PASS" run "$fx/ssd-bf16.smca" --check --seed 99 --input "x=$tmp/in/x.npy" --input "dt=$tmp/in/dt.npy" --input "A=$tmp/in/A.npy" --input "B=$tmp/in/B.npy" --input "C=$tmp/in/C.npy" --input "D=$tmp/in/D.npy" --input "dt_bias=$tmp/in/dt_bias.npy" --output-dir "$tmp/out2"
if cmp -s "$tmp/out1/out0.npy" "$tmp/out2/out0.npy"; then echo "outputs from .npy inputs match"; else echo ">>> FAIL: outputs differ"; failures=$((failures + 1)); fi
expect 0 "median .* ms.*TFLOP/s" bench "$fx/ssd-bf16.smca" --batch 2 --seqlen 256 --warmup 3 --iters 20 --flops-per-token 1000 --bytes-per-token 100 --json "$tmp/bench.json"
cat "$tmp/bench.json"; echo
expect 0 "median" bench "$fx/contract-f32.smca" --iters 50

expect 2 "the kernel takes 44 parameters .* but the launch's args pass 33" run "$fx/bad-args.smca"
expect 2 "cuModuleGetFunction: CUDA_ERROR_NOT_FOUND" run "$fx/bad-symbol.smca"
expect 2 "cuModuleLoadDataEx\(module 'm0'\): CUDA_ERROR" run "$fx/bad-image.smca"
expect 2 "cuModuleLoadDataEx\(module 'm0'\): CUDA_ERROR_INVALID_PTX.*JIT log" run "$fx/bad-ptx.smca"
expect 2 "needs 300000 bytes of dynamic shared memory" run "$fx/bad-shared.smca"
expect 2 "targets sm_100a \(cubin\), which cannot run" run "$fx/bad-arch.smca"
expect 2 "CUDA device 7 does not exist" run "$fx/contract-f32.smca" --device 7

echo "== C++ unit tests with a driver present"
if [ -x "$bin/SmcRuntimeTests" ]; then
  "$bin/SmcRuntimeTests" --gtest_brief=1 || failures=$((failures + 1))
fi

echo "== Python module"
if python3 -c "import torch; assert torch.cuda.is_available()" 2>/dev/null; then
  SMC_RUNTIME_LIB=$lib/libsmc_runtime.so SMC_RUNTIME_GPU_ARTIFACTS=$fx \
    SMC_RUNTIME_TEST_DIR=$root/runtime/unittests/Inputs \
    python3 -m unittest discover -s "$root/runtime/python" -v ||
    failures=$((failures + 1))
else
  echo "PyTorch with CUDA not available: skipped"
fi

echo "gpu_smoke: $failures failure(s)"
[ "$failures" = 0 ]
