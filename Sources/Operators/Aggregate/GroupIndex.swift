/// Group ids by `GroupKey`: open addressing with linear probing on a cheap
/// multiply-xorshift hash of the key's words. Swift's `Dictionary` would run
/// SipHash over every looked-up key — a fifth of a rollup's aggregation time
/// with a few hundred groups — where this costs a few multiplications.
struct GroupIndex {
    private var keys: [GroupKey] = []
    /// Per slot the group id, or -1 when the slot is empty.
    private var ids: [Int32] = []
    private var mask = -1
    private(set) var count = 0

    init() {}

    /// The index holding `key` as group `id`.
    init(_ key: GroupKey, id: Int32) {
        _ = findOrInsert(key, id)
    }

    /// The id of `key`'s group, or — when there is none — records `newID`
    /// for it and returns nil.
    @inline(__always)
    mutating func findOrInsert(_ key: GroupKey, _ newID: Int32) -> Int32? {
        if count + 1 > (mask + 1) / 2 { grow() }
        var slot = Int(truncatingIfNeeded: key.mixedHash) & mask
        while true {
            let id = ids[slot]
            if id < 0 {
                keys[slot] = key
                ids[slot] = newID
                count += 1
                return nil
            }
            if keys[slot] == key { return id }
            slot = (slot + 1) & mask
        }
    }

    /// Makes room for `groups` keys without growing on the way (an empty
    /// index only).
    mutating func reserve(_ groups: Int) {
        precondition(count == 0, "GroupIndex.reserve: the index is not empty")
        var capacity = 16
        while capacity / 2 < groups + 1 { capacity *= 2 }
        if capacity > mask + 1 { allocateEmpty(capacity) }
    }

    private mutating func grow() {
        let oldKeys = keys, oldIDs = ids
        allocateEmpty(max(16, 2 * (mask + 1)))
        for (slot, id) in oldIDs.enumerated() where id >= 0 { _ = findOrInsert(oldKeys[slot], id) }
    }

    /// Empty slots, `capacity` (a power of two) of them.
    private mutating func allocateEmpty(_ capacity: Int) {
        keys = [GroupKey](repeating: GroupKey(), count: capacity)
        ids = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        count = 0
    }
}
