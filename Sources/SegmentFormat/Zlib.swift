internal import CZlib

/// CRC32 checksums and deflate/inflate through the system zlib.
enum Zlib {
    /// zlib's CRC-32 (the IEEE polynomial, as in gzip and PNG).
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt = CZlib.crc32(0, nil, 0)
        var offset = 0
        while offset < bytes.count {
            let n = min(bytes.count - offset, 1 << 30)
            crc = CZlib.crc32(crc, bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: Bytef.self), uInt(n))
            offset += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { crc32($0) }
    }

    /// Deflates `bytes` at the fastest level (deterministic for one zlib
    /// build); nil when zlib fails, which only happens on allocation failure.
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var capacity = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(capacity))
        let status = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &capacity, src.baseAddress, uLong(src.count), Z_BEST_SPEED)
            }
        }
        guard status == Z_OK else { return nil }
        out.removeSubrange(Int(capacity)...)
        return out
    }

    /// Inflates `bytes`, which must expand to exactly `expectedCount` bytes.
    static func decompress(_ bytes: UnsafeRawBufferPointer, expectedCount: Int) throws(SegmentCorruption) -> [UInt8] {
        var length = uLongf(expectedCount)
        var out = [UInt8](repeating: 0, count: max(expectedCount, 1))
        let status = out.withUnsafeMutableBufferPointer { dst in
            uncompress(
                dst.baseAddress, &length, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(bytes.count))
        }
        guard status == Z_OK, Int(length) == expectedCount else {
            throw SegmentCorruption("compressed block does not inflate to \(expectedCount) bytes (zlib status \(status))")
        }
        out.removeSubrange(expectedCount...)
        return out
    }
}
