import DataModel
import Foundation
import HengeTestSupport
import Testing
@testable import SegmentFormat

/// The per-block integer encodings and the blocked LONG/FLOAT/DOUBLE codecs.
struct NumericBlockTests {
    static var edgeCases: [[Int64]] {
        var rng = SeededGenerator(seed: 7)
        let sorted = (0..<1000).reduce(into: [Int64]()) { a, _ in a.append((a.last ?? 1_700_000_000_000) + Int64.random(in: 0...5000, using: &rng)) }
        return [
            [],
            [0],
            [Int64.min],
            [Int64.max],
            [Int64.min, Int64.max, 0, -1, 1],
            [Int64.max, Int64.min, Int64.max, Int64.min],
            Array(repeating: -7, count: 3000),
            sorted,
            Array(sorted.reversed()),
            (0..<3000).map { Int64($0 / 700) * 1_000_000_007 },  // long runs of wide values
            (0..<2000).map { _ in Int64.random(in: Int64.min...Int64.max, using: &rng) },
            (0..<2000).map { _ in [-987_654_321_987, 5, 123_456_789_123_456, -3][Int.random(in: 0..<4, using: &rng)] },  // few distinct, wide
            (0..<1000).reduce(into: [Int64]()) { a, _ in a.append((a.last ?? 0) + 60_000 * Int64.random(in: 0...10, using: &rng)) },
            (0..<500).map { Int64.min + 3 * Int64($0 % 17) },  // a common step near Int64.min
            (0..<500).map { $0 % 2 == 0 ? Int64.min + 6 : Int64.max - 3 },  // step 3, span past Int64
        ]
    }

    static func roundTrip(_ values: [Int64], as encoding: IntegerEncoding) throws -> [Int64] {
        var sink = ByteSink()
        values.withUnsafeBufferPointer { IntegerBlockEncoder.encode($0, as: encoding, into: &sink) }
        return try sink.bytes.withUnsafeBytes { bytes in
            var cursor = ByteCursor(bytes)
            var out: [Int64] = [99]  // decoding appends
            try IntegerBlockDecoder.decode(&cursor, as: encoding, count: values.count, into: &out)
            #expect(cursor.isAtEnd)
            return Array(out.dropFirst())
        }
    }

    @Test(arguments: [IntegerEncoding.frameOfReference, .deltaFrameOfReference, .runLength, .dictionary, .constant])
    func everyEncodingRoundTrips(encoding: IntegerEncoding) throws {
        for values in Self.edgeCases {
            if encoding == .constant && Set(values).count > 1 { continue }
            if encoding == .dictionary && Set(values).count > IntegerBlockEncoder.maxDictionarySize { continue }
            #expect(try Self.roundTrip(values, as: encoding) == values, "\(encoding) of \(values.prefix(6))…")
        }
    }

    @Test func chosenEncodingRoundTripsAndIsSmallest() throws {
        for values in Self.edgeCases {
            var chosen = ByteSink()
            let encoding = values.withUnsafeBufferPointer { IntegerBlockEncoder.encode($0, into: &chosen) }
            #expect(try Self.roundTrip(values, as: encoding) == values)
            for other in IntegerEncoding.allCases where other != encoding {
                if other == .constant && Set(values).count > 1 { continue }
                if other == .dictionary && Set(values).count > IntegerBlockEncoder.maxDictionarySize { continue }
                var sink = ByteSink()
                values.withUnsafeBufferPointer { IntegerBlockEncoder.encode($0, as: other, into: &sink) }
                // The chosen body (after its encoding byte) is never larger than another by more than estimate slack.
                #expect(chosen.count - 1 <= sink.count + 16, "\(encoding) \(chosen.count - 1) vs \(other) \(sink.count)")
            }
        }
    }

    @Test func choiceFollowsTheData() {
        func choice(_ values: [Int64]) -> IntegerEncoding { values.withUnsafeBufferPointer { IntegerBlockEncoder.choose($0).encoding } }
        let cases = Self.edgeCases
        #expect(choice([]) == .constant)
        #expect(choice(cases[6]) == .constant)
        #expect(choice(cases[7]) == .deltaFrameOfReference)  // sorted timestamps
        #expect(choice(cases[9]) == .runLength)
        #expect(choice(cases[11]) == .dictionary)
        var rng = SeededGenerator(seed: 8)
        #expect(choice((0..<1000).map { _ in Int64.random(in: 0..<1000, using: &rng) }) == .frameOfReference)
        // A permutation with two deltas 1000 apart (919, -81): delta + FOR with a step of 1000, 1 bit.
        #expect(choice((0..<1000).map { Int64($0 * 7919 % 1000) }) == .deltaFrameOfReference)
    }

