/// A read-only view of one string column's bitmap index region in a mapped
/// segment file (layout in `SegmentFormatModule`). Opening checks the
/// header's CRC (dictionary, offsets and chunk table) and inflates a
/// compressed dictionary; a bitmap's chunk is checked against its CRC (and
/// inflated) only when one of its bitmaps is decoded. Reads version 2 and
/// the uncompressed version 1. Immutable once open: a reader keeps one per
/// column and shares it between threads.
struct StringIndexView {
    let rowCount: Int
    let cardinality: Int
    /// Points into the mapped file or into this view's inflated copy: use it
    /// only while the view (and the file) lives.
    let dictionary: FrontCodedDictionaryView
    private let allASCII: Bool
    private let bitmapOffsets: UnsafeRawBufferPointer
    private let bitmapOffsetWidth: Int
    private let chunks: BitmapChunkTable
    private let checksums: UnsafeRawBufferPointer
    private let bitmaps: UnsafeRawBufferPointer
    /// Owns an inflated dictionary (`dictionary` points into it).
    private let inflatedDictionary: OwnedBytes?

    init(_ region: UnsafeRawBufferPointer, rowCount expectedRows: Int) throws(SegmentCorruption) {
        var cursor = ByteCursor(region)
        let version = try cursor.readByte()
        guard version == StringIndexLayout.version || version == StringIndexLayout.uncompressedVersion else {
            throw SegmentCorruption("unsupported bitmap index version")
        }
        let flags = try cursor.readByte()
        guard flags & ~StringIndexLayout.allASCII == 0 else { throw SegmentCorruption("unknown bitmap index flags") }
        allASCII = flags & StringIndexLayout.allASCII != 0
        rowCount = try cursor.readCount(limit: expectedRows, what: "bitmap index row count")
        guard rowCount == expectedRows else { throw SegmentCorruption("bitmap index row count mismatch") }
        // Every bitmap takes at least a raw byte, so each of the cardinality + 2 raw offsets, stored
        // uncompressed, at least a bit. Compressed sections have no such bound (zstd inflates runs
        // without limit): their raw sizes are only kept from overflowing, and trusted once the header
        // CRC matches (inflating checks the exact size).
        cardinality = try cursor.readCount(limit: 8 * region.count + 16, what: "bitmap index cardinality")
        let rawLimit = Int.max >> 8
        let bucketCount = (cardinality + FrontCodedDictionary.bucketSize - 1) / FrontCodedDictionary.bucketSize
        let (dictionaryLength, bucketWidth, bucketOffsets) = try Self.readPacked(
            &cursor, count: bucketCount + 1, limit: rawLimit)
        let dictionaryFlags = version == StringIndexLayout.version ? try cursor.readByte() : 0
        var dictionaryBytes: UnsafeRawBufferPointer
        if dictionaryFlags == 0 {
            dictionaryBytes = try cursor.read(count: dictionaryLength)
        } else {
            guard dictionaryFlags == BlockFlags.zstd || dictionaryFlags == BlockFlags.zlib else {
                throw SegmentCorruption("unknown dictionary flags \(dictionaryFlags)")
            }
            let storedLength = try cursor.readCount(limit: cursor.remaining, what: "stored dictionary length")
            // Read below, after the header CRC has vouched for these bytes.
            dictionaryBytes = try cursor.read(count: storedLength)
        }
        let (bitmapsLength, bitmapWidth, offsets) = try Self.readPacked(&cursor, count: cardinality + 2, limit: rawLimit)
        bitmapOffsets = offsets
        bitmapOffsetWidth = bitmapWidth
        let chunkCount: Int
        if version == StringIndexLayout.version {
            chunkCount = try cursor.readCount(limit: cardinality + 1, what: "bitmap chunk count")
            let (idsEnd, idWidth, firstIDs) = try Self.readPacked(&cursor, count: chunkCount + 1, limit: cardinality + 1)
            let (storedEnd, storedWidth, storedOffsets) = try Self.readPacked(&cursor, count: chunkCount + 1, limit: cursor.remaining)
            guard idsEnd == cardinality + 1, chunkCount > 0, BitPacking.value(at: 0, width: idWidth, in: firstIDs) == 0,
                  BitPacking.value(at: 0, width: storedWidth, in: storedOffsets) == 0
            else { throw SegmentCorruption("bitmap chunk table is malformed") }
            chunks = .packed(
                firstIDs: firstIDs, idWidth: idWidth, storedOffsets: storedOffsets, storedWidth: storedWidth,
                flags: try cursor.read(count: chunkCount), storedLength: storedEnd)
        } else {
            chunkCount = (cardinality + StringIndexLayout.bitmapsPerChecksum) / StringIndexLayout.bitmapsPerChecksum
            chunks = .fixed(storedLength: bitmapsLength)
        }
        checksums = try cursor.read(count: 4 * chunkCount)
        let headerEnd = cursor.position
        let crc = try cursor.readUInt32LE()
        guard CRC32.checksum(UnsafeRawBufferPointer(rebasing: region[..<headerEnd])) == crc else {
            throw SegmentCorruption("bitmap index header checksum mismatch")
        }
        bitmaps = try cursor.read(count: chunks.storedLength)
        guard cursor.isAtEnd else { throw SegmentCorruption("bitmap index length mismatch") }
        if dictionaryFlags != 0 {
            let owned = OwnedBytes(
                try BlockCompression.decompress(dictionaryBytes, flags: dictionaryFlags, expectedCount: dictionaryLength))
            inflatedDictionary = owned
            dictionaryBytes = UnsafeRawBufferPointer(owned.bytes)
        } else {
            inflatedDictionary = nil
        }
        dictionary = FrontCodedDictionaryView(
            count: cardinality, bytes: dictionaryBytes, offsets: bucketOffsets, offsetWidth: bucketWidth)
    }

