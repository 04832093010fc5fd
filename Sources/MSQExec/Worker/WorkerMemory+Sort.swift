internal import DataModel
internal import MSQKernel
internal import Operators

extension WorkerMemory {
    /// The sort limits of a stage whose rows have `signature` and whose
    /// output `consumers` runs per partition (one set per producing worker)
    /// are merged together downstream.
    func sortLimits(_ signature: RowSignature, producers: Int) -> SortLimits {
        SortLimits(rows: rowsInMemory, bytes: bufferBytes, rowsPerFrame: rowsPerFrame(signature), fanIn: mergeFanIn,
                   maxRunsPerPartition: max(1, mergeFanIn / max(1, producers)))
    }
}

extension SortProgressCounter {
    /// Druid's view of a sort's progress.
    init(_ stats: SortStats) {
        self.init()
        if stats.triviallyComplete {
            triviallyComplete = true
            return
        }
        totalMergingLevels = stats.totalLevels ?? -1
        levelToTotalBatches = stats.totalByLevel.mapValues(Int64.init)
        levelToMergedBatches = stats.mergedByLevel.mapValues(Int64.init)
        totalMergersForUltimateLevel = stats.partitions.map(Int64.init) ?? -1
    }
}

extension WorkerCounters {
    /// Sort progress and shuffle counters of a stage's sort: while it runs,
    /// what it has spilled; once finished, the sorted output it hands on
    /// (run-file bytes when it spilled, estimated in-memory bytes otherwise).
    mutating func recordSort(_ stats: SortStats) {
        sortProgress = SortProgressCounter(stats)
        shuffle = ChannelCounters()
        if stats.totalLevels != nil {
            shuffle.add(rows: stats.outputRows, bytes: stats.outputBytes, frames: stats.outputFrames)
        } else {
            shuffle.add(rows: stats.rowsSpilled, bytes: stats.bytesSpilled, frames: stats.framesSpilled)
        }
    }
}
