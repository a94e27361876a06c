#!/usr/bin/env bash
# The run behind scripts/bench-conv.sh and scripts/bench-transformer.sh: KerasKit against ONNX
# Runtime (on Keras's own ONNX export) and TensorFlow's compiled call on Keras 3 models that an
# anchor script builds, in one run; plus the machine's measured FMA peak, KerasKit's agreement
# with Keras and the peak memory of `keraskit predict` on each case.
#
#   scripts/bench-anchored.sh SUITE [case …]   SUITE: conv or transformer (its wrapper names the
#                                              cases; default: all of the suite's)
#   KERASKIT=path/to/keraskit …   time that binary instead of building one
#   KERASKIT_BENCH_SETTLE=N …     pause N s after the anchors (default 15)
#   KERASKIT_BENCH_ROUNDS=N …     paired rounds per case (default 5, 0: none)
#   KERASKIT_BENCH_REUSE=1 …      keep the anchors of an earlier run when they have every case asked
#                                 for (re-time a new keraskit against the same files and numbers)
#
# 1. builds keraskit with scripts/build-keraskit (release, scratch path .build-bench);
# 2. makes .venv-bench unless it is there (scripts/ensure-bench-venv, with tf2onnx);
# 3. compiles and runs scripts/fma_peak.c: the float32 FMA peak of 1 and 2 threads (again after
#    the anchors; the best counts);
# 4. runs scripts/bench_SUITE_anchors.py in .build-bench/SUITE-anchors/ (git-ignored): builds
#    each model with seeded weights (Keras 3), saves anchor_models/<case>.h5/.keras/.onnx, the
#    input (<case>_x.npy, or <case>_x.npz by input name for several) and Keras's output, times
#    TensorFlow (tf.function, and with XLA) and ONNX Runtime, writes anchor_results.json
#    (scripts/bench_engines.py);
# 5. after a pause, `keraskit bench --json` on each <case>.h5 with the anchors' call count (a
#    refused model is a row saying so);
# 6. paired rounds (scripts/bench_paired.py): ONNX Runtime and keraskit bench back to back in
#    fresh processes;
# 7. a whole `keraskit predict` on each case under GNU time: max RSS, and its output against
#    Keras's;
# 8. prints the tables (scripts/bench_report.py): medians, ratios KerasKit/ORT and the goal
#    (KerasKit's median ≤ ONNX Runtime's on every case), GFLOP/s beside the peak.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
suite="${1:?usage: scripts/bench-anchored.sh SUITE [case …]}"
shift
anchors="$root/scripts/bench_${suite}_anchors.py"
[ -f "$anchors" ] || { echo "no anchor script $anchors for suite '$suite'" >&2; exit 2; }
scratch="$root/.build-bench"
work="$scratch/$suite-anchors"
# The suite's cases: the keys of its anchor script's CASES, read without running it.
read -r -a all <<< "$("${PYTHON:-python3}" -c 'import ast, sys
tree = ast.parse(open(sys.argv[1]).read())
print(" ".join(next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "CASES")))' "$anchors")"
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

anchor_field() { # anchor_field CASE FIELD: one value of anchor_results.json
    "$venv/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])' \
        "$work/anchor_results.json" "$1" "$2"
}
input_of() { # the input file of a case: <case>_x.npz for several inputs, else <case>_x.npy
    if [ -f "$work/anchor_models/${1}_x.npz" ]; then echo "$work/anchor_models/${1}_x.npz"; else echo "$work/anchor_models/${1}_x.npy"; fi
}
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
    (cd "$work" && "${bench_env[@]}" "$venv/bin/python" "$anchors" "${cases[@]}") >&2
fi

sleep "${KERASKIT_BENCH_SETTLE:-15}" # the anchors' process held GBs; let the kernel reclaim them
echo "== keraskit bench on the same files" >&2
for name in "${cases[@]}"; do
    if ! "${bench_env[@]}" "$keraskit" bench "$work/anchor_models/$name.h5" --input "$(input_of "$name")" \
        --iterations "$(anchor_field "$name" calls)" --warmup 3 --json > "$work/keraskit_$name.json" 2> "$work/keraskit_$name.err"; then
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
echo "== keraskit predict on each case (GNU time): peak memory, and the output against Keras's" >&2
for name in "${cases[@]}"; do
    status=0
    /usr/bin/time -f '%M' -o "$work/predict_rss_kb" "${bench_env[@]}" "$keraskit" predict "$work/anchor_models/$name.h5" \
        --input "$(input_of "$name")" --output "$work/${name}_keraskit_y.npy" > /dev/null 2> "$work/predict.err" || status=$?
    "$venv/bin/python" - "$work" "$name" "$status" <<'PY'
import json, os, sys
import numpy as np
work, name, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
rss_kb = int(open(os.path.join(work, "predict_rss_kb")).read().split()[-1])
error = open(os.path.join(work, "predict.err")).read().strip().splitlines()
result = {"max_rss_bytes": rss_kb * 1024, "exit": status, "refused": error[0] if status else None}
if not status:
    ours = np.load(os.path.join(work, f"{name}_keraskit_y.npy"))
    theirs = np.load(os.path.join(work, "anchor_models", f"{name}_y.npy"))
    result["keraskit_vs_keras_maxdiff"] = float(np.max(np.abs(ours - theirs))) if ours.shape == theirs.shape else None
json.dump(result, open(os.path.join(work, f"predict_{name}.json"), "w"))
PY
done

"$venv/bin/python" scripts/bench_report.py "$work" "${cases[@]}"
