package import DataModel
package import MSQKernel
package import Operators

/// A segment file a worker wrote into the task's temp directory.
package struct GeneratedSegment: Hashable, Sendable {
    package var interval: Interval
    /// Ordinal of this segment within its time chunk, for this task.
    package var ordinalInChunk: Int
    package var localPath: String
    package var rowCount: Int
    package var sizeBytes: Int64
    package var signature: RowSignature
    /// The CLUSTERED BY key range this segment holds, when the task writes
    /// range-partitioned segments (REPLACE with string keys); nil otherwise.
    package var range: SegmentKeyRange? = nil

    package init(interval: Interval, ordinalInChunk: Int, localPath: String, rowCount: Int, sizeBytes: Int64, signature: RowSignature) {
        self.interval = interval
        self.ordinalInChunk = ordinalInChunk
        self.localPath = localPath
        self.rowCount = rowCount
        self.sizeBytes = sizeBytes
        self.signature = signature
    }
}

/// The key range of a range-partitioned segment (Druid's
/// `DimensionRangeShardSpec`): `start` inclusive, `end` exclusive, nil for
/// an open end; values aligned with `dimensions`.
package struct SegmentKeyRange: Hashable, Sendable {
    package var dimensions: [String]
    package var start: [String?]?
    package var end: [String?]?

    package init(dimensions: [String], start: [String?]?, end: [String?]?) {
        self.dimensions = dimensions
        self.start = start
        self.end = end
    }
}

/// What a worker returns when it completes a work order.
package struct WorkOrderResult: Sendable {
    /// Keys the worker produced (for shuffling stages).
    package var statistics: PartitionStatistics
    /// Segments written (segment-generation stages).
    package var segments: [GeneratedSegment]

    package init(statistics: PartitionStatistics = PartitionStatistics(), segments: [GeneratedSegment] = []) {
        self.statistics = statistics
        self.segments = segments
    }
}

/// How the controller (and other workers) reach a worker. The in-process
/// implementation is `InProcessWorkerClient`; an HTTP one comes with
/// multi-process workers, without changing the controller.
package protocol WorkerClient: Sendable {
    var workerNumber: Int { get }
    /// Runs a work order to completion.
    func run(_ order: WorkOrder) async throws -> WorkOrderResult
    /// The sorted runs of one shuffled partition this worker produced for a
    /// stage, in the order it wrote them. (In process, run files are read
    /// where they lie; a remote worker would stream their frames.)
    func fetchPartition(stage: Int, key: Int64) async throws -> [SortedRun]
    /// Live counters, by stage.
    func counters() -> [Int: WorkerCounters]
    /// Stops at the next batch.
    func cancel()
    /// Drops a stage's shuffle output once downstream stages are done.
    func cleanup(stage: Int)
}
