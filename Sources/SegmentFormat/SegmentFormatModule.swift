/// SegmentFormat: Henge's own columnar segment file (`*.hseg`).
///
/// `SegmentWriter` accumulates sorted `Batch`es and writes one immutable,
/// checksummed, fsync'ed file; `SegmentReader` memory-maps such a file,
/// validates its frame and decodes whole columns back into a `Batch`.
///
/// File layout (all integers little-endian, "varint" = unsigned LEB128,
/// "zigzag" = zigzag-mapped varint):
///
/// ```
/// header   "HENGSEG1" | u32 formatVersion (1) | u32 flags (0)         16 bytes
/// block 0  column 0 (`__time`)  | u32 CRC32 of the block bytes
/// block 1  column 1             | u32 CRC32
/// ...
/// footer   compact JSON (signature, rowCount, min/max time, per-column
///          codec, offset, length, nullCount, min, max, cardinality)
/// trailer  u64 footerOffset | u32 footerLength | u32 footer CRC32 | "HENGSEG1"
/// ```
///
/// A block is `u8 codec | u8 flags | varint rowCount | varint bodyLength |
/// payload`, where the payload is the body, or the body deflated with zlib
/// when flag bit 1 is set (only when that saves at least an eighth). The
/// body starts with the NULL bitmap (`ceil(rows/8)` bytes, bit set = NULL)
/// when flag bit 0 is set, followed by the codec's data:
///
/// - `timeDelta` (`__time`): zigzag first value, then for rows 1... the
///   deltas frame-of-reference encoded: zigzag minDelta, u8 width, packed.
/// - `longFOR` (LONG): zigzag min of the non-NULL values, u8 width, then
///   `value - min` bit-packed (NULL rows pack 0).
/// - `floatRaw` / `doubleRaw`: IEEE-754 bit patterns (NULL rows are 0).
/// - `stringDictionary` (STRING): varint cardinality, the distinct values
///   sorted by UTF-8 bytes (each varint length + bytes), u8 width
///   (`ceil(log2(cardinality))`), then the ids bit-packed (NULL rows pack 0).
///
/// Bit-packing is LSB-first over a little-endian bit stream of
/// `ceil(count * width / 8)` bytes.
enum SegmentFormatModule {}
