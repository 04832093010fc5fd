import Testing
import DataModel
import Expressions
import Operators

/// Builds a batch from rows of scalar values.
func makeBatch(_ columns: [(String, ColumnType)], _ rows: [[ScalarValue]]) -> Batch {
    var builders = columns.map { ColumnBuilder(type: $0.1) }
    for row in rows { for (i, v) in row.enumerated() { builders[i].append(v) } }
    let cols = builders.indices.map { builders[$0].finish() }
    return Batch(signature: RowSignature(columns.map { ColumnSpec(name: $0.0, type: $0.1) }), columns: cols, rowCount: rows.count)
}

func rows(_ b: Batch) -> [[ScalarValue]] { (0..<b.rowCount).map { b.row($0) } }

struct BatchSorterTests {
    let batch = makeBatch([("s", .string), ("n", .long)], [
        [.string("b"), .long(2)], [.null, .long(1)], [.string("a"), .null], [.string("é"), .long(3)], [.string("a"), .long(0)],
    ])

    @Test func ascendingNullsFirstThenSecondKey() {
        let sorted = BatchSorter.sort(batch, by: [SortColumn(column: 0, nullsFirst: true), SortColumn(column: 1, nullsFirst: false)])
        #expect(rows(sorted) == [[.null, .long(1)], [.string("a"), .long(0)], [.string("a"), .null], [.string("b"), .long(2)],
                                 [.string("é"), .long(3)]])
    }

    @Test func descendingKeepsNullPlacement() {
        let sorted = BatchSorter.sort(batch, by: [SortColumn(column: 1, descending: true, nullsFirst: false)])
        #expect(rows(sorted).map { $0[1] } == [.long(3), .long(2), .long(1), .long(0), .null])
        let nullsFirst = BatchSorter.sort(batch, by: [SortColumn(column: 1, descending: true, nullsFirst: true)])
        #expect(rows(nullsFirst).map { $0[1] } == [.null, .long(3), .long(2), .long(1), .long(0)])
    }

    @Test func tiesKeepInputOrder() {
        let b = makeBatch([("k", .long), ("v", .string)], [[.long(1), .string("x")], [.long(0), .string("y")], [.long(1), .string("a")]])
        #expect(rows(BatchSorter.sort(b, by: [SortColumn(column: 0)])).map { $0[1] } == [.string("y"), .string("x"), .string("a")])
    }

    @Test func concatMergesDictionariesAndNulls() {
        let a = makeBatch([("s", .string), ("d", .double)], [[.string("x"), .double(1.5)], [.null, .null]])
        let b = makeBatch([("s", .string), ("d", .double)], [[.string("y"), .double(2)], [.string("x"), .double(-1)]])
        let c = BatchSorter.concat([a, b], signature: a.signature)
        #expect(c.rowCount == 4)
        #expect(rows(c) == [[.string("x"), .double(1.5)], [.null, .null], [.string("y"), .double(2)], [.string("x"), .double(-1)]])
        guard case .string(let s) = c.columns[0].data else { Issue.record("not strings"); return }
        #expect(s.dictionary.sorted() == ["x", "y"])
    }
}

struct HashAggregatorTests {
    let evaluator = Evaluator(context: EvalContext(nowMillis: 0))

