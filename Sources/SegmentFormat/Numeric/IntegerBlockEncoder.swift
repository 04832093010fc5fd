internal import CKernels

/// Lightweight encodings of a block of 64-bit integers, the building block
/// of the blocked LONG/FLOAT/DOUBLE codecs (layouts in `SegmentFormatModule`).
enum IntegerEncoding: UInt8, CaseIterable, Sendable {
    /// Every value equal: zigzag value.
    case constant = 0
    /// Frame of reference: zigzag min, varint scale (the values' common
    /// step, ≥ 1), u8 width, `(value - min) / scale` bit-packed.
    case frameOfReference = 1
    /// zigzag first value, zigzag min delta, varint scale, u8 width,
    /// `(delta - minDelta) / scale` bit-packed for the `count - 1` deltas
    /// (sorted or clustered data; timestamps in whole minutes scale by 60,000).
    case deltaFrameOfReference = 2
    /// varint run count, zigzag min, varint scale, u8 width, run values
    /// `(v - min) / scale` bit-packed, u8 width, run lengths `- 1` bit-packed.
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

    /// What a few passes over a block learn about it.
    struct Stats {
        var count = 0
        var minValue = Int64.max
        var maxValue = Int64.min
        var minDelta = Int64.max
        var maxDelta = Int64.min
        var runs = 0
        /// The longest run of equal values — or, when even the shortest it
        /// can be (⌈count / runs⌉) keeps run-length's estimate from being
        /// the smallest (from ranking before any other, with `rankAll`),
        /// that lower bound: the pass is skipped, run-length cannot win.
        var longestRun = 0
        /// Greatest common divisor of every `value - minValue` (0 when all
        /// are equal; 1 when unknown because differences overflow).
        var valueGCD: UInt64 = 0
        /// Greatest common divisor of every `delta - minDelta`.
        var deltaGCD: UInt64 = 0

        /// - Parameter rankAll: the caller ranks every estimate, not only the smallest.
        init(_ values: UnsafeBufferPointer<Int64>, rankAll: Bool = false) {
            count = values.count
            guard let first = values.first, let base = values.baseAddress else { return }
            let n = values.count
            minValue = first
            maxValue = first
            runs = 1
            longestRun = 1
            guard n > 1 else { return }
            // Pass 1: the reductions, in C (vectorized for the CPU: Swift's baseline x86-64 cannot do
            // 64-bit vector min/max). A delta of 0 (equal neighbours) belongs in the delta range:
            // run-length's neighbours are deltas too.
            var pass = henge_i64_stats()
            henge_i64_stats_compute(base, n, &pass)
            (minValue, maxValue) = (pass.min, pass.max)
            (minDelta, maxDelta, runs) = (pass.min_delta, pass.max_delta, 1 &+ Int(pass.changes))
            // Pass 2: the common steps, until both are known to be 1 (random data: a few values).
            // Differences from the first value (delta) have the same GCD as those from the minimum.
            var valueDivisor = ExactDivisor(1)
            var deltaDivisor = ExactDivisor(1)
            let firstDelta = base[1] &- first
            Self.refine(&valueGCD, &valueDivisor, base[1], first)
            var i = 2
            while i < n && (valueGCD != 1 || deltaGCD != 1) {
                let v = base[i]
                if valueGCD != 1 { Self.refine(&valueGCD, &valueDivisor, v, first) }
                if deltaGCD != 1 { Self.refine(&deltaGCD, &deltaDivisor, v &- base[i &- 1], firstDelta) }
                i += 1
            }
            // Pass 3 (needs the widths): the longest run, only when some neighbours are equal and
            // run-length could rank.
            if runs == 1 {
                longestRun = n
            } else if runs < n {
                longestRun = (n + runs - 1) / runs
                let e = IntegerBlockEncoder.estimates(self)
                let beaten = rankAll ? e[2].1 > Swift.max(e[0].1, e[1].1) : e[2].1 >= Swift.min(e[0].1, e[1].1)
                if !beaten {
                    var run = 1
                    longestRun = 1
                    for i in 1..<n {
                        run = base[i] == base[i &- 1] ? run &+ 1 : 1
                        longestRun = Swift.max(longestRun, run)
                    }
                }
            }
        }

