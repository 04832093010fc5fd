internal import DataModel
internal import Foundation
internal import SQLPlanner
internal import MSQKernel
internal import MSQExec
internal import Metadata
internal import Logging

extension HengeEngine {
    /// The lock a task asks for: its type (context `taskLockType`, else
    /// `useConcurrentLocks`, else SHARED for INSERT / EXCLUSIVE for REPLACE)
    /// and intervals (REPLACE: the overwritten ones; INSERT, whose chunks are
    /// known only at the end: all time).
    static func lockRequest(taskID: String, plan: IngestPlan, context: QueryContext) -> TaskLockbox.Request {
        let concurrent = (try? context.bool("useConcurrentLocks")) ?? nil ?? false
        var type: TaskLockbox.LockType
        switch plan.mode {
        case .insert: type = concurrent ? .append : .shared
        case .replace: type = concurrent ? .replace : .exclusive
        }
        if !concurrent, let raw = context.string("taskLockType"), let explicit = TaskLockbox.LockType(rawValue: raw.uppercased()) {
            type = explicit
        }
        let intervals = plan.mode == .replace ? (plan.replaceIntervals ?? [.eternity]) : [.eternity]
        let priority = ((try? context.int("priority")) ?? nil) ?? 50
        return TaskLockbox.Request(taskID: taskID, dataSource: plan.dataSource, intervals: intervals, type: type, priority: priority)
    }

    /// Waits for task slots (PENDING) and then for the task's lock
    /// (WAITING). On failure nothing is held.
    func admit(taskID: String, plan: IngestPlan, context: QueryContext, slotCount: Int) async -> Result<Void, HengeError> {
        let registry = self.registry
        let canceled: @Sendable () async -> Bool = { await registry.get(taskID)?.canceled ?? true }
        guard await slots.acquire(taskID: taskID, slots: slotCount, isCanceled: canceled) else {
            return .failure(MSQFault.canceled())
        }
        let request = Self.lockRequest(taskID: taskID, plan: plan, context: context)
        let timeout = Int64(((try? context.int("taskLockTimeout")) ?? nil) ?? 300_000)
        let metadata = self.metadata
        let outcome = await lockbox.acquire(
            request, timeoutMillis: timeout, now: clock,
            onWaiting: {
                await registry.update(taskID) { $0.runnerStatus = .waiting }
                try? metadata.updateTask(id: taskID, status: "RUNNING", runnerStatus: "WAITING", durationMs: -1, errorMsg: nil, report: nil)
            },
            isCanceled: canceled,
            revoke: {
                let (_, controller) = await registry.cancel(taskID)
                await registry.update(taskID) { $0.preempted = true }
                await controller?.cancel()
            })
        switch outcome {
        case .granted: return .success(())
        case .canceled:
            await slots.release(slots: slotCount)
            return .failure(MSQFault.canceled())
        case .timedOut:
            await slots.release(slots: slotCount)
            let intervals = request.intervals.map(\.description).joined(separator: ", ")
            return .failure(MSQFault.unknownError(
                "Could not acquire a \(request.type.rawValue) lock on interval(s) [\(intervals)] of dataSource [\(plan.dataSource)] within taskLockTimeout [\(timeout)] ms; another task holds a conflicting lock"))
        }
    }

    /// Records the end of a task that never started running (canceled while
    /// PENDING/WAITING, or its lock wait timed out).
    func finishUnstarted(taskID: String, error: HengeError, createdTime: Int64) async {
        let end = clock()
        let outcome = TaskReportBuilder.Outcome(status: .failed, startTime: nil, durationMs: 0, error: error, segmentReport: nil,
                                                segmentLoad: nil, running: false)
        let report = TaskReportBuilder.report(taskID: taskID, outcome: outcome, snapshot: nil, now: end)
        do {
            try metadata.updateTask(id: taskID, status: "FAILED", runnerStatus: "NONE", durationMs: 0,
                                    errorMsg: "\(error.code): \(error.message)", report: report.serialized)
        } catch {
            logger.error("cannot record the end of task \(taskID): \(error)")
        }
        await registry.remove(taskID)
    }
}
