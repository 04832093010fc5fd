import DataModel
import Expressions
import Foundation
import Operators
import SegmentFormat
import Testing

/// K-way merging, spilling sorts and streaming final aggregation: each must
/// give exactly what one stable in-memory sort (or aggregation) of the same
/// rows gives.
struct SpillingSortTests {
    static let columns: [(String, ColumnType)] = [("t", .long), ("s", .string), ("d", .double), ("i", .long)]
    static let keys = [SortColumn(column: 0), SortColumn(column: 1), SortColumn(column: 2, descending: true, nullsFirst: false)]

    /// Rows with many ties on the keys; column `i` numbers the rows so order among ties is visible.
    static func input(rows: Int, seed: UInt64) -> [[ScalarValue]] {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let strings: [ScalarValue] = [.string("a"), .string("b"), .string("é"), .string(""), .null, .string("ab")]
        return (0..<rows).map { i in
            [.long(Int64(next(5))), strings[next(strings.count)], next(6) == 0 ? .null : .double(Double(next(4)) * 0.5), .long(Int64(i))]
        }
    }

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("henge-sort-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func drain(_ merger: inout RunMerger) throws -> [[ScalarValue]] {
        var out: [[ScalarValue]] = []
        while let b = try merger.next() { out += rows(b) }
        return out
    }

    @Test(arguments: [1, 2, 3, 7, 16])
    func mergeEqualsStableSortOfConcatenation(runCount: Int) throws {
        let all = Self.input(rows: 900, seed: UInt64(runCount))
        let per = (all.count + runCount - 1) / runCount
        var runs: [SortedRun] = []
        for r in 0..<runCount {
            let slice = Array(all[min(all.count, r * per)..<min(all.count, (r + 1) * per)])
            let sorted = BatchSorter.sort(makeBatch(Self.columns, slice), by: Self.keys)
            // Split each run into uneven batches, including an empty one.
            let cuts = [0, sorted.rowCount / 3, sorted.rowCount / 3, sorted.rowCount]
            runs.append(.memory((0..<3).map { sorted.gather(Array(cuts[$0]..<cuts[$0 + 1])) }))
        }
        let expected = rows(BatchSorter.sort(makeBatch(Self.columns, all), by: Self.keys))
        var merger = try RunMerger(runs, signature: makeBatch(Self.columns, []).signature, keys: Self.keys, batchRows: 64)
        #expect(try Self.drain(&merger) == expected)
    }

