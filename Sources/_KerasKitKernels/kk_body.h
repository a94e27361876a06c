// One body for every ISA level; included by kernels_<level>.c after defining
//   KK_SUFFIX   name suffix (baseline, avx2, avx512)
//   KK_VW       floats per vector register (4, 8, 16)
//   KK_NV       vectors per packed panel row (panel width nr = KK_VW * KK_NV)
//   KK_MR       rows per micro-tile (accumulators = KK_MR * KK_NV)
//   KK_HAS_FMA  1 when fused multiply-add is native
// and, for x86-64 levels, wrapping the include in `#pragma clang attribute push(target(...))`.
// Internal to the kernels target.

#include <stdint.h>
#include <string.h>

#define KK_CAT2(a, b) a##_##b
#define KK_CAT(a, b) KK_CAT2(a, b)
#define KK_FN(name) KK_CAT(name, KK_SUFFIX)
#define KK_NR (KK_VW * KK_NV)
#define KK_INLINE static inline __attribute__((always_inline))
#define KK_UNROLL _Pragma("clang loop unroll(full)")

typedef float vf __attribute__((vector_size(KK_VW * 4)));
typedef int32_t vi __attribute__((vector_size(KK_VW * 4)));
typedef float vf_u __attribute__((vector_size(KK_VW * 4), aligned(4), may_alias));

KK_INLINE vf kk_load(const float *p) { return *(const vf_u *)p; }
KK_INLINE void kk_store(float *p, vf v) { *(vf_u *)p = v; }
// x − 0 is x for every x (−0 included), so the subtraction folds away and only the splat remains.
KK_INLINE vf kk_splat(float x) { return x - (vf){0}; }
KK_INLINE vf kk_fma(vf a, vf b, vf c) {
#if KK_HAS_FMA
    return __builtin_elementwise_fma(a, b, c);
#else
    return a * b + c;
#endif
}
KK_INLINE vf kk_select(vi mask, vf a, vf b) { return (vf)(((vi)a & mask) | ((vi)b & ~mask)); }
KK_INLINE vf kk_min(vf a, vf b) { return kk_select(a < b, a, b); }
KK_INLINE vf kk_max(vf a, vf b) { return kk_select(a > b, a, b); }

// 1/d. AVX-512: vrcp14ps (relative error < 2^-14) and one Newton step, error ≤ 1 ulp after
// rounding, at a fraction of vdivps's cost; elsewhere a true division.
KK_INLINE vf kk_recip(vf d) {
#if defined(KK_RCP14)
    vf r = __builtin_ia32_rcp14ps512_mask(d, (vf){0}, (unsigned short)0xFFFF);
    return kk_fma(r, kk_fma(-d, r, kk_splat(1.0f)), r);
#else
    return kk_splat(1.0f) / d;
#endif
}

// MARK: - Transcendentals
//
// exp: Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, Cephes' degree-6 polynomial, 2^n through
// the exponent bits. n is rounded with the 1.5·2^23 trick so SSE2 needs no roundps.

// e^x = p · 2^n with p in [0.7, 1.42]; x is first clamped to [lo, hi].
KK_INLINE vf kk_exp_reduce(vf x, vf *n_out) {
    const vf magic = kk_splat(12582912.0f);
    vf n = kk_fma(x, kk_splat(1.44269504088896341f), magic) - magic;
    vf r = kk_fma(n, kk_splat(-0.693359375f), x);
    r = kk_fma(n, kk_splat(2.12194440e-4f), r);
    vf p = kk_splat(1.9875691500e-4f);
    p = kk_fma(p, r, kk_splat(1.3981999507e-3f));
    p = kk_fma(p, r, kk_splat(8.3334519073e-3f));
    p = kk_fma(p, r, kk_splat(4.1665795894e-2f));
    p = kk_fma(p, r, kk_splat(1.6666665459e-1f));
    p = kk_fma(p, r, kk_splat(5.0000001201e-1f));
    *n_out = n;
    return kk_fma(p, r * r, r) + kk_splat(1.0f);
}

KK_INLINE vf kk_pow2(vi n) { return (vf)((n + 127) << 23); }

// p · 2^n for integer-valued n with 2^n a normal float: vscalefps on AVX-512, else the exponent bits.
KK_INLINE vf kk_scale(vf p, vf n) {
#if defined(KK_RCP14)
    return __builtin_ia32_scalefps512_mask(p, n, p, (unsigned short)0xFFFF, 4);
#else
    return p * kk_pow2(__builtin_convertvector(n, vi));
#endif
}

// e^x over the whole float range; inf above 88.72, 0 below −103.98, subnormal results right, NaN
// kept. AVX-512: vscalefps applies 2^n in one correctly rounded step, overflow and gradual underflow
// included (x is only clamped to keep n an integer of the rounding trick). Elsewhere 2^n in two halves.
KK_INLINE vf kk_exp_v(vf x) {
#if defined(KK_RCP14)
    vf n;
    vf p = kk_exp_reduce(kk_min(kk_splat(89.0f), kk_max(kk_splat(-104.0f), x)), &n);
    return kk_scale(p, n);
#else
    vf xc = kk_min(kk_max(x, kk_splat(-103.972084045410f)), kk_splat(88.72283935546875f));
    vf n;
    vf p = kk_exp_reduce(xc, &n);
    vi ni = __builtin_convertvector(n, vi);
    vi half = ni >> 1;
    vf y = p * kk_pow2(half) * kk_pow2(ni - half);
    y = kk_select(x > kk_splat(88.72283935546875f), kk_splat(__builtin_inff()), y);
    y = kk_select(x < kk_splat(-103.972084045410f), kk_splat(0.0f), y);
    return kk_select(x != x, x, y);
#endif
}

// σ(x) from e = e^{−|x|} ≤ 1 (no overflow): 1/(1+e) for x ≥ 0, e/(1+e) below, subnormal
// results included.
KK_INLINE vf kk_sigmoid_v(vf x) {
    const vi sign_mask = (vi){0} + INT32_MIN;
    vf e = kk_exp_v((vf)((vi)x | sign_mask));
    vf r = kk_recip(kk_splat(1.0f) + e);
    // NaN needs no test: it reaches here as a NaN e.
    return kk_select(x >= kk_splat(0.0f), r, e * r);
}

KK_INLINE vf kk_tanh_v(vf x) {
    const vi sign_mask = (vi){0} + INT32_MIN;
    vf ax = (vf)((vi)x & ~sign_mask);
    // |x| < 0.625: Cephes' odd polynomial; otherwise 1 − 2/(e^{2|x|} + 1).
    vf z = ax * ax;
    vf p = kk_splat(-5.70498872745e-3f);
    p = kk_fma(p, z, kk_splat(2.06390887954e-2f));
    p = kk_fma(p, z, kk_splat(-5.37397155531e-2f));
    p = kk_fma(p, z, kk_splat(1.33314422036e-1f));
    p = kk_fma(p, z, kk_splat(-3.33332819422e-1f));
    vf small = kk_fma(p * z, ax, ax);
    // e^{2|x|} ≤ e^88 (tanh is 1 in float long before); the min keeps NaN, which then flows
    // through `large` to the result.
    vf n;
    vf q = kk_exp_reduce(kk_min(kk_splat(88.0f), ax + ax), &n);
    vf large = kk_fma(kk_splat(-2.0f), kk_recip(kk_scale(q, n) + kk_splat(1.0f)), kk_splat(1.0f));
    vf y = kk_select(ax < kk_splat(0.625f), small, large);
    return (vf)((vi)y | ((vi)x & sign_mask));
}

