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
    static func encode(_ values: [String], into sink: inout ByteSink) -> [Int] {
        let base = sink.count
        var starts: [Int] = []
        starts.reserveCapacity(values.count / bucketSize + 2)
        var previous: [UInt8] = []
        for (i, value) in values.enumerated() {
            var value = value
            value.withUTF8 { bytes in
                if i % bucketSize == 0 {
                    starts.append(sink.count - base)
                    sink.appendVarint(UInt64(bytes.count))
                    sink.append(contentsOf: bytes)
                } else {
                    var prefix = 0
                    let limit = min(previous.count, bytes.count)
                    while prefix < limit && previous[prefix] == bytes[prefix] { prefix += 1 }
                    sink.appendVarint(UInt64(prefix))
                    sink.appendVarint(UInt64(bytes.count - prefix))
                    sink.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[prefix...]))
                }
                previous.removeAll(keepingCapacity: true)
                previous.append(contentsOf: bytes)
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
    func allValues() throws(SegmentCorruption) -> [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        // The entry before, copied into a buffer kept across entries (holding
        // the entry itself would make `forEach` copy it at its next change).
        var previous: [UInt8] = []
        for b in 0..<bucketCount {
            try forEach(inBucket: b) { (id, entry) throws(SegmentCorruption) in
                if id > 0 && !previous.lexicographicallyPrecedes(entry) {
                    throw SegmentCorruption("dictionary is not strictly sorted")
                }
                guard let value = entry.withUnsafeBytes(ValidatedUTF8.string) else {
                    throw SegmentCorruption("dictionary holds invalid UTF-8")
                }
                out.append(value)
                previous.removeAll(keepingCapacity: true)
                previous.append(contentsOf: entry)
                return true
            }
        }
        return out
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