    @Test func partitionedSorterSpillsMergesLevelsAndKeepsOrder() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let signature = makeBatch(Self.columns, []).signature
        let limits = SortLimits(rows: 37, bytes: .max, rowsPerFrame: 10, fanIn: 3, maxRunsPerPartition: 2)
        var progress: [SortStats] = []
        let sorter = PartitionedSorter(signature: signature, keys: Self.keys, limits: limits, directory: dir, name: "t",
                                       onProgress: { progress.append($0) })
        let all = Self.input(rows: 1000, seed: 42)
        var byKey: [Int64: [[ScalarValue]]] = [:]
        for start in stride(from: 0, to: all.count, by: 90) {
            let chunk = Array(all[start..<min(all.count, start + 90)])
            for key in [Int64(10), 20] {
                let mine = chunk.filter { ($0[3].longValue! % 2 == 0) == (key == 10) }
                byKey[key, default: []] += mine
                try sorter.append(key: key, makeBatch(Self.columns, mine))
            }
        }
        #expect(sorter.hasSpilled)
        let out = try sorter.finish()
        // 1000 rows, 37 per run: 28 runs; merged 3 at a time into 10, then 4, then the first 3 of those into 1 (2 runs).
        #expect(sorter.stats.totalByLevel == [0: 28, 1: 9, 2: 3, 3: 1, 4: 2])
        #expect(sorter.stats.mergedByLevel == sorter.stats.totalByLevel)
        #expect(sorter.stats.totalLevels == 5)
        #expect(sorter.runs.count == 2)
        #expect(progress.last?.partitions == 2)
        for key in [Int64(10), 20] {
            let runs = try #require(out[key])
            #expect((1...2).contains(runs.count))
            var merger = try RunMerger(runs, signature: signature, keys: Self.keys, batchRows: 33)
            #expect(try Self.drain(&merger) == rows(BatchSorter.sort(makeBatch(Self.columns, byKey[key]!), by: Self.keys)))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 2)
        sorter.deleteFiles()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func sorterWithinBudgetStaysInMemory() throws {
        let signature = makeBatch(Self.columns, []).signature
        let sorter = PartitionedSorter(signature: signature, keys: Self.keys, limits: .unlimited, directory: "/nonexistent", name: "t")
        let all = Self.input(rows: 200, seed: 7)
        try sorter.append(key: 0, makeBatch(Self.columns, Array(all[..<120])))
        try sorter.append(key: 0, makeBatch(Self.columns, Array(all[120...])))
        let out = try sorter.finish()
        #expect(!sorter.hasSpilled)
        #expect(sorter.stats.totalByLevel == [0: 1, 1: 1])
        var merger = try RunMerger(out[0]!, signature: signature, keys: Self.keys, batchRows: 50)
        #expect(try Self.drain(&merger) == rows(BatchSorter.sort(makeBatch(Self.columns, all), by: Self.keys)))
    }

    @Test func planMergesOnlyWhatTheLimitNeeds() {
        #expect(SortPlan.groups(runs: 99, fanIn: 128, maxRuns: 64) == [36])
        #expect(SortPlan.groups(runs: 10, fanIn: 3, maxRuns: 2) == [3, 3, 3, 1])
        #expect(SortPlan.groups(runs: 5, fanIn: 8, maxRuns: 5) == [])
        #expect(SortPlan.middleLevels(runs: 99, fanIn: 128, maxRuns: 64) == [1])
        #expect(SortPlan.middleLevels(runs: 28, fanIn: 3, maxRuns: 2) == [9, 3, 1])
        #expect(SortPlan.middleLevels(runs: 300, fanIn: 128, maxRuns: 64) == [2])
    }

    @Test func reduceMergesDownToFanIn() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let signature = makeBatch(Self.columns, []).signature
        let all = Self.input(rows: 500, seed: 3)
        let runs: [SortedRun] = stride(from: 0, to: 500, by: 50).map { start in
            .memory([BatchSorter.sort(makeBatch(Self.columns, Array(all[start..<(start + 50)])), by: Self.keys)])
        }
        let limits = SortLimits(rows: 10, bytes: .max, rowsPerFrame: 7, fanIn: 3, maxRunsPerPartition: 3)
        let reduced = try RunMerger.reduce(runs, signature: signature, keys: Self.keys, limits: limits, directory: dir, name: "m",
                                           checkCanceled: {})
        #expect(reduced.runs.count <= 3)
        var merger = try RunMerger(reduced.runs, signature: signature, keys: Self.keys, batchRows: 100)
        #expect(try Self.drain(&merger) == rows(BatchSorter.sort(makeBatch(Self.columns, all), by: Self.keys)))
        reduced.files.forEach { $0.delete() }
    }

    @Test(arguments: [false, true])
    func leadingLongKeyFastPathKeepsOrderAndTies(descending: Bool) {
        let values: [Int64] = [3, .min, 7, 3, .max, -1, 7, 0, .min, 3]
        let b = makeBatch([("k", .long), ("s", .string)], values.enumerated().map { [.long($0.element), .string(["b", "a"][$0.offset % 2])] })
        let keys = [SortColumn(column: 0, descending: descending), SortColumn(column: 1)]
        let expected = values.indices.sorted { x, y in
            if values[x] != values[y] { return descending ? values[x] > values[y] : values[x] < values[y] }
            let sx = ["b", "a"][x % 2], sy = ["b", "a"][y % 2]
            return sx != sy ? sx < sy : x < y
        }
        #expect(BatchSorter.order(b, by: keys) == expected)
        // The same rows split over two batches sort the same way.
        let parts = [b.gather(Array(0..<4)), b.gather(Array(4..<10))]
        #expect(BatchSorter.order(parts, by: keys).map { $0.slot * 4 + $0.row } == expected)
    }