// KK_EW_NV vectors per pass, interleaved so that their long dependency chains hide each other's
// latency. AVX-512 (32 registers) takes 4; elsewhere 1, as more gained nothing measurable
// (docs/BENCHMARKS.md).
#ifndef KK_EW_NV
#define KK_EW_NV 1
#endif
#define KK_ELEMENTWISE(name, op)                                                   \
    void KK_FN(name)(float *values, long count) {                                   \
        long i = 0;                                                                \
        for (; i + KK_EW_NV * KK_VW <= count; i += KK_EW_NV * KK_VW) {              \
            vf v[KK_EW_NV];                                                        \
            KK_UNROLL for (int j = 0; j < KK_EW_NV; j++) v[j] = kk_load(values + i + j * KK_VW); \
            KK_UNROLL for (int j = 0; j < KK_EW_NV; j++) kk_store(values + i + j * KK_VW, op(v[j])); \
        }                                                                          \
        for (; i + KK_VW <= count; i += KK_VW) kk_store(values + i, op(kk_load(values + i))); \
        if (i < count) {                                                           \
            float tail[KK_VW] = {0};                                               \
            memcpy(tail, values + i, (size_t)(count - i) * sizeof(float));          \
            kk_store(tail, op(kk_load(tail)));                                     \
            memcpy(values + i, tail, (size_t)(count - i) * sizeof(float));          \
        }                                                                          \
    }

KK_ELEMENTWISE(kk_exp, kk_exp_v)
KK_ELEMENTWISE(kk_sigmoid, kk_sigmoid_v)
KK_ELEMENTWISE(kk_tanh, kk_tanh_v)

// MARK: - Packed matrix product

void KK_FN(kk_pack)(const kk_layout *layout, const float *b, long ldb, float *packed) {
    const long k = layout->k, width = layout->n / layout->groups;
    for (long g = 0; g < layout->groups; g++) {
        for (long q = 0; q < layout->panels_per_group; q++) {
            float *panel = packed + (g * layout->panels_per_group + q) * layout->panel_stride;
            long col = g * width + q * KK_NR;
            long cols = width - q * KK_NR < KK_NR ? width - q * KK_NR : KK_NR;
            for (long p = 0; p < k; p++) {
                for (long j = 0; j < KK_NR; j++) panel[p * KK_NR + j] = j < cols ? b[p * ldb + col + j] : 0.0f;
            }
        }
    }
}

// B = btᵀ packed, from `bt` (`n × k` row-major, leading dimension `ldbt`): a product's right-hand
// side that exists only transposed (attention's keys), without a transposed copy first.
void KK_FN(kk_pack_transposed)(const kk_layout *layout, const float *bt, long ldbt, float *packed) {
    const long k = layout->k, width = layout->n / layout->groups;
    for (long g = 0; g < layout->groups; g++) {
        for (long q = 0; q < layout->panels_per_group; q++) {
            float *panel = packed + (g * layout->panels_per_group + q) * layout->panel_stride;
            long col = g * width + q * KK_NR;
            long cols = width - q * KK_NR < KK_NR ? width - q * KK_NR : KK_NR;
            // Each row of bt read once, contiguously; its values land one panel row apart.
            for (long j = 0; j < KK_NR; j++) {
                const float *row = bt + (col + j) * ldbt;
                if (j < cols) {
                    for (long p = 0; p < k; p++) panel[p * KK_NR + j] = row[p];
                } else {
                    for (long p = 0; p < k; p++) panel[p * KK_NR + j] = 0.0f;
                }
            }
        }
    }
}

// c[mr × cols] (+)= a[mr × k] · panel[k × nr] + a2[mr × k2] · panel2[k2 × nr] (k2 = 0: no second
// product) in one set of accumulators; mr is a compile-time constant after inlining. With `bias`
// (already offset to the tile's first column), bias is added to every row too.
KK_INLINE void kk_micro2(const int mr, long k, const float *a, long lda, const float *panel, long k2,
                         const float *a2, long lda2, const float *panel2, float *c, long ldc, long cols,
                         int accumulate, const float *bias) {
    vf acc[KK_MR][KK_NV];
    KK_UNROLL for (int r = 0; r < mr; r++)
        KK_UNROLL for (int v = 0; v < KK_NV; v++) acc[r][v] = (vf){0};
    if (mr == 1) {
        // One row: a single dependency chain per vector would wait on FMA latency; four k-phases.
        vf acc2[3][KK_NV];
        KK_UNROLL for (int s = 0; s < 3; s++)
            KK_UNROLL for (int v = 0; v < KK_NV; v++) acc2[s][v] = (vf){0};
        long p = 0;
        for (; p + 4 <= k; p += 4) {
            KK_UNROLL for (int v = 0; v < KK_NV; v++) {
                acc[0][v] = kk_fma(kk_splat(a[p]), kk_load(panel + p * KK_NR + v * KK_VW), acc[0][v]);
                acc2[0][v] = kk_fma(kk_splat(a[p + 1]), kk_load(panel + (p + 1) * KK_NR + v * KK_VW), acc2[0][v]);
                acc2[1][v] = kk_fma(kk_splat(a[p + 2]), kk_load(panel + (p + 2) * KK_NR + v * KK_VW), acc2[1][v]);
                acc2[2][v] = kk_fma(kk_splat(a[p + 3]), kk_load(panel + (p + 3) * KK_NR + v * KK_VW), acc2[2][v]);
            }
        }
        for (; p < k; p++)
            KK_UNROLL for (int v = 0; v < KK_NV; v++) acc[0][v] = kk_fma(kk_splat(a[p]), kk_load(panel + p * KK_NR + v * KK_VW), acc[0][v]);
        KK_UNROLL for (int v = 0; v < KK_NV; v++) acc[0][v] = (acc[0][v] + acc2[0][v]) + (acc2[1][v] + acc2[2][v]);
    }
    // acc[r] += a_[r·lda_ + p] · panel_[p] for p < k_: one B row loaded, then every row's FMAs.
#define KK_MICRO_K_LOOP(k_, a_, lda_, panel_)                                                         \
    for (long p = 0; p < (k_); p++) {                                                                 \
        vf bv[KK_NV];                                                                                 \
        KK_UNROLL for (int v = 0; v < KK_NV; v++) bv[v] = kk_load((panel_) + p * KK_NR + v * KK_VW);  \
        KK_UNROLL for (int r = 0; r < mr; r++) {                                                      \
            vf av = kk_splat((a_)[r * (lda_) + p]);                                                   \
            KK_UNROLL for (int v = 0; v < KK_NV; v++) acc[r][v] = kk_fma(av, bv[v], acc[r][v]);       \
        }                                                                                             \
    }
    if (mr > 1) KK_MICRO_K_LOOP(k, a, lda, panel)
    KK_MICRO_K_LOOP(k2, a2, lda2, panel2)
#undef KK_MICRO_K_LOOP
    if (bias) {
        float padded[KK_NR] = {0};
        const float *source = bias;
        if (cols != KK_NR) {
            memcpy(padded, bias, (size_t)cols * sizeof(float));
            source = padded;
        }
        KK_UNROLL for (int v = 0; v < KK_NV; v++) {
            vf bv = kk_load(source + v * KK_VW);
            KK_UNROLL for (int r = 0; r < mr; r++) acc[r][v] = acc[r][v] + bv;
        }
    }
    if (cols == KK_NR) {
        KK_UNROLL for (int r = 0; r < mr; r++)
            KK_UNROLL for (int v = 0; v < KK_NV; v++) {
                float *out = c + r * ldc + v * KK_VW;
                kk_store(out, accumulate ? kk_load(out) + acc[r][v] : acc[r][v]);
            }
    } else {
        float tile[KK_NR];
        KK_UNROLL for (int r = 0; r < mr; r++) {
            KK_UNROLL for (int v = 0; v < KK_NV; v++) kk_store(tile + v * KK_VW, acc[r][v]);
            float *out = c + r * ldc;
            for (long j = 0; j < cols; j++) out[j] = accumulate ? out[j] + tile[j] : tile[j];
        }
    }
}

