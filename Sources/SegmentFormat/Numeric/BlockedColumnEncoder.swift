/// Writes a LONG, FLOAT or DOUBLE column as a sequence of blocks of
/// `rowsPerBlock` rows, each with the smallest of its candidate encodings,
/// deflated when that pays, and its own CRC (layout in `SegmentFormatModule`).
///
/// NULL rows take the value of the previous non-NULL row of their block
/// (the first non-NULL one for leading NULLs) so they do not break runs,
/// deltas or ranges; readers zero them from the NULL bitmap.
enum BlockedColumnEncoder {
    /// Per-block encoding of a FLOAT/DOUBLE block: the high nibble says how
    /// values become integers, the low nibble is the `IntegerEncoding`.
    enum FloatingForm: UInt8 {
        /// IEEE-754 bit patterns, little-endian, unencoded (low nibble 0).
        case raw = 0x00
        /// The bit patterns read as unsigned integers.
        case bits = 0x10
        /// Every value is an integer (no -0.0, within Int64): the integers.
        case integral = 0x20
    }

    /// Names an encoding byte for the footer's `blockEncodings`.
    static func name(of encoding: UInt8, floating: Bool) -> String {
        let integer = IntegerEncoding(rawValue: encoding & 0x0F)?.name ?? "?"
        guard floating else { return integer }
        switch FloatingForm(rawValue: encoding & 0xF0) {
        case .raw: return "raw"
        case .bits: return "bits:" + integer
        case .integral: return "integral:" + integer
        case nil: return "?"
        }
    }

    /// - Parameter deflatedChoice: rank the two smallest candidates by their
    ///   size after zlib rather than before (zlib can reverse their order:
    ///   sorted `__time` deflates far better as deltas than as runs). Costs
    ///   a second encoding and deflate per block, so only `__time` asks.
    static func encodeLongs(
        _ values: [Int64], nulls: NullBitmapBuilder, rowsPerBlock: Int, deflatedChoice: Bool = false,
        into body: inout ByteSink
    ) -> [String: Int] {
        var counts: [String: Int] = [:]
        values.withUnsafeBufferPointer { all in
            writeBlocks(count: all.count, rowsPerBlock: rowsPerBlock, into: &body) { range, sink in
                let encoding = withNullsFilled(UnsafeBufferPointer(rebasing: all[range]), nulls: nulls, offset: range.lowerBound) { block in
                    deflatedChoice ? encodeByDeflatedSize(block, into: &sink) : IntegerBlockEncoder.encode(block, into: &sink)
                }
                counts[encoding.name, default: 0] += 1
            }
        }
        return counts
    }

    /// Appends the encoding byte and body of whichever of the two smallest
    /// estimates is smaller once deflated (when deflating pays).
    private static func encodeByDeflatedSize(_ block: UnsafeBufferPointer<Int64>, into sink: inout ByteSink) -> IntegerEncoding {
        let plan = IntegerBlockEncoder.choose(block, rankAll: true)
        let candidates = IntegerBlockEncoder.estimates(plan.stats).sorted { $0.1 < $1.1 }.map(\.0)
        guard plan.encoding != .constant, plan.encoding != .dictionary, candidates.count > 1 else {
            sink.append(plan.encoding.rawValue)
            IntegerBlockEncoder.encode(block, as: plan.encoding, plan: plan, into: &sink)
            return plan.encoding
        }
        var best: (IntegerEncoding, [UInt8], Int)? = nil
        for encoding in candidates.prefix(2) {
            var body = ByteSink()
            IntegerBlockEncoder.encode(block, as: encoding, plan: plan, into: &body)
            let size = BlockCompression.compressIfWorthwhile(body.bytes)?.bytes.count ?? body.count
            if best.map({ size < $0.2 }) ?? true { best = (encoding, body.bytes, size) }
        }
        sink.append(best!.0.rawValue)
        sink.append(contentsOf: best!.1)
        return best!.0
    }

    static func encodeDoubles(
        _ values: [Double], nulls: NullBitmapBuilder, rowsPerBlock: Int, into body: inout ByteSink
    ) -> [String: Int] {
        encodeFloatingColumn(values, width: 8, bits: { UInt64($0.bitPattern) }, integral: integral, nulls: nulls,
                             rowsPerBlock: rowsPerBlock, into: &body)
    }

    static func encodeFloats(
        _ values: [Float], nulls: NullBitmapBuilder, rowsPerBlock: Int, into body: inout ByteSink
    ) -> [String: Int] {
        encodeFloatingColumn(values, width: 4, bits: { UInt64($0.bitPattern) }, integral: integral, nulls: nulls,
                             rowsPerBlock: rowsPerBlock, into: &body)
    }

    /// FLOAT or DOUBLE blocks (`width` bytes a value), each in its smallest
    /// `FloatingForm`; returns how many blocks use each encoding.
    private static func encodeFloatingColumn<T: Numeric>(
        _ values: [T], width: Int, bits: (T) -> UInt64, integral: (T) -> Int64?, nulls: NullBitmapBuilder,
        rowsPerBlock: Int, into body: inout ByteSink
    ) -> [String: Int] {
        var counts: [String: Int] = [:]
        values.withUnsafeBufferPointer { all in
            writeBlocks(count: all.count, rowsPerBlock: rowsPerBlock, into: &body) { range, sink in
                let filled = fillingNulls(UnsafeBufferPointer(rebasing: all[range]), nulls: nulls, offset: range.lowerBound)
                let encoding = encodeFloating(filled, width: width, bits: bits, integral: integral, into: &sink)
                counts[name(of: encoding, floating: true), default: 0] += 1
            }
        }
        return counts
    }

