#!/usr/bin/env bash
# Builds smc with AddressSanitizer and UndefinedBehaviorSanitizer in
# build-asan/ and runs the whole CPU suite on that build: the lit suites and
# the unit tests. Any report fails the run (UBSan does not recover). Leak
# checking is off: LLVM's tools keep global state alive at exit by design.
# The Python tests are left out: they load the instrumented runtime into an
# uninstrumented python3. Results go in docs/reliability.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SMC_ASAN_BUILD_DIR:-$root/build-asan}
"$root/scripts/setup.sh"
if [ ! -f "$build/build.ninja" ]; then
  # scripts/asan-llvm-headers.h says why it is included first.
  flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -include $root/scripts/asan-llvm-headers.h"
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1 -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELEASE="-O1 -g1 -DNDEBUG" \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DMLIR_DIR="$(llvm-config-22 --prefix)/lib/cmake/mlir" \
    -DLLVM_EXTERNAL_LIT="$(llvm-config-22 --bindir)/lit" >/dev/null
fi
ninja -C "$build"
# A crash inside MLIR's parser is contained by a CrashRecoveryContext (a
# tested path): ASan leaves SIGSEGV to it, and the signal stacks to LLVM
# (ASan failed to unmap its own one at the exit of smc-opt's driver thread).
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:handle_segv=0:allow_user_segv_handler=1:use_sigaltstack=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "== lit (ASan + UBSan): $build/test"
"$(llvm-config-22 --bindir)/lit" -v "$build/test"
echo "== unit tests (ASan + UBSan), without the Python tests"
ctest --test-dir "$build" --output-on-failure -E 'runtime\.python'
