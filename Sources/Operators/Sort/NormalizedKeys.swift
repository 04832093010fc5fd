internal import DataModel
internal import SegmentFormat

/// A row and up to four 64-bit words whose unsigned, lexicographic order is
/// the order of its leading sort keys (unused bits and words are 0).
struct NormalizedEntry {
    var w0: UInt64 = 0
    var w1: UInt64 = 0
    var w2: UInt64 = 0
    var w3: UInt64 = 0
    var ref: RowRef
}

/// Normalized sort keys ("memcmp-able" keys, as databases build them for
/// sorting): the leading sort keys of every row packed into a bit string of
/// up to four 64-bit words, so that most comparisons are a few integer
/// compares (or none: a one-word key is radix sorted) instead of typed,
/// per-column (and for strings, per-byte) comparisons.
///
/// Each key becomes a field of the bits its values' range needs, after the
/// fields of the keys before it (a key that is constant over the rows takes
/// no bits; a field may straddle two words):
/// - LONG: the value; DOUBLE and FLOAT: an order-preserving integer image
///   (-0.0 as 0.0, NaN above +∞, as `SortKeyView` orders them);
/// - STRING (and multi-value, by rendered text): the rank of the value
///   among every distinct value of the rows, by UTF-8 bytes — only while a
///   column has few distinct values for the rows (ranking is a sort of the
///   dictionaries), so a sort led by `__time` never ranks a column of
///   unique strings;
/// - DESC inverts the value before its range is taken; minus the range's
///   minimum, every value fits the field's width;
/// - a key column with NULLs takes a bit more, the NULL indicator first
///   (NULL rows' value bits are 0), placed by `nullsFirst` whatever DESC.
///
/// Keys that do not fit in the four words, and those after them, are
/// compared through `SortKeyView` on ties.
enum KeyNormalizer {
    static let maxBits = 256

    /// The entries of every row of `parts` (in part, then row order), how
    /// many leading keys the words cover, and how many bits they use.
    static func entries(_ parts: [Batch], keys: [SortColumn]) -> (entries: [NormalizedEntry], coveredKeys: Int, bits: Int) {
        let total = parts.reduce(0) { $0 + $1.rowCount }
        var entries: [NormalizedEntry] = []
        entries.reserveCapacity(total)
        for (slot, part) in parts.enumerated() {
            for r in 0..<part.rowCount { entries.append(NormalizedEntry(ref: RowRef(slot: slot, row: r))) }
        }
        var bits = 0
        var covered = 0
        for key in keys {
            // ARRAY columns (JSON text) order element by element: compared through SortKeyView.
            if parts.first?.signature.columns[key.column].type.arrayElement != nil { break }
            let columns = parts.map { $0.columns[key.column] }
            let hasNulls = columns.contains { $0.nulls != nil }
            guard let values = valueWords(columns, total: total) else { break }
            let descending = key.descending
            // The range of the (inverted, for DESC) non-NULL values.
            var lo = Int64.max, hi = Int64.min
            for (slot, column) in columns.enumerated() {
                for (r, v) in values[slot].enumerated() where !column.isNull(r) {
                    let w = descending ? ~v : v
                    lo = min(lo, w)
                    hi = max(hi, w)
                }
            }
            if lo > hi { (lo, hi) = (0, 0) }  // every row NULL
            let range = UInt64(bitPattern: hi &- lo)
            let width = range == 0 ? 0 : 64 - range.leadingZeroBitCount
            let nullBits = hasNulls ? 1 : 0
            guard bits + nullBits + width <= maxBits else { break }
            let nullsFirst = key.nullsFirst
            entries.withUnsafeMutableBufferPointer { e in
                var i = 0
                for (slot, column) in columns.enumerated() {
                    for (r, v) in values[slot].enumerated() {
                        let isNull = hasNulls && column.isNull(r)
                        if hasNulls && isNull != nullsFirst { put(1, width: 1, at: bits, into: &e[i]) }
                        if width > 0 && !isNull {
                            put(UInt64(bitPattern: (descending ? ~v : v) &- lo), width: width, at: bits + nullBits, into: &e[i])
                        }
                        i += 1
                    }
                }
            }
            bits += nullBits + width
            covered += 1
        }
        return (entries, covered, bits)
    }

