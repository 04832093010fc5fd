package import DataModel
package import SQLPlanner
package import MSQKernel
internal import Expressions

/// Turns a validated ingestion plan into the stage graph the MSQ engine
/// runs: stage 0 reads and shapes rows and shuffles them by time chunk;
/// stage 1 merges each chunk (final aggregation for rollup) and writes
/// segments.
package struct StagePlanner: Sendable {
    package var queryID: String
    /// Workers available (maxNumTasks − 1).
    package var workerCount: Int
    package var rowsPerSegment: Int
    /// The published segments of each datasource the statement may read
    /// (reindexing), as the engine saw them at submit.
    package var tableSegments: [String: [TableSegment]] = [:]
    /// `maxNumSegments` per time chunk (nil: no limit).
    package var maxNumSegments: Int? = nil

    package init(queryID: String, workerCount: Int, rowsPerSegment: Int = 3_000_000) {
        self.queryID = queryID
        self.workerCount = workerCount
        self.rowsPerSegment = rowsPerSegment
    }

    package func plan(_ ingest: IngestPlan) throws(HengeError) -> QueryDefinition {
        let chain = try LinearPlan(ingest.query)
        let stageInput: StageInputSpec
        switch chain.scan.source {
        case .external(let spec):
            stageInput = .external(ExternalInputSpec(
                source: spec.source, format: spec.format,
                signature: RowSignature(chain.scan.projection.map { i in spec.signature.columns[i] })))
        case .singleRow:
            stageInput = .external(ExternalInputSpec(source: .inline(data: "{}"), format: .json(), signature: RowSignature([])))
        case .dataSource(let name):
            // Reindexing: the segments visible at submit that overlap the scan's __time ranges.
            let intervals = chain.scan.intervals ?? [.eternity]
            let segments = (tableSegments[name] ?? []).filter { s in intervals.contains { $0.overlaps(s.interval) } }
            let columns = RowSignature(chain.scan.fields.map { ColumnSpec(name: $0.name, type: $0.type.nativeType) })
            stageInput = .table(TableInputSpec(dataSource: name, intervals: intervals, columns: columns, segments: segments))
        case .systemTable(let t):
            throw HengeError.invalidInput("Cannot query table [\(t.rawValue)] with SQL engine [msq-task]")
        }
        var scanOps: [RowOperation] = []
        if let f = chain.scan.filter { scanOps.append(.filter(f)) }
        scanOps += chain.below
        let fields = ingest.query.fields
        let segmentSignature = RowSignature(fields.map { ColumnSpec(name: $0.name, type: $0.type.nativeType) })

        let stage0Processor: StageProcessor
        let stage0Signature: RowSignature
        var finalAggregate: AggregateSpec? = nil
        var postOps: [RowOperation] = chain.above
        var timeColumn: Int? = 0
        if let agg = chain.aggregate {
            let keyCount = agg.keys.count
            let decomposable = agg.aggregates.allSatisfy { !$0.distinct && $0.kind != .avg && $0.timeArgument == nil }
            var stage0Types: [(String, SQLType)] = agg.keys.enumerated().map { ("d\($0.offset)", $0.element.type) }
            if decomposable {
                stage0Types += agg.aggregates.enumerated().map { ("a\($0.offset)", $0.element.type) }
                stage0Processor = .scan(operations: scanOps, partialAggregate: AggregateSpec(keys: agg.keys, aggregates: agg.aggregates))
                finalAggregate = AggregateSpec(
                    keys: (0..<keyCount).map { .column($0, agg.keys[$0].type) },
                    aggregates: agg.aggregates.enumerated().map { i, a in
                        AggregateCall(kind: a.kind == .count ? .sum : a.kind, argument: .column(keyCount + i, a.type), type: a.type)
                    })
            } else {
                // Ship keys and aggregate inputs; aggregate fully after the shuffle.
                var exprs = agg.keys
                var finals: [AggregateCall] = []
                for a in agg.aggregates {
                    var f = a
                    if let arg = a.argument {
                        exprs.append(arg)
                        f.argument = .column(exprs.count - 1, arg.type)
                        stage0Types.append(("v\(exprs.count - 1)", arg.type))
                    }
                    if let t = a.timeArgument {
                        exprs.append(t)
                        f.timeArgument = .column(exprs.count - 1, t.type)
                        stage0Types.append(("v\(exprs.count - 1)", t.type))
                    }
                    if let filter = a.filter {
                        exprs.append(filter)
                        f.filter = .column(exprs.count - 1, filter.type)
                        stage0Types.append(("v\(exprs.count - 1)", filter.type))
                    }
                    finals.append(f)
                }
                stage0Processor = .scan(operations: scanOps + [.project(exprs)], partialAggregate: nil)
                finalAggregate = AggregateSpec(keys: (0..<keyCount).map { .column($0, agg.keys[$0].type) }, aggregates: finals)
            }
            stage0Signature = RowSignature(stage0Types.map { ColumnSpec(name: $0.0, type: $0.1.nativeType) })
            timeColumn = LinearPlan.sourceColumn(ofOutput: 0, through: postOps).flatMap { $0 < keyCount ? $0 : nil }
        } else {
            stage0Processor = .scan(operations: scanOps + postOps, partialAggregate: nil)
            stage0Signature = segmentSignature
            postOps = []
        }
        let shuffle: ShuffleSpec
        if ingest.granularity == .all {
            shuffle = .single
        } else if let timeColumn {
            shuffle = .timeChunks(timeColumn: timeColumn, granularity: ingest.granularity,
                                  clusterBy: chain.aggregate == nil ? ingest.clusteredBy : [])
        } else {
            shuffle = .single
        }
        var stage0 = StageDefinition(number: 0, inputs: [stageInput], processor: stage0Processor, signature: stage0Signature,
                                     shuffle: shuffle, maxWorkerCount: workerCount)
        var generator = SegmentGeneratorSpec(
            dataSource: ingest.dataSource, granularity: ingest.granularity, finalAggregate: finalAggregate, postOperations: postOps,
            segmentSignature: segmentSignature, clusterBy: ingest.clusteredBy, rowsPerSegment: rowsPerSegment,
            replaceBounds: ingest.replaceIntervals.flatMap { $0 == [.eternity] ? nil : $0 }, limit: ingest.limit)
        generator.maxNumSegments = maxNumSegments
        generator.sortOrder = ingest.segmentSortOrder
        if ingest.rangeDimensions != nil { generator.rangeKeys = ingest.clusteredBy }
        // Stage 0 sorts into the order the segment writer consumes (row order; range keys first for range shard specs).
        let segmentOrder = generator.streamOrder
        var resort = false
        if let agg = chain.aggregate {
            let order = StagePlanner.groupKeyOrder(keyCount: agg.keys.count, segmentOrder: segmentOrder, postOperations: postOps)
            stage0.sortKey = order.keys
            resort = !order.impliesSegmentOrder
            if case .scan(_, nil) = stage0Processor { stage0.unnestBeforeShuffle = Array(0..<agg.keys.count) }
        } else {
            stage0.sortKey = segmentOrder
        }
        generator.inputSortKey = stage0.sortKey
        generator.resortAfterAggregate = resort
        let stage1 = StageDefinition(number: 1, inputs: [.stage(0)], processor: .segmentGenerator(generator), signature: segmentSignature,
                                     shuffle: nil, maxWorkerCount: workerCount)
        return try QueryDefinition(queryID: queryID, stages: [stage0, stage1])
    }
}

