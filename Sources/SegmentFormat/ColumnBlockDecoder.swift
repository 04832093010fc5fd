internal import DataModel

/// Decodes one column block (see `SegmentFormatModule`) back into a `ColumnVector`.
///
/// NULL rows come back as 0 (numbers) or id 0 (strings), as `ColumnBuilder`
/// produces them. Any inconsistency throws `SegmentCorruption`.
enum ColumnBlockDecoder {
    /// - Parameters:
    ///   - dictionary: for the `…Indexed` string codecs, the dictionary read
    ///     from the column's bitmap index.
    ///   - rows: only these rows (ascending, distinct, below `rowCount`), in
    ///     that order; blocked codecs then decode only the blocks holding them.
    static func decode(
        _ block: UnsafeRawBufferPointer, column: FooterColumn, rowCount: Int, dictionary: StringDictionary? = nil,
        rows: [Int]? = nil
    ) throws(SegmentCorruption) -> ColumnVector {
        var cursor = ByteCursor(block)
        guard try cursor.readByte() == column.codec.rawValue else { throw SegmentCorruption("unexpected codec") }
        let flags = try cursor.readByte()
        guard flags & ~BlockFlags.known == 0 else { throw SegmentCorruption("unknown block flags \(flags)") }
        guard try cursor.readVarint() == UInt64(rowCount) else { throw SegmentCorruption("row count mismatch") }
        // A body holds at most 8 bytes per row, plus dictionary bytes that must fit in the file. Once
        // inflated there is no such bound (zstd inflates runs without limit): the size is only kept from
        // overflowing — the caller checked the block's CRC, and inflating checks the exact size.
        let stored = block.count + 64
        guard flags & BlockFlags.compressed != BlockFlags.compressed else { throw SegmentCorruption("unknown block flags \(flags)") }
        let limit = flags & BlockFlags.compressed != 0 ? Int.max >> 8 : rowCount * 9 + stored
        let bodyLength = try cursor.readCount(limit: limit, what: "body length")
        if flags & BlockFlags.compressed != 0 {
            let inflated = try BlockCompression.decompress(try cursor.read(count: cursor.remaining), flags: flags, expectedCount: bodyLength)
            let result = inflated.withUnsafeBytes { body in
                Result { () throws(SegmentCorruption) in
                    try decodeBody(body, flags: flags, column: column, rowCount: rowCount, dictionary: dictionary, rows: rows)
                }
            }
            return try result.get()
        }
        let body = try cursor.read(count: bodyLength)
        guard cursor.isAtEnd else { throw SegmentCorruption("trailing bytes after block body") }
        return try decodeBody(body, flags: flags, column: column, rowCount: rowCount, dictionary: dictionary, rows: rows)
    }

