package import DataModel
package import Expressions

/// How a stage turns its input into output rows.
package enum StageProcessor: Hashable, Sendable {
    /// Reads input rows, applies `operations`, and (for rollup) aggregates
    /// partially before the shuffle (Druid's `scan` / `groupByPreShuffle`).
    case scan(operations: [RowOperation], partialAggregate: AggregateSpec?)
    /// Merges shuffled partitions (final aggregation for rollup, then
    /// `postOperations`) and writes one or more segments per time chunk.
    case segmentGenerator(SegmentGeneratorSpec)

    /// Druid's processor type name, for reports.
    package var typeName: String {
        switch self {
        case .scan(_, let agg): agg == nil ? "scan" : "groupByPreShuffle"
        case .segmentGenerator: "segmentGenerator"
        }
    }
}

/// What the segment-generation stage needs to write a datasource's segments.
package struct SegmentGeneratorSpec: Hashable, Sendable {
    package var dataSource: String
    package var granularity: Granularity
    /// Final aggregation after the shuffle (rollup), over the shuffled columns.
    package var finalAggregate: AggregateSpec?
    /// Applied after the final aggregation (HAVING, output projection).
    package var postOperations: [RowOperation]
    /// Signature of the segments written; column 0 is `__time`.
    package var segmentSignature: RowSignature
    /// Sort keys inside each segment (indexes into `segmentSignature`), after `__time`.
    package var clusterBy: [Int]
    package var rowsPerSegment: Int
    /// REPLACE ... OVERWRITE WHERE: rows must fall in these ranges (else InsertTimeOutOfBounds).
    package var replaceBounds: [Interval]?
    /// `LIMIT n` of an ingestion (only allowed with PARTITIONED BY ALL, so one partition sees every row).
    package var limit: Int?
    /// `maxNumSegments`: most segments one time chunk may produce (nil: no limit).
    package var maxNumSegments: Int? = nil
    /// Row order inside segments (indexes into `segmentSignature`); empty
    /// means `__time`, `clusterBy`, then the other columns.
    package var sortOrder: [Int] = []
    /// Range partitioning keys (indexes into `segmentSignature`) for
    /// range shard specs; nil writes numbered segments of `rowsPerSegment`.
    package var rangeKeys: [Int]? = nil

    /// The effective in-segment row order.
    package var rowOrder: [Int] {
        if !sortOrder.isEmpty { return sortOrder }
        return [0] + clusterBy.filter { $0 != 0 } + (1..<segmentSignature.count).filter { !clusterBy.contains($0) }
    }

    /// The order rows reach the segment writer in: the row order, or for
    /// range partitioning the range keys first (so key ranges can be cut as
    /// rows stream by; each piece is sorted into `rowOrder` when written).
    package var streamOrder: [Int] { SegmentGeneratorSpec.streamOrder(rowOrder: rowOrder, rangeKeys: rangeKeys) }

    package static func streamOrder(rowOrder: [Int], rangeKeys: [Int]?) -> [Int] {
        guard let keys = rangeKeys else { return rowOrder }
        return keys + rowOrder.filter { !keys.contains($0) }
    }
    /// The columns (of the shuffled rows) the input partitions are sorted by;
    /// the generator merges them on this key.
    package var inputSortKey: [Int] = []
    /// True when the rows after the final aggregation and `postOperations`
    /// are not already in segment order, so the generator sorts them again.
    package var resortAfterAggregate = false

    package init(dataSource: String, granularity: Granularity, finalAggregate: AggregateSpec?, postOperations: [RowOperation],
                 segmentSignature: RowSignature, clusterBy: [Int], rowsPerSegment: Int, replaceBounds: [Interval]? = nil,
                 limit: Int? = nil) {
        self.replaceBounds = replaceBounds
        self.limit = limit
        self.dataSource = dataSource
        self.granularity = granularity
        self.finalAggregate = finalAggregate
        self.postOperations = postOperations
        self.segmentSignature = segmentSignature
        self.clusterBy = clusterBy
        self.rowsPerSegment = rowsPerSegment
    }
}
