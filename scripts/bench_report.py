"""The tables of scripts/bench-anchored.sh (bench-conv.sh, bench-transformer.sh), from its work
directory: the anchors' and keraskit bench's medians with KerasKit/ORT and the goal, the paired
rounds, and per case a whole `keraskit predict`'s max RSS and its output against Keras's.

    python scripts/bench_report.py WORK case …
"""
import json
import os
import platform
import re
import sys

GOAL = 1.0  # KerasKit's median ≤ ONNX Runtime's
MEMORY_GOAL = 1.5  # max RSS of a whole predict ≤ 1.5 × the float32 weights


def fmt(seconds):
    return "-" if seconds is None else f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def short(error, width=110):
    """keraskit's one line without the path, each list of layer names as its length."""
    error = re.sub(r"^keraskit: error: \S+: ", "", error.strip())
    if "unsupported layer classes:" in error:
        error = re.sub(r" \(([^()]*)\)", lambda m: " (%d)" % len(m.group(1).split(", ")), error)
    return error if len(error) <= width else error[:width - 1] + "…"


def load(work, name):
    path = os.path.join(work, name)
    return json.load(open(path)) if os.path.exists(path) else {}


def table(head, rows):
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def main():
    work, cases = sys.argv[1], sys.argv[2:]
    anchors = load(work, "anchor_results.json")
    peak = {}
    for line in open(os.path.join(work, "fma_peak.jsonl")):
        p = json.loads(line)
        if p["gflops"] > peak.get(p["threads"], {"gflops": 0})["gflops"]:
            peak[p["threads"]] = p
    paired = load(work, "paired.json")

    cpu = platform.processor()
    if os.path.exists("/proc/cpuinfo"):
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), cpu)
    print(f"machine: {cpu}, {os.cpu_count()} cores; measured float32 FMA peak (scripts/fma_peak.c, "
          f"{peak[1]['vector_floats']}-float vectors, best of two probes): {peak[1]['gflops']:.0f} GFLOP/s on 1 thread, "
          f"{peak[2]['gflops']:.0f} on 2")
    print(f"medians; anchors from {os.path.join(work, 'anchor_results.json')}; ONNX Runtime and TensorFlow on 2 threads\n")
    rows = []
    for name in cases:
        a = anchors[name]
        k = load(work, f"keraskit_{name}.json")
        ort = a.get("onnxruntime")
        row = [name, f"{a['gflop']:.3g}", fmt(a.get("tf_function")), fmt(a.get("tf_xla")), fmt(ort)]
        kk_gflops = None
        if "refused" in k:
            row += ["refused: " + short(k["refused"]), "-", f"≤ {GOAL:.2f}", "no"]
        else:
            ratio = k["median_seconds"] / ort if ort else None
            row += [fmt(k["median_seconds"]), f"{ratio:.2f}" if ratio else "-", f"≤ {GOAL:.2f}",
                    "yes" if ratio and ratio <= GOAL else "no"]
            kk_gflops = a["gflop"] / k["median_seconds"]
        row += [f"{a['gflop'] / ort:.1f}" if ort else "-", f"{kk_gflops:.1f}" if kk_gflops else "-",
                f"{kk_gflops / peak[2]['gflops']:.0%}" if kk_gflops
                else f"(ORT {a['gflop'] / ort / peak[2]['gflops']:.0%})" if ort else "-"]
        rows.append(row)
    table(["case", "GFLOP", "tf.function", "TF XLA", "ORT", "KerasKit", "KerasKit/ORT", "goal", "met?",
           "ORT GFLOP/s", "KerasKit GFLOP/s", "of 2-thread peak"], rows)
    for n in cases:
        for key, value in anchors[n].items():
            if key.endswith("_error"):
                print(f"  {n}: {key}: {value}")
    checks = ", ".join(f"{n} {anchors[n].get('ort_vs_keras_maxdiff', float('nan')):.1e}" for n in cases)
    print(f"max |ORT − Keras| per case (Keras's ONNX export checked on the benchmark input): {checks}\n")

    if paired:
        print("paired rounds: ONNX Runtime and KerasKit back to back in fresh processes; medians over the rounds\n")
        rows = []
        for name in cases:
            p = paired.get(name)
            if p is None:
                continue
            if "refused" in p:
                rows.append([name, "-", f"refused: {short(p['refused'])}", "-", "-", f"≤ {GOAL:.2f}", "no", "0/0"])
                continue
            ratios = [r["ratio"] for r in p["rounds"]]
            rows.append([name, fmt(p["onnxruntime_median"]), fmt(p["keraskit_median"]), " ".join(f"{x:.2f}" for x in ratios),
                         f"{p['ratio_median']:.2f}", f"≤ {GOAL:.2f}", "yes" if p["ratio_median"] <= GOAL else "no",
                         f"{sum(x <= GOAL for x in ratios)}/{len(ratios)}"])
        table(["case", "ORT", "KerasKit", "ratio per round", "median ratio", "goal", "met?", "rounds met"], rows)

    rows = []
    for name in cases:
        m = load(work, f"predict_{name}.json")
        if not m:
            continue
        weights = anchors[name]["weight_bytes"]
        ratio = m["max_rss_bytes"] / weights
        diff = m.get("keraskit_vs_keras_maxdiff")
        rows.append([name, f"refused: {short(m['refused'])}" if m["refused"] else "-" if diff is None else f"{diff:.1e}",
                     f"{m['max_rss_bytes'] / 1e6:.1f} MB", f"{weights / 1e6:.1f} MB", f"{ratio:.2f} ×",
                     f"≤ {MEMORY_GOAL} ×", "yes" if ratio <= MEMORY_GOAL and not m["refused"] else "no"])
    if rows:
        print("a whole `keraskit predict` on each case (GNU time), its output against Keras's predict\n")
        table(["case", "max |KerasKit − Keras|", "max RSS", "float32 weights", "RSS / weights", "goal", "met?"], rows)


if __name__ == "__main__":
    main()
