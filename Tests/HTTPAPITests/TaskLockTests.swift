import DataModel
import Foundation
import HengeTestSupport
import Testing

/// Time-chunk locks and task slots (reference §8.4, §4.2 `runnerStatusCode`):
/// REPLACE waits for conflicting writers (WAITING) until `taskLockTimeout`,
/// a higher `priority` preempts (InsertLockPreempted), INSERTs share, and
/// tasks beyond `--task-slots` wait as PENDING. The first task of each test
/// reads an `http` body the test holds back, so it runs exactly as long as
/// the test needs.
struct TaskLockTests {
    static let row = #"{"ts":"2024-01-01T00:00:00Z","v":"held"}"#

    /// An ingest reading the gated body from `url`.
    static func gatedIngest(_ verb: String, _ dataSource: String, url: String) -> String {
        """
        \(verb) INTO \(dataSource) \(verb == "REPLACE" ? "OVERWRITE ALL" : "")
        SELECT TIME_PARSE(ts) AS __time, v
        FROM TABLE(http(uris => ARRAY['\(url)'], format => 'json')) EXTEND (ts VARCHAR, v VARCHAR)
        PARTITIONED BY DAY
        """
    }

    static func inlineIngest(_ verb: String, _ dataSource: String, value: String) -> String {
        """
        \(verb) INTO \(dataSource) \(verb == "REPLACE" ? "OVERWRITE ALL" : "")
        SELECT TIME_PARSE(ts) AS __time, v
        FROM TABLE(inline(data => ARRAY['{"ts":"2024-01-01T00:00:00Z","v":"\(value)"}'], format => 'json')) EXTEND (ts VARCHAR, v VARCHAR)
        PARTITIONED BY DAY
        """
    }

