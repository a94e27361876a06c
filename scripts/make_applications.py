#!/usr/bin/env python3
"""Build the standard keras.applications networks with seeded weights, for the parity harness.

    .venv-fixtures/bin/python scripts/make_applications.py [--apps a,b] [--writers keras3,keras2]
                                                           [--size N] [--small] [--out DIR]

scripts/check-applications runs this when its outputs are missing, then checks every file with
`keraskit verify`. Like scripts/make_fixtures.py it re-runs itself in one subprocess per writer:

  keras3  plain `import keras` (Keras 3, TensorFlow backend): model.keras and model.h5
  keras2  TF_USE_LEGACY_KERAS=1, `tf.keras` is tf_keras (Keras 2): model.h5 and model.keras

Each application is built with weights=None, classes=10 and classifier_activation=None (logits
are compared, not a saturated softmax), at --size × --size × 3 (default 96, raised to the
architecture's minimum), with the smallest published alpha where the constructor has one
(MobileNet 0.25, MobileNetV2 0.35, MobileNetV3 0.75). Random weights make a deep net's output
nearly the same for every input, which would hide errors, so every weight is redrawn from a numpy
RNG seeded by the application's name (the same draws for both writers):

  kernels           normal · sqrt(2 / fan-in) (He; a depthwise kernel's fan-in is its window)
  biases            uniform(−0.1, 0.1); the logits' layer uniform(−0.5, 0.5)
  gamma, beta       uniform(0.7, 1.3), uniform(−0.2, 0.2) (BatchNormalization, LayerNormalization)
  LayerScale gamma  uniform(0.3, 1.0) (ConvNeXt's 1e-6 would switch its residual branches off)
  statistics        Normalization (EfficientNet's preprocessing) and BatchNormalization: the
                    statistics of their inputs on a seeded calibration batch (for BN one
                    training-mode call with momentum 0 and dropout off), then
                    mean += 0.1·σ·normal and variance ·= uniform(0.8, 1.25): every BN sees
                    inputs near its statistics, so activations neither vanish nor explode through
                    50+ layers, and no BN is an identity; in a network without normalization
                    layers (VGG16) each kernel layer's outputs are centered and scaled the same way
                    through its kernel and bias
  the logits        the last kernel and bias rescaled so the logits' standard deviation is 2

The model must then answer differently per class and per input: the script fails unless the
logits' spread across inputs is at least 5 % of their spread across classes (and both > 1e-3).
Inputs: two seeded images, uniform(0, 255) for the applications whose built-in preprocessing
expects pixels (MobileNetV3, EfficientNet, EfficientNetV2, ConvNeXt), uniform(−1, 1) otherwise.

Writes (git-ignored; default --out .build-applications, --small: .build-applications-small):
  <out>/<app>/<writer>/model.h5, model.keras, input.npy, output.npy
  <out>/manifest.json   one entry per app and writer: formats written (bytes, reload check) or the
                        note why not, input shape and range, alpha, classes, parameter count, the
                        layer classes in the config (nested included), output spread, seconds
Every saved file is reloaded with the writer's own load_model and must reproduce output.npy.
A writer that lacks an application, or cannot save it in a format, is recorded as a note.

--small builds each application at its smallest configuration that still uses the
architecture, and prints the file sizes: the candidates for committed fixtures. Input side the
minimum, classes 2, the MobileNets at alpha 0.1 (below the published widths: weights=None takes any); ResNet50/V2, EfficientNetB0/V2B0, DenseNet121,
NASNetMobile and ConvNeXtTiny through their module's own builder (keras.src.applications.* or
tf_keras.src.applications.*, the function the constructor calls) with every kind of block kept
but fewer and narrower ones (SMALL_BUILDERS); InceptionV3, Xception and VGG16 have no such knob.
"""
import argparse
import inspect
import json
import os
import subprocess
import sys
import time
import zlib

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WRITERS = ("keras3", "keras2")