        /// Makes `g` gcd(g, |a - b|) (1 when the difference overflows).
        /// `divisor` tests divisibility by `g` with a multiplication, so a
        /// division happens only when `g` shrinks (a few times a block).
        @inline(__always)
        private static func refine(_ g: inout UInt64, _ divisor: inout ExactDivisor, _ a: Int64, _ b: Int64) {
            let (d, overflow) = a.subtractingReportingOverflow(b)
            if overflow {
                g = 1
                return
            }
            let y = d.magnitude
            if g > 1 && divisor.divides(y) { return }
            if g == 0 {
                g = y
            } else {
                var (x, z) = (g, y)
                while z != 0 { (x, z) = (z, x % z) }
                g = x
            }
            if g > 1 { divisor = ExactDivisor(g) }
        }

        var valueScale: UInt64 { Swift.max(valueGCD, 1) }
        var deltaScale: UInt64 { Swift.max(deltaGCD, 1) }
        var valueWidth: Int { BitPacking.width(forMax: UInt64(bitPattern: maxValue &- minValue) / valueScale) }
        var deltaWidth: Int { count < 2 ? 0 : BitPacking.width(forMax: UInt64(bitPattern: maxDelta &- minDelta) / deltaScale) }
    }

    /// The estimated body size of each applicable encoding, in `IntegerEncoding` order.
    static func estimates(_ stats: Stats) -> [(IntegerEncoding, Int)] {
        let n = stats.count
        if n == 0 || stats.minValue == stats.maxValue { return [(.constant, 10)] }
        return [
            (.frameOfReference, 21 + BitPacking.byteCount(count: n, width: stats.valueWidth)),
            (.deltaFrameOfReference, 31 + BitPacking.byteCount(count: n - 1, width: stats.deltaWidth)),
            (.runLength, 27 + BitPacking.byteCount(count: stats.runs, width: stats.valueWidth)
                + BitPacking.byteCount(count: stats.runs, width: BitPacking.width(forMax: UInt64(stats.longestRun - 1)))),
        ]
    }

    /// An encoding chosen for a block, with what writing it needs.
    struct Plan {
        var encoding: IntegerEncoding
        var estimatedSize: Int
        var stats: Stats
        /// For `dictionary`: the distinct values ascending.
        var distinct: [Int64]?
    }

    /// The encoding `encode` picks and its estimated size; with `rankAll`
    /// the plan's stats rank every encoding exactly (`estimates`).
    static func choose(_ values: UnsafeBufferPointer<Int64>, rankAll: Bool = false) -> Plan {
        let stats = Stats(values, rankAll: rankAll)
        let best = estimates(stats).min { $0.1 < $1.1 }!
        // A dictionary can only win when the others need more than 8 bits a value.
        if best.0 != .constant, best.1 > BitPacking.byteCount(count: values.count, width: 8) + 16,
           let distinct = distinctValues(values) {
            var size = 12 + BitPacking.byteCount(count: values.count, width: BitPacking.width(forMax: UInt64(distinct.count - 1)))
            for i in distinct.indices { size += i == 0 ? 10 : varintSize(UInt64(bitPattern: distinct[i] &- distinct[i - 1])) }
            if size < best.1 { return Plan(encoding: .dictionary, estimatedSize: size, stats: stats, distinct: distinct) }
        }
        return Plan(encoding: best.0, estimatedSize: best.1, stats: stats, distinct: nil)
    }

    /// The distinct values ascending, or nil past `maxDictionarySize`.
    private static func distinctValues(_ values: UnsafeBufferPointer<Int64>) -> [Int64]? {
        var set = SmallIntegerSet()
        for v in values where set.insert(v) && set.count > maxDictionarySize { return nil }
        return set.values.sorted()
    }

    private static func varintSize(_ v: UInt64) -> Int { Swift.max(1, (64 - v.leadingZeroBitCount + 6) / 7) }

    /// Appends the chosen encoding's byte and body to `sink`; returns it.
    @discardableResult
    static func encode(_ values: UnsafeBufferPointer<Int64>, into sink: inout ByteSink) -> IntegerEncoding {
        let plan = choose(values)
        sink.append(plan.encoding.rawValue)
        encode(values, as: plan.encoding, plan: plan, into: &sink)
        return plan.encoding
    }

