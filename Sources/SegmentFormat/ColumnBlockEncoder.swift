internal import CKernels
internal import DataModel

/// Encodes one accumulated column into a block (see `SegmentFormatModule`).
enum ColumnBlockEncoder {
    /// The block bytes (without CRC) and the column's footer statistics.
    /// - Parameter dictionary: for STRING columns, `strings.sortedDictionary()`
    ///   when the caller has it already.
    static func encode(
        _ column: ColumnAccumulator, name: String, codec: ColumnCodec, rowsPerBlock: Int = SegmentLayout.rowsPerBlock,
        dictionary sortedDictionary: (values: StringDictionary, rank: [Int32])? = nil
    ) -> EncodedColumn {
        let rowCount = column.count
        var body = ByteSink()
        var flags: UInt8 = 0
        if column.nulls.nullCount > 0 {
            flags |= BlockFlags.hasNulls
            column.nulls.serialized(into: &body)
        }
        var info = SegmentColumnInfo(
            name: name, type: column.type, nullCount: column.nulls.nullCount, min: nil, max: nil, cardinality: nil)
        var blockEncodings: [String: Int]? = nil
        switch codec {
        case .timeDelta:
            encodeTime(column.longs, into: &body, info: &info)
        case .longFOR:
            encodeLongs(column.longs, nulls: column.nulls, into: &body, info: &info)
        case .floatRaw:
            var range = FloatRange<Float>()
            var bits = [UInt32](repeating: 0, count: rowCount)
            for (row, value) in column.floats.enumerated() where column.nulls.nullCount == 0 || !column.nulls.isNull(row) {
                range.add(value)
                bits[row] = value.bitPattern.littleEndian
            }
            bits.withUnsafeBytes { body.append(contentsOf: $0) }
            info.min = range.min.map { .double(Double($0)) }
            info.max = range.max.map { .double(Double($0)) }
        case .doubleRaw:
            var range = FloatRange<Double>()
            var bits = [UInt64](repeating: 0, count: rowCount)
            for (row, value) in column.doubles.enumerated() where column.nulls.nullCount == 0 || !column.nulls.isNull(row) {
                range.add(value)
                bits[row] = value.bitPattern.littleEndian
            }
            bits.withUnsafeBytes { body.append(contentsOf: $0) }
            info.min = range.min.map(ScalarValue.double)
            info.max = range.max.map(ScalarValue.double)
        case .blockedLong:
            blockEncodings = BlockedColumnEncoder.encodeLongs(
                column.longs, nulls: column.nulls, rowsPerBlock: rowsPerBlock, deflatedChoice: name == SegmentLayout.timeColumn,
                into: &body)
            if let (lo, hi) = longRange(column.longs, nulls: column.nulls) {
                info.min = .long(lo)
                info.max = .long(hi)
            }
        case .blockedFloat:
            blockEncodings = BlockedColumnEncoder.encodeFloats(
                column.floats, nulls: column.nulls, rowsPerBlock: rowsPerBlock, into: &body)
            var range = FloatRange<Float>()
            for (row, value) in column.floats.enumerated() where column.nulls.nullCount == 0 || !column.nulls.isNull(row) {
                range.add(value)
            }
            info.min = range.min.map { .double(Double($0)) }
            info.max = range.max.map { .double(Double($0)) }
        case .blockedDouble:
            blockEncodings = BlockedColumnEncoder.encodeDoubles(
                column.doubles, nulls: column.nulls, rowsPerBlock: rowsPerBlock, into: &body)
            var range = FloatRange<Double>()
            for (row, value) in column.doubles.enumerated() where column.nulls.nullCount == 0 || !column.nulls.isNull(row) {
                range.add(value)
            }
            info.min = range.min.map(ScalarValue.double)
            info.max = range.max.map(ScalarValue.double)
        case .stringDictionary, .stringIndexed:
            let sorted = sortedDictionary ?? column.strings.sortedDictionary()
            encodeStrings(column.strings, dictionary: sorted, writeDictionary: codec == .stringDictionary, into: &body, info: &info)
        case .multiStringDictionary, .multiStringIndexed:
            let sorted = sortedDictionary ?? column.strings.sortedDictionary()
            encodeMultiStrings(
                column.strings, dictionary: sorted, writeDictionary: codec == .multiStringDictionary, into: &body, info: &info)
        case .blockedStringIndexed:
            let sorted = sortedDictionary ?? column.strings.sortedDictionary()
            blockEncodings = encodeBlockedStrings(
                column.strings, dictionary: sorted, nulls: column.nulls, rowsPerBlock: rowsPerBlock, into: &body, info: &info)
        case .blockedMultiStringIndexed:
            let sorted = sortedDictionary ?? column.strings.sortedDictionary()
            blockEncodings = encodeBlockedMultiStrings(
                column.strings, dictionary: sorted, rowsPerBlock: rowsPerBlock, into: &body, info: &info)
        }

        var block = ByteSink(capacity: body.count + 24)
        var payload = body.bytes
        if !codec.isBlocked, let packed = BlockCompression.compressIfWorthwhile(body.bytes) {
            flags |= packed.flag
            payload = packed.bytes
        }
        block.append(codec.rawValue)
        block.append(flags)
        block.appendVarint(UInt64(rowCount))
        block.appendVarint(UInt64(body.count))
        block.append(contentsOf: payload)
        return EncodedColumn(block: block.bytes, info: info, blockEncodings: blockEncodings)
    }

