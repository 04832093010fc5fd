internal import DataModel
internal import SegmentFormat

/// A row and up to four 64-bit words whose signed, lexicographic order is
/// the order of its leading sort keys (unused words are 0).
struct NormalizedEntry {
    var w0: Int64 = 0
    var w1: Int64 = 0
    var w2: Int64 = 0
    var w3: Int64 = 0
    var ref: RowRef
}

/// Normalized sort keys ("memcmp-able" keys, as databases build them for
/// sorting): the leading sort keys of every row turned into integer words,
/// so that most comparisons are a few integer compares instead of typed,
/// per-column (and for strings, per-byte) comparisons.
///
/// - LONG: the value; DOUBLE and FLOAT: an order-preserving integer image
///   (-0.0 as 0.0, NaN above +∞, as `SortKeyView` orders them);
/// - STRING (and multi-value, by rendered text): the rank of the value
///   among every distinct value of the rows, by UTF-8 bytes — only while a
///   column has few distinct values for the rows (ranking is a sort of the
///   dictionaries), so a sort led by `__time` never ranks a column of
///   unique strings;
/// - a key column with NULLs takes a word more, the NULL indicator first;
///   DESC inverts the value word (not the NULL placement).
///
/// Keys that do not fit in four words are compared through `SortKeyView` on ties.
enum KeyNormalizer {
    static let maxWords = 4

    /// The entries of every row of `parts` (in part, then row order), and
    /// how many leading keys the words cover.
    static func entries(_ parts: [Batch], keys: [SortColumn]) -> (entries: [NormalizedEntry], coveredKeys: Int) {
        let total = parts.reduce(0) { $0 + $1.rowCount }
        var entries: [NormalizedEntry] = []
        entries.reserveCapacity(total)
        for (slot, part) in parts.enumerated() {
            for r in 0..<part.rowCount { entries.append(NormalizedEntry(ref: RowRef(slot: slot, row: r))) }
        }
        var word = 0
        var covered = 0
        for key in keys {
            // ARRAY columns (JSON text) order element by element: compared through SortKeyView.
            if parts.first?.signature.columns[key.column].type.arrayElement != nil { break }
            let columns = parts.map { $0.columns[key.column] }
            let hasNulls = columns.contains { $0.nulls != nil }
            guard word + (hasNulls ? 2 : 1) <= maxWords, let values = valueWords(columns, total: total) else { break }
            var i = 0
            for (slot, column) in columns.enumerated() {
                let v = values[slot]
                for r in 0..<column.count {
                    var w = key.descending ? ~v[r] : v[r]
                    var nullWord: Int64 = 0
                    if hasNulls {
                        let isNull = column.isNull(r)
                        nullWord = isNull == key.nullsFirst ? 0 : 1
                        if isNull { w = 0 }
                    }
                    if hasNulls {
                        set(&entries[i], word, nullWord)
                        set(&entries[i], word + 1, w)
                    } else {
                        set(&entries[i], word, w)
                    }
                    i += 1
                }
            }
            word += hasNulls ? 2 : 1
            covered += 1
        }
        return (entries, covered)
    }

    @inline(__always)
    private static func set(_ e: inout NormalizedEntry, _ index: Int, _ value: Int64) {
        switch index {
        case 0: e.w0 = value
        case 1: e.w1 = value
        case 2: e.w2 = value
        default: e.w3 = value
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
            var dictionaries: [[String]] = []
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
    static func rank(_ dictionaries: [[String]]) -> [[Int64]] {
        var all: [(key: UTF8Key, part: Int32, id: Int32)] = []
        for (p, d) in dictionaries.enumerated() {
            for (i, s) in d.enumerated() { all.append((UTF8Key(s), Int32(p), Int32(i))) }
        }
        all.sort { $0.key < $1.key }
        var ranks = dictionaries.map { [Int64](repeating: 0, count: $0.count) }
        var rank: Int64 = -1
        for (i, e) in all.enumerated() {
            if i == 0 || all[i - 1].key != e.key { rank += 1 }
            ranks[Int(e.part)][Int(e.id)] = rank
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
