package import DataModel

/// INSERT or REPLACE.
package enum IngestMode: String, Hashable, Sendable {
    case insert = "INSERT"
    case replace = "REPLACE"
}

/// A validated ingestion statement.
package struct IngestPlan: Hashable, Sendable {
    package var mode: IngestMode
    /// The inputs whose signature was inferred by sampling (EXTERN or a
    /// table function without one): `{inputSource, inputFormat, signature}`
    /// each as JSON text, recorded in the task report so the run can be
    /// repeated exactly.
    package var inferredInputs: [String] = []
    package var dataSource: String
    /// Rows to write; its fields are the target columns (`__time` first when present).
    package var query: LogicalPlan
    package var granularity: Granularity
    /// REPLACE: the time ranges overwritten (`[eternity]` for OVERWRITE ALL).
    package var replaceIntervals: [Interval]?
    /// CLUSTERED BY keys that are output columns, as indexes into `query.fields` (they order rows in segments).
    package var clusteredBy: [Int]
    /// Every CLUSTERED BY item as Druid displays it (output names, or expression text), for EXPLAIN.
    package var clusteredByDisplay: [String] = []
    /// Row order inside segments, as output column indexes: `segmentSortOrder`,
    /// then `__time` (unless `forceSegmentSortByTime` is false), CLUSTERED BY,
    /// the remaining columns (see `Binder.segmentSortOrder`).
    package var segmentSortOrder: [Int] = []
    /// REPLACE with CLUSTERED BY on single-valued string output columns
    /// writes range-partitioned segments on these columns (Druid's
    /// `DimensionRangeShardSpec`); nil means numbered segments, for
    /// `numberedReason`.
    package var rangeDimensions: [String]? = nil
    /// Why the segments are numbered (Druid's `segmentReport.details`).
    package var numberedReason = ""
    /// True when the query rolls up (GROUP BY).
    package var isRollup: Bool
    /// Row limit (only with PARTITIONED BY ALL).
    package var limit: Int?

    package init(mode: IngestMode, dataSource: String, query: LogicalPlan, granularity: Granularity, replaceIntervals: [Interval]?,
                 clusteredBy: [Int], isRollup: Bool, limit: Int?) {
        self.mode = mode
        self.dataSource = dataSource
        self.query = query
        self.granularity = granularity
        self.replaceIntervals = replaceIntervals
        self.clusteredBy = clusteredBy
        self.isRollup = isRollup
        self.limit = limit
    }
}

/// The binder's result.
package indirect enum BoundStatement: Hashable, Sendable {
    case query(LogicalPlan)
    case ingest(IngestPlan)
    case explain(BoundStatement)
}
