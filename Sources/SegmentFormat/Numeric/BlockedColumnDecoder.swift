/// Reads columns written by `BlockedColumnEncoder`. Every block's CRC is
/// checked before it is decoded.
///
/// Given `rows` (ascending, distinct, below `rowCount`), a decoder returns
/// only those rows' values, in that order, and skips — without inflating or
/// checking — every block that holds none of them.
enum BlockedColumnDecoder {
    static func decodeLongs(_ cursor: inout ByteCursor, rowCount: Int, rows: [Int]? = nil) throws(SegmentCorruption) -> [Int64] {
        try decodeBlocks(&cursor, rowCount: rowCount, rows: rows) { (encodingByte, count, block, out) throws(SegmentCorruption) in
            guard let encoding = IntegerEncoding(rawValue: encodingByte) else {
                throw SegmentCorruption("unknown block encoding \(encodingByte)")
            }
            try IntegerBlockDecoder.decode(&block, as: encoding, count: count, into: &out)
        }
    }

    static func decodeDoubles(_ cursor: inout ByteCursor, rowCount: Int, rows: [Int]? = nil) throws(SegmentCorruption) -> [Double] {
        var ints: [Int64] = []
        return try decodeBlocks(&cursor, rowCount: rowCount, rows: rows) { (encodingByte, count, block, out) throws(SegmentCorruption) in
            switch try floatingForm(encodingByte) {
            case .raw:
                let raw = try block.read(count: count * 8)
                for i in 0..<count {
                    out.append(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            case .bits(let encoding):
                ints.removeAll(keepingCapacity: true)
                try IntegerBlockDecoder.decode(&block, as: encoding, count: count, into: &ints)
                for v in ints { out.append(Double(bitPattern: UInt64(bitPattern: v))) }
            case .integral(let encoding):
                ints.removeAll(keepingCapacity: true)
                try IntegerBlockDecoder.decode(&block, as: encoding, count: count, into: &ints)
                for v in ints { out.append(Double(v)) }
            }
        }
    }

    static func decodeFloats(_ cursor: inout ByteCursor, rowCount: Int, rows: [Int]? = nil) throws(SegmentCorruption) -> [Float] {
        var ints: [Int64] = []
        return try decodeBlocks(&cursor, rowCount: rowCount, rows: rows) { (encodingByte, count, block, out) throws(SegmentCorruption) in
            switch try floatingForm(encodingByte) {
            case .raw:
                let raw = try block.read(count: count * 4)
                for i in 0..<count {
                    out.append(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                }
            case .bits(let encoding):
                ints.removeAll(keepingCapacity: true)
                try IntegerBlockDecoder.decode(&block, as: encoding, count: count, into: &ints)
                for v in ints { out.append(Float(bitPattern: UInt32(truncatingIfNeeded: v))) }
            case .integral(let encoding):
                ints.removeAll(keepingCapacity: true)
                try IntegerBlockDecoder.decode(&block, as: encoding, count: count, into: &ints)
                for v in ints { out.append(Float(v)) }
            }
        }
    }

    /// Every block's values (or those of `rows`), each block decoded by
    /// `decodeBlock`, which appends the block's `count` values.
    private static func decodeBlocks<T>(
        _ cursor: inout ByteCursor, rowCount: Int, rows: [Int]?,
        _ decodeBlock: (UInt8, Int, inout ByteCursor, inout [T]) throws(SegmentCorruption) -> Void
    ) throws(SegmentCorruption) -> [T] {
        var out: [T] = []
        // A count read from the file (multi-value totals) reserves only what blocks can plausibly hold.
        out.reserveCapacity(min(rows?.count ?? rowCount, 1 << 24))
        var scratch: [T] = []
        try forEachBlock(&cursor, rowCount: rowCount, rows: rows) { (encodingByte, count, block, start, picks) throws(SegmentCorruption) in
            guard let picks else { return try decodeBlock(encodingByte, count, &block, &out) }
            scratch.removeAll(keepingCapacity: true)
            try decodeBlock(encodingByte, count, &block, &scratch)
            for row in picks { out.append(scratch[row - start]) }
        }
        return out
    }

    private enum Form {
        case raw
        case bits(IntegerEncoding)
        case integral(IntegerEncoding)
    }

    private static func floatingForm(_ byte: UInt8) throws(SegmentCorruption) -> Form {
        let form = BlockedColumnEncoder.FloatingForm(rawValue: byte & 0xF0)
        let encoding = IntegerEncoding(rawValue: byte & 0x0F)
        switch (form, encoding) {
        case (.raw, .constant?): return .raw  // low nibble 0
        case (.bits, let e?): return .bits(e)
        case (.integral, let e?): return .integral(e)
        default: throw SegmentCorruption("unknown block encoding \(byte)")
        }
    }

    /// Walks the block frames, checking each CRC and inflating compressed
    /// blocks; `decode(encoding, count, block, firstRow, picks)` must consume
    /// its block's bytes exactly. With `rows`, `picks` are the rows of
    /// `rows` in the block, and blocks with none are skipped unread.
    private static func forEachBlock(
        _ cursor: inout ByteCursor, rowCount: Int, rows: [Int]?,
        _ decode: (UInt8, Int, inout ByteCursor, Int, ArraySlice<Int>?) throws(SegmentCorruption) -> Void
    ) throws(SegmentCorruption) {
        let rowsPerBlock = try cursor.readCount(limit: Int(Int32.max), what: "rows per block")
        guard rowsPerBlock > 0 else { throw SegmentCorruption("rows per block is 0") }
        var start = 0
        var nextPick = 0
        while start < rowCount {
            let count = min(rowsPerBlock, rowCount - start)
            var picks: ArraySlice<Int>? = nil
            if let rows {
                let first = nextPick
                while nextPick < rows.count && rows[nextPick] < start + count { nextPick += 1 }
                picks = rows[first..<nextPick]
            }
            let frameStart = cursor.position
            let encoding = try cursor.readByte()
            let flags = try cursor.readByte()
            guard flags & ~BlockFlags.compressed == 0, flags != BlockFlags.compressed else { throw SegmentCorruption("unknown block flags \(flags)") }
            // A block holds at most 8 bytes per row plus small headers.
            let rawLength = try cursor.readCount(limit: count * 9 + 64, what: "block length")
            let storedLength = try cursor.readCount(limit: cursor.remaining, what: "stored block length")
            let stored = try cursor.read(count: storedLength)
            let framed = UnsafeRawBufferPointer(rebasing: cursor.bytes[frameStart..<cursor.position])
            let crc = try cursor.readUInt32LE()
            defer { start += count }
            if let picks, picks.isEmpty { continue }
            guard CRC32.checksum(framed) == crc else {
                throw SegmentCorruption("checksum mismatch in block \(start / rowsPerBlock)")
            }
            if flags & BlockFlags.compressed != 0 {
                let inflated = try BlockCompression.decompress(stored, flags: flags, expectedCount: rawLength)
                let result = inflated.withUnsafeBytes { bytes in
                    Result { () throws(SegmentCorruption) in
                        var block = ByteCursor(bytes)
                        try decode(encoding, count, &block, start, picks)
                        guard block.isAtEnd else { throw SegmentCorruption("trailing bytes in block \(start / rowsPerBlock)") }
                    }
                }
                try result.get()
            } else {
                guard rawLength == storedLength else { throw SegmentCorruption("block length mismatch") }
                var block = ByteCursor(stored)
                try decode(encoding, count, &block, start, picks)
                guard block.isAtEnd else { throw SegmentCorruption("trailing bytes in block \(start / rowsPerBlock)") }
            }
        }
    }
}
