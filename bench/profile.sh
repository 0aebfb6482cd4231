#!/usr/bin/env bash
# Per-kernel GPU times of one artifact at one shape (Nsight Compute, one
# run, clocks not locked), plus the bench median. Run from a built GPU suite:
#   gpu-suite/bench/profile.sh ARTIFACT [runner shape args...]
# e.g. bench/profile.sh bench/mamba2.q64.smca --batch 8 --seqlen 2048
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
suite=$(dirname "$here")
export LD_LIBRARY_PATH=$suite/lib:${LD_LIBRARY_PATH:-}
art=$1; shift
echo "== $(basename "$art") $*"
"$suite/bin/smc-runner" bench "$art" --warmup 3 --iters 15 "$@" 2>&1 | grep median
ncu --clock-control none --metrics gpu__time_duration.sum \
  "$suite/bin/smc-runner" run "$art" "$@" 2>&1 |
  awk '/_kernel/ {name=$1} /gpu__time_duration/ {printf "  %-28s %10s %s\n", name, $NF, $(NF-1)}'
