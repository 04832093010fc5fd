import DataModel
import Foundation
import Testing

/// Crash safety of the publish path (issue 5): the server is killed at each
/// failpoint (`HENGE_FAILPOINTS`, test-only) while a REPLACE publishes, then
/// restarted. What was published before stays intact; the REPLACE is either
/// not visible at all (task FAILED, its files swept) or entirely visible
/// (task SUCCESS, committed with its segments in one transaction).
struct CrashSafetyTests {
    /// Failpoints at or after the metadata commit: the REPLACE is published.
    static let committed: Set<String> = ["publish.commit.after", "task.status.after"]

    static func ingest(_ verb: String, _ value: String) -> String {
        """
        \(verb) INTO t \(verb == "REPLACE" ? "OVERWRITE ALL" : "")
        SELECT TIME_PARSE(ts) AS __time, v
        FROM TABLE(inline(data => ARRAY['{"ts":"2024-01-01T00:00:00Z","v":"\(value)1"}', '{"ts":"2024-01-02T00:00:00Z","v":"\(value)2"}'],
                          format => 'json')) EXTEND (ts VARCHAR, v VARCHAR)
        PARTITIONED BY DAY
        """
    }

    /// Regular files below `dir`, relative paths.
    static func files(under dir: String) -> Set<String> {
        let e = FileManager.default.enumerator(atPath: dir)
        var out = Set<String>()
        while let p = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.insert(p) }
        }
        return out
    }

    @Test(arguments: Failpoints.all)
    func crashAtFailpoint(_ failpoint: String) async throws {
        let workDir = try ServerProcess.makeWorkDir()
        let dataDir = workDir + "/data"
        let query = "SELECT __time, v FROM t ORDER BY __time"

        // Before: two segments of t and six of keep (one per day), published normally.
        let first = try await ServerProcess.start(workDir: workDir, dataDir: dataDir)
        let before = try await first.use { server in
            let http = HTTPClient(server)
            try await http.ingest(Self.ingest("INSERT", "old"), queryID: "old")
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: workDir + "/small.json")
            try await http.ingest(Inputs.insertSmall("keep", file: file), queryID: "keep")
            let rows = try await http.sql(query, resultFormat: "array").text
            await server.stop()
            return rows
        }
        #expect(before == #"[["2024-01-01T00:00:00.000Z","old1"],["2024-01-02T00:00:00.000Z","old2"]]"# + "\n")
        let filesBefore = Self.files(under: dataDir + "/deep")
        #expect(filesBefore.count == 8)  // keep: six days, t: two

        // The crash: the REPLACE reaches the failpoint and the process dies there.
        let crashing = try await ServerProcess.start(workDir: workDir, dataDir: dataDir,
                                                     environment: ["HENGE_FAILPOINTS": failpoint])
        let http = HTTPClient(crashing)
        // The 202 may be lost when the tiny task reaches the failpoint before the reply is written;
        // the task row exists either way (checked after the restart).
        if let submitted = try? await http.submitTask(Self.ingest("REPLACE", "new"), context: [("sqlQueryId", "crash")]) {
            #expect(submitted.status == 202)
        }
        let deadline = Date().addingTimeInterval(60)
        while crashing.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!crashing.isRunning, "the server did not reach failpoint \(failpoint)")
        #expect(crashing.endedBySignal)
        #expect(crashing.stderr.contains("failpoint [\(failpoint)] reached"))
        await crashing.kill9()

        // After the restart.
        let again = try await ServerProcess.start(workDir: workDir, dataDir: dataDir)
        try await again.use { server in
            let http = HTTPClient(server)
            #expect(try await http.rows("SELECT COUNT(*) FROM keep") == [[6]])
            let status = try await http.taskStatus("query-crash").json()["status"]
            let rows = try await http.sql(query, resultFormat: "array").text
            let filesAfter = Self.files(under: dataDir + "/deep")
            if Self.committed.contains(failpoint) {
                #expect(status?["statusCode"] == "SUCCESS")
                #expect(rows == #"[["2024-01-01T00:00:00.000Z","new1"],["2024-01-02T00:00:00.000Z","new2"]]"# + "\n")
                #expect(filesAfter.isSuperset(of: filesBefore))
                #expect(filesAfter.count == filesBefore.count + 2)
            } else {
                #expect(status?["statusCode"] == "FAILED")
                #expect(status?["runnerStatusCode"] == "NONE")
                #expect(status?["errorMsg"]?.stringValue?.hasPrefix("UnknownError: Task was interrupted by a server restart") == true)
                #expect(rows == before)
                #expect(filesAfter == filesBefore)
            }
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: dataDir + "/tasks")) ?? []) == [])
            // The datasource takes new work after the crash.
            try await http.ingest(Self.ingest("REPLACE", "later"), queryID: "later")
            #expect(try await http.sql(query, resultFormat: "array").text
                    == #"[["2024-01-01T00:00:00.000Z","later1"],["2024-01-02T00:00:00.000Z","later2"]]"# + "\n")
        }
        try? FileManager.default.removeItem(atPath: workDir)
    }
}
