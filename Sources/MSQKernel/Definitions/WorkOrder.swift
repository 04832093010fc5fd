package import DataModel

/// A partition of an upstream stage's output, and the workers holding it.
package struct StagePartitionRef: Hashable, Sendable {
    package var stage: Int
    package var partition: Int
    /// The partition's key: its time-chunk start (0 for a single partition).
    package var key: Int64
    /// Upstream workers that produced rows of this partition.
    package var workers: [Int]

    package init(stage: Int, partition: Int, key: Int64, workers: [Int]) {
        self.stage = stage
        self.partition = partition
        self.key = key
        self.workers = workers
    }
}

/// One input slice of a work order.
package enum InputSlice: Hashable, Sendable {
    /// External input and the file indexes (into the source's listing) this worker reads.
    case external(ExternalInputSpec, fileIndexes: [Int])
    /// Shuffled partitions of an upstream stage.
    case stagePartitions([StagePartitionRef])
    /// Published segments and the indexes (into the spec's list) this worker reads.
    case table(TableInputSpec, segmentIndexes: [Int])
}

/// What one worker must do for one stage (Druid's `WorkOrder`).
package struct WorkOrder: Hashable, Sendable {
    package var queryID: String
    package var stage: StageDefinition
    package var workerNumber: Int
    package var inputs: [InputSlice]

    package init(queryID: String, stage: StageDefinition, workerNumber: Int, inputs: [InputSlice]) {
        self.queryID = queryID
        self.stage = stage
        self.workerNumber = workerNumber
        self.inputs = inputs
    }
}

/// What a worker reports after reading its input: the keys it saw, so the
/// controller can decide partition boundaries (Druid's cluster-by statistics).
package struct PartitionStatistics: Hashable, Sendable {
    /// Rows per time chunk start (epoch ms); for `.single` shuffles one entry at key 0.
    package var rowsPerBucket: [Int64: Int64]

    package init(rowsPerBucket: [Int64: Int64] = [:]) {
        self.rowsPerBucket = rowsPerBucket
    }

    package mutating func merge(_ other: PartitionStatistics) {
        for (k, v) in other.rowsPerBucket { rowsPerBucket[k, default: 0] += v }
    }
}
