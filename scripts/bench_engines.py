"""What the anchor scripts of scripts/bench-anchored.sh share: timing a Keras 3 model in
TensorFlow (tf.function, and with XLA) and in ONNX Runtime on Keras's own ONNX export, saving
the files `keraskit bench` reads, and the loop over the cases that writes anchor_results.json.

    scripts/bench_conv_anchors.py          (scripts/bench-conv.sh)
    scripts/bench_transformer_anchors.py   (scripts/bench-transformer.sh)

Timed, in one process, each the median of the case's calls after 3 warm-up calls:

    tf_function     tf.function(model(x, training=False)), graph without XLA
    tf_xla          the same with jit_compile=True (XLA), TensorFlow's fastest CPU path
    onnxruntime     Keras's own ONNX export (model.export(path, format="onnx"), via tf2onnx),
                    CPU provider, intra-op threads 2

An engine that fails (an export or a compile error) is recorded as "<engine>_error" and the
other engines go on. Each engine gets 2 threads (TensorFlow intra-op 2, inter-op 1; ONNX Runtime intra-op 2), the
cores of the benchmark machine; the timing is bench_timing.median_seconds, and
scripts/bench_paired.py reads the case's call count back from anchor_results.json.

Files of a case, under anchor_models/:
    <case>.h5, .keras, .onnx     the model (Keras 3 legacy HDF5, archive, ONNX)
    <case>_x.npy                 its input, for a model with one input; for several,
    <case>_x.npz                 the inputs by the model's input names
    <case>_y.npy                 Keras's output (predict)
"""
import json
import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # before TensorFlow is imported: no start-up log
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np
import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_timing import THREADS, median_seconds, ort_feed, ort_session  # noqa: E402 - the timing and ORT set-up all share


def error_text(e):
    """One line for an engine that failed: recorded as "<engine>_error", the others go on."""
    text = str(e).strip()
    return "%s: %s" % (type(e).__name__, text.splitlines()[0][:200] if text else "")


def model_arrays(model, inputs):
    """`inputs` (names → arrays) in the model's input order."""
    return [inputs[t.name] for t in model.inputs] if len(inputs) > 1 else list(inputs.values())


def save_case(model, base, inputs):
    """Saves the model as .h5 and .keras and `inputs` (the model's input names → arrays) as
    <base>_x.npy or .npz, and Keras's output as <base>_y.npy; returns that output."""
    arrays = model_arrays(model, inputs)
    y = model.predict(arrays[0] if len(arrays) == 1 else arrays, verbose=0)
    model.save(base + ".h5")
    model.save(base + ".keras")
    if len(inputs) == 1:
        np.save(base + "_x.npy", arrays[0])
    else:
        np.savez(base + "_x.npz", **inputs)
    np.save(base + "_y.npy", y)
    return y


def time_engines(model, base, inputs, y, count):
    """tf_function, tf_xla and onnxruntime (on <base>.onnx, which it exports) on `inputs`, each
    the median of `count` calls, with each engine's max |engine − Keras| on them."""
    arrays = model_arrays(model, inputs)
    argument = arrays[0] if len(arrays) == 1 else arrays
    r = {}
    graph = tf.function(lambda a: model(a, training=False), jit_compile=False)
    r["tf_function"] = median_seconds(lambda: graph(argument), count)
    try:
        xla = tf.function(lambda a: model(a, training=False), jit_compile=True)
        r["xla_vs_keras_maxdiff"] = float(np.max(np.abs(np.asarray(xla(argument)) - y)))
        r["tf_xla"] = median_seconds(lambda: xla(argument), count)
    except Exception as e:  # noqa: BLE001 - recorded; the other engines go on
        r["tf_xla_error"] = error_text(e)
    try:
        model.export(base + ".onnx", format="onnx", verbose=False)
        session = ort_session(base + ".onnx")
        feed = ort_feed(session, inputs)
        r["ort_vs_keras_maxdiff"] = float(np.max(np.abs(session.run(None, feed)[0] - y)))
        r["onnxruntime"] = median_seconds(lambda: session.run(None, feed), count)
    except Exception as e:  # noqa: BLE001
        r["onnxruntime_error"] = error_text(e)
    return r


def weight_bytes(model):
    return int(sum(np.prod(v.shape) * np.dtype(v.dtype).itemsize for v in model.weights))


def run_cases(cases, run_case, argv=None):
    """Runs `run_case(case, shared)` for the cases asked on the command line (default: all), in
    the order of `cases`, merging each result into anchor_results.json as soon as it is done.
    `shared` is one dict the calls may keep models in (two batches of one model)."""
    asked = (sys.argv[1:] if argv is None else argv) or list(cases)
    unknown = [c for c in asked if c not in cases]
    if unknown:
        sys.exit("unknown case %s (%s)" % (", ".join(unknown), " ".join(cases)))
    tf.config.threading.set_intra_op_parallelism_threads(THREADS)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    os.makedirs("anchor_models", exist_ok=True)
    results = json.load(open("anchor_results.json")) if os.path.exists("anchor_results.json") else {}
    shared = {}
    for case in cases:  # in this order, whatever the order asked
        if case not in asked:
            continue
        r = results[case] = run_case(case, shared)
        timings = ", ".join("%s %s" % (k, "%.2f ms" % (r[k] * 1e3) if k in r else "failed")
                            for k in ("tf_function", "tf_xla", "onnxruntime"))
        errors = "".join("\n  %s: %s" % (k, v) for k, v in r.items() if k.endswith("_error"))
        print("%s: %s; %.3g GFLOP per call; max |ORT − Keras| %s, |XLA − Keras| %s%s" % (
            case, timings, r["gflop"], "%.2g" % r["ort_vs_keras_maxdiff"] if "ort_vs_keras_maxdiff" in r else "-",
            "%.2g" % r["xla_vs_keras_maxdiff"] if "xla_vs_keras_maxdiff" in r else "-", errors), flush=True)
        with open("anchor_results.json", "w") as f:  # after every case: a later failure keeps these
            json.dump(results, f, indent=1)
