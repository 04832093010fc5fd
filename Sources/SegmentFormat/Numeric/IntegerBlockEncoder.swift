/// Lightweight encodings of a block of 64-bit integers, the building block
/// of the blocked LONG/FLOAT/DOUBLE codecs (layouts in `SegmentFormatModule`).
enum IntegerEncoding: UInt8, CaseIterable, Sendable {
    /// Every value equal: zigzag value.
    case constant = 0
    /// Frame of reference: zigzag min, u8 width, `value - min` bit-packed.
    case frameOfReference = 1
    /// zigzag first value, zigzag min delta, u8 width, `delta - minDelta`
    /// bit-packed for the `count - 1` deltas (sorted or clustered data).
    case deltaFrameOfReference = 2
    /// varint run count, zigzag min, u8 width, run values `- min`
    /// bit-packed, u8 width, run lengths `- 1` bit-packed.
    case runLength = 3
    /// varint cardinality, the distinct values ascending (zigzag first, then
    /// varint gaps), u8 width, each value's index bit-packed.
    case dictionary = 4

    var name: String {
        switch self {
        case .constant: "constant"
        case .frameOfReference: "for"
        case .deltaFrameOfReference: "deltaFOR"
        case .runLength: "runLength"
        case .dictionary: "dictionary"
        }
    }
}

/// Chooses and writes the smallest `IntegerEncoding` for a block.
enum IntegerBlockEncoder {
    /// Most distinct values a dictionary block may hold.
    static let maxDictionarySize = 256

    /// What one pass over a block learns about it.
    struct Stats {
        var count = 0
        var minValue = Int64.max
        var maxValue = Int64.min
        var minDelta = Int64.max
        var maxDelta = Int64.min
        var runs = 0
        var longestRun = 0

        init(_ values: UnsafeBufferPointer<Int64>) {
            count = values.count
            guard let first = values.first else { return }
            var previous = first
            var run = 0
            minValue = first
            maxValue = first
            runs = 1
            for v in values {
                if v < minValue { minValue = v }
                if v > maxValue { maxValue = v }
                if v == previous {
                    run += 1
                } else {
                    let d = v &- previous
                    if d < minDelta { minDelta = d }
                    if d > maxDelta { maxDelta = d }
                    if run > longestRun { longestRun = run }
                    runs += 1
                    run = 1
                }
                previous = v
            }
            if run > longestRun { longestRun = run }
            // Equal neighbours are deltas of 0.
            if runs < count {
                minDelta = Swift.min(minDelta, 0)
                maxDelta = Swift.max(maxDelta, 0)
            }
        }

        var valueWidth: Int { BitPacking.width(forMax: UInt64(bitPattern: maxValue &- minValue)) }
        var deltaWidth: Int { count < 2 ? 0 : BitPacking.width(forMax: UInt64(bitPattern: maxDelta &- minDelta)) }
    }

    /// The estimated body size of each applicable encoding, in `IntegerEncoding` order.
    static func estimates(_ stats: Stats) -> [(IntegerEncoding, Int)] {
        let n = stats.count
        if n == 0 || stats.minValue == stats.maxValue { return [(.constant, 10)] }
        return [
            (.frameOfReference, 11 + BitPacking.byteCount(count: n, width: stats.valueWidth)),
            (.deltaFrameOfReference, 21 + BitPacking.byteCount(count: n - 1, width: stats.deltaWidth)),
            (.runLength, 17 + BitPacking.byteCount(count: stats.runs, width: stats.valueWidth)
                + BitPacking.byteCount(count: stats.runs, width: BitPacking.width(forMax: UInt64(stats.longestRun - 1)))),
        ]
    }

    /// The encoding `encode` picks and its estimated size.
    static func choose(_ values: UnsafeBufferPointer<Int64>) -> (IntegerEncoding, Int, distinct: [Int64]?) {
        let stats = Stats(values)
        let best = estimates(stats).min { $0.1 < $1.1 }!
        // A dictionary can only win when the others need more than 8 bits a value.
        if best.0 != .constant, best.1 > BitPacking.byteCount(count: values.count, width: 8) + 16,
           let distinct = distinctValues(values) {
            var size = 12 + BitPacking.byteCount(count: values.count, width: BitPacking.width(forMax: UInt64(distinct.count - 1)))
            for i in distinct.indices { size += i == 0 ? 10 : varintSize(UInt64(bitPattern: distinct[i] &- distinct[i - 1])) }
            if size < best.1 { return (.dictionary, size, distinct) }
        }
        return (best.0, best.1, nil)
    }