KK_INLINE void kk_micro(const int mr, long k, const float *a, long lda, const float *panel,
                        float *c, long ldc, long cols, int accumulate, const float *bias) {
    kk_micro2(mr, k, a, lda, panel, 0, NULL, 0, NULL, c, ldc, cols, accumulate, bias);
}

#ifndef KK_GP
#define KK_GP 4
#endif

enum { KK_KC = 256, KK_NC_PANELS = 256 / KK_NR > 0 ? 256 / KK_NR : 1 };

// One or two rows against `np` ≤ KK_GP panels at once: KK_GP·KK_NV independent accumulators
// per row hide the FMA latency that a single panel's short dependency chains would expose.
KK_INLINE void kk_rows_panels(const int mr, const int np, long k, const float *a, long lda, const float *packed,
                              long panel_stride, const long *cols_of, const long *col_of,
                              float *c, long ldc, int accumulate, const float *bias) {
    vf acc[2][KK_GP][KK_NV];
    KK_UNROLL for (int r = 0; r < mr; r++)
        KK_UNROLL for (int q = 0; q < np; q++)
            KK_UNROLL for (int v = 0; v < KK_NV; v++) acc[r][q][v] = (vf){0};
    long p = 0;
    if (mr == 1 && 2 * np <= KK_GP) {
        // Few accumulators: a second set for odd k halves each dependency chain.
        KK_UNROLL for (int q = 0; q < np; q++)
            KK_UNROLL for (int v = 0; v < KK_NV; v++) acc[1][q][v] = (vf){0};
        for (; p + 2 <= k; p += 2) {
            vf a0 = kk_splat(a[p]), a1 = kk_splat(a[p + 1]);
            KK_UNROLL for (int q = 0; q < np; q++)
                KK_UNROLL for (int v = 0; v < KK_NV; v++) {
                    acc[0][q][v] = kk_fma(a0, kk_load(packed + q * panel_stride + p * KK_NR + v * KK_VW), acc[0][q][v]);
                    acc[1][q][v] = kk_fma(a1, kk_load(packed + q * panel_stride + (p + 1) * KK_NR + v * KK_VW), acc[1][q][v]);
                }
        }
        KK_UNROLL for (int q = 0; q < np; q++)
            KK_UNROLL for (int v = 0; v < KK_NV; v++) acc[0][q][v] = acc[0][q][v] + acc[1][q][v];
    }
    for (; p < k; p++) {
        vf a0 = kk_splat(a[p]);
        vf a1 = mr > 1 ? kk_splat(a[lda + p]) : a0;
        KK_UNROLL for (int q = 0; q < np; q++)
            KK_UNROLL for (int v = 0; v < KK_NV; v++) {
                vf bv = kk_load(packed + q * panel_stride + p * KK_NR + v * KK_VW);
                acc[0][q][v] = kk_fma(a0, bv, acc[0][q][v]);
                if (mr > 1) acc[1][q][v] = kk_fma(a1, bv, acc[1][q][v]);
            }
    }
    KK_UNROLL for (int q = 0; q < np; q++) {
        const long col = col_of[q], cols = cols_of[q];
        float tile[KK_NR];
        KK_UNROLL for (int r = 0; r < mr; r++) {
            float *out = c + r * ldc + col;
            if (cols == KK_NR && !bias) {
                KK_UNROLL for (int v = 0; v < KK_NV; v++)
                    kk_store(out + v * KK_VW, accumulate ? kk_load(out + v * KK_VW) + acc[r][q][v] : acc[r][q][v]);
            } else {
                KK_UNROLL for (int v = 0; v < KK_NV; v++) kk_store(tile + v * KK_VW, acc[r][q][v]);
                for (long j = 0; j < cols; j++)
                    out[j] = (accumulate ? out[j] : 0.0f) + tile[j] + (bias ? bias[col + j] : 0.0f);
            }
        }
    }
}

// The panel count as a constant, so each case keeps its accumulators in registers.
__attribute__((noinline)) static void KK_FN(kk_rows_panels_any)(int mr, int np, long k, const float *a, long lda,
                                                              const float *packed, long panel_stride, const long *cols_of,
                                                              const long *col_of, float *c, long ldc, int accumulate,
                                                              const float *bias) {
#define KK_NP(n)                                                                                              \
    case n:                                                                                                   \
        if (mr == 2) kk_rows_panels(2, n, k, a, lda, packed, panel_stride, cols_of, col_of, c, ldc, accumulate, bias); \
        else kk_rows_panels(1, n, k, a, lda, packed, panel_stride, cols_of, col_of, c, ldc, accumulate, bias);         \
        break;
    switch (np) {
    KK_NP(1) KK_NP(2) KK_NP(3) KK_NP(4)
#if KK_GP >= 8
    KK_NP(5) KK_NP(6) KK_NP(7) KK_NP(8)
#endif
    default: break;
    }
#undef KK_NP
}

static void KK_FN(kk_micro_any)(int mr, long k, const float *a, long lda, const float *panel, long k2,
                                const float *a2, long lda2, const float *panel2, float *c, long ldc, long cols,
                                int accumulate, const float *bias);

// More than 64 panels: one panel at a time.
__attribute__((noinline)) static void KK_FN(kk_small_rows_wide)(const kk_layout *layout, const float *packed,
                                                              long row_begin, long row_end, const float *a, long lda,
                                                              float *c, long ldc, int accumulate, const float *bias) {
    const long k = layout->k, width = layout->n / layout->groups, ppg = layout->panels_per_group;
    for (long kb = 0; kb < k; kb += KK_KC) {
        const long kc = k - kb < KK_KC ? k - kb : KK_KC;
        const int acc = accumulate || kb > 0;
        const float *block_bias = kb == 0 ? bias : NULL;
        for (long g = 0, p = 0; g < layout->groups; g++)
            for (long q = 0; q < ppg; q++, p++) {
                const long col = g * width + q * KK_NR;
                const long cols = width - q * KK_NR < KK_NR ? width - q * KK_NR : KK_NR;
                KK_FN(kk_micro_any)((int)(row_end - row_begin), kc, a + row_begin * lda + kb, lda,
                                    packed + p * layout->panel_stride + kb * KK_NR, 0, NULL, 0, NULL,
                                    c + row_begin * ldc + col, ldc, cols, acc,
                                    block_bias ? block_bias + col : NULL);
            }
    }
}