    @Test func groupsAcrossBatchesWithNulls() throws {
        let spec = AggregateSpec(
            keys: [.column(0, .varchar)],
            aggregates: [
                AggregateCall(kind: .count, argument: nil, type: .bigint),
                AggregateCall(kind: .sum, argument: .column(1, .bigint), type: .bigint),
                AggregateCall(kind: .min, argument: .column(1, .bigint), type: .bigint),
                AggregateCall(kind: .max, argument: .column(2, .double), type: .double),
                AggregateCall(kind: .count, argument: .column(1, .bigint), type: .bigint),
                AggregateCall(kind: .avg, argument: .column(1, .bigint), type: .bigint),
            ])
        var agg = HashAggregator(spec: spec, evaluator: evaluator)
        let cols: [(String, ColumnType)] = [("k", .string), ("n", .long), ("d", .double)]
        try agg.consume(makeBatch(cols, [[.string("a"), .long(1), .double(0.5)], [.null, .long(5), .null]]))
        try agg.consume(makeBatch(cols, [[.string("a"), .long(4), .double(2.5)], [.string("b"), .null, .null], [.null, .long(7), .double(1)]]))
        let out = agg.finish()
        #expect(rows(out) == [
            [.string("a"), .long(2), .long(5), .long(1), .double(2.5), .long(2), .long(2)],
            [.null, .long(2), .long(12), .long(5), .double(1), .long(2), .long(6)],
            [.string("b"), .long(1), .null, .null, .null, .long(0), .null],
        ])
    }

    /// `rowPerGroup` (a partial aggregation that does not reduce): every
    /// row becomes its own partial state, equal keys included, in input order.
    @Test func rowPerGroupKeepsEveryRowAsAPartialState() throws {
        let spec = AggregateSpec(
            keys: [.column(0, .varchar)],
            aggregates: [
                AggregateCall(kind: .count, argument: nil, type: .bigint),
                AggregateCall(kind: .sum, argument: .column(1, .bigint), type: .bigint),
                AggregateCall(kind: .count, argument: .column(1, .bigint), type: .bigint),
                AggregateCall(kind: .max, argument: .column(1, .bigint),
                              filter: .call("GREATER_THAN", [.column(1, .bigint), .literal(.long(4), .bigint)], .boolean), type: .bigint),
            ])
        var agg = HashAggregator(spec: spec, evaluator: evaluator)
        agg.rowPerGroup = true
        let cols: [(String, ColumnType)] = [("k", .string), ("n", .long)]
        try agg.consume(makeBatch(cols, [[.string("a"), .long(1)], [.null, .long(5)], [.string("a"), .null]]))
        try agg.consume(makeBatch(cols, [[.string("b"), .long(7)]]))
        #expect(agg.groupCount == 4)
        #expect(rows(agg.finish()) == [
            [.string("a"), .long(1), .long(1), .long(1), .null],
            [.null, .long(1), .long(5), .long(1), .long(5)],
            [.string("a"), .long(1), .null, .long(0), .null],
            [.string("b"), .long(1), .long(7), .long(1), .long(7)],
        ])
    }

    /// `sortedInput`: adjacent equal keys form one group, across batches too.
    @Test func sortedInputGroupsAdjacentKeys() throws {
        let spec = AggregateSpec(keys: [.column(0, .varchar), .column(1, .bigint)],
                                 aggregates: [AggregateCall(kind: .count, argument: nil, type: .bigint)])
        var agg = HashAggregator(spec: spec, evaluator: evaluator)
        agg.sortedInput = true
        let cols: [(String, ColumnType)] = [("k", .string), ("n", .long)]
        try agg.consume(makeBatch(cols, [[.null, .long(1)], [.string("a"), .long(1)], [.string("a"), .long(1)], [.string("a"), .null]]))
        try agg.consume(makeBatch(cols, [[.string("a"), .null], [.string("b"), .long(2)]]))
        // Every group but the newest, which later rows may still extend.
        #expect(rows(agg.finishAllButLast()) == [[.null, .long(1), .long(1)], [.string("a"), .long(1), .long(2)], [.string("a"), .null, .long(2)]])
        try agg.consume(makeBatch(cols, [[.string("b"), .long(2)], [.string("c"), .long(2)]]))
        #expect(rows(agg.finish()) == [[.string("b"), .long(2), .long(2)], [.string("c"), .long(2), .long(1)]])
    }

    @Test func globalAggregateOverNoRowsIsOneRow() {
        var agg = HashAggregator(spec: AggregateSpec(keys: [], aggregates: [
            AggregateCall(kind: .count, argument: nil, type: .bigint),
            AggregateCall(kind: .sum, argument: .column(0, .bigint), type: .bigint),
        ]), evaluator: evaluator)
        #expect(rows(agg.finish()) == [[.long(0), .null]])
    }

    @Test func filteredAndDistinctAggregates() throws {
        let spec = AggregateSpec(keys: [], aggregates: [
            AggregateCall(kind: .count, argument: .column(0, .bigint), distinct: true, type: .bigint),
            AggregateCall(kind: .sum, argument: .column(0, .bigint),
                          filter: .call("GREATER_THAN", [.column(0, .bigint), .literal(.long(1), .bigint)], .boolean), type: .bigint),
        ])
        var agg = HashAggregator(spec: spec, evaluator: evaluator)
        try agg.consume(makeBatch([("n", .long)], [[.long(1)], [.long(2)], [.long(2)], [.null], [.long(3)]]))
        #expect(rows(agg.finish()) == [[.long(3), .long(7)]])
    }
}

struct HyperLogLogTests {
    @Test func estimatesWithinAFewPercent() throws {
        let evaluator = Evaluator(context: EvalContext(nowMillis: 0))
        var call = AggregateCall(kind: .count, argument: .column(0, .varchar), distinct: true, type: .bigint)
        call.approximate = true
        var agg = HashAggregator(spec: AggregateSpec(keys: [], aggregates: [call]), evaluator: evaluator)
        // 20,000 distinct strings, each seen twice, in two batches.
        for _ in 0..<2 {
            try agg.consume(makeBatch([("s", .string)], (0..<20_000).map { [.string("value-\($0)")] }))
        }
        guard case .long(let v) = agg.finish().columns[0].data else { Issue.record("not a long"); return }
        #expect(abs(Double(v[0]) - 20_000) / 20_000 < 0.05, "estimate \(v[0])")
        var small = HashAggregator(spec: AggregateSpec(keys: [], aggregates: [call]), evaluator: evaluator)
        try small.consume(makeBatch([("s", .string)], [[.string("a")], [.string("b")], [.string("a")], [.null]]))
        #expect(rows(small.finish()) == [[.long(2)]])
    }
}
