#ifndef HENGE_KERNELS_H
#define HENGE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// What one pass over a block of 64-bit integers learns (the reductions of
/// `IntegerBlockEncoder.Stats`): deltas are `v[i] - v[i-1]` wrapping.
typedef struct {
    int64_t min;
    int64_t max;
    int64_t min_delta;
    int64_t max_delta;
    /// How many `i >= 1` have `v[i] != v[i-1]`.
    int64_t changes;
} henge_i64_stats;

/// Fills `out` for the `n >= 2` values at `v`.
void henge_i64_stats_compute(const int64_t *v, size_t n, henge_i64_stats *out);

/// The least and greatest of the `n >= 1` values at `v`.
void henge_i64_min_max(const int64_t *v, size_t n, int64_t *min, int64_t *max);

/// The widest implementation this CPU runs: 0 plain, 1 AVX2, 2 AVX-512 (always 0 off x86-64).
int henge_simd_level(void);

/// `henge_i64_stats_compute` and `henge_i64_min_max` through the implementation of `level` (at most
/// `henge_simd_level()`; higher is treated as that), so tests can compare every implementation the CPU runs.
void henge_i64_stats_at_level(int level, const int64_t *v, size_t n, henge_i64_stats *out);
void henge_i64_min_max_at_level(int level, const int64_t *v, size_t n, int64_t *min, int64_t *max);

#endif
