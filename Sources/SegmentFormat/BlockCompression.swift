/// zlib on top of a block's lightweight encoding, kept only where it pays.
enum BlockCompression {
    /// The deflated bytes when that saves at least an eighth. Large inputs
    /// are judged on a deflated sample first, so incompressible data (random
    /// mantissas, high-cardinality ids) costs one small attempt, not a full one.
    static func deflateIfWorthwhile(_ body: [UInt8]) -> [UInt8]? {
        guard body.count >= SegmentLayout.minCompressibleSize else { return nil }
        let sampleSize = 64 * 1024
        if body.count > 4 * sampleSize {
            let sample = Array(body[(body.count / 2 - sampleSize / 2)..<(body.count / 2 + sampleSize / 2)])
            guard let deflated = Zlib.compress(sample), deflated.count <= sampleSize - sampleSize / 6 else { return nil }
        }
        guard let deflated = Zlib.compress(body), deflated.count <= body.count - body.count / 8 else { return nil }
        return deflated
    }
}
