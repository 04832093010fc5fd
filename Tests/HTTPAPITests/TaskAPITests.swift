import DataModel
import Foundation
import Testing

/// `POST /druid/v2/sql/task` and the Overlord task endpoints (reference §4).
struct TaskAPITests {
    static var isoMillis: Regex<Substring> { #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/# }
    static var uuid: Regex<Substring> { #/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/# }

    static let statusKeys = ["id", "groupId", "type", "createdTime", "queueInsertionTime", "statusCode", "status",
                             "runnerStatusCode", "duration", "location", "dataSource", "errorMsg"]

    static func keys(_ v: JSONValue?) -> [String] { v?.objectValue?.map(\.0) ?? [] }

    @Test(arguments: ["/druid/v2/sql/task", "/druid/v2/sql/task/"])
    func submitInsertAnswers202AndSucceeds(path: String) async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/small.json")
            let r = try await http.submitTask(Inputs.insertSmall("wiki", file: file), context: [("sqlQueryId", "ins-1")], path: path)
            #expect(r.status == 202)
            #expect(r.contentType == "application/json")
            #expect(r.text == #"{"taskId":"query-ins-1","state":"RUNNING"}"#)

            let final = try await http.waitForTask("query-ins-1")
            #expect(final["status"]?["status"] == "SUCCESS")
            #expect(try await http.rows("SELECT COUNT(*) FROM wiki") == [[6]])
        }
    }