    /// The value as an `Int64` when converting back gives the same bits.
    @inline(__always)
    static func integral(_ v: Double) -> Int64? {
        guard v > -0x1p63, v < 0x1p63 else { return nil }
        let i = Int64(v)
        return Double(i).bitPattern == v.bitPattern ? i : nil
    }

    @inline(__always)
    static func integral(_ v: Float) -> Int64? {
        guard v > -0x1p63, v < 0x1p63 else { return nil }
        let i = Int64(v)
        return Float(i).bitPattern == v.bitPattern ? i : nil
    }

    /// Writes the smallest of raw, bit patterns as integers, and integral
    /// values as integers; returns the encoding byte.
    private static func encodeFloating<T>(
        _ values: [T], width: Int, bits: (T) -> UInt64, integral: (T) -> Int64?, into sink: inout ByteSink
    ) -> UInt8 {
        var bestSize = values.count * width
        var best: (UInt8, [Int64], IntegerBlockEncoder.Plan)? = nil
        var integers: [Int64] = []
        integers.reserveCapacity(values.count)
        for v in values {
            guard let i = integral(v) else { break }
            integers.append(i)
        }
        if integers.count == values.count {
            let plan = integers.withUnsafeBufferPointer { IntegerBlockEncoder.choose($0) }
            if plan.estimatedSize < bestSize { bestSize = plan.estimatedSize; best = (FloatingForm.integral.rawValue, integers, plan) }
        }
        let patterns = values.map { Int64(bitPattern: bits($0)) }
        let plan = patterns.withUnsafeBufferPointer { IntegerBlockEncoder.choose($0) }
        if plan.estimatedSize < bestSize { best = (FloatingForm.bits.rawValue, patterns, plan) }
        guard let (form, ints, chosen) = best else {
            sink.append(FloatingForm.raw.rawValue)
            for p in patterns {
                if width == 8 { sink.appendUInt64LE(UInt64(bitPattern: p)) } else { sink.appendUInt32LE(UInt32(truncatingIfNeeded: p)) }
            }
            return FloatingForm.raw.rawValue
        }
        sink.append(form | chosen.encoding.rawValue)
        ints.withUnsafeBufferPointer { IntegerBlockEncoder.encode($0, as: chosen.encoding, plan: chosen, into: &sink) }
        return form | chosen.encoding.rawValue
    }

    /// Calls `body` with `values`, or with a copy whose NULL rows repeat a
    /// neighbouring non-NULL value when the column has NULLs.
    private static func withNullsFilled<T: Numeric, R>(
        _ values: UnsafeBufferPointer<T>, nulls: NullBitmapBuilder, offset: Int, _ body: (UnsafeBufferPointer<T>) -> R
    ) -> R {
        guard nulls.nullCount > 0 else { return body(values) }
        return fillingNulls(values, nulls: nulls, offset: offset).withUnsafeBufferPointer(body)
    }

    /// A copy of `values` whose NULL rows repeat a neighbouring non-NULL value.
    private static func fillingNulls<T: Numeric>(
        _ values: UnsafeBufferPointer<T>, nulls: NullBitmapBuilder, offset: Int
    ) -> [T] {
        var out = Array(values)
        guard nulls.nullCount > 0 else { return out }
        var last: T? = nil
        var leading = 0
        for i in out.indices {
            if nulls.isNull(offset + i) {
                if let last { out[i] = last } else { leading += 1 }
            } else {
                last = out[i]
            }
        }
        for i in 0..<leading where out.indices.contains(i) { out[i] = last ?? 0 }
        return out
    }

    /// Frames each block: `u8 encoding | u8 flags | varint rawLength |
    /// varint storedLength | stored | u32 CRC32`; `encode` appends the
    /// encoding byte and the block's raw bytes.
    private static func writeBlocks(
        count: Int, rowsPerBlock: Int, into body: inout ByteSink, _ encode: (Range<Int>, inout ByteSink) -> Void
    ) {
        precondition(rowsPerBlock > 0, "BlockedColumnEncoder: rowsPerBlock must be positive")
        body.appendVarint(UInt64(rowsPerBlock))
        var start = 0
        while start < count {
            let range = start..<min(start + rowsPerBlock, count)
            var raw = ByteSink()
            encode(range, &raw)
            let encoding = raw.bytes[0]
            let data = Array(raw.bytes[1...])
            let frameStart = body.count
            body.append(encoding)
            if let packed = BlockCompression.compressIfWorthwhile(data) {
                body.append(packed.flag)
                body.appendVarint(UInt64(data.count))
                body.appendVarint(UInt64(packed.bytes.count))
                body.append(contentsOf: packed.bytes)
            } else {
                body.append(0)
                body.appendVarint(UInt64(data.count))
                body.appendVarint(UInt64(data.count))
                body.append(contentsOf: data)
            }
            let crc = body.bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[frameStart...])) }
            body.appendUInt32LE(crc)
            start = range.upperBound
        }
    }
}
