/// A task whose success commits with its segments (`MetadataStore.publish`).
package struct TaskCompletion: Sendable {
    package var taskID: String
    package var durationMs: Int64

    package init(taskID: String, durationMs: Int64) {
        self.taskID = taskID
        self.durationMs = durationMs
    }
}

extension MetadataStore {
    package func publish(newSegments: [SegmentRecord], overshadowedIDs: [String]) throws {
        try publish(newSegments: newSegments, overshadowedIDs: overshadowedIDs, completing: nil)
    }
}

/// The durable state of Henge: tasks and published segments.
///
/// Every method is one transaction and blocks on I/O; call them off the
/// cooperative thread pool. Errors are `HengeError`s (`conflict` when a
/// uniqueness rule is broken, `notFound` for a missing task).
package protocol MetadataStore: Sendable {
    /// Stores a new task; throws `conflict` when the id exists.
    func insertTask(_ task: TaskRecord) throws

    /// Updates the state of a task; throws `notFound` when there is none.
    func updateTask(
        id: String, status: String, runnerStatus: String, durationMs: Int64, errorMsg: String?, report: String?
    ) throws

    func task(id: String) throws -> TaskRecord?

    /// All tasks, newest first.
    func tasks() throws -> [TaskRecord]

    /// Marks every `RUNNING` task `FAILED` (runner status `NONE`, error
    /// `message`, duration up to `now`) and returns their ids, oldest first.
    /// Used at start-up: tasks do not survive a restart yet.
    func failInterruptedTasks(message: String, now: Int64) throws -> [String]

    /// Publishes atomically: inserts `newSegments` as used and marks the
    /// segments with ids `overshadowedIDs` unused, all or nothing. Throws
    /// `conflict` (and changes nothing) when a new segment id exists already.
    /// With `completing`, the same transaction records that task SUCCESS
    /// (runner status NONE), so a crash cannot separate a task's segments
    /// from its outcome.
    func publish(newSegments: [SegmentRecord], overshadowedIDs: [String], completing: TaskCompletion?) throws

    /// Used segments (tombstones included) of one data source, or of all
    /// when nil, sorted by start, version, partition.
    func usedSegments(dataSource: String?) throws -> [SegmentRecord]

    /// The segment with this id, used or not.
    func segment(id: String) throws -> SegmentRecord?

    /// Every non-empty storage key referenced by a segment, used or not.
    func allSegmentKeys() throws -> Set<String>

    /// Data sources with at least one used segment that is not a tombstone, sorted.
    func dataSources() throws -> [String]

    /// Marks all used segments of a data source unused; returns how many.
    func markUnused(dataSource: String) throws -> Int
}
