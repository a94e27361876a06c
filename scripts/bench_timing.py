"""How the benchmark anchors time a call (scripts/bench_anchors.py, scripts/bench_conv_anchors.py).

scripts/bench_paired.py times the same counts after the same warm-up.
"""

import time

import numpy as np

WARMUP = 3


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