    /// `varint last | u8 width | count values bit-packed`: the last value
    /// (the size of what the offsets index), the width and the packed bytes.
    private static func readPacked(
        _ cursor: inout ByteCursor, count: Int, limit: Int
    ) throws(SegmentCorruption) -> (Int, Int, UnsafeRawBufferPointer) {
        let last = try cursor.readCount(limit: limit, what: "index section length")
        let width = Int(try cursor.readByte())
        guard width == BitPacking.width(forMax: UInt64(last)) else { throw SegmentCorruption("index offset width mismatch") }
        let packed = try cursor.read(count: BitPacking.byteCount(count: count, width: width))
        guard Int(BitPacking.value(at: count - 1, width: width, in: packed)) == last else {
            throw SegmentCorruption("index offsets do not end at the section length")
        }
        return (last, width, packed)
    }

    /// Dictionary ids whose value equals `value` as the SQL `=` on VARCHAR
    /// does (Swift `String` equality, i.e. canonical equivalence): at most
    /// one when both sides are ASCII, maybe several otherwise.
    func ids(equalTo value: String) throws(SegmentCorruption) -> [Int] {
        let key = Array(value.utf8)
        let keyASCII = key.allSatisfy { $0 < 0x80 }
        if keyASCII && allASCII {
            return try dictionary.id(ofBytes: key).map { [$0] } ?? []
        }
        var out: [Int] = []
        for b in 0..<dictionary.bucketCount {
            try dictionary.forEach(inBucket: b) { (id, entry) throws(SegmentCorruption) in
                if keyASCII && !entry.contains(where: { $0 >= 0x80 }) {
                    if entry == key { out.append(id) }
                } else if String(decoding: entry, as: UTF8.self) == value {
                    out.append(id)
                }
                return true
            }
        }
        return out
    }

    private func offset(_ i: Int) -> Int { Int(BitPacking.value(at: i, width: bitmapOffsetWidth, in: bitmapOffsets)) }

    /// ORs the rows of dictionary id `id` (or the NULL rows, for
    /// `id == cardinality`) into `out`, after checking its chunk's CRC.
    /// - Parameter cache: the chunk inflated last, reused while lookups stay in it.
    func decodeBitmap(_ id: Int, into out: inout RowBitmap, cache: inout BitmapChunkCache) throws(SegmentCorruption) {
        precondition(id >= 0 && id <= cardinality, "StringIndexView: id \(id) out of range")
        let chunk = chunks.chunk(holding: id, cardinality: cardinality)
        let (firstID, endID) = chunks.ids(of: chunk, cardinality: cardinality)
        let rawStart = offset(firstID), rawEnd = offset(endID)
        let start = offset(id), end = offset(id + 1)
        guard firstID <= id, id < endID, rawStart <= start, start <= end, end <= rawEnd else {
            throw SegmentCorruption("bitmap index offsets are malformed")
        }
        let flags = chunks.flags(of: chunk)
        let stored = chunks.storedRange(of: chunk, raw: rawStart..<rawEnd)
        guard stored.lowerBound <= stored.upperBound, stored.upperBound <= bitmaps.count,
              flags != 0 || stored.count == rawEnd - rawStart
        else { throw SegmentCorruption("bitmap index offsets are malformed") }
        if flags == 0 {
            try checkCRC(chunk, stored)
            let shift = stored.lowerBound - rawStart
            try BitmapContainers.decode(UnsafeRawBufferPointer(rebasing: bitmaps[(start + shift)..<(end + shift)]), into: &out)
            return
        }
        if cache.chunk != chunk {
            try checkCRC(chunk, stored)
            guard flags == BlockFlags.zstd || flags == BlockFlags.zlib else { throw SegmentCorruption("unknown bitmap chunk flags") }
            cache.bytes = try BlockCompression.decompress(
                UnsafeRawBufferPointer(rebasing: bitmaps[stored]), flags: flags, expectedCount: rawEnd - rawStart)
            cache.chunk = chunk
        }
        let result = cache.bytes.withUnsafeBytes { raw in
            Result { () throws(SegmentCorruption) in
                try BitmapContainers.decode(UnsafeRawBufferPointer(rebasing: raw[(start - rawStart)..<(end - rawStart)]), into: &out)
            }
        }
        try result.get()
    }

