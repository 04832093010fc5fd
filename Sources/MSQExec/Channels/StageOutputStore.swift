package import DataModel

/// A worker's shuffled output for its stages: batches by partition key.
/// In memory for now; spilling to the task's temp directory comes with the
/// memory budget.
package final class StageOutputStore: Sendable {
    private let partitions = Mutex<[Int: [Int64: [Batch]]]>([:])

    package init() {}

    package func append(stage: Int, key: Int64, _ batch: Batch) {
        partitions.withLock { $0[stage, default: [:]][key, default: []].append(batch) }
    }

    package func read(stage: Int, key: Int64) -> [Batch] {
        partitions.withLock { $0[stage]?[key] ?? [] }
    }

    package func drop(stage: Int) {
        _ = partitions.withLock { $0.removeValue(forKey: stage) }
    }
}
