// Portable SIMD kernels for KerasKit: packed single-precision matrix products, vectorized
// exp / sigmoid / tanh and a fused LSTM recurrence.
//
// Every kernel is compiled several times from one body (kk_body.h): once for the baseline of the
// platform (SSE2 on x86-64, NEON on arm64) and, on x86-64, once each for AVX2+FMA and AVX-512
// through `#pragma clang attribute` target attributes. `kk_detected_isa()` picks the best level
// the processor and the OS support (cpuid + xgetbv), so one binary runs on any x86-64.
//
// No external library. All pointers are caller-owned; nothing here allocates.
#ifndef KERASKIT_KERNELS_H
#define KERASKIT_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set levels. `KK_ISA_BASELINE` exists on every platform.
enum {
    KK_ISA_BASELINE = 0,
    KK_ISA_AVX2 = 1,
    KK_ISA_AVX512 = 2,
};

/// The best level this processor and OS support, honouring the environment variable
/// `KERASKIT_ISA=baseline|avx2|avx512` when it asks for a supported level. Cached after the first call.
int kk_detected_isa(void);

/// Whether `isa` can run here.
int kk_isa_supported(int isa);

/// The panel width `nr` of `isa`'s packed matrices on this platform, whether or not it can run here:
/// 8 (SSE2), 16 (AVX2, and NEON on arm64), 32 (AVX-512).
int kk_panel_width(int isa);

/// Describes a `k × n` row-major matrix `B` packed for one ISA level.
///
/// The `n` columns form `groups` equal groups (the four gates of an LSTM use 4); each group is cut
/// into panels `nr` columns wide, the last one zero-padded. Panel `p` holds `k × nr` floats,
/// row after row, at `packed + p * panel_stride`.
typedef struct {
    int isa;
    int nr;
    long k;
    long n;
    long groups;
    long panels_per_group;
    long panel_stride;
} kk_layout;

/// Fills `layout` for packing a `k × n` matrix in `groups` column groups (n % groups == 0) for
/// `isa`; returns the number of floats the packed matrix needs, or 0 when the arguments are invalid.
size_t kk_layout_make(kk_layout *layout, int isa, long k, long n, long groups);

/// Packs row-major `b` (`k × n`, leading dimension `ldb`) into `packed` (kk_layout_make's count).
void kk_pack(const kk_layout *layout, const float *b, long ldb, float *packed);

/// Packs `B = btᵀ` from `bt` (`n × k` row-major, leading dimension `ldbt`) into `packed`, as
/// ``kk_pack`` packs `B` itself: for right-hand sides held transposed (attention's keys).
void kk_pack_transposed(const kk_layout *layout, const float *bt, long ldbt, float *packed);

/// `c[m × n] = (accumulate ? c : 0) + a[m × k] · B + bias` for rows `row_begin ..< row_end` of `a`
/// and `c` only, with B packed as `layout` says and `bias` (n floats) optional (NULL). Row-major
/// `a` and `c` with leading dimensions `lda`, `ldc`. Threads may call it for disjoint row ranges at once.
void kk_gemm_rows(const kk_layout *layout, const float *packed, long row_begin, long row_end,
                  const float *a, long lda, float *c, long ldc, int accumulate, const float *bias);

/// Element-wise in place over `count` floats, with the level `isa` (the baseline if unsupported).
/// Maximum errors over all floats are given in KernelTests / docs/BENCHMARKS.md (≤ 3 ulp).
void kk_exp(int isa, float *values, long count);
void kk_sigmoid(int isa, float *values, long count);
void kk_tanh(int isa, float *values, long count);

/// The softmax of each of `rows` rows of `n` floats, `ld` apart, in place, after scaling them by
/// `scale`: `exp(x − max) / Σ` with ``kk_exp``'s exponential. A row holding NaN or +inf gives NaN.
void kk_softmax_rows(int isa, float *values, long rows, long n, long ld, float scale);

