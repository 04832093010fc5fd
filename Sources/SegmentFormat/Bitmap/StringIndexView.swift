/// A read-only view of one string column's bitmap index region in a mapped
/// segment file (layout in `SegmentFormatModule`). Opening checks the
/// header's CRC (dictionary and offsets); a bitmap's chunk CRC is checked
/// only when that bitmap is decoded.
struct StringIndexView {
    let rowCount: Int
    let cardinality: Int
    let dictionary: FrontCodedDictionaryView
    private let allASCII: Bool
    private let bitmapOffsets: UnsafeRawBufferPointer
    private let bitmapOffsetWidth: Int
    private let checksums: UnsafeRawBufferPointer
    private let bitmaps: UnsafeRawBufferPointer

    init(_ region: UnsafeRawBufferPointer, rowCount expectedRows: Int) throws(SegmentCorruption) {
        var cursor = ByteCursor(region)
        guard try cursor.readByte() == StringIndexLayout.version else {
            throw SegmentCorruption("unsupported bitmap index version")
        }
        let flags = try cursor.readByte()
        guard flags & ~StringIndexLayout.allASCII == 0 else { throw SegmentCorruption("unknown bitmap index flags") }
        allASCII = flags & StringIndexLayout.allASCII != 0
        rowCount = try cursor.readCount(limit: expectedRows, what: "bitmap index row count")
        guard rowCount == expectedRows else { throw SegmentCorruption("bitmap index row count mismatch") }
        // Every entry and every bitmap takes at least a byte.
        cardinality = try cursor.readCount(limit: region.count, what: "bitmap index cardinality")
        let bucketCount = (cardinality + FrontCodedDictionary.bucketSize - 1) / FrontCodedDictionary.bucketSize
        let (dictionaryLength, bucketWidth, bucketOffsets) = try Self.readPacked(&cursor, count: bucketCount + 1)
        dictionary = FrontCodedDictionaryView(
            count: cardinality, bytes: try cursor.read(count: dictionaryLength), offsets: bucketOffsets,
            offsetWidth: bucketWidth)
        let (bitmapsLength, bitmapWidth, offsets) = try Self.readPacked(&cursor, count: cardinality + 2)
        bitmapOffsets = offsets
        bitmapOffsetWidth = bitmapWidth
        let chunks = (cardinality + StringIndexLayout.bitmapsPerChecksum) / StringIndexLayout.bitmapsPerChecksum
        checksums = try cursor.read(count: 4 * chunks)
        let headerEnd = cursor.position
        let crc = try cursor.readUInt32LE()
        guard Zlib.crc32(UnsafeRawBufferPointer(rebasing: region[..<headerEnd])) == crc else {
            throw SegmentCorruption("bitmap index header checksum mismatch")
        }
        bitmaps = try cursor.read(count: bitmapsLength)
        guard cursor.isAtEnd else { throw SegmentCorruption("bitmap index length mismatch") }
    }

    /// `varint last | u8 width | count values bit-packed`: the last value
    /// (the size of what the offsets index), the width and the packed bytes.
    private static func readPacked(
        _ cursor: inout ByteCursor, count: Int
    ) throws(SegmentCorruption) -> (Int, Int, UnsafeRawBufferPointer) {
        let last = try cursor.readCount(limit: cursor.remaining, what: "index section length")
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
    func decodeBitmap(_ id: Int, into out: inout RowBitmap) throws(SegmentCorruption) {
        precondition(id >= 0 && id <= cardinality, "StringIndexView: id \(id) out of range")
        let chunk = id / StringIndexLayout.bitmapsPerChecksum
        let chunkStart = offset(chunk * StringIndexLayout.bitmapsPerChecksum)
        let chunkEnd = offset(min((chunk + 1) * StringIndexLayout.bitmapsPerChecksum, cardinality + 1))
        let start = offset(id), end = offset(id + 1)
        guard chunkStart <= start, start <= end, end <= chunkEnd, chunkEnd <= bitmaps.count else {
            throw SegmentCorruption("bitmap index offsets are malformed")
        }
        let crc = UInt32(littleEndian: checksums.loadUnaligned(fromByteOffset: 4 * chunk, as: UInt32.self))
        guard Zlib.crc32(UnsafeRawBufferPointer(rebasing: bitmaps[chunkStart..<chunkEnd])) == crc else {
            throw SegmentCorruption("bitmap checksum mismatch")
        }
        try BitmapContainers.decode(UnsafeRawBufferPointer(rebasing: bitmaps[start..<end]), into: &out)
    }
}
