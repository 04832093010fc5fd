internal import DataModel
internal import MSQExec
internal import SQLPlanner

/// Druid's task states (`statusCode`, `status`).
enum TaskStatusCode: String, Sendable {
    case running = "RUNNING", success = "SUCCESS", failed = "FAILED"
}

/// Druid's `runnerStatusCode`.
enum RunnerStatusCode: String, Sendable {
    case waiting = "WAITING", pending = "PENDING", running = "RUNNING", none = "NONE"
}

/// A task while it runs: enough to answer status, live reports and shutdown.
struct LiveTask: Sendable {
    var id: String
    var dataSource: String
    var createdTime: Int64
    var startTime: Int64?
    var runnerStatus: RunnerStatusCode
    var controller: Controller?
    var parseWarnings: ParseWarnings?
    var plan: IngestPlan
    var context: QueryContext
    var canceled = false
    /// Set when a higher-priority task revoked this task's lock.
    var preempted = false
}

/// The tasks currently running in this process.
actor TaskRegistry {
    private var live: [String: LiveTask] = [:]

    func add(_ t: LiveTask) { live[t.id] = t }

    func get(_ id: String) -> LiveTask? { live[id] }

    func update(_ id: String, _ f: (inout LiveTask) -> Void) {
        guard var t = live[id] else { return }
        f(&t)
        live[id] = t
    }

    func remove(_ id: String) { live.removeValue(forKey: id) }

    func contains(_ id: String) -> Bool { live[id] != nil }

    /// Marks a task canceled and returns its controller (nil if not started yet).
    func cancel(_ id: String) -> (known: Bool, controller: Controller?) {
        guard var t = live[id] else { return (false, nil) }
        t.canceled = true
        live[id] = t
        return (true, t.controller)
    }
}