    /// Sorting on normalized keys gives the order a plain typed comparison
    /// gives: NULL placement, DESC, -0.0 = 0.0, NaN last, strings by UTF-8
    /// bytes, many or few distinct strings, several batches — whether the
    /// keys pack into one radix-sorted word (ties then ordered by the keys
    /// left over), several words (fields straddling words, full 64-bit
    /// ranges), or none.
    @Test(arguments: [false, true], [false, true])
    func normalizedKeysMatchTypedComparison(descending: Bool, nullsFirst: Bool) {
        var state: UInt64 = descending ? 11 : 5
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let doubles: [ScalarValue] = [.double(-0.0), .double(0), .double(.nan), .double(-.infinity), .double(1.5), .double(-2), .null]
        let few: [ScalarValue] = [.string("b"), .string("a"), .string("é"), .string("z"), .null, .string("")]
        let extremes: [ScalarValue] = [.long(.min), .long(.max), .long(0), .long(-1), .long(1), .null]
        let cols: [(String, ColumnType)] = [("d", .double), ("s", .string), ("l", .long), ("u", .string), ("f", .float), ("x", .long), ("t", .long)]
        let data: [[ScalarValue]] = (0..<600).map { i in
            [doubles[next(doubles.count)], few[next(few.count)], next(5) == 0 ? .null : .long(Int64(next(3)) - 1),
             .string("u\(next(400))"), .double(Double(next(3)) - 1), extremes[next(extremes.count)],
             .long(1_700_000_000_000 + Int64(next(40)) * 60_000)]
        }
        let keySets: [[SortColumn]] = [
            [SortColumn(column: 0, descending: descending, nullsFirst: nullsFirst), SortColumn(column: 1, nullsFirst: !nullsFirst),
             SortColumn(column: 2, descending: !descending, nullsFirst: nullsFirst), SortColumn(column: 4, descending: descending),
             SortColumn(column: 3)],
            // One word: a time-like long, a nullable long, few strings; then unique-ish strings on ties.
            [SortColumn(column: 6, descending: descending), SortColumn(column: 2, nullsFirst: nullsFirst),
             SortColumn(column: 1, descending: !descending, nullsFirst: !nullsFirst), SortColumn(column: 3)],
            // Full 64-bit ranges: fields straddle words.
            [SortColumn(column: 2, nullsFirst: nullsFirst), SortColumn(column: 5, descending: descending, nullsFirst: nullsFirst),
             SortColumn(column: 5, descending: !descending), SortColumn(column: 0, descending: descending), SortColumn(column: 6)],
            // Nothing normalizes.
            [SortColumn(column: 3, descending: descending), SortColumn(column: 6)],
            // Constant over the rows (no bits), then the rest.
            [SortColumn(column: 4, descending: descending), SortColumn(column: 1, nullsFirst: nullsFirst), SortColumn(column: 3)],
        ]
        func cmp(_ x: ScalarValue, _ y: ScalarValue, _ k: SortColumn) -> Int {
            if x.isNull || y.isNull { return x.isNull && y.isNull ? 0 : (x.isNull == k.nullsFirst ? -1 : 1) }
            var c = 0
            switch (x, y) {
            case (.double(let a), .double(let b)):
                c = a < b ? -1 : a > b ? 1 : a == b ? 0 : a.isNaN ? (b.isNaN ? 0 : 1) : -1
            case (.long(let a), .long(let b)): c = a < b ? -1 : a > b ? 1 : 0
            case (.string(let a), .string(let b)): c = Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) ? -1 : Array(a.utf8) == Array(b.utf8) ? 0 : 1
            default: Issue.record("unexpected \(x) \(y)")
            }
            return k.descending ? -c : c
        }
        for (set, keys) in keySets.enumerated() {
            let expected = data.indices.sorted { a, b in
                for k in keys {
                    let c = cmp(data[a][k.column], data[b][k.column], k)
                    if c != 0 { return c < 0 }
                }
                return a < b
            }
            func firstDifference(_ a: [Int]) -> Int? { zip(a, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset }
            let whole = makeBatch(cols, data)
            #expect(firstDifference(BatchSorter.order(whole, by: keys)) == nil, "key set \(set)")
            let parts = [whole.gather(Array(0..<250)), whole.gather(Array(250..<251)), whole.gather(Array(251..<600))]
            let offsets = [0, 250, 251]
            #expect(firstDifference(BatchSorter.order(parts, by: keys).map { offsets[$0.slot] + $0.row }) == nil, "key set \(set)")
            // Merging sorted pieces agrees with the same order.
            let runs: [SortedRun] = parts.map { .memory([BatchSorter.sort($0, by: keys)]) }
            var merger = try! RunMerger(runs, signature: whole.signature, keys: keys, batchRows: 100)
            var merged: [String] = []
            while let b = try! merger.next() { merged += rows(b).map { $0.map(\.renderedString).joined(separator: "|") } }
            #expect(merged == rows(whole.gather(expected)).map { $0.map(\.renderedString).joined(separator: "|") }, "key set \(set)")
        }
    }

