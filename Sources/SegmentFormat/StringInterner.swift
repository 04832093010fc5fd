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
    /// Distinct values in first-seen order.
    private(set) var values: [String] = []
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
        var local = [Int32](repeating: -1, count: column.dictionary.count)
        ids.reserveCapacity(ids.count + column.ids.count)
        for (row, id) in column.ids.enumerated() {
            if let nulls, nulls.isNull(row) {
                if rowValueCounts != nil { rowValueCounts!.append(0) } else { ids.append(-1) }
                continue
            }
            let slot = Int(id)
            if local[slot] < 0 { local[slot] = intern(column.dictionary[slot]) }
            ids.append(local[slot])
            rowValueCounts?.append(1)
        }
    }

    mutating func append(_ column: MultiStringColumn, nulls: NullMask?) {
        if rowValueCounts == nil {
            // Switch to the multi-value layout: NULL rows hold no ids.
            rowValueCounts = ids.map { $0 < 0 ? 0 : 1 }
            ids.removeAll { $0 < 0 }
        }
        var local = [Int32](repeating: -1, count: column.dictionary.count)
        for row in 0..<column.rowCount {
            if let nulls, nulls.isNull(row) {
                rowValueCounts!.append(0)
                continue
            }
            let rowIDs = column.rowIDs(row)
            for id in rowIDs {
                let slot = Int(id)
                if local[slot] < 0 { local[slot] = intern(column.dictionary[slot]) }
                ids.append(local[slot])
            }
            rowValueCounts!.append(Int32(rowIDs.count))
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

    private mutating func intern(_ value: String) -> Int32 {
        var native = value
        native.makeContiguousUTF8()
        let found: (id: Int32, hash: UInt64, slot: Int) = native.withUTF8 { bytes in
            let h = bytes.baseAddress.map { ByteHash.hash($0, bytes.count) } ?? 0
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let id = slots[s]
                if id < 0 { return (-1, h, s) }
                if hashes[Int(id)] == h && Self.sameBytes(values[Int(id)], bytes) { return (id, h, s) }
                s = (s + 1) & mask
            }
        }
        if found.id >= 0 { return found.id }
        let id = Int32(values.count)
        values.append(native)
        hashes.append(found.hash)
        slots[found.slot] = id
        if values.count * 2 > slots.count { growSlots() }
        return id
    }

    /// Whether `value` (contiguous UTF-8) holds exactly `bytes`.
    static func sameBytes(_ value: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        value.utf8.withContiguousStorageIfAvailable { v in
            v.count == bytes.count && (v.count == 0 || memcmp(v.baseAddress!, bytes.baseAddress!, v.count) == 0)
        } ?? value.utf8.elementsEqual(bytes)
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
    func sortedDictionary() -> (values: [String], rank: [Int32]) {
        let keys = values.map(UTF8Key.init)
        // Compare the first 8 bytes as one big-endian integer; only equal
        // prefixes need the full byte comparison.
        let prefixes = keys.map(\.prefix)
        let order = keys.indices.sorted { a, b in
            let (x, y) = (prefixes[a], prefixes[b])
            return x != y ? x < y : keys[a] < keys[b]
        }
        var rank = [Int32](repeating: 0, count: values.count)
        for (position, index) in order.enumerated() { rank[index] = Int32(position) }
        return (order.map { keys[$0].value }, rank)
    }
}

/// A string that compares, orders and hashes by its exact UTF-8 bytes.
package struct UTF8Key: Hashable, Comparable, Sendable {
    package let value: String

    /// Stores `value` in native UTF-8 so the comparisons below are memcmp's.
    package init(_ value: String) {
        var native = value
        native.makeContiguousUTF8()
        self.value = native
    }

    /// The first 8 UTF-8 bytes as a big-endian integer (zero-padded), so
    /// integer order agrees with byte order wherever the prefixes differ.
    var prefix: UInt64 {
        withBytes { bytes in
            var p: UInt64 = 0
            for i in 0..<8 { p = p << 8 | UInt64(i < bytes.count ? bytes[i] : 0) }
            return p
        }
    }

    private func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        // Contiguous by construction, so this never copies.
        value.utf8.withContiguousStorageIfAvailable(body) ?? Array(value.utf8).withUnsafeBufferPointer(body)
    }

    package static func == (a: UTF8Key, b: UTF8Key) -> Bool {
        a.withBytes { x in
            b.withBytes { y in x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) }
        }
    }

    package static func < (a: UTF8Key, b: UTF8Key) -> Bool {
        a.withBytes { x in
            b.withBytes { y in
                let common = min(x.count, y.count)
                let c = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
    }

    package func hash(into hasher: inout Hasher) {
        withBytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
