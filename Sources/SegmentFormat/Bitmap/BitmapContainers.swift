/// The compressed form of one row set in the bitmap index: whichever is
/// smaller of a row list (few rows) and Roaring-like containers.
///
/// ```
/// row list    varint (n << 1 | 1) | varint first row | n - 1 × varint (gap - 1)
/// containers  varint (containerCount << 1), then per container, keys ascending:
///             varint key (row >> 16) | u8 kind | kind's payload
/// array (0)   varint n | n × u16 LE low bits, ascending           2n bytes
/// bitset (1)  w × u64 LE, bit (low & 63) of word low >> 6, where w covers
///             the container's rows: min(65536, rowCount - key << 16) / 64
///             rounded up (8 KiB at most; 128 bytes for a 1,000-row segment)
/// runs (2)    varint n | n × (u16 LE start, u16 LE length - 1)   4n bytes
/// ```
///
/// Within the container form, ties prefer array, then runs; a container is
/// never empty. The empty set is the row list of 0 rows.
enum BitmapContainers {
    enum Kind: UInt8 {
        case array = 0
        case bitset = 1
        case runs = 2
    }

    /// Bytes of a bitset container holding the rows from `base` of a
    /// segment of `rowCount` rows.
    static func bitsetBytes(base: Int, rowCount: Int) -> Int {
        8 * ((min(65536, rowCount - base) + 63) / 64)
    }

    /// Appends the compressed form of `rows` (ascending, distinct, non-negative).
    /// - Parameter rowCount: rows of the segment (sizes the last bitset).
    static func encode(_ rows: UnsafeBufferPointer<Int32>, rowCount: Int, into sink: inout ByteSink) {
        var listSize = varintSize(UInt64(rows.count) << 1 | 1)
        for i in rows.indices { listSize += varintSize(UInt64(i == 0 ? rows[0] : rows[i] - rows[i - 1] - 1)) }
        // A container form takes at least 4 bytes a container; skip sizing it when the list is that small.
        guard listSize > 4 else { return encodeList(rows, into: &sink) }
        let containers = containersSize(rows, rowCount: rowCount)
        if listSize <= containers.bytes {
            encodeList(rows, into: &sink)
        } else {
            encodeContainers(rows, rowCount: rowCount, containerCount: containers.count, into: &sink)
        }
    }

    /// The row range of each 65,536-row container `rows` touches, in order.
    @inline(__always)
    private static func forEachContainer(_ rows: UnsafeBufferPointer<Int32>, _ body: (_ key: Int32, _ range: Range<Int>) -> Void) {
        var start = 0
        while start < rows.count {
            let key = rows[start] >> 16
            var end = start + 1
            while end < rows.count && rows[end] >> 16 == key { end += 1 }
            body(key, start..<end)
            start = end
        }
    }

    /// How a container is stored: the smallest of the three forms (ties
    /// prefer array, then runs), with its row and run counts.
    @inline(__always)
    private static func containerForm(_ rows: UnsafeBufferPointer<Int32>, key: Int32, range: Range<Int>, rowCount: Int)
        -> (kind: Kind, runs: Int, bitsetBytes: Int)
    {
        var runs = 0
        var previous: Int32 = -2
        for i in range {
            if rows[i] != previous + 1 { runs += 1 }
            previous = rows[i]
        }
        let arrayBytes = 2 * range.count, runBytes = 4 * runs
        let bitsetBytes = bitsetBytes(base: Int(key) << 16, rowCount: rowCount)
        let kind: Kind = arrayBytes <= runBytes && arrayBytes <= bitsetBytes ? .array : runBytes <= bitsetBytes ? .runs : .bitset
        return (kind, runs, bitsetBytes)
    }

    /// The exact size `encodeContainers` would write, without writing it,
    /// and how many containers it holds.
    static func containersSize(_ rows: UnsafeBufferPointer<Int32>, rowCount: Int) -> (bytes: Int, count: Int) {
        var size = 0
        var count = 0
        forEachContainer(rows) { key, range in
            count += 1
            let form = containerForm(rows, key: key, range: range, rowCount: rowCount)
            size += varintSize(UInt64(key)) + 1
            switch form.kind {
            case .array: size += varintSize(UInt64(range.count)) + 2 * range.count
            case .runs: size += varintSize(UInt64(form.runs)) + 4 * form.runs
            case .bitset: size += form.bitsetBytes
            }
        }
        return (size + varintSize(UInt64(count) << 1), count)
    }

    private static func varintSize(_ v: UInt64) -> Int { max(1, (64 - v.leadingZeroBitCount + 6) / 7) }

    private static func encodeList(_ rows: UnsafeBufferPointer<Int32>, into sink: inout ByteSink) {
        sink.appendVarint(UInt64(rows.count) << 1 | 1)
        for i in rows.indices { sink.appendVarint(UInt64(i == 0 ? rows[0] : rows[i] - rows[i - 1] - 1)) }
    }

