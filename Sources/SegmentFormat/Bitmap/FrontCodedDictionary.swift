internal import DataModel

/// A sorted string dictionary stored front-coded in buckets (Druid's
/// `FrontCodedIndexed`): bucket `b` holds entries `16b..<16b+16`; its first
/// entry is `varint length | bytes`, every other one `varint prefix |
/// varint suffixLength | suffix bytes`, sharing `prefix` bytes with the
/// entry before it. Bucket starts are bit-packed offsets, so a lookup
/// binary-searches bucket heads and then walks one bucket.
enum FrontCodedDictionary {
    static let bucketSize = 16

    /// Appends the coded entries and returns each bucket's start offset
    /// (relative to the first byte appended) plus the end offset.
    static func encode(_ values: StringDictionary, into sink: inout ByteSink) -> [Int] {
        let base = sink.count
        var starts: [Int] = []
        starts.reserveCapacity(values.count / bucketSize + 2)
        let offsets = values.offsets
        values.bytes.withUnsafeBufferPointer { all in
            for i in 0..<values.count {
                let start = offsets[i], length = offsets[i + 1] - start
                if i % bucketSize == 0 {
                    starts.append(sink.count - base)
                    sink.appendVarint(UInt64(length))
                    sink.append(contentsOf: UnsafeBufferPointer(rebasing: all[start..<(start + length)]))
                } else {
                    let previous = offsets[i - 1]
                    let limit = min(start - previous, length)
                    var prefix = 0
                    while prefix < limit && all[previous + prefix] == all[start + prefix] { prefix += 1 }
                    sink.appendVarint(UInt64(prefix))
                    sink.appendVarint(UInt64(length - prefix))
                    sink.append(contentsOf: UnsafeBufferPointer(rebasing: all[(start + prefix)..<(start + length)]))
                }
            }
        }
        starts.append(sink.count - base)
        return starts
    }
}

/// Reads a `FrontCodedDictionary` in place.
struct FrontCodedDictionaryView {
    let count: Int
    /// The coded entries.
    let bytes: UnsafeRawBufferPointer
    /// `bucketCount + 1` offsets of `offsetWidth` bits.
    let offsets: UnsafeRawBufferPointer
    let offsetWidth: Int

    var bucketCount: Int { (count + FrontCodedDictionary.bucketSize - 1) / FrontCodedDictionary.bucketSize }

    private func bucketRange(_ b: Int) throws(SegmentCorruption) -> Range<Int> {
        let start = Int(BitPacking.value(at: b, width: offsetWidth, in: offsets))
        let end = Int(BitPacking.value(at: b + 1, width: offsetWidth, in: offsets))
        guard start <= end, end <= bytes.count else { throw SegmentCorruption("dictionary offsets are malformed") }
        return start..<end
    }

    /// The first entry of bucket `b`, without copying.
    private func head(_ b: Int) throws(SegmentCorruption) -> UnsafeRawBufferPointer {
        var cursor = ByteCursor(UnsafeRawBufferPointer(rebasing: bytes[try bucketRange(b)]))
        let length = try cursor.readCount(limit: cursor.remaining, what: "string length")
        return try cursor.read(count: length)
    }

    /// Calls `body(id, bytes)` for the entries of bucket `b` in order; stops when it returns false.
    func forEach(inBucket b: Int, _ body: (Int, [UInt8]) throws(SegmentCorruption) -> Bool) throws(SegmentCorruption) {
        var cursor = ByteCursor(UnsafeRawBufferPointer(rebasing: bytes[try bucketRange(b)]))
        let first = b * FrontCodedDictionary.bucketSize
        let last = min(first + FrontCodedDictionary.bucketSize, count)
        var entry: [UInt8] = []
        for id in first..<last {
            if id == first {
                let length = try cursor.readCount(limit: cursor.remaining, what: "string length")
                entry = Array(try cursor.read(count: length))
            } else {
                let prefix = try cursor.readCount(limit: entry.count, what: "shared prefix")
                let suffix = try cursor.readCount(limit: cursor.remaining, what: "suffix length")
                entry.removeSubrange(prefix...)
                entry.append(contentsOf: try cursor.read(count: suffix))
            }
            if try !body(id, entry) { return }
        }
        guard cursor.isAtEnd else { throw SegmentCorruption("trailing bytes in a dictionary bucket") }
    }

    /// Every entry, checked to be valid UTF-8 and strictly sorted by bytes.
    func allValues() throws(SegmentCorruption) -> StringDictionary {
        var offsets = [0]
        offsets.reserveCapacity(count + 1)
        var arena: [UInt8] = []
        arena.reserveCapacity(bytes.count)
        for b in 0..<bucketCount {
            try forEach(inBucket: b) { (id, entry) throws(SegmentCorruption) in
                if id > 0 && !arena[offsets[id - 1]...].lexicographicallyPrecedes(entry) {
                    throw SegmentCorruption("dictionary is not strictly sorted")
                }
                guard entry.withUnsafeBufferPointer(UTF8Check.isValid) else {
                    throw SegmentCorruption("dictionary holds invalid UTF-8")
                }
                arena.append(contentsOf: entry)
                offsets.append(arena.count)
                return true
            }
        }
        return StringDictionary(uncheckedOffsets: offsets, bytes: arena)
    }

    /// The id of the entry whose bytes are exactly `key`, if any.
    func id(ofBytes key: [UInt8]) throws(SegmentCorruption) -> Int? {
        guard count > 0 else { return nil }
        // Last bucket whose head is <= key.
        var lo = 0, hi = bucketCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if try key.lexicographicallyPrecedes(head(mid)) { hi = mid - 1 } else { lo = mid }
        }
        var found: Int? = nil
        try forEach(inBucket: lo) { (id, entry) throws(SegmentCorruption) in
            if entry == key { found = id; return false }
            return entry.lexicographicallyPrecedes(key)
        }
        return found
    }
}
