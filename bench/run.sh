#!/usr/bin/env bash
# Times the Mamba-2 2.7B mixer (h=80, p=64, n=128, g=1, bf16) with
# smc-runner bench at the issue's shapes, after a correctness check at each
# (sampled rows of the float64 reference). Run from a built GPU suite:
#   gpu-suite/bench/run.sh [OUT_DIR]
# Writes one JSON file per shape to OUT_DIR and prints a table last.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
suite=$(dirname "$here")
out=${1:-$here/results}
mkdir -p "$out"
export LD_LIBRARY_PATH=$suite/lib:${LD_LIBRARY_PATH:-}
runner=$suite/bin/smc-runner
# DESIGN.md §6 counts per token of this mixer.
counts=(--flops-per-token 3.96e6 --bytes-per-token 21.2e3)
status=0
run() { # name artifact shape-args...
  local name=$1 art=$2; shift 2
  echo "== $name: check" >&2
  "$runner" run "$art" --check --check-rows 64 --seed 7 "$@" > "$out/$name.check.log" 2>&1 || {
    echo "CHECK FAILED: $name" >&2; tail -5 "$out/$name.check.log" >&2; status=1; }
  echo "== $name: bench" >&2
  "$runner" bench "$art" --warmup 5 --iters 30 --json "$out/$name.json" "${counts[@]}" "$@" \
    > "$out/$name.bench.log" 2>&1 || { echo "BENCH FAILED: $name" >&2; status=1; }
  tail -3 "$out/$name.bench.log"
}
run tokens16k "$here/mamba2.smca" --batch 8 --seqlen 2048
run tokens64k "$here/mamba2.smca" --batch 1 --seqlen 65536
# Decode moves the f32 state in and out (256*80*64*128*4*2 bytes) on top of
# the per-token traffic, and does 4*p*n FLOP per head and token.
counts=(--flops 6.71e8 --bytes 1.348e9)
run decode "$here/mamba2_decode.smca" --batch 256
exit $status
