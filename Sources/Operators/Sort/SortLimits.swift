/// How much a sort may hold in memory before it spills, and how it merges.
package struct SortLimits: Hashable, Sendable {
    /// Rows buffered before they are sorted and written as a run (`rowsInMemory`).
    package var rows: Int
    /// Estimated bytes buffered before the same.
    package var bytes: Int64
    /// Rows per frame in run files and per merged output batch.
    package var rowsPerFrame: Int
    /// Most runs one merge reads at once (each holds one frame in memory).
    package var fanIn: Int
    /// Most runs per partition a finished sort may leave for its consumer to
    /// merge; more are merged down level by level first.
    package var maxRunsPerPartition: Int

    package init(rows: Int, bytes: Int64, rowsPerFrame: Int, fanIn: Int, maxRunsPerPartition: Int) {
        self.rows = max(1, rows)
        self.bytes = max(1, bytes)
        self.rowsPerFrame = max(1, rowsPerFrame)
        self.fanIn = max(2, fanIn)
        self.maxRunsPerPartition = max(1, maxRunsPerPartition)
    }

    /// No spilling (tests and small in-process work).
    package static let unlimited = SortLimits(rows: .max, bytes: .max, rowsPerFrame: 4096, fanIn: 64, maxRunsPerPartition: 64)
}

/// What a sort has done so far, for Druid's `sortProgress` counter and the
/// shuffle counters. Level 0 writes sorted runs from buffered rows (an
/// unspilled sort counts as one), each middle level merges up to `fanIn`
/// runs into one, and the last level hands each partition's runs to the
/// consumer.
package struct SortStats: Hashable, Sendable {
    /// Batches (runs written or merges done) per level so far.
    package var mergedByLevel: [Int: Int] = [:]
    /// Batches per level; known once the input has ended.
    package var totalByLevel: [Int: Int] = [:]
    /// Known once the input has ended.
    package var totalLevels: Int? = nil
    /// Partitions handed to the consumer (the last level's batches).
    package var partitions: Int? = nil
    /// True when there was nothing to sort.
    package var triviallyComplete = false
    /// Rows, bytes and frames written to run files (every level).
    package var rowsSpilled: Int64 = 0
    package var bytesSpilled: Int64 = 0
    package var framesSpilled: Int64 = 0
    /// Rows, bytes (estimated) and frames of the sorted output.
    package var outputRows: Int64 = 0
    package var outputBytes: Int64 = 0
    package var outputFrames: Int64 = 0

    package init() {}
}
