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
    /// by `__time` never ranks whole string dictionaries. A leading LONG key
    /// without NULLs (`__time`) is sorted as plain integers, the other keys
    /// looked at only on ties.
    package static func order(_ batch: Batch, by keys: [SortColumn]) -> [Int] {
        guard !keys.isEmpty, batch.rowCount > 1 else { return Array(0..<batch.rowCount) }
        if let lead = leadingLongs(batch.columns[keys[0].column]) {
            let rest = keys.dropFirst().map { ($0, SortKeyView(batch.columns[$0.column])) }
            var entries = lead.enumerated().map { LeadEntry(key: keys[0].descending ? ~$0.element : $0.element, ref: UInt64($0.offset)) }
            entries.sort { a, b in
                if a.key != b.key { return a.key < b.key }
                for (k, view) in rest {
                    let c = SortKeyView.compare(view, Int(a.ref), view, Int(b.ref), k)
                    if c != 0 { return c < 0 }
                }
                return a.ref < b.ref
            }
            return entries.map { Int($0.ref) }
        }
        var idx = Array(0..<batch.rowCount)
        let views = keys.map { SortKeyView(batch.columns[$0.column]) }
        idx.sort { a, b in
            for (i, k) in keys.enumerated() {
                let c = views[i].compare(a, b, nullsFirst: k.nullsFirst)
                if c != 0 { return k.descending && !views[i].nullDecided(a, b) ? c > 0 : c < 0 }
            }
            return a < b
        }
        return idx
    }

    /// The values of a LONG column without NULLs (the sort fast path).
    static func leadingLongs(_ column: ColumnVector) -> [Int64]? {
        if column.nulls == nil, case .long(let v) = column.data { return v }
        return nil
    }

    package static func sort(_ batch: Batch, by keys: [SortColumn]) -> Batch {
        batch.gather(order(batch, by: keys))
    }
}

/// A row and its leading sort key (bit-inverted for DESC, which reverses
/// the order of signed integers without overflow).
struct LeadEntry {
    var key: Int64
    var ref: UInt64
}
