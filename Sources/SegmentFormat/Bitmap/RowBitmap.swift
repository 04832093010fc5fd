/// A set of rows of one segment, as an uncompressed bitset in memory.
///
/// What the bitmap index (`SegmentReader.rows(equalTo:in:)` and friends)
/// returns: bit `r & 63` of word `r >> 6` is set when row `r` is in the set;
/// bits at or past `rowCount` are always clear, so `complement()` and the
/// counts stay exact.
package struct RowBitmap: Hashable, Sendable {
    package private(set) var words: [UInt64]
    /// Rows of the segment (the universe), not the number of set rows.
    package let rowCount: Int

    /// The empty set over `rowCount` rows.
    package init(rowCount: Int) {
        self.rowCount = rowCount
        words = [UInt64](repeating: 0, count: (rowCount + 63) >> 6)
    }

    /// Every row of the segment.
    package static func all(rowCount: Int) -> RowBitmap {
        var b = RowBitmap(rowCount: rowCount)
        for i in b.words.indices { b.words[i] = .max }
        b.clearTail()
        return b
    }

    /// The set holding exactly `rows` (each below `rowCount`).
    package init(rows: some Sequence<Int>, rowCount: Int) {
        self.init(rowCount: rowCount)
        for r in rows { insert(r) }
    }

    @inline(__always)
    package func contains(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    @inline(__always)
    package mutating func insert(_ row: Int) {
        precondition(row >= 0 && row < rowCount, "RowBitmap: row \(row) outside 0..<\(rowCount)")
        words[row >> 6] |= 1 << UInt64(row & 63)
    }

    /// Number of rows in the set.
    package var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    package var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// True when every row of the segment is in the set.
    package var isFull: Bool { count == rowCount }

    /// The rows in the set, ascending.
    package var rows: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                out.append(w << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return out
    }

    package mutating func formIntersection(_ other: RowBitmap) {
        precondition(rowCount == other.rowCount, "RowBitmap: universes differ")
        for i in words.indices { words[i] &= other.words[i] }
    }

    package mutating func formUnion(_ other: RowBitmap) {
        precondition(rowCount == other.rowCount, "RowBitmap: universes differ")
        for i in words.indices { words[i] |= other.words[i] }
    }

    /// Removes the rows of `other`.
    package mutating func subtract(_ other: RowBitmap) {
        precondition(rowCount == other.rowCount, "RowBitmap: universes differ")
        for i in words.indices { words[i] &= ~other.words[i] }
    }

    package func intersection(_ other: RowBitmap) -> RowBitmap {
        var b = self
        b.formIntersection(other)
        return b
    }

    package func union(_ other: RowBitmap) -> RowBitmap {
        var b = self
        b.formUnion(other)
        return b
    }

    package func subtracting(_ other: RowBitmap) -> RowBitmap {
        var b = self
        b.subtract(other)
        return b
    }

    /// The rows of the segment not in the set.
    package func complement() -> RowBitmap {
        var b = self
        for i in b.words.indices { b.words[i] = ~b.words[i] }
        b.clearTail()
        return b
    }

    /// ORs `word` into the 64 rows starting at `64 * index` (bits past
    /// `rowCount` must be clear).
    mutating func orWord(_ word: UInt64, at index: Int) {
        words[index] |= word
    }

    private mutating func clearTail() {
        let tail = rowCount & 63
        if tail != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(tail)) - 1 }
    }
}
