#!/usr/bin/env bash
# Prepares the artifacts of the smc_torch GPU tests, on a machine with the
# compiler (no GPU needed):
#
#   runtime/python/prepare_torch_tests.sh BUILD_DIR OUT_DIR
#
# compiles runtime/python/models/*.mlir and examples/mamba2.mlir with
# `smc compile --grad` into OUT_DIR/<model>.smca, one model without --grad
# (for the error tests), and copies libsmc_runtime.so into OUT_DIR/lib, so
# that OUT_DIR is all the GPU machine needs besides the source tree. A model
# that does not compile leaves OUT_DIR/<model>.failed with smc's message
# (its tests are then skipped, saying why) and does not fail the script.
# Then, on the GPU machine:
#
#   runtime/python/gpu_test_torch.sh OUT_DIR OUT_DIR/lib
set -uo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR OUT_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd) || exit 2
out=$2
shown=$2
smc=$build/bin/smc
lib=$build/lib/libsmc_runtime.so
for f in "$smc" "$lib"; do
  if [ ! -e "$f" ]; then
    echo "$0: $f is missing; build it first (scripts/build.sh smc smc_runtime)" >&2
    exit 2
  fi
done
mkdir -p "$out/lib" || exit 2
out=$(cd "$out" && pwd)
cp "$lib" "$out/lib/"
rm -f "$out"/*.smca "$out"/*.failed

ok=0
failed=0
compile() { # NAME MODEL [smc compile options]
  local name=$1 model=$2
  shift 2
  if "$smc" compile "$model" "$@" -o "$out/$name.smca" >"$out/$name.log" 2>&1; then
    ok=$((ok + 1))
    printf '  %-22s ok\n' "$name"
  else
    failed=$((failed + 1))
    rm -f "$out/$name.smca"
    cp "$out/$name.log" "$out/$name.failed"
    printf '  %-22s FAILED: %s\n' "$name" "$(grep -m1 error "$out/$name.log")"
  fi
}

echo "compiling the smc_torch test models into $out"
for model in "$here"/models/*.mlir; do
  compile "$(basename "$model" .mlir)" "$model" --grad
done
compile mamba2 "$root/examples/mamba2.mlir" --grad
compile decay_state_nograd "$here/models/decay_state.mlir"

echo "$ok compiled, $failed failed; on the GPU machine run:"
echo "  runtime/python/gpu_test_torch.sh $shown $shown/lib"
exit 0
