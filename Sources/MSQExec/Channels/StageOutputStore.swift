package import DataModel
package import Operators
package import SegmentFormat

/// A worker's shuffled output, by stage: every partition as sorted runs —
/// one in-memory batch when the stage stayed within its memory budget, else
/// sections of run files under the worker's temp directory. Kept until the
/// consuming stage is done (`drop`), which deletes the files.
package final class StageOutputStore: Sendable {
    private struct Output: Sendable {
        var partitions: [Int64: [SortedRun]]
        var files: [RunFile]
    }

    private let outputs = Mutex<[Int: Output]>([:])

    package init() {}

    /// Records a finished stage's partitions and the run files they live in.
    package func publish(stage: Int, partitions: [Int64: [SortedRun]], files: [RunFile]) {
        let previous = outputs.withLock { all -> Output? in
            defer { all[stage] = Output(partitions: partitions, files: files) }
            return all[stage]
        }
        previous?.files.forEach { $0.delete() }
    }

    /// One partition's sorted runs, in the order the stage wrote them.
    package func read(stage: Int, key: Int64) -> [SortedRun] {
        outputs.withLock { $0[stage]?.partitions[key] ?? [] }
    }

    /// Forgets a stage's output and deletes its run files.
    package func drop(stage: Int) {
        let dropped = outputs.withLock { $0.removeValue(forKey: stage) }
        dropped?.files.forEach { $0.delete() }
    }
}
