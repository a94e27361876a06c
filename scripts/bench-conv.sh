#!/usr/bin/env bash
# KerasKit against ONNX Runtime (on Keras's own ONNX export) and TensorFlow's compiled call, on
# real convolutional architectures, in one run; plus the machine's measured FMA peak, and per case
# the peak memory of `keraskit predict` and its output against Keras's.
#
#   scripts/bench-conv.sh [case …]    cases: mobilenetv2_b1 mobilenetv2_b16 resnet50_b1 resnet50_b8
#                                     crnn_b8 (default: all)
#   KERASKIT=path/to/keraskit scripts/bench-conv.sh …   time that binary instead of building one
#   KERASKIT_BENCH_SETTLE=N …   pause N s after the anchors (default 15)
#   KERASKIT_BENCH_ROUNDS=N …   paired rounds per case (default 5, 0: none)
#   KERASKIT_BENCH_REUSE=1 …    keep the anchors of an earlier run when they have every case asked
#                               for (re-time a new keraskit against the same files and numbers)
#
# A sibling of scripts/bench.sh rather than more cases in it: these models come from
# keras.applications and Keras's ONNX exporter (tf2onnx), not PyTorch, take minutes to build,
# export and time, and have their own goal (KerasKit's median ≤ ONNX Runtime's on every case).
# The run is scripts/bench-anchored.sh's (the steps are listed there) with the anchors of
# scripts/bench_conv_anchors.py, in .build-bench/conv-anchors/; the method is in docs/BENCHMARKS.md.
exec "$(dirname "$0")/bench-anchored.sh" conv "$@"