    /// Appends `values` in `encoding` (without the encoding byte); `plan`
    /// saves recomputing what `choose` learnt.
    static func encode(
        _ values: UnsafeBufferPointer<Int64>, as encoding: IntegerEncoding, plan: Plan? = nil, into sink: inout ByteSink
    ) {
        let n = values.count
        let stats = plan?.stats ?? Stats(values)
        switch encoding {
        case .constant:
            sink.appendZigzag(values.first ?? 0)
        case .frameOfReference:
            let base = n == 0 ? 0 : stats.minValue
            let scale = stats.valueScale
            let width = n == 0 ? 0 : stats.valueWidth
            sink.appendZigzag(base)
            sink.appendVarint(scale)
            sink.append(UInt8(width))
            if scale == 1 {
                BitPacking.pack(count: n, width: width, into: &sink) { UInt64(bitPattern: values[$0] &- base) }
            } else {
                let step = ExactDivisor(scale)
                BitPacking.pack(count: n, width: width, into: &sink) { step.quotient(UInt64(bitPattern: values[$0] &- base)) }
            }
        case .deltaFrameOfReference:
            sink.appendZigzag(values.first ?? 0)
            let minDelta = n < 2 ? 0 : stats.minDelta
            let scale = stats.deltaScale
            let width = stats.deltaWidth
            sink.appendZigzag(minDelta)
            sink.appendVarint(scale)
            sink.append(UInt8(width))
            if n > 1 && scale == 1 {
                BitPacking.pack(count: n - 1, width: width, into: &sink) {
                    UInt64(bitPattern: (values[$0 + 1] &- values[$0]) &- minDelta)
                }
            } else if n > 1 {
                let step = ExactDivisor(scale)
                BitPacking.pack(count: n - 1, width: width, into: &sink) {
                    step.quotient(UInt64(bitPattern: (values[$0 + 1] &- values[$0]) &- minDelta))
                }
            }
        case .runLength:
            // The runs (`stats.runs` of them), written through raw pointers: no capacity check per run.
            var runValues = [Int64](repeating: 0, count: stats.runs)
            var runLengths = [UInt64](repeating: 0, count: stats.runs)
            runValues.withUnsafeMutableBufferPointer { runValues in
                runLengths.withUnsafeMutableBufferPointer { runLengths in
                    var run = 0
                    var i = 0
                    while i < n {
                        let v = values[i]
                        var j = i &+ 1
                        while j < n && values[j] == v { j &+= 1 }
                        precondition(run < runValues.count, "IntegerBlockEncoder: more runs than the stats counted")
                        runValues[run] = v
                        runLengths[run] = UInt64(j &- i &- 1)
                        run &+= 1
                        i = j
                    }
                }
            }
            let base = n == 0 ? 0 : stats.minValue
            let scale = stats.valueScale
            let width = n == 0 ? 0 : stats.valueWidth
            sink.appendVarint(UInt64(runValues.count))
            sink.appendZigzag(base)
            sink.appendVarint(scale)
            sink.append(UInt8(width))
            let step = ExactDivisor(scale)
            BitPacking.pack(count: runValues.count, width: width, into: &sink) { step.quotient(UInt64(bitPattern: runValues[$0] &- base)) }
            let lengthWidth = BitPacking.width(forMax: runLengths.max() ?? 0)
            sink.append(UInt8(lengthWidth))
            BitPacking.pack(count: runLengths.count, width: lengthWidth, into: &sink) { runLengths[$0] }
        case .dictionary:
            let distinct = plan?.distinct ?? Array(Set(values)).sorted()
            sink.appendVarint(UInt64(distinct.count))
            for (i, v) in distinct.enumerated() {
                if i == 0 { sink.appendZigzag(v) } else { sink.appendVarint(UInt64(bitPattern: v &- distinct[i - 1])) }
            }
            let width = BitPacking.width(forMax: UInt64(Swift.max(distinct.count - 1, 0)))
            sink.append(UInt8(width))
            var ids = SmallIntegerSet()
            for v in distinct { _ = ids.insert(v) }  // ids in ascending order
            BitPacking.pack(count: n, width: width, into: &sink) { UInt64(ids.index(of: values[$0])) }
        }
    }
}