    /// The distinct values ascending, or nil past `maxDictionarySize`.
    private static func distinctValues(_ values: UnsafeBufferPointer<Int64>) -> [Int64]? {
        var seen = Set<Int64>(minimumCapacity: maxDictionarySize * 2)
        for v in values {
            if seen.insert(v).inserted && seen.count > maxDictionarySize { return nil }
        }
        return seen.sorted()
    }

    private static func varintSize(_ v: UInt64) -> Int { Swift.max(1, (64 - v.leadingZeroBitCount + 6) / 7) }

    /// Appends the chosen encoding of `values` to `sink`; returns it.
    @discardableResult
    static func encode(_ values: UnsafeBufferPointer<Int64>, into sink: inout ByteSink) -> IntegerEncoding {
        let (encoding, _, distinct) = choose(values)
        sink.append(encoding.rawValue)
        encode(values, as: encoding, distinct: distinct, into: &sink)
        return encoding
    }

    /// Appends `values` in `encoding` (without the encoding byte).
    static func encode(
        _ values: UnsafeBufferPointer<Int64>, as encoding: IntegerEncoding, distinct: [Int64]? = nil,
        into sink: inout ByteSink
    ) {
        let n = values.count
        switch encoding {
        case .constant:
            sink.appendZigzag(values.first ?? 0)
        case .frameOfReference:
            let stats = Stats(values)
            let base = n == 0 ? 0 : stats.minValue
            let width = n == 0 ? 0 : stats.valueWidth
            sink.appendZigzag(base)
            sink.append(UInt8(width))
            BitPacking.pack(count: n, width: width, into: &sink) { UInt64(bitPattern: values[$0] &- base) }
        case .deltaFrameOfReference:
            let stats = Stats(values)
            sink.appendZigzag(values.first ?? 0)
            let minDelta = n < 2 ? 0 : stats.minDelta
            let width = stats.deltaWidth
            sink.appendZigzag(minDelta)
            sink.append(UInt8(width))
            if n > 1 {
                BitPacking.pack(count: n - 1, width: width, into: &sink) {
                    UInt64(bitPattern: (values[$0 + 1] &- values[$0]) &- minDelta)
                }
            }
        case .runLength:
            var runValues: [Int64] = []
            var runLengths: [UInt64] = []
            var i = 0
            while i < n {
                var j = i + 1
                while j < n && values[j] == values[i] { j += 1 }
                runValues.append(values[i])
                runLengths.append(UInt64(j - i - 1))
                i = j
            }
            let base = runValues.min() ?? 0
            let width = BitPacking.width(forMax: UInt64(bitPattern: (runValues.max() ?? 0) &- base))
            sink.appendVarint(UInt64(runValues.count))
            sink.appendZigzag(base)
            sink.append(UInt8(width))
            BitPacking.pack(count: runValues.count, width: width, into: &sink) { UInt64(bitPattern: runValues[$0] &- base) }
            let lengthWidth = BitPacking.width(forMax: runLengths.max() ?? 0)
            sink.append(UInt8(lengthWidth))
            BitPacking.pack(count: runLengths.count, width: lengthWidth, into: &sink) { runLengths[$0] }
        case .dictionary:
            let distinct = distinct ?? Array(Set(values)).sorted()
            sink.appendVarint(UInt64(distinct.count))
            for (i, v) in distinct.enumerated() {
                if i == 0 { sink.appendZigzag(v) } else { sink.appendVarint(UInt64(bitPattern: v &- distinct[i - 1])) }
            }
            let width = BitPacking.width(forMax: UInt64(Swift.max(distinct.count - 1, 0)))
            sink.append(UInt8(width))
            BitPacking.pack(count: n, width: width, into: &sink) { row in
                // Binary search: at most 8 steps for 256 values.
                var lo = 0, hi = distinct.count - 1
                let v = values[row]
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if distinct[mid] < v { lo = mid + 1 } else { hi = mid }
                }
                return UInt64(lo)
            }
        }
    }
}
