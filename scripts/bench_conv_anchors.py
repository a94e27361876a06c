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
something. The engines (tf.function, XLA, ONNX Runtime on Keras's own ONNX export), the files
under anchor_models/ and the loop writing anchor_results.json are scripts/bench_engines.py's;
anchor_results.json holds per case the timings in seconds, "calls", "gflop" (10⁹ flops per call:
2 per multiply-add of Conv2D, DepthwiseConv2D, Dense and LSTM products; nothing for the rest),
"params", "weight_bytes", "ort_vs_keras_maxdiff" and "xla_vs_keras_maxdiff".
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
from bench_engines import run_cases, save_case, time_engines, weight_bytes  # noqa: E402 - engines, files, the case loop

import keras  # noqa: E402 - after bench_engines set the backend
from make_applications import calibrate, draw_weights, leaf_layers  # noqa: E402 - the same seeded weights

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
    base = os.path.join("anchor_models", case)
    inputs = {"x": x}
    y = save_case(model, base, inputs)
    count = CALLS[case]
    r = {"calls": count, "batch": batch, "input_shape": list(x.shape), "params": int(model.count_params()),
         "weight_bytes": weight_bytes(model), "gflop": flops_per_sample(model) * batch / 1e9}
    r.update(time_engines(model, base, inputs, y, count))
    return r


if __name__ == "__main__":
    run_cases(list(CASES), run_case)
