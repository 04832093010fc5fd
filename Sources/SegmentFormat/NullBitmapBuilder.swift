internal import DataModel

/// Accumulates the NULL rows of one column across appended batches.
struct NullBitmapBuilder: Sendable {
    private(set) var words: [UInt64] = []
    private(set) var count = 0
    private(set) var nullCount = 0

    /// Appends `rowCount` rows whose NULLs are marked in `mask` (nil: none).
    mutating func append(_ mask: NullMask?, rowCount: Int) {
        let newCount = count + rowCount
        let needed = (newCount + 63) >> 6
        if words.count < needed { words.append(contentsOf: repeatElement(0, count: needed - words.count)) }
        if let mask {
            for (wordIndex, word) in mask.words.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    let row = wordIndex << 6 + bits.trailingZeroBitCount
                    bits &= bits - 1
                    guard row < rowCount else { break }
                    let global = count + row
                    words[global >> 6] |= 1 << UInt64(global & 63)
                    nullCount += 1
                }
            }
        }
        count = newCount
    }

    @inline(__always)
    func isNull(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// The bitmap as `ceil(count / 8)` little-endian bytes.
    func serialized(into sink: inout ByteSink) {
        var remaining = (count + 7) / 8
        for word in words where remaining > 0 {
            var w = word
            for _ in 0..<min(8, remaining) {
                sink.append(UInt8(truncatingIfNeeded: w))
                w >>= 8
            }
            remaining -= min(8, remaining)
        }
    }

    /// Reads a bitmap written by `serialized(into:)` back into a `NullMask`.
    static func decode(_ bytes: UnsafeRawBufferPointer, rowCount: Int) -> NullMask {
        var mask = NullMask(count: rowCount)
        for (byteIndex, byte) in bytes.enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (1 << bit) != 0 {
                let row = byteIndex * 8 + bit
                if row < rowCount { mask.setNull(row) }
            }
        }
        return mask
    }
}
