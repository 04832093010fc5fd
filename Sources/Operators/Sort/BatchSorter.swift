package import DataModel
internal import Expressions

/// One sort key over a batch's columns.
package struct SortColumn: Hashable, Sendable {
    package var column: Int
    package var descending: Bool
    package var nullsFirst: Bool

    package init(column: Int, descending: Bool = false, nullsFirst: Bool = true) {
        self.column = column
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

/// Sorting and concatenation of in-memory batches.
package enum BatchSorter {
    /// Concatenates batches with the same signature into one. Numeric
    /// columns are appended as arrays; string dictionaries are merged once per
    /// batch, never per row.
    package static func concat(_ batches: [Batch], signature: RowSignature) -> Batch {
        let nonEmpty = batches.filter { $0.rowCount > 0 }
        if nonEmpty.count == 1 { return Batch(signature: signature, columns: nonEmpty[0].columns, rowCount: nonEmpty[0].rowCount) }
        if nonEmpty.isEmpty { return .empty(signature) }
        let total = nonEmpty.reduce(0) { $0 + $1.rowCount }
        var columns: [ColumnVector] = []
        for c in signature.columns.indices {
            let parts = nonEmpty.map { $0.columns[c] }
            var mask: NullMask? = nil
            if parts.contains(where: { $0.nulls != nil }) {
                var m = NullMask(count: 0)
                for p in parts { for r in 0..<p.count { m.append(isNull: p.isNull(r)) } }
                mask = m
            }
            switch signature.columns[c].type {
            case .long:
                var v: [Int64] = []
                v.reserveCapacity(total)
                for p in parts { v.append(contentsOf: p.longs()) }
                columns.append(ColumnVector(.long(v), nulls: mask))
            case .double:
                var v: [Double] = []
                v.reserveCapacity(total)
                for p in parts { v.append(contentsOf: p.doubles()) }
                columns.append(ColumnVector(.double(v), nulls: mask))
            case .float:
                var v: [Float] = []
                v.reserveCapacity(total)
                for p in parts {
                    if case .float(let f) = p.data { v.append(contentsOf: f) } else { v.append(contentsOf: p.doubles().map(Float.init)) }
                }
                columns.append(ColumnVector(.float(v), nulls: mask))
            case .string:
                var dictionary: [String] = []
                var lookup: [String: Int32] = [:]
                var ids: [Int32] = []
                ids.reserveCapacity(total)
                for p in parts {
                    let s = p.strings(type: .varchar)
                    let remap = s.dictionary.map { value -> Int32 in
                        if let id = lookup[value] { return id }
                        let id = Int32(dictionary.count)
                        dictionary.append(value)
                        lookup[value] = id
                        return id
                    }
                    for id in s.ids { ids.append(remap.isEmpty ? 0 : remap[Int(id)]) }
                }
                if dictionary.isEmpty { dictionary = [""] }
                columns.append(ColumnVector(.string(StringColumn(ids: ids, dictionary: dictionary)), nulls: mask))
            }
        }
        return Batch(signature: signature, columns: columns, rowCount: total)
    }

    /// Row order that sorts `batch` by `keys` (stable).
    package static func order(_ batch: Batch, by keys: [SortColumn]) -> [Int] {
        var idx = Array(0..<batch.rowCount)
        guard !keys.isEmpty else { return idx }
        // Pre-extract typed views so the comparator does no enum dispatch on values.
        enum View { case long([Int64]), double([Double]), string([Int32], [Int32]) }
        let views: [View] = keys.map { k in
            let c = batch.columns[k.column]
            switch c.data {
            case .long(let v): return .long(v)
            case .double(let v): return .double(v)
            case .float(let v): return .double(v.map(Double.init))
            case .string(let s):
                // Rank dictionary entries so comparisons are integer compares.
                let sorted = s.dictionary.indices.sorted { s.dictionary[$0].utf8.lexicographicallyPrecedes(s.dictionary[$1].utf8) }
                var rank = [Int32](repeating: 0, count: s.dictionary.count)
                var current: Int32 = 0
                for (pos, i) in sorted.enumerated() {
                    if pos > 0 && s.dictionary[i] != s.dictionary[sorted[pos - 1]] { current += 1 }
                    rank[i] = current
                }
                return .string(s.ids, rank)
            }
        }
        let cols = keys.map { batch.columns[$0.column] }
        idx.sort { a, b in
            for (i, k) in keys.enumerated() {
                let na = cols[i].isNull(a), nb = cols[i].isNull(b)
                if na || nb {
                    if na && nb { continue }
                    return na ? k.nullsFirst : !k.nullsFirst
                }
                var c = 0
                switch views[i] {
                case .long(let v): c = v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
                case .double(let v): c = v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
                case .string(let ids, let rank):
                    let ra = rank[Int(ids[a])], rb = rank[Int(ids[b])]
                    c = ra < rb ? -1 : (ra > rb ? 1 : 0)
                }
                if c != 0 { return k.descending ? c > 0 : c < 0 }
            }
            return a < b
        }
        return idx
    }

    package static func sort(_ batch: Batch, by keys: [SortColumn]) -> Batch {
        batch.gather(order(batch, by: keys))
    }
}
