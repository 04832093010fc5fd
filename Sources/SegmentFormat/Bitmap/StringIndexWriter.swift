internal import DataModel

/// Builds the bitmap index of a STRING column (single- or multi-value):
/// its sorted dictionary, then for every dictionary id the rows holding
/// that value, then the NULL rows (layout in `SegmentFormatModule`).
enum StringIndexWriter {
    /// The index region, without a trailing CRC (each part carries its
    /// own); nil when it would not fit the 32-bit offsets.
    ///
    /// - Parameters:
    ///   - dictionary: the distinct values sorted by UTF-8 bytes.
    ///   - rank: for every first-seen id of `strings`, its position in `dictionary`.
    static func encode(
        _ strings: StringInterner, dictionary: StringDictionary, rank: [Int32], nulls: NullBitmapBuilder
    ) -> [UInt8]? {
        let rowCount = nulls.count
        let cardinality = dictionary.count
        let (rows, starts) = postings(strings, rank: rank, cardinality: cardinality)

        // The bitmaps: one per id, then the NULL rows.
        var bitmaps = ByteSink()
        var bitmapOffsets: [Int] = []
        bitmapOffsets.reserveCapacity(cardinality + 2)
        rows.withUnsafeBufferPointer { all in
            for id in 0..<cardinality {
                bitmapOffsets.append(bitmaps.count)
                BitmapContainers.encode(
                    UnsafeBufferPointer(rebasing: all[Int(starts[id])..<Int(starts[id + 1])]), rowCount: rowCount, into: &bitmaps)
            }
        }
        bitmapOffsets.append(bitmaps.count)
        var nullRows: [Int32] = []
        if nulls.nullCount > 0 {
            nullRows.reserveCapacity(nulls.nullCount)
            for (w, word) in nulls.words.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    let row = w << 6 + bits.trailingZeroBitCount
                    if row < rowCount { nullRows.append(Int32(row)) }
                    bits &= bits - 1
                }
            }
        }
        nullRows.withUnsafeBufferPointer { BitmapContainers.encode($0, rowCount: rowCount, into: &bitmaps) }
        bitmapOffsets.append(bitmaps.count)
        guard bitmaps.count <= Int(UInt32.max) else { return nil }

        let allASCII = dictionary.bytes.allSatisfy { $0 < 0x80 }
        var coded = ByteSink()
        let bucketOffsets = FrontCodedDictionary.encode(dictionary, into: &coded)

        // Consecutive bitmaps grouped into chunks of about `chunkBytes`, each compressed when that pays.
        var chunkFirstIDs: [Int] = [0]
        var storedOffsets: [Int] = [0]
        var chunkFlags: [UInt8] = []
        var stored = ByteSink(capacity: bitmaps.count)
        var checksums = ByteSink()
        while chunkFirstIDs.last! <= cardinality {
            let first = chunkFirstIDs.last!
            var end = first + 1
            while end <= cardinality && bitmapOffsets[end] - bitmapOffsets[first] < StringIndexLayout.chunkBytes { end += 1 }
            let raw = Array(bitmaps.bytes[bitmapOffsets[first]..<bitmapOffsets[end]])
            let start = stored.count
            if let packed = BlockCompression.compressIfWorthwhile(raw) {
                chunkFlags.append(packed.flag)
                stored.append(contentsOf: packed.bytes)
            } else {
                chunkFlags.append(0)
                stored.append(contentsOf: raw)
            }
            stored.bytes.withUnsafeBytes { checksums.appendUInt32LE(CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[start...]))) }
            chunkFirstIDs.append(end)
            storedOffsets.append(stored.count)
        }
        guard stored.count <= Int(UInt32.max) else { return nil }

        var head = ByteSink(capacity: 64 + coded.count + 2 * bitmapOffsets.count + 6 * chunkFlags.count)
        head.append(StringIndexLayout.version)
        head.append(allASCII ? StringIndexLayout.allASCII : 0)
        head.appendVarint(UInt64(rowCount))
        head.appendVarint(UInt64(cardinality))
        appendPacked(bucketOffsets, into: &head)
        if let packed = BlockCompression.compressIfWorthwhile(coded.bytes) {
            head.append(packed.flag)
            head.appendVarint(UInt64(packed.bytes.count))
            head.append(contentsOf: packed.bytes)
        } else {
            head.append(0)
            head.append(contentsOf: coded.bytes)
        }
        appendPacked(bitmapOffsets, into: &head)
        head.appendVarint(UInt64(chunkFlags.count))
        appendPacked(chunkFirstIDs, into: &head)
        appendPacked(storedOffsets, into: &head)
        head.append(contentsOf: chunkFlags)
        head.append(contentsOf: checksums.bytes)
        head.appendUInt32LE(CRC32.checksum(head.bytes))
        head.append(contentsOf: stored.bytes)
        return head.bytes
    }

    /// `varint lastValue | u8 width | values bit-packed`; values ascending.
    private static func appendPacked(_ values: [Int], into sink: inout ByteSink) {
        let last = values.last ?? 0
        let width = BitPacking.width(forMax: UInt64(last))
        sink.appendVarint(UInt64(last))
        sink.append(UInt8(width))
        BitPacking.pack(count: values.count, width: width, into: &sink) { UInt64(values[$0]) }
    }

    /// Every dictionary id's rows, ascending and distinct, concatenated:
    /// id `i` owns `rows[starts[i]..<starts[i + 1]]` (a counting sort).
    private static func postings(
        _ strings: StringInterner, rank: [Int32], cardinality: Int
    ) -> (rows: [Int32], starts: [Int32]) {
        guard let counts = strings.rowValueCounts else { return singleValuedPostings(strings.ids, rank: rank, cardinality: cardinality) }
        // (rank, row) pairs, each row's ranks de-duplicated.
        var pairRanks: [Int32] = []
        var pairRows: [Int32] = []
        pairRanks.reserveCapacity(strings.ids.count)
        pairRows.reserveCapacity(strings.ids.count)
        var next = 0
        var rowRanks: [Int32] = []
        for (row, c) in counts.enumerated() {
            let n = Int(c)
            if n == 1 {
                pairRanks.append(rank[Int(strings.ids[next])])
                pairRows.append(Int32(row))
            } else if n > 1 {
                rowRanks.removeAll(keepingCapacity: true)
                for i in next..<(next + n) { rowRanks.append(rank[Int(strings.ids[i])]) }
                rowRanks.sort()
                var previous: Int32 = -1
                for r in rowRanks where r != previous {
                    pairRanks.append(r)
                    pairRows.append(Int32(row))
                    previous = r
                }
            }
            next += n
        }
        var starts = [Int32](repeating: 0, count: cardinality + 1)
        for r in pairRanks { starts[Int(r) + 1] += 1 }
        for i in 0..<cardinality { starts[i + 1] += starts[i] }
        var fill = starts
        var rows = [Int32](repeating: 0, count: pairRows.count)
        for (i, r) in pairRanks.enumerated() {
            rows[Int(fill[Int(r)])] = pairRows[i]
            fill[Int(r)] += 1
        }
        return (rows, starts)
    }

    /// `postings` of a column with one id per row (-1: NULL): each rank's
    /// rows counted, then placed in row order — no pair arrays.
    private static func singleValuedPostings(_ ids: [Int32], rank: [Int32], cardinality: Int) -> (rows: [Int32], starts: [Int32]) {
        var starts = [Int32](repeating: 0, count: cardinality + 1)
        return ids.withUnsafeBufferPointer { ids in
            rank.withUnsafeBufferPointer { rank in
                var total = 0
                starts.withUnsafeMutableBufferPointer { starts in
                    for id in ids where id >= 0 { starts[Int(rank[Int(id)]) &+ 1] &+= 1 }
                    for i in 0..<cardinality { starts[i &+ 1] &+= starts[i] }
                    total = Int(starts[cardinality])
                }
                var fill = starts
                let rows = [Int32](unsafeUninitializedCapacity: total) { out, initialized in
                    fill.withUnsafeMutableBufferPointer { fill in
                        for (row, id) in ids.enumerated() where id >= 0 {
                            let r = Int(rank[Int(id)])
                            out[Int(fill[r])] = Int32(row)
                            fill[r] &+= 1
                        }
                    }
                    initialized = total
                }
                return (rows, starts)
            }
        }
    }
}

/// Constants of a string column's bitmap index region.
enum StringIndexLayout {
    /// Written since the dictionary and bitmap chunks are compressed.
    static let version: UInt8 = 2
    /// Uncompressed dictionary, fixed chunks of `bitmapsPerChecksum` bitmaps.
    static let uncompressedVersion: UInt8 = 1
    /// Consecutive bitmaps are grouped into chunks of at least this many raw
    /// bytes (unless the last), each compressed on its own: a lookup
    /// inflates one chunk, and small bitmaps still share a compression frame.
    static let chunkBytes = 32 * 1024
    /// Flag: every dictionary entry is ASCII, so an ASCII value can be
    /// looked up by binary search on bytes.
    static let allASCII: UInt8 = 1 << 0
    /// Version 1: consecutive bitmaps (ids, then the NULL rows) covered by one CRC.
    static let bitmapsPerChecksum = 64
}
