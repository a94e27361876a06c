"""ONNX Runtime and KerasKit taking turns on the same model and input, round after round.

    python scripts/bench_paired.py --work DIR --keraskit PATH [--rounds N] case …
    python scripts/bench_paired.py ort MODEL.onnx INPUT.npy|.npz CALLS   (one timing, for the rounds)

scripts/bench.sh runs this after the anchors (scripts/bench_anchors.py) with the venv that ran
them, and scripts/bench-anchored.sh (bench-conv.sh, bench-transformer.sh) after theirs
(scripts/bench_engines.py, --onnx-dir DIR/anchor_models). Each round starts one fresh process per engine, ONNX Runtime and `keraskit bench`, one
right after the other (which goes first alternates), and times the same number of calls after the
same warm-up as the anchors do (median of 20 calls, 5 for large, after 3). ONNX Runtime runs the
very model the anchors exported (/tmp/<case>.onnx), set up as the anchors set it up (2 intra-op
threads, CPU provider); KerasKit runs <case>.h5 on <case>_x.npy (or, for several inputs,
<case>_x.npz) from DIR/anchor_models. The call count is the anchors' (DIR/anchor_results.json's
"calls"), else CALLS below.

Why: on a shared host the same binary's speed moves by tens of percent over a minute, so two
timings minutes apart compare the host's moments as much as the engines. Back-to-back pairs see
the same moment; the median of the rounds' ratios is the comparison. Writes DIR/paired.json.
"""
import argparse, json, os, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_timing import WARMUP  # noqa: E402 - the anchors' warm-up

CALLS = {"seed": 20, "small": 20, "medium": 20, "large": 5}  # as in bench_anchors.py


def ort_once(model, x_path, calls):
    from bench_timing import load_inputs, median_seconds, ort_feed, ort_session
    session = ort_session(model)
    feed = ort_feed(session, load_inputs(x_path))  # "x" in the PyTorch exports, Keras's own names in its exports
    print(json.dumps({"median_seconds": median_seconds(lambda: session.run(None, feed), calls)}))


def input_path(models, case):
    """<case>_x.npz where the anchors wrote one (several inputs), else <case>_x.npy."""
    archive = os.path.join(models, f"{case}_x.npz")
    return archive if os.path.exists(archive) else os.path.join(models, f"{case}_x.npy")


def time_ort(case, models, onnx_dir, calls):
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "ort", os.path.join(onnx_dir, f"{case}.onnx"),
                          input_path(models, case), str(calls)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["median_seconds"]


class Refused(Exception):
    """keraskit answered with its one-line error (exit 1): the model has layers it lacks."""


def time_keraskit(case, models, keraskit, calls):
    done = subprocess.run([keraskit, "bench", os.path.join(models, f"{case}.h5"), "--input",
                           input_path(models, case), "--iterations", str(calls),
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
    parser.add_argument("cases", nargs="+")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    models = os.path.join(args.work, "anchor_models")
    anchors_path = os.path.join(args.work, "anchor_results.json")
    anchors = json.load(open(anchors_path)) if os.path.exists(anchors_path) else {}
    calls = {case: anchors.get(case, {}).get("calls", CALLS.get(case)) for case in args.cases}
    unknown = [case for case, count in calls.items() if count is None]
    if unknown:
        parser.error(f"no call count for {', '.join(unknown)} in {anchors_path} or CALLS")
    results = {}
    for case in args.cases:
        for path in (os.path.join(args.onnx_dir, f"{case}.onnx"), os.path.join(models, f"{case}.h5")):
            if not os.path.exists(path):
                sys.exit(f"{path} is missing: run the anchors for '{case}' first")
        rounds = []
        try:
            for r in range(args.rounds):
                if r % 2 == 0:
                    ort_s = time_ort(case, models, args.onnx_dir, calls[case])
                    kk_s = time_keraskit(case, models, args.keraskit, calls[case])
                else:
                    kk_s = time_keraskit(case, models, args.keraskit, calls[case])
                    ort_s = time_ort(case, models, args.onnx_dir, calls[case])
                rounds.append({"onnxruntime": ort_s, "keraskit": kk_s, "ratio": kk_s / ort_s})
                print(f"{case} round {r + 1}: ORT {ort_s * 1e3:.3f} ms, KerasKit {kk_s * 1e3:.3f} ms, "
                      f"ratio {kk_s / ort_s:.2f}", file=sys.stderr, flush=True)
        except Refused as refusal:  # no pair to compare: the row says why, the other cases go on
            print(f"{case}: keraskit refused: {str(refusal)[:200]}", file=sys.stderr, flush=True)
            results[case] = {"calls": calls[case], "rounds": [], "refused": str(refusal)}
            continue
        results[case] = {
            "calls": calls[case],
            "rounds": rounds,
            "onnxruntime_median": statistics.median(r["onnxruntime"] for r in rounds),
            "keraskit_median": statistics.median(r["keraskit"] for r in rounds),
            "ratio_median": statistics.median(r["ratio"] for r in rounds),
        }
    with open(os.path.join(args.work, "paired.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
