#!/usr/bin/env bash
# KerasKit against ONNX Runtime (on Keras's own ONNX export) and TensorFlow's compiled call, on a
# transformer text classifier (token and position embeddings, two blocks of MultiHeadAttention,
# residual Add, LayerNormalization and a relu feed-forward, GlobalAveragePooling1D, a Dense head;
# sequence 128, d_model 256, 4 heads, feed-forward 512, vocabulary 20 000), at batch 1 and 32.
#
#   scripts/bench-transformer.sh [case …]    cases: transformer_b1 transformer_b32 (default: both)
#   KERASKIT=path/to/keraskit, KERASKIT_BENCH_SETTLE, KERASKIT_BENCH_ROUNDS, KERASKIT_BENCH_REUSE
#       as for scripts/bench-conv.sh
#
# The run is scripts/bench-anchored.sh's (the steps are listed there) with the anchors of
# scripts/bench_transformer_anchors.py (the model), in .build-bench/transformer-anchors/; goal:
# KerasKit's median ≤ ONNX Runtime's at both batches. The method is in docs/BENCHMARKS.md.
exec "$(dirname "$0")/bench-anchored.sh" transformer "$@"