    @Test func randomDoublesStayRawAndIntegralDoublesBecomeIntegers() {
        var rng = SeededGenerator(seed: 21)
        var nulls = NullBitmapBuilder()
        nulls.append(nil, rowCount: 1000)
        var sink = ByteSink()
        let random = (0..<1000).map { _ in Double.random(in: -1e6...1e6, using: &rng) }
        #expect(BlockedColumnEncoder.encodeDoubles(random, nulls: nulls, rowsPerBlock: 1000, into: &sink) == ["raw": 1])
        let delays = (0..<1000).map { _ in Double(Int.random(in: -30...300, using: &rng)) }
        #expect(BlockedColumnEncoder.encodeDoubles(delays, nulls: nulls, rowsPerBlock: 1000, into: &sink) == ["integral:for": 1])
        let floats = (0..<1000).map { _ in Float(Int.random(in: 0...3, using: &rng)) + 0.5 }
        #expect(BlockedColumnEncoder.encodeFloats(floats, nulls: nulls, rowsPerBlock: 1000, into: &sink) == ["bits:for": 1])  // x.5 bit patterns share a step
    }

    @Test func commonStepsAreFactoredOut() throws {
        // Minute timestamps with gaps of 0 to 10 minutes: 4 bits a delta.
        let minutes = Self.edgeCases[12]
        var sink = ByteSink()
        let encoding = minutes.withUnsafeBufferPointer { IntegerBlockEncoder.encode($0, into: &sink) }
        #expect(encoding == .deltaFrameOfReference)
        #expect(sink.count <= 1 + 31 + BitPacking.byteCount(count: 999, width: 4))
        #expect(try Self.roundTrip(minutes, as: .frameOfReference) == minutes)
        let stats = minutes.withUnsafeBufferPointer { IntegerBlockEncoder.Stats($0) }
        #expect(stats.valueGCD == 60_000 && stats.deltaGCD == 60_000)
        let wide = Self.edgeCases[14].withUnsafeBufferPointer { IntegerBlockEncoder.Stats($0) }
        #expect(wide.valueGCD == 1)  // differences overflow Int64: no step is assumed
    }

    @Test func exactDivisionByMultiplication() {
        var rng = SeededGenerator(seed: 13)
        for d in [UInt64(1), 2, 3, 60_000, 86_400_000, 1 << 40, UInt64.max, 6] + (0..<200).map({ _ in UInt64.random(in: 1...UInt64.max >> UInt64.random(in: 0...63, using: &rng), using: &rng) }) {
            let divisor = ExactDivisor(d)
            for _ in 0..<20 {
                let q = UInt64.random(in: 0...(UInt64.max / d), using: &rng)
                #expect(divisor.divides(q * d) && divisor.quotient(q * d) == q, "\(q) * \(d)")
                let x = UInt64.random(in: 0...UInt64.max, using: &rng)
                #expect(divisor.divides(x) == (x % d == 0), "\(x) % \(d)")
            }
        }
    }

    static let signature = RowSignature([.long("__time"), .long("l"), .double("d"), .float("f")])

    /// Rows whose blocks of 100 each favour a different encoding, NULLs included.
    static func blockRows() -> [[ScalarValue]] {
        var rng = SeededGenerator(seed: 11)
        return (0..<1000).map { (i: Int) -> [ScalarValue] in
            let block = i / 100
            let l: ScalarValue
            let d: ScalarValue
            let f: ScalarValue
            switch block {
            case 0: (l, d, f) = (.long(5), .double(2.5), .double(1))  // constant
            case 1: (l, d, f) = (.long(Int64(i / 30)), .double(Double(i / 30)), .double(Double(i / 30)))  // runs, integral
            case 2:  // random, NaN and -0.0
                (l, d, f) = (.long(Int64.random(in: Int64.min...Int64.max, using: &rng)),
                             i % 10 == 0 ? .double(.nan) : i % 10 == 1 ? .double(-0.0) : .double(Double.random(in: -1...1, using: &rng)),
                             i % 10 == 0 ? .double(Double(Float.nan)) : .double(Double(Float.random(in: -1...1, using: &rng))))
            case 3: (l, d, f) = (.null, .null, .null)  // all NULL
            case 4:  // NULLs between sorted values
                (l, d, f) = i % 3 == 0 ? (.null, .null, .null) : (.long(Int64(i) * 1000), .double(Double(i) * 1000), .double(Double(i)))
            case 5:  // three wide values in random order
                let k = Int.random(in: 0..<3, using: &rng)
                (l, d, f) = (.long([Int64.min, 0, Int64.max][k]), .double([1e300, -1e-300, 0.5][k]), .double(3.5))
            default: (l, d, f) = (.long(Int64(i)), .double(Double(i) + 0.25), .double(Double(i % 4)))
            }
            return [.long(Int64(1_000 + i)), l, d, f]
        }
    }

