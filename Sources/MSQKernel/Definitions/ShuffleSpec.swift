package import DataModel

/// How a stage's output is partitioned for the next stage.
package enum ShuffleSpec: Hashable, Sendable {
    /// One partition per time chunk of `timeColumn` under `granularity`,
    /// sorted by time then `clusterBy` (Druid's `globalSort` with
    /// time-chunk bucketing).
    case timeChunks(timeColumn: Int, granularity: Granularity, clusterBy: [Int])
    /// Everything in one partition.
    case single

    /// Druid-style JSON for the report's stage definition.
    package var json: JSONValue {
        switch self {
        case .timeChunks(let timeColumn, let g, let cluster):
            return .object([
                ("type", "globalSort"),
                ("clusterBy", .object([("columns", .array(([timeColumn] + cluster).map { .object([("columnNumber", .int(Int64($0))), ("order", "ASCENDING")]) })),
                                       ("bucketByCount", 1)])),
                ("segmentGranularity", .string(g.description)),
            ])
        case .single:
            return .object([("type", "mix")])
        }
    }

    /// True when the stage sorts while shuffling.
    package var sorts: Bool {
        if case .timeChunks = self { return true }
        return false
    }
}
