// Runtime choice of the kernel level: cpuid for the instructions, xgetbv for the OS saving the
// wider registers. Nothing here is built with wider-than-baseline instructions.
#include "KerasKitKernels.h"

#include <stdlib.h>
#include <string.h>

#define KK_DECLARE(suffix)                                                                          \
    void kk_pack_##suffix(const kk_layout *, const float *, long, float *);                         \
    void kk_pack_transposed_##suffix(const kk_layout *, const float *, long, float *);                \
    void kk_softmax_rows_##suffix(float *, long, long, long, float);                                \
    void kk_gemm_rows_##suffix(const kk_layout *, const float *, long, long, const float *, long,  \
                               float *, long, int, const float *);                                  \
    void kk_exp_##suffix(float *, long);                                                            \
    void kk_sigmoid_##suffix(float *, long);                                                        \
    void kk_tanh_##suffix(float *, long);                                                           \
    void kk_gate_sigmoid_##suffix(float *, long);                                                   \
    void kk_gate_tanh_##suffix(float *, long);                                                      \
    void kk_lstm_gates_##suffix(const float *, long, float *, float *, long, long);                  \
    void kk_lstm_sequence_##suffix(const kk_layout *, const float *, const float *, long, long,     \
                                   long, long, long, float *, float *, float *, float *, long,      \
                                   long, int);                                                     \
    void kk_lstm_sequence1x_##suffix(const kk_layout *, const float *, const float *, const kk_layout *, \
                                     const float *, const float *, long, long, long, float *, float *,  \
                                     float *, long, int);                                               \
    void kk_lstm_sequence_x_##suffix(const kk_layout *, const float *, const float *, const kk_layout *,  \
                                     const float *, const float *, long, long, long, long, long, float *, \
                                     float *, float *, float *, long, long, int);

KK_DECLARE(baseline)
#if defined(__x86_64__) && defined(__clang__)
#define KK_HAS_X86_LEVELS 1
KK_DECLARE(avx2)
KK_DECLARE(avx512)
#include <cpuid.h>
#else
#define KK_HAS_X86_LEVELS 0
#endif

static int kk_probe_isa(void) {
#if KK_HAS_X86_LEVELS
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return KK_ISA_BASELINE;
    const int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return KK_ISA_BASELINE;
    unsigned xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    if ((xcr0_lo & 0x6) != 0x6) return KK_ISA_BASELINE; // XMM and YMM state
    if (__get_cpuid_max(0, 0) < 7) return KK_ISA_BASELINE;
    __cpuid_count(7, 0, a, b, c, d);
    const int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1;
    if (avx512f && fma && (xcr0_lo & 0xE6) == 0xE6) return KK_ISA_AVX512; // + opmask, ZMM state
    if (avx2 && fma) return KK_ISA_AVX2;
#endif
    return KK_ISA_BASELINE;
}

// cpuid traps to the hypervisor in a VM (microseconds): probe once. Racing first calls all store
// the same value.
static int kk_hardware_isa(void) {
    static volatile int cached = -1;
    int isa = cached;
    if (isa < 0) cached = isa = kk_probe_isa();
    return isa;
}

int kk_isa_supported(int isa) {
    return isa >= KK_ISA_BASELINE && isa <= kk_hardware_isa();
}

// A level this machine can run: `isa`, or the baseline when it can't.
static int kk_runnable(int isa) { return kk_isa_supported(isa) ? isa : KK_ISA_BASELINE; }

int kk_detected_isa(void) {
    static volatile int cached = -1;
    int isa = cached;
    if (isa >= 0) return isa;
    isa = kk_hardware_isa();
    const char *wanted = getenv("KERASKIT_ISA");
    if (wanted) {
        int w = -1;
        if (strcmp(wanted, "baseline") == 0) w = KK_ISA_BASELINE;
        if (strcmp(wanted, "avx2") == 0) w = KK_ISA_AVX2;
        if (strcmp(wanted, "avx512") == 0) w = KK_ISA_AVX512;
        if (w >= 0 && w <= isa) isa = w;
    }
    cached = isa; // idempotent: every thread computes the same value
    return isa;
}

int kk_panel_width(int isa) {
#if defined(__aarch64__)
    (void)isa;
    return 16;
#else
    return isa == KK_ISA_AVX512 ? 32 : isa == KK_ISA_AVX2 ? 16 : 8;
#endif
}

size_t kk_layout_make(kk_layout *layout, int isa, long k, long n, long groups) {
    if (!layout || k < 0 || n < 0 || groups <= 0 || n % groups != 0 || !kk_isa_supported(isa)) return 0;
    const int nr = kk_panel_width(isa);
    const long width = n / groups;
    layout->isa = isa;
    layout->nr = nr;
    layout->k = k;
    layout->n = n;
    layout->groups = groups;
    layout->panels_per_group = (width + nr - 1) / nr;
    // One cache line between panels: panels of a power-of-two size (k·nr·4 = 4 KiB for k = 32 at
    // AVX-512) would otherwise all map to the same L1 set when several are read together.
    layout->panel_stride = k * nr + 16;
    const size_t count = (size_t)groups * (size_t)layout->panels_per_group * (size_t)layout->panel_stride;
    return count > 0 ? count : 1;
}

