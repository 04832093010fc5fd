/// SegmentFormat: Henge's own columnar segment file (`*.hseg`).
///
/// `SegmentWriter` accumulates sorted `Batch`es and writes one immutable,
/// checksummed, fsync'ed file; `SegmentReader` memory-maps such a file,
/// validates its frame and decodes whole columns back into a `Batch`, and
/// answers row sets from the bitmap indexes of STRING columns
/// (`rows(equalTo:in:)`, `rows(in:column:)`, `nullRows(_:)`) without
/// decoding the column.
///
/// File layout (all integers little-endian, "varint" = unsigned LEB128,
/// "zigzag" = zigzag-mapped varint):
///
/// ```
/// header   "HENGSEG1" | u32 formatVersion (1) | u32 flags (0)         16 bytes
/// block 0  column 0 (`__time`)  | u32 CRC32 of the block bytes
/// block 1  column 1             | u32 CRC32
/// [index]  STRING columns: the column's bitmap index region
/// ...
/// footer   compact JSON (signature, rowCount, min/max time, per-column
///          codec, offset, length, nullCount, min, max, cardinality,
///          blockEncodings, bitmapIndex {offset, length})
/// trailer  u64 footerOffset | u32 footerLength | u32 footer CRC32 | "HENGSEG1"
/// ```
///
/// A column block is `u8 codec | u8 flags | varint rowCount | varint
/// bodyLength | payload`, where the payload is the body, or the body
/// compressed (whole-column codecs only, when that saves at least an
/// eighth): with zstd when flag bit 2 is set (written since zstd replaced
/// zlib; libzstd is loaded at run time, `Zstd`), with zlib when flag bit 1 is
/// set (older files, or a writer without libzstd). The body starts with the NULL bitmap
/// (`ceil(rows/8)` bytes, bit set = NULL) when flag bit 0 is set, followed by
/// the codec's data.
///
/// ## Codecs written today
///
/// - `blockedLong` (LONG and `__time`), `blockedFloat`, `blockedDouble`:
///   `varint rowsPerBlock` (65,536), then per block of that many rows (the
///   last one shorter) a frame `u8 encoding | u8 flags (bit 2: zstd, bit 1: zlib) |
///   varint rawLength | varint storedLength | stored bytes | u32 CRC32 of
///   the frame so far`. The writer tries every encoding below on each block
///   and keeps the smallest, then compresses the block (`BlockCompression`)
///   when that saves an eighth. For `__time` the two smallest candidates are
///   compared after compressing (sorted times deflate far better as deltas than as runs). NULL rows carry their block's previous non-NULL value (so they
///   break no run or delta) and read back as 0. Integer encodings
///   (`IntegerEncoding`, the byte's low nibble):
///   - 0 `constant`: zigzag value.
///   - 1 `for`: zigzag min, varint step, u8 width, `(value - min) / step`
///     bit-packed. `step` is the GCD of the differences (≥ 1), so values
///     on a common grid (minutes in milliseconds) pack in few bits.
///   - 2 `deltaFOR`: zigzag first, zigzag minDelta, varint step, u8 width,
///     then the `count - 1` values `(delta - minDelta) / step` bit-packed
///     (sorted, clustered data).
///   - 3 `runLength`: varint runs, zigzag min, varint step, u8 width, run
///     values `(v - min) / step` bit-packed, u8 width, run lengths minus 1
///     bit-packed (many rows sharing a value, as hours or minutes do).
///   - 4 `dictionary` (at most 256 distinct values): varint count, the
///     values ascending (zigzag first, then varint gaps), u8 width, ids
///     bit-packed.
///   FLOAT/DOUBLE blocks say in the high nibble how values became
///   integers: `0x00` raw IEEE-754 bit patterns (4 or 8 bytes a row),
///   `0x10` the bit patterns read as integers (constants, runs, few
///   distinct values; NaN payloads and -0.0 survive), `0x20` every value is
///   an integer in Int64 range and not -0.0 (delays and distances ingested
///   as DOUBLE). The footer counts blocks per encoding (`blockEncodings`,
///   e.g. `{"deltaFOR": 5}` or `{"integral:for": 3, "raw": 1}`).
/// - `blockedStringIndexed` (STRING, ARRAY and `COMPLEX<json>` text): every
///   row's dictionary id (its rank in the sorted dictionary, which lives in
///   the column's bitmap index) as `blockedLong` blocks; NULL rows carry
///   their neighbour's id and read back as id 0. A timestamp kept as text
///   in a time-sorted segment becomes deltas of 0 and 1.
/// - `blockedMultiStringIndexed`: every row's value count as `blockedLong`
///   blocks (rowCount values), then every row's ids (sorted within the row,
///   duplicates kept) as `blockedLong` blocks (as many values as the counts
///   add up to). The footer's `blockEncodings` counts both sequences.
///
/// Read but no longer written: `stringIndexed` (u8 width
/// `ceil(log2(cardinality))`, then every row's id bit-packed, NULL rows 0)
/// and `multiStringIndexed` (per-row value counts, u8 width, bit-packed,
/// then the ids bit-packed), written until the string ids became blocks.
/// The first version's codecs are still read: `timeDelta` (zigzag first,
/// zigzag minDelta, u8 width, deltas bit-packed), `longFOR` (zigzag min, u8
/// width, packed), `floatRaw`/`doubleRaw` (bit patterns), and
/// `stringDictionary`/`multiStringDictionary`, which are the indexed codecs
/// preceded by their own dictionary (varint cardinality, then each value's
/// varint length and bytes, sorted by UTF-8 bytes). The writer still uses
/// the latter two when an index would not fit its 32-bit limits.
///
/// ## Bitmap index (STRING columns, also ARRAY/COMPLEX<json> stored as text)
///
/// Written right after the column's block and located by the footer's
/// `bitmapIndex`. The dictionary and the bitmaps are compressed (zstd, or
/// zlib without libzstd) where that saves an eighth: the dictionary whole
/// (inflated when the index is opened), the bitmaps in chunks of
/// consecutive ids of at least 32 KiB raw, so a lookup inflates one chunk.
/// "packed(n)" is `varint last value | u8 width | n values bit-packed`
/// (ascending):
///
/// ```
/// u8 version (2) | u8 flags (bit 0: every entry is ASCII)
/// varint rowCount | varint cardinality
/// packed(buckets + 1)     offsets of the dictionary's buckets of 16 entries,
///                         in the raw dictionary (the last is its size)
/// u8 dictionary flags     0 raw, else `BlockFlags.zstd`/`.zlib`
/// [varint stored length]  when compressed
/// dictionary              front-coded (`FrontCodedDictionary`): per bucket the
///                         first entry as varint length + bytes, then each entry as
///                         varint shared prefix, varint suffix length, suffix
/// packed(cardinality + 2) raw offsets of bitmap i (ids, then the NULL rows; the
///                         last is the raw bitmap area's size)
/// varint chunks
/// packed(chunks + 1)      first id of each chunk (the last is cardinality + 1)
/// packed(chunks + 1)      offset of each chunk in the stored area (the last is its size)
/// u8 per chunk            0 raw, else the codec's `BlockFlags`
/// u32 CRC32 per chunk     of its stored bytes
/// u32 CRC32 of everything above
/// stored bitmap area      the chunks back to back
/// ```
///
/// Version 1 (read, no longer written) has no dictionary flags byte (raw),
/// no chunk table, and one CRC per 64 consecutive bitmaps stored raw.
///
/// A multi-value row is in the bitmap of each distinct value it holds; a
/// NULL row (for multi-value: a row with no value) only in the NULL bitmap.
/// A compressed bitmap (`BitmapContainers`) is the smaller of a row list
/// (varint count, first row, gaps: a value on few rows) and Roaring-like
/// containers: rows grouped by `row >> 16`, each group a sorted u16 array
/// (sparse), an 8 KiB bitset (dense) or u16 (start, length - 1) runs,
/// whichever is smallest.
/// Lookups compare as SQL `=` on VARCHAR does (Swift `String` equality):
/// a binary search on bytes when the value and every entry are ASCII, else
/// a scan of the entries.
///
/// ## Older files
///
/// Files written before blocked codecs and indexes (whole-column codecs
/// above, no `bitmapIndex`) still decode; their index lookups return nil
/// and callers fall back to decoding. `SegmentWriter.legacyFormat` writes
/// that layout for tests, and `Tests/SegmentFormatTests/Fixtures` holds a
/// file written by the earlier code.
///
/// Bit-packing is LSB-first over a little-endian bit stream of
/// `ceil(count * width / 8)` bytes.
enum SegmentFormatModule {}
