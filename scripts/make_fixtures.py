#!/usr/bin/env python3
"""Generate the KerasKit parity fixtures under Fixtures/.

Run from the repository root:

    .venv-fixtures/bin/python scripts/make_fixtures.py

The script deletes and regenerates Fixtures/.  It re-runs itself in two
subprocesses, one per writer:

  keras3  plain `import keras` (Keras 3, TensorFlow backend)
  keras2  TF_USE_LEGACY_KERAS=1, `tf.keras` is tf_keras (Keras 2)

Each writer builds every model of the grid, redraws all weights with a seeded
numpy RNG (except the `seed` fixture, which keeps its seeded default init),
saves the model as legacy HDF5 (`model.h5`), runs `model.predict` and stores
inputs/outputs as .npy.  Error fixtures (files KerasKit must reject) go to
Fixtures/errors/.  The parent process then merges the per-writer results into
Fixtures/manifest.json and cross-checks a subset of the fixtures against a
small numpy LSTM reference (it never imports TensorFlow itself).

Layout:
  Fixtures/manifest.json
  Fixtures/<name>/<writer>/model.h5
  Fixtures/<name>/<writer>/call<k>_input<i>.npy
  Fixtures/<name>/<writer>/call<k>_output<j>.npy
  Fixtures/errors/<kind>.<writer>.h5
"""

import json
import os
import shutil
import subprocess
import sys
import zlib

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO, "Fixtures")
# Folders under Fixtures/ that other scripts make (scripts/make_hdf5_test_files.py).
OTHER_SCRIPTS_FOLDERS = {"hdf5"}
WRITERS = ("keras3", "keras2")
GENERATOR = "scripts/make_fixtures.py"

# Activations asked for in the grid.  Each writer keeps the ones it accepts.
ACTIVATIONS = [
    "tanh", "sigmoid", "hard_sigmoid", "relu", "linear", "softsign",
    "softplus", "elu", "selu", "gelu", "swish", "silu", "exponential",
    "relu6", "leaky_relu", "mish", "softmax", "hard_silu", "log_softmax",
    "hard_tanh", "tanh_shrink", "sparse_plus", "squareplus", "celu", "glu",
]
RECURRENT_ACTIVATIONS = ["relu", "softsign", "linear", "tanh"]


def fixture_seed(name):
    return zlib.crc32(name.encode("utf8")) & 0x7FFFFFFF


# ---------------------------------------------------------------------------
# Writer side (runs inside a subprocess that imports TensorFlow / Keras).
# ---------------------------------------------------------------------------


class Skip(Exception):
    pass


def import_keras(writer):
    if writer == "keras3":
        import keras  # noqa: F401

        assert keras.__version__.startswith("3."), keras.__version__
        return keras, keras.__version__
    import tensorflow as tf
    import tf_keras

    keras = tf.keras
    assert "tf_keras" in keras.__name__, keras.__name__
    return keras, tf_keras.__version__


