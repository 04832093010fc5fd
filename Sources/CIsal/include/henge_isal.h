// A small C interface to ISA-L: its streaming gzip inflater (igzip), for
// Henge's `.gz` inputs (Inputs), and its CRC-32, for segment blocks, spill
// frames and index chunks (SegmentFormat). ISA-L is optional: the inflater is
// built against its header when present (libisal-dev), and both are loaded at
// run time with dlopen (libisal.so.2), so Henge builds and runs without it and
// then falls back to zlib.
#ifndef HENGE_ISAL_H
#define HENGE_ISAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct henge_isal_inflater henge_isal_inflater;

/// 1 when ISA-L can be used: built with its header and the library loaded.
int henge_isal_available(void);

/// What was loaded, or why ISA-L is not used (a static string).
const char *henge_isal_status(void);

/// A gzip inflater (gzip header and trailer parsed, CRC-32 and length
/// checked); NULL when ISA-L is not available or memory is short.
henge_isal_inflater *henge_isal_create(void);

void henge_isal_destroy(henge_isal_inflater *inflater);

/// Prepares for the next gzip member.
void henge_isal_reset(henge_isal_inflater *inflater);

/// Inflates from `in` into `out`: sets how many bytes were consumed and
/// produced, and `member_done` to 1 once the member's trailer was checked.
/// Returns ISA-L's code: 0 (ISAL_DECOMP_OK) or a negative error
/// (ISAL_INVALID_BLOCK -1, ISAL_INVALID_SYMBOL -2, ISAL_INVALID_LOOKBACK -3,
/// ISAL_INVALID_WRAPPER -4, ISAL_UNSUPPORTED_METHOD -5,
/// ISAL_INCORRECT_CHECKSUM -6), or ISAL_NEED_DICT 6.
int henge_isal_inflate(henge_isal_inflater *inflater, const uint8_t *in, size_t in_len, size_t *consumed,
                       uint8_t *out, size_t out_len, size_t *produced, int *member_done);

/// 1 when ISA-L's CRC-32 (`crc32_gzip_refl`, PCLMULQDQ-accelerated) was
/// loaded. It needs no header, so it is independent of the inflater.
int henge_isal_crc32_available(void);

/// zlib's CRC-32 of `len` bytes continuing from `crc` (0 to start), through
/// ISA-L; only call when `henge_isal_crc32_available()` returned 1.
uint32_t henge_isal_crc32(uint32_t crc, const uint8_t *bytes, uint64_t len);

#ifdef __cplusplus
}
#endif

#endif
