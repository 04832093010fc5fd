#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import DataModel

/// Merges the per-batch dictionaries of a STRING column into one.
///
/// Values are keyed by their exact UTF-8 bytes (Swift's `String` equality
/// would merge canonically equivalent spellings), and only values referenced
/// by a non-NULL row are kept, so the result depends on the rows alone and
/// not on how the batches' dictionaries were laid out.
struct StringInterner: Sendable {
    /// Distinct values in first-seen order (a class: `ensureUnique` before
    /// adding, as this struct may have been copied).
    private var values = StringDictionaryBuilder()
    /// Single-valued (`rowValueCounts == nil`): per row an index into
    /// `values`, or -1 for NULL. Multi-valued: the ids of every row's values,
    /// row after row.
    private(set) var ids: [Int32] = []
    /// Per row the number of values (0 for NULL), once a multi-value batch
    /// has arrived; nil while every row holds at most one value.
    private(set) var rowValueCounts: [Int32]? = nil
    /// Open-addressing index over `values` (linear probing, at most half
    /// full): value ids by hash slot, -1 empty; `hashes` per value id.
    private var slots: [Int32] = [Int32](repeating: -1, count: 64)
    private var hashes: [UInt64] = []

    /// True when some row holds more than one value.
    var isMultiValued: Bool { rowValueCounts?.contains { $0 > 1 } ?? false }

    mutating func append(_ column: StringColumn, nulls: NullMask?) {
        ensureUnique()
        var local = [Int32](repeating: -1, count: column.dictionary.count)
        ids.reserveCapacity(ids.count + column.ids.count)
        column.dictionary.withEntries { entries in
            for (row, id) in column.ids.enumerated() {
                if let nulls, nulls.isNull(row) {
                    if rowValueCounts != nil { rowValueCounts!.append(0) } else { ids.append(-1) }
                    continue
                }
                let slot = Int(id)
                if local[slot] < 0 { local[slot] = intern(entries[slot]) }
                ids.append(local[slot])
                rowValueCounts?.append(1)
            }
        }
    }

    mutating func append(_ column: MultiStringColumn, nulls: NullMask?) {
        ensureUnique()
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
                    if local[slot] < 0 { local[slot] = intern(entries[slot]) }
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

    /// The id of `bytes`, added when new.
    private mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = bytes.baseAddress.map { ByteHash.hash($0, bytes.count) } ?? 0
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[s]
            if id < 0 { break }
            if hashes[Int(id)] == h && Self.same(values.entry(Int(id)), bytes) { return id }
            s = (s + 1) & mask
        }
        let id = Int32(values.count)
        values.append(bytes)
        hashes.append(h)
        slots[s] = id
        if values.count * 2 > slots.count { growSlots() }
        return id
    }

    private mutating func ensureUnique() {
        if !isKnownUniquelyReferenced(&values) { values = values.copy() }
    }

    /// Whether two byte strings are equal.
    @inline(__always)
    private static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    private mutating func growSlots() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(id)
        }
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
