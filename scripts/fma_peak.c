// The machine's float32 FMA peak, measured: each thread runs ACC independent vector FMA chains
// (enough to cover the FMA latency on two ports) for a fixed number of iterations, and the
// program prints GFLOP/s (2 flops per lane per FMA) over all threads, best of 5 runs.
//
//   cc -O2 -march=native -ffp-contract=fast -pthread scripts/fma_peak.c -o fma_peak && ./fma_peak 2
//
// scripts/bench-conv.sh compiles and runs it beside the convolution benchmark, so achieved
// GFLOP/s can be read against the peak of the same cores. The vector width is the widest the
// compiler targets with -march=native (64 bytes with AVX-512F, 32 with AVX2, 16 otherwise).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#define WIDTH 16
#elif defined(__AVX2__) || defined(__AVX__)
#define WIDTH 8
#else
#define WIDTH 4
#endif
#define ACC 16
#define ITERATIONS 20000000L

typedef float vec __attribute__((vector_size(WIDTH * sizeof(float))));

static float sink[64];

// One FMA on each of the ACC accumulators, each kept in a register by the empty asm.
#define FMA(k) acc##k = acc##k * a + b; __asm__ volatile("" : "+v"(acc##k));
#define ALL(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define DECLARE(k) vec acc##k = a * (float)(k + 1);
#define SUM(k) total += acc##k[0];

static void *chains(void *arg) {
    vec a, b;
    for (int i = 0; i < WIDTH; i++) { a[i] = 0.999999f; b[i] = 1e-7f; }
    ALL(DECLARE)
    for (long n = 0; n < ITERATIONS; n++) {
        ALL(FMA)
    }
    float total = 0;
    ALL(SUM)
    sink[(long)arg % 64] = total;
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads < 1 || threads > 64) { fprintf(stderr, "usage: fma_peak [threads 1…64]\n"); return 2; }
    double best = 0;
    for (int run = 0; run < 5; run++) {
        pthread_t ids[64];
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long t = 0; t < threads; t++) pthread_create(&ids[t], NULL, chains, (void *)t);
        for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
        double gflops = 2.0 * WIDTH * ACC * ITERATIONS * threads / seconds / 1e9;
        if (gflops > best) best = gflops;
    }
    printf("{\"threads\": %d, \"vector_floats\": %d, \"gflops\": %.1f}\n", threads, WIDTH, best);
    return 0;
}