__attribute__((noinline)) static void KK_FN(kk_small_rows)(const kk_layout *layout, const float *packed,
                                                         long row_begin, long row_end, const float *a, long lda,
                                                         float *c, long ldc, int accumulate, const float *bias) {
    const long k = layout->k, width = layout->n / layout->groups, ppg = layout->panels_per_group;
    const long panels = layout->groups * ppg;
    // Column and width of each panel, without a division per panel: up to 64 panels on the
    // stack (N ≤ 2048 at AVX-512), else in chunks recomputed per group of KK_GP.
    long panel_col[64], panel_cols[64];
    if (panels > 64) {
        KK_FN(kk_small_rows_wide)(layout, packed, row_begin, row_end, a, lda, c, ldc, accumulate, bias);
        return;
    }
    for (long g = 0, p = 0; g < layout->groups; g++)
        for (long q = 0; q < ppg; q++, p++) {
            panel_col[p] = g * width + q * KK_NR;
            panel_cols[p] = width - q * KK_NR < KK_NR ? width - q * KK_NR : KK_NR;
        }
    for (long kb = 0; kb < k; kb += KK_KC) {
        const long kc = k - kb < KK_KC ? k - kb : KK_KC;
        const int acc = accumulate || kb > 0;
        const float *block_bias = kb == 0 ? bias : NULL;
        for (long i = row_begin; i < row_end; i += 2) {
            const int mr = row_end - i >= 2 ? 2 : 1;
            for (long p0 = 0; p0 < panels; p0 += KK_GP) {
                const long np = panels - p0 < KK_GP ? panels - p0 : KK_GP;
                const long *col_of = panel_col + p0, *cols_of = panel_cols + p0;
                const float *first = packed + p0 * layout->panel_stride + kb * KK_NR;
                KK_FN(kk_rows_panels_any)(mr, (int)np, kc, a + i * lda + kb, lda, first, layout->panel_stride,
                                          cols_of, col_of, c + i * ldc, ldc, acc, block_bias);
            }
        }
    }
}

__attribute__((noinline)) static void KK_FN(kk_micro_any)(int mr, long k, const float *a, long lda, const float *panel,
                                                          long k2, const float *a2, long lda2, const float *panel2,
                                                          float *c, long ldc, long cols, int accumulate, const float *bias) {
    switch (mr) {
#define KK_CASE(n) case n: kk_micro2(n, k, a, lda, panel, k2, a2, lda2, panel2, c, ldc, cols, accumulate, bias); break;
    KK_CASE(1) KK_CASE(2) KK_CASE(3) KK_CASE(4) KK_CASE(5) KK_CASE(6)
#if KK_MR >= 8
    KK_CASE(7) KK_CASE(8)
#endif
#if KK_MR >= 12
    KK_CASE(9) KK_CASE(10) KK_CASE(11) KK_CASE(12)
#endif
#if KK_MR >= 14
    KK_CASE(13) KK_CASE(14)
#endif
#undef KK_CASE
    default: break;
    }
}


// Rows row_begin ..< row_end of c = (accumulate ? c : 0) + a · B (+ a2 · B2) + bias in KK_MR-row
// tiles. B2 (`layout2`, NULL: none) has B's columns, panels and level, its own k: the two products
// share each tile's accumulators, as one product over k + k2 would (blocks of KK_KC of the joint k).
__attribute__((noinline)) static void KK_FN(kk_gemm_tiles)(const kk_layout *layout, const float *packed, long row_begin, long row_end,
                                                         const float *a, long lda, const kk_layout *layout2, const float *packed2,
                                                         const float *a2, long lda2, float *c, long ldc, int accumulate,
                                                         const float *bias) {
    const long k1 = layout->k, k2 = layout2 ? layout2->k : 0, kt = k1 + k2;
    const long width = layout->n / layout->groups, ppg = layout->panels_per_group;
    const long panels = layout->groups * ppg;
    if (row_end <= row_begin) return;
    if (kt == 0) {
        for (long i = row_begin; i < row_end; i++)
            for (long j = 0; j < layout->n; j++) c[i * ldc + j] = (accumulate ? c[i * ldc + j] : 0.0f) + (bias ? bias[j] : 0.0f);
        return;
    }
    for (long kb = 0; kb < kt; kb += KK_KC) {
        const long kc = kt - kb < KK_KC ? kt - kb : KK_KC;
        // The block's share of each product: n1 of the first from kb, n2 of the second from s2.
        const long n1 = kb < k1 ? (kb + kc < k1 ? kc : k1 - kb) : 0, n2 = kc - n1, s2 = kb + n1 - k1;
        const int acc = accumulate || kb > 0;
        const float *block_bias = kb == 0 ? bias : NULL;
        for (long pb = 0; pb < panels; pb += KK_NC_PANELS) {
            const long pe = pb + KK_NC_PANELS < panels ? pb + KK_NC_PANELS : panels;
            // Rows in ⌈m / KK_MR⌉ tiles of near-equal height: 16 rows run as 8 + 8, not as
            // 12 + a 4-row tile whose few accumulators can't hide the FMA latency.
            const long m = row_end - row_begin, tiles = (m + KK_MR - 1) / KK_MR;
            const long base = m / tiles, extra = m % tiles;
            for (long t = 0, i = row_begin; t < tiles; t++) {
                const int mr = (int)(base + (t < extra ? 1 : 0));
                long g = pb / ppg, q = pb % ppg;
                for (long p = pb; p < pe; p++, (++q == ppg ? (q = 0, g++) : 0)) {
                    const long col = g * width + q * KK_NR;
                    const long cols = width - q * KK_NR < KK_NR ? width - q * KK_NR : KK_NR;
                    // The first segment of the block leads (kk_micro's own loop); an empty one is skipped.
                    const float *pa = n1 ? a + i * lda + kb : a2 + i * lda2 + s2;
                    const long la = n1 ? lda : lda2;
                    const float *panel = n1 ? packed + p * layout->panel_stride + kb * KK_NR
                                            : packed2 + p * layout2->panel_stride + s2 * KK_NR;
                    const long k_lead = n1 ? n1 : n2, k_next = n1 ? n2 : 0;
                    const float *a_next = k_next ? a2 + i * lda2 + s2 : NULL;
                    const float *panel_next = k_next ? packed2 + p * layout2->panel_stride + s2 * KK_NR : NULL;
                    float *ct = c + i * ldc + col;
                    const float *tile_bias = block_bias ? block_bias + col : NULL;
                    if (mr == KK_MR && !k_next) {
                        kk_micro(KK_MR, k_lead, pa, la, panel, ct, ldc, cols, acc, tile_bias);
                    } else if (mr == KK_MR) {
                        kk_micro2(KK_MR, k_lead, pa, la, panel, k_next, a_next, lda2, panel_next, ct, ldc, cols, acc, tile_bias);
                    } else {
                        KK_FN(kk_micro_any)(mr, k_lead, pa, la, panel, k_next, a_next, lda2, panel_next, ct, ldc, cols, acc, tile_bias);
                    }
                }
                i += mr;
            }
        }
    }
}

