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

// e^x for x in [-87.3, 88]: one scaling, the result a normal float. For the gates, where an
// argument outside that range only moves a result by less than 1.2e-38.
KK_INLINE vf kk_exp_core(vf x) {
    x = kk_min(kk_max(x, kk_splat(-87.3365447505531f)), kk_splat(88.0f));
    vf n;
    vf p = kk_exp_reduce(x, &n);
    return p * kk_pow2(__builtin_convertvector(n, vi));
}

// e^x over the whole float range: 2^n applied in two halves, so results near overflow and in
// the subnormal range are right; inf above 88.72, 0 below −103.98, NaN kept.
KK_INLINE vf kk_exp_v(vf x) {
    vf xc = kk_min(kk_max(x, kk_splat(-103.972084045410f)), kk_splat(88.72283935546875f));
    vf n;
    vf p = kk_exp_reduce(xc, &n);
    vi ni = __builtin_convertvector(n, vi);
    vi half = ni >> 1;
    vf y = p * kk_pow2(half) * kk_pow2(ni - half);
    y = kk_select(x > kk_splat(88.72283935546875f), kk_splat(__builtin_inff()), y);
    y = kk_select(x < kk_splat(-103.972084045410f), kk_splat(0.0f), y);
    return kk_select(x != x, x, y);
}

// σ(x) from e = e^{−|x|} ≤ 1 (no overflow): 1/(1+e) for x ≥ 0, e/(1+e) below, subnormal
// results included.
KK_INLINE vf kk_sigmoid_v(vf x) {
    const vi sign_mask = (vi){0} + INT32_MIN;
    vf e = kk_exp_v((vf)((vi)x | sign_mask));
    vf r = kk_recip(kk_splat(1.0f) + e);
    vf y = kk_select(x >= kk_splat(0.0f), r, e * r);
    return kk_select(x != x, x, y);
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
    vf large = kk_fma(kk_splat(-2.0f), kk_recip(kk_exp_core(ax + ax) + kk_splat(1.0f)), kk_splat(1.0f));
    vf y = kk_select(ax < kk_splat(0.625f), small, large);
    y = (vf)((vi)y | ((vi)x & sign_mask));
    return kk_select(x != x, x, y);
}

