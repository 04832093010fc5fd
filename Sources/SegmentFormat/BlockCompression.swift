/// General-purpose compression on top of a block's lightweight encoding,
/// kept only where it pays: zstd level 1 (`Zstd`, several times faster than
/// zlib's fastest level and smaller), or zlib where libzstd cannot be
/// loaded. The block's flags say which (`BlockFlags.zstd` / `.zlib`);
/// readers handle both, so files written either way stay readable.
enum BlockCompression {
    /// The compressed bytes and the flag naming the codec, when that saves
    /// at least an eighth. Large inputs are judged on a compressed sample
    /// first, so incompressible data (random mantissas, high-cardinality
    /// ids) costs one small attempt, not a full one.
    static func compressIfWorthwhile(_ body: [UInt8]) -> (flag: UInt8, bytes: [UInt8])? {
        guard body.count >= SegmentLayout.minCompressibleSize else { return nil }
        let useZstd = Zstd.isAvailable
        func compress(_ bytes: [UInt8]) -> [UInt8]? { useZstd ? Zstd.compress(bytes) : Zlib.compress(bytes) }
        let sampleSize = 64 * 1024
        if body.count > 4 * sampleSize {
            let sample = Array(body[(body.count / 2 - sampleSize / 2)..<(body.count / 2 + sampleSize / 2)])
            guard let packed = compress(sample), packed.count <= sampleSize - sampleSize / 6 else { return nil }
        }
        guard let packed = compress(body), packed.count <= body.count - body.count / 8 else { return nil }
        return (useZstd ? BlockFlags.zstd : BlockFlags.zlib, packed)
    }

    /// Inflates a block stored with `flags` (one of the codec flags set).
    static func decompress(_ stored: UnsafeRawBufferPointer, flags: UInt8, expectedCount: Int) throws(SegmentCorruption) -> [UInt8] {
        if flags & BlockFlags.zstd != 0 { return try Zstd.decompress(stored, expectedCount: expectedCount) }
        return try Zlib.decompress(stored, expectedCount: expectedCount)
    }
}