    @Test func blockedColumnsRoundTripWithPerBlockEncodings() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let rows = Self.blockRows()
        var writer = SegmentWriter(signature: Self.signature)
        writer.rowsPerBlock = 100
        writer.append(makeBatch(Self.signature, rows))
        let path = dir.file("blocked.hseg")
        try writer.write(to: path)
        let reader = try SegmentReader(path: path)
        let batch = try reader.readAll()
        expectRows(batch, equal: rows)
        #expect(batch.columns[1] == makeBatch(Self.signature, rows).columns[1])
        #expect(reader.footer.columns.map(\.codec) == [.blockedLong, .blockedLong, .blockedDouble, .blockedFloat])
        #expect(reader.footer.columns[0].blockEncodings == ["deltaFOR": 10])
        let l = reader.footer.columns[1].blockEncodings ?? [:]
        #expect(l["constant"] == 2)  // the constant block and the all-NULL block
        #expect(l["runLength"] == 1)
        #expect(l.values.reduce(0, +) == 10)
        let d = reader.footer.columns[2].blockEncodings ?? [:]
        #expect(d["bits:constant"] == 1)  // 2.5
        #expect(d["integral:constant"] == 1)  // the all-NULL block reads as 0
        #expect(l["dictionary"] == 1)  // three wide values
        #expect(d["bits:dictionary"] == 2)  // the three wide values, and 82 distinct random values (NaN, -0.0 repeat)
        #expect(d["integral:runLength"] == 1)
        #expect(d.values.reduce(0, +) == 10)
        #expect(reader.columnInfos[1].min == .long(Int64.min) && reader.columnInfos[1].max == .long(Int64.max))
        #expect(reader.columnInfos[1].nullCount == 133)
    }

    @Test(arguments: [0, 1])
    func tinyAndAllNullColumns(rowCount: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let rows: [[ScalarValue]] = (0..<rowCount).map { _ in [.long(Int64.min), .null, .null, .null] }
        var writer = SegmentWriter(signature: Self.signature)
        writer.append(makeBatch(Self.signature, rows))
        try writer.write(to: dir.file("tiny.hseg"))
        let reader = try SegmentReader(path: dir.file("tiny.hseg"))
        expectRows(try reader.readAll(), equal: rows)
        #expect(reader.columnInfos[1].min == nil && reader.columnInfos[1].nullCount == rowCount)
    }

    /// A byte flipped inside one block, with the column's CRC recomputed
    /// so only the block's own CRC can notice.
    @Test func corruptedBlockIsDetectedByItsOwnChecksum() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var writer = SegmentWriter(signature: Self.signature)
        writer.rowsPerBlock = 100
        writer.append(makeBatch(Self.signature, Self.blockRows()))
        let path = dir.file("corrupt.hseg")
        try writer.write(to: path)
        let column = try SegmentReader(path: path).footer.columns[2]
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[column.offset + column.length / 2] ^= 0x10
        let crc = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[column.offset..<(column.offset + column.length)])) }
        for k in 0..<4 { bytes[column.offset + column.length + k] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * k)) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try SegmentReader(path: path)
        let error = #expect(throws: HengeError.self) { try reader.read(columns: ["d"]) }
        #expect(error?.code == "SegmentCorrupted")
        #expect(error?.message.contains("checksum mismatch in block") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("[d]") == true)
        #expect(try reader.read(columns: ["l", "f"]).rowCount == 1000)
    }
}

