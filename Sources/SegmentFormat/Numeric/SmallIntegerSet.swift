/// An open-addressing set of at most a few hundred integers, cheaper than
/// `Set` (no seeded hashing) for the dictionary candidate of a block.
struct SmallIntegerSet {
    private static let slots = 1024  // > 2 × maxDictionarySize keeps probes short
    private var keys = [Int64](repeating: 0, count: slots)
    /// Per slot: 0 when empty, else 1 + the value's insertion index.
    private var entries = [Int16](repeating: 0, count: slots)
    /// Values in insertion order.
    private(set) var values: [Int64] = []

    var count: Int { values.count }

    @inline(__always)
    private func slot(of v: Int64) -> Int {
        var slot = Int(truncatingIfNeeded: (UInt64(bitPattern: v) &* 0x9E37_79B9_7F4A_7C15) >> 54)
        while entries[slot] != 0 && keys[slot] != v { slot = (slot + 1) & (Self.slots - 1) }
        return slot
    }

    /// Adds `v`; true when it was not there yet. At most `slots / 2` values.
    @inline(__always)
    mutating func insert(_ v: Int64) -> Bool {
        let s = slot(of: v)
        guard entries[s] == 0 else { return false }
        precondition(values.count < Self.slots / 2, "SmallIntegerSet: too many values")
        keys[s] = v
        values.append(v)
        entries[s] = Int16(values.count)
        return true
    }

    /// The insertion index of `v`, which must be in the set.
    @inline(__always)
    func index(of v: Int64) -> Int { Int(entries[slot(of: v)]) - 1 }
}