    /// Smallest and largest non-NULL value; nil when there is none.
    private static func longRange(_ values: [Int64], nulls: NullBitmapBuilder) -> (Int64, Int64)? {
        var lo = Int64.max, hi = Int64.min, any = false
        if nulls.nullCount == 0 {
            guard !values.isEmpty else { return nil }
            values.withUnsafeBufferPointer { henge_i64_min_max($0.baseAddress!, $0.count, &lo, &hi) }
            any = true
        } else {
            for (row, v) in values.enumerated() where !nulls.isNull(row) {
                lo = Swift.min(lo, v)
                hi = Swift.max(hi, v)
                any = true
            }
        }
        return any ? (lo, hi) : nil
    }

    /// First value, then the deltas frame-of-reference bit-packed.
    private static func encodeTime(_ values: [Int64], into body: inout ByteSink, info: inout SegmentColumnInfo) {
        guard let first = values.first else { return }
        body.appendZigzag(first)
        info.min = .long(values.min()!)
        info.max = .long(values.max()!)
        guard values.count > 1 else { return }
        var minDelta = Int64.max
        var maxDelta = Int64.min
        for i in 1..<values.count {
            let d = values[i] &- values[i - 1]
            minDelta = Swift.min(minDelta, d)
            maxDelta = Swift.max(maxDelta, d)
        }
        let width = BitPacking.width(forMax: UInt64(bitPattern: maxDelta &- minDelta))
        body.appendZigzag(minDelta)
        body.append(UInt8(width))
        BitPacking.pack(count: values.count - 1, width: width, into: &body) { i in
            UInt64(bitPattern: (values[i + 1] &- values[i]) &- minDelta)
        }
    }

    /// Minimum of the non-NULL values, then each value's offset from it bit-packed.
    private static func encodeLongs(
        _ values: [Int64], nulls: NullBitmapBuilder, into body: inout ByteSink, info: inout SegmentColumnInfo
    ) {
        guard !values.isEmpty else { return }
        var lo = Int64.max
        var hi = Int64.min
        var any = false
        for (row, v) in values.enumerated() where nulls.nullCount == 0 || !nulls.isNull(row) {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
            any = true
        }
        if !any { lo = 0; hi = 0 }
        if any {
            info.min = .long(lo)
            info.max = .long(hi)
        }
        let width = BitPacking.width(forMax: UInt64(bitPattern: hi &- lo))
        body.appendZigzag(lo)
        body.append(UInt8(width))
        let base = lo
        BitPacking.pack(count: values.count, width: width, into: &body) { row in
            nulls.nullCount > 0 && nulls.isNull(row) ? 0 : UInt64(bitPattern: values[row] &- base)
        }
    }

    /// Sorted dictionary, then ids in that order bit-packed.
    private static func encodeStrings(
        _ strings: StringInterner, dictionary: (values: StringDictionary, rank: [Int32]), writeDictionary: Bool, into body: inout ByteSink,
        info: inout SegmentColumnInfo
    ) {
        let ids = strings.singleValuedIDs()
        guard let rank = encodeDictionary(dictionary, rowCount: ids.count, write: writeDictionary, into: &body, info: &info)
        else { return }
        let width = BitPacking.width(forMax: UInt64(Swift.max(rank.count - 1, 0)))
        body.append(UInt8(width))
        BitPacking.pack(count: ids.count, width: width, into: &body) { row in
            let id = ids[row]
            return id < 0 ? 0 : UInt64(rank[Int(id)])
        }
    }

    /// Every row's dictionary rank as blocks of integers (NULL rows carry
    /// their neighbour's rank and read back as 0).
    private static func encodeBlockedStrings(
        _ strings: StringInterner, dictionary: (values: StringDictionary, rank: [Int32]), nulls: NullBitmapBuilder,
        rowsPerBlock: Int, into body: inout ByteSink, info: inout SegmentColumnInfo
    ) -> [String: Int]? {
        let ids = strings.singleValuedIDs()
        guard let rank = encodeDictionary(dictionary, rowCount: ids.count, write: false, into: &body, info: &info)
        else { return nil }
        let ranks = ids.map { $0 < 0 ? 0 : Int64(rank[Int($0)]) }
        return BlockedColumnEncoder.encodeLongs(ranks, nulls: nulls, rowsPerBlock: rowsPerBlock, into: &body)
    }