// Thin on purpose: one or two rows (GEMV-like, the per-step product of a small batch) skip the
// tiled path's set-up entirely.
void KK_FN(kk_gemm_rows)(const kk_layout *layout, const float *packed, long row_begin, long row_end,
                         const float *a, long lda, float *c, long ldc, int accumulate, const float *bias) {
    if (layout->k > 0 && row_end - row_begin <= 2)
        KK_FN(kk_small_rows)(layout, packed, row_begin, row_end, a, lda, c, ldc, accumulate, bias);
    else
        KK_FN(kk_gemm_tiles)(layout, packed, row_begin, row_end, a, lda, NULL, NULL, NULL, 0, c, ldc, accumulate, bias);
}

// MARK: - Gate activations
//
// For the fused LSTM only; the public kk_sigmoid / kk_tanh above stay accurate over all floats.
//   σ(x)    = 1 / (1 + e),        e = 2^t, t = −x·log2(e),  x clamped to [−80, 80]
//   tanh(x) = ±(1 − e) / (1 + e), e = 2^t, t = −2|x|·log2(e), |x| clamped to 40, sign from x
// (e ≤ 1 for tanh: 1 ± e never rounds away a large e's low bits; measured 1.3e-7 without that).
// The clamp keeps |t| ≤ 115.5, so e is a normal float after one scaling and 1 + e is finite;
// beyond it the exact results differ from the clamped ones by less than 2e-35. 2^t = 2^n · p(f):
// n = round(t) by the 1.5·2^23 trick, f = t − n ∈ [−½, ½] with t = x·k rounded first (an error
// of |t|·2^-24 in f, which costs nothing near the steep middle of σ and tanh and vanishes in the
// saturated tails), p a degree-6 minimax polynomial with p(0) = 1 (relative error 4.9e-9 before
// rounding) by Horner's rule. AVX-512 divides with vrcp14ps and one Newton step.
// Max absolute error against double precision, every 5th float in [−90, 90] (KernelTests checks
// ≤ 2e-7 on its own sweep): σ 9.5e-8, tanh 1.11e-7 (AVX2) and 1.15e-7 (baseline) — about 2 ulp
// near ±1 and 85× below the 1e-5 parity budget. (The AVX-512 level was last measured before this
// form, at 9.2e-8 and 1.27e-7; KernelTests sweeps every level the machine has.)
// NaN propagates: max and min return their second operand, x, when it is NaN.

enum { KK_GATE_MAX = 20 };

// num / den: AVX-512 from vrcp14ps (2^-14) and one Newton step, q·(2 − den·r) with q = num·r and
// den·r computed side by side (two FMA latencies after vrcp14ps); elsewhere divps.
KK_INLINE vf kk_div(vf num, vf den) {
#if defined(KK_RCP14)
    vf r = __builtin_ia32_rcp14ps512_mask(den, (vf){0}, (unsigned short)0xFFFF);
    vf q = num * r;
    return kk_fma(q, kk_fma(-den, r, kk_splat(1.0f)), q);
#else
    return num / den;
#endif
}

// The exponentials behind σ and tanh, stage by stage so that `count` independent chains are in
// flight (count and tanh_mask are compile-time constants after inlining): for x[j] with bit j of
// tanh_mask clear, e = exp(−x); set, e = exp(−2|x|) and sign[j] = x's sign bit. Each e comes as
// p[j] · scale[j] (scale = 2^n), so 1 ± e are single FMAs.
KK_INLINE void kk_gate_exps(const int count, const unsigned tanh_mask, const vf *x, vf *p, vf *scale, vf *sign) {
    const vf magic = kk_splat(12582912.0f + 127.0f), one = kk_splat(1.0f);
    vf t[KK_GATE_MAX], m[KK_GATE_MAX];
#define KK_TH(j) ((tanh_mask >> (j)) & 1u)
#define KK_K(j) kk_splat(KK_TH(j) ? -2.88539008177792682f : -1.44269504088896341f)
    const vi sign_mask = (vi){0} + INT32_MIN;
    KK_UNROLL for (int j = 0; j < count; j++) {
        if (KK_TH(j)) {
            sign[j] = (vf)((vi)x[j] & sign_mask);
            t[j] = kk_min(kk_splat(40.0f), (vf)((vi)x[j] & ~sign_mask));
        } else {
            t[j] = kk_min(kk_splat(80.0f), kk_max(kk_splat(-80.0f), x[j]));
        }
    }
    // t·k rounded, then n = round(t·k) and f = t·k − n exactly: one multiply and three additions
    // keep the FMA ports (which the products also need) for the polynomial.
    KK_UNROLL for (int j = 0; j < count; j++) t[j] = t[j] * KK_K(j);
    KK_UNROLL for (int j = 0; j < count; j++) m[j] = t[j] + magic;
    KK_UNROLL for (int j = 0; j < count; j++) t[j] = t[j] - (m[j] - magic);
    // p = 1 + f(c1 + f(c2 + f(c3 + f(c4 + f(c5 + f·c6))))): Horner's six FMAs; the chains of
    // the other vectors hide its depth.
    KK_UNROLL for (int j = 0; j < count; j++) p[j] = kk_fma(t[j], kk_splat(0.00015467115736100823f), kk_splat(0.0013395097339525819f));
    KK_UNROLL for (int j = 0; j < count; j++) p[j] = kk_fma(t[j], p[j], kk_splat(0.00961805135011673f));
    KK_UNROLL for (int j = 0; j < count; j++) p[j] = kk_fma(t[j], p[j], kk_splat(0.055503517389297485f));
    KK_UNROLL for (int j = 0; j < count; j++) p[j] = kk_fma(t[j], p[j], kk_splat(0.24022650718688965f));
    KK_UNROLL for (int j = 0; j < count; j++) p[j] = kk_fma(t[j], p[j], kk_splat(0.6931471824645996f));
    KK_UNROLL for (int j = 0; j < count; j++) p[j] = kk_fma(t[j], p[j], one);
    // 2^n straight from m's bits (n + 127 ∈ [11, 243]).
    KK_UNROLL for (int j = 0; j < count; j++) scale[j] = (vf)((vi)m[j] << 23);
#undef KK_K
#undef KK_TH
}

// x[j] ← tanh(x[j]) when bit j of tanh_mask is set, else σ(x[j]), for j < count.
KK_INLINE void kk_gate_acts(const int count, const unsigned tanh_mask, vf *x) {
    const vf one = kk_splat(1.0f);
    vf p[KK_GATE_MAX], scale[KK_GATE_MAX], sign[KK_GATE_MAX];
    kk_gate_exps(count, tanh_mask, x, p, scale, sign);
    KK_UNROLL for (int j = 0; j < count; j++) {
        const vf den = kk_fma(p[j], scale[j], one);
        if ((tanh_mask >> j) & 1u) x[j] = (vf)((vi)kk_div(kk_fma(-p[j], scale[j], one), den) | (vi)sign[j]);
        else x[j] = kk_div(one, den);
    }
}

