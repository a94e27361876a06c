"""The benchmark's anchors: the same Keras LSTM models timed in Keras, PyTorch and ONNX Runtime.

    python scripts/bench_anchors.py [case …]      cases: seed small medium large (default: all)

scripts/bench.sh runs this with the Python of its venv, .venv-bench (tensorflow-cpu, torch CPU
build, onnxruntime, onnx, numpy; bench.sh creates it), in its work directory
.build-bench/anchors/, then times `keraskit bench` on the very files written here.

Each case is a Sequential model of stacked LSTMs (Keras's default activations; every layer but
the last returns sequences) on a seeded random float32 input:

    case     batch  steps  features  units
    seed         1     10         2  3
    small        1     50        16  32
    medium      32    100        64  128
    large      128    200       256  256, 256

Timed, in one process, one case after the other, each the median of 20 calls (5 for large)
after 3 warm-up calls on the same input:

    keras_predict   model.predict(x)             (Keras 3, the one TensorFlow brings)
    keras_call      model(x, training=False)      eager
    tf_function     the same call as a tf.function (graph, no XLA)
    torch           torch.nn.LSTM layers holding Keras's weights, under torch.inference_mode
    onnxruntime     that PyTorch model exported to ONNX, CPU provider

Each engine gets 2 threads (TensorFlow intra-op 2 and inter-op 1, torch.set_num_threads(2),
ONNX Runtime intra_op_num_threads 2), the cores of the machine in docs/BENCHMARKS.md;
`keraskit bench` uses every core the machine has.

Writes, in the current directory:
    anchor_models/<case>.h5       the Keras model (legacy HDF5 format), what keraskit loads
    anchor_models/<case>_x.npy    its input
    anchor_results.json           {case: {the five timings above in seconds, "gflop": 10⁹
                                  floating-point operations per call, "torch_vs_keras_maxdiff":
                                  max |PyTorch − Keras| over the outputs}}
and /tmp/<case>.onnx, the exported model that scripts/bench_paired.py times again.
"""
import json
import os
import sys
import time

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # before TensorFlow is imported: no start-up log

import numpy as np
import onnxruntime as ort
import tensorflow as tf
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_timing import median_seconds  # noqa: E402 - the timing both anchor scripts share

keras = tf.keras  # Keras 3 (TensorFlow ≥ 2.16 without tf-keras installed)

CASES = {  # name: (batch, steps, features, units of each stacked LSTM)
    "seed": (1, 10, 2, [3]),
    "small": (1, 50, 16, [32]),
    "medium": (32, 100, 64, [128]),
    "large": (128, 200, 256, [256, 256]),
}
CALLS = {"seed": 20, "small": 20, "medium": 20, "large": 5}  # timed per engine; large ≈ 1 s a call
THREADS = 2
ONNX_DIR = "/tmp"  # where scripts/bench_paired.py looks for <case>.onnx




def keras_model(steps, features, units):
    """Stacked LSTMs with Keras's defaults; only the last one returns its final step alone."""
    layers = [keras.layers.LSTM(u, return_sequences=i < len(units) - 1) for i, u in enumerate(units)]
    return keras.Sequential([keras.Input((steps, features))] + layers)


class TorchLSTMs(torch.nn.Module):
    """The Keras model as torch.nn.LSTM layers with its weights, giving the last step's output."""

    def __init__(self, model, features, units):
        super().__init__()
        self.lstms = torch.nn.ModuleList()
        inputs = features
        for layer, u in zip(model.layers, units):
            kernel, recurrent_kernel, bias = layer.get_weights()
            lstm = torch.nn.LSTM(inputs, u, batch_first=True)
            # Keras's gate order i, f, c, o is PyTorch's i, f, g, o; Keras has one bias, PyTorch
            # two that it adds.
            with torch.no_grad():
                lstm.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
                lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent_kernel.T))
                lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
                lstm.bias_hh_l0.zero_()
            self.lstms.append(lstm)
            inputs = u

    def forward(self, x):
        for lstm in self.lstms:
            x, _ = lstm(x)
        return x[:, -1, :]


def gflop(batch, steps, features, units):
    """2 · 4·u·(in + u) per LSTM layer, step and sample, as keraskit's estimatedFLOPs counts."""
    widths = [features] + units[:-1]
    return sum(2 * 4 * u * (i + u) for i, u in zip(widths, units)) * batch * steps / 1e9


def run_case(case):
    batch, steps, features, units = CASES[case]
    tf.random.set_seed(0)
    np.random.seed(0)
    model = keras_model(steps, features, units)
    x = np.random.randn(batch, steps, features).astype(np.float32)
    model.save(f"anchor_models/{case}.h5")
    np.save(f"anchor_models/{case}_x.npy", x)
    count = CALLS[case]
    reference = model(x, training=False).numpy()

    r = {}
    r["keras_predict"] = median_seconds(lambda: model.predict(x, verbose=0), count)
    r["keras_call"] = median_seconds(lambda: model(x, training=False), count)
    graph = tf.function(lambda a: model(a, training=False), jit_compile=False)
    r["tf_function"] = median_seconds(lambda: graph(x), count)

    torch_model = TorchLSTMs(model, features, units).eval()
    xt = torch.from_numpy(x)
    with torch.inference_mode():
        maxdiff = float(np.abs(torch_model(xt).numpy() - reference).max())
        r["torch"] = median_seconds(lambda: torch_model(xt), count)

    # dynamo=False: the TorchScript exporter; the dynamo one needs onnxscript, not in the venv.
    onnx_path = os.path.join(ONNX_DIR, f"{case}.onnx")
    torch.onnx.export(torch_model, xt, onnx_path, input_names=["x"], output_names=["y"], dynamo=False)
    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
    r["onnxruntime"] = median_seconds(lambda: session.run(None, {"x": x}), count)

    r["gflop"] = gflop(batch, steps, features, units)
    r["torch_vs_keras_maxdiff"] = maxdiff
    return r


def main():
    cases = sys.argv[1:] or list(CASES)
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        sys.exit(f"unknown case {', '.join(unknown)} (seed small medium large)")

    torch.set_num_threads(THREADS)
    tf.config.threading.set_intra_op_parallelism_threads(THREADS)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    os.makedirs("anchor_models", exist_ok=True)
    results = {}
    for case in CASES:  # in this order, whatever the order asked
        if case not in cases:
            continue
        r = results[case] = run_case(case)
        timings = ", ".join(f"{k} {r[k] * 1e6:.1f} µs"
                            for k in ("keras_predict", "keras_call", "tf_function", "torch", "onnxruntime"))
        print(f"{case}: {timings}; {r['gflop']:.4g} GFLOP per call; "
              f"max |torch − keras| {r['torch_vs_keras_maxdiff']:.2g}", flush=True)
    with open("anchor_results.json", "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
