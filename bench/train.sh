#!/usr/bin/env bash
# Times a training step of the Mamba-2 2.7B mixer (h=80, p=64, n=128, g=1,
# bf16): the forward that saves what the backward reads (@mamba2_mixer_fwd)
# and the derived backward (@mamba2_mixer_bwd) of `smc compile --grad`, at the
# issue's shapes, after a gradient check against the float64 reference at a
# small shape (the reference's gradients cannot sample positions). Run from
# a built GPU suite:
#   gpu-suite/bench/train.sh [OUT_DIR] [--profile]
# SMC_TRAIN_ARTIFACT names another `--grad` artifact of the mixer (for an
# A/B of two compilers' artifacts in one device call).
# Writes one JSON file per entry and shape to OUT_DIR and prints a table
# last: times, the sum against the issue's floors, and the extra device
# memory of a step (the saved tensors plus both entries' intermediate
# buffers, which the runtime keeps between runs).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
suite=$(dirname "$here")
out=${1:-$here/results}
profile=${2:-}
mkdir -p "$out"
export LD_LIBRARY_PATH=$suite/lib:${LD_LIBRARY_PATH:-}
runner=$suite/bin/smc-runner
art=${SMC_TRAIN_ARTIFACT:-$here/mamba2.grad.smca}
status=0
for args in "--batch 2 --seqlen 53" "--batch 1 --seqlen 300"; do
  echo "== gradient check: $args" >&2
  # shellcheck disable=SC2086
  "$runner" run "$art" --entry mamba2_mixer_bwd --check --seed 11 $args \
    > "$out/check.$(echo $args | tr -d ' -').log" 2>&1 ||
    { echo "GRADIENT CHECK FAILED: $args" >&2; status=1; }
  grep -E "PASS|FAIL" "$out/check.$(echo $args | tr -d ' -').log" >&2
done
for shape in "tokens16k --batch 8 --seqlen 2048" "tokens64k --batch 1 --seqlen 65536"; do
  read -r name shapeArgs <<< "$shape"
  for entry in fwd bwd; do
    echo "== $name $entry: bench" >&2
    # shellcheck disable=SC2086
    "$runner" bench "$art" --entry mamba2_mixer_$entry --warmup 5 --iters 30 \
      --json "$out/$name.$entry.json" $shapeArgs > "$out/$name.$entry.log" 2>&1 ||
      { echo "BENCH FAILED: $name $entry" >&2; tail -3 "$out/$name.$entry.log" >&2; status=1; }
    if [ "$profile" = --profile ]; then
      # shellcheck disable=SC2086
      "$here/profile.sh" "$art" --entry mamba2_mixer_$entry $shapeArgs \
        > "$out/$name.$entry.kernels" 2>&1
    fi
  done
done
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
floors = {"tokens16k": 4.0, "tokens64k": 14.0}
print(f"{'shape':<10} {'fwd ms':>8} {'bwd ms':>8} {'total':>8} {'floor':>6}  "
      f"{'saved MB':>8} {'buffers MB':>10} {'extra MB':>8}")
for name, floor in floors.items():
    try:
        f = json.load(open(os.path.join(out, f"{name}.fwd.json")))
        b = json.load(open(os.path.join(out, f"{name}.bwd.json")))
    except OSError:
        print(f"{name:<10} (no results)")
        continue
    # Saved for the backward: the contraction's f32 output [b, T, 80, 64].
    saved = f["tokens"] * 80 * 64 * 4
    buffers = f["buffer_bytes"] + b["buffer_bytes"]
    total = f["median_ms"] + b["median_ms"]
    print(f"{name:<10} {f['median_ms']:8.3f} {b['median_ms']:8.3f} "
          f"{total:8.3f} {floor:6.1f}  {saved / 1e6:8.1f} {buffers / 1e6:10.1f} "
          f"{(saved + buffers) / 1e6:8.1f}  {'OK' if total <= floor else 'SLOW'}"
          f"  ({f['device']})")
PY
exit $status
