/// A bitmap marking which rows of a column are NULL (bit set = NULL).
///
/// Columns with no NULLs carry no mask at all (`ColumnVector.nulls == nil`).
/// `public`, not `package`, only so that its `@inlinable` members inline in
/// other modules: Swift 6.3 does not inline `@inlinable` members of a
/// `package` type across modules (checked with objdump); its members stay
/// `package`.
public struct NullMask: Hashable, Sendable {
    @usableFromInline package private(set) var words: [UInt64]
    package private(set) var count: Int

    package init(count: Int) {
        self.count = count
        self.words = [UInt64](repeating: 0, count: (count + 63) >> 6)
    }

    /// A mask over `count` rows from its 64-bit words (bit `r & 63` of word
    /// `r >> 6` set = row `r` is NULL); bits past `count` must be clear.
    package init(words: [UInt64], count: Int) {
        precondition(words.count == (count + 63) >> 6, "NullMask: \(words.count) words cannot hold \(count) rows")
        self.count = count
        self.words = words
    }

    @inlinable @inline(__always)
    package func isNull(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    @inlinable @inline(__always)
    package mutating func setNull(_ row: Int) {
        words[row >> 6] |= (1 << UInt64(row & 63))
    }

    /// Appends one row; grows the bitmap as needed.
    @inline(__always)
    package mutating func append(isNull: Bool) {
        if count & 63 == 0 { words.append(0) }
        if isNull { words[count >> 6] |= (1 << UInt64(count & 63)) }
        count += 1
    }

    /// Number of NULL rows.
    package var nullCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The flags of the rows at `indices`, in that order.
    package func gather(_ indices: [Int]) -> NullMask {
        var out = NullMask(count: indices.count)
        for (i, row) in indices.enumerated() where isNull(row) { out.setNull(i) }
        return out
    }
}
