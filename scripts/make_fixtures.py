#!/usr/bin/env python3
"""Generate the KerasKit parity fixtures under Fixtures/.

Run from the repository root:

    .venv-fixtures/bin/python scripts/make_fixtures.py

The script deletes and regenerates Fixtures/.  With `--only NAME[,NAME...]` it
regenerates just those fixtures (both writers) and replaces just their manifest
entries, leaving every other fixture folder, the error fixtures and their
manifest entries as they are (`chunked_weight_names` is a copy of `lstm_last`:
naming either remakes both).  It re-runs itself in two subprocesses, one per
writer:

  keras3  plain `import keras` (Keras 3, TensorFlow backend)
  keras2  TF_USE_LEGACY_KERAS=1, `tf.keras` is tf_keras (Keras 2)

Each writer builds every model of the grid, redraws all weights with a seeded
numpy RNG (except the `seed` fixture, which keeps its seeded default init),
saves the model as legacy HDF5 (`model.h5`) and as a `.keras` zip archive
(`model.keras`; tf-keras writes it too), runs `model.predict` and stores
inputs/outputs as .npy (shared by both formats).  `.keras` archives are
normalized for determinism (fixed zip timestamps and metadata date_saved,
config.json `shared_object_id`s renumbered 1, 2, ...).  Every saved file is
reloaded with the writer's own `load_model` and must reproduce the stored
outputs (and the trainable parameter count); mask fixtures are also checked
against an unmasked twin model, and several new-layer fixtures against numpy
references or the layer's documented inference behaviour (spec "check").  When
a writer cannot save a model as .h5 (Keras 3 and some augmentation layers) only
the .keras is kept, with a SKIP note.  Error fixtures (files KerasKit must
reject) go to Fixtures/errors/.  The parent process then merges the per-writer
results into Fixtures/manifest.json (one entry per name/writer/format, with
"format", "dtype", "atol", total / trainable / non-trainable parameter counts,
and per layer the same counts plus its "config" exactly as stored in that
file's model config) and cross-checks a subset of the fixtures against a small
numpy LSTM reference (it never imports TensorFlow itself).

Layout:
  Fixtures/manifest.json
  Fixtures/<name>/<writer>/model.h5
  Fixtures/<name>/<writer>/model.keras
  Fixtures/<name>/<writer>/call<k>_input<i>.npy
  Fixtures/<name>/<writer>/call<k>_output<j>.npy
  Fixtures/errors/<kind>.<writer>.h5 / .keras

Note: the Lambda error fixtures embed marshalled Python bytecode; it is
compiled from a fixed source string (times_two_lambda), so it does not depend on
this script's path or layout (it does depend on the Python version, 3.11).
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

# Mask fixtures: batch 4, T=7; all-zero (masked) steps per sample.  Sample 3 is unpadded.
MASK_T = 7
MASK_PADS = {0: [0, 1], 1: [3, 4], 2: [5, 6]}


# Deterministic image preprocessing in the image_preprocessing modules (no aug_ fixture).
# Image preprocessing that is not augmentation: it transforms at inference too (CenterCrop,
# Resizing, Rescaling, and Keras 3's AutoContrast and CLAHE) or holds other layers (Pipeline).
AUG_NOT_AUGMENTATION = {"CenterCrop", "Resizing", "Rescaling", "AutoContrast",
                        "ContrastLimitedAdaptiveHistogramEqualization", "Pipeline"}


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
    weight redraw, None = keep init), optional check(keras, writer, spec, model,
    calls, manifest_calls, notes), run after the outputs are stored (asserts, notes).
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

    # ------------------------------------------------------------------
    # Extended grid (GRU, SimpleRNN, Bidirectional, masks, other layers,
    # merges, functional patterns, dtypes).  All batch 3 except the mask
    # fixtures (batch 4: left / middle / right padded + one unpadded sample)
    # and the stateful ones (batch 2).
    # ------------------------------------------------------------------

    def seq_rnn(cls, T, F, **kw):
        def build(keras):
            return keras.Sequential([keras.Input(shape=(T, F)), getattr(keras.layers, cls)(**kw)])
        return build

    def functional_rnn(cls, T, F, **kw):
        def build(keras):
            inp = keras.Input(shape=(T, F))
            return keras.Model(inp, getattr(keras.layers, cls)(**kw)(inp))
        return build

    def sequential(input_shape, make_layers, **input_kw):
        def build(keras):
            return keras.Sequential([keras.Input(shape=input_shape, **input_kw)] + make_layers(keras.layers))
        return build

    def multi_call(*shapes):
        return lambda rng: [{"inputs": [normal(rng, *s) for s in shapes], "reset": False}]

    # --- GRU
    add("gru_last", "GRU(5) return_sequences=False (reset_after=True default, bias (2, 15))",
        seq_rnn("GRU", 7, 3, units=5), one_call((3, 7, 3)))
    add("gru_seq", "GRU(5, return_sequences=True)", seq_rnn("GRU", 7, 3, units=5, return_sequences=True),
        one_call((3, 7, 3)))
    add("gru_reset_before", "GRU(4, reset_after=False, return_sequences=True) (bias (12,))",
        seq_rnn("GRU", 6, 3, units=4, reset_after=False, return_sequences=True), one_call((3, 6, 3)))
    add("gru_backwards_state",
        "Functional GRU(4, go_backwards=True, return_sequences=True, return_state=True) -> [y, h]",
        functional_rnn("GRU", 6, 3, units=4, go_backwards=True, return_sequences=True, return_state=True),
        one_call((3, 6, 3)))
    add("gru_nobias", "GRU(4, use_bias=False, return_sequences=True)",
        seq_rnn("GRU", 6, 3, units=4, use_bias=False, return_sequences=True), one_call((3, 6, 3)))

    def build_gru_stateful(keras):
        return keras.Sequential([
            keras.Input(shape=(5, 3), batch_size=2),
            keras.layers.GRU(4, stateful=True, return_sequences=True),
        ])

    add("gru_stateful", "Stateful GRU(4, return_sequences=True), batch size 2; calls: predict(x1), "
        "predict(x2) with carried state, reset_states, predict(x1)", build_gru_stateful, stateful_calls,
        stateful=True)
    add("gru_hard_sigmoid",
        "GRU(5, recurrent_activation='hard_sigmoid', return_sequences=True); weights uniform(-1,1), inputs "
        "normal*1.5 (Keras 2: clip(0.2x+0.5), Keras 3: clip(x/6+0.5))",
        seq_rnn("GRU", 8, 4, units=5, recurrent_activation="hard_sigmoid", return_sequences=True),
        one_call((3, 8, 4), scale=1.5), wscale=1.0)

    # --- SimpleRNN
    add("rnn_last", "SimpleRNN(5) return_sequences=False", seq_rnn("SimpleRNN", 7, 3, units=5),
        one_call((3, 7, 3)))
    add("rnn_seq_backwards_state",
        "Functional SimpleRNN(4, go_backwards=True, return_sequences=True, return_state=True) -> [y, h]",
        functional_rnn("SimpleRNN", 6, 3, units=4, go_backwards=True, return_sequences=True,
                       return_state=True), one_call((3, 6, 3)))
    add("rnn_relu", "SimpleRNN(4, activation='relu', return_sequences=True)",
        seq_rnn("SimpleRNN", 6, 3, units=4, activation="relu", return_sequences=True), one_call((3, 6, 3)))
    add("rnn_nobias", "SimpleRNN(4, use_bias=False, return_sequences=True)",
        seq_rnn("SimpleRNN", 6, 3, units=4, use_bias=False, return_sequences=True), one_call((3, 6, 3)))

    # --- Bidirectional
    def bidi(cls, T, F, merge_mode, functional, rnn_kw, units=3):
        def build(keras):
            L = keras.layers
            layer = L.Bidirectional(getattr(L, cls)(units, **rnn_kw), merge_mode=merge_mode)
            if functional:
                inp = keras.Input(shape=(T, F))
                return keras.Model(inp, layer(inp))
            return keras.Sequential([keras.Input(shape=(T, F)), layer])
        return build

    for mode in ("concat", "sum", "mul", "ave", None):
        for rs in (True, False):
            mname = mode or "none"
            kind = "seq" if rs else "last"
            container = "Functional" if mode is None else "Sequential"
            outs = " -> [forward, backward]" if mode is None else ""
            add("bidi_lstm_%s_%s" % (mname, kind),
                "%s Bidirectional(LSTM(3, return_sequences=%s), merge_mode=%r)%s" % (container, rs, mode, outs),
                bidi("LSTM", 6, 3, mode, mode is None, dict(return_sequences=rs)), one_call((3, 6, 3)))
    add("bidi_gru_concat_seq", "Sequential Bidirectional(GRU(3, return_sequences=True), merge_mode='concat')",
        bidi("GRU", 6, 3, "concat", False, dict(return_sequences=True)), one_call((3, 6, 3)))
    add("bidi_rnn_sum_last", "Sequential Bidirectional(SimpleRNN(3), merge_mode='sum')",
        bidi("SimpleRNN", 6, 3, "sum", False, {}), one_call((3, 6, 3)))
    add("bidi_lstm_state", "Functional Bidirectional(LSTM(3, return_sequences=True, return_state=True), "
        "merge_mode='concat') -> [merged, h_f, c_f, h_b, c_b]",
        bidi("LSTM", 6, 3, "concat", True, dict(return_sequences=True, return_state=True)), one_call((3, 6, 3)))
    add("bidi_gru_state_none", "Functional Bidirectional(GRU(3, return_state=True), merge_mode=None) "
        "-> [y_f, y_b, h_f, h_b]",
        bidi("GRU", 6, 3, None, True, dict(return_state=True)), one_call((3, 6, 3)))

    # --- Masks.  Batch 4, T=7: sample 0 padded at the left (steps 0-1),
    # sample 1 in the middle (3-4), sample 2 at the right (5-6), sample 3 unpadded.
    def mask_float_calls(rng):
        x = normal(rng, 4, MASK_T, 3)
        for b, steps in MASK_PADS.items():
            x[b, steps, :] = 0.0
        return [{"inputs": [x], "reset": False}]

    def mask_int_calls(rng):
        x = rng.integers(1, 10, size=(4, MASK_T)).astype(np.int32)
        for b, steps in MASK_PADS.items():
            x[b, steps] = 0
        return [{"inputs": [x], "reset": False}]

    def masked(name, description, make, functional, int_input=False, seq_reversed=False, insensitive=()):
        """make(L, x, masking_layer) -> output tensor(s) (functional) / list of layers (sequential)."""
        def builder(on):
            def build(keras):
                L = keras.layers
                if int_input:
                    inp_kw = dict(shape=(MASK_T,), dtype="int32")
                    first = L.Embedding(10, 4, mask_zero=on)
                else:
                    inp_kw = dict(shape=(MASK_T, 3))
                    # "unmasked" twin: a mask value that never occurs (all steps kept)
                    first = L.Masking(mask_value=0.0 if on else 1e9)
                if functional:
                    inp = keras.Input(**inp_kw)
                    return keras.Model(inp, make(L, first(inp)))
                return keras.Sequential([keras.Input(**inp_kw), first] + make(L, None))
            return build
        head = "Embedding(10, 4, mask_zero=True) on int32 input" if int_input else "Masking(0.0)"
        add(name, "%s %s -> %s; batch 4, T=%d, zero steps: sample0 %s (left), sample1 %s (middle), "
            "sample2 %s (right), sample3 none" % (
                "Functional" if functional else "Sequential", head, description, MASK_T,
                MASK_PADS[0], MASK_PADS[1], MASK_PADS[2]),
            builder(True), mask_int_calls if int_input else mask_float_calls,
            build_unmasked=builder(False), mask=dict(seq_reversed=seq_reversed, insensitive=list(insensitive)))

    def chain(*layers_fn):
        """Functional-or-sequential helper: returns make(L, x)."""
        def make(L, x):
            layers = layers_fn[0](L)
            if x is None:
                return layers
            for layer in layers:
                x = layer(x)
            return x
        return make

    masked("embedding_mask_lstm", "LSTM(5) last", chain(lambda L: [L.LSTM(5)]), False, int_input=True)
    masked("embedding_lstm_seq", "LSTM(5, return_sequences=True)",
           chain(lambda L: [L.LSTM(5, return_sequences=True)]), True, int_input=True)
    masked("masking_lstm_seq", "LSTM(4, return_sequences=True)",
           chain(lambda L: [L.LSTM(4, return_sequences=True)]), False)
    masked("masking_gru_last", "GRU(4) last", chain(lambda L: [L.GRU(4)]), True)
    masked("masking_rnn_seq", "SimpleRNN(4, return_sequences=True)",
           chain(lambda L: [L.SimpleRNN(4, return_sequences=True)]), True)
    masked("masking_backwards_seq", "LSTM(4, go_backwards=True, return_sequences=True) (output in "
           "reversed time order)", chain(lambda L: [L.LSTM(4, go_backwards=True, return_sequences=True)]),
           True, seq_reversed=True)
    masked("masking_zero_output", "LSTM(4, zero_output_for_mask=True, return_sequences=True)",
           chain(lambda L: [L.LSTM(4, zero_output_for_mask=True, return_sequences=True)]), False)
    masked("masking_bidi_seq", "Bidirectional(LSTM(3, return_sequences=True), merge_mode='concat')",
           chain(lambda L: [L.Bidirectional(L.LSTM(3, return_sequences=True))]), True)
    masked("masking_bidi_last", "Bidirectional(LSTM(3), merge_mode='concat')",
           chain(lambda L: [L.Bidirectional(L.LSTM(3))]), False)
    masked("masking_stacked", "LSTM(5, seq) -> GRU(4, seq) -> Dense(3) -> LSTM(3) last",
           chain(lambda L: [L.LSTM(5, return_sequences=True), L.GRU(4, return_sequences=True), L.Dense(3),
                            L.LSTM(3)]), True)
    masked("masking_td", "TimeDistributed(Dense(4)) -> LSTM(3) last",
           chain(lambda L: [L.TimeDistributed(L.Dense(4)), L.LSTM(3)]), True)
    masked("masking_gap", "LSTM(4, seq) -> GlobalAveragePooling1D (mask-weighted mean)",
           chain(lambda L: [L.LSTM(4, return_sequences=True), L.GlobalAveragePooling1D()]), True)
    masked("masking_gmp", "LSTM(4, seq) -> GlobalMaxPooling1D (the pooling ignores the mask: masked steps "
           "just repeat the last valid output, so sample 2's right padding does not change the result)",
           chain(lambda L: [L.LSTM(4, return_sequences=True), L.GlobalMaxPooling1D()]), False, insensitive=[2])

    # --- Other layers
    add("dense_2d", "Input (5,) -> Dense(6, tanh) -> Dense(3, softmax)",
        sequential((5,), lambda L: [L.Dense(6, activation="tanh"), L.Dense(3, activation="softmax")]),
        one_call((3, 5)))
    add("time_distributed_dense", "LSTM(4, seq) -> TimeDistributed(Dense(3))",
        sequential((6, 3), lambda L: [L.LSTM(4, return_sequences=True), L.TimeDistributed(L.Dense(3))]),
        one_call((3, 6, 3)))
    add("spatial_dropout", "LSTM(4, seq) -> SpatialDropout1D(0.4) -> LSTM(3) (inference: identity)",
        sequential((6, 3), lambda L: [L.LSTM(4, return_sequences=True), L.SpatialDropout1D(0.4), L.LSTM(3)]),
        one_call((3, 6, 3)))
    add("flatten", "LSTM(4, seq) on T=5 -> Flatten -> Dense(3)",
        sequential((5, 3), lambda L: [L.LSTM(4, return_sequences=True), L.Flatten(), L.Dense(3)]),
        one_call((3, 5, 3)))
    add("reshape", "Input (6, 4) -> Reshape((3, 8)) -> LSTM(4, seq) -> Reshape((12,)) -> Dense(3)",
        sequential((6, 4), lambda L: [L.Reshape((3, 8)), L.LSTM(4, return_sequences=True), L.Reshape((12,)),
                                      L.Dense(3)]),
        one_call((3, 6, 4)))
    add("permute", "Input (6, 3) -> Permute((2, 1)) -> LSTM(4) last (T=3, F=6)",
        sequential((6, 3), lambda L: [L.Permute((2, 1)), L.LSTM(4)]), one_call((3, 6, 3)))
    add("repeat_vector", "seq2seq autoencoder: LSTM(4) -> RepeatVector(4) -> LSTM(5, seq) -> "
        "TimeDistributed(Dense(3))",
        sequential((6, 3), lambda L: [L.LSTM(4), L.RepeatVector(4), L.LSTM(5, return_sequences=True),
                                      L.TimeDistributed(L.Dense(3))]),
        one_call((3, 6, 3)))
    add("conv1d_valid", "Input (9, 3) -> Conv1D(4, 3, strides=2, padding='valid', relu) -> (4, 4)",
        sequential((9, 3), lambda L: [L.Conv1D(4, 3, strides=2, padding="valid", activation="relu")]),
        one_call((3, 9, 3)))
    add("conv1d_same", "Input (9, 3) -> Conv1D(4, 3, strides=2, padding='same', use_bias=False, relu) -> (5, 4)",
        sequential((9, 3), lambda L: [L.Conv1D(4, 3, strides=2, padding="same", use_bias=False,
                                               activation="relu")]),
        one_call((3, 9, 3)))
    add("conv1d_causal", "Input (9, 3) -> Conv1D(4, 3, padding='causal', dilation_rate=2, relu) -> (9, 4)",
        sequential((9, 3), lambda L: [L.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="relu")]),
        one_call((3, 9, 3)))
    for pad in ("valid", "same"):
        add("maxpool1d_" + pad, "Input (7, 3) -> MaxPooling1D(pool_size=2, strides=2, padding=%r)" % pad,
            sequential((7, 3), lambda L, pad=pad: [L.MaxPooling1D(2, strides=2, padding=pad)]),
            one_call((3, 7, 3)))
        add("avgpool1d_" + pad, "Input (7, 3) -> AveragePooling1D(pool_size=3, strides=2, padding=%r)%s" % (
            pad, " (pads 1 step each side; padding excluded from the mean)" if pad == "same" else ""),
            sequential((7, 3), lambda L, pad=pad: [L.AveragePooling1D(3, strides=2, padding=pad)]),
            one_call((3, 7, 3)))
    add("gap1d", "LSTM(4, seq) -> GlobalAveragePooling1D (no mask)",
        sequential((6, 3), lambda L: [L.LSTM(4, return_sequences=True), L.GlobalAveragePooling1D()]),
        one_call((3, 6, 3)))
    add("gmp1d", "LSTM(4, seq) -> GlobalMaxPooling1D (no mask)",
        sequential((6, 3), lambda L: [L.LSTM(4, return_sequences=True), L.GlobalMaxPooling1D()]),
        one_call((3, 6, 3)))
    add("layer_norm", "LSTM(5, seq) -> LayerNormalization (epsilon 1e-3; gamma uniform(0.5,1.5), beta "
        "uniform(-0.5,0.5))",
        sequential((6, 3), lambda L: [L.LSTM(5, return_sequences=True), L.LayerNormalization()]),
        one_call((3, 6, 3)))
    add("batch_norm", "LSTM(5, seq) -> BatchNormalization -> Dense(4) -> BatchNormalization (epsilon 1e-3; "
        "gamma uniform(0.5,1.5), beta/moving_mean uniform(-0.5,0.5), moving_variance uniform(0.2,2))",
        sequential((6, 3), lambda L: [L.LSTM(5, return_sequences=True), L.BatchNormalization(), L.Dense(4),
                                      L.BatchNormalization()]),
        one_call((3, 6, 3)))
    add("batch_norm_noaffine", "LSTM(5, seq) -> BatchNormalization(center=False, scale=False) -> Dense(3) "
        "(weights: moving_mean, moving_variance only)",
        sequential((6, 3), lambda L: [L.LSTM(5, return_sequences=True),
                                      L.BatchNormalization(center=False, scale=False), L.Dense(3)]),
        one_call((3, 6, 3)))

    # --- Merges
    def build_concat(keras):
        L = keras.layers
        inp = keras.Input(shape=(6, 3))
        a = L.LSTM(4, return_sequences=True)(inp)
        b = L.GRU(3, return_sequences=True)(inp)
        return keras.Model(inp, L.Concatenate(axis=-1)([a, b]))

    add("merge_concatenate", "Functional, one input (6, 3): [LSTM(4, seq), GRU(3, seq)] -> "
        "Concatenate(axis=-1) -> (6, 7)", build_concat, one_call((3, 6, 3)))
    for merge in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
        def build_merge(keras, merge=merge):
            L = keras.layers
            a_in = keras.Input(shape=(6, 3))
            b_in = keras.Input(shape=(6, 2))
            a = L.LSTM(4, return_sequences=True)(a_in)
            b = L.Dense(4, activation="tanh")(b_in)
            return keras.Model([a_in, b_in], getattr(L, merge)()([a, b]))

        add("merge_" + merge.lower(), "Functional, inputs a (6, 3), b (6, 2): %s()([LSTM(4, seq)(a), "
            "Dense(4, tanh)(b)])" % merge, build_merge, multi_call((3, 6, 3), (3, 6, 2)))

    # --- Functional patterns
    def build_two_io(keras):
        L = keras.layers
        a_in = keras.Input(shape=(6, 3), name="in_a")
        b_in = keras.Input(shape=(6, 5), name="in_b")
        ha = L.LSTM(4)(a_in)
        hb = L.GRU(3)(b_in)
        out1 = L.Dense(2, name="out_joint")(L.Concatenate()([ha, hb]))
        out2 = L.Dense(3, activation="softmax", name="out_b")(hb)
        return keras.Model([a_in, b_in], [out1, out2])

    add("func_two_io", "Functional inputs [a (6,3), b (6,5)]: LSTM(4)(a), GRU(3)(b) -> outputs "
        "[Dense(2)(concat), Dense(3, softmax)(GRU)]", build_two_io, multi_call((3, 6, 3), (3, 6, 5)))

    def build_shared(keras):
        L = keras.layers
        a_in = keras.Input(shape=(6, 3))
        b_in = keras.Input(shape=(6, 3))
        lstm = L.LSTM(4, name="shared_lstm")
        return keras.Model([a_in, b_in], L.Dense(2)(L.Concatenate()([lstm(a_in), lstm(b_in)])))

    add("func_shared", "Functional: one LSTM(4) layer called on two inputs (two inbound nodes), "
        "Concatenate -> Dense(2)", build_shared, multi_call((3, 6, 3), (3, 6, 3)))

    def build_nested_seq(keras):
        L = keras.layers
        inner = keras.Sequential([keras.Input(shape=(6, 3)), L.Dense(4, activation="tanh"), L.LSTM(3)],
                                 name="inner_seq")
        inp = keras.Input(shape=(6, 3))
        return keras.Model(inp, L.Dense(2)(inner(inp)))

    add("func_nested_sequential", "Functional: Input -> Sequential 'inner_seq' [Input(6,3), Dense(4, tanh), "
        "LSTM(3)] used as a layer -> Dense(2)", build_nested_seq, one_call((3, 6, 3)))

    def build_nested_func(keras):
        L = keras.layers
        i = keras.Input(shape=(6, 3))
        inner = keras.Model(i, L.Dense(2)(L.LSTM(4, return_sequences=True)(i)), name="inner_func")
        inp = keras.Input(shape=(6, 3))
        y = inner(inp)
        return keras.Model(inp, [L.GRU(3)(y), y])

    add("func_nested_functional", "Functional: Input -> Functional 'inner_func' (LSTM(4, seq) -> Dense(2)) "
        "used as a layer -> outputs [GRU(3)(inner), inner] (the nested model is also a model output)",
        build_nested_func, one_call((3, 6, 3)))

    def build_enc_dec(keras):
        L = keras.layers
        enc_in = keras.Input(shape=(5, 3), name="encoder_in")
        dec_in = keras.Input(shape=(4, 2), name="decoder_in")
        _, h, c = L.LSTM(4, return_state=True, name="encoder")(enc_in)
        d = L.LSTM(4, return_sequences=True, name="decoder")(dec_in, initial_state=[h, c])
        return keras.Model([enc_in, dec_in], L.TimeDistributed(L.Dense(3, activation="softmax"))(d))

    add("func_encoder_decoder", "seq2seq: encoder LSTM(4, return_state=True) on (5,3); decoder LSTM(4, seq) "
        "on (4,2) with initial_state=[h, c]; TimeDistributed(Dense(3, softmax))", build_enc_dec,
        multi_call((3, 5, 3), (3, 4, 2)))

    def build_gru_init(keras):
        L = keras.layers
        seq_in = keras.Input(shape=(5, 3), name="seq_in")
        ctx_in = keras.Input(shape=(2,), name="ctx_in")
        h0 = L.Dense(4, activation="tanh")(ctx_in)
        return keras.Model([seq_in, ctx_in], L.GRU(4, return_sequences=True)(seq_in, initial_state=[h0]))

    add("func_gru_initial_state", "Functional inputs [seq (5,3), ctx (2,)]: GRU(4, seq)(seq, "
        "initial_state=[Dense(4, tanh)(ctx)])", build_gru_init, multi_call((3, 5, 3), (3, 2)))

    # --- dtypes
    add("float16_weights", "LSTM(4, seq) -> Dense(2); weights drawn then rounded to float16-representable "
        "values; after saving, every weight dataset is rewritten by h5py as float16 ('<f2') with identical "
        "values (also inside model.weights.h5 of the .keras); outputs from the float32 model",
        sequential((6, 3), lambda L: [L.LSTM(4, return_sequences=True), L.Dense(2)]), one_call((3, 6, 3)),
        float16_rewrite=True)

    def build_f64(keras):
        L = keras.layers
        return keras.Sequential([keras.Input(shape=(6, 3), dtype="float64"),
                                 L.LSTM(4, return_sequences=True, dtype="float64"),
                                 L.Dense(2, dtype="float64")])

    def f64_calls(rng):
        return [{"inputs": [rng.standard_normal((3, 6, 3))], "reset": False}]

    add("float64_model", "Input(dtype=float64) -> LSTM(4, seq, dtype=float64) -> Dense(2, dtype=float64); "
        "float64 weights, inputs and outputs (atol 1e-9)", build_f64, f64_calls, dtype="float64")

    # ------------------------------------------------------------------
    # Activation, noise, dropout and merge layers; image augmentation layers;
    # explicit masks; nested normalization and trainable flags; float64
    # variants; an unsupported model.  Batch 3 unless noted.
    # ------------------------------------------------------------------

    def layer_class(keras, cls):
        """keras.layers.<cls>; Skip when this writer really has no such class."""
        if not hasattr(keras.layers, cls):
            raise Skip("keras.layers has no %s in this writer" % cls)
        return getattr(keras.layers, cls)

    def single_layer(shape, cls, dtype=None, **kw):
        def build(keras):
            layer = layer_class(keras, cls)(**kw)
            return keras.Sequential([keras.Input(shape=shape, dtype=dtype), layer])
        return build

    def compare_reference(reference):
        """check: stored outputs == reference(model, inputs) (numpy, float64).  predict casts
        float64 NumPy inputs to float32 (floatx) before a float64 model sees them, so the
        reference gets the inputs rounded to float32."""
        def check(keras, writer, spec, model, calls, manifest_calls, notes):
            worst = 0.0
            for call, mc in zip(calls, manifest_calls):
                refs = reference(model, [np.asarray(x, np.float32).astype(np.float64) for x in call["inputs"]])
                for p, r in zip(mc["outputs"], refs):
                    worst = max(worst, float(np.max(np.abs(np.load(os.path.join(FIXTURES, p)) - r))))
            assert worst < (1e-9 if spec.get("dtype") == "float64" else 1e-5), (spec["name"], worst)
            note(notes, writer, "%s/%s: numpy reference max abs diff %.3g" % (spec["name"], writer, worst))
        return check

    def checks(*fns):
        def check(*args):
            for fn in fns:
                fn(*args)
        return check

    # --- ReLU / LeakyReLU / PReLU / ELU layers (input straight into the layer).
    RELU_OPTS = dict(max_value=1.5, negative_slope=0.1, threshold=0.3)

    def np_relu(x, max_value=None, negative_slope=0.0, threshold=0.0):
        t = float(np.float32(threshold))  # the layer compares in float32: 0.3f > 0.3f is False
        y = np.where(x > t, x, negative_slope * (x - threshold))
        return np.minimum(y, max_value) if max_value is not None else y

    def relu_calls(rng):
        x = normal(rng, 3, 5, 4, scale=1.5)
        x[0, 0] = [-1.0, 0.0, RELU_OPTS["threshold"], RELU_OPTS["max_value"]]  # the branch boundaries
        x[0, 1] = [0.1, 0.25, 0.35, 1.49]
        t, mx = RELU_OPTS["threshold"], RELU_OPTS["max_value"]
        for name, hit in (("x < 0", x < 0), ("0 <= x < threshold", (x >= 0) & (x < t)),
                          ("threshold < x < max_value", (x > t) & (x < mx)), ("x > max_value", x > mx)):
            assert np.sum(hit) >= 3, (name, int(np.sum(hit)))
        return [{"inputs": [x], "reset": False}]

    add("relu_default", "Input (5, 4) -> ReLU() (inputs normal*1.5)", single_layer((5, 4), "ReLU"), relu_calls,
        check=compare_reference(lambda m, xs: [np_relu(xs[0])]))
    add("relu_options", "Input (5, 4) -> ReLU(max_value=1.5, negative_slope=0.1, threshold=0.3): x for "
        "threshold < x < max, max for x >= max, 0.1*(x - 0.3) for x <= 0.3; inputs hit every branch (negative, "
        "[0, 0.3), (0.3, 1.5), > 1.5) and the exact values 0, 0.3, 1.5",
        single_layer((5, 4), "ReLU", **RELU_OPTS), relu_calls,
        check=compare_reference(lambda m, xs: [np_relu(xs[0], **RELU_OPTS)]))
    slope_kw = {"negative_slope": 0.2} if writer == "keras3" else {"alpha": 0.2}
    add("leaky_relu_layer", "Input (5, 4) -> LeakyReLU(0.2) (Keras 3 negative_slope=0.2, tf-keras alpha=0.2)",
        single_layer((5, 4), "LeakyReLU", **slope_kw), one_call((3, 5, 4), scale=1.5),
        check=compare_reference(lambda m, xs: [np_relu(xs[0], negative_slope=0.2)]))

    def prelu_check(keras, writer, spec, model, calls, manifest_calls, notes):
        alpha = model.layers[0].get_weights()[0]
        assert np.any(alpha > 0) and np.any(alpha < 0), (spec["name"], alpha)

    def np_prelu(m, xs):
        alpha = m.layers[0].get_weights()[0].astype(np.float64)
        return [np.where(xs[0] > 0, xs[0], alpha * xs[0])]

    add("prelu_shared", "Input (5, 4) -> PReLU(shared_axes=[1]): alpha (1, 4) uniform(-1, 1), both signs",
        single_layer((5, 4), "PReLU", shared_axes=[1]), one_call((3, 5, 4), scale=1.5), wscale=1.0,
        check=checks(prelu_check, compare_reference(np_prelu)))
    add("prelu_full", "Input (5, 4) -> PReLU(): alpha (5, 4) uniform(-1, 1), both signs",
        single_layer((5, 4), "PReLU"), one_call((3, 5, 4), scale=1.5), wscale=1.0,
        check=checks(prelu_check, compare_reference(np_prelu)))
    add("elu_layer", "Input (5, 4) -> ELU(alpha=0.7)", single_layer((5, 4), "ELU", alpha=0.7),
        one_call((3, 5, 4), scale=1.5),
        check=compare_reference(lambda m, xs: [np.where(xs[0] > 0, xs[0], 0.7 * np.expm1(xs[0]))]))

    # --- Softmax layers
    def np_softmax(x, axis):
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)

    add("softmax_last", "Input (5, 4) -> Softmax() (axis -1)", single_layer((5, 4), "Softmax"),
        one_call((3, 5, 4), scale=2.0), check=compare_reference(lambda m, xs: [np_softmax(xs[0], -1)]))
    add("softmax_axis1", "Input (5, 4) -> Softmax(axis=1)", single_layer((5, 4), "Softmax", axis=1),
        one_call((3, 5, 4), scale=2.0), check=compare_reference(lambda m, xs: [np_softmax(xs[0], 1)]))
    add("softmax_multi_axis", "Input (5, 4) -> Softmax(axis=[1, 2]) (one softmax over all 20 values of a "
        "sample; Keras 3's own legacy-h5 loader drops a multi-axis list and loads axis -1)",
        single_layer((5, 4), "Softmax", axis=[1, 2]), one_call((3, 5, 4), scale=2.0),
        check=compare_reference(lambda m, xs: [np_softmax(xs[0], (1, 2))]))

    def build_softmax_masked(on):
        def build(keras):
            L = keras.layers
            x = keras.Input(shape=(5, 4), name="scores")
            if not on:
                return keras.Model(x, L.Softmax()(x))
            m = keras.Input(shape=(5, 4), dtype="bool", name="keep")
            return keras.Model([x, m], L.Softmax()(x, mask=m))
        return build

    def softmax_masked_calls(rng):
        x = normal(rng, 4, 5, 4, scale=2.0)
        m = rng.uniform(size=(4, 5, 4)) > 0.3
        m[0, :, :] |= np.eye(5, 4, dtype=bool)  # sample 0: scattered False entries, no empty row
        m[0, 0] = [True, False, True, False]
        m[1] = True
        m[1, 2] = False                          # sample 1: row 2 entirely masked
        m[2] = True
        m[2, :, 0] = False                       # sample 2: column 0 masked
        m[3] = True                              # sample 3: nothing masked
        return [{"inputs": [x, m], "reset": False}]

    def softmax_masked_check(keras, writer, spec, model, calls, manifest_calls, notes):
        x, m = calls[0]["inputs"]
        y = np.load(os.path.join(FIXTURES, manifest_calls[0]["outputs"][0]))
        twin = build_softmax_masked(False)(keras).predict(x, verbose=0)
        per_sample = [float(np.max(np.abs(y[b] - twin[b]))) for b in range(4)]
        assert min(per_sample[:3]) > 1e-3 and per_sample[3] < 1e-6, per_sample
        masked_vals = y[~m]
        full_row = y[1, 2]
        # What the layer does: keep x where the mask is True, -1e9 elsewhere, softmax over the last axis.
        ref = np_softmax(np.where(m, x.astype(np.float64), -1e9), -1)
        rows = np.all(~m, axis=-1, keepdims=True)
        ref = np.where(rows, 0.0 if writer == "keras3" else 0.25, ref)
        if writer == "keras3":
            ref = np.where(m, ref, 0.0)
        worst = float(np.max(np.abs(y - ref)))
        assert worst < 1e-6, worst
        try:
            L = keras.layers
            bad = keras.Sequential([keras.Input(shape=(5, 4)), L.Masking(0.0), L.Softmax()])
            bad.predict(x, verbose=0)
            masking = "Masking(0.0) -> Softmax on (B, 5, 4) predicts"
        except Exception as e:  # noqa: BLE001
            masking = "Masking(0.0) -> Softmax on (B, 5, 4) is rejected (%s: %s)" % (
                type(e).__name__, " ".join(str(e).split())[:160])
        note(notes, writer, "softmax_masked/%s: per-sample |masked - unmasked| %s; masked entries output "
             "min %.3g max %.3g; fully masked row (sample 1 row 2) -> %s; matches the where(mask, x, -1e9) "
             "softmax%s (max diff %.2g); %s" % (
                 writer, ["%.3f" % d for d in per_sample], masked_vals.min(), masked_vals.max(),
                 np.round(full_row, 6).tolist(),
                 " with masked outputs zeroed" if writer == "keras3" else " (no zeroing)", worst, masking))

    add("softmax_masked", "Functional inputs scores (5, 4) float and keep (5, 4) bool -> Softmax()(scores, "
        "mask=keep); batch 4: sample0 scattered False, sample1 row 2 all False, sample2 column 0 False, sample3 "
        "all True.  (A Masking layer's (B, T) mask cannot be broadcast to a (B, T, F) softmax input: both "
        "writers reject Masking -> Softmax.)  Keras 3 softmaxes where(mask, x, -1e9) and zeroes masked "
        "outputs (a fully masked row gives 0); tf-keras adds -1e9 to masked logits and does not zero (a fully "
        "masked row gives 1/4 each)", build_softmax_masked(True), softmax_masked_calls,
        check=softmax_masked_check)

    # --- Identity, noise and regularization layers (identity at inference)
    add("identity_layer", "Input (6,) -> Dense(4) -> Identity -> Dense(2)",
        lambda keras: keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(4),
                                        layer_class(keras, "Identity")(), keras.layers.Dense(2)]),
        one_call((3, 6)))
    for cls, kw, snake in (("GaussianNoise", dict(stddev=0.3), "gaussian_noise"),
                           ("GaussianDropout", dict(rate=0.3), "gaussian_dropout"),
                           ("AlphaDropout", dict(rate=0.3), "alpha_dropout"),
                           ("ActivityRegularization", dict(l1=0.01, l2=0.02), "activity_regularization")):
        add(snake, "Input (6,) -> Dense(5) -> %s(%s) -> Dense(2) (inference: identity)" % (
            cls, ", ".join("%s=%s" % kv for kv in kw.items())),
            lambda keras, cls=cls, kw=kw: keras.Sequential([
                keras.Input(shape=(6,)), keras.layers.Dense(5), layer_class(keras, cls)(**kw),
                keras.layers.Dense(2)]),
            one_call((3, 6)))
    add("spatial_dropout2d", "Input (6, 5, 3) -> SpatialDropout2D(0.4) -> Dense(2) (inference: identity)",
        sequential((6, 5, 3), lambda L: [L.SpatialDropout2D(0.4), L.Dense(2)]), one_call((3, 6, 5, 3)))
    add("spatial_dropout3d", "Input (3, 4, 5, 2) -> SpatialDropout3D(0.4) -> Dense(2) (inference: identity), "
        "batch 2", sequential((3, 4, 5, 2), lambda L: [L.SpatialDropout3D(0.4), L.Dense(2)]),
        one_call((2, 3, 4, 5, 2)))

    # --- Dot
    def build_dot(shape_a, shape_b, dtype=None, **kw):
        def build(keras):
            a = keras.Input(shape=shape_a, dtype=dtype, name="a")
            b = keras.Input(shape=shape_b, dtype=dtype, name="b")
            extra = {"dtype": dtype} if dtype else {}
            return keras.Model([a, b], keras.layers.Dot(**kw, **extra)([a, b]))
        return build

    def l2n(x, axis):
        return x / np.sqrt(np.maximum(np.sum(x * x, axis=axis, keepdims=True), 1e-12))

    add("dot_3d", "Functional inputs a (4, 3), b (5, 3) -> Dot(axes=(2, 2)) -> (4, 5)",
        build_dot((4, 3), (5, 3), axes=(2, 2)), multi_call((3, 4, 3), (3, 5, 3)),
        check=compare_reference(lambda m, xs: [np.einsum("bik,bjk->bij", *xs)]))
    add("dot_2d_normalize", "Functional inputs a (6,), b (6,) -> Dot(axes=1, normalize=True) -> (1,) "
        "(cosine similarity)", build_dot((6,), (6,), axes=1, normalize=True), multi_call((3, 6), (3, 6)),
        check=compare_reference(lambda m, xs: [np.sum(l2n(xs[0], 1) * l2n(xs[1], 1), axis=1, keepdims=True)]))
    add("dot_axes_1_2", "Functional inputs a (3, 4), b (4, 3) -> Dot(axes=(1, 2)) -> (4, 4): "
        "out[i, j] = sum_k a[k, i] * b[j, k]", build_dot((3, 4), (4, 3), axes=(1, 2)),
        multi_call((3, 3, 4), (3, 4, 3)),
        check=compare_reference(lambda m, xs: [np.einsum("bki,bjk->bij", *xs)]))

    # --- Image augmentation layers: Input (8, 8, 3) pixel values uniform in [0, 255) -> layer -> Dense(2).
    # `inference` says what the layer does in predict per writer (read from the layer's call /
    # transform_images); the check asserts it on the layer's output.
    AUG_SHAPE = (8, 8, 3)
    aug_layers = [
        # (class, kwargs(L) or dict, {writer: inference semantics}, input shape)
        ("RandomBrightness", dict(factor=(-0.3, 0.4), value_range=(0, 255), seed=11), {}, AUG_SHAPE),
        ("RandomContrast", dict(factor=(0.2, 0.5), seed=12), {}, AUG_SHAPE),
        ("RandomCrop", dict(height=6, width=5, seed=13), {"keras2": "smart_resize"}, AUG_SHAPE),
        ("RandomFlip", dict(mode="horizontal", seed=14), {}, AUG_SHAPE),
        ("RandomRotation", dict(factor=(-0.2, 0.3), fill_mode="constant", interpolation="nearest",
                                fill_value=7.0, seed=15), {}, AUG_SHAPE),
        ("RandomTranslation", dict(height_factor=0.2, width_factor=(-0.1, 0.3), fill_mode="wrap",
                                   interpolation="nearest", seed=16), {}, AUG_SHAPE),
        ("RandomZoom", dict(height_factor=(-0.3, 0.2), width_factor=0.1, fill_mode="nearest", seed=17),
         {}, AUG_SHAPE),
        ("RandomHeight", dict(factor=0.3, interpolation="nearest", seed=18), {}, AUG_SHAPE),
        ("RandomWidth", dict(factor=(0.1, 0.4), seed=19), {}, AUG_SHAPE),
        ("AugMix", dict(value_range=(0, 255), num_chains=2, chain_depth=2, factor=0.5, alpha=0.5,
                        all_ops=False, interpolation="nearest", seed=21), {}, AUG_SHAPE),
        ("CutMix", dict(factor=0.5, seed=22), {}, AUG_SHAPE),
        ("Equalization", dict(value_range=(0, 255), bins=128), {}, AUG_SHAPE),
        ("MaxNumBoundingBoxes", dict(max_number=5, fill_value=-2), {}, AUG_SHAPE),
        ("MixUp", dict(alpha=0.4, seed=23), {}, AUG_SHAPE),
        ("RandAugment", dict(value_range=(0, 255), num_ops=3, factor=0.3, interpolation="nearest", seed=26),
         {}, AUG_SHAPE),
        ("RandomColorDegeneration", dict(factor=(0.2, 0.6), seed=27), {}, AUG_SHAPE),
        ("RandomColorJitter", dict(value_range=(0, 255), brightness_factor=0.2, contrast_factor=0.3,
                                   saturation_factor=(0.4, 0.6), hue_factor=0.1, seed=28), {}, AUG_SHAPE),
        ("RandomElasticTransform", dict(factor=0.8, scale=0.5, interpolation="nearest", fill_mode="constant",
                                        fill_value=3.0, seed=29), {}, AUG_SHAPE),
        ("RandomErasing", dict(factor=0.7, scale=(0.1, 0.3), fill_value=5.0, seed=30), {}, AUG_SHAPE),
        ("RandomGaussianBlur", dict(factor=0.6, kernel_size=5, sigma=0.8, seed=31), {}, AUG_SHAPE),
        ("RandomGrayscale", dict(factor=0.7, seed=32), {}, AUG_SHAPE),
        ("RandomHue", dict(factor=(0.1, 0.4), seed=33), {}, AUG_SHAPE),
        ("RandomInvert", dict(factor=0.6, seed=34), {}, AUG_SHAPE),
        ("RandomPerspective", dict(factor=0.7, scale=0.5, interpolation="nearest", fill_value=2.0, seed=35),
         {}, AUG_SHAPE),
        ("RandomPosterization", dict(factor=(2, 5), seed=36), {}, AUG_SHAPE),
        ("RandomSaturation", dict(factor=(0.3, 0.7), seed=37), {}, AUG_SHAPE),
        ("RandomSharpness", dict(factor=(0.2, 0.8), seed=38), {}, AUG_SHAPE),
        # x_factor as a pair: a single number f is stored as [-f, f], which RandomShear's own
        # __init__ rejects on reload (factors must be in [0, 1]).
        ("RandomShear", dict(x_factor=(0.1, 0.2), y_factor=(0.05, 0.3), interpolation="nearest",
                             fill_mode="constant", fill_value=1.0, seed=39), {}, AUG_SHAPE),
        ("Solarization", dict(addition_factor=0.2, threshold_factor=0.4, value_range=(0, 255), seed=40),
         {}, AUG_SHAPE),
    ]
    # RandomCrop again with an input smaller than the crop (5 x 3 < 6 x 5).
    aug_small = ("RandomCrop", dict(height=6, width=5, seed=13), {"keras2": "smart_resize"}, (5, 3, 3))

    def aug_check(keras, writer, spec, model, calls, manifest_calls, notes):
        aug = spec["aug"]
        x = calls[0]["inputs"][0]
        layer = model.layers[0]
        probe = keras.Model(model.inputs, layer.output)
        y = np.asarray(probe.predict(x, verbose=0))
        kind = aug["inference"].get(writer, "identity")
        declared = shape_list(layer.output)
        if kind == "identity":
            assert y.shape == x.shape and np.array_equal(y, x), (spec["name"], y.shape)
            what = "identity (output == input)"
        elif kind == "smart_resize":
            ref, box = np_smart_resize(x, aug["kwargs"]["height"], aug["kwargs"]["width"])
            d = float(np.max(np.abs(y - ref)))
            assert d < 1e-3, (spec["name"], d)
            what = ("center crop rows %d:%d cols %d:%d then bilinear resize (half-pixel centers) to %s; max "
                    "diff vs numpy %.2g" % (box + (list(ref.shape[1:3]), d)))
        else:
            d = float(np.max(np.abs(y - x))) if y.shape == x.shape else float("inf")
            assert d > 0.01 * float(np.max(x)), (spec["name"], d)
            what = "transform (max |layer(x) - x| = %.3g)" % d
        note(notes, writer, "%s/%s: inference = %s; layer output %s (declared %s)" % (
            spec["name"], writer, what, list(y.shape), declared))

    def aug_calls(shape, hi):
        return lambda rng: [{"inputs": [rng.uniform(0.0, hi, size=(3,) + shape).astype(np.float32)],
                             "reset": False}]

    def snake(cls):
        import re
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", cls).lower()

    for cls, kwargs, inference, shape in aug_layers + [aug_small]:
        name = "aug_" + snake(cls) + ("_small" if shape != AUG_SHAPE else "")
        hi = 1.0 if not callable(kwargs) and tuple(kwargs.get("value_range", (0, 255))) == (0, 1) else 255.0

        def build_aug(keras, cls=cls, kwargs=kwargs, shape=shape):
            L = keras.layers
            layer = layer_class(keras, cls)(**(kwargs(L) if callable(kwargs) else kwargs))
            return keras.Sequential([keras.Input(shape=shape), layer, L.Dense(2)])

        args = "layers=[AutoContrast(value_range=(0, 255)), RandomFlip('vertical', seed=24), RandomZoom(0.2, " \
            "seed=25)]" if callable(kwargs) else ", ".join("%s=%r" % kv for kv in kwargs.items())
        sem = "; inference: " + ", ".join(
            "%s %s" % (w, {"identity": "identity", "transform": "applies the transform",
                           "smart_resize": "center crop + bilinear resize"}[inference.get(w, "identity")])
            for w in WRITERS)
        add(name, "Input %s pixels uniform [0, %g) -> %s(%s) -> Dense(2)%s" % (shape, hi, cls, args, sem),
            build_aug, aug_calls(shape, hi), check=aug_check,
            aug=dict(cls=cls, inference=inference, kwargs={} if callable(kwargs) else kwargs))

    # --- Explicit masks: a bool Input passed as GRU(...)(x, mask=m).  Batch 4, T=7.
    EXPLICIT_MASK_FALSE = [MASK_PADS, {0: [0, 4], 1: [6], 2: [1, 2, 3]}]  # sample 3 always all True

    def explicit_mask_calls(rng):
        calls = []
        for pads in EXPLICIT_MASK_FALSE:
            x = normal(rng, 4, MASK_T, 3)
            m = np.ones((4, MASK_T), dtype=bool)
            for b, steps in pads.items():
                m[b, steps] = False
            calls.append({"inputs": [x, m], "reset": False})
        return calls

    def build_explicit_mask(seq, on):
        def build(keras):
            L = keras.layers
            x = keras.Input(shape=(MASK_T, 3), name="x")
            rnn = L.LSTM(3, return_sequences=True) if seq else L.GRU(4)
            if on:
                m = keras.Input(shape=(MASK_T,), dtype="bool", name="m")
                h = rnn(x, mask=m)
            else:
                h = rnn(x)
            y = L.Dense(2, name="per_step" if seq else None)(h)
            if seq:
                y = L.GlobalAveragePooling1D()(y)
            return keras.Model([x, m] if on else x, y)
        return build

    def explicit_mask_check(keras, writer, spec, model, calls, manifest_calls, notes):
        seq = spec["explicit_mask_seq"]
        twin = build_explicit_mask(seq, False)(keras)
        twin.set_weights(model.get_weights())
        parts = []
        for k, (call, mc) in enumerate(zip(calls, manifest_calls)):
            x, m = call["inputs"]
            stored = np.load(os.path.join(FIXTURES, mc["outputs"][0]))
            unmasked = np.asarray(twin.predict(x, verbose=0))
            per_sample = [float(np.max(np.abs(stored[b] - unmasked[b]))) for b in range(4)]
            assert min(per_sample[:3]) > 1e-3 and per_sample[3] < 1e-6, (spec["name"], k, per_sample)
            desc = "call%d per-sample |masked - unmasked| %s" % (k, ["%.3f" % d for d in per_sample])
            if seq:
                # The mask reaches GlobalAveragePooling1D: a mean over the True steps only.
                steps = np.asarray(keras.Model(model.inputs, model.get_layer("per_step").output)
                                   .predict([x, m], verbose=0), np.float64)
                w = m[..., None].astype(np.float64)
                masked_mean = (steps * w).sum(1) / w.sum(1)
                d_masked = float(np.max(np.abs(stored - masked_mean)))
                d_plain = [float(np.max(np.abs(stored[b] - steps[b].mean(0)))) for b in range(3)]
                assert d_masked < 1e-6 and min(d_plain) > 1e-4, (spec["name"], d_masked, d_plain)
                desc += ", == mean over True steps (%.2g), != plain mean (%s)" % (
                    d_masked, ["%.3f" % d for d in d_plain])
            parts.append(desc)
        note(notes, writer, "%s/%s: %s" % (spec["name"], writer, "; ".join(parts)))
        for fmt in ("h5", "keras"):
            entries = saved_layer_entries(os.path.join(FIXTURES, spec["name"], writer, "model." + fmt), fmt)
            rnn = [e for e in entries.values() if e["class_name"] in ("GRU", "LSTM")]
            assert len(rnn) == 1
            note(notes, writer, "%s/%s %s: %s inbound_nodes %s" % (
                spec["name"], writer, fmt, rnn[0]["class_name"], json.dumps(rnn[0]["inbound_nodes"])))

    pads_desc = "; ".join("call%d False steps %s" % (k, {b: p for b, p in pads.items()})
                          for k, pads in enumerate(EXPLICIT_MASK_FALSE))
    add("func_explicit_mask", "Functional inputs x (7, 3) float and m (7,) bool -> GRU(4)(x, mask=m) -> "
        "Dense(2); batch 4, %s, sample 3 all True (x is random at masked steps too)" % pads_desc,
        build_explicit_mask(False, True), explicit_mask_calls, check=explicit_mask_check,
        explicit_mask_seq=False)
    add("func_explicit_mask_seq", "Functional inputs x (7, 3) float and m (7,) bool -> LSTM(3, "
        "return_sequences=True)(x, mask=m) -> Dense(2) -> GlobalAveragePooling1D (the mask propagates: mean "
        "over the True steps); batch 4, %s, sample 3 all True" % pads_desc,
        build_explicit_mask(True, True), explicit_mask_calls, check=explicit_mask_check,
        explicit_mask_seq=True)

    # --- Nested normalization, trainable flags
    def build_nested_bn_renorm(keras):
        L = keras.layers
        inner = keras.Sequential([keras.Input(shape=(5,)), L.Dense(4), L.BatchNormalization(renorm=True),
                                  L.Dense(3)], name="inner_seq")
        return keras.Sequential([keras.Input(shape=(5,)), inner, L.Dense(2)])

    add("nested_bn_renorm", "Sequential: Input (5,) -> Sequential 'inner_seq' [Dense(4), "
        "BatchNormalization(renorm=True), Dense(3)] -> Dense(2).  BN weights gamma, beta, moving_mean, "
        "moving_variance (0.2..2) plus the training-only renorm weights moving_stddev, renorm_mean, "
        "renorm_stddev (redrawn independently; inference uses moving_mean / moving_variance only)",
        build_nested_bn_renorm, one_call((3, 5)))

    def build_trainable_counts(keras):
        L = keras.layers
        inner = keras.Sequential([keras.Input(shape=(4,)), L.Dense(3, activation="tanh"), L.Dense(3)],
                                 name="frozen_seq")
        inner.trainable = False
        return keras.Sequential([keras.Input(shape=(6,)), L.Dense(5, trainable=False, name="frozen_dense"),
                                 L.Dense(4, activation="relu"), L.BatchNormalization(), inner, L.Dense(2)])

    add("trainable_counts", "Sequential: Input (6,) -> Dense(5, trainable=False) -> Dense(4, relu) -> "
        "BatchNormalization -> Sequential 'frozen_seq' [Dense(3, tanh), Dense(3)] with trainable=False -> "
        "Dense(2); trainable = Dense(4) + BN gamma/beta + Dense(2)", build_trainable_counts, one_call((3, 6)))

    # --- float64 variants (atol 1e-9)
    def build_new_f64(keras):
        L = keras.layers
        f = dict(dtype="float64")
        layers = [keras.Input(shape=(5, 4), dtype="float64"), L.ReLU(**RELU_OPTS, **f),
                  L.LeakyReLU(**slope_kw, **f), L.PReLU(shared_axes=[1], **f), L.ELU(alpha=0.7, **f),
                  L.Softmax(**f), L.GaussianNoise(0.3, **f)]
        if hasattr(L, "Identity"):
            layers.append(L.Identity(**f))
        layers += [L.ActivityRegularization(l1=0.01, l2=0.02, **f), L.Dense(2, **f)]
        return keras.Sequential(layers)

    def f64_call(*shapes, scale=1.0):
        return lambda rng: [{"inputs": [rng.standard_normal(s) * scale for s in shapes], "reset": False}]

    add("new_layers_float64", "float64 Sequential: Input (5, 4) -> ReLU(max_value=1.5, negative_slope=0.1, "
        "threshold=0.3) -> LeakyReLU(0.2) -> PReLU(shared_axes=[1]) -> ELU(0.7) -> Softmax -> "
        "GaussianNoise(0.3) -> Identity -> ActivityRegularization(l1=0.01, l2=0.02) -> Dense(2), every layer dtype float64 "
        "(atol 1e-9)", build_new_f64, f64_call((3, 5, 4), scale=1.5), dtype="float64")
    add("dot_float64", "dot_3d in float64: inputs a (4, 3), b (5, 3) float64 -> Dot(axes=(2, 2), dtype=float64) "
        "(atol 1e-9)", build_dot((4, 3), (5, 3), dtype="float64", axes=(2, 2)), f64_call((3, 4, 3), (3, 5, 3)),
        dtype="float64", check=compare_reference(lambda m, xs: [np.einsum("bik,bjk->bij", *xs)]))

    # --- 1-D padding, cropping and upsampling; rescaling and unit normalization
    add("zero_padding1d", "Input (5, 3) -> ZeroPadding1D((1, 2)) -> Dense(2)",
        sequential((5, 3), lambda L: [L.ZeroPadding1D((1, 2)), L.Dense(2)]), one_call((3, 5, 3)))
    add("cropping1d", "Input (6, 3) -> Cropping1D((1, 2)) -> Dense(2)",
        sequential((6, 3), lambda L: [L.Cropping1D((1, 2)), L.Dense(2)]), one_call((3, 6, 3)))
    add("upsampling1d", "Input (4, 3) -> UpSampling1D(3) -> Dense(2)",
        sequential((4, 3), lambda L: [L.UpSampling1D(3), L.Dense(2)]), one_call((3, 4, 3)))
    add("rescaling", "Input (5, 3) -> Rescaling(1/127.5, offset=-1) -> Dense(2), inputs in [0, 255]",
        sequential((5, 3), lambda L: [L.Rescaling(1 / 127.5, offset=-1.0), L.Dense(2)]),
        lambda rng: [{"inputs": [rng.uniform(0, 255, (3, 5, 3))], "reset": False}])
    add("rescaling_channels", "Input (5, 3) -> Rescaling([0.5, 2.0, -1.0], offset=0.25) -> Dense(2)",
        sequential((5, 3), lambda L: [L.Rescaling([0.5, 2.0, -1.0], offset=0.25), L.Dense(2)]), one_call((3, 5, 3)))
    add("unit_normalization", "Input (4, 5) -> UnitNormalization() -> Dense(2)",
        sequential((4, 5), lambda L: [L.UnitNormalization(), L.Dense(2)]), one_call((3, 4, 5)))
    add("unit_normalization_axes", "Input (4, 5) -> UnitNormalization(axis=[1, 2]) -> Dense(2)",
        sequential((4, 5), lambda L: [L.UnitNormalization(axis=[1, 2]), L.Dense(2)]), one_call((3, 4, 5)))

    def build_sequence_f64(keras):
        L = keras.layers
        f = dict(dtype="float64")
        return keras.Sequential([keras.Input(shape=(5, 3), dtype="float64"), L.ZeroPadding1D((2, 1), **f),
                                 L.Cropping1D((1, 1), **f), L.UpSampling1D(2, **f),
                                 L.Rescaling(0.5, offset=0.1, **f), L.UnitNormalization(**f), L.Dense(2, **f)])

    add("sequence_layers_float64", "float64 Sequential: Input (5, 3) -> ZeroPadding1D((2, 1)) -> Cropping1D((1, 1)) -> "
        "UpSampling1D(2) -> Rescaling(0.5, offset=0.1) -> UnitNormalization -> Dense(2), every layer dtype float64 "
        "(atol 1e-9)", build_sequence_f64, f64_call((3, 5, 3), scale=1.5), dtype="float64")

    # --- Convolutions (issue 14): Conv1D/2D/3D, depthwise, separable and transposed, every
    # option (padding, strides, dilation, groups, depth_multiplier, output_padding, use_bias,
    # channels_first, activations). Batch 2; the convolution's output is the model's output.
    def conv(shape, make):
        return sequential(shape, lambda L: make(L))

    conv_specs = [
        ("conv2d_valid", "Conv2D(4, 3)", (7, 6, 3), lambda L: [L.Conv2D(4, 3)]),
        ("conv2d_same_strided", "Conv2D(5, (3, 2), strides=2, padding='same', activation='relu') on 9x7 (odd sizes)",
         (9, 7, 3), lambda L: [L.Conv2D(5, (3, 2), strides=2, padding="same", activation="relu")]),
        ("conv2d_dilated", "Conv2D(4, 3, dilation_rate=(2, 1), padding='same')", (8, 8, 2),
         lambda L: [L.Conv2D(4, 3, dilation_rate=(2, 1), padding="same")]),
        ("conv2d_groups", "Conv2D(6, 3, groups=3, padding='same', use_bias=False)", (6, 5, 6),
         lambda L: [L.Conv2D(6, 3, groups=3, padding="same", use_bias=False)]),
        ("conv2d_pointwise", "Conv2D(7, 1) -> Conv2D(5, 1, strides=2, activation='tanh')", (5, 4, 6),
         lambda L: [L.Conv2D(7, 1), L.Conv2D(5, 1, strides=2, activation="tanh")]),
        ("conv2d_channels_first", "Conv2D(4, 3, padding='same', data_format='channels_first', activation='softmax') "
         "(softmax over the last axis, a spatial one) -> Conv2D(3, 2, strides=2, data_format='channels_first')",
         (3, 7, 6), lambda L: [L.Conv2D(4, 3, padding="same", data_format="channels_first", activation="softmax"),
                               L.Conv2D(3, 2, strides=2, data_format="channels_first")]),
        ("conv3d", "Conv3D(3, (2, 3, 2), strides=(1, 2, 1), padding='same') -> Conv3D(2, 2, data_format='channels_last')",
         (4, 5, 6, 2), lambda L: [L.Conv3D(3, (2, 3, 2), strides=(1, 2, 1), padding="same"), L.Conv3D(2, 2)]),
        # The last axis (4) differs from filters (3): Keras 3.15 on TensorFlow adds a channels-first
        # Conv3D's bias along the last axis when the two are equal (tf-keras and ops.conv don't).
        ("conv3d_channels_first", "Conv3D(3, 2, padding='same', data_format='channels_first', dilation_rate=(1, 2, 1))",
         (2, 4, 5, 4), lambda L: [L.Conv3D(3, 2, padding="same", data_format="channels_first", dilation_rate=(1, 2, 1))]),
        ("conv1d_causal_dilated", "Conv1D(3, 3, padding='causal', dilation_rate=2)", (9, 4),
         lambda L: [L.Conv1D(3, 3, padding="causal", dilation_rate=2)]),
        ("conv1d_channels_first_groups", "Conv1D(4, 3, data_format='channels_first', groups=2, padding='same', strides=2)",
         (4, 9), lambda L: [L.Conv1D(4, 3, data_format="channels_first", groups=2, padding="same", strides=2)]),
        ("depthwise_conv2d", "DepthwiseConv2D(3, padding='same', depth_multiplier=2)", (7, 6, 3),
         lambda L: [L.DepthwiseConv2D(3, padding="same", depth_multiplier=2)]),
        ("depthwise_conv2d_strided", "DepthwiseConv2D(3, strides=2, padding='same', use_bias=False, activation='relu6')",
         (8, 7, 4), lambda L: [L.DepthwiseConv2D(3, strides=2, padding="same", use_bias=False, activation="relu6")]),
        ("depthwise_conv2d_channels_first", "DepthwiseConv2D((2, 3), dilation_rate=2, data_format='channels_first')",
         (3, 8, 9), lambda L: [L.DepthwiseConv2D((2, 3), dilation_rate=2, data_format="channels_first")]),
        ("depthwise_conv1d", "DepthwiseConv1D(3, depth_multiplier=3)", (8, 3),
         lambda L: [L.DepthwiseConv1D(3, depth_multiplier=3)]),
        ("separable_conv2d", "SeparableConv2D(5, 3, padding='same', depth_multiplier=2, strides=2)", (8, 7, 3),
         lambda L: [L.SeparableConv2D(5, 3, padding="same", depth_multiplier=2, strides=2)]),
        ("separable_conv2d_channels_first", "SeparableConv2D(4, 2, data_format='channels_first', use_bias=False)",
         (3, 6, 5), lambda L: [L.SeparableConv2D(4, 2, data_format="channels_first", use_bias=False)]),
        ("separable_conv1d", "SeparableConv1D(5, 3, dilation_rate=2, activation='elu')", (9, 3),
         lambda L: [L.SeparableConv1D(5, 3, dilation_rate=2, activation="elu")]),
        ("conv2d_transpose_same", "Conv2DTranspose(4, 3, strides=2, padding='same')", (4, 5, 3),
         lambda L: [L.Conv2DTranspose(4, 3, strides=2, padding="same")]),
        ("conv2d_transpose_valid", "Conv2DTranspose(4, (3, 2), strides=(2, 3)) (stride above kernel on axis 2)",
         (4, 3, 3), lambda L: [L.Conv2DTranspose(4, (3, 2), strides=(2, 3))]),
        ("conv2d_transpose_output_padding", "Conv2DTranspose(3, 3, strides=2, output_padding=1) -> "
         "Conv2DTranspose(2, 3, strides=2, padding='same', output_padding=0)", (4, 4, 2),
         lambda L: [L.Conv2DTranspose(3, 3, strides=2, output_padding=1),
                    L.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=0)]),
        ("conv2d_transpose_dilated", "Conv2DTranspose(3, 3, dilation_rate=2, padding='same', use_bias=False)", (5, 5, 2),
         lambda L: [L.Conv2DTranspose(3, 3, dilation_rate=2, padding="same", use_bias=False)]),
        ("conv2d_transpose_channels_first", "Conv2DTranspose(3, 2, strides=2, data_format='channels_first', "
         "activation='sigmoid')", (2, 3, 4), lambda L: [L.Conv2DTranspose(3, 2, strides=2, data_format="channels_first",
                                                                         activation="sigmoid")]),
        ("conv1d_transpose", "Conv1DTranspose(3, 4, strides=3, padding='same')", (5, 2),
         lambda L: [L.Conv1DTranspose(3, 4, strides=3, padding="same")]),
        ("conv3d_transpose", "Conv3DTranspose(2, 2, strides=2) -> Conv3DTranspose(2, 3, padding='same')",
         (3, 2, 3, 2), lambda L: [L.Conv3DTranspose(2, 2, strides=2), L.Conv3DTranspose(2, 3, padding="same")]),
    ]
    for name, what, shape, make in conv_specs:
        add(name, "Input %s -> %s" % (shape, what), conv(shape, make), one_call((2,) + shape))

    add("time_distributed_conv2d", "Input (3, 6, 5, 2) -> TimeDistributed(Conv2D(3, 3, padding='same', relu)) -> "
        "TimeDistributed(MaxPooling2D) -> TimeDistributed(Flatten) -> LSTM(4): a CRNN-style video/frames model",
        conv((3, 6, 5, 2), lambda L: [L.TimeDistributed(L.Conv2D(3, 3, padding="same", activation="relu")),
                                      L.TimeDistributed(L.MaxPooling2D()), L.TimeDistributed(L.Flatten()), L.LSTM(4)]),
        one_call((2, 3, 6, 5, 2)))

    def build_conv_f64(keras):
        L = keras.layers
        f = dict(dtype="float64")
        return keras.Sequential([keras.Input(shape=(7, 6, 2), dtype="float64"), L.Conv2D(3, 3, padding="same", **f),
                                 L.DepthwiseConv2D(3, depth_multiplier=2, **f), L.SeparableConv2D(4, 2, **f),
                                 L.Conv2DTranspose(2, 3, strides=2, **f), L.Conv2D(2, 1, groups=2, **f)])

    add("conv_layers_float64", "float64 Sequential: Input (7, 6, 2) -> Conv2D(3, 3, same) -> DepthwiseConv2D(3, "
        "depth_multiplier=2) -> SeparableConv2D(4, 2) -> Conv2DTranspose(2, 3, strides=2) -> Conv2D(2, 1, groups=2), "
        "every layer dtype float64 (atol 1e-9)", build_conv_f64, f64_call((2, 7, 6, 2)), dtype="float64")

    # --- keras.applications at their smallest (scripts/make_applications.py --small: each
    # network's own builder, few and narrow blocks, minimum input, 2 classes), with that
    # script's seeded weights: He-scaled kernels, BatchNormalization statistics calibrated on a
    # seeded batch then perturbed, logits rescaled, so every layer moves the output.
    def application(app):
        def build(keras):
            import make_applications as apps
            model, why, _ = apps.build_app(keras, app, apps.APPS[app][0], apps.SMALL_CLASSES, small=True)
            if model is None:
                raise Skip(why)
            rng = np.random.default_rng(apps.seed_of(app))
            low, high = application_range(app)
            shape = tuple(int(d) for d in model.inputs[0].shape[1:])
            x_calibration = rng.uniform(low, high, (apps.CALIBRATION_BATCH,) + shape).astype(np.float32)
            apps.draw_weights(model, rng)
            apps.calibrate(model, keras, rng, x_calibration)
            apps.scale_logits(model, rng, x_calibration)
            return model
        return build

    def application_range(app):
        import make_applications as apps
        return (0.0, 255.0) if apps.APPS[app][2] == "pixels" else (-1.0, 1.0)

    def application_calls(app):
        import make_applications as apps
        side = apps.APPS[app][0]
        low, high = application_range(app)
        return lambda rng: [{"inputs": [rng.uniform(low, high, (2, side, side, 3))], "reset": False}]

    def build_layer_scale(keras):
        import make_applications as apps
        scale = apps.custom_objects(keras, "ConvNeXtTiny")["LayerScale"]
        return keras.Sequential([keras.Input(shape=(3, 4, 6)), scale(0.5, 6), keras.layers.Dense(2)])

    add("layer_scale", "Input (3, 4, 6) -> keras.applications.convnext.LayerScale(0.5, 6) (gamma redrawn) -> Dense(2)",
        build_layer_scale, one_call((2, 3, 4, 6)))

    for app in ("ResNet50", "ResNet50V2", "MobileNet", "MobileNetV3Small", "ConvNeXtTiny", "EfficientNetB0"):
        add("app_" + app.lower(), "keras.applications %s at its smallest (make_applications.py --small), "
            "seeded calibrated weights, 2 classes, logits out" % app, application(app), application_calls(app),
            wscale=None, application=app, atol=1e-4)

    # ==================================================================
    # BEGIN pool-shape: 2-D/3-D pooling, global and adaptive pooling, padding, cropping,
    # upsampling, BatchNormalization on any axis.  Batch 2; odd sizes, `same` padding with
    # strides that don't divide, both data formats.
    # ==================================================================
    def functional(input_shapes, make_outputs, dtype=None):
        """A Functional model: one keras.Input per shape, outputs = make_outputs(L, inputs)."""
        def build(keras):
            inputs = [keras.Input(shape=s, dtype=dtype) for s in input_shapes]
            return keras.Model(inputs if len(inputs) > 1 else inputs[0], make_outputs(keras.layers, inputs))
        return build

    def each(*makers):
        """Outputs: each maker applied to the first input (maker(L) -> layer)."""
        return lambda L, xs: [make(L)(xs[0]) for make in makers]

    def new_layer(cls, *args, **kw):
        """maker(L) -> L.<cls>(*args, **kw); Skip when this writer has no such class."""
        def make(L):
            if not hasattr(L, cls):
                raise Skip("keras.layers has no %s in this writer" % cls)
            return getattr(L, cls)(*args, **kw)
        return make

    cf = dict(data_format="channels_first")
    for mode, cls in (("max", "MaxPooling"), ("avg", "AveragePooling")):
        add("%spool2d_valid" % mode, "Input (9, 7, 3) -> %s2D(pool_size=(3, 2), strides=(2, 3), padding='valid')" % cls,
            single_layer((9, 7, 3), cls + "2D", pool_size=(3, 2), strides=(2, 3)), one_call((2, 9, 7, 3)))
        add("%spool2d_same" % mode, "Input (9, 7, 3) -> [%s2D(3, strides=2, 'same'), %s2D((2, 3), strides=(3, 2), "
            "'same'), %s2D(2) (strides None)]" % (cls, cls, cls),
            functional([(9, 7, 3)], each(new_layer(cls + "2D", 3, strides=2, padding="same"),
                                         new_layer(cls + "2D", (2, 3), strides=(3, 2), padding="same"),
                                         new_layer(cls + "2D", 2))), one_call((2, 9, 7, 3)))
        add("%spool2d_channels_first" % mode, "Input (3, 9, 7) -> [%s2D((2, 3), strides=2, 'same', channels_first), "
            "%s2D(3, strides=(1, 2), 'valid', channels_first)]" % (cls, cls),
            functional([(3, 9, 7)], each(new_layer(cls + "2D", (2, 3), strides=2, padding="same", **cf),
                                         new_layer(cls + "2D", 3, strides=(1, 2), **cf))), one_call((2, 3, 9, 7)))
        add("%spool3d" % mode, "Input (5, 6, 7, 2) -> [%s3D((2, 3, 2), strides=(2, 2, 3), 'same'), "
            "%s3D(2, 'valid'), %s3D(3, strides=(1, 2, 2), 'same')]" % (cls, cls, cls),
            functional([(5, 6, 7, 2)], each(new_layer(cls + "3D", (2, 3, 2), strides=(2, 2, 3), padding="same"),
                                            new_layer(cls + "3D", 2),
                                            new_layer(cls + "3D", 3, strides=(1, 2, 2), padding="same"))),
            one_call((2, 5, 6, 7, 2)))
        add("%spool3d_channels_first" % mode, "Input (2, 5, 6, 7) -> [%s3D((2, 3, 2), 'same', channels_first), "
            "%s3D((3, 2, 2), strides=(1, 2, 3), 'valid', channels_first)]" % (cls, cls),
            functional([(2, 5, 6, 7)], each(new_layer(cls + "3D", (2, 3, 2), padding="same", **cf),
                                            new_layer(cls + "3D", (3, 2, 2), strides=(1, 2, 3), **cf))),
            one_call((2, 2, 5, 6, 7)))

    for rank, shape in ((2, (5, 6, 3)), (3, (3, 4, 5, 2))):
        add("global_pooling%dd" % rank, "Input %s -> [GlobalAveragePooling%dD, (keepdims=True), GlobalMaxPooling%dD, "
            "(keepdims=True), and the four again with channels_first]" % (shape, rank, rank),
            functional([shape], each(*[new_layer("Global%sPooling%dD" % (kind, rank), keepdims=keep, **fmt)
                                       for fmt in ({}, cf) for kind in ("Average", "Max") for keep in (False, True)])),
            one_call((2,) + shape))

    add("adaptive_pooling1d", "Input (9, 3) -> [AdaptiveAveragePooling1D(4), AdaptiveMaxPooling1D(4), "
        "AdaptiveAveragePooling1D(12), AdaptiveMaxPooling1D(5, channels_first) (bins over 3), AdaptiveAveragePooling1D(2, channels_first)] "
        "(Keras 3 only)",
        functional([(9, 3)], each(new_layer("AdaptiveAveragePooling1D", 4), new_layer("AdaptiveMaxPooling1D", 4),
                                  new_layer("AdaptiveAveragePooling1D", 12), new_layer("AdaptiveMaxPooling1D", 5, **cf),
                                  new_layer("AdaptiveAveragePooling1D", 2, **cf))), one_call((2, 9, 3)))
    add("adaptive_pooling2d", "Input (9, 7, 3) -> [AdaptiveAveragePooling2D((4, 3)), AdaptiveMaxPooling2D((4, 3)), "
        "AdaptiveAveragePooling2D(5), AdaptiveMaxPooling2D((2, 5), channels_first), "
        "AdaptiveAveragePooling2D((4, 2), channels_first)] (Keras 3 only)",
        functional([(9, 7, 3)], each(new_layer("AdaptiveAveragePooling2D", (4, 3)), new_layer("AdaptiveMaxPooling2D", (4, 3)),
                                     new_layer("AdaptiveAveragePooling2D", 5), new_layer("AdaptiveMaxPooling2D", (2, 5), **cf),
                                     new_layer("AdaptiveAveragePooling2D", (4, 2), **cf))), one_call((2, 9, 7, 3)))
    add("adaptive_pooling3d", "Input (5, 6, 7, 2) -> [AdaptiveAveragePooling3D((2, 3, 4)), AdaptiveMaxPooling3D((3, 2, 2)), "
        "AdaptiveAveragePooling3D((2, 4, 3), channels_first), AdaptiveMaxPooling3D(2, channels_first)] (Keras 3 only)",
        functional([(5, 6, 7, 2)], each(new_layer("AdaptiveAveragePooling3D", (2, 3, 4)), new_layer("AdaptiveMaxPooling3D", (3, 2, 2)),
                                        new_layer("AdaptiveAveragePooling3D", (2, 4, 3), **cf),
                                        new_layer("AdaptiveMaxPooling3D", 2, **cf))), one_call((2, 5, 6, 7, 2)))

    add("zero_padding2d", "Input (4, 5, 3) -> [ZeroPadding2D(), ZeroPadding2D((1, 2)), ZeroPadding2D(((1, 0), (2, 3))), "
        "ZeroPadding2D(((0, 1), (2, 1)), channels_first)]",
        functional([(4, 5, 3)], each(new_layer("ZeroPadding2D"), new_layer("ZeroPadding2D", (1, 2)),
                                     new_layer("ZeroPadding2D", ((1, 0), (2, 3))),
                                     new_layer("ZeroPadding2D", ((0, 1), (2, 1)), **cf))), one_call((2, 4, 5, 3)))
    add("zero_padding3d", "Input (3, 4, 5, 2) -> [ZeroPadding3D(), ZeroPadding3D(((1, 0), (0, 2), (1, 1))), "
        "ZeroPadding3D((2, 0, 1)), ZeroPadding3D(((0, 1), (1, 0), (0, 2)), channels_first)]",
        functional([(3, 4, 5, 2)], each(new_layer("ZeroPadding3D"), new_layer("ZeroPadding3D", ((1, 0), (0, 2), (1, 1))),
                                        new_layer("ZeroPadding3D", (2, 0, 1)),
                                        new_layer("ZeroPadding3D", ((0, 1), (1, 0), (0, 2)), **cf))), one_call((2, 3, 4, 5, 2)))
    add("cropping2d", "Input (6, 7, 3) -> [Cropping2D() (no crop), Cropping2D(1), Cropping2D((1, 2)), "
        "Cropping2D(((2, 0), (1, 3))), Cropping2D(((0, 1), (1, 0)), channels_first)]",
        functional([(6, 7, 3)], each(new_layer("Cropping2D"), new_layer("Cropping2D", 1), new_layer("Cropping2D", (1, 2)),
                                     new_layer("Cropping2D", ((2, 0), (1, 3))),
                                     new_layer("Cropping2D", ((0, 1), (1, 0)), **cf))), one_call((2, 6, 7, 3)))
    add("cropping3d", "Input (5, 6, 7, 2) -> [Cropping3D() (1 each side), Cropping3D(((1, 2), (0, 1), (2, 0))), "
        "Cropping3D((0, 2, 1)), Cropping3D(((1, 1), (2, 1), (0, 1)), channels_first)]",
        functional([(5, 6, 7, 2)], each(new_layer("Cropping3D"), new_layer("Cropping3D", ((1, 2), (0, 1), (2, 0))),
                                        new_layer("Cropping3D", (0, 2, 1)),
                                        new_layer("Cropping3D", ((1, 1), (2, 1), (0, 1)), **cf))), one_call((2, 5, 6, 7, 2)))
    add("upsampling2d", "Input (3, 4, 2) -> [UpSampling2D(), UpSampling2D((2, 3)), UpSampling2D((3, 2), 'bilinear'), "
        "UpSampling2D((2, 3), channels_first), UpSampling2D((2, 2), 'bilinear', channels_first), UpSampling2D(1, 'bilinear')]",
        functional([(3, 4, 2)], each(new_layer("UpSampling2D"), new_layer("UpSampling2D", (2, 3)),
                                     new_layer("UpSampling2D", (3, 2), interpolation="bilinear"),
                                     new_layer("UpSampling2D", (2, 3), **cf),
                                     new_layer("UpSampling2D", (2, 2), interpolation="bilinear", **cf),
                                     new_layer("UpSampling2D", 1, interpolation="bilinear"))), one_call((2, 3, 4, 2)))
    add("upsampling2d_bilinear_large", "Input (5, 3, 4) -> UpSampling2D((4, 5), 'bilinear') (taps far from the edges)",
        single_layer((5, 3, 4), "UpSampling2D", size=(4, 5), interpolation="bilinear"), one_call((2, 5, 3, 4)))
    add("upsampling3d", "Input (2, 3, 4, 2) -> [UpSampling3D(), UpSampling3D((1, 2, 3)), UpSampling3D((2, 1, 2), channels_first)]",
        functional([(2, 3, 4, 2)], each(new_layer("UpSampling3D"), new_layer("UpSampling3D", (1, 2, 3)),
                                        new_layer("UpSampling3D", (2, 1, 2), **cf))), one_call((2, 2, 3, 4, 2)))

    add("batch_norm_axes", "Input (4, 5, 3) -> [BatchNormalization(axis=1) (channels_first images), "
        "BatchNormalization(axis=2), BatchNormalization(axis=-1), BatchNormalization(axis=3, center=False, epsilon=0.01)]",
        functional([(4, 5, 3)], each(new_layer("BatchNormalization", axis=1), new_layer("BatchNormalization", axis=2),
                                     new_layer("BatchNormalization", axis=-1),
                                     new_layer("BatchNormalization", axis=3, center=False, epsilon=0.01))),
        one_call((2, 4, 5, 3)))
    add("batch_norm_rank5", "Input (3, 2, 4, 5) -> [BatchNormalization(axis=1), BatchNormalization(axis=-2, scale=False), "
        "BatchNormalization(axis=-1)]",
        functional([(3, 2, 4, 5)], each(new_layer("BatchNormalization", axis=1),
                                        new_layer("BatchNormalization", axis=-2, scale=False),
                                        new_layer("BatchNormalization", axis=-1))), one_call((2, 3, 2, 4, 5)))

    f64 = dict(dtype="float64")

    def pooling2d_f64(L, xs):
        x = L.ZeroPadding2D(((1, 0), (0, 1)), **f64)(xs[0])
        x = L.MaxPooling2D(2, strides=1, padding="same", **f64)(x)
        x = L.AveragePooling2D((3, 2), strides=2, padding="same", **f64)(x)
        x = L.BatchNormalization(axis=1, **f64)(x)
        x = L.UpSampling2D(2, interpolation="bilinear", **f64)(x)
        x = L.UpSampling2D((1, 2), **f64)(x)
        x = L.Cropping2D(1, **f64)(x)
        return [x, L.GlobalAveragePooling2D(**f64)(x), L.GlobalMaxPooling2D(keepdims=True, **f64)(x)]

    def pooling3d_f64(L, xs):
        x = L.ZeroPadding3D(1, **f64)(xs[0])
        # TensorFlow's MaxPool3D and AvgPool3D have no float64 kernel, so the 3-D poolings (adaptive
        # too) can't run in a float64 Keras model; Float64Tests runs their float32 fixtures in Double.
        x = L.BatchNormalization(axis=-1, **f64)(x)
        x = L.UpSampling3D((1, 2, 1), **f64)(x)
        x = L.Cropping3D(((0, 1), (1, 0), (0, 0)), **f64)(x)
        return [x, L.GlobalAveragePooling3D(**f64)(x), L.GlobalMaxPooling3D(**f64)(x)]

    def adaptive_f64(L, xs):
        if not hasattr(L, "AdaptiveAveragePooling1D"):
            raise Skip("keras.layers has no adaptive pooling in this writer")
        return [L.AdaptiveAveragePooling1D(4, **f64)(xs[0]), L.AdaptiveMaxPooling1D(4, **f64)(xs[0]),
                L.AdaptiveAveragePooling2D((4, 3), **f64)(xs[1]), L.AdaptiveMaxPooling2D((3, 5), **f64)(xs[1])]

    add("pooling2d_float64", "float64 Functional: Input (7, 6, 3) -> ZeroPadding2D(((1, 0), (0, 1))) -> "
        "MaxPooling2D(2, strides 1, 'same') -> AveragePooling2D((3, 2), strides 2, 'same') -> BatchNormalization(axis=1) -> "
        "UpSampling2D(2, 'bilinear') -> UpSampling2D((1, 2)) -> Cropping2D(1) -> [x, GlobalAveragePooling2D, "
        "GlobalMaxPooling2D(keepdims)] (atol 1e-9)",
        functional([(7, 6, 3)], pooling2d_f64, dtype="float64"), f64_call((2, 7, 6, 3), scale=1.5), dtype="float64")
    add("pooling3d_float64", "float64 Functional: Input (4, 5, 3, 2) -> ZeroPadding3D(1) -> BatchNormalization -> UpSampling3D((1, 2, 1)) -> "
        "Cropping3D(((0, 1), (1, 0), (0, 0))) -> [x, GlobalAveragePooling3D, GlobalMaxPooling3D] (atol 1e-9)",
        functional([(4, 5, 3, 2)], pooling3d_f64, dtype="float64"), f64_call((2, 4, 5, 3, 2), scale=1.5), dtype="float64")
    add("adaptive_pooling_float64", "float64 Functional: inputs (9, 3), (9, 7, 3) -> Adaptive{Average,Max}"
        "Pooling1D(4), 2D((4, 3)/(3, 5)) (Keras 3 only; no 3-D: TensorFlow's 3-D pooling has no float64 kernel; atol 1e-9)",
        functional([(9, 3), (9, 7, 3)], adaptive_f64, dtype="float64"),
        f64_call((2, 9, 3), (2, 9, 7, 3), scale=1.5), dtype="float64")
    # ==================================================================
    # END pool-shape
    # ==================================================================
    # ==================================================================
    # BEGIN convlstm: ConvLSTM1D/2D/3D with the recurrent options (return_sequences, return_state,
    # go_backwards, stateful, initial_state), padding, strides, dilation, channels_first,
    # hard_sigmoid (differs by writer), float64.  Batch 2, T 4, small images.  No masked
    # fixture: Masking makes a per-pixel (batch, time, rows, cols) mask that Keras's ConvLSTM
    # can't apply (both writers fail), and no built-in layer hands a ConvLSTM a (batch, time) mask.
    # ==================================================================
    def conv_lstm(cls, *args, **kw):
        return lambda L: getattr(L, cls)(*args, **kw)

    add("convlstm2d_seq", "Input (4, 6, 5, 3) -> ConvLSTM2D(3, 3, padding='same', return_sequences=True, "
        "recurrent_activation='sigmoid' (tf-keras defaults to hard_sigmoid), dropout=0.3, recurrent_dropout=0.2) "
        "(inference: no dropout)",
        functional([(4, 6, 5, 3)], each(conv_lstm("ConvLSTM2D", 3, 3, padding="same", return_sequences=True,
                                                  recurrent_activation="sigmoid", dropout=0.3, recurrent_dropout=0.2))),
        one_call((2, 4, 6, 5, 3)))
    add("convlstm2d_last", "Input (4, 6, 5, 3) -> [ConvLSTM2D(4, (3, 2)) valid, return_sequences=False; "
        "ConvLSTM2D(2, 2, use_bias=False, unit_forget_bias=False, activation='relu')]",
        functional([(4, 6, 5, 3)], each(conv_lstm("ConvLSTM2D", 4, (3, 2)),
                                        conv_lstm("ConvLSTM2D", 2, 2, use_bias=False, unit_forget_bias=False,
                                                  activation="relu"))), one_call((2, 4, 6, 5, 3)))
    add("convlstm2d_state", "Input (4, 7, 5, 3) -> ConvLSTM2D(3, 3, strides=2, padding='same', return_sequences=True, "
        "return_state=True) -> [y, h, c]; and ConvLSTM2D(2, (2, 3), strides=(2, 1), return_state=True) valid -> [y, h, c]",
        functional([(4, 7, 5, 3)], lambda L, xs: list(L.ConvLSTM2D(3, 3, strides=2, padding="same", return_sequences=True,
                                                                   return_state=True)(xs[0]))
                   + list(L.ConvLSTM2D(2, (2, 3), strides=(2, 1), return_state=True)(xs[0]))),
        one_call((2, 4, 7, 5, 3)))
    add("convlstm2d_backwards", "Input (4, 6, 5, 3) -> [ConvLSTM2D(3, 2, dilation_rate=2, go_backwards=True, "
        "return_sequences=True, return_state=True) -> [y, h, c]; ConvLSTM2D(2, 3, padding='same', go_backwards=True)]",
        functional([(4, 6, 5, 3)], lambda L, xs: list(L.ConvLSTM2D(3, 2, dilation_rate=2, go_backwards=True,
                                                                   return_sequences=True, return_state=True)(xs[0]))
                   + [L.ConvLSTM2D(2, 3, padding="same", go_backwards=True)(xs[0])]),
        one_call((2, 4, 6, 5, 3)))
    add("convlstm2d_channels_first", "Input (4, 3, 6, 5) -> [ConvLSTM2D(3, 3, padding='same', channels_first, "
        "return_sequences=True, return_state=True) -> [y, h, c]; ConvLSTM2D(2, (2, 3), strides=2, channels_first)]",
        functional([(4, 3, 6, 5)], lambda L, xs: list(L.ConvLSTM2D(3, 3, padding="same", data_format="channels_first",
                                                                   return_sequences=True, return_state=True)(xs[0]))
                   + [L.ConvLSTM2D(2, (2, 3), strides=2, data_format="channels_first")(xs[0])]),
        one_call((2, 4, 3, 6, 5)))

    def build_convlstm_initial_state(keras):
        L = keras.layers
        seq = keras.Input(shape=(4, 6, 5, 3))
        h0, c0 = keras.Input(shape=(6, 5, 2)), keras.Input(shape=(6, 5, 2))
        seq_cf = keras.Input(shape=(4, 3, 6, 5))
        h0_cf, c0_cf = keras.Input(shape=(2, 6, 5)), keras.Input(shape=(2, 6, 5))
        y = L.ConvLSTM2D(2, 3, padding="same", return_sequences=True)(seq, initial_state=[h0, c0])
        y_cf = L.ConvLSTM2D(2, 3, padding="same", data_format="channels_first")(seq_cf, initial_state=[h0_cf, c0_cf])
        return keras.Model([seq, h0, c0, seq_cf, h0_cf, c0_cf], [y, y_cf])

    add("convlstm2d_initial_state", "Functional inputs [seq (4, 6, 5, 3), h0, c0 (6, 5, 2), seq_cf (4, 3, 6, 5), "
        "h0_cf, c0_cf (2, 6, 5)]: ConvLSTM2D(2, 3, 'same', seq)(seq, initial_state=[h0, c0]) and the channels_first "
        "one (last output)", build_convlstm_initial_state,
        multi_call((2, 4, 6, 5, 3), (2, 6, 5, 2), (2, 6, 5, 2), (2, 4, 3, 6, 5), (2, 2, 6, 5), (2, 2, 6, 5)))

    def build_convlstm_stateful(keras):
        return keras.Sequential([keras.Input(shape=(3, 6, 5, 2), batch_size=2),
                                 keras.layers.ConvLSTM2D(2, 3, padding="same", stateful=True, return_sequences=True)])

    def convlstm_stateful_calls(rng):
        x1, x2 = normal(rng, 2, 3, 6, 5, 2), normal(rng, 2, 3, 6, 5, 2)
        return [{"inputs": [x1], "reset": False}, {"inputs": [x2], "reset": False}, {"inputs": [x1], "reset": True}]

    add("convlstm2d_stateful", "Stateful ConvLSTM2D(2, 3, 'same', return_sequences=True), batch size 2; calls: "
        "predict(x1), predict(x2) with carried state, reset_states, predict(x1)", build_convlstm_stateful,
        convlstm_stateful_calls, stateful=True)
    add("convlstm2d_hard_sigmoid", "Input (4, 6, 5, 3) -> ConvLSTM2D(3, 3, padding='same', recurrent_activation="
        "'hard_sigmoid', return_sequences=True); weights uniform(-1, 1), inputs normal*1.5 (Keras 2: clip(0.2x+0.5), "
        "Keras 3: clip(x/6+0.5))",
        functional([(4, 6, 5, 3)], each(conv_lstm("ConvLSTM2D", 3, 3, padding="same", recurrent_activation="hard_sigmoid",
                                                  return_sequences=True))), one_call((2, 4, 6, 5, 3), scale=1.5), wscale=1.0)
    add("convlstm1d", "Input (4, 9, 3) -> [ConvLSTM1D(3, 3, strides=2, padding='same', return_sequences=True); "
        "ConvLSTM1D(2, 2, dilation_rate=2, go_backwards=True, return_state=True) -> [y, h, c]; "
        "ConvLSTM1D(2, 3, channels_first) on the (4, 9, 3) input read as 9 channels of length 3]",
        functional([(4, 9, 3)], lambda L, xs: [L.ConvLSTM1D(3, 3, strides=2, padding="same", return_sequences=True)(xs[0])]
                   + list(L.ConvLSTM1D(2, 2, dilation_rate=2, go_backwards=True, return_state=True)(xs[0]))
                   + [L.ConvLSTM1D(2, 3, data_format="channels_first")(xs[0])]),
        one_call((2, 4, 9, 3)))
    add("convlstm3d", "Input (3, 4, 5, 3, 2) -> [ConvLSTM3D(2, (2, 3, 2), padding='same', return_sequences=True); "
        "ConvLSTM3D(3, 2, strides=(1, 2, 1)) valid]",
        functional([(3, 4, 5, 3, 2)], each(conv_lstm("ConvLSTM3D", 2, (2, 3, 2), padding="same", return_sequences=True),
                                           conv_lstm("ConvLSTM3D", 3, 2, strides=(1, 2, 1)))),
        one_call((2, 3, 4, 5, 3, 2)))

    def convlstm_masked(L, xs):
        m = L.Masking(0.0)(xs[0])
        seq = L.ConvLSTM2D(2, 3, padding="same", return_sequences=True)(m)
        return ([seq, L.ConvLSTM2D(2, 1, padding="same")(seq)]
                + list(L.ConvLSTM2D(3, (2, 3), padding="same", go_backwards=True, return_state=True)(m))
                + [L.ConvLSTM2D(2, 3, padding="same", return_sequences=True, zero_output_for_mask=True)(m)])

    def convlstm_masked_calls(rng):
        x = normal(rng, 2, 4, 6, 5, 3)
        x[0, 2] = 0.0            # a whole step of sample 0
        x[1, 1, 2:4, 1:3] = 0.0  # some pixels of a step of sample 1
        x[1, 3, 0, 0] = 0.0      # one pixel
        x[0, 3, 5, 4, :2] = 0.0  # partly zero: not masked
        return [{"inputs": [x], "reset": False}]

    add("convlstm2d_masked", "Input (4, 6, 5, 3) -> Masking(0) (a per-pixel (batch, time, 6, 5) mask, which Keras "
        "applies pixel by pixel to the states) -> [ConvLSTM2D(2, 3, 'same', seq) -> ConvLSTM2D(2, 1, 'same') (the mask "
        "passed on); ConvLSTM2D(3, (2, 3), 'same', go_backwards, return_state) -> [y, h, c]; ConvLSTM2D(2, 3, 'same', seq, "
        "zero_output_for_mask=True)]; zeroed steps and pixels",
        functional([(4, 6, 5, 3)], convlstm_masked), convlstm_masked_calls)
    add("convlstm2d_bidirectional", "Input (4, 6, 5, 3) -> [Bidirectional(ConvLSTM2D(2, 3, 'same', seq)) concat; "
        "Bidirectional(ConvLSTM2D(2, (2, 3)), merge_mode='sum')]; Input (4, 3, 6, 5) -> Bidirectional(ConvLSTM2D(2, 3, "
        "'same', channels_first, seq)) concat (Keras concatenates the last axis)",
        functional([(4, 6, 5, 3), (4, 3, 6, 5)], lambda L, xs: [
            L.Bidirectional(L.ConvLSTM2D(2, 3, padding="same", return_sequences=True))(xs[0]),
            L.Bidirectional(L.ConvLSTM2D(2, (2, 3)), merge_mode="sum")(xs[0]),
            L.Bidirectional(L.ConvLSTM2D(2, 3, padding="same", data_format="channels_first", return_sequences=True))(xs[1])]),
        multi_call((2, 4, 6, 5, 3), (2, 4, 3, 6, 5)))

    def convlstm_f64(L, xs):
        f = dict(dtype="float64")
        return [L.ConvLSTM2D(3, 3, padding="same", return_sequences=True, **f)(xs[0]),
                L.ConvLSTM1D(2, 3, go_backwards=True, **f)(xs[1]),
                L.ConvLSTM3D(2, 2, padding="same", **f)(xs[2])]

    add("convlstm_float64", "float64 Functional: inputs (4, 6, 5, 3), (4, 7, 3), (3, 4, 3, 3, 2) -> "
        "ConvLSTM2D(3, 3, 'same', seq), ConvLSTM1D(2, 3, go_backwards), ConvLSTM3D(2, 2, 'same'), dtype float64 (atol 1e-9)",
        functional([(4, 6, 5, 3), (4, 7, 3), (3, 4, 3, 3, 2)], convlstm_f64, dtype="float64"),
        f64_call((2, 4, 6, 5, 3), (2, 4, 7, 3), (2, 3, 4, 3, 3, 2)), dtype="float64")
    # ==================================================================
    # END convlstm
    # ==================================================================

    # ==================================================================
    # BEGIN resize: Resizing (every interpolation each writer has, antialias, crop/pad to aspect
    # ratio, channels_first), CenterCrop larger/smaller than the input, Flatten/Reshape/Permute
    # on rank 4-5, merge broadcasting as squeeze-and-excitation blocks use it.  Batch 2.
    # ==================================================================
    def resizes(interpolation, **kw):
        return [new_layer("Resizing", 11, 8, interpolation=interpolation, **kw),
                new_layer("Resizing", 4, 3, interpolation=interpolation, **kw),
                new_layer("Resizing", 5, 9, interpolation=interpolation, **kw),
                new_layer("Resizing", 7, 5, interpolation=interpolation, **kw)]

    interpolations = ["bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5"]
    if writer != "keras3":
        interpolations += ["gaussian", "mitchellcubic"]
    for interpolation in interpolations:
        add("resizing_%s" % interpolation, "Input (7, 5, 3) -> Resizing(11, 8 / 4, 3 / 5, 9 / 7, 5 (same size), "
            "interpolation=%r): up, down, mixed and unchanged" % interpolation,
            functional([(7, 5, 3)], each(*resizes(interpolation))), one_call((2, 7, 5, 3)))
    if writer == "keras3":
        for interpolation in ("bilinear", "bicubic", "lanczos3", "lanczos5", "nearest", "area"):
            add("resizing_%s_antialias" % interpolation, "Input (7, 5, 3) -> Resizing(11, 8 / 4, 3 / 5, 9 / 7, 5, "
                "interpolation=%r, antialias=True)" % interpolation,
                functional([(7, 5, 3)], each(*resizes(interpolation, antialias=True))), one_call((2, 7, 5, 3)))
        add("resizing_pad_to_aspect_ratio", "Input (7, 4, 2) -> Resizing(pad_to_aspect_ratio=True, fill_value=0.5): "
            "(6, 6) pads the width, (3, 8) pads the height by an odd total, (5, 2) pads the height, (8, 3) bicubic; "
            "channels_first (2, 7, 4) -> (6, 6)",
            functional([(7, 4, 2), (2, 7, 4)], lambda L, xs: [
                L.Resizing(6, 6, pad_to_aspect_ratio=True, fill_value=0.5)(xs[0]),
                L.Resizing(3, 8, pad_to_aspect_ratio=True, fill_value=0.5)(xs[0]),
                L.Resizing(5, 2, pad_to_aspect_ratio=True, fill_value=-1.0, interpolation="nearest")(xs[0]),
                L.Resizing(8, 3, pad_to_aspect_ratio=True, interpolation="bicubic")(xs[0]),
                L.Resizing(6, 6, pad_to_aspect_ratio=True, fill_value=0.5, **cf)(xs[1])]),
            lambda rng: [{"inputs": [normal(rng, 2, 7, 4, 2), normal(rng, 2, 2, 7, 4)], "reset": False}])
        add("resizing_channels_first", "Input (3, 7, 5) -> Resizing(channels_first): (11, 8) bilinear, (4, 3) nearest, "
            "(5, 9) bicubic crop_to_aspect_ratio, (6, 6) area",
            functional([(3, 7, 5)], each(new_layer("Resizing", 11, 8, **cf),
                                         new_layer("Resizing", 4, 3, interpolation="nearest", **cf),
                                         new_layer("Resizing", 5, 9, interpolation="bicubic", crop_to_aspect_ratio=True, **cf),
                                         new_layer("Resizing", 6, 6, interpolation="area", **cf))),
            one_call((2, 3, 7, 5)))
    add("resizing_crop_to_aspect_ratio", "Input (7, 5, 3) -> Resizing(crop_to_aspect_ratio=True): (4, 4) bilinear, "
        "(3, 8) nearest, (9, 2) bicubic, (6, 5) area",
        functional([(7, 5, 3)], each(new_layer("Resizing", 4, 4, crop_to_aspect_ratio=True),
                                     new_layer("Resizing", 3, 8, interpolation="nearest", crop_to_aspect_ratio=True),
                                     new_layer("Resizing", 9, 2, interpolation="bicubic", crop_to_aspect_ratio=True),
                                     new_layer("Resizing", 6, 5, interpolation="area", crop_to_aspect_ratio=True))),
        one_call((2, 7, 5, 3)))
    center = [new_layer("CenterCrop", 4, 3), new_layer("CenterCrop", 7, 6), new_layer("CenterCrop", 9, 4),
              new_layer("CenterCrop", 8, 8), new_layer("CenterCrop", 3, 9)]
    add("center_crop", "Input (7, 6, 3) -> CenterCrop (4, 3) (odd/even margins), (7, 6) (same), (9, 4) and (3, 9) "
        "(one side larger), (8, 8) (both larger): crops, or resizes when the input is smaller",
        functional([(7, 6, 3)], each(*center)), one_call((2, 7, 6, 3)))
    if writer == "keras3":
        add("center_crop_channels_first", "Input (3, 7, 6) -> CenterCrop(channels_first) (4, 3), (9, 4), (8, 8)",
            functional([(3, 7, 6)], each(new_layer("CenterCrop", 4, 3, **cf), new_layer("CenterCrop", 9, 4, **cf),
                                         new_layer("CenterCrop", 8, 8, **cf))),
            one_call((2, 3, 7, 6)))

    def reshaping_any_rank(L, xs):
        x5, x4 = xs
        return [L.Flatten()(x5), L.Flatten(data_format="channels_first")(x5), L.Flatten(data_format="channels_first")(x4),
                L.Reshape((4, -1, 5))(x5), L.Reshape((-1,))(x5), L.Reshape((3, 2, 2, -1))(x4),
                L.Permute((3, 1, 4, 2))(x5), L.Permute((2, 1, 3))(x4), L.Permute((3, 2, 1))(x4)]

    add("reshaping_any_rank", "Inputs (2, 3, 4, 5), (3, 4, 5) -> Flatten, Flatten(channels_first) on rank 5 and 4, "
        "Reshape((4, -1, 5)), Reshape((-1,)), Reshape((3, 2, 2, -1)), Permute((3, 1, 4, 2)), Permute((2, 1, 3)), "
        "Permute((3, 2, 1))",
        functional([(2, 3, 4, 5), (3, 4, 5)], reshaping_any_rank),
        lambda rng: [{"inputs": [normal(rng, 2, 2, 3, 4, 5), normal(rng, 2, 3, 4, 5)], "reset": False}])

    def se_block(L, xs):
        x = L.Conv2D(6, 3, padding="same", activation="relu")(xs[0])
        s = L.GlobalAveragePooling2D(keepdims=True)(x)
        s = L.Dense(2, activation="relu")(s)
        s = L.Dense(6, activation="sigmoid")(s)
        scaled = L.Multiply()([x, s])
        t = L.Conv2D(6, 1, activation="sigmoid")(L.GlobalAveragePooling2D(keepdims=True)(x))
        return [L.Add()([scaled, L.Multiply()([t, x])]), L.Add()([x, L.GlobalMaxPooling2D(keepdims=True)(x)]),
                L.Multiply()([L.Reshape((1, 1, 6))(L.GlobalAveragePooling2D()(x)), x, s])]

    add("se_block", "Input (5, 4, 3) -> Conv2D(6, 3, same, relu) = x; squeeze-and-excitation: "
        "GlobalAveragePooling2D(keepdims) -> Dense(2, relu) -> Dense(6, sigmoid) = s (B, 1, 1, 6); Multiply([x, s]); "
        "Conv2D(6, 1) on the pooled x, Multiply([t, x]); Add of the two; Add([x, GlobalMaxPooling2D(keepdims)]); "
        "Multiply of three (Reshape((1, 1, 6)) of the pooled x, x, s)",
        functional([(5, 4, 3)], se_block), one_call((2, 5, 4, 3)))

    def resize_f64(L, xs):
        x = L.Resizing(9, 7, interpolation="nearest", **f64)(xs[0])
        y = L.Resizing(4, 6, **f64)(xs[0])
        z = L.CenterCrop(5, 3, **f64)(x)
        # Keras 3's CenterCrop returns its resize's float32 when it resizes: Rescaling(1) casts back.
        w = L.Rescaling(1.0, **f64)(L.CenterCrop(8, 8, **f64)(xs[0]))
        s = L.GlobalAveragePooling2D(keepdims=True, **f64)(z)
        se = L.Multiply(**f64)([z, L.Dense(2, activation="sigmoid", **f64)(s)])
        # The SE product first: the float64 tests compare the first output, which float32 arithmetic must miss.
        return [se, x, y, z, w, L.Flatten(data_format="channels_first", **f64)(se),
                L.Permute((3, 1, 2), **f64)(y), L.Reshape((-1, 3), **f64)(L.Add(**f64)([y, L.Dense(1, **f64)(y)]))]

    add("resize_float64", "float64 Functional: Input (6, 5, 2) -> Resizing(9, 7, nearest) -> CenterCrop(5, 3) -> SE "
        "Multiply with Dense(2, sigmoid) of GlobalAveragePooling2D(keepdims) -> Flatten(channels_first); "
        "Resizing(4, 6) bilinear -> Permute((3, 1, 2)), Add with Dense(1) -> Reshape((-1, 3)); CenterCrop(8, 8) "
        "resizes -> Rescaling(1) (atol 1e-9)",
        functional([(6, 5, 2)], resize_f64, dtype="float64"), f64_call((2, 6, 5, 2), scale=1.5), dtype="float64")
    # ==================================================================
    # END resize
    # ==================================================================

    # ==================================================================
    # BEGIN norm: Normalization (adapted, inverted, statistics in the config), GroupNormalization,
    # RMSNormalization, LayerNormalization over several axes; a float64 model using them.
    # Input (5, 4, 6), batch 2.  Adapted statistics come from seeded data and are kept as adapt()
    # leaves them (redraw_weights skips ADAPTED_CLASSES).
    # ==================================================================
    def adapted(data_shape, seed, constant_channel=False, **kw):
        """maker(L) -> L.Normalization(**kw) adapted to seeded data (mean 0.5, std 2; with
        constant_channel the last channel is constant, so its variance is 0 and the floor acts)."""
        def make(L):
            data = np.random.default_rng(seed).standard_normal((16,) + data_shape) * 2.0 + 0.5
            if constant_channel:
                data[..., -1] = 3.0
            layer = L.Normalization(**kw)
            layer.adapt(data.astype(kw.get("dtype", "float32")))
            return layer
        return make

    def keras3_layer(cls, *args, **kw):
        """maker(L) -> L.<cls>(*args, **kw); Skip in tf-keras (Keras 3 arguments or classes)."""
        def make(L):
            if not hasattr(L, "RMSNormalization"):  # a Keras 3 writer
                raise Skip("%s(%s) is Keras 3 only" % (cls, kw))
            return getattr(L, cls)(*args, **kw)
        return make

    norm_shape = (5, 4, 6)
    add("normalization_adapted", "Input (5, 4, 6) -> [Normalization(axis=-1), Normalization(axis=(1, 2)), "
        "Normalization(axis=None), Normalization(axis=(1, 3))], each adapted to seeded data (mean, variance, int64 count)",
        functional([norm_shape], each(adapted(norm_shape, 1), adapted(norm_shape, 2, axis=(1, 2)),
                                      adapted(norm_shape, 3, axis=None), adapted(norm_shape, 4, axis=(1, 3)))),
        one_call((2,) + norm_shape, scale=2.0))
    add("normalization_invert", "Input (5, 4, 6) -> [Normalization(axis=-1, invert=True) adapted with a constant "
        "channel (variance 0: the epsilon floor), Normalization(axis=[-3, -1], invert=True) adapted]",
        functional([norm_shape], each(adapted(norm_shape, 5, constant_channel=True, invert=True),
                                      adapted(norm_shape, 6, axis=[-3, -1], invert=True))),
        one_call((2,) + norm_shape))
    add("normalization_config_stats", "Input (5, 4, 6) -> [Normalization(mean=6 values, variance=6 values), "
        "Normalization(axis=(1, 2), mean=(4,) values, variance=(4,) values), Normalization(axis=(1, 2), mean (5, 1), "
        "variance (5, 1), invert=True), Normalization(axis=None, mean=0.25, variance=4.0)] (no weights)",
        functional([norm_shape], each(
            lambda L: L.Normalization(mean=[0.5, -1.0, 0.0, 2.0, 0.25, -0.125], variance=[1.0, 4.0, 0.25, 9.0, 2.0, 0.5]),
            lambda L: L.Normalization(axis=(1, 2), mean=[0.1, -0.2, 0.3, -0.4], variance=[0.5, 1.5, 2.5, 3.5]),
            lambda L: L.Normalization(axis=(1, 2), mean=[[0.5], [-0.5], [1.0], [0.0], [2.0]],
                                      variance=[[1.0], [2.0], [0.5], [4.0], [0.25]], invert=True),
            lambda L: L.Normalization(axis=None, mean=0.25, variance=4.0))),
        one_call((2,) + norm_shape))
    add("group_norm", "Input (6, 5, 4) -> [GroupNormalization(groups=1), (groups=2), (groups=4), (groups=-1), "
        "(groups=3, axis=1) (channels_first), (groups=2, axis=-1, center=False, epsilon=0.01), (groups=6, axis=1, "
        "scale=False)]",
        functional([(6, 5, 4)], each(new_layer("GroupNormalization", groups=1), new_layer("GroupNormalization", groups=2),
                                     new_layer("GroupNormalization", groups=4), new_layer("GroupNormalization", groups=-1),
                                     new_layer("GroupNormalization", groups=3, axis=1),
                                     new_layer("GroupNormalization", groups=2, center=False, epsilon=0.01),
                                     new_layer("GroupNormalization", groups=6, axis=1, scale=False))),
        one_call((2, 6, 5, 4), scale=1.5))
    add("group_norm_rank3", "Input (7, 6) -> GroupNormalization(groups=3) -> Dense(2)",
        sequential((7, 6), lambda L: [L.GroupNormalization(groups=3), L.Dense(2)]), one_call((2, 7, 6)))
    add("rms_norm", "Input (5, 4, 6) -> [RMSNormalization(), RMSNormalization(axis=[-2, -1], epsilon=1e-3), "
        "RMSNormalization(axis=[1, 2, 3])] (Keras 3 only)",
        functional([norm_shape], each(keras3_layer("RMSNormalization"),
                                      keras3_layer("RMSNormalization", axis=[-2, -1], epsilon=1e-3),
                                      keras3_layer("RMSNormalization", axis=[1, 2, 3]))),
        one_call((2,) + norm_shape))
    add("layer_norm_axes", "Input (5, 4, 6) -> [LayerNormalization(axis=[1, 2, 3]), LayerNormalization(axis=[-2, -1], "
        "center=False), LayerNormalization(axis=[1, 3], epsilon=0.01), LayerNormalization(axis=1, scale=False)]",
        functional([norm_shape], each(new_layer("LayerNormalization", axis=[1, 2, 3]),
                                      new_layer("LayerNormalization", axis=[-2, -1], center=False),
                                      new_layer("LayerNormalization", axis=[1, 3], epsilon=0.01),
                                      new_layer("LayerNormalization", axis=1, scale=False))),
        one_call((2,) + norm_shape))
    add("layer_norm_rms_scaling", "Input (5, 4, 6) -> [LayerNormalization(rms_scaling=True), LayerNormalization(axis=[-2, -1], "
        "rms_scaling=True, epsilon=0.01)] (Keras 3's deprecated argument: gamma only)",
        functional([norm_shape], each(keras3_layer("LayerNormalization", rms_scaling=True),
                                      keras3_layer("LayerNormalization", axis=[-2, -1], rms_scaling=True, epsilon=0.01))),
        one_call((2,) + norm_shape))

    def norm_f64(L, xs):
        x = adapted(norm_shape, 7, axis=(1, 3), dtype="float64")(L)(xs[0])
        x = L.GroupNormalization(groups=2, **f64)(x)
        x = L.LayerNormalization(axis=[1, 2, 3], **f64)(x)
        outputs = [x, L.Normalization(axis=(1, 2), mean=[0.1, -0.2, 0.3, -0.4], variance=[0.5, 1.5, 2.5, 3.5],
                                      invert=True, **f64)(x),
                   L.GroupNormalization(groups=5, axis=1, **f64)(x)]
        if hasattr(L, "RMSNormalization"):
            outputs.append(L.RMSNormalization(axis=[-2, -1], **f64)(x))
        return outputs

    add("norm_float64", "float64 Functional: Input (5, 4, 6) -> Normalization(axis=(1, 3)) adapted -> "
        "GroupNormalization(2) -> LayerNormalization([1, 2, 3]) -> [x, Normalization(axis=(1, 2), config mean/variance, "
        "invert), GroupNormalization(5, axis=1), RMSNormalization([-2, -1]) (Keras 3)] (atol 1e-9)",
        functional([norm_shape], norm_f64, dtype="float64"), f64_call((2,) + norm_shape, scale=1.5), dtype="float64")
    # ==================================================================
    # END norm
    # ==================================================================

    # ==================================================================
    # BEGIN attention: Attention (dot/concat, use_scale, causal, scores, masks, key) and
    # AdditiveAttention; an LSTM encoder-decoder with Attention over the encoder states.
    # Query (4, 3), value/key (5, 3) unless noted; batch 3, masks batch 4.
    # ==================================================================
    ATT_Q, ATT_V = (4, 3), (5, 3)

    def att_model(input_specs, make_outputs, dtype=None):
        """A Functional model: inputs (shape, dtype or None, name); outputs make_outputs(L, inputs)."""
        def build(keras):
            inputs = [keras.Input(shape=s, dtype=d or dtype, name=n) for s, d, n in input_specs]
            return keras.Model(inputs, make_outputs(keras.layers, inputs))
        return build

    def np_attention(model, layer, q, v, k=None, qmask=None, vmask=None, causal=False):
        """The layer's call in numpy (float64 but the padding subtraction, done in the layer's dtype
        as Keras does): scores, padding, softmax, combination, query mask. (output, weights)."""
        lay = model.get_layer(layer)
        cfg = lay.get_config()
        ws = [np.asarray(w, np.float64) for w in lay.get_weights()]
        dt = np.float64 if "float64" in str(lay.compute_dtype) else np.float32
        k = v if k is None else k
        if lay.__class__.__name__ == "AdditiveAttention":
            t = np.tanh(q[:, :, None, :] + k[:, None, :, :])
            s = (t * (ws[0] if cfg.get("use_scale", True) else 1.0)).sum(-1)
        elif cfg.get("score_mode", "dot") == "dot":
            s = q @ k.transpose(0, 2, 1)
            if cfg["use_scale"]:
                s = s * ws[0]
        else:
            z = q[:, :, None, :] + k[:, None, :, :]
            if cfg["use_scale"]:
                z = ws[0] * z
            s = ws[-1] * np.tanh(z).sum(-1)
        keep = np.ones(s.shape, bool)
        if vmask is not None:
            keep &= np.asarray(vmask, bool)[:, None, :]
        if causal:
            keep &= np.tril(np.ones(s.shape[1:], bool))[None]
        s = np.where(keep, s, (s.astype(dt) - dt(1e9)).astype(np.float64))
        w = np_softmax(s, -1)
        out = w @ v
        if qmask is not None:
            out = out * np.asarray(qmask, np.float64)[..., None]
        return out, w

    def att_calls(*shapes, batch=3):
        return lambda rng: [{"inputs": [normal(rng, batch, *s) for s in shapes], "reset": False}]

    # Each option alone.
    add("attention_dot", "Functional q (4, 3), v (5, 3) -> Attention()([q, v]) (dot scores, no weights)",
        att_model([(ATT_Q, None, "q"), (ATT_V, None, "v")], lambda L, xs: L.Attention(name="att")(xs)),
        att_calls(ATT_Q, ATT_V), check=compare_reference(lambda m, xs: [np_attention(m, "att", *xs)[0]]))
    add("attention_scale", "Functional q (4, 3), v (5, 3) -> Attention(use_scale=True, dropout=0.3)([q, v]) "
        "(scalar scale redrawn; dropout identity at inference)",
        att_model([(ATT_Q, None, "q"), (ATT_V, None, "v")],
                  lambda L, xs: L.Attention(use_scale=True, dropout=0.3, name="att")(xs)),
        att_calls(ATT_Q, ATT_V), wscale=2.0, check=compare_reference(lambda m, xs: [np_attention(m, "att", *xs)[0]]))
    add("attention_concat", "Functional q (4, 3), v (5, 3) -> [Attention(score_mode='concat'), "
        "Attention(score_mode='concat', use_scale=True)] on [q, v] (weights concat_score_weight, scale redrawn)",
        att_model([(ATT_Q, None, "q"), (ATT_V, None, "v")],
                  lambda L, xs: [L.Attention(score_mode="concat", name="att")(xs),
                                 L.Attention(score_mode="concat", use_scale=True, name="att_scaled")(xs)]),
        att_calls(ATT_Q, ATT_V), wscale=2.0,
        check=compare_reference(lambda m, xs: [np_attention(m, "att", *xs)[0], np_attention(m, "att_scaled", *xs)[0]]))
    add("attention_causal", "Functional q (4, 3), v (5, 3), x (5, 3) -> [Attention()([q, v], use_causal_mask=True), "
        "Attention(use_scale=True)([x, x], use_causal_mask=True) (self-attention)]",
        att_model([(ATT_Q, None, "q"), (ATT_V, None, "v"), (ATT_V, None, "x")],
                  lambda L, xs: [L.Attention(name="att")(xs[:2], use_causal_mask=True),
                                 L.Attention(use_scale=True, name="self_att")([xs[2], xs[2]], use_causal_mask=True)]),
        att_calls(ATT_Q, ATT_V, ATT_V), wscale=1.5,
        check=compare_reference(lambda m, xs: [np_attention(m, "att", xs[0], xs[1], causal=True)[0],
                                               np_attention(m, "self_att", xs[2], xs[2], causal=True)[0]]))
    add("attention_scores", "Functional q (4, 3), v (5, 3) -> Attention(use_scale=True)([q, v], "
        "return_attention_scores=True) -> [output, scores]; AdditiveAttention()([q, v], return_attention_scores=True) "
        "-> [output, scores]",
        att_model([(ATT_Q, None, "q"), (ATT_V, None, "v")],
                  lambda L, xs: list(L.Attention(use_scale=True, name="att")(xs, return_attention_scores=True))
                  + list(L.AdditiveAttention(name="add_att")(xs, return_attention_scores=True))),
        att_calls(ATT_Q, ATT_V), wscale=1.5,
        check=compare_reference(lambda m, xs: list(np_attention(m, "att", *xs)) + list(np_attention(m, "add_att", *xs))))
    add("additive_attention", "Functional q (4, 3), v (5, 3) -> [AdditiveAttention(dropout=0.2) (scale (3,) redrawn), "
        "AdditiveAttention(use_scale=False)] on [q, v]",
        att_model([(ATT_Q, None, "q"), (ATT_V, None, "v")],
                  lambda L, xs: [L.AdditiveAttention(dropout=0.2, name="att")(xs),
                                 L.AdditiveAttention(use_scale=False, name="att_plain")(xs)]),
        att_calls(ATT_Q, ATT_V), wscale=1.5,
        check=compare_reference(lambda m, xs: [np_attention(m, "att", *xs)[0], np_attention(m, "att_plain", *xs)[0]]))
    add("attention_key", "Functional q (4, 3), v (5, 2), k (5, 3), w (5, 3) -> [Attention(use_scale=True)([q, v, k]) "
        "(output (4, 2)), AdditiveAttention()([q, w, k]), Attention(score_mode='concat')([q, v, k])]",
        att_model([(ATT_Q, None, "q"), ((5, 2), None, "v"), (ATT_V, None, "k"), (ATT_V, None, "w")],
                  lambda L, xs: [L.Attention(use_scale=True, name="att")([xs[0], xs[1], xs[2]]),
                                 L.AdditiveAttention(name="add_att")([xs[0], xs[3], xs[2]]),
                                 L.Attention(score_mode="concat", name="concat_att")([xs[0], xs[1], xs[2]])]),
        att_calls(ATT_Q, (5, 2), ATT_V, ATT_V), wscale=1.5,
        check=compare_reference(lambda m, xs: [np_attention(m, "att", xs[0], xs[1], xs[2])[0],
                                               np_attention(m, "add_att", xs[0], xs[3], xs[2])[0],
                                               np_attention(m, "concat_att", xs[0], xs[1], xs[2])[0]]))

    # Explicit masks: bool inputs passed as mask=[query_mask, value_mask].  Batch 4; sample 2's
    # value mask is all False (every score padded: the softmax of equal rounded scores), sample 3
    # keeps everything.
    def att_mask_calls(rng):
        q, v, k = normal(rng, 4, *ATT_Q), normal(rng, 4, *ATT_V), normal(rng, 4, *ATT_V)
        qm = np.ones((4, 4), bool)
        vm = np.ones((4, 5), bool)
        qm[0, [1, 3]] = False
        qm[1, 0] = False
        qm[2, [0, 1, 2]] = False
        vm[0, [0, 4]] = False
        vm[1, [1, 2, 3]] = False
        vm[2, :] = False
        return [{"inputs": [q, v, k, qm, vm], "reset": False}]

    def att_mask_ref(m, xs):
        q, v, k, qm, vm = xs
        return [np_attention(m, "att", q, v, qmask=qm, vmask=vm)[0],
                (np_attention(m, "att", q, v, qmask=qm, vmask=vm)[0] * qm[..., None]).sum(1) / qm.sum(1, keepdims=True),
                np_attention(m, "att_key", q, v, k, qmask=qm, vmask=vm)[0],
                np_attention(m, "add_att", q, v, qmask=qm, vmask=vm, causal=True)[0]]

    def att_explicit_outputs(L, xs):
        q, v, k, qm, vm = xs
        a = L.Attention(name="att")([q, v], mask=[qm, vm])
        return [a, L.GlobalAveragePooling1D(name="pool")(a), L.Attention(use_scale=True, name="att_key")([q, v, k], mask=[qm, vm]),
                L.AdditiveAttention(name="add_att")([q, v], mask=[qm, vm], use_causal_mask=True)]

    add("attention_explicit_mask", "Functional q (4, 3), v (5, 3), k (5, 3), qm (4,) bool, vm (5,) bool -> "
        "a = Attention()([q, v], mask=[qm, vm]); [a, GlobalAveragePooling1D(a) (a carries qm: mean over the True "
        "query steps), Attention(use_scale=True)([q, v, k], mask=[qm, vm]), AdditiveAttention()([q, v], mask=[qm, vm], "
        "use_causal_mask=True)]; batch 4, sample 2's value mask all False, sample 3 all True",
        att_model([(ATT_Q, None, "q"), (ATT_V, None, "v"), (ATT_V, None, "k"), ((4,), "bool", "qm"), ((5,), "bool", "vm")],
                  att_explicit_outputs),
        att_mask_calls, wscale=1.5, check=compare_reference(att_mask_ref))

    # Masks from Embedding(mask_zero=True), one per input, as Keras gathers them.
    def att_token_calls(rng):
        qi = rng.integers(1, 10, size=(4, 4)).astype(np.int32)
        vi = rng.integers(1, 10, size=(4, 5)).astype(np.int32)
        qi[0, 3] = qi[1, 0] = 0
        qi[2, [1, 2]] = 0
        vi[0, [3, 4]] = vi[1, 0] = 0
        vi[2, :] = 0
        return [{"inputs": [qi, vi], "reset": False}]

    def att_embedded(L, xs):
        qe = L.Embedding(10, 3, mask_zero=True, name="q_embed")(xs[0])
        ve = L.Embedding(10, 3, mask_zero=True, name="v_embed")(xs[1])
        a = L.Attention(use_scale=True, name="att")([qe, ve])
        b, scores = L.Attention(name="self_att")([ve, ve], use_causal_mask=True, return_attention_scores=True)
        return [a, L.GlobalAveragePooling1D(name="pool")(a), b, scores]

    def att_embedded_ref(m, xs):
        qi, vi = (np.asarray(x).astype(int) for x in xs)
        qe = np.asarray(m.get_layer("q_embed").get_weights()[0], np.float64)[qi]
        ve = np.asarray(m.get_layer("v_embed").get_weights()[0], np.float64)[vi]
        qm, vm = qi != 0, vi != 0
        a = np_attention(m, "att", qe, ve, qmask=qm, vmask=vm)[0]
        b, scores = np_attention(m, "self_att", ve, ve, qmask=vm, vmask=vm, causal=True)
        return [a, (a * qm[..., None]).sum(1) / qm.sum(1, keepdims=True), b, scores]

    add("attention_embedding_mask", "Functional int q tokens (4,), v tokens (5,) -> Embedding(10, 3, mask_zero=True) each "
        "-> a = Attention(use_scale=True)([qe, ve]) (Keras passes [q_mask, v_mask] from the inputs); b, s = "
        "Attention()([ve, ve], use_causal_mask=True, return_attention_scores=True); [a, GlobalAveragePooling1D(a), b, s]; batch 4, sample 2 has no value tokens",
        att_model([((4,), "int32", "q"), ((5,), "int32", "v")], att_embedded),
        att_token_calls, wscale=1.5, check=compare_reference(att_embedded_ref))

    # Keras 2's deprecated `causal` constructor flag: tf-keras still reads it (but no longer writes
    # it, so the saved config gets it back by hand); Keras 3 refuses it.
    if writer == "keras2":
        def build_causal_flag(keras):
            L = keras.layers
            x = keras.Input(shape=ATT_V, name="x")
            att = L.Attention(causal=True, use_scale=True, name="att")
            written = att.get_config
            att.get_config = lambda: dict(written(), causal=True)
            return keras.Model(x, att([x, x]))

        def causal_flag_check(keras, writer, spec, model, calls, manifest_calls, notes):
            for fmt in ("h5", "keras"):
                entries = saved_layer_entries(os.path.join(FIXTURES, spec["name"], writer, "model." + fmt), fmt)
                assert entries["att"]["config"].get("causal") is True, entries["att"]["config"]

        add("attention_causal_flag", "Functional x (5, 3) -> Attention(causal=True, use_scale=True)([x, x]) "
            "(tf-keras only; the config written with causal=True as Keras 2 wrote it)",
            build_causal_flag, att_calls(ATT_V), wscale=1.5,
            check=checks(compare_reference(lambda m, xs: [np_attention(m, "att", xs[0], xs[0], causal=True)[0]]),
                         causal_flag_check))

    # The encoder-decoder: encoder LSTM (sequences and states), decoder LSTM started from the
    # encoder's states, Attention over the encoder's sequence, Concatenate, Dense softmax.
    def seq2seq(tokens=False, dtype=None):
        def build(keras):
            L = keras.layers
            f = dict(dtype=dtype) if dtype else {}
            if tokens:
                enc_in = keras.Input(shape=(6,), dtype="int32", name="source")
                dec_in = keras.Input(shape=(5,), dtype="int32", name="target")
                enc_x = L.Embedding(12, 4, mask_zero=True, name="source_embed", **f)(enc_in)
                dec_x = L.Embedding(12, 4, mask_zero=True, name="target_embed", **f)(dec_in)
            else:
                enc_in = enc_x = keras.Input(shape=(6, 3), dtype=dtype, name="source")
                dec_in = dec_x = keras.Input(shape=(5, 2), dtype=dtype, name="target")
            enc_seq, h, c = L.LSTM(8, return_sequences=True, return_state=True, name="encoder", **f)(enc_x)
            dec_seq = L.LSTM(8, return_sequences=True, name="decoder", **f)(dec_x, initial_state=[h, c])
            context = L.Attention(use_scale=True, name="attention", **f)([dec_seq, enc_seq])
            merged = L.Concatenate(name="concat", **f)([dec_seq, context])
            return keras.Model([enc_in, dec_in], L.Dense(7, activation="softmax", name="out", **f)(merged))
        return build

    def seq2seq_token_calls(rng):
        src = rng.integers(1, 12, size=(4, 6)).astype(np.int32)
        tgt = rng.integers(1, 12, size=(4, 5)).astype(np.int32)
        src[0, [4, 5]] = 0
        src[1, [0, 1, 2]] = 0
        tgt[0, 4] = 0
        tgt[2, [3, 4]] = 0
        return [{"inputs": [src, tgt], "reset": False}]

    def seq2seq_check(keras, writer, spec, model, calls, manifest_calls, notes):
        # Every layer changes the output: zeroing any layer's weights moves it.
        y = np.load(os.path.join(FIXTURES, manifest_calls[0]["outputs"][0]))
        xs = calls[0]["inputs"]
        moved = []
        for layer in model.layers:
            ws = layer.get_weights()
            if not ws:
                continue
            layer.set_weights([np.zeros_like(w) if w.ndim == 0 or w.size < 2 else w[::-1].copy() for w in ws])
            d = float(np.max(np.abs(np.asarray(model.predict(xs, verbose=0)) - y)))
            layer.set_weights(ws)
            moved.append("%s %.3g" % (layer.name, d))
            assert d > 1e-4, (spec["name"], layer.name, d)
        note(notes, writer, "%s/%s: perturbing each layer's weights moves the output by %s" % (spec["name"], writer, ", ".join(moved)))

    add("attention_seq2seq", "LSTM encoder-decoder: source (6, 3) -> LSTM(8, return_sequences=True, return_state=True) "
        "-> [seq, h, c]; target (5, 2) -> LSTM(8, return_sequences=True)(initial_state=[h, c]) -> dec; "
        "Attention(use_scale=True)([dec, seq]) -> Concatenate([dec, context]) -> Dense(7, softmax)",
        seq2seq(), att_calls((6, 3), (5, 2)), wscale=0.8, check=seq2seq_check)
    add("attention_seq2seq_tokens", "attention_seq2seq on int tokens: source (6,) and target (5,) through "
        "Embedding(12, 4, mask_zero=True) each (the encoder's mask reaches Attention as the value mask, the decoder's "
        "as the query mask, and Concatenate merges it; Keras 3 runs the decoder unmasked, as it fills `mask` only for a "
        "call with one tensor argument and this one also passes initial_state); batch 4 with padded samples",
        seq2seq(tokens=True), seq2seq_token_calls, wscale=0.8, check=seq2seq_check)

    # float64 variants (atol 1e-9).
    def att_f64_outputs(L, xs):
        f = dict(dtype="float64")
        q, v, k = xs
        return ([L.Attention(use_scale=True, name="att", **f)([q, v, k], use_causal_mask=True)]
                + list(L.Attention(score_mode="concat", use_scale=True, name="concat_att", **f)([q, v], return_attention_scores=True))
                + [L.AdditiveAttention(name="add_att", **f)([q, v, k])])

    add("attention_float64", "float64 Functional q (4, 3), v (5, 3), k (5, 3) -> [Attention(use_scale=True)([q, v, k], "
        "use_causal_mask=True), Attention(score_mode='concat', use_scale=True)([q, v], return_attention_scores=True) "
        "(2 outputs), AdditiveAttention()([q, v, k])], every layer dtype float64 (atol 1e-9)",
        att_model([(ATT_Q, None, "q"), (ATT_V, None, "v"), (ATT_V, None, "k")], att_f64_outputs, dtype="float64"),
        f64_call((3,) + ATT_Q, (3,) + ATT_V, (3,) + ATT_V), wscale=1.5, dtype="float64",
        check=compare_reference(lambda m, xs: [np_attention(m, "att", xs[0], xs[1], xs[2], causal=True)[0]]
                                + list(np_attention(m, "concat_att", xs[0], xs[1])) + [np_attention(m, "add_att", *xs)[0]]))
    add("attention_seq2seq_float64", "attention_seq2seq with every layer dtype float64 (atol 1e-9)",
        seq2seq(dtype="float64"), f64_call((3, 6, 3), (3, 5, 2)), wscale=0.8, dtype="float64")
    add("attention_explicit_mask_float64", "attention_explicit_mask's masks on a float64 Attention(use_scale=True) and "
        "AdditiveAttention() with use_causal_mask=True (atol 1e-9)",
        att_model([(ATT_Q, "float64", "q"), (ATT_V, "float64", "v"), ((4,), "bool", "qm"), ((5,), "bool", "vm")],
                  lambda L, xs: [L.Attention(use_scale=True, name="att", dtype="float64")(xs[:2], mask=xs[2:]),
                                 L.AdditiveAttention(name="add_att", dtype="float64")(xs[:2], mask=xs[2:], use_causal_mask=True)]),
        lambda rng: [{"inputs": [c["inputs"][0].astype(np.float64), c["inputs"][1].astype(np.float64)] + c["inputs"][3:],
                      "reset": False} for c in att_mask_calls(rng)],
        wscale=1.5, dtype="float64",
        check=compare_reference(lambda m, xs: [np_attention(m, "att", xs[0], xs[1], qmask=xs[2], vmask=xs[3])[0],
                                               np_attention(m, "add_att", xs[0], xs[1], qmask=xs[2], vmask=xs[3], causal=True)[0]]))
    # ==================================================================
    # END attention
    # ==================================================================
    # BEGIN ops-struct: Keras 3 operation nodes that move values (keras.ops.transpose, reshape,
    # squeeze, expand_dims, concatenate, stack, take, x[key], tile, repeat, flip, roll,
    # broadcast_to) between Dense layers; for tf-keras, which has no keras.ops, the same names
    # hold the TensorFlow functions TFOpLambda/SlicingOpLambda record.  Batch 2.
    # Keras 3 cannot reload its own .h5 of these (it drops the ops' module): see
    # KERAS3_H5_UNRELOADABLE.
    # ==================================================================
    if writer == "keras3":
        def ops_struct_shape(L, xs, f=None):
            from keras import ops
            f = f or {}
            x = L.Dense(6, **f)(xs[0])
            y = L.Dense(6, **f)(xs[0])
            flat = ops.reshape(x, (-1, 6))
            return [L.Dense(3, **f)(ops.transpose(x, axes=[0, 2, 1])),
                    ops.transpose(x),
                    ops.transpose(x, axes=(-3, -1, 1)),
                    L.Dense(2, **f)(ops.reshape(x, (-1, 3, 8))),
                    ops.reshape(L.Dense(2, **f)(flat), (-1, 4, 2)),
                    ops.reshape(x, (2, -1)),
                    ops.squeeze(ops.expand_dims(x, [1, -1]), axis=[1, -1]),
                    ops.squeeze(x[:, :1]),
                    ops.squeeze(ops.expand_dims(x, -1), -1),
                    ops.concatenate([x, y, x], axis=1),
                    ops.concatenate([x, y], axis=-1),
                    ops.concatenate([x, y]),
                    ops.stack([x, y]),
                    ops.stack([x, y, x], axis=1),
                    ops.stack([x, y], axis=-1),
                    ops.broadcast_to(ops.expand_dims(x, 1), (2, 3, 4, 6)),
                    ops.broadcast_to(x[:, :1, :], (3, 2, 5, 6))]

        def ops_struct_index(L, xs, f=None):
            from keras import ops
            f = f or {}
            x = L.Dense(6, **f)(xs[0])
            return [L.Dense(2, **f)(ops.take(x, [0, 2, -1], axis=1)),
                    ops.take(x, [[0, 1], [5, -2]], axis=-1),
                    ops.take(x, [3, 7, -1, 40]),
                    ops.take(x, np.array([1, 3], dtype="int32"), axis=1),
                    ops.take(x, 2, axis=2),
                    x[:, 0],
                    x[:, ::-1, None, ..., 1:5:2],
                    x[..., -1],
                    x[:, -3:, 2:-1],
                    x[:, ::-2],
                    x[1],
                    x[:, 3:0:-1, :],
                    x[None, :, 1],
                    x[:, :, None],
                    x[:, 2:10],
                    x[:, -9:2, ::3],
                    x[:, 1, ..., None],
                    ops.take_along_axis(x, np.array([[[0, 3, -1, 2, 1, -4]] * 3], dtype="int32"), axis=1),
                    ops.take_along_axis(x, np.array([[[5], [0], [-2], [3]]], dtype="int32"), axis=-1),
                    ops.take_along_axis(x, np.array([0, 5, -1, 47], dtype="int32"))]

        def ops_struct_repeat(L, xs, f=None):
            from keras import ops
            f = f or {}
            x = L.Dense(6, **f)(xs[0])
            return [L.Dense(2, **f)(ops.tile(x, [1, 2, 1])),
                    ops.tile(x, 2),
                    ops.tile(x, [2, 1, 1, 2]),
                    ops.repeat(x, 2, axis=1),
                    ops.repeat(x, [1, 2, 0, 3], axis=1),
                    ops.repeat(x, 2),
                    ops.repeat(x, 3, axis=-1),
                    ops.flip(x, axis=1),
                    ops.flip(x),
                    ops.flip(x, axis=[1, 2]),
                    ops.roll(x, 2, axis=1),
                    ops.roll(x, -1),
                    ops.roll(x, [1, -2], axis=[1, 2]),
                    ops.roll(x, [1, 4], axis=[2, -1]),
                    ops.roll(x, 7, axis=0)]

        for name, make, what in (
                ("ops_struct_shape", ops_struct_shape,
                 "transpose (axes [0, 2, 1] -> Dense(3), None, (-3, -1, 1)), reshape ((-1, 3, 8) -> Dense(2); (-1, 6) "
                 "-> Dense(2) -> (-1, 4, 2), batch merged and restored; (2, -1)), squeeze (of expand_dims [1, -1]; "
                 "axis None; -1), concatenate (axis 1 of three, -1, default 0), stack (default 0, 1 of three, -1), "
                 "broadcast_to (2, 3, 4, 6) and (3, 2, 5, 6)"),
                ("ops_struct_index", ops_struct_index,
                 "take ([0, 2, -1] axis 1 -> Dense(2); [[0, 1], [5, -2]] axis -1; flattened [3, 7, -1, 40]; a NumPy "
                 "array; a scalar index), x[key] (x[:, 0], x[:, ::-1, None, ..., 1:5:2], x[..., -1], x[:, -3:, 2:-1], "
                 "x[:, ::-2], x[1], x[:, 3:0:-1, :], x[None, :, 1], x[:, :, None], x[:, 2:10], x[:, -9:2, ::3], "
                 "x[:, 1, ..., None]), take_along_axis (NumPy indices (1, 3, 6) on axis 1, (1, 4, 1) on axis -1, "
                 "(4,) flattened)"),
                ("ops_struct_repeat", ops_struct_repeat,
                 "tile ([1, 2, 1] -> Dense(2), 2, [2, 1, 1, 2]), repeat (2 axis 1, [1, 2, 0, 3] axis 1, 2 flattened, "
                 "3 axis -1), flip (axis 1, None, [1, 2]), roll (2 axis 1, -1 flattened, [1, -2] axes [1, 2], "
                 "[1, 4] on axis 2 twice, 7 on the batch axis)")):
            add(name, "Input (4, 5) -> Dense(6) -> keras.ops " + what, functional([(4, 5)], make), one_call((2, 4, 5)))

        def ops_struct_f64(L, xs):
            f = dict(dtype="float64")
            shape, index, rep = ops_struct_shape(L, xs, f), ops_struct_index(L, xs, f), ops_struct_repeat(L, xs, f)
            return shape[:1] + shape[3:5] + shape[9:10] + shape[12:13] + index[:2] + index[6:8] + rep[:1] + rep[4:5] + rep[9:10] + rep[12:13]

        add("ops_struct_float64", "float64 Functional: Input (4, 5) -> Dense(6) -> the keras.ops of ops_struct_shape, "
            "ops_struct_index and ops_struct_repeat (transpose, reshape, concatenate, stack, take, x[key], tile, repeat, "
            "flip, roll), every layer dtype float64 (atol 1e-9)",
            functional([(4, 5)], ops_struct_f64, dtype="float64"), f64_call((2, 4, 5)), dtype="float64")
    else:
        # tf-keras records the TensorFlow functions as TFOpLambda / SlicingOpLambda layers.
        def tf_struct_shape(L, xs, f=None):
            import tensorflow as tf
            f = f or {}
            x = L.Dense(6, **f)(xs[0])
            y = L.Dense(6, **f)(xs[0])
            return [L.Dense(3, **f)(tf.transpose(x, perm=[0, 2, 1])),
                    tf.transpose(x),
                    L.Dense(2, **f)(tf.reshape(x, (-1, 3, 8))),
                    tf.reshape(L.Dense(2, **f)(tf.reshape(x, [-1, 6])), (-1, 4, 2)),
                    tf.squeeze(tf.expand_dims(x, 1), axis=1),
                    tf.squeeze(tf.expand_dims(x, -1), axis=-1),
                    tf.concat([x, y, x], axis=1),
                    tf.concat([x, y], axis=-1),
                    tf.stack([x, y]),
                    tf.stack([x, y, x], axis=-1)]

        def tf_struct_index(L, xs, f=None):
            import tensorflow as tf
            f = f or {}
            x = L.Dense(6, **f)(xs[0])
            return [L.Dense(2, **f)(tf.gather(x, [0, 2, 3], axis=1)),
                    tf.gather(x, [[0, 1], [5, 2]], axis=-1),
                    tf.gather(x, [1, 0]),
                    x[:, 0],
                    x[:, ::-1, 1:5:2],
                    x[:, :, -1],
                    x[:, -3:, 2:-1],
                    x[1],
                    x[:, 3:0:-1, :],
                    x[:, -9:2, ::3]]

        def tf_struct_repeat(L, xs, f=None):
            import tensorflow as tf
            f = f or {}
            x = L.Dense(6, **f)(xs[0])
            return [L.Dense(2, **f)(tf.tile(x, [1, 2, 1])),
                    tf.tile(x, [2, 1, 3]),
                    tf.repeat(x, 2, axis=1),
                    tf.repeat(x, [1, 2, 0, 3], axis=1),
                    tf.repeat(x, 2),
                    tf.reverse(x, [1]),
                    tf.reverse(x, [0, -1]),
                    tf.roll(x, 2, axis=1),
                    tf.roll(x, [1, -2], axis=[1, 2])]

        for name, make, what in (
                ("ops_struct_shape", tf_struct_shape,
                 "tf.transpose (perm [0, 2, 1] -> Dense(3), None), tf.reshape ((-1, 3, 8) -> Dense(2); [-1, 6] -> Dense(2) "
                 "-> (-1, 4, 2)), tf.squeeze (axis 1, -1) of tf.expand_dims, tf.concat (axis 1 of three, -1), tf.stack "
                 "(default 0, -1 of three)"),
                ("ops_struct_index", tf_struct_index,
                 "tf.gather ([0, 2, 3] axis 1 -> Dense(2), [[0, 1], [5, 2]] axis -1, [1, 0] axis 0), x[key] "
                 "(SlicingOpLambda: x[:, 0], x[:, ::-1, 1:5:2], x[:, :, -1]; tf-keras cannot save `...` nor reload a newaxis, x[:, -3:, 2:-1], x[1], "
                 "x[:, 3:0:-1, :], x[:, -9:2, ::3])"),
                ("ops_struct_repeat", tf_struct_repeat,
                 "tf.tile ([1, 2, 1] -> Dense(2), [2, 1, 3]), tf.repeat (2 axis 1, [1, 2, 0, 3] axis 1, 2 flattened), "
                 "tf.reverse ([1], [0, -1]), tf.roll (2 axis 1, [1, -2] axes [1, 2])")):
            add(name, "Input (4, 5) -> Dense(6) -> TFOpLambda " + what, functional([(4, 5)], make), one_call((2, 4, 5)))

        def tf_struct_f64(L, xs):
            f = dict(dtype="float64")
            shape, index, rep = tf_struct_shape(L, xs, f), tf_struct_index(L, xs, f), tf_struct_repeat(L, xs, f)
            return shape[:1] + shape[2:4] + shape[6:7] + shape[8:9] + index[:1] + index[3:5] + rep[:1] + rep[3:4] + rep[5:6] + rep[8:9]

        add("ops_struct_float64", "float64 Functional: Input (4, 5) -> Dense(6) -> the TensorFlow functions of "
            "ops_struct_shape, ops_struct_index and ops_struct_repeat, every layer dtype float64 (atol 1e-9)",
            functional([(4, 5)], tf_struct_f64, dtype="float64"), f64_call((2, 4, 5)), dtype="float64")
    # ==================================================================
    # END ops-struct
    # ==================================================================

    # --- A model KerasKit cannot run (classes no issue plans yet): the outputs are stored anyway.
    if writer == "keras3":
        add("unsupported_layers", "Input (6, 5, 3) -> AutoContrast(value_range=(-3, 3)) -> Flatten -> "
            "MelSpectrogram(fft_length=32, sequence_stride=16, num_mel_bins=8, sampling_rate=1600) -> Flatten -> Dense(2), "
            "batch 2 (KerasKit must refuse it, naming every unsupported class)",
            sequential((6, 5, 3), lambda L: [L.AutoContrast(value_range=(-3, 3)), L.Flatten(),
                                             L.MelSpectrogram(fft_length=32, sequence_stride=16, num_mel_bins=8,
                                                              sampling_rate=1600), L.Flatten(), L.Dense(2)]),
            one_call((2, 6, 5, 3)), unsupported=["AutoContrast", "MelSpectrogram"])
    else:
        add("unsupported_layers", "Input (6, 3) -> LocallyConnected1D(4, 2) -> ThresholdedReLU(0.25) -> Flatten "
            "-> Dense(2), batch 2 (KerasKit must refuse it, naming every unsupported class)",
            sequential((6, 3), lambda L: [L.LocallyConnected1D(4, 2), L.ThresholdedReLU(0.25),
                                          L.Flatten(), L.Dense(2)]),
            one_call((2, 6, 3)), unsupported=["LocallyConnected1D", "ThresholdedReLU"])
    # ==================================================================
    # BEGIN attention: EinsumDense equations and MultiHeadAttention (self, cross with key,
    # causal, scores, Keras masks with attention_mask, attention axes, gate, sliding window),
    # float32 and float64.  Batch 2-3, short sequences.
    # ==================================================================
    def attention_functional(input_specs, make_outputs, dtype=None):
        """input_specs: list of (shape, dtype or None); outputs = make_outputs(keras, L, inputs)."""
        def build(keras):
            inputs = [keras.Input(shape=shape, dtype=kind or dtype) for shape, kind in input_specs]
            return keras.Model(inputs if len(inputs) > 1 else inputs[0], make_outputs(keras, keras.layers, inputs))
        return build

    def keras3_only(L):
        if not hasattr(L, "RMSNormalization"):
            raise Skip("a Keras 3 argument")

    def einsum_layers(keras, L, xs, dtype=None):
        f = dict(dtype=dtype) if dtype else {}
        x3, x2 = xs[0], xs[1]
        return [
            L.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c", **f)(x2),
            L.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d", activation="relu", **f)(x3),
            L.EinsumDense("...b,bc->...c", output_shape=2, **f)(x3),
            L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de", **f)(x3),
            L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="e", **f)(x3),
            L.EinsumDense("abc,cd->adb", output_shape=(3, None), bias_axes="d", **f)(x3),
            L.EinsumDense("abc,bcd->abd", output_shape=(5, 2), bias_axes="bd", **f)(x3),
            L.EinsumDense("abc,cd->ad", output_shape=(3,), bias_axes="d", activation="tanh", **f)(x3),
            L.EinsumDense("ab...,bc->ac...", output_shape=(2,), bias_axes="c", **f)(x3),
        ]

    add("einsum_dense", "Inputs x3 (5, 4), x2 (6,) -> EinsumDense: ab,bc->ac (bias c); abc,cd->abd (bias d, relu); "
        "...b,bc->...c; abc,cde->abde (bias de); abc,cde->abde (bias e); abc,cd->adb (bias d, permuted output); "
        "abc,bcd->abd (bias bd, a label shared by input, kernel and output); abc,cd->ad (b summed, tanh); "
        "ab...,bc->ac... (right ellipsis)",
        attention_functional([((5, 4), None), ((6,), None)], einsum_layers), lambda rng: [
            {"inputs": [normal(rng, 3, 5, 4), normal(rng, 3, 6)], "reset": False}])
    add("einsum_dense_float64", "einsum_dense in float64 (atol 1e-9)",
        attention_functional([((5, 4), None), ((6,), None)], lambda k, L, xs: einsum_layers(k, L, xs, "float64"), dtype="float64"),
        lambda rng: [{"inputs": [rng.standard_normal((3, 5, 4)), rng.standard_normal((3, 6))], "reset": False}],
        dtype="float64")

    def mha(L, *args, **kw):
        return L.MultiHeadAttention(*args, **kw)

    add("mha_self", "Input (6, 8) -> MultiHeadAttention(2, 4)(x, x) -> Dense(3)",
        attention_functional([((6, 8), None)], lambda k, L, xs: L.Dense(3)(mha(L, 2, 4)(xs[0], xs[0]))),
        one_call((2, 6, 8)))
    add("mha_cross_key", "q (5, 8), v (7, 6), k (7, 4) -> MultiHeadAttention(3, 4, value_dim=5, output_shape=6)"
        "(query=q, value=v, key=k) -> Dense(2)",
        attention_functional([((5, 8), None), ((7, 6), None), ((7, 4), None)],
                             lambda k, L, xs: L.Dense(2)(mha(L, 3, 4, value_dim=5, output_shape=6)(query=xs[0], value=xs[1], key=xs[2]))),
        lambda rng: [{"inputs": [normal(rng, 2, 5, 8), normal(rng, 2, 7, 6), normal(rng, 2, 7, 4)], "reset": False}])
    add("mha_causal", "Input (6, 8) -> MultiHeadAttention(2, 4, use_bias=False, output_shape=(2, 3))(x, x, "
        "use_causal_mask=True) -> Reshape((6, 6))",
        attention_functional([((6, 8), None)], lambda k, L, xs: L.Reshape((6, 6))(
            mha(L, 2, 4, use_bias=False, output_shape=(2, 3))(xs[0], xs[0], use_causal_mask=True))),
        one_call((2, 6, 8)))
    add("mha_scores", "q (5, 8), v (6, 8) -> MultiHeadAttention(2, 3, dropout=0.2)(q, v, return_attention_scores=True, "
        "use_causal_mask=True) -> [output, scores]",
        attention_functional([((5, 8), None), ((6, 8), None)], lambda k, L, xs: list(
            mha(L, 2, 3, dropout=0.2)(xs[0], xs[1], return_attention_scores=True, use_causal_mask=True))),
        lambda rng: [{"inputs": [normal(rng, 2, 5, 8), normal(rng, 2, 6, 8)], "reset": False}])

    def token_calls(shapes, vocab=12, extra=()):
        def calls(rng):
            tokens = [rng.integers(1, vocab, s) for s in shapes]
            for t in tokens:
                t[0, -2:] = 0  # padding at the end of the first sample
                t[-1, :] = 0   # a sample that is all padding
                t[-1, 0] = 3
            out = [{"inputs": tokens + [e(rng) for e in extra], "reset": False}]
            return out
        return calls

    def mha_masked(scores):
        def make(keras, L, xs):
            e = L.Embedding(12, 8, mask_zero=True)(xs[0])
            d = L.Embedding(12, 8, mask_zero=True)(xs[1])
            layer = mha(L, 2, 4)
            if scores:
                out, s = layer(e, d, attention_mask=xs[2], return_attention_scores=True)
                return [out, s]
            # A second embedding of the query tokens: Keras 3's MultiHeadAttention deletes the
            # Keras masks of the tensors it reads, so sharing `e` would make the result depend on
            # which attention Keras runs first.
            e2 = L.Embedding(12, 8, mask_zero=True)(xs[0])
            return [layer(e, d, attention_mask=xs[2]), mha(L, 2, 4)(e2, e2, use_causal_mask=True)]
        return make

    def attention_mask(rng):
        return (rng.uniform(size=(3, 5, 6)) > 0.3).astype(np.float32)

    add("mha_masked", "tokens q (5,), v (6,) -> Embedding(12, 8, mask_zero=True) each -> MultiHeadAttention(2, 4)"
        "(e_q, e_v, attention_mask=m (5, 6)); Embedding of q again -> MultiHeadAttention(2, 4)(e2, e2, use_causal_mask=True); padded and "
        "all-padding samples (Keras masks and attention_mask and-ed; fully masked rows)",
        attention_functional([((5,), "int32"), ((6,), "int32"), ((5, 6), None)], mha_masked(False)),
        token_calls([(3, 5), (3, 6)], extra=(attention_mask,)))
    add("mha_masked_scores", "mha_masked's first attention with return_attention_scores=True (Keras 3's explicit path: "
        "masked places zeroed)",
        attention_functional([((5,), "int32"), ((6,), "int32"), ((5, 6), None)], mha_masked(True)),
        token_calls([(3, 5), (3, 6)], extra=(attention_mask,)))
    add("mha_attention_axes", "Input (4, 3, 6) -> MultiHeadAttention(2, 3, attention_axes=(1, 2))(x, x, "
        "return_attention_scores=True) -> [output, scores]; MultiHeadAttention(2, 2, attention_axes=2)(x, x)",
        attention_functional([((4, 3, 6), None)], lambda k, L, xs: list(
            mha(L, 2, 3, attention_axes=(1, 2))(xs[0], xs[0], return_attention_scores=True)) + [
            mha(L, 2, 2, attention_axes=2)(xs[0], xs[0])]),
        one_call((2, 4, 3, 6)))

    def mha_keras3(keras, L, xs):
        keras3_only(L)
        return [mha(L, 2, 4, use_gate=True)(xs[0], xs[0]), mha(L, 2, 3, sliding_window=2)(xs[0], xs[0], use_causal_mask=True),
                mha(L, 2, 3, sliding_window=3)(xs[0], xs[0])]

    add("mha_gate_window", "Keras 3 only: Input (6, 8) -> MultiHeadAttention(2, 4, use_gate=True); "
        "MultiHeadAttention(2, 3, sliding_window=2)(x, x, use_causal_mask=True); MultiHeadAttention(2, 3, sliding_window=3)",
        attention_functional([((6, 8), None)], mha_keras3), one_call((2, 6, 8)))

    def mha_f64(keras, L, xs):
        f = dict(dtype="float64")
        e = L.Embedding(12, 8, mask_zero=True, **f)(xs[0])
        a = mha(L, 2, 4, **f)(e, e, use_causal_mask=True)
        b = mha(L, 2, 3, dropout=0.1, **f)(a, e, return_attention_scores=True)
        return [L.Dense(3, **f)(L.Add(**f)([a, b[0]])), b[1]]

    add("mha_float64", "float64: tokens (5,) -> Embedding(12, 8, mask_zero=True) -> MultiHeadAttention(2, 4)(e, e, causal) = a "
        "-> MultiHeadAttention(2, 3, dropout=0.1)(a, e, return_attention_scores=True) -> Dense(3) of a + b; scores "
        "(atol 1e-9)", attention_functional([((5,), "int32")], mha_f64, dtype="float64"),
        token_calls([(3, 5)]), dtype="float64")

    def gqa(L, *args, **kw):
        keras3_only(L)
        return L.GroupQueryAttention(*args, **kw)

    def gqa_layers(keras, L, xs, dtype=None):
        f = dict(dtype=dtype) if dtype else {}
        e = L.Embedding(12, 8, mask_zero=True, **f)(xs[0])
        x = L.Dense(8, **f)(xs[1])
        a = gqa(L, 3, 4, 2, **f)(x, x)
        b = gqa(L, 2, 4, 1, use_bias=False, **f)(query=xs[1], value=xs[2], key=xs[2], use_causal_mask=True)
        c, scores = gqa(L, 3, 2, 2, dropout=0.1, **f)(e, e, return_attention_scores=True)
        d = gqa(L, 2, 4, 2, use_gate=True, sliding_window=2, **f)(e, e, use_causal_mask=True)
        g = gqa(L, 2, 2, 1, **f)(e, x, attention_mask=xs[3])
        return [a, b, c, scores, d, g]

    gqa_inputs = [((5,), "int32"), ((5, 6), None), ((7, 6), None), ((5, 5), None)]

    def gqa_calls(rng, f64=False):
        tokens = rng.integers(1, 12, (3, 5))
        tokens[0, -2:] = 0
        tokens[-1, 1:] = 0
        dense = (lambda *s: rng.standard_normal(s)) if f64 else (lambda *s: normal(rng, *s))
        return [{"inputs": [tokens, dense(3, 5, 6), dense(3, 7, 6), (rng.uniform(size=(3, 5, 5)) > 0.3).astype(np.float32)], "reset": False}]

    add("gqa", "Keras 3 only: GroupQueryAttention(head_dim, query heads, kv heads): (3, 4, 2)(x, x); (2, 4, 1, use_bias=False)"
        "(query=x, value=v, key=v, use_causal_mask=True); (3, 2, 2, dropout=0.1)(e, e, return_attention_scores=True) "
        "on Embedding(mask_zero=True) tokens with padding; (2, 4, 2, use_gate=True, sliding_window=2)(e, e, causal); "
        "(2, 2, 1)(e, x, attention_mask=m)",
        attention_functional(gqa_inputs, gqa_layers), gqa_calls)
    add("gqa_float64", "gqa in float64 (atol 1e-9)",
        attention_functional(gqa_inputs, lambda k, L, xs: gqa_layers(k, L, xs, "float64"), dtype="float64"),
        lambda rng: gqa_calls(rng, f64=True), dtype="float64")

    # --- real architectures: keras-io's transformer text classifier (core layers: positions as
    # a second token input), a time-series transformer encoder, a causal decoder block.
    def transformer_block(L, x, heads, key_dim, ff, dtype=None, causal=False, context=None, mask_tokens=False):
        f = dict(dtype=dtype) if dtype else {}
        attention = L.MultiHeadAttention(heads, key_dim, **f)
        a = attention(x, x, use_causal_mask=True) if causal else attention(x, x)
        x = L.LayerNormalization(epsilon=1e-6, **f)(L.Add(**f)([x, L.Dropout(0.1, **f)(a)]))
        if context is not None:
            c = L.MultiHeadAttention(heads, key_dim, **f)(x, context)
            x = L.LayerNormalization(epsilon=1e-6, **f)(L.Add(**f)([x, c]))
        h = L.Dense(ff, activation="relu", **f)(x)
        h = L.Dropout(0.1, **f)(L.Dense(x.shape[-1], **f)(h))
        return L.LayerNormalization(epsilon=1e-6, **f)(L.Add(**f)([x, h]))

    def text_classifier(keras, L, xs, dtype=None, vocab=60, d_model=16, heads=4, ff=32, blocks=2):
        f = dict(dtype=dtype) if dtype else {}
        x = L.Add(**f)([L.Embedding(vocab, d_model, **f)(xs[0]), L.Embedding(xs[1].shape[1], d_model, **f)(xs[1])])
        for _ in range(blocks):
            x = transformer_block(L, x, heads, d_model // heads, ff, dtype)
        x = L.GlobalAveragePooling1D(**f)(x)
        x = L.Dropout(0.1, **f)(L.Dense(20, activation="relu", **f)(x))
        return L.Dense(2, activation="softmax", **f)(x)

    def text_calls(T, vocab=60, batch=3):
        def calls(rng):
            return [{"inputs": [rng.integers(0, vocab, (batch, T)), np.tile(np.arange(T), (batch, 1))], "reset": False}]
        return calls

    add("transformer_text_classifier", "keras-io's text classifier with core layers: tokens (16,) and positions (16,) -> "
        "Embedding(60, 16) + Embedding(16, 16) -> 2 x [MultiHeadAttention(4, 4) -> Dropout -> Add -> LayerNormalization -> "
        "Dense(32, relu) -> Dense(16) -> Dropout -> Add -> LayerNormalization] -> GlobalAveragePooling1D -> Dense(20, relu) "
        "-> Dropout -> Dense(2, softmax)",
        attention_functional([((16,), "int32"), ((16,), "int32")], text_classifier), text_calls(16), wscale=0.3)
    add("transformer_text_classifier_float64", "transformer_text_classifier in float64 (atol 1e-9)",
        attention_functional([((16,), "int32"), ((16,), "int32")], lambda k, L, xs: text_classifier(k, L, xs, "float64"), dtype="float64"),
        text_calls(16), wscale=0.3, dtype="float64")

    def timeseries_encoder(keras, L, xs):
        # keras-io's timeseries_classification_transformer: pre-norm blocks, Conv1D feed-forward.
        x = xs[0]
        for _ in range(2):
            h = L.LayerNormalization(epsilon=1e-6)(x)
            h = L.MultiHeadAttention(key_dim=16, num_heads=2, dropout=0.1)(h, h)
            res = L.Add()([L.Dropout(0.1)(h), x])
            h = L.LayerNormalization(epsilon=1e-6)(res)
            h = L.Conv1D(filters=4, kernel_size=1, activation="relu")(h)
            h = L.Conv1D(filters=x.shape[-1], kernel_size=1)(L.Dropout(0.1)(h))
            x = L.Add()([h, res])
        x = L.GlobalAveragePooling1D(data_format="channels_first")(x)
        x = L.Dropout(0.1)(L.Dense(16, activation="relu")(x))
        return L.Dense(3, activation="softmax")(x)

    add("transformer_timeseries", "keras-io's time-series transformer encoder on a (200, 8) signal: 2 x [LayerNormalization -> "
        "MultiHeadAttention(key_dim=16, num_heads=2, dropout=0.1) -> Dropout -> Add -> LayerNormalization -> Conv1D(4, 1, relu) "
        "-> Dropout -> Conv1D(8, 1) -> Add] -> GlobalAveragePooling1D(channels_first) -> Dense(16, relu) -> Dropout -> "
        "Dense(3, softmax); batch 2",
        attention_functional([((200, 8), None)], timeseries_encoder), one_call((2, 200, 8)), wscale=0.3)

    def decoder_block(keras, L, xs):
        target = L.Embedding(50, 16, mask_zero=True)(xs[0])
        context = L.Dense(16)(xs[1])
        x = transformer_block(L, target, 2, 8, 32, causal=True, context=context)
        return L.Dense(50, activation="softmax")(x)

    def decoder_calls(rng):
        tokens = rng.integers(1, 50, (3, 7))
        tokens[0, 5:] = 0
        tokens[2, 2:] = 0
        return [{"inputs": [tokens, normal(rng, 3, 9, 12)], "reset": False}]

    add("transformer_decoder", "a decoder block: target tokens (7,) -> Embedding(50, 16, mask_zero=True) -> "
        "MultiHeadAttention(2, 8)(x, x, use_causal_mask=True) -> Add -> LayerNormalization -> cross MultiHeadAttention(2, 8) "
        "over Dense(16) of an encoder output (9, 12) -> Add -> LayerNormalization -> Dense(32, relu) -> Dense(16) -> Add -> "
        "LayerNormalization -> Dense(50, softmax); padded targets",
        attention_functional([((7,), "int32"), ((9, 12), None)], decoder_block), decoder_calls, wscale=0.3)

    def ops_attention(keras, L, xs, dtype=None):
        keras3_only(L)
        f = dict(dtype=dtype) if dtype else {}
        ops = keras.ops
        q, k, v = L.Dense(8, **f)(xs[0]), L.Dense(8, **f)(xs[1]), L.Dense(6, **f)(xs[1])
        scores = L.Softmax(**f)(ops.einsum("btd,bsd->bts", q, k))
        heads = ops.matmul(scores, v)
        pooled = ops.einsum("btd->bd", heads)
        outer = ops.einsum("bi,bj->bij", pooled, L.Dense(3, **f)(pooled))
        return [L.Dense(2, **f)(heads), ops.matmul(L.Dense(4, **f)(xs[0]), xs[2]), outer]

    add("ops_attention", "Keras 3 only: attention written with keras.ops between layers: q, k, v Dense of x (5, 6) and "
        "y (7, 6); Softmax(einsum('btd,bsd->bts', q, k)); matmul(scores, v) -> Dense(2); einsum('btd->bd'); "
        "einsum('bi,bj->bij') outer product; matmul of (B, 5, 4) by a broadcast (4, 4)",
        attention_functional([((5, 6), None), ((7, 6), None), ((4, 4), None)], ops_attention),
        lambda rng: [{"inputs": [normal(rng, 3, 5, 6), normal(rng, 3, 7, 6), normal(rng, 3, 4, 4)], "reset": False}])
    add("ops_attention_float64", "ops_attention in float64 (atol 1e-9)",
        attention_functional([((5, 6), None), ((7, 6), None), ((4, 4), None)], lambda k, L, xs: ops_attention(k, L, xs, "float64"), dtype="float64"),
        lambda rng: [{"inputs": [rng.standard_normal((3, 5, 6)), rng.standard_normal((3, 7, 6)), rng.standard_normal((3, 4, 4))], "reset": False}],
        dtype="float64")
    def text_classifier_ops(keras, L, xs, dtype=None, vocab=60, d_model=16, heads=4, ff=32):
        # transformer_text_classifier with keras.ops between the layers: residual `+`, relu as
        # keras.activations on a tensor, the pooling as ops.mean, the head's softmax as ops.
        keras3_only(L)
        f = dict(dtype=dtype) if dtype else {}
        ops, A = keras.ops, keras.activations
        x = L.Embedding(vocab, d_model, **f)(xs[0]) + L.Embedding(xs[1].shape[1], d_model, **f)(xs[1])
        for _ in range(2):
            a = L.MultiHeadAttention(heads, d_model // heads, **f)(x, x)
            x = L.LayerNormalization(epsilon=1e-6, **f)(x + a)
            h = L.Dense(d_model, **f)(A.relu(L.Dense(ff, **f)(x)))
            x = L.LayerNormalization(epsilon=1e-6, **f)(x + h)
        pooled = ops.mean(x, axis=1)
        return ops.softmax(L.Dense(2, **f)(A.relu(L.Dense(20, **f)(pooled))), axis=-1)

    add("transformer_text_classifier_ops", "Keras 3 only: transformer_text_classifier written with keras.ops between "
        "the layers: embeddings added with +, residual x + a, keras.activations.relu on Dense outputs, ops.mean "
        "pooling, ops.softmax head",
        attention_functional([((16,), "int32"), ((16,), "int32")], text_classifier_ops), text_calls(16), wscale=0.3)
    # ==================================================================
    # END attention
    # ==================================================================


    # --- Keras 3 math operation nodes (ops-math): keras.ops / keras.activations applied to
    # tensors between Dense layers.  tf-keras records no operation nodes: Keras 3 only.  Each
    # result is cast to the model's float type and flattened so one Concatenate gathers them.
    def ops_model(input_shape, units, make, dtype=None):
        def build(keras):
            if writer != "keras3":
                raise Skip("tf-keras has no operation nodes (keras.ops)")
            f = dict(dtype=dtype) if dtype else {}
            float_type = dtype or "float32"
            L, ops = keras.layers, keras.ops
            inp = keras.Input(shape=input_shape, dtype=dtype)
            a = L.Dense(units, name="a", **f)(inp)
            b = L.Dense(units, name="b", **f)(inp)
            outs = make(keras, ops, a, b)
            flat = [L.Flatten(**f)(ops.cast(o, float_type)) if len(o.shape) > 2 else ops.cast(o, float_type)
                    if len(o.shape) == 2 else ops.cast(ops.expand_dims(o, -1), float_type) for o in outs]
            return keras.Model(inp, L.Concatenate(**f)(flat))
        return build

    def ops_activation_outputs(keras, ops, a, b):
        A = keras.activations
        return [A.relu(a), A.relu(a, negative_slope=0.1, max_value=0.8, threshold=0.2), ops.relu(a), A.relu6(a * 8),
                A.sigmoid(a), A.sparse_sigmoid(a * 2), A.softplus(a), A.softsign(a), A.sparse_plus(a * 2), A.silu(a),
                A.swish(b), A.log_sigmoid(a), A.hard_sigmoid(a * 4), ops.hard_silu(a * 4), A.selu(a), A.tanh_shrink(a),
                A.hard_tanh(a * 2), A.leaky_relu(a, negative_slope=0.3), A.elu(a, alpha=0.5), A.celu(a, alpha=0.7),
                A.gelu(a), ops.gelu(b), A.soft_shrink(a, threshold=0.3), A.hard_shrink(a, threshold=0.4),
                A.squareplus(a, b=2), ops.threshold(a, 0.2, -1.0), A.softmax(a), ops.softmax(b, axis=1),
                A.log_softmax(a), A.glu(a), A.tanh(a), A.exponential(a), A.linear(b)]

    def ops_unary_outputs(keras, ops, a, b):
        p = ops.abs(a) + 0.1  # positive
        u = ops.tanh(a) * 0.9  # in (-1, 1)
        return [ops.negative(a), ops.abs(a), ops.absolute(b), ops.fabs(a), ops.sign(a), ops.square(a), ops.sqrt(p),
                ops.rsqrt(p), ops.reciprocal(p), ops.exp(a), ops.exp2(a), ops.expm1(a), ops.log(p), ops.log2(p),
                ops.log10(p), ops.log1p(p), ops.erf(a), ops.erfc(a), ops.cbrt(a), ops.sin(a), ops.cos(a),
                ops.tan(a * 0.3), ops.arcsin(u), ops.arccos(u), ops.arctan(a), ops.sinh(a), ops.cosh(a), ops.tanh(a),
                ops.arcsinh(a), ops.arccosh(p + 1), ops.arctanh(u), ops.floor(a * 3), ops.ceil(a * 3),
                ops.trunc(a * 3), ops.round(a * 3), ops.round(a, 1), ops.round(a * 30, -1), ops.clip(a, -0.3, 0.4),
                ops.logical_not(a > 0), ops.isnan(a), ops.isinf(a), ops.isfinite(a)]

    def ops_binary_outputs(keras, ops, a, b):
        import numpy as np_
        n = a.shape[-1]
        return [ops.greater(a, b), a >= 0.1, 0.2 < a, ops.less(a, b), ops.less_equal(a, b), ops.minimum(0.2, a), ops.divide(a, b + 3), ops.equal(ops.round(a * 2), ops.round(b * 2)),
                ops.not_equal(ops.round(a * 2), 0), ops.logical_xor(a > 0, b > 0), ops.logical_and(a > 0, b > 0),
                ops.floor_divide(a, 0.3), a // b, ops.mod(a, 0.3), ops.mod(a, -0.3), a % b,
                ops.where(a > b, a, b), ops.where(a > 0, a, 1.0), ops.where(b > 0, 0.5, a),
                ops.where(np_.arange(n) % 2 == 0, a, b), ops.where(a > 0, 2, -3),
                a + ops.arange(n), ops.multiply(np_.linspace(-1, 1, n).astype("float32"), a), ops.subtract(np_.arange(n), a),
                ops.maximum(a, np_.full((1, n), 0.1, "float32")), ops.power(ops.abs(a) + 0.5, np_.linspace(0.5, 2, n).astype("float32")),
                a * np_.float32(2.5), a / 4, 3 - a,
                ops.cast(a, "float16"), ops.cast(a, "bfloat16"), ops.cast(a * 300, "int8"), ops.cast(a * 400, "uint8"),
                ops.cast(a * 40000, "int16"), ops.cast(a * 5, "int32"), ops.cast(a * 1000, "uint32"),
                ops.cast(a * 1000, "int64"), ops.cast(ops.round(a * 2), "bool"), ops.cast(a, "float64"),
                ops.cast(a * 5, "int32") * 3 + 1]

    def ops_reduction_outputs(keras, ops, a, b):
        return [ops.mean(a, axis=-1, keepdims=True), ops.mean(a, axis=(1, 2)), ops.sum(a, axis=[1, 2]), ops.sum(b, axis=1),
                ops.max(a, axis=1), ops.min(a, axis=1, keepdims=True), ops.max(a, axis=-1, initial=0.2),
                ops.min(b, axis=-1, initial=-0.1), ops.amax(a, axis=2), ops.amin(b, axis=(1, 2)), ops.prod(a, axis=-1),
                ops.all(a > -0.5, axis=-1), ops.any(b > 0.5, axis=1), ops.var(a, axis=-1), ops.std(b, axis=1),
                ops.logsumexp(a, axis=1), ops.logsumexp(b, axis=(1, 2), keepdims=True), ops.argmax(a, axis=-1),
                ops.argmin(a, axis=1, keepdims=True), ops.argmax(b, axis=1), ops.log_softmax(a, axis=1),
                ops.softmax(b, axis=-1), ops.glu(b, axis=-1)]

    def ops_float64_outputs(keras, ops, a, b):
        import numpy as np_
        A = keras.activations
        return [A.gelu(a), ops.gelu(a), A.silu(a), A.elu(a, alpha=0.4), A.selu(b), ops.softmax(a), A.log_softmax(b),
                ops.exp(a), ops.log(ops.abs(a) + 0.1), ops.sqrt(ops.abs(b)), ops.erf(a), ops.tanh(b), ops.sin(a),
                ops.mean(a, axis=-1), ops.var(b, axis=-1), ops.logsumexp(a, axis=-1), ops.argmax(a, axis=-1),
                ops.where(a > b, a, 0.1), ops.clip(a, -0.3, 0.3),
                ops.cast(a, "float32"), ops.cast(a, "float16"), ops.cast(a * 100, "int8"), ops.mod(a, 0.3), ops.add(a, np_.linspace(0, 1, a.shape[-1])),
                ops.round(a, 2), A.relu(a, negative_slope=0.2, threshold=0.1)]

    def build_tf_ops(keras):
        """tf-keras: TensorFlow functions on tensors, which it records as TFOpLambda layers."""
        if writer != "keras2":
            raise Skip("Keras 3 records keras.ops calls as operation nodes, not TFOpLambda")
        import tensorflow as tf
        L = keras.layers
        inp = keras.Input(shape=(3, 4))
        a = L.Dense(4, name="a")(inp)
        p = tf.math.abs(a) + 0.1
        outs = [tf.math.exp(a * 0.5), tf.math.log(p), tf.math.sqrt(p), tf.math.rsqrt(p), tf.math.square(a), tf.math.negative(a),
                tf.math.sign(a), tf.math.reciprocal(p), tf.math.log1p(p), tf.math.expm1(a * 0.5), tf.math.erf(a),
                tf.math.floor(a * 3), tf.math.ceil(a * 3), tf.math.round(a * 3), tf.math.sin(a), tf.math.cos(a),
                tf.math.tanh(a), tf.nn.tanh(a), tf.math.sigmoid(a), tf.nn.sigmoid(a), tf.nn.relu(a), tf.nn.relu6(a * 8),
                tf.nn.elu(a), tf.nn.selu(a), tf.nn.gelu(a), tf.nn.silu(a), tf.nn.swish(a), tf.math.softplus(a),
                tf.nn.softplus(a), tf.math.softsign(a), tf.nn.softsign(a), tf.math.log_sigmoid(a),
                tf.nn.softmax(a), tf.nn.softmax(a, axis=1), tf.math.softmax(a), tf.nn.log_softmax(a, axis=-1),
                tf.math.log_softmax(a)]
        reductions = [tf.reduce_mean(a, axis=-1, keepdims=True), tf.math.reduce_sum(a, 1), tf.math.reduce_max(a, axis=[1, 2], keepdims=True),
                      tf.math.reduce_min(a, axis=-1), tf.math.reduce_prod(a, axis=-1), tf.math.reduce_variance(a, axis=1),
                      tf.math.reduce_std(a, axis=-1, keepdims=True), tf.math.reduce_logsumexp(a, axis=-1),
                      tf.cast(tf.math.argmax(a, axis=-1), "float32"), tf.cast(tf.math.argmin(a, axis=1), "float32")]
        flat = [L.Flatten()(o) if len(o.shape) != 2 else o for o in outs + reductions]
        return keras.Model(inp, L.Concatenate()(flat))

    add("ops_tf_functions", "tf-keras: Input (3, 4) -> Dense(4) -> TensorFlow math, activation, reduction and softmax "
        "functions on the tensor (TFOpLambda layers: tf.math.exp, tf.nn.relu, tf.reduce_mean(axis, keepdims), "
        "tf.math.argmax, tf.nn.softmax(axis), …) -> Flatten -> Concatenate", build_tf_ops, one_call((2, 3, 4), scale=1.5),
        wscale=1.0)
    add("ops_activations", "Keras 3: Input (6) -> Dense a, b (6) -> every activation applied to a tensor "
        "(keras.activations.* and keras.ops.* on a, b; ReLU options, Gelu approximate true/false, softmax axes, glu) "
        "-> Concatenate", ops_model((6,), 6, ops_activation_outputs), one_call((2, 6), scale=1.5), wscale=1.0)
    add("ops_unary", "Keras 3: Input (6) -> Dense a, b (6) -> element-wise keras.ops math (abs, exp, log on abs+0.1, "
        "trig, rounding, clip, logical_not, isnan, …) -> Concatenate", ops_model((6,), 6, ops_unary_outputs),
        one_call((2, 6), scale=1.5), wscale=1.0)
    add("ops_binary", "Keras 3: Input (6) -> Dense a, b (6) -> comparisons, floor_divide, mod, where (constants in "
        "any position), folded constant arrays (int arange, float linspace, NumPy arrays), casts to float16, bfloat16, "
        "int8 (wrapping), uint8, int16, int32, uint32, int64, bool, float64 -> Concatenate",
        ops_model((6,), 6, ops_binary_outputs), one_call((2, 6), scale=1.5), wscale=1.0)
    add("ops_reductions", "Keras 3: Input (3, 5) -> Dense a, b (4) on (batch, 3, 4) -> mean, sum, max/min (initial), "
        "amax, amin, prod, all, any, var, std, logsumexp, argmax, argmin (axis int/list, keepdims), softmax, "
        "log_softmax, glu on axis 1 -> Flatten -> Concatenate", ops_model((3, 5), 4, ops_reduction_outputs),
        one_call((2, 3, 5), scale=1.5), wscale=1.0)
    add("ops_float64", "Keras 3 float64: Input (6) -> Dense a, b (6), every layer dtype float64 -> activations, "
        "math, reductions, where, clip, a float64 constant, casts to float32, float16 and int8 -> Concatenate (atol 1e-9)",
        ops_model((6,), 6, ops_float64_outputs, dtype="float64"), f64_call((2, 6), scale=1.5), wscale=1.0,
        dtype="float64")

    return specs


def shape_list(t):
    return [None if d is None else int(d) for d in tuple(t.shape)]


def layer_output_shape(layer):
    try:
        out = layer.output
    except (AttributeError, ValueError, RuntimeError):  # K2: shared layer, several inbound nodes
        out = layer.get_output_at(0)
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


# Normalization-layer weights get their own ranges (variance must stay > 0).  moving_stddev,
# renorm_mean and renorm_stddev are BatchNormalization(renorm=True)'s training-only weights.
NORM_WEIGHT_RANGES = {"gamma": (0.5, 1.5), "beta": (-0.5, 0.5), "moving_mean": (-0.5, 0.5),
                      "moving_variance": (0.2, 2.0), "moving_stddev": (0.5, 1.5), "renorm_mean": (-0.5, 0.5),
                      "renorm_stddev": (0.5, 1.5)}
NORM_WEIGHT_RANGES["scale"] = (0.5, 1.5)  # RMSNormalization's
NORM_CLASSES = ("BatchNormalization", "LayerNormalization", "GroupNormalization", "RMSNormalization")
# Layers whose weights are adapted statistics (Normalization: mean, variance and an int64 count): kept as adapt() left them.
ADAPTED_CLASSES = ("Normalization",)


def variable_basename(v):
    return getattr(v, "path", None) and v.path.split("/")[-1] or v.name.split("/")[-1].split(":")[0]


def norm_variable_ids(layer, out=None):
    """id()s of the variables of the normalization layers in `layer`, nested models included."""
    out = set() if out is None else out
    for sub in getattr(layer, "layers", None) or []:
        norm_variable_ids(sub, out)
    if layer.__class__.__name__ in NORM_CLASSES:
        out.update(id(v) for v in layer.weights)
    return out


def adapted_variable_ids(layer, out=None):
    """id()s of the variables of the ADAPTED_CLASSES layers in `layer`, nested models included."""
    out = set() if out is None else out
    for sub in getattr(layer, "layers", None) or []:
        adapted_variable_ids(sub, out)
    if layer.__class__.__name__ in ADAPTED_CLASSES:
        out.update(id(v) for v in layer.weights)
    return out


def redraw_weights(model, rng, scale):
    """uniform(-scale, scale) for every weight, in layer.get_weights() order, except the weights of
    normalization layers (also inside nested models), which get NORM_WEIGHT_RANGES, and those of
    ADAPTED_CLASSES layers, which keep what adapt() computed."""
    for layer in model.layers:
        ws = layer.get_weights()
        if ws:
            norm = norm_variable_ids(layer)
            keep = adapted_variable_ids(layer)
            assert len(layer.weights) == len(ws)
            new = []
            for v, w in zip(layer.weights, ws):
                if id(v) in keep:
                    new.append(w)
                elif id(v) in norm:
                    n = variable_basename(v)
                    assert n in NORM_WEIGHT_RANGES, (layer.name, n)
                    new.append(rng.uniform(*NORM_WEIGHT_RANGES[n], size=w.shape).astype(w.dtype))
                else:
                    new.append(rng.uniform(-scale, scale, size=w.shape).astype(w.dtype))
            layer.set_weights(new)


def round_weights_to_float16(model):
    for layer in model.layers:
        ws = layer.get_weights()
        if ws:
            layer.set_weights([w.astype(np.float16).astype(w.dtype) for w in ws])


# ---------------------------------------------------------------------------
# .keras archives
# ---------------------------------------------------------------------------

FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FIXED_DATE_SAVED = "1980-01-01@00:00:00"


def read_zip_entries(path):
    import zipfile

    with zipfile.ZipFile(path) as z:
        return [(info, z.read(info.filename)) for info in z.infolist()]


def write_zip_entries(path, entries):
    """entries: [(ZipInfo-or-name, bytes)]; fixed timestamps, original compression."""
    import zipfile

    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w") as z:
        for info, data in entries:
            name = info if isinstance(info, str) else info.filename
            zi = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
            zi.compress_type = zipfile.ZIP_STORED if isinstance(info, str) else info.compress_type
            zi.external_attr = 0o600 << 16
            z.writestr(zi, data)
    os.replace(tmp, path)


def normalize_keras_archive(path):
    """Make a .keras archive deterministic: fixed zip timestamps, fixed metadata date_saved,
    and config.json's `shared_object_id` values (Python id()s) renumbered 1, 2, ... in order
    of first appearance (equal ids stay equal, so Keras's object sharing is preserved)."""
    import re

    out = []
    for info, data in read_zip_entries(path):
        if info.filename == "metadata.json":
            meta = json.loads(data)
            if "date_saved" in meta:
                meta["date_saved"] = FIXED_DATE_SAVED
            data = json.dumps(meta).encode("utf8")
        elif info.filename == "config.json":
            ids = {}

            def renumber(m):
                return b'"shared_object_id": %d' % ids.setdefault(m.group(1), len(ids) + 1)
            data = re.sub(rb'"shared_object_id": (\d+)', renumber, data)
        out.append((info, data))
    write_zip_entries(path, out)


def rewrite_keras_member(path, member, fn):
    """Extract `member` to a temp file, call fn(tmp_path), put it back."""
    entries = read_zip_entries(path)
    tmp = path + "." + member.replace("/", "_")
    out = []
    for info, data in entries:
        if info.filename == member:
            with open(tmp, "wb") as fh:
                fh.write(data)
            fn(tmp)
            with open(tmp, "rb") as fh:
                data = fh.read()
            os.remove(tmp)
        out.append((info, data))
    write_zip_entries(path, out)


def rewrite_datasets_float16(h5_path, group="/"):
    """Rewrite every float32 dataset under `group` as float16 with identical values."""
    import h5py

    names = []
    with h5py.File(h5_path, "r+") as f:
        f[group].visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
        count = 0
        for n in names:
            d = f[group][n]
            if d.dtype != np.float32:
                continue
            data = d[()]
            half = data.astype(np.float16)
            assert np.array_equal(half.astype(np.float32), data), n
            attrs = dict(d.attrs)
            del f[group][n]
            nd = f[group].create_dataset(n, data=half)
            for k, v in attrs.items():
                nd.attrs[k] = v
            count += 1
    return count


def save_model_keras(keras, writer, model, path):
    model.save(path)
    normalize_keras_archive(path)


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


def saved_model_config(path, fmt):
    """The model config JSON as stored in the file: h5 root attr model_config / .keras config.json."""
    if fmt == "h5":
        import h5py

        with h5py.File(path, "r") as f:
            return json.loads(attr_str(f.attrs["model_config"]))
    import zipfile

    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("config.json"))


