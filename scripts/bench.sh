#!/usr/bin/env bash
# KerasKit against Keras, PyTorch and ONNX Runtime on the very same .h5 files and inputs, in one
# run, plus the cold start of a whole `keraskit predict` process.
#
#   scripts/bench.sh [case …]        cases: seed small medium large (default: all)
#   KERASKIT=path/to/keraskit scripts/bench.sh …   time that binary instead of building one
#   KERASKIT_BENCH_SETTLE=N scripts/bench.sh …      pause N s after the anchors (default 15)
#   KERASKIT_BENCH_ROUNDS=N scripts/bench.sh …      paired rounds per case (default 5, 0: none)
#   ANCHORS=path/to/anchors.py scripts/bench.sh …   another anchor script (same arguments and files)
#
# 1. builds keraskit with scripts/build-keraskit (release, scratch path .build-bench);
# 2. makes the Python venv .venv-bench (tensorflow-cpu, torch CPU build, onnxruntime, onnx, numpy,
#    tf2onnx) unless it is there (scripts/ensure-bench-venv);
# 3. runs scripts/bench_anchors.py (or $ANCHORS) in .build-bench/anchors/ (git-ignored): it times
#    each case's Keras model in Keras (predict, eager call, tf.function), PyTorch nn.LSTM and ONNX
#    Runtime, and writes anchor_models/<case>.h5, <case>_x.npy and anchor_results.json there and
#    the exported model /tmp/<case>.onnx;
# 4. after a pause for the machine to settle, `keraskit bench --json` on each <case>.h5 with <case>_x.npy;
# 5. paired rounds (scripts/bench_paired.py): ONNX Runtime, on the model the anchors exported, and
#    `keraskit bench` take turns in fresh processes, back to back, so each pair sees the same
#    moment of a shared host;
# 6. prints one table with the ratios and the goals, one with the paired rounds, and the cold start
#    (wall ms, max RSS) of `keraskit predict` on the seed model, .h5 and native (scripts/coldstart).
#
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, set on some machines for old OpenBLAS builds, slow
# current numeric wheels: they are unset for the benchmark processes only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
anchors="${ANCHORS:-$root/scripts/bench_anchors.py}"
venv="$root/.venv-bench"
scratch="$root/.build-bench"
work="$scratch/anchors"
python="${PYTHON:-python3}"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(seed small medium large)
for name in "${cases[@]}"; do
    case "$name" in seed | small | medium | large) ;; *) echo "unknown case '$name' (seed small medium large)" >&2; exit 2 ;; esac
done
[ -f "$anchors" ] || { echo "anchors script not found: $anchors (set ANCHORS=…)" >&2; exit 1; }
rounds="${KERASKIT_BENCH_ROUNDS:-5}"
case "$rounds" in '' | *[!0-9]*) echo "KERASKIT_BENCH_ROUNDS must be a whole number, not '$rounds'" >&2; exit 2 ;; esac

if [ -n "${KERASKIT:-}" ]; then
    keraskit="$KERASKIT" # an already built binary, e.g. from another branch
else
    echo "== building keraskit (release, as scripts/build-keraskit builds it)" >&2
    keraskit="$(scripts/build-keraskit "$scratch")"
fi

venv="$(PYTHON="$python" scripts/ensure-bench-venv)"

bench_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
mkdir -p "$work"
echo "== anchors (Keras, tf.function, PyTorch, ONNX Runtime): several minutes" >&2
(cd "$work" && "${bench_env[@]}" "$venv/bin/python" "$anchors" "${cases[@]}") >&2

# The anchors' Python process held several GB; right after it exits the kernel is still
# reclaiming that memory, and a run started then is measurably slower (docs/BENCHMARKS.md,
# Method). The anchors time a warmed-up steady state; so does this.
sleep "${KERASKIT_BENCH_SETTLE:-15}"
echo "== keraskit bench on the same files" >&2
for name in "${cases[@]}"; do
    case "$name" in seed | small) iterations=2000 ;; medium) iterations=100 ;; *) iterations=20 ;; esac
    "${bench_env[@]}" "$keraskit" bench "$work/anchor_models/$name.h5" --input "$work/anchor_models/${name}_x.npy" \
        --iterations "$iterations" --warmup 3 --json > "$work/keraskit_$name.json"