    private static func decodeBody(
        _ body: UnsafeRawBufferPointer, flags: UInt8, column: FooterColumn, rowCount: Int, dictionary: StringDictionary?,
        rows: [Int]?
    ) throws(SegmentCorruption) -> ColumnVector {
        if column.codec.readsIndexDictionary && dictionary == nil {
            throw SegmentCorruption("column has no dictionary in its bitmap index")
        }
        var cursor = ByteCursor(body)
        var nulls: NullMask? = nil
        if flags & BlockFlags.hasNulls != 0 {
            let mask = NullBitmapBuilder.decode(try cursor.read(count: (rowCount + 7) / 8), rowCount: rowCount)
            guard mask.nullCount > 0 else { throw SegmentCorruption("NULL bitmap flagged but empty") }
            nulls = mask
        }
        guard (nulls?.nullCount ?? 0) == column.info.nullCount else {
            throw SegmentCorruption("NULL count disagrees with the footer")
        }
        // Blocked codecs decode only the selected rows' blocks; the others decode whole and are gathered.
        let selective = rows != nil && column.codec.isBlocked
        let picked = selective ? rows : nil
        let pickedNulls = selective ? rows.flatMap { rows in nulls?.gather(rows) } : nulls
        let data: ColumnData
        switch column.codec {
        case .timeDelta: data = .long(try decodeTime(&cursor, rowCount: rowCount))
        case .longFOR: data = .long(try decodeLongs(&cursor, rowCount: rowCount, nulls: nulls))
        case .floatRaw:
            var values = [Float](repeating: 0, count: rowCount)
            let raw = try cursor.read(count: rowCount * 4)
            values.withUnsafeMutableBytes { $0.copyMemory(from: raw) }
            #if _endian(big)
            for i in values.indices { values[i] = Float(bitPattern: UInt32(littleEndian: values[i].bitPattern)) }
            #endif
            data = .float(values)
        case .doubleRaw:
            var values = [Double](repeating: 0, count: rowCount)
            let raw = try cursor.read(count: rowCount * 8)
            values.withUnsafeMutableBytes { $0.copyMemory(from: raw) }
            #if _endian(big)
            for i in values.indices { values[i] = Double(bitPattern: UInt64(littleEndian: values[i].bitPattern)) }
            #endif
            data = .double(values)
        case .blockedLong:
            var values = try BlockedColumnDecoder.decodeLongs(&cursor, rowCount: rowCount, rows: picked)
            zeroNulls(&values, pickedNulls)
            data = .long(values)
        case .blockedFloat:
            var values = try BlockedColumnDecoder.decodeFloats(&cursor, rowCount: rowCount, rows: picked)
            zeroNulls(&values, pickedNulls)
            data = .float(values)
        case .blockedDouble:
            var values = try BlockedColumnDecoder.decodeDoubles(&cursor, rowCount: rowCount, rows: picked)
            zeroNulls(&values, pickedNulls)
            data = .double(values)
        case .stringDictionary, .stringIndexed:
            data = .string(try decodeStrings(&cursor, rowCount: rowCount, nulls: nulls, dictionary: dictionary))
        case .multiStringDictionary, .multiStringIndexed:
            data = .multiString(try decodeMultiStrings(&cursor, rowCount: rowCount, nulls: nulls, dictionary: dictionary))
        case .blockedStringIndexed:
            data = .string(try decodeBlockedStrings(
                &cursor, rowCount: rowCount, rows: picked, nulls: pickedNulls, dictionary: dictionary ?? []))
        case .blockedMultiStringIndexed:
            data = .multiString(try decodeBlockedMultiStrings(
                &cursor, rowCount: rowCount, rows: picked, nulls: nulls, dictionary: dictionary ?? []))
        }
        guard cursor.isAtEnd else { throw SegmentCorruption("trailing bytes after column data") }
        if selective { return ColumnVector(data, nulls: pickedNulls) }
        let vector = ColumnVector(data, nulls: nulls)
        return rows.map { vector.gather($0) } ?? vector
    }