    /// The radix sort orders by the key's significant bits and keeps the
    /// input order of equal keys, for every width.
    @Test func radixSortIsAStableSortByKey() {
        var state: UInt64 = 3
        for bits in [1, 7, 8, 9, 31, 33, 63, 64] {
            let rows: [RadixSort.Keyed] = (0..<3000).map { i in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Few distinct values (many ties), within the top `bits` bits.
                let value: UInt64 = (state >> 20) % 37 &* ((state >> 50) | 1)
                let key: UInt64 = bits == 64 ? value : (value & ((1 << UInt64(bits)) - 1)) << UInt64(64 - bits)
                return RadixSort.Keyed(key: key, ref: RowRef(i))
            }
            var sorted = rows
            RadixSort.sort(&sorted, significantBits: bits)
            let expected: [RowRef] = rows.indices.sorted { a, b in
                rows[a].key != rows[b].key ? rows[a].key < rows[b].key : a < b
            }.map { rows[$0].ref }
            #expect(sorted.map { $0.ref } == expected, "\(bits) bits")
        }
    }

    @Test func gatherOfFewRowsFromAHugeDictionaryKeepsOnlyTheirValues() {
        let big = makeBatch([("s", .string)], (0..<10_000).map { [.string("v\($0)")] })
        let small = makeBatch([("s", .string)], [[.string("v3")], [.null]])
        let out = BatchGather.gather([big, small], [RowRef(slot: 0, row: 9_999), RowRef(slot: 1, row: 0), RowRef(slot: 0, row: 5),
                                                    RowRef(slot: 1, row: 1), RowRef(slot: 0, row: 9_999)], signature: big.signature)
        #expect(rows(out) == [[.string("v9999")], [.string("v3")], [.string("v5")], [.null], [.string("v9999")]])
        guard case .string(let s) = out.columns[0].data else { Issue.record("not strings"); return }
        #expect(s.dictionary == ["v9999", "v3", "v5"])
    }

    /// More sources than `withBasePointers` nests closures for (copied end to end then), with NULLs and empty sources.
    @Test func gatherFromManySources() {
        let columns: [(String, ColumnType)] = [("n", .long), ("d", .double), ("s", .string)]
        func row(_ i: Int) -> [ScalarValue] {
            let d: ScalarValue = i % 3 == 0 ? .null : .double(Double(i) / 2)
            return [.long(Int64(i)), d, .string("s\(i % 5)")]
        }
        let sources: [Batch] = (0..<300).map { (i: Int) -> Batch in makeBatch(columns, i % 50 == 7 ? [] : [row(i)]) }
        let picks: [RowRef] = sources.indices.reversed().filter { sources[$0].rowCount > 0 }.map { RowRef(slot: $0, row: 0) }
        let out = BatchGather.gather(sources, picks, signature: sources[0].signature)
        let expected: [[ScalarValue]] = picks.map { row($0.slot) }
        #expect(rows(out) == expected)
        guard case .string(let s) = out.columns[2].data else { Issue.record("not strings"); return }
        #expect(s.dictionary.count == picks.count)  // one entry per source picked: sources are remapped apart, never hashed together
    }

