// AVX2 + FMA (Haswell and later, Zen): 8-wide vectors, 6 × 16 micro-tiles. Only called after
// kk_detected_isa() has seen AVX2, FMA and OS support for the YMM state.
#include "KerasKitKernels.h"

#if defined(__x86_64__) && defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define KK_SUFFIX avx2
#define KK_VW 8
#define KK_NV 2
#define KK_MR 6
#define KK_HAS_FMA 1
// Batch-1 steps: one k-phase, 8 accumulator chains instead of 16; with the broadcast of h and
// the panel loads, 16 would need more than AVX2's 16 registers (measured: docs/BENCHMARKS.md).
#define KK_STEP1_PH 1
#include "kk_body.h"
#pragma clang attribute pop
#endif