# name: (smallest input side the constructor accepts, {constructor arguments},
#        input range: "pixels" when the model's own first layers rescale 0..255 input)
APPS = {
    "MobileNet": (32, {"alpha": 0.25}, "unit"),
    "MobileNetV2": (32, {"alpha": 0.35}, "unit"),
    "MobileNetV3Small": (32, {"alpha": 0.75}, "pixels"),
    "MobileNetV3Large": (32, {"alpha": 0.75}, "pixels"),
    "ResNet50": (32, {}, "unit"),
    "ResNet50V2": (32, {}, "unit"),
    "EfficientNetB0": (32, {}, "pixels"),
    "EfficientNetV2B0": (32, {}, "pixels"),
    "DenseNet121": (32, {}, "unit"),
    "InceptionV3": (75, {}, "unit"),
    "Xception": (71, {}, "unit"),
    "VGG16": (32, {}, "unit"),
    "NASNetMobile": (32, {}, "unit"),
    "ConvNeXtTiny": (32, {}, "pixels"),
}
CLASSES = 10
SMALL_CLASSES = 2
SMALL_ALPHA = 0.1  # --small: the MobileNets' width (weights=None takes any alpha)
DEFAULT_SIZE = 96
BATCH = 2            # the stored input: two different images
CALIBRATION_BATCH = 8
RELOAD_ATOL = 1e-5   # the writer's own load_model must give back its own output
LOGIT_STD = 2.0


def seed_of(app):
    return zlib.crc32(app.encode("utf8")) & 0x7FFFFFFF


# ---------------------------------------------------------------------------
# Writer side (a subprocess that imports TensorFlow / Keras).
# ---------------------------------------------------------------------------


def import_keras(writer):
    if writer == "keras3":
        import keras

        assert keras.__version__.startswith("3."), keras.__version__
        return keras, keras.__version__
    import tensorflow as tf
    import tf_keras

    keras = tf.keras
    assert "tf_keras" in keras.__name__, keras.__name__
    return keras, tf_keras.__version__


def leaf_layers(model):
    """Every layer that is not itself a model, in the order Keras lists them."""
    out = []
    for layer in model.layers:
        if hasattr(layer, "layers") and layer.layers:
            out.extend(leaf_layers(layer))
        else:
            out.append(layer)
    return out


def config_classes(config):
    """The class names of every layer in a model config, nested models and wrappers included."""
    names = set()

    def walk(cfg):
        for entry in cfg.get("layers", []) if isinstance(cfg, dict) else []:
            names.add(entry["class_name"])
            inner = entry.get("config", {})
            walk(inner)
            wrapped = inner.get("layer") if isinstance(inner, dict) else None
            if isinstance(wrapped, dict) and "class_name" in wrapped:
                names.add(wrapped["class_name"])
                walk(wrapped.get("config", {}))

    walk(config)
    return sorted(names)


def weight_name(variable):
    return variable.name.split("/")[-1].split(":")[0]


def draw_weights(model, rng):
    """Redraws every weight (see the module docstring); BN statistics are set by calibrate()."""
    for layer in leaf_layers(model):
        cls = type(layer).__name__
        is_norm = cls in ("BatchNormalization", "LayerNormalization")
        for v in layer.weights:
            name, shape = weight_name(v), tuple(v.shape)
            if name in ("kernel", "depthwise_kernel", "pointwise_kernel"):
                depthwise = name == "depthwise_kernel" or cls == "DepthwiseConv2D"
                fan_in = int(np.prod(shape[:-2] if depthwise else shape[:-1]))
                value = rng.standard_normal(shape) * np.sqrt(2.0 / max(fan_in, 1))
            elif name == "recurrent_kernel":  # (units, gates · units): keeps the state's scale
                value = rng.standard_normal(shape) * np.sqrt(1.0 / shape[0])
            elif name == "bias":
                value = rng.uniform(-0.1, 0.1, shape)
            elif is_norm and name == "gamma":
                value = rng.uniform(0.7, 1.3, shape)
            elif is_norm and name == "beta":
                value = rng.uniform(-0.2, 0.2, shape)
            elif name == "moving_mean":
                value = np.zeros(shape)
            elif name == "moving_variance":
                value = np.ones(shape)
            elif cls == "Normalization" and name in ("mean", "variance", "count"):
                continue  # set from the data by calibrate()
            elif cls == "LayerScale":
                value = rng.uniform(0.3, 1.0, shape)
            else:
                raise RuntimeError("no rule to draw weight %r of layer %s (%s)" % (v.name, layer.name, cls))
            v.assign(value.astype(np.float32))


