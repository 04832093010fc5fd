internal import DataModel

/// Time-chunk locks as Druid's Overlord grants them (reference §8.4,
/// `docs/ingestion/tasks.md#locking`), for the tasks of this process.
///
/// INSERT holds a shared lock (SHARED, or APPEND with `useConcurrentLocks`),
/// so INSERTs run side by side; REPLACE holds an exclusive lock (EXCLUSIVE,
/// or REPLACE with `useConcurrentLocks`) on the intervals it overwrites.
/// Concurrent-lock types (APPEND/REPLACE) never conflict with each other, as
/// Druid's concurrent append and replace allow. A request that conflicts
/// waits — the task reads `WAITING` — until the holders release, until
/// `taskLockTimeout` passes, or, when every conflicting holder has a lower
/// `priority`, it revokes their locks (they fail with InsertLockPreempted).
actor TaskLockbox {
    enum LockType: String, Sendable {
        case shared = "SHARED", exclusive = "EXCLUSIVE", append = "APPEND", replace = "REPLACE"

        /// Whether a lock of this type and one of `other` may be held at
        /// once on overlapping intervals.
        func compatible(with other: LockType) -> Bool {
            switch (self, other) {
            case (.shared, .shared): true
            case (.append, .append), (.append, .replace), (.replace, .append): true
            default: false
            }
        }
    }

    struct Request: Sendable {
        var taskID: String
        var dataSource: String
        var intervals: [Interval]
        var type: LockType
        var priority: Int
    }

    enum Outcome: Sendable, Equatable {
        case granted
        case timedOut
        case canceled
    }

    private struct Held {
        var request: Request
        /// Called once when a higher-priority task takes the lock away.
        var revoke: @Sendable () async -> Void
        /// When the lock was granted (epoch millis).
        var grantedAt: Int64
    }

    private var held: [Held] = []

    /// The conflicting holders of `r`, if any.
    private func conflicts(_ r: Request) -> [Held] {
        held.filter { h in
            h.request.taskID != r.taskID && h.request.dataSource == r.dataSource
                && !h.request.type.compatible(with: r.type)
                && h.request.intervals.contains { a in r.intervals.contains { a.overlaps($0) } }
        }
    }

    /// Grants the lock now if possible (revoking lower-priority holders).
    private func tryGrant(_ r: Request, now: Int64, revoke: @escaping @Sendable () async -> Void) async -> Bool {
        let blocking = conflicts(r)
        if !blocking.isEmpty {
            guard blocking.allSatisfy({ $0.request.priority < r.priority }) else { return false }
            let ids = Set(blocking.map(\.request.taskID))
            held.removeAll { ids.contains($0.request.taskID) }
            for b in blocking { await b.revoke() }
        }
        held.append(Held(request: r, revoke: revoke, grantedAt: now))
        return true
    }

    /// Waits for the lock; `onWaiting` runs once if the request must wait.
    /// `isCanceled` is polled so a shutdown ends the wait.
    func acquire(_ r: Request, timeoutMillis: Int64, now: @Sendable () -> Int64,
                 onWaiting: @Sendable () async -> Void, isCanceled: @Sendable () async -> Bool,
                 revoke: @escaping @Sendable () async -> Void) async -> Outcome {
        if await tryGrant(r, now: now(), revoke: revoke) { return .granted }
        await onWaiting()
        let deadline = now() + timeoutMillis
        while now() < deadline {
            if await isCanceled() { return .canceled }
            try? await Task.sleep(nanoseconds: 20_000_000)
            if await tryGrant(r, now: now(), revoke: revoke) { return .granted }
        }
        return .timedOut
    }

    /// Releases every lock of a task.
    func release(taskID: String) {
        held.removeAll { $0.request.taskID == taskID }
    }

    /// The task's lock type and when it was granted; nil when it holds none.
    func lock(of taskID: String) -> (type: LockType, grantedAt: Int64)? {
        held.first { $0.request.taskID == taskID }.map { ($0.request.type, $0.grantedAt) }
    }
}
