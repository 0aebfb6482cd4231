#!/usr/bin/env bash
# Builds the GPU suite on a machine with the compiler: every model of
# test/GPU/cases.txt compiled for each of its legal forms, plus what a GPU
# machine with only the NVIDIA driver and Python needs to run them (the
# runner, the runtime library, the Python module and tests). The result is
# one folder, $SMC_BUILD_DIR/gpu-suite (default build/gpu-suite); on the GPU
# machine run `gpu-suite/run.sh`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SMC_BUILD_DIR:-$root/build}
out=$build/gpu-suite
"$root/scripts/setup.sh"
"$root/scripts/build.sh" smc smc-runner smc_runtime
rm -rf "$out" && mkdir -p "$out/artifacts" "$out/lib" "$out/bin"
cp "$build/bin/smc-runner" "$out/bin/"
cp "$build"/lib/libsmc_runtime.so "$out/lib/"
cp -r "$root/runtime/python" "$out/python"
cp "$root/test/GPU/run.sh" "$root/test/GPU/test_python.py" "$out/" 2>/dev/null || true
: > "$out/cases.txt"
grep -v '^\s*#' "$root/test/GPU/cases.txt" | grep -v '^\s*$' |
while IFS='|' read -r spec runs; do
  read -r model options <<< "$spec"
  chunks= grad=
  for o in $options; do
    case "$o" in
      chunks=*) chunks=${o#chunks=} ;;
      grad) grad=1 ;;
      *) echo "gpu-suite: unknown option '$o' in cases.txt" >&2; exit 1 ;;
    esac
  done
  name=$(basename "$model" .mlir)
  compile=(compile)
  if [ -n "$grad" ]; then
    # The backward entry, checked against the reference's gradients.
    func=$(sed -n 's/^func\.func @\([A-Za-z0-9_]*\).*/\1/p' "$root/$model" | head -1)
    name=$name.grad
    compile=(compile --grad)
    runs=$(echo "$runs" | sed "s/[^|][^|]*/ --entry ${func}_bwd &/g")
  fi
  for form in linear quadratic chunked; do
    for q in $(echo "${chunks:-16}" | tr ',' ' '); do
      [ "$form" = chunked ] || [ "$q" = "${chunks%%,*}" ] || [ -z "$chunks" ] ||
        continue                   # Other forms once, with the first chunk.
      tag=$form
      [ "$form" = chunked ] && [ -n "$chunks" ] && tag=$form$q
      art="$out/artifacts/$name.$tag.smca"
      if "$build/bin/smc" "${compile[@]}" "$root/$model" --form=$form --chunk=$q \
          -o "$art" 2>"$out/artifacts/$name.$tag.log"; then
        echo "$name.$tag.smca |$runs" >> "$out/cases.txt"
      elif grep -q "is illegal for this mask" "$out/artifacts/$name.$tag.log"; then
        rm -f "$art"               # Not a legal form of this mask.
      else
        cat "$out/artifacts/$name.$tag.log" >&2
        exit 1
      fi
    done
  done
done
# Custom masks: the runner cannot rebuild a region in float64, so the GPU
# output is compared with the CPU output on the same inputs, which smc run
# checks against the float64 reference here.
mkdir -p "$out/custom"
for model in test/CPU/custom-causal.mlir test/CPU/custom-noncausal.mlir \
             examples/alibi_custom.mlir test/GPU/Inputs/custom-noncausal-mma.mlir; do
  name=$(basename "$model" .mlir)
  "$build/bin/smc" compile "$root/$model" -o "$out/custom/$name.smca" 2>/dev/null
  "$build/bin/smc" run "$root/$model" --check --batch 2 --seqlen 53 --seed 5 \
    --save-inputs "$out/custom/$name.in" --output-dir "$out/custom/$name.cpu" >/dev/null
done
cp "$root/test/GPU/custom-check.sh" "$out/custom/check.sh"

# The benchmark models, with the forms form selection picks for them.
mkdir -p "$out/bench"
for model in mamba2 mamba2_decode; do
  "$build/bin/smc" compile "$root/examples/$model.mlir" -o "$out/bench/$model.smca"
done
# Variants of the 16K-token mixer for bench/profile.sh and the cost model's
# calibration: other chunk sizes, and the linear form.
for q in 32 64 128; do
  "$build/bin/smc" compile "$root/examples/mamba2.mlir" --chunk=$q \
    -o "$out/bench/mamba2.q$q.smca"
done
"$build/bin/smc" compile "$root/examples/mamba2.mlir" --form=linear \
  -o "$out/bench/mamba2.linear.smca"
# A training step of the same mixer: the forward and the derived backward.
"$build/bin/smc" compile --grad "$root/examples/mamba2.mlir" \
  -o "$out/bench/mamba2.grad.smca"
cp "$root/bench/run.sh" "$root/bench/profile.sh" "$root/bench/train.sh" \
  "$out/bench/"
echo "gpu-suite: $(wc -l < "$out/cases.txt") artifacts in $out" >&2
