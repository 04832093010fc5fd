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
                var dictionary = StringDictionary()
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
        var dictionary = StringDictionary()
        var lookup: [String: Int32] = [:]
        var ids: [Int32] = []
        var offsets: [Int32] = [0]
        for p in parts {
            let local: StringDictionary
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
    package static func order(_ batch: Batch, by keys: [SortColumn]) -> [Int] {
        guard !keys.isEmpty, batch.rowCount > 1 else { return Array(0..<batch.rowCount) }
        return order([batch], by: keys).map(\.row)
    }

    /// Row order that sorts the rows of several batches together by `keys`;
    /// ties keep the order of `parts`, then of rows within a part.
    ///
    /// The leading keys are compared as normalized bit strings
    /// (`KeyNormalizer`) — radix sorted when they fit one word; the others
    /// through typed views, only on ties, so strings are compared by their
    /// bytes only when earlier keys tie.
    package static func order(_ parts: [Batch], by keys: [SortColumn]) -> [RowRef] {
        let (entries, covered, bits) = KeyNormalizer.entries(parts, keys: keys)
        guard !keys.isEmpty, entries.count > 1 else { return entries.map(\.ref) }
        let rest = Array(keys[covered...])
        // Views of the remaining keys, part after part (flat: no nested arrays in the comparator).
        let views = parts.flatMap { part in rest.map { SortKeyView(part.columns[$0.column], type: part.signature.columns[$0.column].type) } }
        let restCount = rest.count
        /// Orders two rows whose normalized words tie.
        @inline(__always)
        func precedesOnTie(_ a: RowRef, _ b: RowRef) -> Bool {
            let ba = a.slot * restCount, bb = b.slot * restCount
            for i in 0..<restCount {
                let c = SortKeyView.compare(views[ba + i], a.row, views[bb + i], b.row, rest[i])
                if c != 0 { return c < 0 }
            }
            return a < b
        }
        if bits > 0 && bits <= 64 && entries.count >= RadixSort.minimumCount {
            var keyed = entries.map { RadixSort.Keyed(key: $0.w0, ref: $0.ref) }
            RadixSort.sort(&keyed, significantBits: bits)
            var refs = keyed.map(\.ref)
            guard restCount > 0 else { return refs }
            // Runs of equal words, in input order (the radix sort is stable), by the remaining keys.
            keyed.withUnsafeBufferPointer { keyed in
                refs.withUnsafeMutableBufferPointer { refs in
                    var start = 0
                    while start < keyed.count {
                        var end = start + 1
                        while end < keyed.count && keyed[end].key == keyed[start].key { end += 1 }
                        if end - start > 16 {
                            let run = refs[start..<end].sorted(by: precedesOnTie)
                            for (i, ref) in run.enumerated() { refs[start + i] = ref }
                        } else if end - start > 1 {
                            // Tie runs are mostly a few rows: an insertion sort written out calls
                            // `precedesOnTie` directly, where passing it to `sort(by:)` builds a closure
                            // context (retaining the views) for every run — measured: the sort's share
                            // of a plain ingest 5.9% written out, 6.5% through `sort(by:)`.
                            for i in (start + 1)..<end {
                                let x = refs[i]
                                var j = i
                                while j > start && precedesOnTie(x, refs[j - 1]) {
                                    refs[j] = refs[j - 1]
                                    j -= 1
                                }
                                refs[j] = x
                            }
                        }
                        start = end
                    }
                }
            }
            return refs
        }
        var sorted = entries
        sorted.sort { a, b in
            if a.w0 != b.w0 { return a.w0 < b.w0 }
            if a.w1 != b.w1 { return a.w1 < b.w1 }
            if a.w2 != b.w2 { return a.w2 < b.w2 }
            if a.w3 != b.w3 { return a.w3 < b.w3 }
            return precedesOnTie(a.ref, b.ref)
        }
        return sorted.map(\.ref)
    }

    /// The values of a LONG column without NULLs (the merge's fast path).
    static func leadingLongs(_ column: ColumnVector) -> [Int64]? {
        if column.nulls == nil, case .long(let v) = column.data { return v }
        return nil
    }

    package static func sort(_ batch: Batch, by keys: [SortColumn]) -> Batch {
        batch.gather(order(batch, by: keys))
    }
}
