import DataModel
import Testing
@testable import Metadata

struct TaskStoreTests {
    @Test func lifecycle() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        let task = Fixtures.task("query-a", created: 1_000)
        try store.insertTask(task)
        #expect(try store.task(id: "query-a") == task)
        #expect(try store.task(id: "query-zzz") == nil)
        #expect(task.status == "RUNNING" && task.runnerStatus == "WAITING" && task.durationMs == -1)

        try store.updateTask(id: "query-a", status: "RUNNING", runnerStatus: "RUNNING", durationMs: -1, errorMsg: nil,
                             report: nil)
        #expect(try store.task(id: "query-a")?.runnerStatus == "RUNNING")

        let report = #"{"multiStageQuery":{"taskId":"query-a"}}"#
        try store.updateTask(id: "query-a", status: "SUCCESS", runnerStatus: "NONE", durationMs: 1_234, errorMsg: nil,
                             report: report)
        var expected = task
        expected.status = "SUCCESS"
        expected.runnerStatus = "NONE"
        expected.durationMs = 1_234
        expected.report = report
        #expect(try store.task(id: "query-a") == expected)
    }

    @Test func duplicateTaskIsAConflict() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        try store.insertTask(Fixtures.task("query-a", created: 1))
        let error = #expect(throws: HengeError.self) { try store.insertTask(Fixtures.task("query-a", created: 2)) }
        #expect(error?.code == "conflict")
        #expect(error?.category == .conflict)
        #expect(try store.task(id: "query-a")?.createdTime == 1)
    }

    @Test func updatingAMissingTaskIsNotFound() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        let error = #expect(throws: HengeError.self) {
            try store.updateTask(id: "query-x", status: "FAILED", runnerStatus: "NONE", durationMs: 1, errorMsg: "x",
                                 report: nil)
        }
        #expect(error?.code == "notFound")
    }

    @Test func invalidStatusIsRefusedBySchema() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        var task = Fixtures.task("query-a", created: 1)
        task.status = "DONE"
        #expect(throws: HengeError.self) { try store.insertTask(task) }
        #expect(try store.task(id: "query-a") == nil)
    }

    @Test func tasksAreNewestFirst() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        for (id, created) in [("query-b", 200), ("query-a", 100), ("query-c", 300), ("query-d", 200)] {
            try store.insertTask(Fixtures.task(id, created: Int64(created)))
        }
        #expect(try store.tasks().map(\.id) == ["query-c", "query-d", "query-b", "query-a"])
    }

    @Test func failInterruptedTasks() throws {
        let store = try SQLiteMetadataStore(.inMemory)
        try store.insertTask(Fixtures.task("query-old", created: 100))
        try store.insertTask(Fixtures.task("query-new", created: 500))
        try store.insertTask(Fixtures.task("query-done", created: 50))
        try store.updateTask(id: "query-done", status: "SUCCESS", runnerStatus: "NONE", durationMs: 10, errorMsg: nil,
                             report: "{}")

        let message = "Task was interrupted by a restart of Henge"
        #expect(try store.failInterruptedTasks(message: message, now: 1_000) == ["query-old", "query-new"])

        let old = try #require(try store.task(id: "query-old"))
        #expect(old.status == "FAILED" && old.runnerStatus == "NONE")
        #expect(old.errorMsg == message)
        #expect(old.durationMs == 900)
        #expect(try store.task(id: "query-new")?.durationMs == 500)
        let done = try #require(try store.task(id: "query-done"))
        #expect(done.status == "SUCCESS" && done.errorMsg == nil && done.durationMs == 10)

        #expect(try store.failInterruptedTasks(message: message, now: 2_000).isEmpty)
    }
}
