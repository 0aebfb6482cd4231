#!/usr/bin/env bash
# Run HERE (the machine with MLIR and the smc build), before run.sh:
#   examples/train/prepare.sh BUILD_DIR
# Checks the mixer on the CPU (forward and every gradient against smc's
# float64 reference; the model's mask definition against smc's with numpy,
# if numpy is there) and compiles the GPU artifacts (entries f, f_fwd, f_bwd)
# into BUILD_DIR/train/, to be carried to the GPU machine with BUILD_DIR/lib.
set -euo pipefail
BUILD=$(cd "${1:?usage: prepare.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
SMC=$BUILD/bin/smc
mkdir -p "$BUILD/train"

for T in 7 200 256; do
  "$SMC" run "$HERE/decay_window.mlir" --check --seqlen=$T --batch=2
  "$SMC" run "$HERE/decay_window.mlir" --grad --check --seqlen=$T --batch=2
done
if /usr/bin/python3 -c "import numpy" 2>/dev/null; then
  /usr/bin/python3 "$HERE/check_mask.py" "$SMC" "$HERE/decay_window.mlir"
else
  echo "prepare.sh: no numpy for /usr/bin/python3; check_mask.py skipped"
fi

"$SMC" compile --grad "$HERE/decay_window.mlir" \
  -o "$BUILD/train/decay_window.smca"
# The bf16 twin, for train.py --bf16 --artifact ... (not used by run.sh).
"$SMC" compile --grad "$HERE/decay_window_bf16.mlir" \
  -o "$BUILD/train/decay_window_bf16.smca"
ls -l "$BUILD/train"
echo "prepare.sh: carry $BUILD/lib and $BUILD/train to the GPU machine, then"
echo "  examples/train/run.sh BUILD_DIR OUT_DIR"