    @Test func taskIDWithoutSqlQueryIdIsQueryPrefixedUUID() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/small.json")
            let r = try await http.submitTask(Inputs.insertSmall("wiki", file: file))
            #expect(r.status == 202)
            let body = try r.json()
            #expect(Self.keys(body) == ["taskId", "state"])
            #expect(body["state"] == "RUNNING")
            let id = try #require(body["taskId"]?.stringValue)
            #expect(id.hasPrefix("query-"))
            #expect(try Self.uuid.wholeMatch(in: String(id.dropFirst("query-".count))) != nil, "taskId \(id)")
            _ = try await http.waitForTask(id)
        }
    }

    @Test func statusOfFinishedTaskHasDruidFieldsInOrder() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/small.json")
            try await http.ingest(Inputs.insertSmall("wiki", file: file), queryID: "st-1")

            let r = try await http.taskStatus("query-st-1")
            #expect(r.status == 200)
            #expect(r.contentType == "application/json")
            let json = try r.json()
            #expect(Self.keys(json) == ["task", "status"])
            #expect(json["task"] == "query-st-1")
            let s = try #require(json["status"])
            #expect(Self.keys(s) == Self.statusKeys)
            #expect(s["id"] == "query-st-1")
            #expect(s["groupId"] == "query-st-1")
            #expect(s["type"] == "query_controller")
            let created = try #require(s["createdTime"]?.stringValue)
            #expect(try Self.isoMillis.wholeMatch(in: created) != nil, "createdTime \(created)")
            #expect(s["queueInsertionTime"] == "1970-01-01T00:00:00.000Z")
            #expect(s["statusCode"] == "SUCCESS")
            #expect(s["status"] == "SUCCESS")
            #expect(s["runnerStatusCode"] == "NONE")
            let duration = try #require(s["duration"]?.intValue)
            #expect(duration >= 0)
            // Druid keeps the last location of a finished task; unknown is {"host":null,"port":-1,"tlsPort":-1}.
            #expect(Self.keys(s["location"]) == ["host", "port", "tlsPort"])
            #expect(s["location"]?["tlsPort"] == -1)
            #expect(s["dataSource"] == "wiki")
            #expect(s["errorMsg"] == .null)

            // The task list carries the same object; GET /task/{id} the payload.
            let list = try await http.get("/druid/indexer/v1/tasks")
            #expect(list.status == 200)
            let entry = try list.json().arrayValue?.first { $0["id"] == "query-st-1" }
            #expect(entry == s)
            let task = try await http.get("/druid/indexer/v1/task/query-st-1")
            #expect(task.status == 200)
            let taskJSON = try task.json()
            #expect(Self.keys(taskJSON) == ["task", "payload"])
            #expect(taskJSON["payload"]?["type"] == "query_controller")
            #expect(taskJSON["payload"]?["id"] == "query-st-1")
            #expect(taskJSON["payload"]?["dataSource"] == "wiki")
        }
    }

    @Test func unknownTaskAnswers404() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let status = try await http.taskStatus("query-nope")
            #expect(status.status == 404)
            #expect(status.text == #"{"task":"query-nope","status":null}"#)

            let report = try await http.taskReport("query-nope")
            #expect(report.status == 404)
            #expect(report.contentType == "text/plain")
            #expect(report.text == "No task reports were found for this task. The task may not exist, or it may not have completed yet.")

            let task = try await http.get("/druid/indexer/v1/task/query-nope")
            #expect(task.status == 404)
            #expect(task.text == #"{"task":"query-nope","payload":null}"#)
        }
    }

    @Test func reportAfterSuccess() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/small.json")
            let id = try await http.ingest(Inputs.insertSmall("wiki", file: file), queryID: "rep-1")

            let r = try await http.taskReport(id)
            #expect(r.status == 200)
            #expect(r.contentType == "application/json")
            let json = try r.json()
            let msq = try #require(json["multiStageQuery"])
            #expect(Self.keys(msq) == ["type", "taskId", "payload"])
            #expect(msq["type"] == "multiStageQuery")
            #expect(msq["taskId"] == "query-rep-1")
            let payload = try #require(msq["payload"])
            #expect(Self.keys(payload) == ["status", "stages", "counters"])
            let status = try #require(payload["status"])
            #expect(status["status"] == "SUCCESS")
            #expect(status["errorReport"] == nil)
            #expect(try Self.isoMillis.wholeMatch(in: status["startTime"]?.stringValue ?? "") != nil)
            #expect((status["durationMs"]?.intValue ?? -1) >= 0)
            #expect(status["segmentReport"]?["shardSpec"] == "NumberedShardSpec")

            let stages = try #require(payload["stages"]?.arrayValue)
            #expect(stages.count == 2)
            for (n, stage) in stages.enumerated() {
                #expect(stage["stageNumber"]?.intValue == Int64(n))
                #expect(stage["definition"]?["id"] == .string("query-rep-1_\(n)"))
                #expect(stage["phase"] == "FINISHED")
                #expect(stage["workerCount"]?.intValue == 1)
            }
            #expect(stages.first?["definition"]?["input"]?.arrayValue?.first?["type"] == "external")
            #expect(stages.last?["definition"]?["processor"]?["type"] == "segmentGenerator")

            let counters = try #require(payload["counters"])
            // Summed over workers so the check does not depend on how work was split.
            func sum(_ stage: String, _ counter: String, _ field: String) -> Int64 {
                (counters[stage]?.objectValue ?? []).reduce(0) { total, worker in
                    let v = worker.1[counter]?[field]
                    return total + (v?.arrayValue?.compactMap(\.intValue).reduce(0, +) ?? v?.intValue ?? 0)
                }
            }
            #expect(counters["0"]?["0"]?["input0"]?["type"] == "channel")
            #expect(sum("0", "input0", "rows") == 6)
            #expect(sum("0", "input0", "files") == 1)
            #expect(counters["1"]?["0"]?["segmentGenerationProgress"]?["type"] == "segmentGenerationProgress")
            #expect(sum("1", "segmentGenerationProgress", "rowsPersisted") == 6)
        }
    }

    @Test func gzipInputIsRead() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let plain = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/small.json")
            let gz = try Inputs.gzip(plain)
            #expect(!FileManager.default.fileExists(atPath: plain))
            try await http.ingest(Inputs.insertSmall("wiki_gz", file: gz), queryID: "gz-1")
            #expect(try await http.rows("SELECT COUNT(*), SUM(n) FROM wiki_gz") == [[6, 21]])
            let report = try await http.taskReport("query-gz-1").json()
            let input = report["multiStageQuery"]?["payload"]?["counters"]?["0"]?["0"]?["input0"]
            #expect(input?["rows"] == .array([6]))
            #expect(input?["files"] == .array([1]))
        }
    }

    @Test func replaceOverwriteAllSwapsData() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let six = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/six.json")
            let two = try Inputs.writeJSONLines(Array(Inputs.smallRows.suffix(2)), to: server.workDir + "/two.json")
            try await http.ingest(Inputs.insertSmall("swap", file: six))
            try await http.ingest(Inputs.insertSmall("swap", file: six))
            #expect(try await http.rows("SELECT COUNT(*) FROM swap") == [[12]])

            let id = try await http.ingest(Inputs.insertSmall("swap", file: two, replace: true), queryID: "repl-1")
            // The task list is newest first.
            let ids = try await http.get("/druid/indexer/v1/tasks").json().arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.count == 3)
            #expect(ids.first == id)
            #expect(try await http.rows("SELECT COUNT(*), SUM(n) FROM swap") == [[2, 11]])
            #expect(try await http.rows("SELECT name FROM swap ORDER BY __time") == [["n5"], ["n6"]])
            let report = try await http.taskReport(id).json()
            #expect(report["multiStageQuery"]?["payload"]?["status"]?["status"] == "SUCCESS")
        }
    }
}

