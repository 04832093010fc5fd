internal import DataModel

/// Interns the strings of one column by their UTF-8 bytes, batch after
/// batch, into each batch's `StringDictionary` (bytes copied, no `String`
/// created).
///
/// `batch` holds the current batch's values: ids are dense from 0 in
/// order of first appearance within the batch. The table of known byte
/// strings outlives the batch, so a value that comes back in a later batch
/// costs a lookup and a copy of its bytes, and its UTF-8 is checked once; the
/// table is emptied between batches once it holds more than `maxEntries`
/// values or `maxArenaBytes` bytes, which bounds its memory. Invalid UTF-8
/// is stored with replacement characters, so two distinct byte sequences
/// may map to equal strings (the dictionary need not be minimal).
///
/// Open addressing (linear probing, at most half full) over an entry table
/// and a byte arena, all in manually managed memory: no ARC or uniqueness
/// checks per lookup. A value type with explicit `release()`, owned by a
/// `ColumnAccumulator` (itself owned by a `BatchAccumulator`).
struct StringInterner {
    private struct Entry {
        var hash: UInt64
        var start: Int
        var length: Int
        /// The id in the batch of `epoch`.
        var batchID: Int32
        var epoch: UInt32
        /// False when the bytes are not valid UTF-8: `repaired` holds the value.
        var isValidUTF8: Bool
    }

    /// The known values that may stay across batches. Small enough for the
    /// table to stay in cache: a value met again after a reset costs only a
    /// UTF-8 check and a copy (1 << 14 read the flights file 5% slower).
    static let maxEntries = 1 << 12
    static let maxArenaBytes = 1 << 20
    static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

    /// The current batch's values by id.
    private let batch = StringDictionaryBuilder()
    /// The values of entries whose bytes are not valid UTF-8, repaired.
    private var repaired: [Int: String] = [:]
    private var entries: UnsafeMutablePointer<Entry>
    private var entryCapacity = 64
    private var entryCount = 0
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity = 4096
    private var arenaCount = 0
    /// By hash slot: the hash's high 32 bits, then the entry index + 1 (0 is
    /// empty), so a probe passes other values without reading their entry.
    /// Power-of-two sized.
    private var slots: UnsafeMutablePointer<UInt64>
    private var slotMask = 127
    /// The current batch; entries of other epochs are not in `batch`.
    private var epoch: UInt32 = 1

    init() {
        entries = .allocate(capacity: entryCapacity)
        arena = .allocate(capacity: arenaCapacity)
        slots = .allocate(capacity: slotMask + 1)
        slots.initialize(repeating: 0, count: slotMask + 1)
    }

    /// Frees the memory; the interner must not be used afterwards.
    func release() {
        entries.deallocate()
        arena.deallocate()
        slots.deallocate()
    }

    var count: Int { batch.count }

    /// The id of the `n` bytes at `p` in this batch, adding them when new.
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        intern(p, n, knownValid: false)
    }

    /// The id of `bytes`, adding it when new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let base = bytes.baseAddress else { return internEmpty() }
        return intern(base, bytes.count, knownValid: false)
    }

    /// The id of `string`, adding it when new.
    mutating func intern(_ string: String) -> Int32 {
        var s = string
        return s.withUTF8 { b in
            guard let base = b.baseAddress else { return internEmpty() }
            return intern(base, b.count, knownValid: true)
        }
    }

    private mutating func internEmpty() -> Int32 {
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { intern($0, 0, knownValid: true) }
    }

    /// `knownValid`: the bytes are a `String`'s, so valid UTF-8 without a check.
    private mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int, knownValid: Bool) -> Int32 {
        let h = ByteHash.hash(p, n)
        let tag = h & Self.tagMask
        var s = Int(truncatingIfNeeded: h) & slotMask
        while true {
            let slot = slots[s]
            if slot == 0 { break }
            let e = Int(truncatingIfNeeded: slot & ~Self.tagMask) - 1
            if slot & Self.tagMask == tag && entries[e].length == n && ByteHash.equal(arena + entries[e].start, p, n) {
                if entries[e].epoch == epoch { return entries[e].batchID }
                let id = Int32(batch.count)
                appendToBatch(e)
                entries[e].epoch = epoch
                entries[e].batchID = id
                return id
            }
            s = (s + 1) & slotMask
        }
        return add(p, n, hash: h, slot: s, knownValid: knownValid)
    }

    private mutating func add(_ p: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64, slot s: Int, knownValid: Bool) -> Int32 {
        if arenaCount + n > arenaCapacity {
            var bigger = arenaCapacity * 2
            while arenaCount + n > bigger { bigger *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
            grown.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = grown
            arenaCapacity = bigger
        }
        if entryCount == entryCapacity {
            let grown = UnsafeMutablePointer<Entry>.allocate(capacity: entryCapacity * 2)
            grown.moveInitialize(from: entries, count: entryCount)
            entries.deallocate()
            entries = grown
            entryCapacity *= 2
        }
        (arena + arenaCount).update(from: p, count: n)
        let id = Int32(batch.count)
        let valid = knownValid || UTF8Check.isValid(p, n)
        if !valid { repaired[entryCount] = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) }
        (entries + entryCount).initialize(to: Entry(hash: h, start: arenaCount, length: n, batchID: id, epoch: epoch, isValidUTF8: valid))
        slots[s] = h & Self.tagMask | UInt64(entryCount + 1)
        arenaCount += n
        appendToBatch(entryCount)
        entryCount += 1
        if entryCount * 2 > slotMask + 1 { grow() }
        return id
    }

    /// Appends entry `e`'s value to the batch's dictionary.
    @inline(__always)
    private mutating func appendToBatch(_ e: Int) {
        if entries[e].isValidUTF8 {
            batch.append(validUTF8: arena + entries[e].start, count: entries[e].length)
        } else {
            batch.append(repaired[e]!)
        }
    }

    private mutating func grow() {
        let size = (slotMask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        slotMask = size - 1
        for e in 0..<entryCount {
            var s = Int(truncatingIfNeeded: entries[e].hash) & slotMask
            while slots[s] != 0 { s = (s + 1) & slotMask }
            slots[s] = entries[e].hash & Self.tagMask | UInt64(e + 1)
        }
    }

    /// Hands out the batch's dictionary and starts the next batch (ids from
    /// 0 again); forgets the known values once there are too many.
    mutating func finishBatch() -> StringDictionary {
        let done = batch.finish()
        epoch &+= 1
        if epoch == 0 || entryCount > Self.maxEntries || arenaCount > Self.maxArenaBytes {
            entryCount = 0
            arenaCount = 0
            repaired = [:]
            slots.update(repeating: 0, count: slotMask + 1)
            if epoch == 0 { epoch = 1 }
        }
        return done
    }
}