    /// The spill writes frames straight from the buffered batches; the
    /// bytes must be those of the frame of the gathered batch, for every
    /// column kind, NULLs, multi-value rows and sources without a NULL mask.
    @Test(arguments: [1, 2, 9])
    func encodedFrameEqualsFrameOfGather(sourceCount: Int) {
        let signature = RowSignature([("t", ColumnType.long), ("s", .string), ("d", .double), ("f", .float), ("n", .long), ("m", .string)]
            .map { ColumnSpec(name: $0.0, type: $0.1) })
        var state = UInt64(sourceCount)
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let sources: [Batch] = (0..<sourceCount).map { k in
            let rows = 50 + next(200)
            var t = ColumnBuilder(type: .long), s = ColumnBuilder(type: .string), d = ColumnBuilder(type: .double)
            var f = ColumnBuilder(type: .float), n = ColumnBuilder(type: .long)
            var multi: [[String]?] = []
            for r in 0..<rows {
                t.append(long: 1_700_000_000_000 + Int64(next(100_000)))
                if next(7) == 0 { s.appendNull() } else { s.append(string: "v\(next(30))") }
                if k % 2 == 1 && next(5) == 0 { d.appendNull() } else { d.append(double: Double(next(1000)) / 8) }
                f.append(double: Double(next(100)))
                if next(4) == 0 { n.appendNull() } else { n.append(long: Int64(next(1 << 20)) - 300) }
                multi.append(r % 5 == 0 ? nil : r % 3 == 0 ? ["b", "a\(r % 4)"] : ["x"])
            }
            let m = k == 0 ? MultiStringColumn.build(multi) : { var b = ColumnBuilder(type: .string); for v in multi { if let v { b.append(string: v[0]) } else { b.appendNull() } }; return b.finish() }()
            return Batch(signature: signature, columns: [t.finish(), s.finish(), d.finish(), f.finish(), n.finish(), m], rowCount: rows)
        }
        let picks: [RowRef] = (0..<400).map { _ in
            let slot = next(sources.count)
            return RowRef(slot: slot, row: next(sources[slot].rowCount))
        }
        var expected: [UInt8] = []
        FrameEncoder.encode(BatchGather.gather(sources, picks, signature: signature), into: &expected)
        var encoded: [UInt8] = []
        BatchGather.encodeFrame(sources, picks, signature: signature, into: &encoded)
        #expect(encoded == expected)
    }

    @Test func multiValueAndStringColumnsGatherAcrossBatches() throws {
        let a = Batch(signature: RowSignature([ColumnSpec(name: "m", type: .string)]),
                      columns: [MultiStringColumn.build([["x", "y"], nil, ["z"]])], rowCount: 3)
        let b = Batch(signature: a.signature, columns: [ColumnVector(.string(StringColumn(ids: [0, 1], dictionary: ["y", "w"])))], rowCount: 2)
        let out = BatchGather.gather([a, b], [RowRef(slot: 1, row: 1), RowRef(slot: 0, row: 0), RowRef(slot: 0, row: 1), RowRef(slot: 1, row: 0)],
                                     signature: a.signature)
        #expect(out.columns[0].isMultiValue)
        #expect((0..<4).map { out.columns[0].stringValues(at: $0) } == [["w"], ["x", "y"], [], ["y"]])
        #expect(out.columns[0].isNull(2))
    }
}

struct StreamingAggregationTests {
    let evaluator = Evaluator(context: EvalContext(nowMillis: 0))

    @Test(arguments: [1, 3, 50])
    func finishAllButLastOverSortedInputMatchesOneAggregation(batchRows: Int) throws {
        let spec = AggregateSpec(keys: [.column(0, .bigint), .column(1, .varchar)], aggregates: [
            AggregateCall(kind: .count, argument: nil, type: .bigint),
            AggregateCall(kind: .sum, argument: .column(3, .bigint), type: .bigint),
            AggregateCall(kind: .min, argument: .column(2, .double), type: .double),
            AggregateCall(kind: .max, argument: .column(1, .varchar), type: .varchar),
            AggregateCall(kind: .avg, argument: .column(3, .bigint), type: .bigint),
            AggregateCall(kind: .count, argument: .column(2, .double), distinct: true, type: .bigint),
            AggregateCall(kind: .earliest, argument: .column(3, .bigint), type: .bigint),
            AggregateCall(kind: .latest, argument: .column(2, .double), type: .double),
        ])
        let sorted = BatchSorter.sort(makeBatch(SpillingSortTests.columns, SpillingSortTests.input(rows: 400, seed: 9)),
                                      by: [SortColumn(column: 0), SortColumn(column: 1)])
        var whole = HashAggregator(spec: spec, evaluator: evaluator)
        try whole.consume(sorted)
        let expected = rows(whole.finish())

        var streaming = HashAggregator(spec: spec, evaluator: evaluator)
        var out: [[ScalarValue]] = []
        for start in stride(from: 0, to: sorted.rowCount, by: batchRows) {
            try streaming.consume(sorted.gather(Array(start..<min(sorted.rowCount, start + batchRows))))
            if streaming.groupCount > 2 { out += rows(streaming.finishAllButLast()) }
            #expect(streaming.groupCount <= max(batchRows, 2) + 1)
        }
        out += rows(streaming.finish())
        #expect(out.count == expected.count)
        #expect(out.map { $0.map(\.renderedString) } == expected.map { $0.map(\.renderedString) })
    }
}