done

rm -f "$work/paired.json"
if [ "$rounds" -gt 0 ]; then
    echo "== paired rounds: ONNX Runtime and keraskit bench back to back, $rounds rounds per case" >&2
    "${bench_env[@]}" "$venv/bin/python" scripts/bench_paired.py --work "$work" --keraskit "$keraskit" \
        --rounds "$rounds" "${cases[@]}"
fi

echo "== cold start: keraskit predict on the seed model, .h5 and native (scripts/coldstart)" >&2
"${bench_env[@]}" env KERASKIT="$keraskit" scripts/coldstart --json > "$work/coldstart.json"

"$venv/bin/python" - "$work" "$keraskit" "${cases[@]}" <<'PY'
import json, os, platform, subprocess, sys
work, keraskit, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
anchors = json.load(open(os.path.join(work, "anchor_results.json")))
goals = {"seed": 1 / 3, "small": 1 / 3, "medium": 1.0, "large": 1.0}
def fmt(seconds):
    if seconds < 1e-3: return f"{seconds * 1e6:.1f} µs"
    if seconds < 1: return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor()) if os.path.exists("/proc/cpuinfo") else platform.processor()
simd = "?"
rows = []
for name in cases:
    a = anchors[name]
    k = json.load(open(os.path.join(work, f"keraskit_{name}.json")))
    simd = k.get("simd_level", simd)
    ratio = k["median_seconds"] / a["onnxruntime"]
    goal = goals[name]
    rows.append([name, fmt(a["keras_predict"]), fmt(a["tf_function"]), fmt(a["torch"]), fmt(a["onnxruntime"]),
                 fmt(k["median_seconds"]), f"{ratio:.2f}", f"≤ {goal:.2f}", "yes" if ratio <= goal else "no",
                 f"{k['gflops_per_second']:.1f}"])
paired_path = os.path.join(work, "paired.json")
paired = json.load(open(paired_path)) if os.path.exists(paired_path) else {}
cold = json.load(open(os.path.join(work, "coldstart.json")))
print(f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}, keraskit SIMD level {simd}")
print(f"medians; anchors from {os.path.join(work, 'anchor_results.json')}\n")
head = ["case", "Keras predict", "tf.function", "PyTorch", "ORT", "KerasKit", "KerasKit/ORT", "goal", "met?", "KerasKit GFLOP/s"]
print("| " + " | ".join(head) + " |")
print("|" + "|".join("---" for _ in head) + "|")
for r in rows: print("| " + " | ".join(r) + " |")
print()
if paired:
    n = len(next(iter(paired.values()))["rounds"])
    print(f"paired rounds: ONNX Runtime and KerasKit back to back in fresh processes, {n} per case, each the median of "
          "the anchors' call count; medians over the rounds\n")
    head = ["case", "ORT", "KerasKit", "ratio per round", "median ratio", "goal", "met?", "rounds met"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for name in cases:
        p = paired[name]
        goal = goals[name]
        ratios = [r["ratio"] for r in p["rounds"]]
        print("| " + " | ".join([name, fmt(p["onnxruntime_median"]), fmt(p["keraskit_median"]),
                                 " ".join(f"{x:.2f}" for x in ratios), f"{p['ratio_median']:.2f}", f"≤ {goal:.2f}",
                                 "yes" if p["ratio_median"] <= goal else "no",
                                 f"{sum(x <= goal for x in ratios)}/{len(ratios)}"]) + " |")
    print()
for kind, label in (("h5", "model.h5"), ("native", "the same model converted to the native format")):
    c = cold[kind]
    ok = c["median_ms"] <= 30 and c["max_rss_mb"] <= 20
    print(f"cold start, whole `keraskit predict` on the seed model ({label}), {c['runs']} runs: median {c['median_ms']:.1f} ms "
          f"(min {c['min_ms']:.1f}), max RSS {c['max_rss_mb']:.1f} MB; goal ≤ 30 ms and ≤ 20 MB: {'yes' if ok else 'no'}")
PY
