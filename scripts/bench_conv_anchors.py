"""The convolutional benchmark's anchors: real architectures timed in ONNX Runtime and TensorFlow.

    python scripts/bench_conv_anchors.py [case …]
        cases: mobilenetv2_b1 mobilenetv2_b16 resnet50_b1 resnet50_b8 crnn_b8 (default: all)

scripts/bench-conv.sh runs this with the Python of .venv-bench (bench.sh's venv, plus tf2onnx) in
its work directory .build-bench/conv-anchors/, then times `keraskit bench` on the very files
written here, in paired rounds against ONNX Runtime (scripts/bench_paired.py).

    case             model                                              batch  input
    mobilenetv2_b1   keras.applications.MobileNetV2 (alpha 1, 1000)        1   224×224×3
    mobilenetv2_b16  the same                                             16   224×224×3
    resnet50_b1      keras.applications.ResNet50 (1000 classes)            1   224×224×3
    resnet50_b8      the same                                              8   224×224×3
    crnn_b8          Conv2D(32)+pool, Conv2D(64)+pool, BiLSTM(128), Dense   8   200×64×1
                     (a spectrogram of 200 steps × 64 bands)

Each model is built by Keras 3 with weights=None, its weights redrawn and its BatchNormalization
statistics calibrated as scripts/make_applications.py does (seeded; the applications give logits,
classifier_activation=None), so outputs differ per input and the ONNX Runtime check below means
something. Timed, in one process, each the median of CALLS calls after 3 warm-up calls:

    tf_function     tf.function(model(x, training=False)), graph without XLA
    tf_xla          the same with jit_compile=True (XLA), TensorFlow's fastest CPU path
    onnxruntime     Keras's own ONNX export (model.export(path, format="onnx"), via tf2onnx),
                    CPU provider, intra-op threads 2

Each engine gets 2 threads (TensorFlow intra-op 2, inter-op 1; ONNX Runtime intra-op 2), the
cores of the benchmark machine.

Writes, in the current directory:
    anchor_models/<case>.h5, .keras, .onnx   the model (Keras 3 legacy HDF5, archive, ONNX)
    anchor_models/<case>_x.npy, _y.npy      the input and Keras's output
    anchor_results.json   {case: {the timings above in seconds, "calls", "gflop": 10⁹ flops per
                          call (2 per multiply-add of Conv2D, DepthwiseConv2D, Dense and LSTM
                          products; nothing for the rest), "params", "weight_bytes",
                          "ort_vs_keras_maxdiff", "xla_vs_keras_maxdiff"}}
An engine that fails (an export or a compile error) is recorded as "<engine>_error" and the
other engines go on.
"""
import json
import os
import sys
import time

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # before TensorFlow is imported: no start-up log
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np
import onnxruntime as ort
import tensorflow as tf
import keras

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_timing import median_seconds  # noqa: E402 - the timing both anchor scripts share
from make_applications import calibrate, draw_weights, leaf_layers  # noqa: E402 - the same seeded weights

THREADS = 2
CALLS = {"mobilenetv2_b1": 20, "mobilenetv2_b16": 10, "resnet50_b1": 20, "resnet50_b8": 10, "crnn_b8": 10}
SEED = 0


