#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang-22 in build-fuzz/ and runs
# each for SECONDS (default 30), or until RUNS executions if given, from a corpus seeded by fuzz/seed.py with
# the artifacts, expressions and reference lines of the tests. Any crash,
# sanitizer report or leak fails the run; its input is left in
# build-fuzz/crashes/. Prints one line per target: executions and the
# corpus size. Usage: scripts/fuzz.sh [SECONDS [RUNS]]; the figures in
# docs/reliability.md come from `scripts/fuzz.sh 3600 1000000`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SMC_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${1:-30}
runs=${2:-}
"$root/scripts/setup.sh"
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DSMC_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DMLIR_DIR="$(llvm-config-22 --prefix)/lib/cmake/mlir" \
    -DLLVM_EXTERNAL_LIT="$(llvm-config-22 --bindir)/lit" >/dev/null
fi
targets=(npy)
# The runtime's readers are built where cuda.h is (runtime/CMakeLists.txt).
if ninja -C "$build" -t targets all | grep -q '^smc-fuzz-artifact:'; then
  targets+=(artifact expr refdirective)
fi
ninja -C "$build" "${targets[@]/#/smc-fuzz-}"
python3 "$root/fuzz/seed.py" "$root" "$build/corpus"
mkdir -p "$build/crashes"
status=0
summary=()
for t in "${targets[@]}"; do
  log=$build/fuzz-$t.log
  echo "== fuzz $t: ${seconds} s${runs:+ or $runs executions}" >&2
  verdict=ok
  if ! "$build/bin/smc-fuzz-$t" "$build/corpus/$t" -max_total_time="$seconds" \
      -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" \
      ${runs:+-runs=$runs} -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
      > "$log" 2>&1; then
    status=1 verdict=CRASH
    tail -30 "$log" >&2
  fi
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  summary+=("$(printf '%-13s %12s executions  %6s corpus files  %s' "$t" \
    "${executed:-?}" "$(ls "$build/corpus/$t" | wc -l)" \
    "$verdict")")
done
printf '%s\n' "${summary[@]}"
exit $status
