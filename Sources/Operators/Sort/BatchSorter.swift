package import DataModel
internal import Expressions
internal import Foundation

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
            switch signature.columns[c].type.storage {
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
            case .string where parts.contains(where: \.isMultiValue):
                columns.append(concatMultiValue(parts, mask: mask))
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

    /// Concatenates string columns of which at least one is multi-valued.
    private static func concatMultiValue(_ parts: [ColumnVector], mask: NullMask?) -> ColumnVector {
        var dictionary: [String] = []
        var lookup: [String: Int32] = [:]
        var ids: [Int32] = []
        var offsets: [Int32] = [0]
        for p in parts {
            let local: [String]
            switch p.data {
            case .multiString(let m): local = m.dictionary
            default: local = p.strings(type: .varchar).dictionary
            }
            var remap = [Int32?](repeating: nil, count: local.count)
            func global(_ id: Int32) -> Int32 {
                if let g = remap[Int(id)] { return g }
                let value = local[Int(id)]
                let g: Int32
                if let known = lookup[value] { g = known } else {
                    g = Int32(dictionary.count)
                    dictionary.append(value)
                    lookup[value] = g
                }
                remap[Int(id)] = g
                return g
            }
            switch p.data {
            case .multiString(let m):
                for r in 0..<m.rowCount {
                    if !p.isNull(r) { for id in m.rowIDs(r) { ids.append(global(id)) } }
                    offsets.append(Int32(ids.count))
                }
            default:
                let s = p.strings(type: .varchar)
                for r in 0..<p.count {
                    if !p.isNull(r) { ids.append(global(s.ids[r])) }
                    offsets.append(Int32(ids.count))
                }
            }
        }
        return ColumnVector(.multiString(MultiStringColumn(offsets: offsets, ids: ids, dictionary: dictionary)), nulls: mask)
    }

    /// Row order that sorts `batch` by `keys`; ties keep input order.
    ///
    /// Keys are compared column by column through typed views; strings are
    /// compared by their UTF-8 bytes only when earlier keys tie, so a sort led
    /// by `__time` never ranks whole string dictionaries.
    package static func order(_ batch: Batch, by keys: [SortColumn]) -> [Int] {
        var idx = Array(0..<batch.rowCount)
        guard !keys.isEmpty, batch.rowCount > 1 else { return idx }
        let views = keys.map { SortView(batch.columns[$0.column], type: batch.signature.columns[$0.column].type) }
        idx.sort { a, b in
            for (i, k) in keys.enumerated() {
                let c = views[i].compare(a, b, nullsFirst: k.nullsFirst)
                if c != 0 { return k.descending && !views[i].nullDecided(a, b) ? c > 0 : c < 0 }
            }
            return a < b
        }
        return idx
    }

    package static func sort(_ batch: Batch, by keys: [SortColumn]) -> Batch {
        batch.gather(order(batch, by: keys))
    }
}

/// A typed, comparison-ready view of one sort column.
private struct SortView {
    enum Values {
        case long([Int64])
        case double([Double])
        case string(ids: [Int32], dictionary: [String])
    }

    let values: Values
    let nulls: NullMask?

    init(_ c: ColumnVector, type: ColumnType) {
        nulls = c.nulls
        if let element = type.arrayElement, case .string(let s) = c.data {
            // Arrays order element by element: rank the dictionary once.
            let order = s.dictionary.indices.sorted {
                NestedValue.compareArrays(s.dictionary[$0], s.dictionary[$1], element: element) < 0
            }
            var rank = [Int64](repeating: 0, count: s.dictionary.count)
            for (i, d) in order.enumerated() {
                let tied = i > 0 && NestedValue.compareArrays(s.dictionary[order[i - 1]], s.dictionary[d], element: element) == 0
                rank[d] = tied ? rank[order[i - 1]] : Int64(i)
            }
            values = .long(s.ids.map { rank[Int($0)] })
            return
        }
        switch c.data {
        case .long(let v): values = .long(v)
        case .double(let v): values = .double(v)
        case .float(let v): values = .double(v.map(Double.init))
        case .string(let s): values = .string(ids: s.ids, dictionary: s.dictionary)
        case .multiString:
            // Multi-value rows order by their rendered text, as results show them.
            let rendered = c.renderedSingleValued().strings(type: .varchar)
            values = .string(ids: rendered.ids, dictionary: rendered.dictionary)
        }
    }

    /// True when the comparison of a and b was decided by NULLs (which do not flip with DESC).
    @inline(__always)
    func nullDecided(_ a: Int, _ b: Int) -> Bool {
        guard let nulls else { return false }
        return nulls.isNull(a) || nulls.isNull(b)
    }

    /// -1, 0 or 1 for rows a and b (NULLs placed per `nullsFirst`, before DESC is applied).
    @inline(__always)
    func compare(_ a: Int, _ b: Int, nullsFirst: Bool) -> Int {
        if let nulls {
            let na = nulls.isNull(a), nb = nulls.isNull(b)
            if na || nb {
                if na && nb { return 0 }
                return na == nullsFirst ? -1 : 1
            }
        }
        switch values {
        case .long(let v): return v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
        case .double(let v): return v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
        case .string(let ids, let dictionary):
            let ia = ids[a], ib = ids[b]
            if ia == ib { return 0 }
            return SortView.compareUTF8(dictionary[Int(ia)], dictionary[Int(ib)])
        }
    }

    /// Orders strings by their UTF-8 bytes (memcmp on contiguous storage).
    static func compareUTF8(_ x: String, _ y: String) -> Int {
        var x = x, y = y
        return x.withUTF8 { bx in
            y.withUTF8 { by in
                let n = min(bx.count, by.count)
                if n > 0, let px = bx.baseAddress, let py = by.baseAddress {
                    let c = memcmp(px, py, n)
                    if c != 0 { return c < 0 ? -1 : 1 }
                }
                return bx.count < by.count ? -1 : (bx.count > by.count ? 1 : 0)
            }
        }
    }
}
