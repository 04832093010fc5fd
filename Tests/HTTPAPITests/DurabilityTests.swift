import DataModel
import Foundation
import Testing

/// Restarting on the same data directory keeps data and finished tasks (DESIGN.md §5).
struct DurabilityTests {
    enum Stop: String, Sendable, CaseIterable {
        case sigterm, sigkill
    }

    @Test(arguments: Stop.allCases)
    func dataAndTasksSurviveRestart(_ how: Stop) async throws {
        let workDir = try ServerProcess.makeWorkDir()
        let dataDir = workDir + "/data"
        let query = "SELECT __time, name, n FROM keep ORDER BY __time"
        let taskID = "query-keep-1"

        let first = try await ServerProcess.start(workDir: workDir, dataDir: dataDir)
        let (rows, status, report) = try await first.use { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: workDir + "/small.json")
            try await http.ingest(Inputs.insertSmall("keep", file: file), queryID: "keep-1")
            let rows = try await http.sql(query, resultFormat: "array")
            #expect(rows.status == 200)
            let status = try await http.taskStatus(taskID)
            let report = try await http.taskReport(taskID)
            switch how {
            case .sigterm: #expect(await server.stop() == 0)
            case .sigkill:
                await server.kill9()
                #expect(server.endedBySignal)
            }
            return (rows.text, status.text, report.text)
        }
        #expect(rows.hasPrefix(#"[["2024-01-01T10:00:00.000Z","n1",1],"#))

        let second = try await ServerProcess.start(workDir: workDir, dataDir: dataDir)
        try await second.use { server in
            let http = HTTPClient(server)
            let again = try await http.sql(query, resultFormat: "array")
            #expect(again.status == 200)
            #expect(again.text == rows)
            #expect(try await http.get("/druid/coordinator/v1/datasources").text == #"["keep"]"#)
            let s = try await http.taskStatus(taskID)
            #expect(s.status == 200)
            #expect(s.text == status)
            let r = try await http.taskReport(taskID)
            #expect(r.status == 200)
            #expect(try r.json() == JSONValue.parse(report))
            // Appending after a restart works and adds to what was there.
            try await http.ingest(Inputs.insertSmall("keep", file: workDir + "/small.json"))
            #expect(try await http.rows("SELECT COUNT(*) FROM keep") == [[12]])
        }
        try? FileManager.default.removeItem(atPath: workDir)
    }

    /// A crash mid-ingest: after restart the task is FAILED, nothing was published, temp files are gone.
    @Test func crashDuringIngestFailsTheTaskOnRestart() async throws {
        let workDir = try ServerProcess.makeWorkDir()
        let dataDir = workDir + "/data"
        let first = try await ServerProcess.start(workDir: workDir, dataDir: dataDir)
        let id = try await first.use { server in
            let http = HTTPClient(server)
            let id = try await ShutdownTests.startLargeIngest(http, server: server, dataSource: "crashed", queryID: "crash-1")
            await server.kill9()
            return id
        }

        let second = try await ServerProcess.start(workDir: workDir, dataDir: dataDir)
        try await second.use { server in
            let http = HTTPClient(server)
            let status = try await http.taskStatus(id)
            #expect(status.status == 200)
            let s = try status.json()["status"]
            #expect(s?["status"] == "FAILED")
            #expect(s?["statusCode"] == "FAILED")
            #expect(s?["runnerStatusCode"] == "NONE")
            #expect(s?["errorMsg"]?.stringValue?.isEmpty == false)
            let q = try await http.sql("SELECT COUNT(*) FROM crashed")
            #expect(q.status == 400)
            #expect(try q.json()["errorMessage"] == "Object 'crashed' not found (line [1], column [22])")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: dataDir + "/tasks")) ?? []) == [])
        }
        try? FileManager.default.removeItem(atPath: workDir)
    }
}
