import DataModel
import Expressions
import Foundation
import Operators
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
        // 1000 rows, 37 per run: 28 runs; merged 3 at a time into 10, 4, then 2 runs (a lone leftover run is carried over).
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
