import DataModel
import Foundation
import Testing

/// Error envelopes of `/druid/v2/sql` and `/druid/v2/sql/task` (reference §4.1, §4.6, §5.4).
struct SQLErrorTests {
    static let druidExceptionKeys = ["error", "errorCode", "persona", "category", "errorMessage", "context"]

    /// Checks a DruidException body for an INVALID_INPUT error and returns it.
    @discardableResult
    static func expectInvalidInput(_ json: JSONValue?, message: String? = nil,
                                   sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue? {
        #expect(TaskAPITests.keys(json) == druidExceptionKeys, sourceLocation: sourceLocation)
        #expect(json?["error"] == "druidException", sourceLocation: sourceLocation)
        #expect(json?["errorCode"] == "invalidInput", sourceLocation: sourceLocation)
        #expect(json?["persona"] == "USER", sourceLocation: sourceLocation)
        #expect(json?["category"] == "INVALID_INPUT", sourceLocation: sourceLocation)
        #expect(json?["context"]?.objectValue != nil, sourceLocation: sourceLocation)
        if let message { #expect(json?["errorMessage"] == .string(message), sourceLocation: sourceLocation) }
        return json
    }

    @Test func insertOnQueryEndpointIsRefused() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/small.json")
            let r = try await http.sql(Inputs.insertSmall("wiki", file: file))
            #expect(r.status == 400)
            #expect(r.contentType == "application/json")
            Self.expectInvalidInput(try r.json(),
                                    message: "INSERT operations are not supported by requested SQL engine [native], consider using MSQ.")
            // Nothing was ingested.
            #expect(try await http.get("/druid/coordinator/v1/datasources").text == "[]")
        }
    }

    @Test func parseErrorHasPosition() async throws {
        try await ServerProcess.with { server in
            let r = try await HTTPClient(server).sql("SELECT name,\nFROM t")
            #expect(r.status == 400)
            let json = Self.expectInvalidInput(try r.json(), message: "Incorrect syntax near the keyword 'FROM' at line 2, column 1.")
            let context = json?["context"]
            #expect(context?["sourceType"] == "sql")
            #expect(context?["line"] == "2")
            #expect(context?["column"] == "1")
            #expect(context?["endLine"] == "2")
            #expect(context?["endColumn"] == "4")
        }
    }

    @Test func unknownTable() async throws {
        try await ServerProcess.with { server in
            let r = try await HTTPClient(server).sql("SELECT * FROM nope")
            #expect(r.status == 400)
            let json = Self.expectInvalidInput(try r.json(), message: "Object 'nope' not found (line [1], column [15])")
            #expect(json?["context"]?["line"] == "1")
            #expect(json?["context"]?["column"] == "15")
        }
    }

    @Test func requestValidation() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let types = try await http.sql("SELECT 1", typesHeader: true)
            #expect(types.status == 400)
            Self.expectInvalidInput(try types.json(), message: "Cannot include 'typesHeader' without 'header'")

            let sqlTypes = try await http.sql("SELECT 1", sqlTypesHeader: true)
            #expect(sqlTypes.status == 400)
            Self.expectInvalidInput(try sqlTypes.json(), message: "Cannot include 'sqlTypesHeader' without 'header'")

            let format = try await http.sql("SELECT 1", resultFormat: "xml")
            #expect(format.status == 400)
            Self.expectInvalidInput(try format.json())

            let noQuery = try await http.post("/druid/v2/sql", json: .object([("resultFormat", "array")]))
            #expect(noQuery.status == 400)
            Self.expectInvalidInput(try noQuery.json())
        }
    }

    /// Druid: 415 `Unsupported Content-Type: <x>. Only application/json, text/plain or
    /// application/x-www-form-urlencoded is supported.` (SqlResource).
    @Test func unsupportedContentTypeIs415() async throws {
        try await ServerProcess.with { server in
            let r = try await HTTPClient(server).post("/druid/v2/sql", text: "SELECT 1", contentType: "application/xml")
            #expect(r.status == 415, "body: \(r.text)")
            #expect(r.text.contains(
                "Unsupported Content-Type: application/xml. Only application/json, text/plain or application/x-www-form-urlencoded is supported."))
        }
    }

    @Test func badStatementOnTaskEndpoint() async throws {
        try await ServerProcess.with { server in
            let r = try await HTTPClient(server).submitTask("SELEC 1", context: [("sqlQueryId", "bad-1")])
            #expect(r.status == 400)
            #expect(r.contentType == "application/json")
            let json = try r.json()
            #expect(TaskAPITests.keys(json) == ["taskId", "state", "error"])
            #expect(json["taskId"] == "bad-1") // the sqlQueryId, not "query-bad-1"
            #expect(json["state"] == "FAILED")
            let error = Self.expectInvalidInput(json["error"])
            #expect(error?["context"]?["line"] == "1")
            #expect(error?["context"]?["column"] == "1")
            // Nothing was recorded.
            #expect(try await HTTPClient(server).taskStatus("query-bad-1").status == 404)
        }
    }

    @Test func maxNumTasksOneIsRefused() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/small.json")
            let r = try await http.submitTask(Inputs.insertSmall("wiki", file: file),
                                              context: [("sqlQueryId", "mnt-1"), ("maxNumTasks", 1)])
            #expect(r.status == 400)
            let json = try r.json()
            #expect(json["taskId"] == "mnt-1")
            #expect(json["state"] == "FAILED")
            Self.expectInvalidInput(json["error"], message:
                "MSQ context maxNumTasks [1] cannot be less than 2, since at least 1 controller and 1 worker is necessary")
        }
    }

    @Test func missingInputFileFailsTheTaskOnly() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let missing = server.workDir + "/no-such-file.json"
            let r = try await http.submitTask(Inputs.insertSmall("ghost", file: missing), context: [("sqlQueryId", "miss-1")])
            #expect(r.status == 202)
            let final = try await http.waitForTask("query-miss-1")
            let status = try #require(final["status"])
            #expect(status["status"] == "FAILED")
            #expect(status["statusCode"] == "FAILED")
            #expect(status["runnerStatusCode"] == "NONE")
            let errorMsg = try #require(status["errorMsg"]?.stringValue)
            #expect(errorMsg.contains(missing), "errorMsg: \(errorMsg)")
            #expect(errorMsg.hasPrefix("UnknownError: "), "errorMsg: \(errorMsg)")

            let report = try await http.taskReport("query-miss-1")
            #expect(report.status == 200)
            let payloadStatus = try report.json()["multiStageQuery"]?["payload"]?["status"]
            #expect(payloadStatus?["status"] == "FAILED")
            #expect(payloadStatus?["errorReport"]?["taskId"] == "query-miss-1")
            #expect(payloadStatus?["errorReport"]?["error"]?["errorCode"] == "UnknownError")

            // The server keeps serving, and the datasource never appeared.
            #expect(try await http.get("/status/health").text == "true")
            let ghost = try await http.sql("SELECT COUNT(*) FROM ghost")
            #expect(ghost.status == 400)
            Self.expectInvalidInput(try ghost.json(), message: "Object 'ghost' not found (line [1], column [22])")
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/small.json")
            try await http.ingest(Inputs.insertSmall("ghost", file: file))
            #expect(try await http.rows("SELECT COUNT(*) FROM ghost") == [[6]])
        }
    }
}
