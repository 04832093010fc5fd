internal import CZlib

/// Deflate/inflate through the system zlib (checksums are in `CRC32`).
enum Zlib {
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
