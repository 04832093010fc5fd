/// Reads blocks written by `IntegerBlockEncoder`.
enum IntegerBlockDecoder {
    /// Appends `count` values decoded from `cursor` in `encoding` to `out`.
    static func decode(
        _ cursor: inout ByteCursor, as encoding: IntegerEncoding, count: Int, into out: inout [Int64]
    ) throws(SegmentCorruption) {
        out.reserveCapacity(out.count + count)
        switch encoding {
        case .constant:
            let v = try cursor.readZigzag()
            out.append(contentsOf: repeatElement(v, count: count))
        case .frameOfReference:
            let base = try cursor.readZigzag()
            let scale = try readScale(&cursor)
            let width = try readWidth(&cursor)
            if width == 0 {
                out.append(contentsOf: repeatElement(base, count: count))
            } else {
                let packed = try cursor.read(count: BitPacking.byteCount(count: count, width: width))
                BitPacking.unpack(packed, count: count, width: width, into: &out) { base &+ Int64(bitPattern: $0 &* scale) }
            }
        case .deltaFrameOfReference:
            let first = try cursor.readZigzag()
            let minDelta = try cursor.readZigzag()
            let scale = try readScale(&cursor)
            let width = try readWidth(&cursor)
            guard count > 0 else { return }
            out.append(first)
            var previous = first
            if width == 0 {
                for _ in 1..<count {
                    previous = previous &+ minDelta
                    out.append(previous)
                }
            } else {
                let packed = try cursor.read(count: BitPacking.byteCount(count: count - 1, width: width))
                BitPacking.unpack(packed, count: count - 1, width: width, into: &out) { d in
                    previous = previous &+ (minDelta &+ Int64(bitPattern: d &* scale))
                    return previous
                }
            }
        case .runLength:
            let runs = try cursor.readCount(limit: count, what: "run count")
            let base = try cursor.readZigzag()
            let scale = try readScale(&cursor)
            let width = try readWidth(&cursor)
            var values: [Int64] = []
            if width == 0 {
                values = [Int64](repeating: base, count: runs)
            } else {
                let packed = try cursor.read(count: BitPacking.byteCount(count: runs, width: width))
                BitPacking.unpack(packed, count: runs, width: width, into: &values) { base &+ Int64(bitPattern: $0 &* scale) }
            }
            let lengthWidth = try readWidth(&cursor)
            var lengths: [UInt64] = []
            if lengthWidth == 0 {
                lengths = [UInt64](repeating: 0, count: runs)
            } else {
                let packed = try cursor.read(count: BitPacking.byteCount(count: runs, width: lengthWidth))
                BitPacking.unpack(packed, count: runs, width: lengthWidth, into: &lengths) { $0 }
            }
            var total = 0
            for (v, l) in zip(values, lengths) {
                guard l < UInt64(count), total + Int(l) + 1 <= count else {
                    throw SegmentCorruption("run lengths exceed the block")
                }
                total += Int(l) + 1
                out.append(contentsOf: repeatElement(v, count: Int(l) + 1))
            }
            guard total == count else { throw SegmentCorruption("run lengths do not cover the block") }
        case .dictionary:
            let cardinality = try cursor.readCount(limit: IntegerBlockEncoder.maxDictionarySize, what: "dictionary size")
            var distinct: [Int64] = []
            distinct.reserveCapacity(cardinality)
            for i in 0..<cardinality {
                distinct.append(i == 0 ? try cursor.readZigzag() : distinct[i - 1] &+ Int64(bitPattern: try cursor.readVarint()))
            }
            let width = try readWidth(&cursor)
            guard width == BitPacking.width(forMax: UInt64(Swift.max(cardinality - 1, 0))), cardinality > 0 || count == 0 else {
                throw SegmentCorruption("dictionary id width does not match its size")
            }
            if width == 0 {
                out.append(contentsOf: repeatElement(distinct.first ?? 0, count: count))
            } else {
                let packed = try cursor.read(count: BitPacking.byteCount(count: count, width: width))
                let start = out.count
                BitPacking.unpack(packed, count: count, width: width, into: &out) { Int64(bitPattern: $0) }
                for i in start..<out.count {
                    let id = Int(out[i])
                    guard id < cardinality else { throw SegmentCorruption("dictionary id \(id) out of range") }
                    out[i] = distinct[id]
                }
            }
        }
    }

    /// The common step of packed values (at least 1).
    private static func readScale(_ cursor: inout ByteCursor) throws(SegmentCorruption) -> UInt64 {
        let scale = try cursor.readVarint()
        guard scale > 0 else { throw SegmentCorruption("scale 0") }
        return scale
    }

    private static func readWidth(_ cursor: inout ByteCursor) throws(SegmentCorruption) -> Int {
        let width = Int(try cursor.readByte())
        guard width <= 64 else { throw SegmentCorruption("bit width \(width) exceeds 64") }
        return width
    }
}