/// The cheaper σ and tanh inside kk_lstm_gates and kk_lstm_sequence, element-wise in place (for
/// tests): arguments beyond ±80 (σ) or ±40 (tanh) saturate, so no subnormal or overflowing
/// intermediate; NaN stays NaN. Measured max absolute error 9.5e-8 (σ) and 1.15e-7 (tanh) over
/// every 5th float in ±90 at the baseline and AVX2 levels; KernelTests checks ≤ 2e-7.
void kk_gate_sigmoid(int isa, float *values, long count);
void kk_gate_tanh(int isa, float *values, long count);

/// One LSTM step's gate math with σ = sigmoid and φ = tanh for `batch` samples: row s of `z`
/// (at `z + s*z_stride`) holds the 4·units pre-activations i, f, c, o (projection and recurrent
/// product summed); `c` and `h` (`batch × units`) are updated in place.
void kk_lstm_gates(int isa, const float *z, long z_stride, float *c, float *h, long batch, long units);

/// The Keras LSTM recurrence with σ = sigmoid and φ = tanh for `batch` samples over `steps` steps.
///
/// Per step t (input step `goes_backwards ? steps-1-t : t`) and sample s:
///   z = projection[s, step] + h[s] · U      (U packed as `recurrent`, 4 groups i f c o)
///   c[s] = σ(z_f)·c[s] + σ(z_i)·tanh(z_c);  h[s] = σ(z_o)·tanh(c[s])
/// `projection[s, step]` is at `projection + s*projection_sample_stride + step*projection_step_stride`
/// (4·units floats, bias included). `h`, `c` are `batch × units`, updated in place. `scratch` holds
/// `batch × 4·units` floats. When `sequence` is not NULL, h after processing step t goes to
/// `sequence + s*sequence_sample_stride + t*sequence_step_stride`.
void kk_lstm_sequence(const kk_layout *recurrent_layout, const float *recurrent,
                      const float *projection, long projection_sample_stride, long projection_step_stride,
                      long batch, long steps, long units, float *h, float *c, float *scratch,
                      float *sequence, long sequence_sample_stride, long sequence_step_stride,
                      int goes_backwards);

/// ``kk_lstm_sequence`` for one sample with the input projection folded into the steps:
/// z = bias + x[step] · W + h · U (`W` packed as `kernel_layout`, 4 groups, `k` = input width;
/// `bias` 4·units floats or NULL). `x[step]` is at `x + step * x_step_stride`; `units` ≤ 256
/// (the function does nothing otherwise). `sequence` as in ``kk_lstm_sequence`` (sample stride unused).
void kk_lstm_sequence1x(const kk_layout *kernel_layout, const float *kernel, const float *bias,
                        const kk_layout *recurrent_layout, const float *recurrent,
                        const float *x, long x_step_stride, long steps, long units,
                        float *h, float *c, float *sequence, long sequence_step_stride, int backwards);

/// ``kk_lstm_sequence`` with the input projection in each step's product, for batches:
/// z = bias + x[s, step] · W + h[s] · U, one set of accumulators for both products (`W` packed as
/// `kernel_layout`, 4 groups, `k` = input width, same level and columns as `U`; `bias` 4·units floats
/// or NULL). `x[s, step]` is at `x + s*x_sample_stride + step*x_step_stride`; `scratch` holds
/// `batch × 4·units` floats; `sequence` as in ``kk_lstm_sequence``. Does nothing when the layouts
/// don't match.
void kk_lstm_sequence_x(const kk_layout *kernel_layout, const float *kernel, const float *bias,
                        const kk_layout *recurrent_layout, const float *recurrent,
                        const float *x, long x_sample_stride, long x_step_stride, long batch, long steps, long units,
                        float *h, float *c, float *scratch, float *sequence, long sequence_sample_stride,
                        long sequence_step_stride, int backwards);

#ifdef __cplusplus
}
#endif

#endif
