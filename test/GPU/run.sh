#!/usr/bin/env bash
# Runs the GPU suite on a machine with the NVIDIA driver (no LLVM, no CUDA
# toolkit needed): every artifact of cases.txt at each of its shapes against
# the float64 reference, then the Python module's tests if PyTorch is there.
# Prints one line per run and a closing "N passed, M failed".
#   run.sh [PATTERN]   only the artifacts whose names match the extended
#                      regex PATTERN (then no custom-mask or Python checks)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pattern=${1:-}
export LD_LIBRARY_PATH=$here/lib:${LD_LIBRARY_PATH:-}
mkdir -p "$here/logs"
pass=0 fail=0 seed=1
while IFS='|' read -r art rest; do
  art=$(echo "$art" | xargs)
  [ -n "$art" ] || continue
  [ -z "$pattern" ] || echo "$art" | grep -qE "$pattern" || continue
  IFS='|' read -ra runs <<< "$rest"
  for args in "${runs[@]}"; do
    args=$(echo "$args" | xargs)
    log="$here/logs/${art%.smca}.$seed.log"
    if "$here/bin/smc-runner" run "$here/artifacts/$art" --check --seed "$seed" \
        $args > "$log" 2>&1; then
      pass=$((pass + 1)); echo "PASS $art $args"
    else
      fail=$((fail + 1)); echo "FAIL $art $args (see logs/$(basename "$log"))"
      tail -5 "$log" | sed 's/^/    /'
    fi
    seed=$((seed + 1))
  done
done < "$here/cases.txt"
if [ -n "$pattern" ]; then
  echo "$pass passed, $fail failed (artifacts matching '$pattern')"
  [ "$fail" -eq 0 ]
  exit
fi
while read -r line; do
  echo "$line"
  case "$line" in PASS*) pass=$((pass + 1)) ;; FAIL*) fail=$((fail + 1)) ;; esac
done < <(bash "$here/custom/check.sh" 2>&1)
if python3 -c "import torch; assert torch.cuda.is_available()" 2>/dev/null; then
  if PYTHONPATH="$here/python" SMC_SUITE_DIR="$here" \
      SMC_RUNTIME_LIB="$here/lib/libsmc_runtime.so" \
      python3 -m pytest -q "$here/test_python.py" > "$here/logs/python.log" 2>&1; then
    pass=$((pass + 1)); echo "PASS python module ($(tail -1 "$here/logs/python.log"))"
  else
    fail=$((fail + 1)); echo "FAIL python module"; tail -20 "$here/logs/python.log"
  fi
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
