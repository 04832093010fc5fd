// Loops over columns of 64-bit integers that Swift cannot vectorize: its
// baseline x86-64 has no 64-bit vector min/max, and Swift has no per-function
// target attribute. Each loop is written once, plainly, and compiled for the
// baseline, AVX2 and AVX-512; the widest the CPU supports is chosen on first
// use. (On other architectures: the plain loop, as the compiler sees fit.)
#include "henge_kernels.h"

static inline __attribute__((always_inline)) void stats_body(const int64_t *v, size_t n, henge_i64_stats *out) {
    int64_t lo = v[0], hi = v[0], dlo = INT64_MAX, dhi = INT64_MIN, changes = 0;
    for (size_t i = 1; i < n; i++) {
        int64_t x = v[i];
        int64_t d = (int64_t)((uint64_t)x - (uint64_t)v[i - 1]);
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
        dlo = d < dlo ? d : dlo;
        dhi = d > dhi ? d : dhi;
        changes += d != 0;
    }
    out->min = lo;
    out->max = hi;
    out->min_delta = dlo;
    out->max_delta = dhi;
    out->changes = changes;
}

static inline __attribute__((always_inline)) void min_max_body(const int64_t *v, size_t n, int64_t *min, int64_t *max) {
    int64_t lo = v[0], hi = v[0];
    for (size_t i = 1; i < n; i++) {
        int64_t x = v[i];
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
    }
    *min = lo;
    *max = hi;
}

static void stats_plain(const int64_t *v, size_t n, henge_i64_stats *out) { stats_body(v, n, out); }
static void min_max_plain(const int64_t *v, size_t n, int64_t *min, int64_t *max) { min_max_body(v, n, min, max); }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx2"))) static void stats_avx2(const int64_t *v, size_t n, henge_i64_stats *out) { stats_body(v, n, out); }
__attribute__((target("avx2"))) static void min_max_avx2(const int64_t *v, size_t n, int64_t *min, int64_t *max) {
    min_max_body(v, n, min, max);
}
__attribute__((target("avx512f,avx512vl"))) static void stats_avx512(const int64_t *v, size_t n, henge_i64_stats *out) {
    stats_body(v, n, out);
}
__attribute__((target("avx512f,avx512vl"))) static void min_max_avx512(const int64_t *v, size_t n, int64_t *min, int64_t *max) {
    min_max_body(v, n, min, max);
}

/// 0 plain, 1 AVX2, 2 AVX-512; -1 until first asked (a benign race: every thread computes the same value).
static int simd_level = -1;

int henge_simd_level(void) {
    int l = __atomic_load_n(&simd_level, __ATOMIC_RELAXED);
    if (l < 0) {
        __builtin_cpu_init();
        l = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&simd_level, l, __ATOMIC_RELAXED);
    }
    return l;
}

void henge_i64_stats_at_level(int level, const int64_t *v, size_t n, henge_i64_stats *out) {
    int supported = henge_simd_level();
    switch (level < supported ? level : supported) {
    case 2: stats_avx512(v, n, out); return;
    case 1: stats_avx2(v, n, out); return;
    default: stats_plain(v, n, out); return;
    }
}

void henge_i64_min_max_at_level(int level, const int64_t *v, size_t n, int64_t *min, int64_t *max) {
    int supported = henge_simd_level();
    switch (level < supported ? level : supported) {
    case 2: min_max_avx512(v, n, min, max); return;
    case 1: min_max_avx2(v, n, min, max); return;
    default: min_max_plain(v, n, min, max); return;
    }
}

void henge_i64_stats_compute(const int64_t *v, size_t n, henge_i64_stats *out) {
    henge_i64_stats_at_level(2, v, n, out);
}

void henge_i64_min_max(const int64_t *v, size_t n, int64_t *min, int64_t *max) {
    henge_i64_min_max_at_level(2, v, n, min, max);
}
#else
int henge_simd_level(void) { return 0; }
void henge_i64_stats_at_level(int level, const int64_t *v, size_t n, henge_i64_stats *out) { (void)level; stats_plain(v, n, out); }
void henge_i64_min_max_at_level(int level, const int64_t *v, size_t n, int64_t *min, int64_t *max) {
    (void)level;
    min_max_plain(v, n, min, max);
}
void henge_i64_stats_compute(const int64_t *v, size_t n, henge_i64_stats *out) { stats_plain(v, n, out); }
void henge_i64_min_max(const int64_t *v, size_t n, int64_t *min, int64_t *max) { min_max_plain(v, n, min, max); }
#endif