    /// Whether the dictionary was stored compressed.
    var isDictionaryCompressed: Bool { inflatedDictionary != nil }

    /// Chunks of the bitmap area, and how many of them are compressed.
    var chunkCounts: (total: Int, compressed: Int) {
        let total = checksums.count / 4
        return (total, (0..<total).filter { chunks.flags(of: $0) != 0 }.count)
    }

    private func checkCRC(_ chunk: Int, _ stored: Range<Int>) throws(SegmentCorruption) {
        let crc = UInt32(littleEndian: checksums.loadUnaligned(fromByteOffset: 4 * chunk, as: UInt32.self))
        guard CRC32.checksum(UnsafeRawBufferPointer(rebasing: bitmaps[stored])) == crc else {
            throw SegmentCorruption("bitmap checksum mismatch")
        }
    }
}

/// Where the chunks of an index's bitmap area start and how they are stored.
private enum BitmapChunkTable {
    /// Version 1: `bitmapsPerChecksum` bitmaps a chunk, stored as they are.
    case fixed(storedLength: Int)
    /// Version 2: packed first ids (ascending, ending at cardinality + 1),
    /// packed stored offsets (ending at the stored area's size) and a flags
    /// byte per chunk (0, or the codec's `BlockFlags`).
    case packed(
        firstIDs: UnsafeRawBufferPointer, idWidth: Int, storedOffsets: UnsafeRawBufferPointer, storedWidth: Int,
        flags: UnsafeRawBufferPointer, storedLength: Int)

    var storedLength: Int {
        switch self {
        case .fixed(let length), .packed(_, _, _, _, _, let length): length
        }
    }

    func chunk(holding id: Int, cardinality: Int) -> Int {
        switch self {
        case .fixed: return id / StringIndexLayout.bitmapsPerChecksum
        case .packed(let firstIDs, let width, _, _, let flags, _):
            // Last chunk whose first id is <= id.
            var lo = 0, hi = flags.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if Int(BitPacking.value(at: mid, width: width, in: firstIDs)) <= id { lo = mid } else { hi = mid - 1 }
            }
            return lo
        }
    }

    /// The first id of `chunk` and the first id after it.
    func ids(of chunk: Int, cardinality: Int) -> (Int, Int) {
        switch self {
        case .fixed:
            let first = chunk * StringIndexLayout.bitmapsPerChecksum
            return (first, min(first + StringIndexLayout.bitmapsPerChecksum, cardinality + 1))
        case .packed(let firstIDs, let width, _, _, _, _):
            return (Int(BitPacking.value(at: chunk, width: width, in: firstIDs)),
                    Int(BitPacking.value(at: chunk + 1, width: width, in: firstIDs)))
        }
    }

    func flags(of chunk: Int) -> UInt8 {
        switch self {
        case .fixed: 0
        case .packed(_, _, _, _, let flags, _): flags[chunk]
        }
    }

    /// The chunk's bytes in the stored area, given the raw bytes its bitmaps span.
    func storedRange(of chunk: Int, raw: Range<Int>) -> Range<Int> {
        switch self {
        case .fixed:
            return raw  // stored as they are: stored offsets are the bitmaps' own
        case .packed(_, _, let offsets, let width, _, _):
            let start = Int(BitPacking.value(at: chunk, width: width, in: offsets))
            let end = Int(BitPacking.value(at: chunk + 1, width: width, in: offsets))
            return start..<Swift.max(start, end)
        }
    }
}

/// Bytes an index view owns (an inflated dictionary), at a fixed address
/// for as long as the view lives; never written after `init`.
private final class OwnedBytes: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer

    init(_ contents: [UInt8]) {
        bytes = .allocate(byteCount: contents.count, alignment: 8)
        contents.withUnsafeBytes { bytes.copyMemory(from: $0) }
    }

    deinit { bytes.deallocate() }
}

/// The last bitmap chunk a lookup inflated (one per call, not per view).
struct BitmapChunkCache {
    var chunk = -1
    var bytes: [UInt8] = []
}
