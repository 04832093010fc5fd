internal import CKernels
package import DataModel

/// The serialized form of one `Batch` inside a sorted-run file: columnar,
/// built for speed rather than size (run files are temporary and read back
/// once or twice). LONG values are stored as their difference from the
/// frame's minimum in the fewest whole bytes that hold every difference:
/// the years, delays and minutes of real data take 1 or 2 bytes, not 8, so
/// a spill writes and reads back about a third of the bytes.
///
/// ```
/// frame    varint rowCount | varint columnCount | column...
/// column   u8 kind | u8 flags (bit 0: NULL bitmap follows) | [ceil(rows/8) bytes NULL bitmap] | payload
/// kind 1   LONG     u8 width (0, 1, 2, 4 or 8) | 8 bytes minimum (little-endian two's complement)
///                   | rows × width bytes value − minimum (little-endian, unsigned; width 0: all equal)
/// kind 2   FLOAT    rows × 4 bytes (IEEE-754)
/// kind 3   DOUBLE   rows × 8 bytes (IEEE-754)
/// kind 4   STRING   dictionary | u8 idWidth (1, 2 or 4) | rows × idWidth ids
/// kind 5   multi-value STRING  dictionary | (rows + 1) × u32 offsets | u8 idWidth | offsets[rows] × idWidth ids
/// dictionary  varint count | count × varint byteLength | the entries' UTF-8 bytes, end to end
/// ```
///
/// NULL rows hold 0 (numbers, ids) or no values (multi-value). The
/// dictionary is written as the batch holds it; callers that gather rows
/// from bigger batches (`BatchGather`) already keep only used entries.
package enum FrameEncoder {
    /// Appends the frame of `batch` to `out`.
    package static func encode(_ batch: Batch, into out: inout [UInt8]) {
        appendHeader(rows: batch.rowCount, columns: batch.columns.count, into: &out)
        for column in batch.columns { appendColumn(column, rows: batch.rowCount, into: &out) }
    }

    /// Starts a frame of `rows` rows and `columns` columns; the columns follow in signature order.
    package static func appendHeader(rows: Int, columns: Int, into out: inout [UInt8]) {
        appendVarint(UInt64(rows), to: &out)
        appendVarint(UInt64(columns), to: &out)
    }

    /// Appends one column of a frame of `rows` rows.
    package static func appendColumn(_ column: ColumnVector, rows n: Int, into out: inout [UInt8]) {
        switch column.data {
        case .long(let v):
            v.withUnsafeBufferPointer { appendLongColumn($0, nulls: column.nulls, into: &out) }
        case .float(let v):
            appendKind(2, nulls: column.nulls, rows: n, into: &out)
            v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .double(let v):
            appendKind(3, nulls: column.nulls, rows: n, into: &out)
            v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .string(let s):
            appendKind(4, nulls: column.nulls, rows: n, into: &out)
            appendDictionary(s.dictionary, to: &out)
            appendIDs(s.ids, dictionaryCount: s.dictionary.count, to: &out)
        case .multiString(let m):
            appendKind(5, nulls: column.nulls, rows: n, into: &out)
            appendDictionary(m.dictionary, to: &out)
            m.offsets.withUnsafeBytes { out.append(contentsOf: $0) }
            appendIDs(m.ids, dictionaryCount: m.dictionary.count, to: &out)
        }
    }

    /// Appends a LONG column (kind 1) holding `values`, one per row.
    package static func appendLongColumn(_ values: UnsafeBufferPointer<Int64>, nulls: NullMask?, into out: inout [UInt8]) {
        appendKind(1, nulls: nulls, rows: values.count, into: &out)
        var lo: Int64 = 0, hi: Int64 = 0
        if let base = values.baseAddress, !values.isEmpty { henge_i64_min_max(base, values.count, &lo, &hi) }
        let range = UInt64(bitPattern: hi &- lo)
        let width = range == 0 ? 0 : range <= 0xFF ? 1 : range <= 0xFFFF ? 2 : range <= 0xFFFF_FFFF ? 4 : 8
        out.append(UInt8(width))
        withUnsafeBytes(of: lo.littleEndian) { out.append(contentsOf: $0) }
        guard width > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: values.count * width) { narrow in
            let raw = UnsafeMutableRawPointer(narrow.baseAddress!)
            switch width {
            case 1: for (i, v) in values.enumerated() { narrow[i] = UInt8(truncatingIfNeeded: v &- lo) }
            case 2:
                for (i, v) in values.enumerated() {
                    raw.storeBytes(of: UInt16(truncatingIfNeeded: v &- lo).littleEndian, toByteOffset: 2 &* i, as: UInt16.self)
                }
            case 4:
                for (i, v) in values.enumerated() {
                    raw.storeBytes(of: UInt32(truncatingIfNeeded: v &- lo).littleEndian, toByteOffset: 4 &* i, as: UInt32.self)
                }
            default:
                for (i, v) in values.enumerated() { raw.storeBytes(of: (v &- lo).littleEndian, toByteOffset: 8 &* i, as: Int64.self) }
            }
            out.append(contentsOf: UnsafeBufferPointer(narrow))
        }
    }

    private static func appendKind(_ kind: UInt8, nulls: NullMask?, rows n: Int, into out: inout [UInt8]) {
        out.append(kind)
        if let nulls {
            out.append(1)
            nulls.words.withUnsafeBytes { out.append(contentsOf: $0.prefix((n + 7) / 8)) }
        } else {
            out.append(0)
        }
    }

    /// The entry lengths as varints, then all entry bytes in one piece.
    private static func appendDictionary(_ dictionary: StringDictionary, to out: inout [UInt8]) {
        appendVarint(UInt64(dictionary.count), to: &out)
        let offsets = dictionary.offsets
        for i in 0..<dictionary.count { appendVarint(UInt64(offsets[i + 1] - offsets[i]), to: &out) }
        out.append(contentsOf: dictionary.bytes)
    }

    private static func appendIDs(_ ids: [Int32], dictionaryCount: Int, to out: inout [UInt8]) {
        if dictionaryCount <= 256 {
            out.append(1)
            let narrow = ids.map { UInt8(truncatingIfNeeded: $0) }
            out.append(contentsOf: narrow)
        } else if dictionaryCount <= 65536 {
            out.append(2)
            let narrow = ids.map { UInt16(truncatingIfNeeded: $0).littleEndian }
            narrow.withUnsafeBytes { out.append(contentsOf: $0) }
        } else {
            out.append(4)
            ids.withUnsafeBytes { out.append(contentsOf: $0) }
        }
    }

    @inline(__always)
    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}

