"""ONNX Runtime and KerasKit taking turns on the same model and input, round after round.

    python scripts/bench_paired.py --work DIR --keraskit PATH [--rounds N] case …
    python scripts/bench_paired.py ort MODEL.onnx INPUT.npy CALLS     (one timing, for the rounds)

scripts/bench.sh runs this after the anchors (scripts/bench_anchors.py) with the venv that ran
them, and scripts/bench-conv.sh after its anchors (scripts/bench_conv_anchors.py, --onnx-dir
DIR/anchor_models). Each round starts one fresh process per engine, ONNX Runtime and `keraskit bench`, one
right after the other (which goes first alternates), and times the same number of calls after the
same warm-up as the anchors do (median of 20 calls, 5 for large, after 3). ONNX Runtime runs the
very model the anchors exported (/tmp/<case>.onnx), set up as the anchors set it up (2 intra-op
threads, CPU provider); KerasKit runs <case>.h5 on <case>_x.npy from DIR/anchor_models.

Why: on a shared host the same binary's speed moves by tens of percent over a minute, so two
timings minutes apart compare the host's moments as much as the engines. Back-to-back pairs see
the same moment; the median of the rounds' ratios is the comparison. Writes DIR/paired.json.
"""
import argparse, json, os, statistics, subprocess, sys, time

CALLS = {"seed": 20, "small": 20, "medium": 20, "large": 5,  # as in bench_anchors.py
         # as in bench_conv_anchors.py
         "mobilenetv2_b1": 20, "mobilenetv2_b16": 10, "resnet50_b1": 20, "resnet50_b8": 10, "crnn_b8": 10}
WARMUP = 3


def ort_once(model, x_path, calls):
    import numpy as np, onnxruntime as ort
    x = np.load(x_path)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
    feed = {sess.get_inputs()[0].name: x}  # "x" in the PyTorch exports, Keras's own name in its exports
    for _ in range(WARMUP):
        sess.run(None, feed)
    ts = []
    for _ in range(calls):
        t = time.perf_counter()
        sess.run(None, feed)
        ts.append(time.perf_counter() - t)
    print(json.dumps({"median_seconds": statistics.median(ts)}))


def time_ort(case, models, onnx_dir):
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "ort", os.path.join(onnx_dir, f"{case}.onnx"),
                          os.path.join(models, f"{case}_x.npy"), str(CALLS[case])],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["median_seconds"]


class Refused(Exception):
    """keraskit answered with its one-line error (exit 1): the model has layers it lacks."""


def time_keraskit(case, models, keraskit):
    done = subprocess.run([keraskit, "bench", os.path.join(models, f"{case}.h5"), "--input",
                           os.path.join(models, f"{case}_x.npy"), "--iterations", str(CALLS[case]),
                           "--warmup", str(WARMUP), "--json"], capture_output=True, text=True)
    if done.returncode == 1 and done.stderr.startswith("keraskit: error:"):
        raise Refused(done.stderr.strip().splitlines()[0])
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)
    return json.loads(done.stdout)["median_seconds"]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "ort":
        ort_once(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--keraskit", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--onnx-dir", default="/tmp")
    parser.add_argument("cases", nargs="+", choices=sorted(CALLS))
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    models = os.path.join(args.work, "anchor_models")
    results = {}
    for case in args.cases:
        for path in (os.path.join(args.onnx_dir, f"{case}.onnx"), os.path.join(models, f"{case}.h5")):
            if not os.path.exists(path):
                sys.exit(f"{path} is missing: run the anchors for '{case}' first")
        rounds = []
        try:
            for r in range(args.rounds):
                if r % 2 == 0:
                    ort_s = time_ort(case, models, args.onnx_dir)
                    kk_s = time_keraskit(case, models, args.keraskit)
                else:
                    kk_s = time_keraskit(case, models, args.keraskit)
                    ort_s = time_ort(case, models, args.onnx_dir)
                rounds.append({"onnxruntime": ort_s, "keraskit": kk_s, "ratio": kk_s / ort_s})
                print(f"{case} round {r + 1}: ORT {ort_s * 1e3:.3f} ms, KerasKit {kk_s * 1e3:.3f} ms, "
                      f"ratio {kk_s / ort_s:.2f}", file=sys.stderr, flush=True)
        except Refused as refusal:  # no pair to compare: the row says why, the other cases go on
            print(f"{case}: keraskit refused: {str(refusal)[:200]}", file=sys.stderr, flush=True)
            results[case] = {"calls": CALLS[case], "rounds": [], "refused": str(refusal)}
            continue
        results[case] = {
            "calls": CALLS[case],
            "rounds": rounds,
            "onnxruntime_median": statistics.median(r["onnxruntime"] for r in rounds),
            "keraskit_median": statistics.median(r["keraskit"] for r in rounds),
            "ratio_median": statistics.median(r["ratio"] for r in rounds),
        }
    with open(os.path.join(args.work, "paired.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
