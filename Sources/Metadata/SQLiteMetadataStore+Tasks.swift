internal import DataModel
internal import GRDB

extension SQLiteMetadataStore {
    package func insertTask(_ task: TaskRecord) throws {
        try write("insert task [\(task.id)]") { db in
            try db.execute(
                sql: "INSERT INTO tasks (\(TaskRecord.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: task.arguments)
        }
    }

    package func updateTask(
        id: String, status: String, runnerStatus: String, durationMs: Int64, errorMsg: String?, report: String?
    ) throws {
        try write("update task [\(id)]") { db in
            try db.execute(
                sql: """
                    UPDATE tasks SET status = ?, runner_status = ?, duration_ms = ?, error_msg = ?, report = ?
                    WHERE id = ?
                    """,
                arguments: [status, runnerStatus, durationMs, errorMsg, report, id])
            if db.changesCount == 0 { throw HengeError.notFound("Task [\(id)] does not exist") }
        }
    }

    package func task(id: String) throws -> TaskRecord? {
        try read("read task [\(id)]") { db in
            try Row.fetchOne(db, sql: "SELECT \(TaskRecord.columns) FROM tasks WHERE id = ?", arguments: [id])
                .map(TaskRecord.init(row:))
        }
    }

    package func tasks() throws -> [TaskRecord] {
        try read("list tasks") { db in
            try Row.fetchAll(db, sql: "SELECT \(TaskRecord.columns) FROM tasks ORDER BY created_time DESC, id DESC")
                .map(TaskRecord.init(row:))
        }
    }

    package func failInterruptedTasks(message: String, now: Int64) throws -> [String] {
        try write("fail interrupted tasks") { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM tasks WHERE status = 'RUNNING' ORDER BY created_time, id")
            try db.execute(
                sql: """
                    UPDATE tasks SET status = 'FAILED', runner_status = 'NONE', error_msg = ?,
                        duration_ms = CASE WHEN duration_ms < 0 THEN MAX(? - created_time, 0) ELSE duration_ms END
                    WHERE status = 'RUNNING'
                    """,
                arguments: [message, now])
            return ids
        }
    }
}