def fixture_specs(writer):
    """Return the list of fixture specs (dicts) for the grid.

    Each spec: name, description, build(keras) -> model, calls(rng) -> list of
    {"inputs": [arrays], "reset": bool}, wscale (uniform(-wscale, wscale)
    weight redraw, None = keep init), optional check(model, outs).
    """
    specs = []

    def add(name, description, build, calls, wscale=0.5, **extra):
        d = dict(name=name, description=description, build=build, calls=calls, wscale=wscale)
        d.update(extra)
        specs.append(d)

    def normal(rng, *shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def one_call(shape, scale=1.0):
        return lambda rng: [{"inputs": [normal(rng, *shape, scale=scale)], "reset": False}]

    def seq_lstm(T, F, **lstm_kwargs):
        def build(keras):
            return keras.Sequential([keras.Input(shape=(T, F)), keras.layers.LSTM(**lstm_kwargs)])
        return build

    def functional_lstm(T, F, **lstm_kwargs):
        def build(keras):
            inp = keras.Input(shape=(T, F))
            outs = keras.layers.LSTM(**lstm_kwargs)(inp)
            return keras.Model(inp, outs)
        return build

    # --- seed: built exactly like the seed program, default (seeded) init.
    def build_seed(keras):
        model = keras.models.Sequential()
        model.add(keras.layers.LSTM(
            input_shape=(10, 2), units=3, activation="tanh", recurrent_activation="sigmoid",
            use_bias=True, kernel_initializer="glorot_uniform",
            recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
            kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
            activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
            bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, implementation=1,
            return_sequences=True, return_state=False, go_backwards=False, stateful=False,
            unroll=False))
        return model

    def seed_calls(rng):
        x = np.arange(1, 21, dtype=np.float64).reshape(1, 10, 2)
        return [{"inputs": [x], "reset": False}]

    add("seed", "Seed program: Sequential LSTM(3, return_sequences=True, input_shape=(10,2)), "
        "seeded default init (no redraw), float64 input 1..20", build_seed, seed_calls, wscale=None)

    add("lstm_last", "LSTM(5) return_sequences=False", seq_lstm(7, 3, units=5), one_call((3, 7, 3)))
    add("lstm_seq", "LSTM(5) return_sequences=True", seq_lstm(7, 3, units=5, return_sequences=True),
        one_call((3, 7, 3)))
    add("lstm_state_seq", "Functional LSTM(4, return_sequences=True, return_state=True) -> [y, h, c]",
        functional_lstm(6, 3, units=4, return_sequences=True, return_state=True), one_call((3, 6, 3)))
    add("lstm_state_last", "Functional LSTM(4, return_state=True) -> [y, h, c]",
        functional_lstm(6, 3, units=4, return_state=True), one_call((3, 6, 3)))
    add("lstm_backwards_seq", "LSTM(4, go_backwards=True, return_sequences=True)",
        seq_lstm(6, 3, units=4, go_backwards=True, return_sequences=True), one_call((3, 6, 3)))
    add("lstm_backwards_last", "LSTM(4, go_backwards=True)",
        seq_lstm(6, 3, units=4, go_backwards=True), one_call((3, 6, 3)))
    add("lstm_backwards_state",
        "Functional LSTM(4, go_backwards=True, return_sequences=True, return_state=True) -> [y, h, c]",
        functional_lstm(6, 3, units=4, go_backwards=True, return_sequences=True, return_state=True),
        one_call((3, 6, 3)))
    add("lstm_nobias", "LSTM(4, use_bias=False, return_sequences=True)",
        seq_lstm(6, 3, units=4, use_bias=False, return_sequences=True), one_call((3, 6, 3)))
    add("lstm_hard_sigmoid",
        "LSTM(5, recurrent_activation='hard_sigmoid', return_sequences=True); weights uniform(-1,1) and "
        "inputs normal*1.5 so gate pre-activations often have |x| in 1..4 (Keras 2: clip(0.2x+0.5), "
        "Keras 3: clip(x/6+0.5))",
        seq_lstm(8, 4, units=5, recurrent_activation="hard_sigmoid", return_sequences=True),
        one_call((3, 8, 4), scale=1.5), wscale=1.0)

    for act in ACTIVATIONS:
        wscale, xscale = 0.5, 1.0
        if act == "exponential":
            wscale, xscale = 0.15, 0.5  # keep exp(c) far from overflow
        add("act_" + act, "LSTM(4, activation=%r, return_sequences=True)" % act,
            seq_lstm(6, 3, units=4, activation=act, return_sequences=True),
            one_call((3, 6, 3), scale=xscale), wscale=wscale)
    for act in RECURRENT_ACTIVATIONS:
        add("ract_" + act, "LSTM(4, recurrent_activation=%r, return_sequences=True)" % act,
            seq_lstm(6, 3, units=4, recurrent_activation=act, return_sequences=True),
            one_call((3, 6, 3)), wscale=0.4)

    def build_stateful(keras):
        return keras.Sequential([
            keras.Input(shape=(5, 3), batch_size=2),
            keras.layers.LSTM(4, stateful=True, return_sequences=True),
        ])

    def stateful_calls(rng):
        x1 = normal(rng, 2, 5, 3)
        x2 = normal(rng, 2, 5, 3)
        return [{"inputs": [x1], "reset": False}, {"inputs": [x2], "reset": False},
                {"inputs": [x1], "reset": True}]

    add("lstm_stateful", "Stateful LSTM(4, return_sequences=True), batch size 2; calls: predict(x1), "
        "predict(x2) with carried state, reset_states, predict(x1)", build_stateful, stateful_calls,
        stateful=True)

    add("lstm_unroll", "LSTM(4, unroll=True, return_sequences=True)",
        seq_lstm(5, 3, units=4, unroll=True, return_sequences=True), one_call((3, 5, 3)))
    add("lstm_impl1", "LSTM(4, implementation=1, return_sequences=True)",
        seq_lstm(6, 3, units=4, implementation=1, return_sequences=True), one_call((3, 6, 3)))
    add("lstm_dropout", "LSTM(4, dropout=0.3, recurrent_dropout=0.2, return_sequences=True) "
        "(inference: no dropout)",
        seq_lstm(6, 3, units=4, dropout=0.3, recurrent_dropout=0.2, return_sequences=True),
        one_call((3, 6, 3)))

    def any_length_calls(rng):
        return [{"inputs": [normal(rng, 3, 4, 3)], "reset": False},
                {"inputs": [normal(rng, 3, 9, 3)], "reset": False}]

    add("lstm_any_length", "LSTM(4, return_sequences=True) on Input(shape=(None, 3)); calls with T=4 and T=9",
        seq_lstm(None, 3, units=4, return_sequences=True), any_length_calls)

    def build_stacked(keras):
        L = keras.layers
        return keras.Sequential([
            keras.Input(shape=(7, 3)),
            L.LSTM(6, return_sequences=True), L.Dropout(0.5), L.LSTM(4), L.Dense(5),
            L.Activation("softmax"),
        ])

    add("stacked", "LSTM(6, seq) -> Dropout(0.5) -> LSTM(4) -> Dense(5) -> Activation('softmax')",
        build_stacked, one_call((3, 7, 3)))

    def build_dense_3d(keras):
        L = keras.layers
        return keras.Sequential([
            keras.Input(shape=(6, 3)),
            L.LSTM(5, return_sequences=True), L.Dense(3, activation="relu"), L.Dense(2, use_bias=False),
        ])

    add("dense_3d", "LSTM(5, seq) -> Dense(3, relu) on 3-D -> Dense(2, use_bias=False)",
        build_dense_3d, one_call((3, 6, 3)))

    def build_regularized(keras):
        R, C, I = keras.regularizers, keras.constraints, keras.initializers
        return keras.Sequential([
            keras.Input(shape=(6, 3)),
            keras.layers.LSTM(
                4, return_sequences=True,
                kernel_regularizer=R.L1L2(l1=0.01, l2=0.02), recurrent_regularizer=R.L2(0.1),
                bias_regularizer=R.L1(0.1), activity_regularizer=R.L2(0.01),
                kernel_constraint=C.MaxNorm(2), recurrent_constraint=C.UnitNorm(),
                bias_constraint=C.NonNeg(),
                kernel_initializer=I.RandomNormal(mean=0.0, stddev=0.1, seed=3),
                recurrent_initializer=I.Orthogonal(gain=1.5), bias_initializer=I.Constant(0.2),
                unit_forget_bias=False),
        ])

    add("regularized", "LSTM(4, seq) with regularizers, constraints, non-default initializers, "
        "unit_forget_bias=False (weights redrawn)", build_regularized, one_call((3, 6, 3)))

    add("zero_output", "LSTM(4, zero_output_for_mask=True, return_sequences=True), no mask",
        seq_lstm(6, 3, units=4, zero_output_for_mask=True, return_sequences=True), one_call((3, 6, 3)))

    def build_time_major(keras):
        if writer != "keras2":
            raise Skip("Keras 3 LSTM has no time_major argument")
        # Input is (T, B, F); Keras treats axis 0 as the "batch" for predict's
        # batching, so T must stay <= predict's batch_size (32).
        return keras.Sequential([
            keras.Input(shape=(None, 3)),
            keras.layers.LSTM(4, time_major=True, return_sequences=True),
        ])

    add("time_major", "Keras 2 LSTM(4, time_major=True, return_sequences=True): input (T=6, B=3, F=3), "
        "output (T, B, units)", build_time_major, one_call((6, 3, 3)), time_major=True)

    def int_calls(rng):
        return [{"inputs": [rng.integers(-3, 4, size=(3, 7, 3)).astype(np.int32)], "reset": False}]

    add("int_input", "LSTM(5) return_sequences=False, int32 input in -3..3 (Keras casts to float32)",
        seq_lstm(7, 3, units=5), int_calls, wscale=0.4)
    add("wide", "LSTM(64) on (T=20, F=32), return_sequences=False, batch 4",
        seq_lstm(20, 32, units=64), one_call((4, 20, 32)), wscale=0.15)

    def build_chunked_names(keras):
        L = keras.layers
        layers = [keras.Input(shape=(5, 3))]
        for i in range(400):
            name = "dropout_%03d_" % i
            name = name + "n" * (205 - len(name))
            assert len(name) == 205
            layers.append(L.Dropout(0.1, name=name))
        layers += [L.LSTM(4), L.Dense(2)]
        return keras.Sequential(layers)

    add("chunked_names", "Input -> 400 Dropout layers with 205-char names -> LSTM(4) -> Dense(2); "
        "the writer splits model_weights/layer_names into layer_names0, layer_names1",
        build_chunked_names, one_call((3, 5, 3)), chunked_names=True)
    return specs


def shape_list(t):
    return [None if d is None else int(d) for d in tuple(t.shape)]


def layer_output_shape(layer):
    out = layer.output
    if isinstance(out, (list, tuple)):
        return [shape_list(t) for t in out]
    return shape_list(out)


def reset_model_states(model):
    if hasattr(model, "reset_states"):
        model.reset_states()
        return
    for layer in model.layers:
        if getattr(layer, "stateful", False) and hasattr(layer, "reset_states"):
            layer.reset_states()


def redraw_weights(model, rng, scale):
    for layer in model.layers:
        ws = layer.get_weights()
        if ws:
            layer.set_weights([rng.uniform(-scale, scale, size=w.shape).astype(w.dtype) for w in ws])


def save_model_h5(keras, writer, model, path):
    if writer == "keras2":
        model.save(path, save_format="h5")
    else:
        model.save(path)


def attr_list(group, name):
    """Keras's load_attributes_from_hdf5_group, returning python strings."""
    if name in group.attrs:
        data = list(group.attrs[name])
    else:
        data = []
        k = 0
        while "%s%d" % (name, k) in group.attrs:
            data.extend(list(group.attrs["%s%d" % (name, k)]))
            k += 1
    return [x.decode("utf8") if isinstance(x, bytes) else str(x) for x in data]


def attr_type_desc(attrs, key):
    import h5py

    t = attrs.get_id(key).get_type()
    space = attrs.get_id(key).get_space()
    shape = space.get_simple_extent_dims()
    if isinstance(t, h5py.h5t.TypeStringID):
        cset = {0: "ASCII", 1: "UTF-8"}[t.get_cset()]
        kind = "vlen str" if t.is_variable_str() else "fixed str(%d)" % t.get_size()
        return "%s %s %s" % (kind, cset, "scalar" if shape == () else "array%s" % (shape,))
    return "%s %s" % (attrs[key].dtype if hasattr(attrs[key], "dtype") else type(t).__name__, shape)


def write_bytes_list_attr(group, name, values):
    # Same call the Keras writers make for an unchunked attribute:
    # group.attrs[name] = [b"...", ...]  (h5py -> vlen ASCII string array)
    group.attrs[name] = [v.encode("utf8") for v in values]


def find_layer_weight_group(f, class_name):
    cfg = json.loads(attr_str(f.attrs["model_config"]))
    for layer in cfg["config"]["layers"]:
        if layer["class_name"] == class_name:
            return f["model_weights"][layer["config"]["name"]]
    raise KeyError(class_name)


def attr_str(v):
    return v.decode("utf8") if isinstance(v, bytes) else str(v)


def make_error_fixtures(keras, writer, errors_dir, lstm_last_h5, notes):
    import h5py

    errors = []

    def err(kind, description, expect):
        errors.append({"name": kind, "file": "errors/%s.%s.h5" % (kind, writer),
                       "description": "[%s] %s" % (writer, description), "expect": expect})
        return os.path.join(errors_dir, "%s.%s.h5" % (kind, writer))

    def copy_src(dst):
        shutil.copyfile(lstm_last_h5, dst)
        return dst

    # unknown_layer: real Keras model with a GaussianNoise layer.
    keras.backend.clear_session()
    keras.utils.set_random_seed(fixture_seed("unknown_layer"))
    model = keras.Sequential([keras.Input(shape=(6, 3)), keras.layers.GaussianNoise(0.1),
                              keras.layers.LSTM(3)])
    path = err("unknown_layer", "Sequential Input -> GaussianNoise(0.1) -> LSTM(3); GaussianNoise "
               "is not a supported layer class", "GaussianNoise")
    save_model_h5(keras, writer, model, path)

    # weights_only: model.save_weights output (no model_config at all).
    path = err("weights_only",
               "model.save_weights output of lstm_last: " +
               ("Keras 3 native .weights.h5 format (layers/<name>/cell/vars/<i>)" if writer == "keras3"
                else "Keras 2 legacy HDF5 weights (save_format='h5'; root layer_names, no model_config)"),
               "model_config")
    if writer == "keras3":
        model = keras.models.load_model(lstm_last_h5, compile=False)
        tmp = os.path.join(errors_dir, "tmp_%s.weights.h5" % writer)
        model.save_weights(tmp)
        os.replace(tmp, path)
    else:
        model = keras.models.load_model(lstm_last_h5, compile=False)
        model.save_weights(path, save_format="h5")

    # Derived from lstm_last with h5py.
    with h5py.File(copy_src(err("missing_weight", "lstm_last with the LSTM recurrent_kernel dataset "
                                "deleted and removed from weight_names", "recurrent_kernel")), "r+") as f:
        g = find_layer_weight_group(f, "LSTM")
        names = attr_list(g, "weight_names")
        victim = [n for n in names if "recurrent_kernel" in n]
        assert len(victim) == 1, names
        del g[victim[0]]
        write_bytes_list_attr(g, "weight_names", [n for n in names if n != victim[0]])

    with h5py.File(copy_src(err("extra_weight", "lstm_last with an extra dataset 'extra_weight' "
                                "(shape (5,)) added to the LSTM cell group and appended to weight_names",
                                "extra_weight")), "r+") as f:
        g = find_layer_weight_group(f, "LSTM")
        names = attr_list(g, "weight_names")
        kernel = [n for n in names if n.split("/")[-1].split(":")[0] == "kernel"][0]
        extra = kernel.rsplit("/", 1)[0] + "/extra_weight" + (":0" if kernel.endswith(":0") else "")
        g.create_dataset(extra, data=np.linspace(-1, 1, 5).astype(np.float32))
        write_bytes_list_attr(g, "weight_names", names + [extra])

    with h5py.File(copy_src(err("misshaped_weight", "lstm_last with the LSTM kernel (3, 20) replaced "
                                "by its transpose (20, 3)", "kernel")), "r+") as f:
        g = find_layer_weight_group(f, "LSTM")
        names = attr_list(g, "weight_names")
        kernel = [n for n in names if n.split("/")[-1].split(":")[0] == "kernel"][0]
        data = g[kernel][()]
        del g[kernel]
        g.create_dataset(kernel, data=np.ascontiguousarray(data.T))

    with h5py.File(copy_src(err("bad_json", "lstm_last with root attr model_config replaced by the "
                                "truncated JSON '{\"class_name\": \"Sequential\", \"config\": {'",
                                "model_config")), "r+") as f:
        f.attrs["model_config"] = b'{"class_name": "Sequential", "config": {'

    with h5py.File(copy_src(err("no_config", "lstm_last with root attr model_config deleted",
                                "model_config")), "r+") as f:
        del f.attrs["model_config"]

    with h5py.File(copy_src(err("wrong_type_config", "lstm_last with LSTM config units = \"three\" "
                                "(a string) in otherwise valid model_config JSON", "units")), "r+") as f:
        cfg = json.loads(attr_str(f.attrs["model_config"]))
        hits = 0
        for layer in cfg["config"]["layers"]:
            if layer["class_name"] == "LSTM":
                layer["config"]["units"] = "three"
                hits += 1
        assert hits == 1
        f.attrs["model_config"] = json.dumps(cfg).encode("utf8")
    return errors


def make_chunked_weight_names(entry_src, writer, notes):
    """Copy lstm_last and split the LSTM group's weight_names like Keras would."""
    import h5py

    src_dir = os.path.join(FIXTURES, "lstm_last", writer)
    dst_dir = os.path.join(FIXTURES, "chunked_weight_names", writer)
    os.makedirs(dst_dir)
    for fn in os.listdir(src_dir):
        shutil.copyfile(os.path.join(src_dir, fn), os.path.join(dst_dir, fn))
    with h5py.File(os.path.join(dst_dir, "model.h5"), "r+") as f:
        g = find_layer_weight_group(f, "LSTM")
        names = attr_list(g, "weight_names")
        data = np.asarray([n.encode("utf8") for n in names])  # fixed-length S array
        chunks = np.array_split(data, 2)
        del g.attrs["weight_names"]
        for k, chunk in enumerate(chunks):
            g.attrs["weight_names%d" % k] = chunk
        notes.append("chunked_weight_names/%s: weight_names -> %s" % (
            writer, ", ".join("weight_names%d=%s %s" % (k, c.dtype, [x.decode() for x in c])
                              for k, c in enumerate(chunks))))
    entry = json.loads(json.dumps(entry_src))
    entry["name"] = "chunked_weight_names"
    entry["description"] = ("Copy of lstm_last whose LSTM weight group stores weight_names as "
                             "weight_names0/weight_names1 (fixed-length S arrays, np.array_split); "
                             "outputs equal lstm_last's")
    entry["model"] = "chunked_weight_names/%s/model.h5" % writer
    for call in entry["calls"]:
        call["inputs"] = [p.replace("lstm_last/", "chunked_weight_names/", 1) for p in call["inputs"]]
        call["outputs"] = [p.replace("lstm_last/", "chunked_weight_names/", 1) for p in call["outputs"]]
    return entry


def describe_h5(path):
    """Facts about how the writer stores strings and weights (for the report)."""
    import h5py

    facts = []
    with h5py.File(path, "r") as f:
        for k in sorted(f.attrs):
            facts.append("root attr %s: %s" % (k, attr_type_desc(f.attrs, k)))
        mw = f["model_weights"]
        for k in sorted(mw.attrs):
            facts.append("model_weights attr %s: %s" % (k, attr_type_desc(mw.attrs, k)))
        for lname in attr_list(mw, "layer_names"):
            g = mw[lname]
            for k in sorted(g.attrs):
                facts.append("model_weights/%s attr %s: %s = %s" % (
                    lname, k, attr_type_desc(g.attrs, k), attr_list(g, k)))
            for n in attr_list(g, "weight_names"):
                facts.append("  dataset model_weights/%s/%s %s %s" % (lname, n, g[n].shape, g[n].dtype))
        cfg = json.loads(attr_str(f.attrs["model_config"]))
        for layer in cfg["config"]["layers"]:
            if layer["class_name"] == "LSTM":
                c = layer["config"]
                facts.append("LSTM config keys: %s" % sorted(c))
                facts.append("LSTM dtype field: %s" % json.dumps(c.get("dtype")))
                facts.append("LSTM 'implementation' in config: %s" % ("implementation" in c))
    return facts


def run_writer(writer):
    import h5py

    keras, version = import_keras(writer)
    print("[%s] keras %s (%s)" % (writer, version, keras.__name__), flush=True)
    entries, notes = [], []
    tmp_entries = {}
    for spec in fixture_specs(writer):
        name = spec["name"]
        rel_dir = "%s/%s" % (name, writer)
        out_dir = os.path.join(FIXTURES, name, writer)
        try:
            keras.backend.clear_session()
            keras.utils.set_random_seed(fixture_seed(name))
            rng = np.random.default_rng(fixture_seed(name))
            model = spec["build"](keras)
            if spec["wscale"] is not None:
                redraw_weights(model, rng, spec["wscale"])
            calls = spec["calls"](rng)
            os.makedirs(out_dir)
            model_path = os.path.join(out_dir, "model.h5")
            save_model_h5(keras, writer, model, model_path)
            manifest_calls = []
            for k, call in enumerate(calls):
                if call["reset"]:
                    reset_model_states(model)
                xs = call["inputs"]
                out = model.predict(xs[0] if len(xs) == 1 else xs, verbose=0)
                outs = [np.asarray(o) for o in out] if isinstance(out, (list, tuple)) else [np.asarray(out)]
                for o in outs:
                    if not np.all(np.isfinite(o)):
                        raise RuntimeError("non-finite output")
                c = {"reset_states_before": bool(call["reset"]), "inputs": [], "outputs": []}
                for i, x in enumerate(xs):
                    np.save(os.path.join(out_dir, "call%d_input%d.npy" % (k, i)), x)
                    c["inputs"].append("%s/call%d_input%d.npy" % (rel_dir, k, i))
                for j, o in enumerate(outs):
                    np.save(os.path.join(out_dir, "call%d_output%d.npy" % (k, j)), o)
                    c["outputs"].append("%s/call%d_output%d.npy" % (rel_dir, k, j))
                manifest_calls.append(c)
            if spec.get("stateful"):
                o = [np.load(os.path.join(FIXTURES, p)) for c in manifest_calls for p in c["outputs"]]
                reset_model_states(model)
                fresh2 = model.predict(calls[1]["inputs"][0], verbose=0)
                d13 = float(np.max(np.abs(o[0] - o[2])))
                d2 = float(np.max(np.abs(o[1] - fresh2)))
                notes.append("lstm_stateful/%s: |call0-call2|=%.2e (reset works), |call1 - fresh predict(x2)|"
                             "=%.3f (state carried)" % (writer, d13, d2))
                assert d13 < 1e-6 and d2 > 1e-3, (d13, d2)
            if spec.get("chunked_names"):
                with h5py.File(model_path, "r") as f:
                    mw = f["model_weights"].attrs
                    keys = sorted(k for k in mw if k.startswith("layer_names"))
                    desc = ", ".join("%s: %s" % (k, attr_type_desc(mw, k)) for k in keys)
                    msg = "chunked_names/%s: model_weights attrs %s" % (writer, desc)
                    print("[%s] %s" % (writer, msg), flush=True)
                    notes.append(msg)
                    assert "layer_names" not in mw and "layer_names0" in mw and "layer_names1" in mw, keys
            entry = {
                "name": name,
                "writer": writer,
                "keras_version": version,
                "description": spec["description"],
                "model": "%s/model.h5" % rel_dir,
                "total_params": int(model.count_params()),
                "layers": [{"name": l.name, "class_name": l.__class__.__name__,
                            "output_shape": layer_output_shape(l), "params": int(l.count_params())}
                           for l in model.layers],
                "calls": manifest_calls,
            }
            entries.append(entry)
            tmp_entries[name] = entry
            print("[%s] ok   %s" % (writer, name), flush=True)
        except Exception as e:  # noqa: BLE001 - record the skip, keep going
            shutil.rmtree(out_dir, ignore_errors=True)
            if os.path.isdir(os.path.join(FIXTURES, name)) and not os.listdir(os.path.join(FIXTURES, name)):
                os.rmdir(os.path.join(FIXTURES, name))
            msg = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
            notes.append("SKIP %s/%s: %s: %s" % (name, writer, type(e).__name__, msg))
            print("[%s] SKIP %s: %s: %s" % (writer, name, type(e).__name__, msg), flush=True)

    # Reload every saved model with the same writer and re-run the calls.
    worst = 0.0
    for entry in entries:
        keras.backend.clear_session()
        try:
            m = keras.models.load_model(os.path.join(FIXTURES, entry["model"]), compile=False)
            for c in entry["calls"]:
                if c["reset_states_before"]:
                    reset_model_states(m)
                xs = [np.load(os.path.join(FIXTURES, p)) for p in c["inputs"]]
                out = m.predict(xs[0] if len(xs) == 1 else xs, verbose=0)
                outs = out if isinstance(out, (list, tuple)) else [out]
                for p, o in zip(c["outputs"], outs):
                    ref = np.load(os.path.join(FIXTURES, p))
                    d = float(np.max(np.abs(np.asarray(o) - ref)))
                    worst = max(worst, d)
                    if d > 1e-6:
                        notes.append("reload %s/%s: %s differs by %.3g" % (entry["name"], writer, p, d))
        except Exception as e:  # noqa: BLE001
            notes.append("reload %s/%s failed: %s: %s" % (entry["name"], writer, type(e).__name__,
                                                           str(e).strip().splitlines()[0][:160]))
    notes.append("reload check (%s): max |load_model(...).predict - stored| = %.3g" % (writer, worst))

    errors_dir = os.path.join(FIXTURES, "errors")
    os.makedirs(errors_dir, exist_ok=True)
    lstm_last_h5 = os.path.join(FIXTURES, "lstm_last", writer, "model.h5")
    entries.append(make_chunked_weight_names(tmp_entries["lstm_last"], writer, notes))
    # Keras itself must accept the synthetic chunked weight_names file.
    keras.backend.clear_session()
    m = keras.models.load_model(os.path.join(FIXTURES, "chunked_weight_names", writer, "model.h5"),
                                compile=False)
    x = np.load(os.path.join(FIXTURES, "chunked_weight_names", writer, "call0_input0.npy"))
    y = np.load(os.path.join(FIXTURES, "chunked_weight_names", writer, "call0_output0.npy"))
    notes.append("chunked_weight_names/%s: Keras load_model+predict diff %.3g" % (
        writer, float(np.max(np.abs(m.predict(x, verbose=0) - y)))))
    errors = make_error_fixtures(keras, writer, errors_dir, lstm_last_h5, notes)
    facts = describe_h5(lstm_last_h5)
    facts += ["stateful " + s for s in describe_h5(os.path.join(FIXTURES, "lstm_stateful", writer, "model.h5"))
              if "weight_names" in s]
    with h5py.File(os.path.join(errors_dir, "weights_only.%s.h5" % writer), "r") as f:
        paths = []
        f.visit(paths.append)
        facts.append("weights_only root attrs %s; objects %s" % (sorted(f.attrs), paths[:12]))
    with open(os.path.join(FIXTURES, ".partial_%s.json" % writer), "w") as fh:
        json.dump({"fixtures": entries, "errors": errors, "notes": notes, "facts": facts}, fh)


# ---------------------------------------------------------------------------
# Parent side: numpy reference check for plain single-LSTM fixtures.
# ---------------------------------------------------------------------------


def np_act(name, writer):
    hs = {"keras2": lambda x: np.clip(0.2 * x + 0.5, 0, 1),
          "keras3": lambda x: np.clip(x / 6.0 + 0.5, 0, 1)}
    table = {
        "tanh": np.tanh, "sigmoid": lambda x: 1 / (1 + np.exp(-x)), "relu": lambda x: np.maximum(x, 0),
        "linear": lambda x: x, "softsign": lambda x: x / (1 + np.abs(x)),
        "hard_sigmoid": hs[writer],
    }
    return table.get(name)


def np_lstm(cfg, W, U, b, x, act, ract):
    n = cfg["units"]
    B, T = x.shape[0], x.shape[1]
    h = np.zeros((B, n))
    c = np.zeros((B, n))
    ys = []
    order = range(T - 1, -1, -1) if cfg.get("go_backwards") else range(T)
    zs = []
    for t in order:
        z = x[:, t, :] @ W + h @ U + (b if b is not None else 0)
        zs.append(z)
        i, f, g, o = ract(z[:, :n]), ract(z[:, n:2 * n]), act(z[:, 2 * n:3 * n]), ract(z[:, 3 * n:])
        c = f * c + i * g
        h = o * act(c)
        ys.append(h)
    y = np.stack(ys, axis=1) if cfg.get("return_sequences") else h
    outs = [y, h, c] if cfg.get("return_state") else [y]
    return outs, np.stack(zs)


def reference_check(fixtures):
    import h5py

    lines = []
    worst = 0.0
    checked = 0
    hs_outputs = {}
    for fx in fixtures:
        path = os.path.join(FIXTURES, fx["model"])
        with h5py.File(path, "r") as f:
            cfg = json.loads(attr_str(f.attrs["model_config"]))
            layers = [l for l in cfg["config"]["layers"] if l["class_name"] != "InputLayer"]
            if len(layers) != 1 or layers[0]["class_name"] != "LSTM":
                continue
            lc = layers[0]["config"]
            if lc.get("stateful"):
                continue
            act = np_act(lc["activation"], fx["writer"])
            ract = np_act(lc["recurrent_activation"], fx["writer"])
            if act is None or ract is None:
                continue
            g = f["model_weights"][lc["name"]]
            ws = [g[n][()].astype(np.float64) for n in attr_list(g, "weight_names")]
        W, U = ws[0], ws[1]
        b = ws[2] if len(ws) > 2 else None
        for call in fx["calls"]:
            x = np.load(os.path.join(FIXTURES, call["inputs"][0])).astype(np.float64)
            if lc.get("time_major"):  # (T, B, F) in, (T, B, units) out
                x = x.transpose(1, 0, 2)
            outs, zs = np_lstm(lc, W, U, b, x, act, ract)
            if lc.get("time_major") and lc.get("return_sequences"):
                outs[0] = outs[0].transpose(1, 0, 2)
            for p, o in zip(call["outputs"], outs):
                d = float(np.max(np.abs(np.load(os.path.join(FIXTURES, p)) - o)))
                worst = max(worst, d)
                if d > 1e-5:
                    lines.append("REFERENCE MISMATCH %s/%s %s: %.3g" % (fx["name"], fx["writer"], p, d))
            checked += 1
            if fx["name"] == "lstm_hard_sigmoid":
                other = {"keras2": "keras3", "keras3": "keras2"}[fx["writer"]]
                swapped, _ = np_lstm(lc, W, U, b, x, act, np_act("hard_sigmoid", other))
                stored = np.load(os.path.join(FIXTURES, call["outputs"][0]))
                gates = np.concatenate([zs[..., :2 * lc["units"]], zs[..., 3 * lc["units"]:]], axis=-1)
                frac = float(np.mean((np.abs(gates) >= 1) & (np.abs(gates) <= 4)))
                dswap = float(np.max(np.abs(swapped[0] - stored)))
                hs_outputs[fx["writer"]] = stored
                lines.append("lstm_hard_sigmoid/%s: %.0f%% of gate pre-activations in 1<=|x|<=4; "
                             "output with the other writer's hard_sigmoid differs by %.3f" % (
                                 fx["writer"], 100 * frac, dswap))
                assert dswap > 1e-3
    if len(hs_outputs) == 2:
        lines.append("lstm_hard_sigmoid keras2 vs keras3 stored outputs (same weights/input) differ by %.3f"
                     % float(np.max(np.abs(hs_outputs["keras2"] - hs_outputs["keras3"]))))
    lines.append("numpy reference LSTM: %d calls checked, max abs diff %.3g" % (checked, worst))
    return lines


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--writer":
        run_writer(sys.argv[2])
        return
    # Remove what this script made; other scripts' folders (Fixtures/hdf5) stay.
    os.makedirs(FIXTURES, exist_ok=True)
    for entry in os.listdir(FIXTURES):
        path = os.path.join(FIXTURES, entry)
        if entry in OTHER_SCRIPTS_FOLDERS:
            continue
        if os.path.isdir(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    results = {}
    for writer in WRITERS:
        env = dict(os.environ)
        env["TF_CPP_MIN_LOG_LEVEL"] = "3"
        env["PYTHONHASHSEED"] = "0"
        env["CUDA_VISIBLE_DEVICES"] = ""
        env["KERAS_BACKEND"] = "tensorflow"
        env.pop("TF_USE_LEGACY_KERAS", None)
        if writer == "keras2":
            env["TF_USE_LEGACY_KERAS"] = "1"
        subprocess.run([sys.executable, os.path.abspath(__file__), "--writer", writer],
                       env=env, cwd=REPO, check=True)
        partial = os.path.join(FIXTURES, ".partial_%s.json" % writer)
        with open(partial) as fh:
            results[writer] = json.load(fh)
        os.remove(partial)

    fixtures = sorted((e for r in results.values() for e in r["fixtures"]),
                      key=lambda e: (e["name"], e["writer"]))
    errors = sorted((e for r in results.values() for e in r["errors"]), key=lambda e: e["file"])
    manifest = {"generator": GENERATOR, "fixtures": fixtures, "errors": errors}
    with open(os.path.join(FIXTURES, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1, sort_keys=False)
        fh.write("\n")

    print("\n== notes ==")
    for writer in WRITERS:
        for n in results[writer]["notes"]:
            print("[%s] %s" % (writer, n))
    print("\n== file facts ==")
    for writer in WRITERS:
        for n in results[writer]["facts"]:
            print("[%s] %s" % (writer, n))
    print("\n== numpy reference ==")
    for line in reference_check(fixtures):
        print(line)
    for writer in WRITERS:
        names = [e["name"] for e in fixtures if e["writer"] == writer]
        print("\n%s: %d fixtures: %s" % (writer, len(names), " ".join(names)))
    print("errors: %d files" % len(errors))


if __name__ == "__main__":
    main()