/// `IntegerBlockEncoder.Stats` (several passes, early exits) equals a
/// one-loop reference on blocks of every shape the encoder meets.
@Suite struct BlockStatsTests {
    struct Reference: Equatable {
        var minValue = Int64.max, maxValue = Int64.min, minDelta = Int64.max, maxDelta = Int64.min
        var runs = 0, longestRun = 0
        var valueGCD: UInt64 = 0, deltaGCD: UInt64 = 0

        static func gcd(_ g: UInt64, _ a: Int64, _ b: Int64) -> UInt64 {
            let (d, overflow) = a.subtractingReportingOverflow(b)
            if overflow || g == 1 { return 1 }
            var (x, y) = (g, d.magnitude)
            while y != 0 { (x, y) = (y, x % y) }
            return x
        }

        init(_ v: [Int64]) {
            guard let first = v.first else { return }
            runs = 1
            var run = 1
            longestRun = 1
            minValue = first
            maxValue = first
            for i in 1..<v.count {
                minValue = min(minValue, v[i])
                maxValue = max(maxValue, v[i])
                let d = v[i] &- v[i - 1]
                minDelta = min(minDelta, d)
                maxDelta = max(maxDelta, d)
                if v[i] == v[i - 1] { run += 1 } else { runs += 1; run = 1 }
                longestRun = max(longestRun, run)
                valueGCD = Self.gcd(valueGCD, v[i], first)
                if i >= 2 { deltaGCD = Self.gcd(deltaGCD, d, v[1] &- v[0]) }
            }
        }

        init(_ s: IntegerBlockEncoder.Stats) {
            (minValue, maxValue, minDelta, maxDelta) = (s.minValue, s.maxValue, s.minDelta, s.maxDelta)
            (runs, longestRun, valueGCD, deltaGCD) = (s.runs, s.longestRun, s.valueGCD, s.deltaGCD)
        }
    }

    @Test func equalsAOneLoopReference() {
        var rng = SeededGenerator(seed: 17)
        var blocks: [[Int64]] = [[], [5], [5, 5], [Int64.min, Int64.max], [Int64.max, Int64.min, 0]]
        for n in [2, 3, 64, 65, 1000] {
            blocks.append((0..<n).map { _ in 42 })
            blocks.append((0..<n).map { Int64($0) * 60_000 + 1_700_000_000_000 })
            blocks.append((0..<n).map { Int64($0 / 7) * 3 })
            blocks.append((0..<n).map { _ in Int64.random(in: -1000...1000, using: &rng) })
            blocks.append((0..<n).map { _ in Int64.random(in: 0...3, using: &rng) * 10 })
            blocks.append((0..<n).map { _ in Int64.random(in: Int64.min...Int64.max, using: &rng) })
            blocks.append((0..<n).map { $0 % 5 == 0 ? Int64.max : Int64($0) })
            // Wide random values with one run of 10 (at 1000 rows): run-length cannot rank, the longest run is bounded.
            blocks.append((0..<n).map { $0 >= 500 && $0 < 510 ? 7 : Int64.random(in: 0..<1_000_000, using: &rng) })
        }
        var bounded = 0
        for block in blocks {
            let stats = block.withUnsafeBufferPointer { IntegerBlockEncoder.Stats($0) }
            #expect(stats.count == block.count)
            var expected = Reference(block)
            if stats.longestRun != expected.longestRun {
                // Only as the lower bound, and only when run-length cannot be the smallest.
                #expect(stats.longestRun == (block.count + stats.runs - 1) / stats.runs)
                let estimates = IntegerBlockEncoder.estimates(stats)
                #expect(estimates[2].1 >= min(estimates[0].1, estimates[1].1))
                expected.longestRun = stats.longestRun
                bounded += 1
            }
            #expect(Reference(stats) == expected, "\(block.prefix(8))… (\(block.count))")
            // Ranking every estimate (the __time column's deflated choice) needs the exact run.
            let ranked = block.withUnsafeBufferPointer { IntegerBlockEncoder.Stats($0, rankAll: true) }
            if block.count > 1 && Reference(block).runs > 1 && Reference(block).runs < block.count && ranked.longestRun != Reference(block).longestRun {
                let estimates = IntegerBlockEncoder.estimates(ranked)
                #expect(estimates[2].1 > max(estimates[0].1, estimates[1].1))
            } else {
                #expect(Reference(ranked) == Reference(block))
            }
        }
        #expect(bounded > 0, "no block took the lower bound")
    }
}