    /// NULL rows read as 0, as the first version's codecs give them.
    private static func zeroNulls<T: Numeric>(_ values: inout [T], _ nulls: NullMask?) {
        guard let nulls else { return }
        for (w, word) in nulls.words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                let row = w << 6 + bits.trailingZeroBitCount
                if row < values.count { values[row] = 0 }
                bits &= bits - 1
            }
        }
    }

    private static func readWidth(_ cursor: inout ByteCursor, max: Int) throws(SegmentCorruption) -> Int {
        let width = Int(try cursor.readByte())
        guard width <= max else { throw SegmentCorruption("bit width \(width) exceeds \(max)") }
        return width
    }

    /// Unpacks `count` values, or yields `count` zeros for width 0.
    private static func readPacked<T>(
        _ cursor: inout ByteCursor, count: Int, width: Int, zero: T, _ transform: (UInt64) -> T
    ) throws(SegmentCorruption) -> [T] {
        guard width > 0 else { return [T](repeating: zero, count: count) }
        let packed = try cursor.read(count: BitPacking.byteCount(count: count, width: width))
        var out: [T] = []
        BitPacking.unpack(packed, count: count, width: width, into: &out, transform)
        return out
    }

    private static func decodeTime(_ cursor: inout ByteCursor, rowCount: Int) throws(SegmentCorruption) -> [Int64] {
        guard rowCount > 0 else { return [] }
        var values = [try cursor.readZigzag()]
        guard rowCount > 1 else { return values }
        let minDelta = try cursor.readZigzag()
        let width = try readWidth(&cursor, max: 64)
        let deltas = try readPacked(&cursor, count: rowCount - 1, width: width, zero: UInt64(0)) { $0 }
        values.reserveCapacity(rowCount)
        var previous = values[0]
        for packed in deltas {
            previous = previous &+ (minDelta &+ Int64(bitPattern: packed))
            values.append(previous)
        }
        return values
    }

    private static func decodeLongs(
        _ cursor: inout ByteCursor, rowCount: Int, nulls: NullMask?
    ) throws(SegmentCorruption) -> [Int64] {
        guard rowCount > 0 else { return [] }
        let base = try cursor.readZigzag()
        let width = try readWidth(&cursor, max: 64)
        var values = try readPacked(&cursor, count: rowCount, width: width, zero: base) { base &+ Int64(bitPattern: $0) }
        if let nulls {
            for row in 0..<rowCount where nulls.isNull(row) { values[row] = 0 }
        }
        return values
    }

    /// Ids from blocks of integers, each checked against the dictionary;
    /// NULL rows read as id 0.
    /// With `rows`, only those rows (and `nulls` is theirs).
    private static func decodeBlockedStrings(
        _ cursor: inout ByteCursor, rowCount: Int, rows: [Int]?, nulls: NullMask?, dictionary: StringDictionary
    ) throws(SegmentCorruption) -> StringColumn {
        guard rowCount > 0 else { return StringColumn() }
        let ranks = try BlockedColumnDecoder.decodeLongs(&cursor, rowCount: rowCount, rows: rows)
        let count = ranks.count
        guard count > 0, (nulls?.nullCount ?? 0) < count else {
            return StringColumn(ids: [Int32](repeating: 0, count: count), dictionary: dictionary)
        }
        // NULL rows carry a neighbour's rank, so every rank must be in the dictionary.
        var lo = Int64.max, hi = Int64.min
        for rank in ranks {
            lo = min(lo, rank)
            hi = max(hi, rank)
        }
        guard lo >= 0 && hi < Int64(dictionary.count) else {
            throw SegmentCorruption("string id \(lo < 0 ? lo : hi) is outside the dictionary of \(dictionary.count)")
        }
        var ids = ranks.map { Int32(truncatingIfNeeded: $0) }
        if let nulls { zeroNulls(&ids, nulls) }
        return StringColumn(ids: ids, dictionary: dictionary)
    }

    /// With `rows`, only those rows: every count is read (they place the
    /// ids), then only the id blocks holding the selected rows' values.
    private static func decodeBlockedMultiStrings(
        _ cursor: inout ByteCursor, rowCount: Int, rows: [Int]?, nulls: NullMask?, dictionary: StringDictionary
    ) throws(SegmentCorruption) -> MultiStringColumn {
        guard rowCount > 0 else { return MultiStringColumn() }
        let counts = try BlockedColumnDecoder.decodeLongs(&cursor, rowCount: rowCount)
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(rowCount + 1)
        var total = 0
        for (row, c) in counts.enumerated() {
            guard c >= 0 && c <= Int64(Int32.max) else { throw SegmentCorruption("multi-value count \(c) is malformed") }
            // A row is NULL exactly when it holds no values.
            guard (c == 0) == (nulls?.isNull(row) ?? false) else {
                throw SegmentCorruption("multi-value row \(row) disagrees with the NULL bitmap")
            }
            total += Int(c)
            guard total <= Int(Int32.max) else { throw SegmentCorruption("multi-value counts exceed the offsets' range") }
            offsets.append(Int32(total))
        }
        var positions: [Int]? = nil
        if let rows {
            // The selected rows' values, in order, and their offsets among them.
            var picked: [Int] = []
            var pickedOffsets: [Int32] = [0]
            pickedOffsets.reserveCapacity(rows.count + 1)
            for row in rows {
                picked.append(contentsOf: Int(offsets[row])..<Int(offsets[row + 1]))
                pickedOffsets.append(Int32(picked.count))
            }
            positions = picked
            offsets = pickedOffsets
        }
        let ranks = try BlockedColumnDecoder.decodeLongs(&cursor, rowCount: total, rows: positions)
        let cardinality = Int64(dictionary.count)
        var ids = [Int32]()
        ids.reserveCapacity(ranks.count)
        for rank in ranks {
            guard rank >= 0 && rank < cardinality else {
                throw SegmentCorruption("string id \(rank) is outside the dictionary of \(cardinality)")
            }
            ids.append(Int32(truncatingIfNeeded: rank))
        }
        return MultiStringColumn(offsets: offsets, ids: ids, dictionary: dictionary)
    }

    private static func decodeMultiStrings(
        _ cursor: inout ByteCursor, rowCount: Int, nulls: NullMask?, dictionary given: StringDictionary?
    ) throws(SegmentCorruption) -> MultiStringColumn {
        guard rowCount > 0 else { return MultiStringColumn() }
        let dictionary: StringDictionary
        if let given { dictionary = given } else { dictionary = try decodeDictionary(&cursor) }
        let countWidth = try readWidth(&cursor, max: 32)
        let counts = try readPacked(&cursor, count: rowCount, width: countWidth, zero: 0) { Int($0) }
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(rowCount + 1)
        var total = 0
        for (row, c) in counts.enumerated() {
            // A row is NULL exactly when it holds no values.
            guard (c == 0) == (nulls?.isNull(row) ?? false) else {
                throw SegmentCorruption("multi-value row \(row) disagrees with the NULL bitmap")
            }
            total += c
            guard total <= cursor.remaining * 8 else { throw SegmentCorruption("multi-value counts exceed the block") }
            offsets.append(Int32(total))
        }
        let width = try readWidth(&cursor, max: 32)
        guard width == BitPacking.width(forMax: UInt64(max(dictionary.count - 1, 0))) else {
            throw SegmentCorruption("id width does not match the dictionary size")
        }
        let ids = try readPacked(&cursor, count: total, width: width, zero: Int32(0)) { Int32(truncatingIfNeeded: $0) }
        for id in ids where Int(id) >= dictionary.count {
            throw SegmentCorruption("string id \(id) is outside the dictionary of \(dictionary.count)")
        }
        return MultiStringColumn(offsets: offsets, ids: ids, dictionary: dictionary)
    }

    /// A strictly sorted, valid UTF-8 dictionary.
    private static func decodeDictionary(_ cursor: inout ByteCursor) throws(SegmentCorruption) -> StringDictionary {
        // Every entry takes at least its one-byte length prefix.
        let cardinality = try cursor.readCount(limit: cursor.remaining, what: "dictionary size")
        var dictionary = StringDictionary()
        dictionary.reserveCapacity(entries: cardinality, bytes: cursor.remaining)
        var previous: UnsafeRawBufferPointer? = nil
        for _ in 0..<cardinality {
            let length = try cursor.readCount(limit: cursor.remaining, what: "string length")
            let bytes = try cursor.read(count: length)
            if let previous, !previous.lexicographicallyPrecedes(bytes) {
                throw SegmentCorruption("dictionary is not strictly sorted")
            }
            let utf8 = bytes.assumingMemoryBound(to: UInt8.self)
            guard UTF8Check.isValid(utf8) else { throw SegmentCorruption("dictionary holds invalid UTF-8") }
            dictionary.append(validUTF8: utf8)
            previous = bytes
        }
        return dictionary
    }

    private static func decodeStrings(
        _ cursor: inout ByteCursor, rowCount: Int, nulls: NullMask?, dictionary given: StringDictionary?
    ) throws(SegmentCorruption) -> StringColumn {
        guard rowCount > 0 else { return StringColumn() }
        let dictionary: StringDictionary
        if let given { dictionary = given } else { dictionary = try decodeDictionary(&cursor) }
        let cardinality = dictionary.count
        let width = try readWidth(&cursor, max: 32)
        guard width == BitPacking.width(forMax: UInt64(max(cardinality - 1, 0))) else {
            throw SegmentCorruption("id width does not match the dictionary size")
        }
        let ids = try readPacked(&cursor, count: rowCount, width: width, zero: Int32(0)) { Int32(truncatingIfNeeded: $0) }
        for (row, id) in ids.enumerated() {
            if let nulls, nulls.isNull(row) {
                guard id == 0 else { throw SegmentCorruption("NULL row has a non-zero id") }
            } else if Int(id) >= cardinality {
                throw SegmentCorruption("string id \(id) is outside the dictionary of \(cardinality)")
            }
        }
        return StringColumn(ids: ids, dictionary: dictionary)
    }
}
