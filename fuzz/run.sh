#!/usr/bin/env bash
# Coverage-guided fuzzing of one importer plus the whole check/report pipeline with AFL++ and SharpFuzz.
# usage: fuzz/run.sh tflite|onnx SECONDS
set -euo pipefail

target=${1:?usage: fuzz/run.sh tflite|onnx SECONDS}
seconds=${2:?usage: fuzz/run.sh tflite|onnx SECONDS}
case "$target" in tflite|onnx) ;; *) echo "unknown target '$target' (tflite or onnx)" >&2; exit 2 ;; esac

fuzz=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$fuzz")
shared="$repo/../shared/models"
tools="$fuzz/.tools"
out="$fuzz/out/$target"
bin="${FUZZ_BIN:-$fuzz/out/bin}"  # FUZZ_BIN: a second published copy while another run uses the first
findings="$fuzz/findings/$target"

if ! command -v afl-fuzz >/dev/null; then
  apt-get update && apt-get install -y afl++
fi
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0
fi

# A fresh publish each time: sharpfuzz refuses an assembly it has already instrumented.
# Both targets share one published copy, so a second concurrent run reuses it instead.
if [ ! -f "$bin/.instrumented" ]; then
  rm -rf "$bin"
  dotnet publish "$fuzz/NpuAdvisor.Fuzz/NpuAdvisor.Fuzz.csproj" -c Release -o "$bin" --nologo -v quiet
  "$tools/sharpfuzz" "$bin/NpuAdvisor.dll"
  touch "$bin/.instrumented"
fi

# Seeds: the committed hand-made models plus every shared model of this format under 1 MB (AFL's input limit).
started=$(date -u +%Y%m%dT%H%M%S)
rm -rf "$out"
mkdir -p "$out/seeds" "$findings"
cp "$fuzz/corpus/$target/"* "$out/seeds/"
if [ -d "$shared" ]; then
  find "$shared" -name "*.$target" -size -1000k -exec cp {} "$out/seeds/" \;
fi

# SharpFuzz: the target is `dotnet`, not an instrumented binary. A heap bound turns memory blow-ups into crashes.
export AFL_SKIP_BIN_CHECK=1
export AFL_SKIP_CPUFREQ=1
export AFL_NO_AFFINITY=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI=1
export DOTNET_GCHeapHardLimit=0x40000000
export DOTNET_TieredPGO=0

afl-fuzz -i "$out/seeds" -o "$out" -t 2000 -m none -x "$fuzz/dict/$target.dict" -V "$seconds" \
  -- dotnet "$bin/NpuAdvisor.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || { tail -30 "$out/afl.log" >&2; exit 1; }

for kind in crashes hangs; do
  for f in "$out/default/$kind"/id:*; do
    [ -e "$f" ] || continue
    cp "$f" "$findings/$kind-$started-$(basename "$f" | cut -d, -f1 | tr ':' '-')"
  done
done

stats="$out/default/fuzzer_stats"
stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "target:      $target"
echo "run time:    $(stat run_time) s"
echo "executions:  $(stat execs_done) ($(stat execs_per_sec) per second)"
echo "paths:       $(stat corpus_count) in corpus (edges found: $(stat edges_found), $(stat bitmap_cvg))"
echo "crashes:     $(stat saved_crashes)"
echo "hangs:       $(stat saved_hangs)"
echo "reproducers: $findings"
