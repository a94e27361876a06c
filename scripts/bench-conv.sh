#!/usr/bin/env bash
# KerasKit against ONNX Runtime (on Keras's own ONNX export) and TensorFlow's compiled call, on
# real convolutional architectures, in one run; plus the machine's measured FMA peak and the
# peak memory of `keraskit predict` on ResNet50.
#
#   scripts/bench-conv.sh [case …]    cases: mobilenetv2_b1 mobilenetv2_b16 resnet50_b1 resnet50_b8
#                                     crnn_b8 (default: all)
#   KERASKIT=path/to/keraskit scripts/bench-conv.sh …   time that binary instead of building one
#   KERASKIT_BENCH_SETTLE=N …   pause N s after the anchors (default 15)
#   KERASKIT_BENCH_ROUNDS=N …   paired rounds per case (default 5, 0: none)
#   KERASKIT_BENCH_REUSE=1 …    keep the anchors of an earlier run when they have every case asked
#                               for (re-time a new keraskit against the same files and numbers)
#
# A sibling of scripts/bench.sh rather than more cases in it: these models come from
# keras.applications and Keras's ONNX exporter (tf2onnx), not PyTorch, take minutes to build,
# export and time, and have their own goal (KerasKit's median ≤ ONNX Runtime's on every case).
# It shares bench.sh's venv (scripts/ensure-bench-venv), its paired rounds (scripts/bench_paired.py)
# and its method (docs/BENCHMARKS.md).
#
# 1. builds keraskit with scripts/build-keraskit (release, scratch path .build-bench);
# 2. makes .venv-bench unless it is there (scripts/ensure-bench-venv, with tf2onnx);
# 3. compiles and runs scripts/fma_peak.c: the float32 FMA peak of 1 and 2 threads (again after
#    the anchors; the best counts);
# 4. runs scripts/bench_conv_anchors.py in .build-bench/conv-anchors/ (git-ignored): builds each
#    model with seeded weights (Keras 3), saves anchor_models/<case>.h5/.keras/.onnx and the
#    input, times TensorFlow (tf.function, and with XLA) and ONNX Runtime, writes
#    anchor_results.json;
# 5. after a pause, `keraskit bench --json` on each <case>.h5 (a refused model is a row saying so);
# 6. paired rounds (scripts/bench_paired.py): ONNX Runtime and keraskit bench back to back in
#    fresh processes;
# 7. max RSS of a whole `keraskit predict` on resnet50_b1 (GNU time) against its weight bytes;
# 8. prints the tables: medians, ratios KerasKit/ORT and the goal, GFLOP/s beside the peak.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scratch="$root/.build-bench"
work="$scratch/conv-anchors"
all=(mobilenetv2_b1 mobilenetv2_b16 resnet50_b1 resnet50_b8 crnn_b8)
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("${all[@]}")
for name in "${cases[@]}"; do
    case " ${all[*]} " in *" $name "*) ;; *) echo "unknown case '$name' (${all[*]})" >&2; exit 2 ;; esac
done
rounds="${KERASKIT_BENCH_ROUNDS:-5}"
case "$rounds" in '' | *[!0-9]*) echo "KERASKIT_BENCH_ROUNDS must be a whole number, not '$rounds'" >&2; exit 2 ;; esac

if [ -n "${KERASKIT:-}" ]; then
    keraskit="$KERASKIT"
else
    echo "== building keraskit (release, as scripts/build-keraskit builds it)" >&2
    keraskit="$(scripts/build-keraskit "$scratch")"