#define KK_GATE_ELEMENTWISE(name, mask)                                            \
    KK_INLINE vf KK_CAT(name, one)(vf x) { kk_gate_acts(1, mask, &x); return x; }  \
    KK_ELEMENTWISE(name, KK_CAT(name, one))

KK_GATE_ELEMENTWISE(kk_gate_sigmoid, 0u)
KK_GATE_ELEMENTWISE(kk_gate_tanh, 1u)

// MARK: - LSTM

// `count` ≤ KK_VW floats at p, the rest of the vector zero (AVX-512: masked).
KK_INLINE vf kk_load_n(const float *p, long count) {
#if KK_VW == 16 && defined(KK_RCP14)
    if (count >= KK_VW) return kk_load(p);
    return __builtin_ia32_loadups512_mask(p, (vf){0}, (unsigned short)((1u << count) - 1));
#else
    if (count >= KK_VW) return kk_load(p);
    float t[KK_VW] = {0};
    memcpy(t, p, (size_t)count * sizeof(float));
    return kk_load(t);
#endif
}

KK_INLINE void kk_store_n(float *p, vf v, long count) {
#if KK_VW == 16 && defined(KK_RCP14)
    if (count >= KK_VW) kk_store(p, v);
    else __builtin_ia32_storeups512_mask(p, v, (unsigned short)((1u << count) - 1));
#else
    if (count >= KK_VW) {
        kk_store(p, v);
        return;
    }
    float t[KK_VW];
    kk_store(t, v);
    memcpy(p, t, (size_t)count * sizeof(float));
#endif
}

// `nv` vectors of cells of one sample: z holds the pre-activations i[0..nv), f[..), g[..), o[..);
// c, h are `nv` consecutive vectors at c_p, h_p, of which only `last` floats of the final one are
// real (KK_VW: all). With A = 1 + e_i, D = 1 + e_f, B = 1 + e_g, E = 1 + e_o (the exponentials of
// kk_gate_exps) and s the signs:
//   c' = c/D + s_g(1 − e_g)/(A·B),   h = s_c(1 − e_c)/(E·(1 + e_c))
// three divisions per vector instead of five (σ i, f, o and two tanh): the divider, not the
// FMAs, was what the gate math waited on. A·B and E·(1 + e_c) stay below 2^117, so nothing
// overflows for any c.
KK_INLINE void kk_lstm_cells(const int nv, const vf *z, float *c_p, float *h_p, long last) {
    const unsigned g_mask = ((1u << nv) - 1u) << (2 * nv);
    const vf one = kk_splat(1.0f);
    vf p[16], scale[16], sign[16];
    kk_gate_exps(4 * nv, g_mask, z, p, scale, sign);
    vf t[4], tp[4], tscale[4], tsign[4];
    KK_UNROLL for (int j = 0; j < nv; j++) {
        const long count = j == nv - 1 ? last : KK_VW;
        const int i = j, f = nv + j, g = 2 * nv + j;
        const vf ab = kk_fma(p[i], scale[i], one) * kk_fma(p[g], scale[g], one);
        const vf tanh_num = (vf)((vi)kk_fma(-p[g], scale[g], one) | (vi)sign[g]);
        const vf cn = kk_div(kk_load_n(c_p + j * KK_VW, count), kk_fma(p[f], scale[f], one)) + kk_div(tanh_num, ab);
        kk_store_n(c_p + j * KK_VW, cn, count);
        t[j] = cn;
    }
    kk_gate_exps(nv, (1u << nv) - 1u, t, tp, tscale, tsign);
    KK_UNROLL for (int j = 0; j < nv; j++) {
        const int o = 3 * nv + j;
        const vf den = kk_fma(p[o], scale[o], one) * kk_fma(tp[j], tscale[j], one);
        const vf hv = (vf)((vi)kk_div(kk_fma(-tp[j], tscale[j], one), den) | (vi)tsign[j]);
        kk_store_n(h_p + j * KK_VW, hv, j == nv - 1 ? last : KK_VW);
    }
}

// Vectors of cells per pass: 4 keeps 20 exp chains in flight (measured faster than 2 at every level).
#ifndef KK_CELL_NV
#define KK_CELL_NV 4
#endif

// z (this step's pre-activations without the projection) + proj (NULL: none) → c, h for one sample.
KK_INLINE void kk_lstm_gates_row(const float *z, const float *proj, float *c, float *h, long u) {
    long j = 0;
#define KK_GATES_BLOCK(nv, last)                                                                     \
    {                                                                                                \
        vf zz[4 * (nv)];                                                                             \
        KK_UNROLL for (int g = 0; g < 4; g++)                                                        \
            KK_UNROLL for (int v = 0; v < (nv); v++) {                                               \
                const long count = v == (nv) - 1 ? (last) : KK_VW;                                  \
                zz[g * (nv) + v] = kk_load_n(z + g * u + j + v * KK_VW, count);                     \
                if (proj) zz[g * (nv) + v] += kk_load_n(proj + g * u + j + v * KK_VW, count);       \
            }                                                                                        \
        kk_lstm_cells((nv), zz, c + j, h + j, (last));                                              \
    }
    for (; j + KK_CELL_NV * KK_VW <= u; j += KK_CELL_NV * KK_VW) KK_GATES_BLOCK(KK_CELL_NV, KK_VW)
    if (KK_CELL_NV > 2 && j + 2 * KK_VW <= u) {
        KK_GATES_BLOCK(2, KK_VW)
        j += 2 * KK_VW;
    }
    for (; j + KK_VW <= u; j += KK_VW) KK_GATES_BLOCK(1, KK_VW)
    if (j < u) KK_GATES_BLOCK(1, u - j)
#undef KK_GATES_BLOCK
}

void KK_FN(kk_lstm_gates)(const float *z, long z_stride, float *c, float *h, long batch, long units) {
    for (long s = 0; s < batch; s++) kk_lstm_gates_row(z + s * z_stride, NULL, c + s * units, h + s * units, units);
}

