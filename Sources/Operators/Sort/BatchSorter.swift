package import DataModel

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
    /// Concatenates batches with the same signature into one.
    package static func concat(_ batches: [Batch], signature: RowSignature) -> Batch {
        let nonEmpty = batches.filter { $0.rowCount > 0 }
        if nonEmpty.count == 1 { return nonEmpty[0] }
        if nonEmpty.isEmpty { return .empty(signature) }
        var builders = signature.columns.map { ColumnBuilder(type: $0.type, capacity: nonEmpty.reduce(0) { $0 + $1.rowCount }) }
        for b in nonEmpty {
            for (i, col) in b.columns.enumerated() {
                switch col.data {
                case .long(let v):
                    for r in 0..<b.rowCount { if col.isNull(r) { builders[i].appendNull() } else { builders[i].append(long: v[r]) } }
                case .double(let v):
                    for r in 0..<b.rowCount { if col.isNull(r) { builders[i].appendNull() } else { builders[i].append(double: v[r]) } }
                case .float(let v):
                    for r in 0..<b.rowCount { if col.isNull(r) { builders[i].appendNull() } else { builders[i].append(double: Double(v[r])) } }
                case .string(let s):
                    for r in 0..<b.rowCount { if col.isNull(r) { builders[i].appendNull() } else { builders[i].append(string: s.value(r)) } }
                }
            }
        }
        let cols = builders.indices.map { builders[$0].finish() }
        return Batch(signature: signature, columns: cols, rowCount: cols.first?.count ?? nonEmpty.reduce(0) { $0 + $1.rowCount })
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