    /// Per-row value counts, then every row's ranks sorted within the row,
    /// each as blocks of integers.
    private static func encodeBlockedMultiStrings(
        _ strings: StringInterner, dictionary: (values: StringDictionary, rank: [Int32]), rowsPerBlock: Int,
        into body: inout ByteSink, info: inout SegmentColumnInfo
    ) -> [String: Int]? {
        let counts = strings.rowValueCounts ?? []
        guard let rank = encodeDictionary(dictionary, rowCount: counts.count, write: false, into: &body, info: &info)
        else { return nil }
        var ranks = strings.ids.map { Int64(rank[Int($0)]) }
        var start = 0
        for c in counts {
            let end = start + Int(c)
            if c > 1 { ranks[start..<end].sort() }
            start = end
        }
        var encodings = BlockedColumnEncoder.encodeLongs(
            counts.map { Int64($0) }, nulls: NullBitmapBuilder(), rowsPerBlock: rowsPerBlock, into: &body)
        encodings.merge(
            BlockedColumnEncoder.encodeLongs(ranks, nulls: NullBitmapBuilder(), rowsPerBlock: rowsPerBlock, into: &body),
            uniquingKeysWith: +)
        return encodings
    }

    /// Sorted dictionary, per-row value counts bit-packed, then every row's
    /// ids sorted within the row (Druid's `SORTED_ARRAY`: duplicates kept).
    private static func encodeMultiStrings(
        _ strings: StringInterner, dictionary: (values: StringDictionary, rank: [Int32]), writeDictionary: Bool, into body: inout ByteSink,
        info: inout SegmentColumnInfo
    ) {
        let counts = strings.rowValueCounts ?? []
        guard let rank = encodeDictionary(dictionary, rowCount: counts.count, write: writeDictionary, into: &body, info: &info)
        else { return }
        let countWidth = BitPacking.width(forMax: UInt64(counts.max() ?? 0))
        body.append(UInt8(countWidth))
        BitPacking.pack(count: counts.count, width: countWidth, into: &body) { UInt64(counts[$0]) }
        var sorted = strings.ids.map { rank[Int($0)] }
        var start = 0
        for c in counts {
            let end = start + Int(c)
            if c > 1 { sorted[start..<end].sort() }
            start = end
        }
        let width = BitPacking.width(forMax: UInt64(Swift.max(rank.count - 1, 0)))
        body.append(UInt8(width))
        BitPacking.pack(count: sorted.count, width: width, into: &body) { UInt64(sorted[$0]) }
    }

    /// Writes the sorted dictionary (unless it lives in the bitmap index) and
    /// records its statistics; returns each first-seen id's rank, or nil when
    /// the column has no rows.
    private static func encodeDictionary(
        _ sorted: (values: StringDictionary, rank: [Int32]), rowCount: Int, write: Bool, into body: inout ByteSink,
        info: inout SegmentColumnInfo
    ) -> [Int32]? {
        let (dictionary, rank) = sorted
        info.cardinality = dictionary.count
        if let first = dictionary.first, let last = dictionary.last {
            info.min = .string(first)
            info.max = .string(last)
        }
        guard rowCount > 0 else { return nil }
        guard write else { return rank }
        body.appendVarint(UInt64(dictionary.count))
        dictionary.bytes.withUnsafeBufferPointer { all in
            for i in 0..<dictionary.count {
                let start = dictionary.offsets[i], end = dictionary.offsets[i + 1]
                body.appendVarint(UInt64(end - start))
                body.append(contentsOf: UnsafeBufferPointer(rebasing: all[start..<end]))
            }
        }
        return rank
    }
}

/// One column's block and what the footer records about it.
struct EncodedColumn {
    /// The block bytes, without the CRC.
    var block: [UInt8]
    var info: SegmentColumnInfo
    /// Blocked codecs: how many blocks use each per-block encoding.
    var blockEncodings: [String: Int]?
}

/// Running min/max of floating-point values, ignoring NaN.
private struct FloatRange<T: BinaryFloatingPoint> {
    var min: T?
    var max: T?

    mutating func add(_ v: T) {
        guard !v.isNaN else { return }
        if min.map({ v < $0 }) ?? true { min = v }
        if max.map({ v > $0 }) ?? true { max = v }
    }
}
