internal import DataModel

/// Merges the per-batch dictionaries of a STRING column into one.
///
/// Values are keyed by their exact UTF-8 bytes (`ByteStringTable`), and only values referenced
/// by a non-NULL row are kept, so the result depends on the rows alone and
/// not on how the batches' dictionaries were laid out.
struct StringInterner: Sendable {
    /// Distinct values in first-seen order.
    private var values = ByteStringTable()
    /// Single-valued (`rowValueCounts == nil`): per row an index into
    /// `values`, or -1 for NULL. Multi-valued: the ids of every row's values,
    /// row after row.
    private(set) var ids: [Int32] = []
    /// Per row the number of values (0 for NULL), once a multi-value batch
    /// has arrived; nil while every row holds at most one value.
    private(set) var rowValueCounts: [Int32]? = nil

    /// True when some row holds more than one value.
    var isMultiValued: Bool { rowValueCounts?.contains { $0 > 1 } ?? false }

    mutating func append(_ column: StringColumn, nulls: NullMask?) {
        values.makeUnique()
        if rowValueCounts != nil {
            appendOneValuePerRow(column, nulls: nulls)
            return
        }
        // Ids assigned on first use (entries no non-NULL row uses stay out), rows written through raw pointers.
        let n = column.ids.count
        var global = [Int32](repeating: -1, count: column.dictionary.count)
        let start = ids.count
        ids.append(contentsOf: repeatElement(-1, count: n))
        column.dictionary.withEntries { entries in
            ids.withUnsafeMutableBufferPointer { out in
                column.ids.withUnsafeBufferPointer { local in
                    global.withUnsafeMutableBufferPointer { global in
                        for r in 0..<n {
                            if let nulls, nulls.isNull(r) { continue }
                            let l = Int(local[r])
                            var g = global[l]
                            if g < 0 {
                                g = values.id(of: entries[l])
                                global[l] = g
                            }
                            out[start &+ r] = g
                        }
                    }
                }
            }
        }
    }

    /// `append` once the multi-value layout is in use: a count per row.
    private mutating func appendOneValuePerRow(_ column: StringColumn, nulls: NullMask?) {
        var local = [Int32](repeating: -1, count: column.dictionary.count)
        ids.reserveCapacity(ids.count + column.ids.count)
        column.dictionary.withEntries { entries in
            for (row, id) in column.ids.enumerated() {
                if let nulls, nulls.isNull(row) {
                    rowValueCounts!.append(0)
                    continue
                }
                let slot = Int(id)
                if local[slot] < 0 { local[slot] = values.id(of: entries[slot]) }
                ids.append(local[slot])
                rowValueCounts!.append(1)
            }
        }
    }

    mutating func append(_ column: MultiStringColumn, nulls: NullMask?) {
        values.makeUnique()
        if rowValueCounts == nil {
            // Switch to the multi-value layout: NULL rows hold no ids.
            rowValueCounts = ids.map { $0 < 0 ? 0 : 1 }
            ids.removeAll { $0 < 0 }
        }
        var local = [Int32](repeating: -1, count: column.dictionary.count)
        column.dictionary.withEntries { entries in
            for row in 0..<column.rowCount {
                if let nulls, nulls.isNull(row) {
                    rowValueCounts!.append(0)
                    continue
                }
                let rowIDs = column.rowIDs(row)
                for id in rowIDs {
                    let slot = Int(id)
                    if local[slot] < 0 { local[slot] = values.id(of: entries[slot]) }
                    ids.append(local[slot])
                }
                rowValueCounts!.append(Int32(rowIDs.count))
            }
        }
    }

    /// Per row: index into `values`, or -1 for NULL — valid only when no
    /// row holds more than one value.
    func singleValuedIDs() -> [Int32] {
        guard let counts = rowValueCounts else { return ids }
        var out: [Int32] = []
        out.reserveCapacity(counts.count)
        var next = 0
        for c in counts {
            if c == 0 { out.append(-1) } else { out.append(ids[next]); next += 1 }
        }
        return out
    }

    /// The distinct values sorted by UTF-8 bytes (= Unicode code point order),
    /// and for every first-seen index its position in that order.
    func sortedDictionary() -> (values: StringDictionary, rank: [Int32]) {
        let values = self.values.snapshot()
        let order = UTF8Order.sortedEntries(values)
        let sorted = StringDictionaryBuilder(entries: values.count, bytes: values.byteCount)
        var rank = [Int32](repeating: 0, count: values.count)
        for (position, index) in order.enumerated() {
            rank[Int(index)] = Int32(position)
            sorted.append(entry: Int(index), of: values)
        }
        return (sorted.finish(), rank)
    }
}