    /// Polls until the task's `runnerStatusCode` is `code`.
    static func waitForRunner(_ http: HTTPClient, _ id: String, _ code: String) async throws {
        let deadline = Date().addingTimeInterval(20)
        var last: JSONValue? = nil
        while Date() < deadline {
            last = try await http.taskStatus(id).json()["status"]
            if last?["runnerStatusCode"] == .string(code) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("task \(id) never reached runnerStatusCode \(code): \(last?.serialized ?? "nil")")
    }

    static func submit(_ http: HTTPClient, _ sql: String, id: String, context: [(String, JSONValue)] = []) async throws -> String {
        let r = try await http.submitTask(sql, context: [("sqlQueryId", .string(id))] + context)
        guard r.status == 202 else { throw TestFailure("submit \(id): HTTP \(r.status) \(r.text)") }
        return "query-" + id
    }

    /// Runs `body` with a server allowed to read the gated loopback source.
    static func withGatedServer(extra: [String] = [], _ body: (ServerProcess, HTTPClient, String, LoopbackHTTPServer.Gate) async throws -> Void)
        async throws
    {
        let gate = LoopbackHTTPServer.Gate()
        let source = try LoopbackHTTPServer { _, _ in .gated(body: Array((row + "\n").utf8), gate: gate) }
        defer { source.stop() }
        let server = try await ServerProcess.start(extraArguments: ["--allow-http-host", "127.0.0.1"] + extra)
        defer { server.removeWorkDir() }
        var opened = false
        do {
            try await server.use { server in try await body(server, HTTPClient(server), source.url("/held.json"), gate) }
        } catch {
            if !opened { gate.open(); opened = true }
            throw error
        }
    }

    @Test func replaceWaitsForConflictingReplace() async throws {
        try await Self.withGatedServer { server, http, url, gate in
            let first = try await Self.submit(http, Self.gatedIngest("REPLACE", "locked", url: url), id: "lock-a")
            try await Self.waitForRunner(http, first, "RUNNING")
            let second = try await Self.submit(http, Self.inlineIngest("REPLACE", "locked", value: "second"), id: "lock-b")
            try await Self.waitForRunner(http, second, "WAITING")
            let waiting = try await http.taskStatus(second).json()["status"]
            #expect(waiting?["statusCode"] == "RUNNING")
            gate.open()
            #expect(try await http.waitForTask(first)["status"]?["statusCode"] == "SUCCESS")
            #expect(try await http.waitForTask(second)["status"]?["statusCode"] == "SUCCESS")
            // The waiting REPLACE ran second: its rows replaced the first one's.
            let rows = try await http.sql("SELECT v FROM locked", resultFormat: "array")
            #expect(rows.text == #"[["second"]]"# + "\n")
        }
    }

    /// A REPLACE that reads its own target reads it once it holds the lock:
    /// the waiting copy sees what the REPLACE before it published.
    @Test func reindexingReadsTheSnapshotUnderItsLock() async throws {
        try await Self.withGatedServer { server, http, url, gate in
            _ = try await http.ingest(Self.inlineIngest("INSERT", "locked", value: "orig"), queryID: "orig")
            let first = try await Self.submit(http, Self.gatedIngest("REPLACE", "locked", url: url), id: "writer")
            try await Self.waitForRunner(http, first, "RUNNING")
            let copy = try await Self.submit(http, """
                REPLACE INTO locked OVERWRITE ALL
                SELECT __time, v || '-copy' AS v FROM locked
                PARTITIONED BY DAY
                """, id: "copy")
            try await Self.waitForRunner(http, copy, "WAITING")
            gate.open()
            #expect(try await http.waitForTask(first)["status"]?["statusCode"] == "SUCCESS")
            #expect(try await http.waitForTask(copy)["status"]?["statusCode"] == "SUCCESS")
            let rows = try await http.sql("SELECT v FROM locked", resultFormat: "array")
            #expect(rows.text == #"[["held-copy"]]"# + "\n")
        }
    }

    @Test func lockWaitTimesOut() async throws {
        try await Self.withGatedServer { server, http, url, gate in
            let first = try await Self.submit(http, Self.gatedIngest("REPLACE", "locked", url: url), id: "hold")
            try await Self.waitForRunner(http, first, "RUNNING")
            let second = try await Self.submit(http, Self.inlineIngest("REPLACE", "locked", value: "late"), id: "late",
                                               context: [("taskLockTimeout", 300)])
            let failed = try await http.waitForTask(second)["status"]
            #expect(failed?["statusCode"] == "FAILED")
            let message = failed?["errorMsg"]?.stringValue ?? ""
            #expect(message.hasPrefix("UnknownError: Could not acquire a EXCLUSIVE lock on interval(s) [-146136543-09-08T08:23:32.096Z/146140482-04-24T15:36:27.903Z] of dataSource [locked] within taskLockTimeout [300] ms"), "\(message)")
            gate.open()
            #expect(try await http.waitForTask(first)["status"]?["statusCode"] == "SUCCESS")
            let rows = try await http.sql("SELECT v FROM locked", resultFormat: "array")
            #expect(rows.text == #"[["held"]]"# + "\n")
        }
    }

    @Test func higherPriorityPreempts() async throws {
        try await Self.withGatedServer { server, http, url, gate in
            let low = try await Self.submit(http, Self.gatedIngest("REPLACE", "locked", url: url), id: "low")
            try await Self.waitForRunner(http, low, "RUNNING")
            let high = try await Self.submit(http, Self.inlineIngest("REPLACE", "locked", value: "high"), id: "high",
                                             context: [("priority", 100)])
            #expect(try await http.waitForTask(high)["status"]?["statusCode"] == "SUCCESS")
            gate.open()
            let lost = try await http.waitForTask(low)["status"]
            #expect(lost?["statusCode"] == "FAILED")
            #expect(lost?["errorMsg"]?.stringValue?.hasPrefix("InsertLockPreempted: Insert lock preempted") == true)
            let report = try await http.taskReport(low).json()
            #expect(report["multiStageQuery"]?["payload"]?["status"]?["errorReport"]?["error"]?["errorCode"] == "InsertLockPreempted")
            let rows = try await http.sql("SELECT v FROM locked", resultFormat: "array")
            #expect(rows.text == #"[["high"]]"# + "\n")
        }
    }

    @Test func insertsShareTheirLock() async throws {
        try await Self.withGatedServer { server, http, url, gate in
            let first = try await Self.submit(http, Self.gatedIngest("INSERT", "shared", url: url), id: "ins-a")
            try await Self.waitForRunner(http, first, "RUNNING")
            let second = try await Self.submit(http, Self.inlineIngest("INSERT", "shared", value: "other"), id: "ins-b")
            // The second INSERT finishes while the first still holds its shared lock.
            #expect(try await http.waitForTask(second)["status"]?["statusCode"] == "SUCCESS")
            #expect(try await http.taskStatus(first).json()["status"]?["statusCode"] == "RUNNING")
            gate.open()
            #expect(try await http.waitForTask(first)["status"]?["statusCode"] == "SUCCESS")
            let rows = try await http.sql("SELECT v FROM shared ORDER BY v", resultFormat: "array")
            #expect(rows.text == #"[["held"],["other"]]"# + "\n")
        }
    }

    @Test func tasksBeyondSlotsArePending() async throws {
        try await Self.withGatedServer(extra: ["--task-slots", "2"]) { server, http, url, gate in
            let first = try await Self.submit(http, Self.gatedIngest("INSERT", "one", url: url), id: "slot-a")
            try await Self.waitForRunner(http, first, "RUNNING")
            let second = try await Self.submit(http, Self.inlineIngest("INSERT", "two", value: "queued"), id: "slot-b")
            try await Self.waitForRunner(http, second, "PENDING")
            // A pending task can be shut down before it starts.
            let third = try await Self.submit(http, Self.inlineIngest("INSERT", "three", value: "dropped"), id: "slot-c")
            try await Self.waitForRunner(http, third, "PENDING")
            #expect(try await http.request("POST", "/druid/indexer/v1/task/\(third)/shutdown").status == 200)
            let canceled = try await http.waitForTask(third)["status"]
            #expect(canceled?["statusCode"] == "FAILED")
            #expect(canceled?["errorMsg"]?.stringValue?.hasPrefix("Canceled") == true)
            gate.open()
            #expect(try await http.waitForTask(first)["status"]?["statusCode"] == "SUCCESS")
            #expect(try await http.waitForTask(second)["status"]?["statusCode"] == "SUCCESS")
        }
    }

    /// `useConcurrentLocks` (Druid's concurrent append and replace): an INSERT
    /// (APPEND lock) runs beside a REPLACE (REPLACE lock) on the same
    /// interval, and what it appended while the REPLACE ran survives the
    /// REPLACE (upgraded into its version), while older data is replaced.
    @Test func concurrentAppendDuringReplaceIsKept() async throws {
        try await Self.withGatedServer { server, http, url, gate in
            try await http.ingest(Self.inlineIngest("INSERT", "conc", value: "old"))
            let concurrent: [(String, JSONValue)] = [("useConcurrentLocks", true)]
            let replace = try await Self.submit(http, Self.gatedIngest("REPLACE", "conc", url: url), id: "conc-r", context: concurrent)
            try await Self.waitForRunner(http, replace, "RUNNING")
            try await http.ingest(Self.inlineIngest("INSERT", "conc", value: "appended"), context: concurrent)
            #expect(try await http.rows("SELECT v FROM conc ORDER BY v") == [["appended"], ["old"]])
            gate.open()
            #expect(try await http.waitForTask(replace)["status"]?["statusCode"] == "SUCCESS")
            #expect(try await http.rows("SELECT v FROM conc ORDER BY v") == [["appended"], ["held"]])
            // Both live segments carry the REPLACE's version: the appended one as partition 1 of it.
            let segments = try await http.rows("SELECT \"partition_num\", num_rows FROM sys.segments WHERE datasource = 'conc' ORDER BY 1")
            #expect(segments == [[0, 1], [1, 1]])
            let versions = try await http.rows("SELECT COUNT(DISTINCT \"version\") FROM sys.segments WHERE datasource = 'conc'")
            #expect(versions == [[1]])
        }
    }
}
