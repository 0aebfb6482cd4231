#!/usr/bin/env bash
# Builds everything and runs every test: the lit suites (IR, passes, CPU
# execution against the float64 reference, the smc CLI), the unit tests, and
# each libFuzzer target for a bounded time (scripts/fuzz.sh, 20 s each).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SMC_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
echo "== lit: $build/test"
"$(llvm-config-22 --bindir)/lit" -sv "$build/test"
echo "== unit tests"
ctest --test-dir "$build" --output-on-failure
echo "== fuzzers (20 s each)"
SMC_BIN="$build/bin/smc" "$root/scripts/fuzz.sh" 20
