// AVX-512F (Skylake-SP and later): 16-wide vectors, 12 × 32 micro-tiles. Only called after
// kk_detected_isa() has seen AVX-512F and OS support for the ZMM state.
#include "KerasKitKernels.h"

#if defined(__x86_64__) && defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#define KK_SUFFIX avx512
#define KK_VW 16
#define KK_NV 2
#define KK_MR 12
#define KK_HAS_FMA 1
#define KK_GP 8
#define KK_RCP14 1
#define KK_EW_NV 4
#include "kk_body.h"
#pragma clang attribute pop
#endif