#if KK_HAS_X86_LEVELS
#define KK_DISPATCH(isa, name, ...)                                   \
    switch (isa) {                                                    \
    case KK_ISA_AVX512: name##_avx512(__VA_ARGS__); break;            \
    case KK_ISA_AVX2: name##_avx2(__VA_ARGS__); break;                \
    default: name##_baseline(__VA_ARGS__); break;                     \
    }
#else
#define KK_DISPATCH(isa, name, ...) ((void)(isa), name##_baseline(__VA_ARGS__))
#endif

void kk_pack(const kk_layout *layout, const float *b, long ldb, float *packed) {
    KK_DISPATCH(layout->isa, kk_pack, layout, b, ldb, packed)
}

void kk_pack_transposed(const kk_layout *layout, const float *bt, long ldbt, float *packed) {
    KK_DISPATCH(layout->isa, kk_pack_transposed, layout, bt, ldbt, packed)
}

void kk_softmax_rows(int isa, float *values, long rows, long n, long ld, float scale) {
    KK_DISPATCH(kk_runnable(isa), kk_softmax_rows, values, rows, n, ld, scale)
}

void kk_gemm_rows(const kk_layout *layout, const float *packed, long row_begin, long row_end,
                  const float *a, long lda, float *c, long ldc, int accumulate, const float *bias) {
    if (row_end <= row_begin) return;
    KK_DISPATCH(layout->isa, kk_gemm_rows, layout, packed, row_begin, row_end, a, lda, c, ldc, accumulate, bias)
}

void kk_exp(int isa, float *values, long count) { KK_DISPATCH(kk_runnable(isa), kk_exp, values, count) }
void kk_sigmoid(int isa, float *values, long count) { KK_DISPATCH(kk_runnable(isa), kk_sigmoid, values, count) }
void kk_tanh(int isa, float *values, long count) { KK_DISPATCH(kk_runnable(isa), kk_tanh, values, count) }
void kk_gate_sigmoid(int isa, float *values, long count) { KK_DISPATCH(kk_runnable(isa), kk_gate_sigmoid, values, count) }
void kk_gate_tanh(int isa, float *values, long count) { KK_DISPATCH(kk_runnable(isa), kk_gate_tanh, values, count) }

void kk_lstm_gates(int isa, const float *z, long z_stride, float *c, float *h, long batch, long units) {
    KK_DISPATCH(kk_runnable(isa), kk_lstm_gates, z, z_stride, c, h, batch, units)
}

void kk_lstm_sequence(const kk_layout *layout, const float *recurrent,
                      const float *projection, long pss, long pts,
                      long batch, long steps, long units, float *h, float *c, float *scratch,
                      float *sequence, long sss, long sts, int backwards) {
    KK_DISPATCH(layout->isa, kk_lstm_sequence, layout, recurrent, projection, pss, pts, batch, steps, units,
                h, c, scratch, sequence, sss, sts, backwards)
}

void kk_lstm_sequence1x(const kk_layout *kernel_layout, const float *kernel, const float *bias,
                        const kk_layout *recurrent_layout, const float *recurrent,
                        const float *x, long x_step_stride, long steps, long units,
                        float *h, float *c, float *sequence, long sequence_step_stride, int backwards) {
    if (units <= 0 || units > 256 || steps <= 0 || kernel_layout->isa != recurrent_layout->isa ||
        kernel_layout->groups != 4 || recurrent_layout->groups != 4 || kernel_layout->n != 4 * units ||
        recurrent_layout->n != 4 * units || recurrent_layout->k != units)
        return;
    KK_DISPATCH(recurrent_layout->isa, kk_lstm_sequence1x, kernel_layout, kernel, bias, recurrent_layout, recurrent, x,
                x_step_stride, steps, units, h, c, sequence, sequence_step_stride, backwards)
}

void kk_lstm_sequence_x(const kk_layout *kernel_layout, const float *kernel, const float *bias,
                        const kk_layout *recurrent_layout, const float *recurrent,
                        const float *x, long x_sample_stride, long x_step_stride, long batch, long steps, long units,
                        float *h, float *c, float *scratch, float *sequence, long sequence_sample_stride,
                        long sequence_step_stride, int backwards) {
    if (units <= 0 || steps <= 0 || batch <= 0 || kernel_layout->isa != recurrent_layout->isa ||
        kernel_layout->groups != 4 || recurrent_layout->groups != 4 || kernel_layout->n != 4 * units ||
        recurrent_layout->n != 4 * units || recurrent_layout->k != units)
        return;
    KK_DISPATCH(recurrent_layout->isa, kk_lstm_sequence_x, kernel_layout, kernel, bias, recurrent_layout, recurrent, x,
                x_sample_stride, x_step_stride, batch, steps, units, h, c, scratch, sequence, sequence_sample_stride,
                sequence_step_stride, backwards)
}
