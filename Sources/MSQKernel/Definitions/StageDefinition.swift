package import DataModel

/// Where a stage reads from.
package enum StageInputSpec: Hashable, Sendable {
    /// External files or inline data, sliced across workers.
    case external(ExternalInputSpec)
    /// The output of an earlier stage of the same query.
    case stage(Int)
    /// Published segments of a datasource (reindexing), sliced across workers.
    case table(TableInputSpec)

    package var json: JSONValue {
        switch self {
        case .external(let e): e.json
        case .stage(let n): .object([("type", "stage"), ("stage", .int(Int64(n)))])
        case .table(let t): t.json
        }
    }
}

/// Druid's `table` stage input: the segments of a datasource visible when
/// the statement was submitted (a stable snapshot), pruned to `intervals`.
package struct TableInputSpec: Hashable, Sendable {
    package var dataSource: String
    /// `__time` ranges read; `[eternity]` when the query does not restrict time.
    package var intervals: [Interval]
    /// The columns read, with the types the query reads them as.
    package var columns: RowSignature
    package var segments: [TableSegment]

    package init(dataSource: String, intervals: [Interval], columns: RowSignature, segments: [TableSegment]) {
        self.dataSource = dataSource
        self.intervals = intervals
        self.columns = columns
        self.segments = segments
    }

    package var json: JSONValue {
        .object([("type", "table"), ("dataSource", .string(dataSource)),
                 ("intervals", .array(intervals.map { .string($0.description) }))])
    }
}

/// One published segment a table input reads.
package struct TableSegment: Hashable, Sendable {
    package var id: String
    /// Local file of the segment.
    package var path: String
    package var interval: Interval
    package var sizeBytes: Int64

    package init(id: String, path: String, interval: Interval, sizeBytes: Int64) {
        self.id = id
        self.path = path
        self.interval = interval
        self.sizeBytes = sizeBytes
    }
}

/// One stage of a query: its inputs, processor, output signature, shuffle,
/// and maximum parallelism (Druid's `StageDefinition`).
package struct StageDefinition: Hashable, Sendable {
    package var number: Int
    package var inputs: [StageInputSpec]
    package var processor: StageProcessor
    package var signature: RowSignature
    /// Nil for the final stage.
    package var shuffle: ShuffleSpec?
    package var maxWorkerCount: Int
    /// Columns (ascending, NULLs first) each shuffled partition is sorted by
    /// before the next stage merges it (Druid's cluster-by key).
    package var sortKey: [Int] = []
    /// Group-key columns of a rollup aggregated only after the shuffle: a
    /// multi-value row becomes one row per value here, as grouping on it
    /// would, so sorted partitions keep each group's rows together.
    package var unnestBeforeShuffle: [Int] = []

    package init(number: Int, inputs: [StageInputSpec], processor: StageProcessor, signature: RowSignature, shuffle: ShuffleSpec?,
                 maxWorkerCount: Int) {
        self.number = number
        self.inputs = inputs
        self.processor = processor
        self.signature = signature
        self.shuffle = shuffle
        self.maxWorkerCount = maxWorkerCount
    }

    /// Stage numbers this stage reads.
    package var upstreamStages: [Int] {
        inputs.compactMap { if case .stage(let n) = $0 { n } else { nil } }
    }

    /// The report's `definition` object.
    package func json(queryID: String) -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("id", .string("\(queryID)_\(number)")),
            ("input", .array(inputs.map(\.json))),
            ("processor", .object([("type", .string(processor.typeName))])),
            ("signature", signature.json),
        ]
        if let shuffle { m.append(("shuffleSpec", shuffle.json)) }
        m.append(("maxWorkerCount", .int(Int64(maxWorkerCount))))
        return .object(m)
    }
}

/// The whole stage graph of one query: the seam between planning and
/// execution, and what the report prints under `stages[].definition`.
package struct QueryDefinition: Hashable, Sendable {
    package var queryID: String
    package var stages: [StageDefinition]

    /// Validates: stages numbered 0..<n, inputs refer to earlier stages,
    /// exactly the last stage has no shuffle.
    package init(queryID: String, stages: [StageDefinition]) throws(HengeError) {
        guard !stages.isEmpty else { throw HengeError.defensive("a query definition needs at least one stage") }
        for (i, s) in stages.enumerated() {
            guard s.number == i else { throw HengeError.defensive("stage \(s.number) out of order") }
            for u in s.upstreamStages where u >= i {
                throw HengeError.defensive("stage \(i) reads stage \(u), which does not come before it")
            }
            if (s.shuffle == nil) != (i == stages.count - 1) {
                throw HengeError.defensive("only the final stage may lack a shuffle spec")
            }
            guard s.maxWorkerCount >= 1 else { throw HengeError.defensive("stage \(i) has no workers") }
        }
        self.queryID = queryID
        self.stages = stages
    }

    package var finalStage: StageDefinition { stages[stages.count - 1] }
}
