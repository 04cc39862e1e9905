#!/usr/bin/env bash
# Builds the native AOT binary and the framework-dependent (JIT) build, checks that they print byte-identical
# output on every shared model and format, then times them whole-process with hyperfine and prints the ratios.
#   bench/native.sh [RUNS]        (needs hyperfine: apt-get install hyperfine; ../shared beside the checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
shared=../shared/models
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')

dotnet publish src/NpuAdvisor.Cli -c Release -r "$rid" -o "$out/native" >/dev/null
dotnet publish src/NpuAdvisor.Cli -c Release -o "$out/jit" >/dev/null
native=$out/native/npu-advisor
jit="dotnet $out/jit/npu-advisor.dll"

mapfile -t models < <(find "$shared" \( -name '*.tflite' -o -name '*.onnx' \) | sort)
diffs=0
for m in "${models[@]}"; do
  for args in "check --target all --format json" "check --target all --format sarif" "check --target all --format markdown" \
              "check --target all --format table" "estimate --format json" "inspect --format json"; do
    # shellcheck disable=SC2086
    a=$($native $args "$m" 2>&1; echo "exit $?") ; b=$($jit $args "$m" 2>&1; echo "exit $?")
    if [[ "$a" != "$b" ]]; then echo "DIFFERS: $args $m"; diffs=$((diffs + 1)); fi
  done
done
echo "output compared on ${#models[@]} models × 6 verb/format pairs: $diffs differences"

largest=$(ls -S "${models[@]}" | head -1)
mid=$shared/tflite/axis/yolov5n_artpec8_coco_640.tflite
[[ -f $mid ]] || mid=${models[0]}
hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/h.json" \
  -n native-version "$native --version" \
  -n native-check "$native check $mid --target all --format json" \
  -n native-check-largest "$native check $largest --target all --format json" \
  -n jit-check "$jit check $mid --target all --format json" >/dev/null
python3 - "$out/h.json" "$mid" "$largest" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
med = lambda k: r[k]["median"] * 1000
print(f"median of {len(r['native-check']['times'])} runs, whole process (ms):")
for k in r: print(f"  {k:22s} {med(k):8.1f}")
print(f"  native check / native --version: {med('native-check') / med('native-version'):.2f}×  ({sys.argv[2].split('/')[-1]})")
print(f"  jit check / native check:        {med('jit-check') / med('native-check'):.2f}×")
print(f"  largest model: {sys.argv[3].split('/')[-1]}")
PY
/usr/bin/time -f "peak RSS native check --target all on the largest model: %M KiB" "$native" check "$largest" --target all --format json >/dev/null
