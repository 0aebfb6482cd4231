#!/usr/bin/env bash
# Run ON THE GPU machine (PyTorch with CUDA, matplotlib; no MLIR needed):
#   examples/train/run.sh BUILD_DIR OUT_DIR
# BUILD_DIR holds lib/ (libsmc_runtime.so, smc_runtime.py, smc_torch.py) and
# train/decay_window.smca from prepare.sh. Runs check_op.py (the smc op vs
# the torch mixer, forward and gradients), trains the model with the torch
# mixer and with the smc mixer (same seed, init and batches), and
# compare.py: OUT_DIR/{torch,smc}.json, summary.json, loss.png.
# Environment: STEPS (default 2000), SEED (0), MAX_SECONDS (150 a run), PYTHON (default: the venv at
# /opt/torch/.venv if present, else python3), NOISE=1 to add a third run
# (torch mixer, seed SEED+1) whose spread widens the tolerance.
set -uo pipefail
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR OUT_DIR}" && pwd)
mkdir -p "${2:?usage: run.sh BUILD_DIR OUT_DIR}"
OUT=$(cd "$2" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
STEPS=${STEPS:-2000}
SEED=${SEED:-0}
if [ -z "${PYTHON:-}" ]; then
  if [ -x /opt/torch/.venv/bin/python ]; then PYTHON=/opt/torch/.venv/bin/python
  else PYTHON=python3; fi
fi
export PYTHONPATH="$BUILD/lib${PYTHONPATH:+:$PYTHONPATH}"
export SMC_TRAIN_ARTIFACT="$BUILD/train/decay_window.smca"
[ -f "$SMC_TRAIN_ARTIFACT" ] || { echo "no $SMC_TRAIN_ARTIFACT: run prepare.sh"; exit 2; }
cd "$HERE"
rc=0
"$PYTHON" check_op.py 2>&1 | tee "$OUT/check_op.txt"; [ "${PIPESTATUS[0]}" = 0 ] || rc=1
for mixer in torch smc; do
  "$PYTHON" train.py --mixer $mixer --steps "$STEPS" --seed "$SEED" --out "$OUT" \
    --max-seconds "${MAX_SECONDS:-150}" \
    2>&1 | tee "$OUT/$mixer.log"; [ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
noise=()
if [ "${NOISE:-0}" = 1 ]; then
  "$PYTHON" train.py --mixer torch --steps "$STEPS" --seed $((SEED + 1)) \
    --tag torch_seed$((SEED + 1)) --out "$OUT" 2>&1 | tee "$OUT/torch_seed.log"
  noise=(--noise "$OUT/torch_seed$((SEED + 1)).json")
fi
"$PYTHON" compare.py "$OUT" "${noise[@]}" 2>&1 | tee "$OUT/compare.txt"
[ "${PIPESTATUS[0]}" = 0 ] || rc=1
echo "run.sh: exit $rc; results in $OUT"
exit $rc