// z[(g − g0)·nb + b] += hin · U for gates g0 ..< g1 and `nb` vectors, in `ph` independent
// k-phases per accumulator ((g1 − g0)·nb·ph chains).
KK_INLINE void kk_step1_product(const int g0, const int g1, const int nb, const int ph, const float *const col[4][4],
                                long k, const float *hin, vf *z) {
    vf acc[4][4][4];
    KK_UNROLL for (int g = g0; g < g1; g++)
        KK_UNROLL for (int b = 0; b < nb; b++) {
            acc[g][b][0] = z[(g - g0) * nb + b];
            KK_UNROLL for (int s = 1; s < ph; s++) acc[g][b][s] = (vf){0};
        }
    long p = 0;
    for (; p + ph <= k; p += ph) {
        KK_UNROLL for (int s = 0; s < ph; s++) {
            const vf hp = kk_splat(hin[p + s]);
            KK_UNROLL for (int g = g0; g < g1; g++)
                KK_UNROLL for (int b = 0; b < nb; b++)
                    acc[g][b][s] = kk_fma(hp, kk_load(col[g][b] + (p + s) * KK_NR), acc[g][b][s]);
        }
    }
    for (; p < k; p++) {
        const vf hp = kk_splat(hin[p]);
        KK_UNROLL for (int g = g0; g < g1; g++)
            KK_UNROLL for (int b = 0; b < nb; b++) acc[g][b][0] = kk_fma(hp, kk_load(col[g][b] + p * KK_NR), acc[g][b][0]);
    }
    KK_UNROLL for (int g = g0; g < g1; g++)
        KK_UNROLL for (int b = 0; b < nb; b++) {
            vf sum = acc[g][b][0];
            if (ph == 4) sum = (sum + acc[g][b][1]) + (acc[g][b][2] + acc[g][b][3]);
            else if (ph == 2) sum = sum + acc[g][b][1];
            z[(g - g0) * nb + b] = sum;
        }
}

// Where gate g's vector `block` (units block·KK_VW ..) starts in a 4-group packed matrix; its
// rows follow at a stride of KK_NR floats.
KK_INLINE const float *kk_gate_column(const kk_layout *layout, const float *packed, int g, long block) {
    return packed + (g * layout->panels_per_group + block / KK_NV) * layout->panel_stride + (block % KK_NV) * KK_VW;
}

// Batch 1, one step for `nb` unit vectors starting at unit u0: z = proj + hin · U, then the gates
// straight from the accumulators; c updated in place, h written to hout (≠ hin: later vectors
// still read hin). `padded`: c and hout hold whole vectors (zero beyond u), no masked access.
// (Computing the output gate's product after the other gates' math, for the out-of-order core to
// overlap them, measured no faster.)
KK_INLINE void kk_lstm_step1(const int nb, const int ph, const kk_layout *layout, const float *packed,
                             const float *hin, const float *proj, float *c, float *hout, long u, long u0, int padded) {
    const long last = u - u0 - (nb - 1) * KK_VW < KK_VW ? u - u0 - (nb - 1) * KK_VW : KK_VW;
    const float *col[4][4];
    vf z[16];
    KK_UNROLL for (int g = 0; g < 4; g++)
        KK_UNROLL for (int b = 0; b < nb; b++) {
            col[g][b] = kk_gate_column(layout, packed, g, u0 / KK_VW + b);
            // The projection starts the first phase: no addition after the product.
            z[g * nb + b] = kk_load_n(proj + g * u + u0 + b * KK_VW, b == nb - 1 ? last : KK_VW);
        }
    kk_step1_product(0, 4, nb, ph, col, layout->k, hin, z);
    kk_lstm_cells(nb, z, c + u0, hout + u0, padded ? KK_VW : last);
}

// Two vectors of units per pass, two k-phases: 16 accumulator chains (measured best at u = 32..128).
#ifndef KK_STEP1_NB
#define KK_STEP1_NB 2
#endif
#ifndef KK_STEP1_PH
#define KK_STEP1_PH 2
#endif

KK_INLINE void kk_lstm_step1_all(const kk_layout *layout, const float *recurrent, const float *hin, const float *proj,
                                 float *c, float *hout, long units, int padded) {
    long u0 = 0;
    for (; u0 + KK_STEP1_NB * KK_VW <= units; u0 += KK_STEP1_NB * KK_VW)
        kk_lstm_step1(KK_STEP1_NB, KK_STEP1_PH, layout, recurrent, hin, proj, c, hout, units, u0, padded);
    // Single vectors: four phases, or one when k is too short for them to pay off.
    for (; u0 < units; u0 += KK_VW) {
        if (layout->k >= 16) kk_lstm_step1(1, 4, layout, recurrent, hin, proj, c, hout, units, u0, padded);
        else kk_lstm_step1(1, 1, layout, recurrent, hin, proj, c, hout, units, u0, padded);
    }
}

enum { KK_SEQ1_LOCAL = 256 };

// Batch-1 state in whole-vector local buffers: h (into hbuf[0]) and c, zero beyond `units`.
KK_INLINE void kk_seq1_state_in(float hbuf[2][KK_SEQ1_LOCAL], float *cbuf, const float *h, const float *c, long units) {
    const long padded = (units + KK_VW - 1) / KK_VW * KK_VW;
    memset(hbuf[0] + units, 0, (size_t)(padded - units) * sizeof(float));
    memset(hbuf[1] + units, 0, (size_t)(padded - units) * sizeof(float));
    memset(cbuf + units, 0, (size_t)(padded - units) * sizeof(float));
    memcpy(hbuf[0], h, (size_t)units * sizeof(float));
    memcpy(cbuf, c, (size_t)units * sizeof(float));
}

// A step's h from a local buffer to its row of `sequence` (`units` floats, the last vector masked).
KK_INLINE void kk_seq1_store(float *row, const float *hout, long units) {
    for (long j = 0; j < units; j += KK_VW) kk_store_n(row + j, kk_load(hout + j), units - j < KK_VW ? units - j : KK_VW);
}

// Batch 1: the state stays in whole-vector local buffers (h alternating between two), so the
// step-to-step chain has no masked or partial access; each step's h is copied to `sequence` beside it.
__attribute__((noinline)) static void KK_FN(kk_lstm_sequence1)(const kk_layout *layout, const float *recurrent,
                                                             const float *projection, long pts, long steps, long units,
                                                             float *h, float *c, float *scratch, float *sequence, long sts,
                                                             int backwards) {
    if (units <= KK_SEQ1_LOCAL) {
        _Alignas(64) float hbuf[2][KK_SEQ1_LOCAL], cbuf[KK_SEQ1_LOCAL];
        kk_seq1_state_in(hbuf, cbuf, h, c, units);
        for (long t = 0; t < steps; t++) {
            const float *hin = hbuf[t & 1];
            float *hout = hbuf[(t + 1) & 1];
            kk_lstm_step1_all(layout, recurrent, hin, projection + (backwards ? steps - 1 - t : t) * pts, cbuf, hout, units, 1);
            if (sequence) kk_seq1_store(sequence + t * sts, hout, units);
        }
        memcpy(h, hbuf[steps & 1], (size_t)units * sizeof(float));
        memcpy(c, cbuf, (size_t)units * sizeof(float));
        return;
    }
    const float *hin = h;
    float *hout = h;
    for (long t = 0; t < steps; t++) {
        hout = sequence ? sequence + t * sts : (hin == h ? scratch : h);
        kk_lstm_step1_all(layout, recurrent, hin, projection + (backwards ? steps - 1 - t : t) * pts, c, hout, units, 0);
        hin = hout;
    }
    if (hout != h) memcpy(h, hout, (size_t)units * sizeof(float));
}