fi
venv="$(scripts/ensure-bench-venv)"
if [ ! -x /usr/bin/time ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    echo "Installing GNU time…" >&2
    $sudo apt-get install -y -qq time >&2
fi
bench_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
mkdir -p "$work"

echo "== FMA peak (scripts/fma_peak.c)" >&2
cc="$(command -v cc || command -v clang || true)"
[ -n "$cc" ] || { echo "no C compiler (cc or clang) for scripts/fma_peak.c" >&2; exit 1; }
"$cc" -O2 -march=native -ffp-contract=fast -pthread scripts/fma_peak.c -o "$scratch/fma_peak"
fma_peak() { # appends one probe of 1 and 2 threads; the table takes the best of all of them
    { "$scratch/fma_peak" 1; "$scratch/fma_peak" 2; } >> "$work/fma_peak.jsonl"
}
rm -f "$work/fma_peak.jsonl"
fma_peak

have_anchors() { # every case asked for is in anchor_results.json with its files
    "$venv/bin/python" - "$work" "$@" <<'PY'
import json, os, sys
work, cases = sys.argv[1], sys.argv[2:]
path = os.path.join(work, "anchor_results.json")
done = json.load(open(path)) if os.path.exists(path) else {}
sys.exit(0 if all(c in done and os.path.exists(os.path.join(work, "anchor_models", c + ".onnx")) for c in cases) else 1)
PY
}
if [ -n "${KERASKIT_BENCH_REUSE:-}" ] && have_anchors "${cases[@]}"; then
    echo "== anchors: reusing $work/anchor_results.json (KERASKIT_BENCH_REUSE)" >&2
else
    echo "== anchors (TensorFlow, XLA, ONNX Runtime on Keras's ONNX export): several minutes" >&2
    (cd "$work" && "${bench_env[@]}" "$venv/bin/python" "$root/scripts/bench_conv_anchors.py" "${cases[@]}") >&2
fi

sleep "${KERASKIT_BENCH_SETTLE:-15}" # the anchors' process held GBs; let the kernel reclaim them
echo "== keraskit bench on the same files" >&2
for name in "${cases[@]}"; do
    case "$name" in *_b1) iterations=20 ;; *) iterations=10 ;; esac
    if ! "${bench_env[@]}" "$keraskit" bench "$work/anchor_models/$name.h5" --input "$work/anchor_models/${name}_x.npy" \
        --iterations "$iterations" --warmup 3 --json > "$work/keraskit_$name.json" 2> "$work/keraskit_$name.err"; then
        "$venv/bin/python" -c 'import json, sys; print(json.dumps({"refused": open(sys.argv[1]).read().strip().splitlines()[0]}))' \
            "$work/keraskit_$name.err" > "$work/keraskit_$name.json"
    fi
done

rm -f "$work/paired.json"
if [ "$rounds" -gt 0 ]; then
    echo "== paired rounds: ONNX Runtime and keraskit bench back to back, $rounds rounds per case" >&2
    "${bench_env[@]}" "$venv/bin/python" scripts/bench_paired.py --work "$work" --keraskit "$keraskit" \
        --onnx-dir "$work/anchor_models" --rounds "$rounds" "${cases[@]}"
fi

fma_peak # again, after the anchors: on a shared host one probe may meet a busy core
rm -f "$work/memory.json"
if [ -f "$work/anchor_models/resnet50_b1.h5" ]; then
    echo "== peak memory: keraskit predict on resnet50_b1 (GNU time)" >&2
    status=0
    /usr/bin/time -f '%M' -o "$work/predict_rss_kb" "${bench_env[@]}" "$keraskit" predict "$work/anchor_models/resnet50_b1.h5" \
        --input "$work/anchor_models/resnet50_b1_x.npy" --output "$work/resnet50_b1_keraskit_y.npy" \
        > /dev/null 2> "$work/predict.err" || status=$?
    "$venv/bin/python" - "$work" "$status" <<'PY'
import json, os, sys
work, status = sys.argv[1], int(sys.argv[2])
rss_kb = int(open(os.path.join(work, "predict_rss_kb")).read().split()[-1])
error = open(os.path.join(work, "predict.err")).read().strip().splitlines()
json.dump({"max_rss_bytes": rss_kb * 1024, "exit": status, "refused": error[0] if status else None},
          open(os.path.join(work, "memory.json"), "w"))
PY
fi

"$venv/bin/python" - "$work" "${cases[@]}" <<'PY'
import json, os, platform, re, sys
work, cases = sys.argv[1], sys.argv[2:]
anchors = json.load(open(os.path.join(work, "anchor_results.json")))
peak = {}
for line in open(os.path.join(work, "fma_peak.jsonl")):
    p = json.loads(line)
    if p["gflops"] > peak.get(p["threads"], {"gflops": 0})["gflops"]:
        peak[p["threads"]] = p
paired = json.load(open(os.path.join(work, "paired.json"))) if os.path.exists(os.path.join(work, "paired.json")) else {}
GOAL = 1.0


def fmt(seconds):
    return "-" if seconds is None else f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def short(error, width=110):
    """keraskit's one line without the path, each list of layer names as its length."""
    error = re.sub(r"^keraskit: error: \S+: ", "", error.strip())
    if "unsupported layer classes:" in error:
        error = re.sub(r" \(([^()]*)\)", lambda m: " (%d)" % len(m.group(1).split(", ")), error)
    return error if len(error) <= width else error[:width - 1] + "…"


cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor()) \
    if os.path.exists("/proc/cpuinfo") else platform.processor()
print(f"machine: {cpu}, {os.cpu_count()} cores; measured float32 FMA peak (scripts/fma_peak.c, "
      f"{peak[1]['vector_floats']}-float vectors, best of two probes): {peak[1]['gflops']:.0f} GFLOP/s on 1 thread, "
      f"{peak[2]['gflops']:.0f} on 2")
print(f"medians; anchors from {os.path.join(work, 'anchor_results.json')}; ONNX Runtime and TensorFlow on 2 threads\n")
head = ["case", "GFLOP", "tf.function", "TF XLA", "ORT", "KerasKit", "KerasKit/ORT", "goal", "met?",
        "ORT GFLOP/s", "KerasKit GFLOP/s", "of 2-thread peak"]
print("| " + " | ".join(head) + " |")
print("|" + "|".join("---" for _ in head) + "|")
for name in cases:
    a = anchors[name]
    k = json.load(open(os.path.join(work, f"keraskit_{name}.json")))
    ort = a.get("onnxruntime")
    row = [name, f"{a['gflop']:.3g}", fmt(a.get("tf_function")), fmt(a.get("tf_xla")), fmt(ort)]
    if "refused" in k:
        row += ["refused: " + short(k["refused"]), "-", f"≤ {GOAL:.2f}", "no"]
        kk_gflops = None
    else:
        ratio = k["median_seconds"] / ort if ort else None
        row += [fmt(k["median_seconds"]), f"{ratio:.2f}" if ratio else "-", f"≤ {GOAL:.2f}",
                "yes" if ratio and ratio <= GOAL else "no"]
        kk_gflops = a["gflop"] / k["median_seconds"]
    row += [f"{a['gflop'] / ort:.1f}" if ort else "-", f"{kk_gflops:.1f}" if kk_gflops else "-",
            f"{kk_gflops / peak[2]['gflops']:.0%}" if kk_gflops else f"(ORT {a['gflop'] / ort / peak[2]['gflops']:.0%})" if ort else "-"]
    print("| " + " | ".join(row) + " |")
errors = [(n, k, v) for n in cases for k, v in anchors[n].items() if k.endswith("_error")]
for n, k, v in errors:
    print(f"  {n}: {k}: {v}")
checks = ", ".join(f"{n} {anchors[n].get('ort_vs_keras_maxdiff', float('nan')):.1e}" for n in cases)
print(f"\nmax |ORT − Keras| per case (Keras's ONNX export checked on the benchmark input): {checks}\n")
if paired:
    head = ["case", "ORT", "KerasKit", "ratio per round", "median ratio", "goal", "met?", "rounds met"]
    print("paired rounds: ONNX Runtime and KerasKit back to back in fresh processes; medians over the rounds\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for name in cases:
        p = paired.get(name)
        if p is None:
            continue
        if "refused" in p:
            print(f"| {name} | - | refused: {short(p['refused'])} | - | - | ≤ {GOAL:.2f} | no | 0/0 |")
            continue
        ratios = [r["ratio"] for r in p["rounds"]]
        print("| " + " | ".join([name, fmt(p["onnxruntime_median"]), fmt(p["keraskit_median"]),
                                 " ".join(f"{x:.2f}" for x in ratios), f"{p['ratio_median']:.2f}", f"≤ {GOAL:.2f}",
                                 "yes" if p["ratio_median"] <= GOAL else "no",
                                 f"{sum(x <= GOAL for x in ratios)}/{len(ratios)}"]) + " |")
    print()
memory = os.path.join(work, "memory.json")
if os.path.exists(memory) and "resnet50_b1" in anchors:
    m = json.load(open(memory))
    weights = anchors["resnet50_b1"]["weight_bytes"]
    ratio = m["max_rss_bytes"] / weights
    what = f"refused ({short(m['refused'])}), " if m["refused"] else ""
    print(f"peak memory, whole `keraskit predict` on resnet50_b1.h5: {what}max RSS {m['max_rss_bytes'] / 1e6:.1f} MB = "
          f"{ratio:.2f} × its {weights / 1e6:.1f} MB of float32 weights; goal ≤ 1.5 ×: "
          f"{'yes' if ratio <= 1.5 and not m['refused'] else 'no'}")
PY