    /// - Parameter containerCount: as `containersSize` counted them.
    static func encodeContainers(_ rows: UnsafeBufferPointer<Int32>, rowCount: Int, containerCount: Int, into sink: inout ByteSink) {
        sink.appendVarint(UInt64(containerCount) << 1)
        forEachContainer(rows) { key, range in
            sink.appendVarint(UInt64(key))
            let form = containerForm(rows, key: key, range: range, rowCount: rowCount)
            sink.append(form.kind.rawValue)
            switch form.kind {
            case .array:
                sink.appendVarint(UInt64(range.count))
                for i in range { appendUInt16(UInt16(truncatingIfNeeded: rows[i]), into: &sink) }
            case .runs:
                sink.appendVarint(UInt64(form.runs))
                var i = range.lowerBound
                while i < range.upperBound {
                    var j = i + 1
                    while j < range.upperBound && rows[j] == rows[j - 1] + 1 { j += 1 }
                    appendUInt16(UInt16(truncatingIfNeeded: rows[i]), into: &sink)
                    appendUInt16(UInt16(j - i - 1), into: &sink)
                    i = j
                }
            case .bitset:
                var words = [UInt64](repeating: 0, count: form.bitsetBytes / 8)
                for i in range {
                    let low = Int(rows[i] & 0xFFFF)
                    words[low >> 6] |= 1 << UInt64(low & 63)
                }
                for w in words { sink.appendUInt64LE(w) }
            }
        }
    }

    private static func appendUInt16(_ v: UInt16, into sink: inout ByteSink) {
        sink.append(UInt8(truncatingIfNeeded: v))
        sink.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    /// ORs the rows of a compressed bitmap into `out`; every row must lie
    /// below `out.rowCount` and the bytes must be consumed exactly.
    static func decode(_ bytes: UnsafeRawBufferPointer, into out: inout RowBitmap) throws(SegmentCorruption) {
        var cursor = ByteCursor(bytes)
        let head = try cursor.readVarint()
        if head & 1 == 1 {
            guard head >> 1 <= UInt64(out.rowCount) else { throw SegmentCorruption("bitmap row count exceeds the segment") }
            var row = -1
            for i in 0..<Int(head >> 1) {
                let gap = try cursor.readCount(limit: out.rowCount, what: "bitmap row gap")
                row = i == 0 ? gap : row + gap + 1
                guard row < out.rowCount else { throw SegmentCorruption("bitmap row past the segment") }
                out.insert(row)
            }
            guard cursor.isAtEnd else { throw SegmentCorruption("trailing bytes after bitmap") }
            return
        }
        let maxKey = out.rowCount == 0 ? -1 : (out.rowCount - 1) >> 16
        guard head >> 1 <= UInt64(maxKey + 1) else { throw SegmentCorruption("bitmap container count exceeds the segment") }
        let containerCount = Int(head >> 1)
        var previousKey = -1
        for _ in 0..<containerCount {
            let key = try cursor.readCount(limit: maxKey, what: "bitmap container key")
            guard key > previousKey else { throw SegmentCorruption("bitmap containers are not in order") }
            previousKey = key
            let base = key << 16
            let limit = out.rowCount - base  // rows of this container must stay below it
            guard let kind = Kind(rawValue: try cursor.readByte()) else {
                throw SegmentCorruption("unknown bitmap container kind")
            }
            switch kind {
            case .array:
                let n = try cursor.readCount(limit: 65536, what: "bitmap array size")
                let raw = try cursor.read(count: 2 * n)
                var previous = -1
                for i in 0..<n {
                    let low = Int(UInt16(raw[2 * i]) | UInt16(raw[2 * i + 1]) << 8)
                    guard low > previous, low < limit else { throw SegmentCorruption("bitmap array is malformed") }
                    previous = low
                    out.insert(base + low)
                }
            case .runs:
                let n = try cursor.readCount(limit: 32768, what: "bitmap run count")
                let raw = try cursor.read(count: 4 * n)
                var next = 0
                for i in 0..<n {
                    let start = Int(UInt16(raw[4 * i]) | UInt16(raw[4 * i + 1]) << 8)
                    let length = Int(UInt16(raw[4 * i + 2]) | UInt16(raw[4 * i + 3]) << 8) + 1
                    guard start >= next, start + length <= limit else { throw SegmentCorruption("bitmap runs are malformed") }
                    for low in start..<(start + length) { out.insert(base + low) }
                    next = start + length + 1
                }
            case .bitset:
                let bytes = bitsetBytes(base: base, rowCount: out.rowCount)
                let raw = try cursor.read(count: bytes)
                guard base & 63 == 0 else { throw SegmentCorruption("bitmap bitset is misaligned") }
                for w in 0..<(bytes / 8) {
                    let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * w, as: UInt64.self))
                    guard word != 0 else { continue }
                    let first = w << 6
                    let room = limit - first
                    guard room > 0, room >= 64 || word >> UInt64(room) == 0 else {
                        throw SegmentCorruption("bitmap bitset holds rows past the segment")
                    }
                    out.orWord(word, at: (base + first) >> 6)
                }
            }
        }
        guard cursor.isAtEnd else { throw SegmentCorruption("trailing bytes after bitmap") }
    }
}