// Batch 1 with the input projection folded into each step: z = b + xₜ·W + hₜ₋₁·U in one set of
// accumulators, so no projection pass is set up, written and read back (what dominates a tiny
// layer). xₜ·W comes first: it doesn't wait for the previous step's h.
KK_INLINE void kk_lstm_step1x(const int nb, const int ph, const kk_layout *kernel_layout, const float *kernel,
                              const float *bias, const float *xin, const kk_layout *layout, const float *packed,
                              const float *hin, float *c, float *hout, long u, long u0) {
    const long last = u - u0 - (nb - 1) * KK_VW < KK_VW ? u - u0 - (nb - 1) * KK_VW : KK_VW;
    const float *col[4][4], *xcol[4][4];
    vf z[16];
    KK_UNROLL for (int g = 0; g < 4; g++)
        KK_UNROLL for (int b = 0; b < nb; b++) {
            col[g][b] = kk_gate_column(layout, packed, g, u0 / KK_VW + b);
            xcol[g][b] = kk_gate_column(kernel_layout, kernel, g, u0 / KK_VW + b);
            z[g * nb + b] = bias ? kk_load_n(bias + g * u + u0 + b * KK_VW, b == nb - 1 ? last : KK_VW) : (vf){0};
        }
    kk_step1_product(0, 4, nb, ph, xcol, kernel_layout->k, xin, z);
    kk_step1_product(0, 4, nb, ph, col, layout->k, hin, z);
    kk_lstm_cells(nb, z, c + u0, hout + u0, KK_VW);
}

void KK_FN(kk_lstm_sequence1x)(const kk_layout *kernel_layout, const float *kernel, const float *bias,
                               const kk_layout *layout, const float *recurrent, const float *x, long x_step_stride,
                               long steps, long units, float *h, float *c, float *sequence, long sts, int backwards) {
    _Alignas(64) float hbuf[2][KK_SEQ1_LOCAL], cbuf[KK_SEQ1_LOCAL];
    kk_seq1_state_in(hbuf, cbuf, h, c, units);
    for (long t = 0; t < steps; t++) {
        const float *hin = hbuf[t & 1], *xin = x + (backwards ? steps - 1 - t : t) * x_step_stride;
        float *hout = hbuf[(t + 1) & 1];
        long u0 = 0;
        for (; u0 + KK_STEP1_NB * KK_VW <= units; u0 += KK_STEP1_NB * KK_VW)
            kk_lstm_step1x(KK_STEP1_NB, KK_STEP1_PH, kernel_layout, kernel, bias, xin, layout, recurrent, hin, cbuf, hout, units, u0);
        for (; u0 < units; u0 += KK_VW)
            kk_lstm_step1x(1, 1, kernel_layout, kernel, bias, xin, layout, recurrent, hin, cbuf, hout, units, u0);
        if (sequence) kk_seq1_store(sequence + t * sts, hout, units);
    }
    memcpy(h, hbuf[steps & 1], (size_t)units * sizeof(float));
    memcpy(c, cbuf, (size_t)units * sizeof(float));
}

// Batches with the input projection in each step's product: z = b + xₜ·W + hₜ₋₁·U in one set of
// accumulators per tile (kk_gemm_tiles with two operands), so no projection is written and read
// back and each tile runs one longer k loop instead of two short ones.
void KK_FN(kk_lstm_sequence_x)(const kk_layout *kernel_layout, const float *kernel, const float *bias,
                               const kk_layout *layout, const float *recurrent, const float *x, long xss, long xts,
                               long batch, long steps, long units, float *h, float *c, float *scratch,
                               float *sequence, long sss, long sts, int backwards) {
    const long gates = 4 * units;
    for (long t = 0; t < steps; t++) {
        const float *xt = x + (backwards ? steps - 1 - t : t) * xts;
        KK_FN(kk_gemm_tiles)(kernel_layout, kernel, 0, batch, xt, xss, layout, recurrent, h, units, scratch, gates, 0, bias);
        for (long s = 0; s < batch; s++) {
            kk_lstm_gates_row(scratch + s * gates, NULL, c + s * units, h + s * units, units);
            if (sequence) memcpy(sequence + s * sss + t * sts, h + s * units, (size_t)units * sizeof(float));
        }
    }
}

void KK_FN(kk_lstm_sequence)(const kk_layout *layout, const float *recurrent,
                             const float *projection, long pss, long pts,
                             long batch, long steps, long units, float *h, float *c, float *scratch,
                             float *sequence, long sss, long sts, int backwards) {
    const long gates = 4 * units;
    if (batch == 1 && layout->groups == 4 && layout->k == units) {
        KK_FN(kk_lstm_sequence1)(layout, recurrent, projection, pts, steps, units, h, c, scratch, sequence, sts, backwards);
        return;
    }
    for (long t = 0; t < steps; t++) {
        const long in_step = backwards ? steps - 1 - t : t;
        KK_FN(kk_gemm_rows)(layout, recurrent, 0, batch, h, units, scratch, gates, 0, NULL);
        for (long s = 0; s < batch; s++) {
            kk_lstm_gates_row(scratch + s * gates, projection + s * pss + in_step * pts, c + s * units, h + s * units, units);
            if (sequence) memcpy(sequence + s * sss + t * sts, h + s * units, (size_t)units * sizeof(float));
        }
    }
}

// MARK: - Softmax

// Each of `rows` rows of `n` floats (`ld` apart): x ← scale·x, then exp(x − max) / Σ, as
// TensorFlow's softmax computes a row (the order of the sum aside). A row with a NaN, or with
// +inf, comes out NaN, as there.
void KK_FN(kk_softmax_rows)(float *values, long rows, long n, long ld, float scale) {
    if (n <= 0) return;
    const vf s = kk_splat(scale);
    for (long r = 0; r < rows; r++) {
        float *x = values + r * ld;
        vf m = kk_splat(-__builtin_inff());
        long j = 0;
        for (; j + KK_VW <= n; j += KK_VW) {
            vf v = kk_load(x + j) * s;
            kk_store(x + j, v);
            m = kk_max(m, v);
        }
        float largest = -__builtin_inff();
        float lanes[KK_VW];
        kk_store(lanes, m);
        for (int l = 0; l < KK_VW; l++) largest = lanes[l] > largest ? lanes[l] : largest;
        for (long t = j; t < n; t++) {
            x[t] *= scale;
            largest = x[t] > largest ? x[t] : largest;
        }
        const vf shift = kk_splat(largest);
        vf total = (vf){0};
        for (j = 0; j + KK_VW <= n; j += KK_VW) {
            vf e = kk_exp_v(kk_load(x + j) - shift);
            kk_store(x + j, e);
            total = total + e;
        }
        if (j < n) {
            // The tail through a vector whose missing lanes are −inf: e⁻ⁱⁿᶠ = 0 adds nothing.
            float tail[KK_VW];
            for (int l = 0; l < KK_VW; l++) tail[l] = j + l < n ? x[j + l] : -__builtin_inff();
            vf e = kk_exp_v(kk_load(tail) - shift);
            kk_store(tail, e);
            total = total + e;
            for (long t = j; t < n; t++) x[t] = tail[t - j];
        }
        float sum = 0.0f;
        kk_store(lanes, total);
        for (int l = 0; l < KK_VW; l++) sum += lanes[l];
        const vf divisor = kk_splat(sum);
        for (j = 0; j + KK_VW <= n; j += KK_VW) kk_store(x + j, kk_load(x + j) / divisor);
        for (; j < n; j++) x[j] /= sum;
    }
}
