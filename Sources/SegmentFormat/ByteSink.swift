/// A growable little-endian byte buffer used to build blocks, footer and trailer.
struct ByteSink: Sendable {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append(contentsOf other: some Sequence<UInt8>) {
        bytes.append(contentsOf: other)
    }

    mutating func appendUInt32LE(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func appendUInt64LE(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Unsigned LEB128: seven bits per byte, high bit set on all but the last.
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A signed value zigzag-mapped (0, -1, 1, -2, ... → 0, 1, 2, 3, ...) then LEB128.
    mutating func appendZigzag(_ value: Int64) {
        appendVarint(Zigzag.encode(value))
    }
}

/// The zigzag mapping of signed to unsigned integers.
enum Zigzag {
    @inline(__always)
    static func encode(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v &<< 1) ^ (v &>> 63)) }

    @inline(__always)
    static func decode(_ u: UInt64) -> Int64 { Int64(bitPattern: u &>> 1) ^ (0 &- Int64(bitPattern: u & 1)) }
}