def saved_layer_entries(path, fmt):
    """{layer name: layer entry} of the model's top-level layers list, as stored in the file."""
    return {l["config"]["name"]: l for l in saved_model_config(path, fmt)["config"]["layers"]}


def weights_size(weights):
    return int(sum(int(np.prod(tuple(w.shape))) for w in weights))


def note(notes, writer, msg):
    notes.append(msg)
    print("[%s] %s" % (writer, msg), flush=True)


def np_resize_bilinear(x, out_h, out_w):
    """tf.image.resize(method='bilinear'): half-pixel centers, no antialias; x (B, H, W, C)."""
    def taps(n_in, n_out):
        src = (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5
        lo = np.floor(src)
        return (np.clip(lo, 0, n_in - 1).astype(int), np.clip(np.ceil(src), 0, n_in - 1).astype(int), src - lo)

    x = np.asarray(x, np.float64)
    h0, h1, hf = taps(x.shape[1], out_h)
    w0, w1, wf = taps(x.shape[2], out_w)
    hf, wf = hf[None, :, None, None], wf[None, None, :, None]
    top = x[:, h0][:, :, w0] * (1 - wf) + x[:, h0][:, :, w1] * wf
    bottom = x[:, h1][:, :, w0] * (1 - wf) + x[:, h1][:, :, w1] * wf
    return top * (1 - hf) + bottom * hf


def np_smart_resize(x, height, width):
    """tf-keras image_utils.smart_resize: the largest centered window with the target aspect ratio,
    then a bilinear resize.  Returns (images, (row0, row1, col0, col1))."""
    H, W = x.shape[1], x.shape[2]
    ch = min(H, int(float(W * height) / width))
    cw = min(W, int(float(H * width) / height))
    r0, c0 = int((H - ch) / 2), int((W - cw) / 2)
    return np_resize_bilinear(x[:, r0:r0 + ch, c0:c0 + cw], height, width), (r0, r0 + ch, c0, c0 + cw)


def make_error_fixtures(keras, writer, errors_dir, lstm_last_h5, notes):
    import h5py

    errors = []

    def err(kind, description, expect):
        errors.append({"name": kind, "file": "errors/%s.%s.h5" % (kind, writer), "format": "h5",
                       "description": "[%s] %s" % (writer, description), "expect": expect})
        return os.path.join(errors_dir, "%s.%s.h5" % (kind, writer))

    def copy_src(dst):
        shutil.copyfile(lstm_last_h5, dst)
        return dst

    # unknown_layer: a real Keras model holding a layer class KerasKit does not implement (one
    # no issue plans: Keras 3's AutoContrast, tf-keras's LocallyConnected1D).
    keras.backend.clear_session()
    keras.utils.set_random_seed(fixture_seed("unknown_layer"))
    unknown_class, unknown = unknown_layer_class(keras, writer)
    model = keras.Sequential([keras.Input(shape=(6, 3)), unknown, keras.layers.LSTM(3)])
    path = err("unknown_layer", "Sequential Input -> %s -> LSTM(3); %s is not a supported layer class"
               % (unknown_class, unknown_class), unknown_class)
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


def unknown_layer_class(keras, writer):
    """A layer class of the writer's Keras that KerasKit does not implement: (name, layer)."""
    if writer == "keras3":
        return "AutoContrast", keras.layers.AutoContrast(value_range=(0, 255))
    return "LocallyConnected1D", keras.layers.LocallyConnected1D(3, 2, padding="valid")


def make_chunked_weight_names(entry_src, writer, notes):
    """Copy lstm_last and split the LSTM group's weight_names like Keras would."""
    import h5py

    src_dir = os.path.join(FIXTURES, "lstm_last", writer)
    dst_dir = os.path.join(FIXTURES, "chunked_weight_names", writer)
    os.makedirs(dst_dir)
    for fn in sorted(os.listdir(src_dir)):
        if fn.endswith(".keras"):
            continue
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


def keras_format_supported(writer):
    # tf-keras writes the zip format since 2.13; Keras 3 always.
    return True


def check_mask_fixture(spec, keras, writer, model, calls, manifest_calls, notes):
    """The padded steps really are there, and masking really changes the outputs."""
    x = calls[0]["inputs"][0]
    steps_zero = (x == 0) if x.ndim == 2 else np.all(x == 0, axis=-1)  # (B, T)
    for b in range(x.shape[0]):
        want = MASK_PADS.get(b, [])
        got = [int(t) for t in np.nonzero(steps_zero[b])[0]]
        assert got == want, (spec["name"], b, got, want)
    twin = spec["build_unmasked"](keras)
    twin.set_weights(model.get_weights())
    out = twin.predict(x, verbose=0)
    unmasked = [np.asarray(o) for o in out] if isinstance(out, (list, tuple)) else [np.asarray(out)]
    stored = [np.load(os.path.join(FIXTURES, p)) for p in manifest_calls[0]["outputs"]]
    parts = []
    for j, (m, u) in enumerate(zip(stored, unmasked)):
        per_sample = [float(np.max(np.abs(m[b] - u[b]))) for b in range(m.shape[0])]
        # A right-padded sample can be invisible after a max over time: the masked steps repeat
        # the last valid output, which cannot raise the maximum (spec["mask"]["insensitive"]).
        assert all(d > 1e-3 for b, d in enumerate(per_sample[:3]) if b not in spec["mask"]["insensitive"]), (
            spec["name"], j, per_sample)
        assert per_sample[3] < 1e-6, (spec["name"], j, per_sample)
        desc = "out%d per-sample |masked-unmasked| %s" % (j, ["%.3f" % d for d in per_sample])
        if m.ndim == 3 and m.shape[1] == MASK_T:  # sequence output: the masked steps themselves differ
            region = []
            for b, steps in MASK_PADS.items():
                idx = [MASK_T - 1 - t for t in steps] if spec["mask"]["seq_reversed"] else steps
                d = float(np.max(np.abs(m[b, idx] - u[b, idx])))
                assert d > 1e-3, (spec["name"], b, d)
                region.append("%.3f" % d)
            desc += ", at masked steps (left, middle, right) %s" % region
        parts.append(desc)
    msg = "mask %s/%s: pads sample0 %s sample1 %s sample2 %s sample3 none; %s" % (
        spec["name"], writer, MASK_PADS[0], MASK_PADS[1], MASK_PADS[2], "; ".join(parts))
    notes.append(msg)
    print("[%s] %s" % (writer, msg), flush=True)


def run_calls(model, calls, out_dir, rel_dir, dtype):
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
            if dtype == "float64":
                assert o.dtype == np.float64, o.dtype
        c = {"reset_states_before": bool(call["reset"]), "inputs": [], "outputs": []}
        for i, x in enumerate(xs):
            np.save(os.path.join(out_dir, "call%d_input%d.npy" % (k, i)), x)
            c["inputs"].append("%s/call%d_input%d.npy" % (rel_dir, k, i))
        for j, o in enumerate(outs):
            np.save(os.path.join(out_dir, "call%d_output%d.npy" % (k, j)), o)
            c["outputs"].append("%s/call%d_output%d.npy" % (rel_dir, k, j))
        manifest_calls.append(c)
    return manifest_calls


def rewrite_h5_weights_float16(path):
    import h5py

    n = 0
    with h5py.File(path, "r") as f:
        layer_names = attr_list(f["model_weights"], "layer_names")
    for lname in layer_names:
        n += rewrite_datasets_float16(path, "/model_weights/" + lname)
    return n


# `chunked_weight_names` is made from `lstm_last`'s files, so `--only` remakes them together.
DERIVED_FIXTURES = {"chunked_weight_names": "lstm_last"}


def expand_only(names):
    """The fixture names `--only` regenerates: the ones asked for plus their derived twins."""
    result = set(names)
    for derived, source in DERIVED_FIXTURES.items():
        if derived in result or source in result:
            result |= {derived, source}
    return result


def run_writer(writer, only=None):
    """Make this writer's fixtures (all, or the names in `only`) and write its partial results."""
    import h5py
    import warnings

    warnings.filterwarnings("ignore")
    keras, version = import_keras(writer)
    print("[%s] keras %s (%s)" % (writer, version, keras.__name__), flush=True)
    entries, notes = [], []
    tmp_entries = {}
    for spec in fixture_specs(writer):
        if only is not None and spec["name"] not in only:
            continue
        name = spec["name"]
        rel_dir = "%s/%s" % (name, writer)
        out_dir = os.path.join(FIXTURES, name, writer)
        dtype = spec.get("dtype", "float32")
        try:
            keras.backend.clear_session()
            keras.utils.set_random_seed(fixture_seed(name))
            rng = np.random.default_rng(fixture_seed(name))
            model = spec["build"](keras)
            if spec["wscale"] is not None:
                redraw_weights(model, rng, spec["wscale"])
            if spec.get("float16_rewrite"):
                round_weights_to_float16(model)
            calls = spec["calls"](rng)
            os.makedirs(out_dir)
            model_path = os.path.join(out_dir, "model.h5")
            formats = []
            try:
                save_model_h5(keras, writer, model, model_path)
                formats.append(("h5", model_path))
            except Exception as e:  # noqa: BLE001 - the writer cannot write this model as .h5; keep .keras
                if os.path.exists(model_path):
                    os.remove(model_path)
                msg = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
                note(notes, writer, "SKIP %s/%s model.h5 (model.keras still written): the h5 save failed: "
                     "%s: %s" % (name, writer, type(e).__name__, msg))
            keras_path = os.path.join(out_dir, "model.keras")
            if keras_format_supported(writer):
                save_model_keras(keras, writer, model, keras_path)
                formats.append(("keras", keras_path))
            if spec.get("float16_rewrite"):
                n_h5 = rewrite_h5_weights_float16(model_path)
                counts = []
                rewrite_keras_member(keras_path, "model.weights.h5",
                                     lambda p: counts.append(rewrite_datasets_float16(p, "/")))
                with h5py.File(model_path, "r") as f:
                    mw = f["model_weights"]
                    dts = sorted({str(mw[l][n].dtype) for l in attr_list(mw, "layer_names")
                                  for n in attr_list(mw[l], "weight_names")})
                notes.append("float16_weights/%s: rewrote %d h5 datasets and %d .keras datasets as float16; "
                             "h5 weight dtypes now %s" % (writer, n_h5, counts[0], dts))
            manifest_calls = run_calls(model, calls, out_dir, rel_dir, dtype)
            if spec.get("stateful"):
                o = [np.load(os.path.join(FIXTURES, p)) for c in manifest_calls for p in c["outputs"]]
                reset_model_states(model)
                fresh2 = model.predict(calls[1]["inputs"][0], verbose=0)
                d13 = float(np.max(np.abs(o[0] - o[2])))
                d2 = float(np.max(np.abs(o[1] - fresh2)))
                notes.append("%s/%s: |call0-call2|=%.2e (reset works), |call1 - fresh predict(x2)|"
                             "=%.3f (state carried)" % (name, writer, d13, d2))
                assert d13 < 1e-6 and d2 > 1e-3, (d13, d2)
            if spec.get("mask"):
                check_mask_fixture(spec, keras, writer, model, calls, manifest_calls, notes)
            if spec.get("check"):
                spec["check"](keras, writer, spec, model, calls, manifest_calls, notes)
            if spec.get("chunked_names"):
                with h5py.File(model_path, "r") as f:
                    mw = f["model_weights"].attrs
                    keys = sorted(k for k in mw if k.startswith("layer_names"))
                    desc = ", ".join("%s: %s" % (k, attr_type_desc(mw, k)) for k in keys)
                    msg = "chunked_names/%s: model_weights attrs %s" % (writer, desc)
                    print("[%s] %s" % (writer, msg), flush=True)
                    notes.append(msg)
                    assert "layer_names" not in mw and "layer_names0" in mw and "layer_names1" in mw, keys
            trainable = weights_size(model.trainable_weights)
            non_trainable = weights_size(model.non_trainable_weights)
            assert trainable + non_trainable == int(model.count_params()), (trainable, non_trainable)
            layers = [{"name": l.name, "class_name": l.__class__.__name__,
                       "output_shape": layer_output_shape(l), "params": int(l.count_params()),
                       "trainable_params": weights_size(l.trainable_weights),
                       "non_trainable_params": weights_size(l.non_trainable_weights)}
                      for l in model.layers]
            for fmt, path in formats:
                saved = saved_layer_entries(path, fmt)
                # The class as the file writes it (the .keras config says GroupQueryAttention, the
                # .h5 one the Python class GroupedQueryAttention).
                fmt_layers = [dict(l, config=saved[l["name"]]["config"], class_name=saved[l["name"]].get("class_name", l["class_name"]))
                              for l in layers]
                entry = {
                    "name": name,
                    "writer": writer,
                    "format": fmt,
                    "keras_version": version,
                    "description": spec["description"],
                    "model": os.path.relpath(path, FIXTURES),
                    "dtype": dtype,
                    # Deep applications accumulate float32 rounding over dozens of layers: the
                    # issue's bar for them is 1e-4.
                    "atol": 1e-9 if dtype == "float64" else spec.get("atol", 1e-5),
                    "total_params": int(model.count_params()),
                    "trainable_params": trainable,
                    "non_trainable_params": non_trainable,
                    "layers": fmt_layers,
                    "calls": manifest_calls,
                }
                if spec.get("unsupported"):
                    # Classes KerasKit must refuse, by name, for this model: tests check the refusal.
                    entry["unsupported"] = spec["unsupported"]
                operations = sorted({l["class_name"] for n, l in saved.items() if n not in {m["name"] for m in layers}})
                if operations:
                    # Keras 3 operation nodes (keras.ops.* on symbolic tensors): not in model.layers.
                    entry["operations"] = operations
                entries.append(entry)
                if fmt == "h5":
                    tmp_entries[name] = entry
            print("[%s] ok   %s" % (writer, name), flush=True)
        except Exception as e:  # noqa: BLE001 - record the skip, keep going
            shutil.rmtree(out_dir, ignore_errors=True)
            if os.path.isdir(os.path.join(FIXTURES, name)) and not os.listdir(os.path.join(FIXTURES, name)):
                os.rmdir(os.path.join(FIXTURES, name))
            msg = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
            notes.append("SKIP %s/%s: %s: %s" % (name, writer, type(e).__name__, msg))
            print("[%s] SKIP %s: %s: %s" % (writer, name, type(e).__name__, msg), flush=True)

    if only is not None:
        # A partial run leaves the error fixtures and the file facts to the last full run.
        if "lstm_last" in only:
            entries.append(make_chunked_weight_names(tmp_entries["lstm_last"], writer, notes))
        verify = verify_entries(keras, writer, entries)
        with open(os.path.join(FIXTURES, ".partial_%s.json" % writer), "w") as fh:
            json.dump({"fixtures": entries, "errors": [], "notes": notes, "facts": [], "verify": verify}, fh)
        return

    # Image augmentation classes this writer exports, and which of them the grid covers.
    covered = {spec["aug"]["cls"] for spec in fixture_specs(writer) if spec.get("aug")}
    found = sorted(n for n in dir(keras.layers) if isinstance(getattr(keras.layers, n), type) and (
        n.startswith("Rand") or n == "Pipeline" or "image_preprocessing" in getattr(keras.layers, n).__module__))
    missing = [n for n in found if n not in covered and n not in AUG_NOT_AUGMENTATION]
    note(notes, writer, "augmentation classes in keras.layers: %s; without an aug_ fixture: %s" % (
        " ".join(found), " ".join(missing) or "none"))

    errors_dir = os.path.join(FIXTURES, "errors")
    os.makedirs(errors_dir, exist_ok=True)
    lstm_last_h5 = os.path.join(FIXTURES, "lstm_last", writer, "model.h5")
    entries.append(make_chunked_weight_names(tmp_entries["lstm_last"], writer, notes))
    errors = make_error_fixtures(keras, writer, errors_dir, lstm_last_h5, notes)
    errors += make_more_error_fixtures(keras, writer, errors_dir, notes)
    verify = verify_entries(keras, writer, entries)

    facts = describe_h5(lstm_last_h5)
    facts += ["stateful " + s for s in describe_h5(os.path.join(FIXTURES, "lstm_stateful", writer, "model.h5"))
              if "weight_names" in s]
    with h5py.File(os.path.join(errors_dir, "weights_only.%s.h5" % writer), "r") as f:
        paths = []
        f.visit(paths.append)
        facts.append("weights_only root attrs %s; objects %s" % (sorted(f.attrs), paths[:12]))
    with open(os.path.join(FIXTURES, ".partial_%s.json" % writer), "w") as fh:
        json.dump({"fixtures": entries, "errors": errors, "notes": notes, "facts": facts, "verify": verify}, fh)


# Keras 3's legacy .h5 loader cannot read these back: it keeps a layer's `axis` only when it is
# one int (so a list such as [1, 2, 3] becomes the default -1 and the saved weights no longer
# fit), and cannot deserialize Normalization's nested config statistics. KerasKit reads the
# config as written; the stored outputs come from the model in memory.
KERAS3_H5_UNRELOADABLE = {"ops_activations", "ops_unary", "ops_binary", "ops_reductions", "ops_float64",
                          "normalization_adapted", "normalization_invert", "normalization_config_stats", "rms_norm",
                          "layer_norm_axes", "layer_norm_rms_scaling", "norm_float64", "ops_attention", "ops_attention_float64", "transformer_text_classifier_ops"}
# Keras 3's legacy .h5 loader deserializes Attention's score_mode "dot" as the function
# keras.ops.dot, which Attention then refuses; "concat" and AdditiveAttention reload.
KERAS3_H5_UNRELOADABLE |= {"attention_dot", "attention_scale", "attention_causal", "attention_scores", "attention_key",
                           "attention_explicit_mask", "attention_embedding_mask", "attention_seq2seq",
                           "attention_seq2seq_tokens", "attention_float64", "attention_seq2seq_float64",
                           "attention_explicit_mask_float64"}
# Keras 3 operation nodes (ops-struct block): its legacy .h5 loader knows no Transpose, Take, ...
KERAS3_H5_UNRELOADABLE |= {"ops_struct_shape", "ops_struct_index", "ops_struct_repeat", "ops_struct_float64"}


def application_objects(keras, name):
    """The keras.applications module's own layer classes (ConvNeXt's LayerScale) for an app_
    fixture, which load_model needs; None otherwise."""
    import make_applications as apps
    if name == "layer_scale":
        return apps.custom_objects(keras, "ConvNeXtTiny")
    if not name.startswith("app_"):
        return None
    app = {a.lower(): a for a in apps.APPS}.get(name[len("app_"):])
    return apps.custom_objects(keras, app) if app else None


def verify_entries(keras, writer, entries):
    """Reload every saved model with the same writer's load_model and re-run the calls."""
    verify = []
    for entry in entries:
        keras.backend.clear_session()
        worst = 0.0
        how = ""
        try:
            try:
                m = keras.models.load_model(os.path.join(FIXTURES, entry["model"]), compile=False,
                                            custom_objects=application_objects(keras, entry["name"]))
            except ValueError as e:
                # Keras 3 cannot re-read its own legacy .h5 when the Functional config holds
                # mask operations (NotEqual/Any); it can once they are passed as custom objects.
                if writer != "keras3" or entry["format"] != "h5" or "Unknown layer: 'NotEqual'" not in str(e):
                    raise
                from keras.src.ops import numpy as knp

                keras.backend.clear_session()
                m = keras.models.load_model(os.path.join(FIXTURES, entry["model"]), compile=False,
                                            custom_objects={"NotEqual": knp.NotEqual, "Any": knp.Any})
                how = "  [plain load_model fails: Unknown layer 'NotEqual'; used custom_objects NotEqual/Any]"
            if writer == "keras3" and entry["format"] == "h5":
                how += restore_softmax_axes(m, entry)
            for c in entry["calls"]:
                if c["reset_states_before"]:
                    reset_model_states(m)
                xs = [np.load(os.path.join(FIXTURES, p)) for p in c["inputs"]]
                out = m.predict(xs[0] if len(xs) == 1 else xs, verbose=0)
                outs = out if isinstance(out, (list, tuple)) else [out]
                assert len(outs) == len(c["outputs"]), (len(outs), len(c["outputs"]))
                for p, o in zip(c["outputs"], outs):
                    ref = np.load(os.path.join(FIXTURES, p))
                    assert np.asarray(o).shape == ref.shape and np.asarray(o).dtype == ref.dtype
                    worst = max(worst, float(np.max(np.abs(np.asarray(o) - ref))))
            status = "ok  " if worst < 1e-6 else "FAIL"
            line = "%s %-26s %-5s max|load_model.predict - stored| = %.3g  params %d (trainable %d)%s" % (
                status, entry["name"], entry["format"], worst, entry["total_params"], entry["trainable_params"],
                how)
            assert int(m.count_params()) == entry["total_params"], (m.count_params(), entry["total_params"])
            assert weights_size(m.trainable_weights) == entry["trainable_params"], (
                weights_size(m.trainable_weights), entry["trainable_params"])
        except Exception as e:  # noqa: BLE001
            why = str(e).strip().splitlines()[0][:160] if str(e).strip() else ""
            line = "FAIL %-26s %-5s %s: %s" % (entry["name"], entry["format"], type(e).__name__, why)
            if writer == "keras3" and entry["format"] == "h5" and (entry["name"].startswith("app_")
                                                                   or entry["name"] in KERAS3_H5_UNRELOADABLE):
                # Keras 3's legacy .h5 drops the module of operation nodes (x + 3.0) and of
                # applications' own classes, so Keras 3 cannot read back some applications it
                # saved; the stored outputs come from the model in memory, as for every fixture.
                line = "note %-26s %-5s Keras 3 cannot reload its own .h5 (%s: %s)" % (
                    entry["name"], entry["format"], type(e).__name__, why)
        verify.append(line)
        print("[%s] verify %s" % (writer, line), flush=True)
    return verify


def restore_softmax_axes(m, entry):
    """Keras 3's legacy-h5 loader (keras/src/legacy/saving/saving_utils.py, model_from_config) pops
    every layer config's `axis` and puts it back only when it is an int or a 1-element list, so
    Softmax(axis=[1, 2]) and UnitNormalization(axis=[1, 2]) come back with axis -1.  Check that this is what happened, measure
    it, and restore the axis stored in the file (the stored outputs follow the file)."""
    configs = {l["name"]: l["config"] for l in entry["layers"]}
    fixed = []
    for layer in m.layers:
        want = configs.get(layer.name, {}).get("axis")
        if layer.__class__.__name__ in ("Softmax", "UnitNormalization") and isinstance(want, list) and len(want) > 1:
            assert layer.axis == -1, (layer.name, layer.axis)
            fixed.append((layer, want))
    if not fixed:
        return ""
    c = entry["calls"][0]
    xs = [np.load(os.path.join(FIXTURES, p)) for p in c["inputs"]]
    off = float(np.max(np.abs(np.asarray(m(xs[0] if len(xs) == 1 else xs)) -
                              np.load(os.path.join(FIXTURES, c["outputs"][0])))))
    assert off > 1e-3, off
    for layer, want in fixed:
        layer.axis = want
    return ("  [Keras 3 legacy-h5 load_model drops %s axis %s (loads axis -1; outputs then off by %.3g); "
            "axis restored from the stored config]" % (fixed[0][0].__class__.__name__, fixed[0][1], off))


def times_two_lambda():
    """`lambda t: t * 2` compiled from a fixed source under a fixed file name.  The Lambda error
    fixtures marshal its code object (file name, line, qualified name), so they depend neither on
    where the repository lives nor on where in this script the lambda is written."""
    return eval(compile("lambda t: t * 2", "<make_fixtures lambda>", "eval"))  # noqa: S307


def make_more_error_fixtures(keras, writer, errors_dir, notes):
    """Lambda / custom-layer models and broken .keras archives."""
    errors = []

    def err(kind, fmt, description, expect):
        fn = "%s.%s.%s" % (kind, writer, fmt)
        errors.append({"name": kind, "file": "errors/" + fn, "format": fmt,
                       "description": "[%s] %s" % (writer, description), "expect": expect})
        return os.path.join(errors_dir, fn)

    def check_loads(path, x, **kw):
        keras.backend.clear_session()
        m = keras.models.load_model(path, compile=False, **kw)
        m.predict(x, verbose=0)
        notes.append("errors/%s: Keras itself loads it (%s) and predicts" % (
            os.path.basename(path), ", ".join("%s=%s" % kv for kv in kw.items()) or "defaults"))

    x = np.random.default_rng(0).standard_normal((2, 6, 3)).astype(np.float32)

    # Lambda layer (python bytecode in the config).
    keras.backend.clear_session()
    keras.utils.set_random_seed(fixture_seed("lambda"))
    model = keras.Sequential([keras.Input(shape=(6, 3)), keras.layers.Lambda(times_two_lambda()),
                              keras.layers.LSTM(3)])
    desc = "Sequential Input -> Lambda(lambda x: x * 2) -> LSTM(3); Lambda holds Python bytecode"
    path = err("lambda", "h5", desc, "Lambda")
    save_model_h5(keras, writer, model, path)
    check_loads(path, x, **({"safe_mode": False} if writer == "keras3" else {}))
    if writer == "keras3":
        path = err("lambda", "keras", desc, "Lambda")
        save_model_keras(keras, writer, model, path)
        check_loads(path, x, safe_mode=False)

    if writer != "keras3":
        return errors

    # Registered custom layer class.
    @keras.saving.register_keras_serializable(package="KerasKitFixtures")
    class TimesTwo(keras.layers.Layer):
        def call(self, inputs):
            return inputs * 2.0

    keras.backend.clear_session()
    model = keras.Sequential([keras.Input(shape=(6, 3)), TimesTwo(), keras.layers.LSTM(3)])
    path = err("custom_layer", "keras", "Sequential Input -> TimesTwo (custom layer registered as "
               "'KerasKitFixtures>TimesTwo') -> LSTM(3)", "TimesTwo")
    save_model_keras(keras, writer, model, path)
    check_loads(path, x)

    # Broken archives derived from lstm_last/keras3/model.keras with zipfile.
    good = os.path.join(FIXTURES, "lstm_last", writer, "model.keras")
    src = read_zip_entries(good)
    write_zip_entries(err("keras_missing_weights", "keras", "lstm_last .keras without its model.weights.h5 "
                          "entry", "model.weights.h5"),
                      [(i, d) for i, d in src if i.filename != "model.weights.h5"])
    write_zip_entries(err("keras_missing_config", "keras", "lstm_last .keras without its config.json entry",
                          "config.json"),
                      [(i, d) for i, d in src if i.filename != "config.json"])
    write_zip_entries(err("keras_bad_json", "keras", "lstm_last .keras whose config.json is '{ not json'",
                          "config.json"),
                      [(i, b"{ not json" if i.filename == "config.json" else d) for i, d in src])
    with open(good, "rb") as fh:
        data = fh.read()
    with open(err("keras_truncated", "keras", "lstm_last .keras cut to its first half (%d of %d bytes; "
                  "no end-of-central-directory record)" % (len(data) // 2, len(data)), "zip"), "wb") as fh:
        fh.write(data[:len(data) // 2])
    bomb = os.path.join(errors_dir, "keras_bomb.%s.keras" % writer)
    csize = write_zip_bomb(bomb, src)
    err("keras_bomb", "keras", "zip bomb: metadata.json and model.weights.h5 of lstm_last (stored), config.json "
        "a DEFLATE stream of %d spaces (true size declared in the zip headers; %d bytes compressed)"
        % (BOMB_SIZE, csize), "config.json")
    return errors


BOMB_SIZE = 3_000_000_000


def write_zip_bomb(path, src_entries):
    """Hand-written zip: metadata.json, config.json (BOMB_SIZE spaces, deflated), model.weights.h5.
    The deflate stream is produced incrementally; nothing near BOMB_SIZE is held in memory."""
    import struct

    chunk = b" " * (1 << 24)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = 0
    parts = []
    done = 0
    while done < BOMB_SIZE:
        k = min(len(chunk), BOMB_SIZE - done)
        parts.append(comp.compress(chunk[:k]))
        crc = zlib.crc32(chunk[:k], crc)
        done += k
    parts.append(comp.flush())
    bomb_data = b"".join(parts)
    src = {i.filename: d for i, d in src_entries}
    members = [("metadata.json", 0, src["metadata.json"], zlib.crc32(src["metadata.json"]),
                len(src["metadata.json"])),
               ("config.json", 8, bomb_data, crc, BOMB_SIZE),
               ("model.weights.h5", 0, src["model.weights.h5"], zlib.crc32(src["model.weights.h5"]),
                len(src["model.weights.h5"]))]
    dos_time, dos_date = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00
    out = bytearray()
    central = bytearray()
    for name, method, data, c, usize in members:
        nb = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, dos_time, dos_date, c, len(data),
                           usize, len(nb), 0) + nb + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, dos_time, dos_date, c,
                               len(data), usize, len(nb), 0, 0, 0, 0, 0o600 << 16, offset) + nb
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), cd_offset, 0)
    with open(path, "wb") as fh:
        fh.write(out)
    return len(bomb_data)


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
        if fx["format"] != "h5":
            continue
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


def parse_only(argv):
    """The names after `--only` (comma-separated, the option may repeat), or None without it."""
    names = None
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--only" and rest:
            value = rest.pop(0)
        elif arg.startswith("--only="):
            value = arg[len("--only="):]
        else:
            sys.exit("usage: make_fixtures.py [--only NAME[,NAME...]] (unexpected argument %r)" % arg)
        names = (names or set()) | {n for n in value.split(",") if n}
    if names is not None and not names:
        sys.exit("--only needs at least one fixture name")
    return names


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--writer":
        only = parse_only(sys.argv[3:])
        run_writer(sys.argv[2], None if only is None else expand_only(only))
        return
    only = parse_only(sys.argv[1:])
    os.makedirs(FIXTURES, exist_ok=True)
    if only is None:
        # Remove what this script made; other scripts' folders (Fixtures/hdf5) stay.
        for entry in os.listdir(FIXTURES):
            path = os.path.join(FIXTURES, entry)
            if entry in OTHER_SCRIPTS_FOLDERS:
                continue
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    else:
        only = expand_only(only)
        known = set()
        for writer in WRITERS:
            known |= {spec["name"] for spec in fixture_specs(writer)}
        known |= set(DERIVED_FIXTURES)
        unknown = sorted(only - known)
        if unknown:
            sys.exit("--only: no fixture spec named %s" % ", ".join(unknown))
        with open(os.path.join(FIXTURES, "manifest.json")) as fh:
            previous = json.load(fh)
        for name in sorted(only):
            shutil.rmtree(os.path.join(FIXTURES, name), ignore_errors=True)
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
        subprocess.run([sys.executable, os.path.abspath(__file__), "--writer", writer] +
                       ([] if only is None else ["--only", ",".join(sorted(only))]),
                       env=env, cwd=REPO, check=True)
        partial = os.path.join(FIXTURES, ".partial_%s.json" % writer)
        with open(partial) as fh:
            results[writer] = json.load(fh)
        os.remove(partial)

    fixtures = [e for r in results.values() for e in r["fixtures"]]
    errors = [e for r in results.values() for e in r["errors"]]
    if only is not None:
        # Keep every other entry (and every error) exactly as the last run wrote it.
        fixtures += [e for e in previous["fixtures"] if e["name"] not in only]
        errors = previous["errors"]
    fixtures = sorted(fixtures, key=lambda e: (e["name"], e["writer"], e["format"] != "h5"))
    errors = sorted(errors, key=lambda e: e["file"])
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
    print("\n== verification (writer's own load_model + predict vs stored outputs) ==")
    failed = 0
    for writer in WRITERS:
        for line in results[writer]["verify"]:
            print("[%s] %s" % (writer, line))
            failed += line.startswith("FAIL")
    for writer in WRITERS:
        for fmt in ("h5", "keras"):
            names = [e["name"] for e in fixtures if e["writer"] == writer and e["format"] == fmt]
            print("\n%s %s: %d fixtures: %s" % (writer, fmt, len(names), " ".join(names)))
    print("errors: %d files" % len(errors))
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(FIXTURES) for f in fs)
    print("Fixtures/ total size: %.1f MB" % (size / 1e6))
    if failed:
        print("%d verification failures" % failed)
        sys.exit(1)


if __name__ == "__main__":
    main()