    /// ORs the low `width` (1...64) bits of `value` into the entry's bit
    /// string at bit `position` (0 = the most significant bit of `w0`).
    @inline(__always)
    private static func put(_ value: UInt64, width: Int, at position: Int, into e: inout NormalizedEntry) {
        let word = position >> 6
        let free = 64 - (position & 63)
        if width <= free {
            or(&e, word, value << UInt64(free - width))
        } else {
            let rest = width - free
            or(&e, word, value >> UInt64(rest))
            or(&e, word + 1, value << UInt64(64 - rest))
        }
    }

    @inline(__always)
    private static func or(_ e: inout NormalizedEntry, _ index: Int, _ value: UInt64) {
        switch index {
        case 0: e.w0 |= value
        case 1: e.w1 |= value
        case 2: e.w2 |= value
        default: e.w3 |= value
        }
    }

    /// Per part, the value word of every row; nil when the column cannot be
    /// normalized (mixed kinds, or too many distinct strings).
    private static func valueWords(_ columns: [ColumnVector], total: Int) -> [[Int64]]? {
        guard let first = columns.first else { return [] }
        switch first.data {
        case .long:
            var out: [[Int64]] = []
            for c in columns {
                guard case .long(let v) = c.data else { return nil }
                out.append(v)
            }
            return out
        case .double, .float:
            var out: [[Int64]] = []
            for c in columns {
                switch c.data {
                case .double(let v): out.append(v.map(orderedBits))
                case .float(let v): out.append(v.map { orderedBits(Double($0)) })
                default: return nil
                }
            }
            return out
        case .string, .multiString:
            var dictionaries: [StringDictionary] = []
            var ids: [[Int32]] = []
            for c in columns {
                let s: StringColumn
                switch c.data {
                case .string(let x): s = x
                case .multiString:
                    guard case .string(let x) = c.renderedSingleValued().data else { return nil }
                    s = x
                default: return nil
                }
                dictionaries.append(s.dictionary)
                ids.append(s.ids)
            }
            let distinct = dictionaries.reduce(0) { $0 + $1.count }
            guard distinct <= max(64, total / 4) else { return nil }
            let ranks = rank(dictionaries)
            return ids.indices.map { p in ids[p].map { ranks[p][Int($0)] } }
        }
    }

    /// For every entry of every dictionary, its rank among all their
    /// distinct values by UTF-8 bytes (equal bytes, equal rank).
    static func rank(_ dictionaries: [StringDictionary]) -> [[Int64]] {
        var all = StringDictionary()
        var firstEntry: [Int] = []
        for d in dictionaries {
            firstEntry.append(all.count)
            all.append(contentsOf: d)
        }
        // Global entry → (dictionary, entry).
        var part = [Int32](repeating: 0, count: all.count)
        for (p, start) in firstEntry.enumerated() {
            for i in start..<(start + dictionaries[p].count) { part[i] = Int32(p) }
        }
        var ranks = dictionaries.map { [Int64](repeating: 0, count: $0.count) }
        var rank: Int64 = -1
        var previous = -1
        for g in UTF8Order.sortedEntries(all) {
            let e = Int(g)
            if previous < 0 || !UTF8Order.equal(all, previous, all, e) { rank += 1 }
            let p = Int(part[e])
            ranks[p][e - firstEntry[p]] = rank
            previous = e
        }
        return ranks
    }

    /// An integer whose signed order is the order of doubles (-0.0 = 0.0, NaN last).
    @inline(__always)
    static func orderedBits(_ x: Double) -> Int64 {
        if x.isNaN { return .max }
        let bits = Int64(bitPattern: (x == 0 ? 0 : x).bitPattern)
        return bits >= 0 ? bits : bits ^ .max
    }
}