/// Skipped unparseable rows in the report: the `warnings` counter of the
/// reading worker and sampled warnings in `payload.status.warnings`.
struct ParseWarningReportTests {
    @Test func skippedRowsAreCountedAndSampled() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let id = try await http.ingest("""
                INSERT INTO w SELECT TIME_PARSE(t) AS __time, x
                FROM TABLE(inline(data => ARRAY['{"t":"2024-01-01","x":"a"}', 'bad one', '{"t":"2024-01-02","x":"b"}', '{bad two'],
                  format => 'json')) EXTEND (t VARCHAR, x VARCHAR)
                PARTITIONED BY DAY
                """, context: [("maxParseExceptions", 5)])
            let report = try await http.taskReport(id).json()
            let payload = try #require(report["multiStageQuery"]?["payload"])
            #expect(payload["counters"]?["0"]?["0"]?["warnings"] == .object([("type", "warnings"), ("CannotParseExternalData", 2)]))
            #expect(payload["counters"]?["0"]?["0"]?["input0"]?["rows"] == .array([2]))
            let warnings = try #require(payload["status"]?["warnings"]?.arrayValue)
            #expect(warnings.count == 2)
            #expect(warnings[0]["stageNumber"] == 0)
            #expect(warnings[0]["error"]?["errorCode"] == "CannotParseExternalData")
            #expect(warnings[0]["error"]?["errorMessage"]
                == "Unable to parse row [bad one] (Path: inline, Record: 2, Line: 2); invalid JSON at character 1")
            #expect(warnings[1]["error"]?["errorMessage"]
                == "Unable to parse row [{bad two] (Path: inline, Record: 4, Line: 4); invalid JSON at character 2, where a field name should start")
            #expect(try await http.rows("SELECT x FROM w ORDER BY __time") == [[.string("a")], [.string("b")]])
        }
    }

    /// Druid keeps 5 verbose parse exceptions per worker (Limits.MAX_VERBOSE_PARSE_EXCEPTIONS,
    /// MSQWarningReportLimiterPublisher); the counter still counts every skipped row.
    @Test func sampledWarningsStopAtFivePerWorker() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let id = try await http.ingest("""
                INSERT INTO w7 SELECT TIME_PARSE(t) AS __time, x
                FROM TABLE(inline(data => ARRAY['{"t":"2024-01-01","x":"a"}', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', '{"t":"2024-01-01","x":7}'],
                  format => 'json')) EXTEND (t VARCHAR, x VARCHAR)
                PARTITIONED BY DAY
                """, context: [("maxParseExceptions", -1)])
            let report = try await http.taskReport(id).json()
            let payload = try #require(report["multiStageQuery"]?["payload"])
            #expect(payload["counters"]?["0"]?["0"]?["warnings"] == .object([("type", "warnings"), ("CannotParseExternalData", 6)]))
            let warnings = try #require(payload["status"]?["warnings"]?.arrayValue)
            #expect(warnings.map { $0["error"]?["errorMessage"]?.stringValue ?? "" } == (2...6).map {
                "Unable to parse row [b\($0 - 1)] (Path: inline, Record: \($0), Line: \($0)); invalid JSON at character 1"
            })
        }
    }
}

/// Reindexing reports its table input as Druid does: the stage input is
/// `{"type":"table","dataSource":...,"intervals":[...]}` and `input0`
/// counts the segments read as files.
struct ReindexReportTests {
    @Test func tableInputInTheReport() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            try await http.ingest("""
                INSERT INTO src SELECT TIME_PARSE(t) AS __time, x
                FROM TABLE(inline(data => ARRAY['{"t":"2024-01-01","x":"a"}', '{"t":"2024-01-02","x":"b"}'], format => 'json'))
                  EXTEND (t VARCHAR, x VARCHAR)
                PARTITIONED BY DAY
                """)
            let id = try await http.ingest("INSERT INTO dst SELECT __time, UPPER(x) AS x FROM src PARTITIONED BY ALL")
            let report = try await http.taskReport(id).json()
            let payload = try #require(report["multiStageQuery"]?["payload"])
            let input = payload["stages"]?.arrayValue?.first?["definition"]?["input"]?.arrayValue?.first
            #expect(input == .object([("type", "table"), ("dataSource", "src"),
                                      ("intervals", .array(["-146136543-09-08T08:23:32.096Z/146140482-04-24T15:36:27.903Z"]))]))
            #expect(payload["counters"]?["0"]?["0"]?["input0"]?["files"] == .array([2]))
            #expect(payload["counters"]?["0"]?["0"]?["input0"]?["rows"] == .array([2]))
            #expect(try await http.rows("SELECT x FROM dst ORDER BY x") == [[.string("A")], [.string("B")]])
        }
    }

    /// An input read without a signature is sampled; the report records the
    /// signature found (Henge's `inferredInputs`) so the run can be repeated.
    @Test func reportRecordsTheInferredSignature() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let id = try await http.ingest("""
                INSERT INTO inferred SELECT TIME_PARSE(day) AS __time, city, pop
                FROM TABLE(inline(data => ARRAY['day,city,pop', '2024-01-01,Paris,2100000', '2024-01-02,Lyon,520000'], format => 'csv'))
                PARTITIONED BY DAY
                """)
            let payload = try await http.taskReport(id).json()["multiStageQuery"]?["payload"]
            let inputs = try #require(payload?["inferredInputs"]?.arrayValue)
            #expect(inputs.count == 1)
            #expect(inputs[0]["signature"]?.serialized
                    == #"[{"name":"day","type":"STRING"},{"name":"city","type":"STRING"},{"name":"pop","type":"LONG"}]"#)
            #expect(inputs[0]["inputSource"]?["type"] == "inline")
            #expect(inputs[0]["inputFormat"]?["type"] == "csv")
            // A run with a signature infers nothing.
            let plain = try await http.ingest(Inputs.insertSmall("wiki", file: try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/s.json")))
            #expect(try await http.taskReport(plain).json()["multiStageQuery"]?["payload"]?["inferredInputs"] == nil)
        }
    }
}