def crnn(steps=200, bands=64):
    layers = keras.layers
    inputs = keras.Input((steps, bands, 1), name="spectrogram")
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D((1, 2))(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D((1, 2))(x)
    x = layers.Reshape((steps, (bands // 4) * 64))(x)
    x = layers.Bidirectional(layers.LSTM(128, return_sequences=True))(x)
    outputs = layers.Dense(30)(x)
    return keras.Model(inputs, outputs, name="crnn")


MODELS = {
    "mobilenetv2": lambda: keras.applications.MobileNetV2(weights=None, input_shape=(224, 224, 3),
                                                          classifier_activation=None),
    "resnet50": lambda: keras.applications.ResNet50(weights=None, input_shape=(224, 224, 3),
                                                    classifier_activation=None),
    "crnn": crnn,
}
CASES = {"mobilenetv2_b1": ("mobilenetv2", 1), "mobilenetv2_b16": ("mobilenetv2", 16),
         "resnet50_b1": ("resnet50", 1), "resnet50_b8": ("resnet50", 8), "crnn_b8": ("crnn", 8)}




def flops_per_sample(model):
    """2 flops per multiply-add of the products, from each layer's configured shapes."""
    total = 0
    for layer in leaf_layers(model):
        cls = type(layer).__name__
        if cls in ("Conv2D", "DepthwiseConv2D"):
            _, h, w, c_out = layer.output.shape
            kh, kw = layer.kernel_size
            c_in = layer.input.shape[-1]
            if cls == "Conv2D":
                total += 2 * h * w * kh * kw * (c_in // getattr(layer, "groups", 1)) * c_out
            else:
                total += 2 * h * w * kh * kw * c_out
        elif cls == "Dense":
            rows = int(np.prod(layer.input.shape[1:-1])) if len(layer.input.shape) > 2 else 1
            total += 2 * rows * layer.input.shape[-1] * layer.units
        elif cls == "Bidirectional":
            steps, features = layer.input.shape[1], layer.input.shape[-1]
            for direction in (layer.forward_layer, layer.backward_layer):
                total += 2 * 4 * direction.units * (features + direction.units) * steps
    return int(total)


def run_case(case, models):
    kind, batch = CASES[case]
    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)
    if kind not in models:  # mobilenetv2_b1 and _b16 share one model (and its weights)
        model = MODELS[kind]()
        shape = tuple(int(d) for d in model.inputs[0].shape[1:])
        draw_weights(model, rng)
        calibrate(model, keras, rng, rng.uniform(-1, 1, (8,) + shape).astype(np.float32))
        models[kind] = model
    model = models[kind]
    shape = tuple(int(d) for d in model.inputs[0].shape[1:])
    x = np.random.default_rng(SEED + batch).uniform(-1, 1, (batch,) + shape).astype(np.float32)
    y = model.predict(x, verbose=0)
    base = os.path.join("anchor_models", case)
    model.save(base + ".h5")
    model.save(base + ".keras")
    np.save(base + "_x.npy", x)
    np.save(base + "_y.npy", y)
    count = CALLS[case]
    r = {"calls": count, "batch": batch, "input_shape": list(x.shape), "params": int(model.count_params()),
         "weight_bytes": int(sum(np.prod(v.shape) * np.dtype(v.dtype).itemsize for v in model.weights)),
         "gflop": flops_per_sample(model) * batch / 1e9}

    graph = tf.function(lambda a: model(a, training=False), jit_compile=False)
    r["tf_function"] = median_seconds(lambda: graph(x), count)
    try:
        xla = tf.function(lambda a: model(a, training=False), jit_compile=True)
        r["xla_vs_keras_maxdiff"] = float(np.max(np.abs(np.asarray(xla(x)) - y)))
        r["tf_xla"] = median_seconds(lambda: xla(x), count)
    except Exception as e:  # noqa: BLE001 - recorded; the other engines go on
        r["tf_xla_error"] = "%s: %s" % (type(e).__name__, str(e).strip().splitlines()[0][:200] if str(e).strip() else "")

    try:
        model.export(base + ".onnx", format="onnx", verbose=False)
        options = ort.SessionOptions()
        options.intra_op_num_threads = THREADS
        session = ort.InferenceSession(base + ".onnx", options, providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        r["ort_vs_keras_maxdiff"] = float(np.max(np.abs(session.run(None, {name: x})[0] - y)))
        r["onnxruntime"] = median_seconds(lambda: session.run(None, {name: x}), count)
    except Exception as e:  # noqa: BLE001
        r["onnxruntime_error"] = "%s: %s" % (type(e).__name__, str(e).strip().splitlines()[0][:200] if str(e).strip() else "")
    return r


def main():
    cases = sys.argv[1:] or list(CASES)
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        sys.exit("unknown case %s (%s)" % (", ".join(unknown), " ".join(CASES)))
    tf.config.threading.set_intra_op_parallelism_threads(THREADS)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    os.makedirs("anchor_models", exist_ok=True)
    results = json.load(open("anchor_results.json")) if os.path.exists("anchor_results.json") else {}
    models = {}
    for case in CASES:  # in this order, whatever the order asked
        if case not in cases:
            continue
        r = results[case] = run_case(case, models)
        timings = ", ".join("%s %s" % (k, "%.2f ms" % (r[k] * 1e3) if k in r else "failed")
                            for k in ("tf_function", "tf_xla", "onnxruntime"))
        errors = "".join("\n  %s: %s" % (k, v) for k, v in r.items() if k.endswith("_error"))
        print("%s: %s; %.3g GFLOP per call; max |ORT − Keras| %s, |XLA − Keras| %s%s" % (
            case, timings, r["gflop"], "%.2g" % r["ort_vs_keras_maxdiff"] if "ort_vs_keras_maxdiff" in r else "-",
            "%.2g" % r["xla_vs_keras_maxdiff"] if "xla_vs_keras_maxdiff" in r else "-", errors), flush=True)
        with open("anchor_results.json", "w") as f:  # after every case: a later failure keeps these
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