def calibrate(model, keras, rng, x_calibration):
    """Sets each Normalization's and BatchNormalization's statistics to those of their inputs on
    the calibration batch, then perturbs them. Returns how many layers it set."""
    normalizations = [l for l in leaf_layers(model) if type(l).__name__ == "Normalization" and l.weights]
    for l in normalizations:  # input preprocessing, before any BN: one sub-model call each
        inputs = np.asarray(keras.Model(model.inputs, l.input)(x_calibration, training=False), dtype=np.float64)
        axes = tuple(range(inputs.ndim - 1))
        mean, var = inputs.mean(axis=axes), inputs.var(axis=axes)
        for v in l.weights:
            name = weight_name(v)
            if name == "mean":
                value = mean + 0.1 * np.sqrt(var) * rng.standard_normal(mean.shape)
            elif name == "variance":
                value = var * rng.uniform(0.8, 1.25, var.shape)
            else:
                continue
            v.assign(value.reshape(tuple(v.shape)).astype(np.float32))
        if hasattr(l, "finalize_state"):
            l.finalize_state()  # the layer computes with tensors made from its variables
    bns = [l for l in leaf_layers(model) if type(l).__name__ == "BatchNormalization"]
    if not bns and not any(type(l).__name__ == "LayerNormalization" for l in leaf_layers(model)):
        return len(normalizations) + center_products(model, keras, rng, x_calibration)
    if not bns:
        return len(normalizations)
    dropouts = [l for l in leaf_layers(model) if hasattr(l, "rate") and isinstance(l.rate, float)]
    momenta, rates = [l.momentum for l in bns], [l.rate for l in dropouts]
    for l in bns:
        l.momentum = 0.0
    for l in dropouts:
        l.rate = 0.0
    model(x_calibration, training=True)
    for l, m in zip(bns, momenta):
        l.momentum = m
    for l, r in zip(dropouts, rates):
        l.rate = r
    for l in bns:
        mean, var = l.moving_mean.numpy(), l.moving_variance.numpy()
        sigma = np.sqrt(np.maximum(var, 1e-6))
        l.moving_mean.assign((mean + 0.1 * sigma * rng.standard_normal(mean.shape)).astype(np.float32))
        l.moving_variance.assign((np.maximum(var, 1e-6) * rng.uniform(0.8, 1.25, var.shape)).astype(np.float32))
    return len(normalizations) + len(bns)


def center_products(model, keras, rng, x_calibration):
    """A network without normalization layers (VGG16): each kernel layer but the last, in order,
    gets its pre-activation outputs on the calibration batch centered and scaled to unit variance
    per channel through its kernel and bias (plus a uniform(−0.1, 0.1) bias), as a BN would do.
    Without it a deep ReLU stack maps every input to nearly the same direction."""
    layers = [l for l in leaf_layers(model) if hasattr(l, "activation")  # Conv and Dense, not wrappers
              and any(weight_name(v) == "kernel" for v in l.weights)
              and any(weight_name(v) == "bias" for v in l.weights)][:-1]
    for l in layers:
        activation, l.activation = l.activation, keras.activations.linear
        y = np.asarray(keras.Model(model.inputs, l.output)(x_calibration, training=False), dtype=np.float64)
        l.activation = activation
        axes = tuple(range(y.ndim - 1))
        mean, std = y.mean(axis=axes), np.maximum(y.std(axis=axes), 1e-6)
        kernel = next(v for v in l.weights if weight_name(v) == "kernel")
        bias = next(v for v in l.weights if weight_name(v) == "bias")
        kernel.assign((kernel.numpy() / std).astype(np.float32))
        bias.assign(((bias.numpy() - mean) / std + rng.uniform(-0.1, 0.1, mean.shape)).astype(np.float32))
    return len(layers)


def scale_logits(model, rng, x):
    """Rescales the last kernel and bias so the logits' standard deviation is LOGIT_STD."""
    y = np.asarray(model(x, training=False))
    last = [l for l in leaf_layers(model) if any(weight_name(v) == "kernel" for v in l.weights)][-1]
    factor = LOGIT_STD / max(float(y.std()), 1e-12)
    for v in last.weights:
        if weight_name(v) == "bias":
            v.assign((v.numpy() * factor + rng.uniform(-0.5, 0.5, v.shape)).astype(np.float32))
        elif weight_name(v) == "kernel":
            v.assign((v.numpy() * factor).astype(np.float32))
    return last.name


def spread(y):
    """(std across classes, std across inputs), each averaged over the other axis."""
    y = y.reshape(y.shape[0], -1).astype(np.float64)
    return float(y.std(axis=1).mean()), float(y.std(axis=0).mean())


def save(keras, writer, model, path, fmt):
    if fmt == "h5" and writer == "keras2":
        model.save(path, save_format="h5")
    else:
        model.save(path)


