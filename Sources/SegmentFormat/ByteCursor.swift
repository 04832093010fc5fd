/// A bounds-checked little-endian reader over bytes of a segment file.
///
/// Every read that would run past the end throws `SegmentCorruption`, so a
/// truncated or garbled block can never read out of bounds.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position == bytes.count }

    mutating func readByte() throws(SegmentCorruption) -> UInt8 {
        guard position < bytes.count else { throw SegmentCorruption("unexpected end of data") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readUInt32LE() throws(SegmentCorruption) -> UInt32 {
        let slice = try read(count: 4)
        return UInt32(littleEndian: slice.loadUnaligned(as: UInt32.self))
    }

    mutating func readUInt64LE() throws(SegmentCorruption) -> UInt64 {
        let slice = try read(count: 8)
        return UInt64(littleEndian: slice.loadUnaligned(as: UInt64.self))
    }

    mutating func readVarint() throws(SegmentCorruption) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64, shift < 63 || byte <= 1 else { throw SegmentCorruption("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readZigzag() throws(SegmentCorruption) -> Int64 {
        Zigzag.decode(try readVarint())
    }

    /// A varint that must fit a non-negative `Int` no larger than `limit`.
    mutating func readCount(limit: Int, what: String) throws(SegmentCorruption) -> Int {
        let v = try readVarint()
        guard v <= UInt64(limit) else { throw SegmentCorruption("\(what) \(v) exceeds \(limit)") }
        return Int(v)
    }

    /// The next `count` bytes, without copying.
    mutating func read(count: Int) throws(SegmentCorruption) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else { throw SegmentCorruption("unexpected end of data") }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }
}
