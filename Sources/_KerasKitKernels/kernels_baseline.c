// The baseline level: SSE2 on x86-64, NEON (with FMA) on arm64, plain vectors elsewhere.
#include "KerasKitKernels.h"

#define KK_SUFFIX baseline
#if defined(__aarch64__)
#define KK_VW 4
#define KK_NV 4
#define KK_MR 6
#define KK_HAS_FMA 1
#else
#define KK_VW 4
#define KK_NV 2
#define KK_MR 6
#define KK_HAS_FMA 0
#endif
#include "kk_body.h"