def custom_objects(keras, app):
    """The application module's own layer classes (ConvNeXt's LayerScale), which load_model needs."""
    constructor = getattr(keras.applications, app)
    module = sys.modules.get(constructor.__module__)
    return {n: getattr(module, n) for n in ("LayerScale", "StochasticDepth") if hasattr(module, n)}


# --small: the application's own builder (the module function its constructor calls, in Keras 3
# and in tf-keras) with every block kind kept but fewer and narrower blocks. The applications
# without such knobs (InceptionV3, Xception, VGG16, the MobileNets beyond alpha) are built by
# their constructor at the minimum input size.
def _resnet(v2):
    def build(module, common):
        module = getattr(module, "resnet", module)  # resnet_v2 builds with resnet's functions
        stack = getattr(module, "stack_residual_blocks_v2" if v2 else "stack_residual_blocks_v1", None) \
            or getattr(module, "stack2" if v2 else "stack1")
        # (filters, blocks); 2 blocks: an identity shortcut too (and a V2 stack needs 2: it builds
        # its first and last block apart)
        sizes = [(4, 2), (8, 2), (8, 2), (8, 2)] if v2 else [(4, 2), (8, 1), (8, 1), (8, 1)]

        def stack_fn(x):
            for i, (filters, blocks) in enumerate(sizes):
                if v2:
                    x = stack(x, filters, blocks, stride1=1 if i == 3 else 2, name="conv%d" % (i + 2))
                else:
                    x = stack(x, filters, blocks, stride1=1 if i == 0 else 2, name="conv%d" % (i + 2))
            return x
        return module.ResNet(stack_fn, v2, True, **common), "ResNet(stack_fn: filters %s × blocks %s)" % (
            ",".join(str(f) for f, _ in sizes), ",".join(str(b) for _, b in sizes))
    return build


def _efficientnet(v2):
    def build(module, common):
        if v2:
            # The name picks the b0 blocks and the b-variants' preprocessing (Rescaling + Normalization);
            # Keras 3 calls the argument name, tf-keras model_name.
            key = "name" if "name" in inspect.signature(module.EfficientNetV2).parameters else "model_name"
            blocks = module.DEFAULT_BLOCKS_ARGS["efficientnetv2-b0"]
            return (module.EfficientNetV2(0.25, 0.25, 32, blocks_args=blocks, **{key: "efficientnetv2-b0"}, **common),
                    "EfficientNetV2(width 0.25, depth 0.25, b0 blocks)")
        return module.EfficientNet(0.1, 0.1, 32, **common), "EfficientNet(width 0.1, depth 0.1)"
    return build


SMALL_BUILDERS = {
    "ResNet50": _resnet(False),
    "ResNet50V2": _resnet(True),
    "EfficientNetB0": _efficientnet(False),
    "EfficientNetV2B0": _efficientnet(True),
    "DenseNet121": lambda module, common: (module.DenseNet([1, 1, 1, 1], **common), "DenseNet(blocks 1,1,1,1)"),
    "NASNetMobile": lambda module, common: (
        module.NASNet(penultimate_filters=96, num_blocks=1, stem_block_filters=8, skip_reduction=False,
                      filter_multiplier=2, default_size=32, **common),
        "NASNet(penultimate_filters 96, num_blocks 1, stem_block_filters 8)"),
    "ConvNeXtTiny": lambda module, common: (
        module.ConvNeXt(depths=[1, 1, 2, 1], projection_dims=[8, 16, 24, 32], default_size=32, **common),
        "ConvNeXt(depths 1,1,2,1, projection_dims 8,16,24,32)"),
}


def build_app(keras, app, size, classes, small=False):
    """(model, None, the configuration's description) or (None, why not, None)."""
    minimum, kwargs, _ = APPS[app]
    constructor = getattr(keras.applications, app, None)
    if constructor is None:
        return None, "this writer's keras.applications has no %s" % app, None
    side = max(size, minimum)
    common = dict(weights=None, input_shape=(side, side, 3), classes=classes, classifier_activation=None)
    if small and app in SMALL_BUILDERS:
        model, described = SMALL_BUILDERS[app](sys.modules[constructor.__module__], common)
        return model, None, described
    if small and "alpha" in kwargs:
        kwargs = dict(kwargs, alpha=SMALL_ALPHA)
    described = "%s(%s)" % (app, ", ".join("%s %s" % kv for kv in kwargs.items()))
    return constructor(**dict(kwargs, **common)), None, described


