#!/usr/bin/env bash
# A/B timing of two built GPU suites in one device call (DESIGN.md §6: the
# same runner method, alternating A and B per shape so both see the same
# card state). Each artifact is checked against the float64 reference
# first (sampled rows). Usage, on the GPU machine:
#   bench/ab.sh SUITE_A SUITE_B [ITERS]
# where each SUITE is a folder made by scripts/gpu-suite.sh. Prints one
# table line per shape: median ms of A and B and B/A.
set -uo pipefail
a=$1 b=$2 iters=${3:-30}
shapes=(
  "mamba2 16k --batch 8 --seqlen 2048"
  "mamba2 b1t16k --batch 1 --seqlen 16384"
  "mamba2 64k --batch 1 --seqlen 65536"
  "mamba2 b64t256 --batch 64 --seqlen 256"
  "mamba2 b1t2k --batch 1 --seqlen 2048"
  "mamba2_decode decode --batch 256"
)
median() { # suite artifact args...
  local suite=$1 art=$2; shift 2
  LD_LIBRARY_PATH=$suite/lib "$suite/bin/smc-runner" bench "$suite/bench/$art.smca" \
    --warmup 5 --iters "$iters" "$@" 2>&1 | sed -n 's/^median \([0-9.]*\) ms.*/\1/p'
}
check() { # suite artifact args...
  local suite=$1 art=$2; shift 2
  LD_LIBRARY_PATH=$suite/lib "$suite/bin/smc-runner" run "$suite/bench/$art.smca" \
    --check --check-rows 64 --seed 7 "$@" 2>&1 | grep -E "rel. error|PASS|FAIL" | tail -1
}
rows=()
for s in "${shapes[@]}"; do
  read -r art name args <<< "$s"
  echo "== $name: A $(check "$a" "$art" $args)" >&2
  echo "== $name: B $(check "$b" "$art" $args)" >&2
  ta=$(median "$a" "$art" $args); tb=$(median "$b" "$art" $args)
  ta2=$(median "$a" "$art" $args); tb2=$(median "$b" "$art" $args)
  rows+=("$(printf '%-10s A %8s %8s  B %8s %8s  B/A %s' "$name" "$ta" "$ta2" "$tb" "$tb2" \
    "$(python3 -c "print(f'{min($tb,$tb2)/min($ta,$ta2):.3f}')" 2>/dev/null)")")
done
printf '%s\n' "shape      A (ms, two runs)    B (ms, two runs)    B/A (best of each)"
printf '%s\n' "${rows[@]}"
