/// A read-only view of one string column's bitmap index region in a
/// mapped segment file. Opening checks the header's CRC; each bitmap's
/// CRC is checked only when that bitmap is decoded.
struct StringIndexView {
    let rowCount: Int
    let cardinality: Int
    private let allASCII: Bool
    private let bytes: UnsafeRawBufferPointer
    private let dictionaryOffsets: Int
    private let dictionaryStart: Int
    private let dictionaryLength: Int
    private let bitmapOffsets: Int
    private let bitmapsStart: Int

    init(_ region: UnsafeRawBufferPointer, rowCount expectedRows: Int) throws(SegmentCorruption) {
        bytes = region
        var cursor = ByteCursor(region)
        guard try cursor.readByte() == StringIndexLayout.version else {
            throw SegmentCorruption("unsupported bitmap index version")
        }
        let flags = try cursor.readByte()
        guard flags & ~StringIndexLayout.allASCII == 0 else { throw SegmentCorruption("unknown bitmap index flags") }
        allASCII = flags & StringIndexLayout.allASCII != 0
        rowCount = try cursor.readCount(limit: expectedRows, what: "bitmap index row count")
        guard rowCount == expectedRows else { throw SegmentCorruption("bitmap index row count mismatch") }
        cardinality = try cursor.readCount(limit: region.count / 8, what: "bitmap index cardinality")
        dictionaryOffsets = cursor.position
        _ = try cursor.read(count: 4 * (cardinality + 1))
        dictionaryStart = cursor.position
        dictionaryLength = Int(Self.uint32(region, at: dictionaryOffsets + 4 * cardinality))
        _ = try cursor.read(count: dictionaryLength)
        bitmapOffsets = cursor.position
        _ = try cursor.read(count: 4 * (cardinality + 2))
        let headerEnd = cursor.position
        let crc = try cursor.readUInt32LE()
        guard Zlib.crc32(UnsafeRawBufferPointer(rebasing: region[..<headerEnd])) == crc else {
            throw SegmentCorruption("bitmap index header checksum mismatch")
        }
        bitmapsStart = cursor.position
        guard Int(Self.uint32(region, at: bitmapOffsets + 4 * (cardinality + 1))) == region.count - bitmapsStart else {
            throw SegmentCorruption("bitmap index length mismatch")
        }
    }

    private static func uint32(_ b: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(littleEndian: b.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// The UTF-8 bytes of dictionary entry `id`.
    func entry(_ id: Int) throws(SegmentCorruption) -> UnsafeRawBufferPointer {
        let start = Int(Self.uint32(bytes, at: dictionaryOffsets + 4 * id))
        let end = Int(Self.uint32(bytes, at: dictionaryOffsets + 4 * id + 4))
        guard start <= end, end <= dictionaryLength else { throw SegmentCorruption("bitmap index dictionary is malformed") }
        return UnsafeRawBufferPointer(rebasing: bytes[(dictionaryStart + start)..<(dictionaryStart + end)])
    }

    /// Dictionary ids whose value equals `value` as the SQL `=` on VARCHAR
    /// does (Swift `String` equality, i.e. canonical equivalence): at most
    /// one when both sides are ASCII, maybe several otherwise.
    func ids(equalTo value: String) throws(SegmentCorruption) -> [Int] {
        let key = Array(value.utf8)
        let keyASCII = key.allSatisfy { $0 < 0x80 }
        if keyASCII && allASCII {
            var lo = 0, hi = cardinality
            while lo < hi {
                let mid = (lo + hi) / 2
                let e = try entry(mid)
                if e.lexicographicallyPrecedes(key) { lo = mid + 1 } else { hi = mid }
            }
            if lo < cardinality, try entry(lo).elementsEqual(key) { return [lo] }
            return []
        }
        var out: [Int] = []
        for id in 0..<cardinality {
            let e = try entry(id)
            if keyASCII && !e.contains(where: { $0 >= 0x80 }) {
                if e.elementsEqual(key) { out.append(id) }
            } else if String(decoding: e, as: UTF8.self) == value {
                out.append(id)
            }
        }
        return out
    }

    /// ORs the rows of dictionary id `id` (or the NULL rows, for
    /// `id == cardinality`) into `out`.
    func decodeBitmap(_ id: Int, into out: inout RowBitmap) throws(SegmentCorruption) {
        precondition(id >= 0 && id <= cardinality, "StringIndexView: id \(id) out of range")
        let start = Int(Self.uint32(bytes, at: bitmapOffsets + 4 * id))
        let end = Int(Self.uint32(bytes, at: bitmapOffsets + 4 * id + 4))
        guard start + 4 <= end, bitmapsStart + end <= bytes.count else {
            throw SegmentCorruption("bitmap index offsets are malformed")
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[(bitmapsStart + start)..<(bitmapsStart + end - 4)])
        let crc = Self.uint32(bytes, at: bitmapsStart + end - 4)
        guard Zlib.crc32(body) == crc else { throw SegmentCorruption("bitmap checksum mismatch") }
        try BitmapContainers.decode(body, into: &out)
    }
}
