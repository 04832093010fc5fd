import DataModel
import Foundation
import Testing

/// Canceling a running ingestion (reference §4.4) and serving while one runs.
struct ShutdownTests {
    /// Rows in the generated file: several seconds of work for a debug build.
    static let largeRows = 1_500_000

    /// Submits a large INSERT and waits until the controller is running.
    static func startLargeIngest(_ http: HTTPClient, server: ServerProcess, dataSource: String, queryID: String,
                                 context: [(String, JSONValue)] = []) async throws -> String {
        let file = server.workDir + "/large.json"
        try Inputs.writeLarge(rows: largeRows, to: file)
        let r = try await http.submitTask(Inputs.insertLarge(dataSource, file: file), context: [("sqlQueryId", .string(queryID))] + context)
        guard r.status == 202 else { throw TestFailure("submit: HTTP \(r.status) \(r.text)") }
        let id = "query-" + queryID
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let s = try await http.taskStatus(id).json()["status"]
            guard s?["status"] == "RUNNING" else {
                throw TestFailure("the ingest ended before the test could act on it; make the input larger: \(s?.serialized ?? "nil")")
            }
            if s?["runnerStatusCode"] == "RUNNING" { return id }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("task \(id) never reached runnerStatusCode RUNNING")
    }

    @Test(arguments: ["/druid/indexer/v1/task/{id}/shutdown", "/druid/v2/sql/task/{id}/shutdown"])
    func shutdownCancelsRunningIngest(path: String) async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let id = try await Self.startLargeIngest(http, server: server, dataSource: "big", queryID: "cancel-\(path.hasPrefix("/druid/v2") ? "sql" : "ovl")")

            // While it runs: a RUNNING status with the live location, a live report, a healthy server.
            let live = try await http.taskStatus(id).json()
            let s = try #require(live["status"])
            #expect(TaskAPITests.keys(s) == TaskAPITests.statusKeys)
            #expect(s["statusCode"] == "RUNNING")
            #expect(s["status"] == "RUNNING")
            #expect(s["duration"] == -1)
            #expect(s["location"]?.serialized == #"{"host":"127.0.0.1","port":\#(server.port),"tlsPort":-1}"#)
            #expect(s["errorMsg"] == .null)
            let health = try await http.get("/status/health", timeout: 10)
            #expect(health.text == "true")
            let liveReport = try await http.taskReport(id)
            if liveReport.status == 200 { // Druid may 404 while the controller starts
                #expect(try liveReport.json()["multiStageQuery"]?["payload"]?["status"]?["status"] == "RUNNING")
            }
            let other = try await http.sql("SELECT 1 + 1 AS two")
            #expect(other.text == "[{\"two\":2}]\n")
            try #require(try await http.taskStatus(id).json()["status"]?["status"] == "RUNNING",
                         "the ingest finished before shutdown; make the input larger")

            let r = try await http.request("POST", path.replacingOccurrences(of: "{id}", with: id))
            #expect(r.status == 200)
            #expect(r.text == #"{"task":"\#(id)"}"#)

            let final = try await http.waitForTask(id)
            let fs = try #require(final["status"])
            #expect(fs["status"] == "FAILED")
            #expect(fs["statusCode"] == "FAILED")
            #expect(fs["runnerStatusCode"] == "NONE")
            #expect((fs["duration"]?.intValue ?? -1) >= 0)
            #expect(fs["errorMsg"] == "Canceled: Query canceled by user or by task shutdown.")

            let report = try await http.taskReport(id).json()
            let status = report["multiStageQuery"]?["payload"]?["status"]
            #expect(status?["status"] == "FAILED")
            #expect(status?["errorReport"]?["error"]?["errorCode"] == "Canceled")

            // Nothing became queryable, and the task's temp dir is gone.
            let q = try await http.sql("SELECT COUNT(*) FROM big")
            #expect(q.status == 400)
            #expect(try q.json()["errorMessage"] == "Object 'big' not found (line [1], column [22])")
            #expect(try await http.get("/druid/coordinator/v1/datasources").text == "[]")
            #expect(!FileManager.default.fileExists(atPath: server.dataDir + "/tasks/" + id))
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: server.dataDir + "/tasks")) ?? []) == [])

            // Shutting down a finished task changes nothing.
            let again = try await http.request("POST", "/druid/indexer/v1/task/\(id)/shutdown")
            #expect(again.status == 200)
            #expect(try await http.taskStatus(id).json()["status"]?["errorMsg"] == fs["errorMsg"])
        }
    }

    /// A cancel while stage 0 spills sorted runs stops the task and removes
    /// every run file with the task's temp directory.
    @Test func shutdownWhileSpillingRemovesRunFiles() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let id = try await Self.startLargeIngest(http, server: server, dataSource: "big", queryID: "cancel-spill",
                                                     context: [("rowsInMemory", 2000)])
            // Wait for the live report to show runs written.
            let deadline = Date().addingTimeInterval(30)
            var spilled = false
            while Date() < deadline, !spilled {
                let report = try? await http.taskReport(id).json()
                let merged = report?["multiStageQuery"]?["payload"]?["counters"]?["0"]?["0"]?["sortProgress"]?["levelToMergedBatches"]?["0"]
                spilled = (merged?.intValue ?? 0) >= 2
                if !spilled { try await Task.sleep(for: .milliseconds(20)) }
            }
            try #require(spilled, "stage 0 never reported spilled runs")
            try #require(try await http.taskStatus(id).json()["status"]?["status"] == "RUNNING", "the ingest finished before shutdown")
            #expect(try await http.request("POST", "/druid/indexer/v1/task/\(id)/shutdown").status == 200)
            let final = try await http.waitForTask(id)
            #expect(final["status"]?["errorMsg"] == "Canceled: Query canceled by user or by task shutdown.")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: server.dataDir + "/tasks")) ?? []) == [])
        }
    }

    @Test func shutdownOfUnknownTaskIs404() async throws {
        try await ServerProcess.with { server in
            let r = try await HTTPClient(server).request("POST", "/druid/indexer/v1/task/query-nope/shutdown")
            #expect(r.status == 404)
        }
    }
}
