/// Dense ids for byte strings, in first-seen order: equal bytes, equal id.
///
/// Keys are exact UTF-8 bytes — `String` equality would merge canonically
/// equivalent spellings ("é" and "e" + U+0301), which Druid keeps apart.
/// Open addressing (linear probing, at most half full) over the ids, with
/// the values in a `StringDictionaryBuilder`. The builder is a class:
/// `add` makes it unique first, so a copied table stays independent.
package struct ByteStringTable: Sendable {
    /// The values by id.
    private var values = StringDictionaryBuilder()
    /// Value ids by hash slot, -1 empty; `hashes` per value id.
    private var slots: [Int32] = [Int32](repeating: -1, count: 64)
    private var hashes: [UInt64] = []

    package init() {}

    /// Values so far.
    package var count: Int { values.count }

    /// Bytes of all values so far.
    package var byteCount: Int { values.byteCount }

    /// The values so far, by id.
    package func snapshot() -> StringDictionary { values.snapshot() }

    /// Call before a run of `id(of:)` calls on a table that may have been copied.
    package mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&values) { values = values.copy() }
    }

    /// The id of `bytes` (valid UTF-8), added when new. The table must be
    /// unique (`makeUnique`) since it was last copied.
    package mutating func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = bytes.baseAddress.map { ByteHash.hash($0, bytes.count) } ?? 0
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[s]
            if id < 0 { break }
            if hashes[Int(id)] == h && ByteHash.equal(values.entry(Int(id)), bytes) { return id }
            s = (s + 1) & mask
        }
        let id = Int32(values.count)
        values.append(bytes)
        hashes.append(h)
        slots[s] = id
        if values.count * 2 > slots.count { growSlots() }
        return id
    }

    /// Forgets every value (ids start from 0 again).
    package mutating func removeAll() {
        self = ByteStringTable()
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
}