extension StagePlanner {
    /// The order to sort a rollup's shuffled rows in: every group key, taken
    /// in the order the segment sort (`segmentOrder`, over output columns)
    /// reaches them through plain column copies in `postOperations`. When
    /// the segment order reaches all keys before any other column, rows
    /// aggregated in key order are already in segment order; otherwise the
    /// remaining keys follow in key order and the generator sorts again.
    static func groupKeyOrder(keyCount: Int, segmentOrder: [Int], postOperations: [RowOperation])
        -> (keys: [Int], impliesSegmentOrder: Bool) {
        var keys: [Int] = []
        var implied = true
        for column in segmentOrder where keys.count < keyCount {
            guard let source = LinearPlan.sourceColumn(ofOutput: column, through: postOperations), source < keyCount else {
                implied = false
                break
            }
            if !keys.contains(source) { keys.append(source) }
        }
        if keys.count < keyCount {
            implied = false
            keys += (0..<keyCount).filter { !keys.contains($0) }
        }
        return (keys, implied)
    }
}

/// A plan of the form scan → (filter|project)* → [aggregate → (filter|project)*],
/// the shapes ingestion runs as two stages.
struct LinearPlan {
    var scan: TableScan
    /// Operations between the scan and the aggregate (or the top), bottom-up.
    var below: [RowOperation] = []
    var aggregate: AggregateSpec?
    /// Operations above the aggregate, bottom-up.
    var above: [RowOperation] = []

    init(_ plan: LogicalPlan) throws(HengeError) {
        var ops: [RowOperation] = []
        var node = plan
        var agg: AggregateSpec? = nil
        var aboveAgg: [RowOperation] = []
        while true {
            switch node {
            case .project(let input, let exprs, _):
                ops.insert(.project(exprs), at: 0)
                node = input
            case .filter(let input, let pred):
                ops.insert(.filter(pred), at: 0)
                node = input
            case .aggregate(let input, let keys, let aggs, _):
                guard agg == nil else { throw HengeError.unsupported("Nested GROUP BY in INSERT/REPLACE is not supported yet") }
                agg = AggregateSpec(keys: keys, aggregates: aggs)
                aboveAgg = ops
                ops = []
                node = input
            case .scan(let s):
                scan = s
                if agg != nil {
                    below = ops
                    above = aboveAgg
                } else {
                    below = ops
                }
                aggregate = agg
                return
            case .sort, .limit, .unionAll:
                throw HengeError.unsupported("This query shape (ORDER BY, LIMIT, UNION ALL) is not supported in INSERT/REPLACE yet")
            }
        }
    }

    /// The input column an output column is a plain copy of, through projections.
    static func sourceColumn(ofOutput index: Int, through ops: [RowOperation]) -> Int? {
        var i = index
        for op in ops.reversed() {
            guard case .project(let exprs) = op else { continue }
            guard case .column(let c, _) = exprs[i] else { return nil }
            i = c
        }
        return i
    }
}