def run_app(keras, writer, version, app, args, out):
    start = time.time()
    entry = {"app": app, "writer": writer, "writer_version": version, "formats": {}, "notes": []}
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed_of(app))
    classes = SMALL_CLASSES if args.small else CLASSES
    size = APPS[app][0] if args.small else args.size
    model, why, described = build_app(keras, app, size, classes, args.small)
    entry["configuration"] = described
    if model is None:
        entry["notes"].append(why)
        return entry
    rng = np.random.default_rng(seed_of(app))
    shape = tuple(int(d) for d in model.inputs[0].shape[1:])
    kind = APPS[app][2]
    low, high = (0.0, 255.0) if kind == "pixels" else (-1.0, 1.0)
    x = rng.uniform(low, high, (BATCH,) + shape).astype(np.float32)
    x_calibration = rng.uniform(low, high, (CALIBRATION_BATCH,) + shape).astype(np.float32)
    draw_weights(model, rng)
    entry["normalizations_calibrated"] = calibrate(model, keras, rng, x_calibration)
    entry["logits_layer"] = scale_logits(model, rng, x_calibration)
    y = model.predict(x, verbose=0)
    across_classes, across_inputs = spread(y)
    entry.update({
        "input_shape": [BATCH] + list(shape), "input_range": [low, high], "alpha": APPS[app][1].get("alpha"),
        "classes_out": classes, "params": int(model.count_params()),
        "layer_classes": config_classes(model.get_config()),
        "layer_count": len(leaf_layers(model)),
        "logit_std_across_classes": across_classes, "logit_std_across_inputs": across_inputs,
        "logit_max_abs": float(np.abs(y).max()),
    })
    if not np.all(np.isfinite(y)):
        raise RuntimeError("non-finite outputs")
    if across_classes < 1e-3 or across_inputs < 1e-3 or across_inputs < 0.05 * across_classes:
        raise RuntimeError("output nearly uniform: std across classes %.3g, across inputs %.3g"
                           % (across_classes, across_inputs))
    directory = os.path.join(out, app, writer)
    os.makedirs(directory, exist_ok=True)
    np.save(os.path.join(directory, "input.npy"), x)
    np.save(os.path.join(directory, "output.npy"), y)
    for fmt in ("h5", "keras"):
        path = os.path.join(directory, "model." + fmt)
        if os.path.exists(path):
            os.remove(path)
        try:
            save(keras, writer, model, path, fmt)
        except Exception as e:  # noqa: BLE001 - recorded, the other format goes on
            if os.path.exists(path):
                os.remove(path)
            entry["notes"].append("%s: save failed: %s: %s" % (fmt, type(e).__name__, first_line(e)))
            continue
        record = {"path": os.path.relpath(path, out), "bytes": os.path.getsize(path)}
        try:
            reloaded = keras.models.load_model(path, compile=False, custom_objects=custom_objects(keras, app))
            diff = float(np.max(np.abs(reloaded.predict(x, verbose=0) - y)))
            record["reload_maxdiff"] = diff
            if diff > RELOAD_ATOL:
                entry["notes"].append("%s: the writer's own load_model differs by %.3g" % (fmt, diff))
                record["reload_ok"] = False
            else:
                record["reload_ok"] = True
            del reloaded
        except Exception as e:  # noqa: BLE001 - the writer can't read its own file: a note, not a failure
            record["reload_ok"] = None
            entry["notes"].append("%s: the writer's own load_model failed: %s: %s" % (fmt, type(e).__name__, first_line(e)))
        entry["formats"][fmt] = record
    entry["seconds"] = round(time.time() - start, 1)
    return entry


def first_line(e):
    text = str(e).strip()
    return text.splitlines()[0][:300] if text else ""


def run_writer(writer, args):
    import warnings

    warnings.filterwarnings("ignore")
    keras, version = import_keras(writer)
    print("[%s] keras %s (%s)" % (writer, version, keras.__name__), flush=True)
    entries = []
    for app in args.apps:
        try:
            entry = run_app(keras, writer, version, app, args, args.out)
        except Exception as e:  # noqa: BLE001 - one application failing must not stop the others
            entry = {"app": app, "writer": writer, "writer_version": version, "formats": {},
                     "notes": ["failed: %s: %s" % (type(e).__name__, first_line(e))], "failed": True}
        entries.append(entry)
        formats = ", ".join("%s %.1f MB%s" % (f, r["bytes"] / 1e6, {True: "", False: " (reload DIFFERS)", None: " (no reload)"}[r.get("reload_ok")])
                            for f, r in entry["formats"].items())
        print("[%s] %-16s %s params  %s  %s s%s" % (
            writer, app, entry.get("params", "-"), formats or "no files", entry.get("seconds", "-"),
            "".join("\n      note: " + n for n in entry["notes"])), flush=True)
    with open(os.path.join(args.out, ".partial_%s.json" % writer), "w") as f:
        json.dump(entries, f, indent=1)


