"""How the benchmark anchors time a call and set up ONNX Runtime (scripts/bench_anchors.py,
scripts/bench_engines.py for bench_conv_anchors.py and bench_transformer_anchors.py).

scripts/bench_paired.py times the same counts after the same warm-up, with the same ONNX Runtime
session. Light on purpose (no TensorFlow): the paired rounds' ONNX Runtime process imports it.
"""

import time

import numpy as np

WARMUP = 3
THREADS = 2  # every engine's threads: the benchmark machine's cores


def median_seconds(call, count):
    """The median wall time of `count` calls of `call`, after WARMUP untimed ones."""
    for _ in range(WARMUP):
        call()
    times = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def ort_session(path):
    """ONNX Runtime as every anchor and paired round sets it up: CPU provider, 2 intra-op threads."""
    import onnxruntime as ort  # here: bench_anchors.py sets up its own sessions

    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def ort_feed(session, inputs):
    """The session's inputs from `inputs` (names → arrays): by name where every name matches
    (Keras's export keeps the Keras input names), else in order."""
    names = [i.name for i in session.get_inputs()]
    if all(n in inputs for n in names):
        return {n: inputs[n] for n in names}
    return dict(zip(names, inputs.values()))


def load_inputs(path):
    """<case>_x.npy as {"x": array}, or <case>_x.npz as its arrays by name, in the file's order."""
    if path.endswith(".npz"):
        with np.load(path) as archive:
            return {name: archive[name] for name in archive.files}
    return {"x": np.load(path)}
