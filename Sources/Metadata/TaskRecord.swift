/// One ingestion or query task, as stored (Druid's task status fields).
package struct TaskRecord: Sendable, Equatable {
    /// `query-<uuid>`.
    package var id: String
    /// Druid's task type, `query_controller` for MSQ.
    package var type: String
    package var dataSource: String
    /// Creation time, epoch milliseconds.
    package var createdTime: Int64
    /// `RUNNING`, `SUCCESS` or `FAILED` (see `TaskRecord.Status`).
    package var status: String
    /// `WAITING`, `PENDING`, `RUNNING` or `NONE` (see `TaskRecord.RunnerStatus`).
    package var runnerStatus: String
    /// Run time in milliseconds; -1 while running.
    package var durationMs: Int64
    package var errorMsg: String?
    package var sqlQuery: String
    /// The query context as JSON text.
    package var context: String
    /// The final task report as JSON text; nil until the task ends.
    package var report: String?

    package init(
        id: String, type: String = "query_controller", dataSource: String, createdTime: Int64,
        status: String = Status.running, runnerStatus: String = RunnerStatus.waiting, durationMs: Int64 = -1,
        errorMsg: String? = nil, sqlQuery: String, context: String = "{}", report: String? = nil
    ) {
        self.id = id
        self.type = type
        self.dataSource = dataSource
        self.createdTime = createdTime
        self.status = status
        self.runnerStatus = runnerStatus
        self.durationMs = durationMs
        self.errorMsg = errorMsg
        self.sqlQuery = sqlQuery
        self.context = context
        self.report = report
    }

    /// The values of `status` (Druid's `TaskState`).
    package enum Status {
        package static let running = "RUNNING"
        package static let success = "SUCCESS"
        package static let failed = "FAILED"
        package static let all = [running, success, failed]
    }

    /// The values of `runnerStatus` (Druid's `RunnerTaskState`).
    package enum RunnerStatus {
        package static let waiting = "WAITING"
        package static let pending = "PENDING"
        package static let running = "RUNNING"
        package static let none = "NONE"
        package static let all = [waiting, pending, running, none]
    }
}