/// Reads frames written by `FrameEncoder` back into `Batch`es.
package enum FrameDecoder {
    /// The batch a frame holds; `signature` names and types its columns.
    /// Throws `defensive` (a bug or a damaged temp file) when the bytes do
    /// not form such a frame.
    package static func decode(_ bytes: UnsafeRawBufferPointer, signature: RowSignature) throws(HengeError) -> Batch {
        do {
            return try decodeFrame(bytes, signature: signature)
        } catch {
            throw HengeError.defensive("Corrupted run frame: \(error.reason)")
        }
    }

    static func decodeFrame(_ bytes: UnsafeRawBufferPointer, signature: RowSignature) throws(SegmentCorruption) -> Batch {
        var cursor = ByteCursor(bytes)
        // Not bounded by the frame's size: a LONG column whose values are all equal takes no bytes per row.
        let n = try cursor.readCount(limit: Int(Int32.max), what: "frame row count")
        let columnCount = try cursor.readCount(limit: 1 << 20, what: "frame column count")
        guard columnCount == signature.count else {
            throw SegmentCorruption("frame has \(columnCount) columns, the run's signature \(signature.count)")
        }
        var columns: [ColumnVector] = []
        columns.reserveCapacity(columnCount)
        for c in 0..<columnCount {
            let kind = try cursor.readByte()
            let flags = try cursor.readByte()
            var nulls: NullMask? = nil
            if flags & 1 != 0 { nulls = try readNulls(&cursor, rows: n) }
            let data: ColumnData
            switch kind {
            case 1: data = .long(try readLongs(&cursor, count: n))
            case 2: data = .float(try readRaw(&cursor, count: n, as: Float.self))
            case 3: data = .double(try readRaw(&cursor, count: n, as: Double.self))
            case 4:
                let dictionary = try readDictionary(&cursor)
                let ids = try readIDs(&cursor, count: n, dictionaryCount: dictionary.count)
                data = .string(StringColumn(ids: ids, dictionary: dictionary))
            case 5:
                let dictionary = try readDictionary(&cursor)
                let offsets = try readRaw(&cursor, count: n + 1, as: Int32.self)
                guard offsets.first == 0, let last = offsets.last, last >= 0,
                      zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                    throw SegmentCorruption("multi-value offsets are not ascending from 0")
                }
                let ids = try readIDs(&cursor, count: Int(last), dictionaryCount: dictionary.count)
                data = .multiString(MultiStringColumn(offsets: offsets, ids: ids, dictionary: dictionary))
            default:
                throw SegmentCorruption("unknown frame column kind \(kind)")
            }
            guard data.nativeType == signature[c].type else {
                throw SegmentCorruption("frame column \(c) holds \(data.nativeType), the run's signature \(signature[c].type)")
            }
            columns.append(ColumnVector(data, nulls: nulls))
        }
        guard cursor.isAtEnd else { throw SegmentCorruption("\(cursor.remaining) stray bytes after the frame") }
        return Batch(signature: signature, columns: columns, rowCount: n)
    }

    private static func readNulls(_ cursor: inout ByteCursor, rows: Int) throws(SegmentCorruption) -> NullMask {
        let raw = try cursor.read(count: (rows + 7) / 8)
        var words = [UInt64](repeating: 0, count: (rows + 63) >> 6)
        words.withUnsafeMutableBytes { $0.copyMemory(from: raw) }
        if rows & 63 != 0 { words[words.count - 1] &= (1 << UInt64(rows & 63)) - 1 }
        return NullMask(words: words, count: rows)
    }

    private static func readRaw<T: BitwiseCopyable>(_ cursor: inout ByteCursor, count: Int, as: T.Type) throws(SegmentCorruption) -> [T] {
        let raw = try cursor.read(count: count * MemoryLayout<T>.stride)
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            initialized = count
        }
    }

    private static func readLongs(_ cursor: inout ByteCursor, count: Int) throws(SegmentCorruption) -> [Int64] {
        let width = Int(try cursor.readByte())
        guard width == 0 || width == 1 || width == 2 || width == 4 || width == 8 else { throw SegmentCorruption("LONG width \(width)") }
        let lo = Int64(littleEndian: try cursor.read(count: 8).loadUnaligned(as: Int64.self))
        if width == 0 { return [Int64](repeating: lo, count: count) }
        let raw = try cursor.read(count: count * width)
        return [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
            switch width {
            case 1: for i in 0..<count { buffer[i] = lo &+ Int64(raw[i]) }
            case 2: for i in 0..<count { buffer[i] = lo &+ Int64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 &* i, as: UInt16.self))) }
            case 4: for i in 0..<count { buffer[i] = lo &+ Int64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 &* i, as: UInt32.self))) }
            default: for i in 0..<count { buffer[i] = lo &+ Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 &* i, as: Int64.self)) }
            }
            initialized = count
        }
    }

    private static func readDictionary(_ cursor: inout ByteCursor) throws(SegmentCorruption) -> StringDictionary {
        let count = try cursor.readCount(limit: cursor.remaining, what: "dictionary size")
        var offsets = [0]
        offsets.reserveCapacity(count + 1)
        var total = 0
        for _ in 0..<count {
            total += try cursor.readCount(limit: cursor.remaining, what: "string length")
            offsets.append(total)
        }
        let raw = try cursor.read(count: total)
        let bytes = [UInt8](raw)
        // One check over all entries (not entry by entry): frames are written from valid dictionaries and carry a
        // CRC, so this guards against a bug, not against damage that could join two broken entries into one.
        guard bytes.withUnsafeBufferPointer(UTF8Check.isValid) else { throw SegmentCorruption("dictionary bytes are not valid UTF-8") }
        return StringDictionary(uncheckedOffsets: offsets, bytes: bytes)
    }

    private static func readIDs(_ cursor: inout ByteCursor, count: Int, dictionaryCount: Int) throws(SegmentCorruption) -> [Int32] {
        let width = Int(try cursor.readByte())
        guard width == 1 || width == 2 || width == 4 else { throw SegmentCorruption("id width \(width)") }
        let raw = try cursor.read(count: count * width)
        var bad = false
        let ids = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            switch width {
            case 1: for i in 0..<count { buffer[i] = Int32(raw[i]) }
            case 2: for i in 0..<count { buffer[i] = Int32(raw[2 * i]) | Int32(raw[2 * i + 1]) << 8 }
            default: UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            }
            initialized = count
            let limit = Int32(max(dictionaryCount, 1))
            for i in 0..<count where buffer[i] < 0 || buffer[i] >= limit { bad = true; break }
        }
        if bad { throw SegmentCorruption("string id outside the frame's dictionary of \(dictionaryCount)") }
        return ids
    }
}
