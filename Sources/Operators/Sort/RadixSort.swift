/// A stable least-significant-digit radix sort of rows by a 64-bit key, for
/// sort keys that normalize into one word (`KeyNormalizer`): a few linear
/// passes instead of n·log n comparisons.
package enum RadixSort {
    /// Below this many rows a comparison sort is as fast.
    package static let minimumCount = 256

    package struct Keyed {
        package var key: UInt64
        package var ref: RowRef

        package init(key: UInt64, ref: RowRef) {
            self.key = key
            self.ref = ref
        }
    }

    /// Sorts `rows` by `key`, whose set bits all lie in its top
    /// `significantBits` bits, keeping the input order of equal keys. One
    /// pass counts the histogram of every byte holding significant bits;
    /// each of those that varies then takes one scatter pass.
    package static func sort(_ rows: inout [Keyed], significantBits: Int) {
        let n = rows.count
        guard n > 1, significantBits > 0 else { return }
        let lowestByte = (64 - min(64, significantBits)) / 8
        // Histogram of byte b at counts[b << 8 ...] (bytes below `lowestByte` are all zero).
        var counts = [Int](repeating: 0, count: 8 * 256)
        counts.withUnsafeMutableBufferPointer { counts in
            rows.withUnsafeBufferPointer { rows in
                for row in rows {
                    var k = row.key &>> UInt64(lowestByte &* 8)
                    for byte in lowestByte..<8 {
                        counts[byte &<< 8 &+ Int(k & 0xFF)] &+= 1
                        k &>>= 8
                    }
                }
            }
        }
        var scratch = [Keyed](repeating: Keyed(key: 0, ref: 0), count: n)
        var inScratch = false
        for byte in lowestByte..<8 {
            let base = byte << 8
            // A byte every row shares does not reorder anything.
            if counts[base + Int((rows[0].key >> UInt64(byte * 8)) & 0xFF)] == n { continue }
            var offsets = [Int](repeating: 0, count: 256)
            var sum = 0
            for d in 0..<256 {
                offsets[d] = sum
                sum += counts[base + d]
            }
            let shift = UInt64(byte * 8)
            func scatter(_ from: UnsafeBufferPointer<Keyed>, _ to: UnsafeMutableBufferPointer<Keyed>) {
                offsets.withUnsafeMutableBufferPointer { offsets in
                    for row in from {
                        let d = Int((row.key >> shift) & 0xFF)
                        to[offsets[d]] = row
                        offsets[d] &+= 1
                    }
                }
            }
            if inScratch {
                scratch.withUnsafeBufferPointer { from in rows.withUnsafeMutableBufferPointer { to in scatter(from, to) } }
            } else {
                rows.withUnsafeBufferPointer { from in scratch.withUnsafeMutableBufferPointer { to in scatter(from, to) } }
            }
            inScratch.toggle()
        }
        if inScratch { rows = scratch }
    }
}
