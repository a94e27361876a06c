"""The transformer benchmark's anchors: a text classifier timed in ONNX Runtime and TensorFlow.

    python scripts/bench_transformer_anchors.py [case …]
        cases: transformer_b1 transformer_b32 (default: both)

scripts/bench-transformer.sh runs this with the Python of .venv-bench in its work directory
.build-bench/transformer-anchors/, then times `keraskit bench` on the very files written here, in
paired rounds against ONNX Runtime (scripts/bench_paired.py). The engines, files and
anchor_results.json are those of scripts/bench_engines.py.

The model, from Keras 3 core layers only (keras-team's "Text classification with Transformer"
example, with its custom TokenAndPositionEmbedding replaced by a second input of position ids
into an `Embedding`, and its feed-forward `relu`, which tf2onnx exports exactly):

    tokens (int32, 128) → Embedding(20 000, 256)  ┐
    positions (int32, 128) → Embedding(128, 256)  ┴ Add
    2 × [ MultiHeadAttention(4 heads, key_dim 64)(x, x) → Dropout → Add(x, ·) → LayerNormalization,
          Dense(512, relu) → Dense(256) → Dropout → Add(x, ·) → LayerNormalization ]
    GlobalAveragePooling1D → Dropout → Dense(2)           (logits)

    case             batch   inputs
    transformer_b1       1   tokens uniform in 1 ..< 20 000, positions 0 ..< 128
    transformer_b32     32   the same

Weights: Keras's own initializers under keras.utils.set_random_seed(0), then every bias and
LayerNormalization gamma/beta redrawn (seeded; Keras initializes them to 0 and 1, which would
leave those code paths untested). Dropout is the identity at inference. FLOPs count 2 per
multiply-add of the projections, q·kᵀ, scores·v and the Dense layers.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
from bench_engines import run_cases, save_case, time_engines, weight_bytes  # noqa: E402

import keras  # noqa: E402 - after bench_engines set the backend

SEED = 0
SEQUENCE, D_MODEL, HEADS, FEED_FORWARD, BLOCKS, VOCABULARY, CLASSES = 128, 256, 4, 512, 2, 20_000, 2
CALLS = {"transformer_b1": 50, "transformer_b32": 10}
CASES = {"transformer_b1": 1, "transformer_b32": 32}


def classifier():
    layers = keras.layers
    tokens = keras.Input((SEQUENCE,), dtype="int32", name="tokens")
    positions = keras.Input((SEQUENCE,), dtype="int32", name="positions")
    x = layers.Add(name="embed")([layers.Embedding(VOCABULARY, D_MODEL, name="token_embedding")(tokens),
                                  layers.Embedding(SEQUENCE, D_MODEL, name="position_embedding")(positions)])
    for block in range(BLOCKS):
        attended = layers.MultiHeadAttention(HEADS, D_MODEL // HEADS, name=f"attention_{block}")(x, x)
        attended = layers.Dropout(0.1)(attended)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"norm_{block}a")(layers.Add()([x, attended]))
        fed = layers.Dense(FEED_FORWARD, activation="relu", name=f"ffn_{block}a")(x)
        fed = layers.Dense(D_MODEL, name=f"ffn_{block}b")(fed)
        fed = layers.Dropout(0.1)(fed)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"norm_{block}b")(layers.Add()([x, fed]))
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(CLASSES, name="head")(x)
    return keras.Model([tokens, positions], outputs, name="transformer_classifier")


def redraw_biases_and_norms(model, rng):
    for layer in model._flatten_layers(include_self=False, recursive=True):
        is_norm = type(layer).__name__ == "LayerNormalization"
        for v in layer.weights:
            name = v.path.split("/")[-1]
            if name == "bias":
                v.assign(rng.uniform(-0.1, 0.1, v.shape).astype(np.float32))
            elif is_norm and name == "gamma":
                v.assign(rng.uniform(0.7, 1.3, v.shape).astype(np.float32))
            elif is_norm and name == "beta":
                v.assign(rng.uniform(-0.2, 0.2, v.shape).astype(np.float32))


def flops_per_sample():
    projections = 4 * 2 * SEQUENCE * D_MODEL * D_MODEL
    attention = 2 * SEQUENCE * SEQUENCE * D_MODEL * 2  # q·kᵀ and scores·v over all heads
    feed_forward = 2 * 2 * SEQUENCE * D_MODEL * FEED_FORWARD
    return BLOCKS * (projections + attention + feed_forward) + 2 * D_MODEL * CLASSES


def run_case(case, models):
    batch = CASES[case]
    if "model" not in models:  # both batches share one model (and its weights)
        keras.utils.set_random_seed(SEED)
        model = classifier()
        redraw_biases_and_norms(model, np.random.default_rng(SEED))
        models["model"] = model
    model = models["model"]
    rng = np.random.default_rng(SEED + batch)
    inputs = {"tokens": rng.integers(1, VOCABULARY, (batch, SEQUENCE)).astype(np.int32),
              "positions": np.tile(np.arange(SEQUENCE, dtype=np.int32), (batch, 1))}
    base = os.path.join("anchor_models", case)
    y = save_case(model, base, inputs)
    count = CALLS[case]
    r = {"calls": count, "batch": batch, "input_shape": [batch, SEQUENCE], "params": int(model.count_params()),
         "weight_bytes": weight_bytes(model), "gflop": flops_per_sample() * batch / 1e9}
    r.update(time_engines(model, base, inputs, y, count))
    return r


if __name__ == "__main__":
    run_cases(list(CASES), run_case)