#define KK_ELEMENTWISE(name, op)                                                   \
    void KK_FN(name)(float *values, long count) {                                   \
        long i = 0;                                                                \
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

// c[mr × cols] (+)= a[mr × k] · panel[k × nr]; mr is a compile-time constant after inlining.
// With `bias` (already offset to the tile's first column), bias is added to every row too.
KK_INLINE void kk_micro(const int mr, long k, const float *a, long lda, const float *panel,
                        float *c, long ldc, long cols, int accumulate, const float *bias) {
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
    } else {
        for (long p = 0; p < k; p++) {
            vf bv[KK_NV];
            KK_UNROLL for (int v = 0; v < KK_NV; v++) bv[v] = kk_load(panel + p * KK_NR + v * KK_VW);
            KK_UNROLL for (int r = 0; r < mr; r++) {
                vf av = kk_splat(a[r * lda + p]);
                KK_UNROLL for (int v = 0; v < KK_NV; v++) acc[r][v] = kk_fma(av, bv[v], acc[r][v]);
            }
        }
    }
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

static void KK_FN(kk_micro_any)(int mr, long k, const float *a, long lda, const float *panel,
                                float *c, long ldc, long cols, int accumulate, const float *bias);

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
                                    packed + p * layout->panel_stride + kb * KK_NR, c + row_begin * ldc + col, ldc, cols, acc,
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
                                float *c, long ldc, long cols, int accumulate, const float *bias) {
    switch (mr) {
#define KK_CASE(n) case n: kk_micro(n, k, a, lda, panel, c, ldc, cols, accumulate, bias); break;
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


__attribute__((noinline)) static void KK_FN(kk_gemm_tiles)(const kk_layout *layout, const float *packed, long row_begin, long row_end,
                                                         const float *a, long lda, float *c, long ldc, int accumulate, const float *bias) {
    const long k = layout->k, width = layout->n / layout->groups, ppg = layout->panels_per_group;
    const long panels = layout->groups * ppg;
    if (row_end <= row_begin) return;
    if (k == 0) {
        for (long i = row_begin; i < row_end; i++)
            for (long j = 0; j < layout->n; j++) c[i * ldc + j] = (accumulate ? c[i * ldc + j] : 0.0f) + (bias ? bias[j] : 0.0f);
        return;
    }
    for (long kb = 0; kb < k; kb += KK_KC) {
        const long kc = k - kb < KK_KC ? k - kb : KK_KC;
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
                    const float *panel = packed + p * layout->panel_stride + kb * KK_NR;
                    const float *tile_bias = block_bias ? block_bias + col : NULL;
                    if (mr == KK_MR) {
                        kk_micro(KK_MR, kc, a + i * lda + kb, lda, panel, c + i * ldc + col, ldc, cols, acc, tile_bias);
                    } else {
                        KK_FN(kk_micro_any)(mr, kc, a + i * lda + kb, lda, panel, c + i * ldc + col, ldc, cols, acc, tile_bias);
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
        KK_FN(kk_gemm_tiles)(layout, packed, row_begin, row_end, a, lda, c, ldc, accumulate, bias);
}

// MARK: - LSTM

// One sample: z (recurrent part) + projection → gates → c, h, all four gates in one pass.
KK_INLINE void kk_lstm_cell(vf zi, vf zf, vf zg, vf zo, float *c, float *h) {
    vf i = kk_sigmoid_v(zi), f = kk_sigmoid_v(zf), g = kk_tanh_v(zg), o = kk_sigmoid_v(zo);
    vf cn = f * kk_load(c) + i * g;
    kk_store(c, cn);
    kk_store(h, o * kk_tanh_v(cn));
}

// z (this step's pre-activations without the projection) + proj (NULL: none) → c, h for one sample.
KK_INLINE void kk_lstm_gates_row(const float *z, const float *proj, float *c, float *h, long u) {
    long j = 0;
    for (; j + KK_VW <= u; j += KK_VW) {
        vf zi = kk_load(z + j), zf = kk_load(z + u + j), zg = kk_load(z + 2 * u + j), zo = kk_load(z + 3 * u + j);
        if (proj) {
            zi += kk_load(proj + j);
            zf += kk_load(proj + u + j);
            zg += kk_load(proj + 2 * u + j);
            zo += kk_load(proj + 3 * u + j);
        }
        kk_lstm_cell(zi, zf, zg, zo, c + j, h + j);
    }
    if (j < u) {
        float t[4][KK_VW] = {{0}}, tc[KK_VW] = {0}, th[KK_VW];
        const long rest = u - j;
        for (int gate = 0; gate < 4; gate++)
            for (long x = 0; x < rest; x++) t[gate][x] = z[gate * u + j + x] + (proj ? proj[gate * u + j + x] : 0.0f);
        memcpy(tc, c + j, (size_t)rest * sizeof(float));
        kk_lstm_cell(kk_load(t[0]), kk_load(t[1]), kk_load(t[2]), kk_load(t[3]), tc, th);
        memcpy(c + j, tc, (size_t)rest * sizeof(float));
        memcpy(h + j, th, (size_t)rest * sizeof(float));
    }
}

void KK_FN(kk_lstm_gates)(const float *z, long z_stride, float *c, float *h, long batch, long units) {
    for (long s = 0; s < batch; s++) kk_lstm_gates_row(z + s * z_stride, NULL, c + s * units, h + s * units, units);
}

void KK_FN(kk_lstm_sequence)(const kk_layout *layout, const float *recurrent,
                             const float *projection, long pss, long pts,
                             long batch, long steps, long units, float *h, float *c, float *scratch,
                             float *sequence, long sss, long sts, int backwards) {
    const long gates = 4 * units;
    for (long t = 0; t < steps; t++) {
        const long in_step = backwards ? steps - 1 - t : t;
        KK_FN(kk_gemm_rows)(layout, recurrent, 0, batch, h, units, scratch, gates, 0, NULL);
        for (long s = 0; s < batch; s++) {
            kk_lstm_gates_row(scratch + s * gates, projection + s * pss + in_step * pts, c + s * units, h + s * units, units);
            if (sequence) memcpy(sequence + s * sss + t * sts, h + s * units, (size_t)units * sizeof(float));
        }
    }
}