# ---------------------------------------------------------------------------
# Parent process.
# ---------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", default=",".join(APPS), help="comma-separated (default: all)")
    parser.add_argument("--writers", default=",".join(WRITERS), help="keras3,keras2 (default: both)")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="input side (default 96)")
    parser.add_argument("--small", action="store_true", help="smallest configurations, for fixture candidates")
    parser.add_argument("--out", help="output directory (default .build-applications[-small])")
    parser.add_argument("--writer", help=argparse.SUPPRESS)  # internal: run one writer
    args = parser.parse_args()
    args.apps = [a for a in args.apps.split(",") if a]
    args.writers = [w for w in args.writers.split(",") if w]
    unknown = [a for a in args.apps if a not in APPS]
    if unknown:
        parser.error("unknown application(s) %s; known: %s" % (", ".join(unknown), ", ".join(APPS)))
    bad = [w for w in args.writers if w not in WRITERS]
    if bad:
        parser.error("unknown writer(s) %s; known: %s" % (", ".join(bad), ", ".join(WRITERS)))
    if args.size < 32:
        parser.error("--size must be at least 32")
    if args.out is None:
        args.out = os.path.join(REPO, ".build-applications-small" if args.small else ".build-applications")
    args.out = os.path.abspath(args.out)
    return args


def main():
    args = parse_args()
    if args.writer:
        run_writer(args.writer, args)
        return
    os.makedirs(args.out, exist_ok=True)
    manifest_path = os.path.join(args.out, "manifest.json")
    previous = json.load(open(manifest_path))["entries"] if os.path.exists(manifest_path) else []
    entries = []
    for writer in args.writers:
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0", CUDA_VISIBLE_DEVICES="",
                   KERAS_BACKEND="tensorflow")
        env.pop("TF_USE_LEGACY_KERAS", None)
        if writer == "keras2":
            env["TF_USE_LEGACY_KERAS"] = "1"
        command = [sys.executable, os.path.abspath(__file__), "--writer", writer, "--apps", ",".join(args.apps),
                   "--size", str(args.size), "--out", args.out] + (["--small"] if args.small else [])
        done = subprocess.run(command, env=env, cwd=REPO)
        partial = os.path.join(args.out, ".partial_%s.json" % writer)
        if done.returncode != 0 or not os.path.exists(partial):
            sys.exit("make_applications: the %s writer process failed (exit %d)" % (writer, done.returncode))
        entries.extend(json.load(open(partial)))
        os.remove(partial)
    # Entries of applications or writers not rebuilt this time stay in the manifest.
    rebuilt = {(e["app"], e["writer"]) for e in entries}
    merged = [e for e in previous if (e["app"], e["writer"]) not in rebuilt] + entries
    order = {a: i for i, a in enumerate(APPS)}
    merged.sort(key=lambda e: (order.get(e["app"], 99), e["writer"]))
    with open(manifest_path, "w") as f:
        json.dump({"generator": "scripts/make_applications.py", "small": args.small, "size": args.size,
                   "entries": merged}, f, indent=1)
        f.write("\n")

    print("\n%-17s %-7s %-10s %9s %10s %10s  %s" % ("app", "writer", "input", "params", ".h5 KB", ".keras KB", "notes"))
    failed = 0
    for e in entries:
        sizes = ["%10.0f" % (e["formats"][f]["bytes"] / 1e3) if f in e["formats"] else "%10s" % "-" for f in ("h5", "keras")]
        shape = "x".join(str(d) for d in e.get("input_shape", [])[1:3]) or "-"
        print("%-17s %-7s %-10s %9s %s %s  %s" % (e["app"], e["writer"], shape, e.get("params", "-"), sizes[0], sizes[1],
                                             "; ".join(e["notes"])))
        failed += bool(e.get("failed")) or any(r.get("reload_ok") is False for r in e["formats"].values())
    print("manifest: %s" % manifest_path)
    if failed:
        sys.exit("make_applications: %d application/writer pair(s) failed or did not reload (see notes)" % failed)


if __name__ == "__main__":
    main()
