import DataModel
import Foundation
import Testing

/// `POST /druid/v2/sql`: result formats, header rows, response headers (reference §5).
struct SQLQueryAPITests {
    /// Three rows with a comma, a quote, a null double and sub-second time.
    static let rows: [JSONValue] = [
        .object([("ts", "2024-01-01T10:00:00Z"), ("name", "alpha"), ("n", 1), ("x", .double(1.5))]),
        .object([("ts", "2024-01-02T11:30:00.250Z"), ("name", "b,c"), ("n", 2), ("x", .null)]),
        .object([("ts", "2024-01-03T00:00:00Z"), ("name", "q\"uote"), ("n", 3), ("x", .double(-0.25))]),
    ]

    static let query = "SELECT __time, name, n, x FROM fmt ORDER BY __time"

    /// A server holding the `fmt` datasource.
    static func withDataset(_ body: (ServerProcess, HTTPClient) async throws -> Void) async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines(rows, to: server.workDir + "/fmt.json")
            try await http.ingest("""
                INSERT INTO fmt
                SELECT TIME_PARSE("ts") AS __time, name, n, x
                FROM \(Inputs.extern([file], columns: [("ts", "string"), ("name", "string"), ("n", "long"), ("x", "double")]))
                PARTITIONED BY DAY
                """)
            try await body(server, http)
        }
    }

    static let objectRows = [
        #"{"__time":"2024-01-01T10:00:00.000Z","name":"alpha","n":1,"x":1.5}"#,
        #"{"__time":"2024-01-02T11:30:00.250Z","name":"b,c","n":2,"x":null}"#,
        #"{"__time":"2024-01-03T00:00:00.000Z","name":"q\"uote","n":3,"x":-0.25}"#,
    ]
    static let arrayRows = [
        #"["2024-01-01T10:00:00.000Z","alpha",1,1.5]"#,
        #"["2024-01-02T11:30:00.250Z","b,c",2,null]"#,
        #"["2024-01-03T00:00:00.000Z","q\"uote",3,-0.25]"#,
    ]
    static let csvRows = [
        "2024-01-01T10:00:00.000Z,alpha,1,1.5",
        "2024-01-02T11:30:00.250Z,\"b,c\",2,",
        "2024-01-03T00:00:00.000Z,\"q\"\"uote\",3,-0.25",
    ]

    /// Expected body and Content-Type per format; JSON formats end `]\n`, line formats with a blank line.
    static let expected: [(format: String, contentType: String, body: String)] = [
        ("object", "application/json", "[" + objectRows.joined(separator: ",") + "]\n"),
        ("array", "application/json", "[" + arrayRows.joined(separator: ",") + "]\n"),
        ("objectLines", "text/plain", objectRows.map { $0 + "\n" }.joined() + "\n"),
        ("arrayLines", "text/plain", arrayRows.map { $0 + "\n" }.joined() + "\n"),
        ("csv", "text/csv", csvRows.map { $0 + "\n" }.joined() + "\n"),
    ]

    @Test func everyResultFormatExactly() async throws {
        try await Self.withDataset { _, http in
            for (format, contentType, body) in Self.expected {
                let r = try await http.sql(Self.query, resultFormat: format)
                #expect(r.status == 200, "\(format): \(r.text)")
                #expect(r.contentType == contentType, "\(format)")
                #expect(r.text == body, "\(format)")
                #expect(r.header("X-Druid-SQL-Header-Included") == nil, "\(format)")
            }
            // The default format is object (pydruid never sends one).
            #expect(try await http.sql(Self.query).text == Self.expected[0].body)
        }
    }

    @Test func emptyResultsKeepTheTerminators() async throws {
        try await Self.withDataset { _, http in
            let none = "SELECT name FROM fmt WHERE name = 'zzz'"
            for (format, body) in [("object", "[]\n"), ("array", "[]\n"), ("objectLines", "\n"), ("arrayLines", "\n"), ("csv", "\n")] {
                let r = try await http.sql(none, resultFormat: format)
                #expect(r.status == 200)
                #expect(r.text == body, "\(format)")
            }
        }
    }

    struct HeaderCase: Sendable, CustomTestStringConvertible {
        var types: Bool
        var sqlTypes: Bool
        var testDescription: String { "typesHeader=\(types) sqlTypesHeader=\(sqlTypes)" }
    }

    static let headerCases = [HeaderCase(types: false, sqlTypes: false), HeaderCase(types: true, sqlTypes: false),
                              HeaderCase(types: false, sqlTypes: true), HeaderCase(types: true, sqlTypes: true)]

    /// The header row(s) Druid writes for `header: true` with the given flags.
    static func headerLines(format: String, _ c: HeaderCase) -> [String] {
        let names = ["__time", "name", "n", "x"]
        let native = ["LONG", "STRING", "LONG", "DOUBLE"]
        let sql = ["TIMESTAMP", "VARCHAR", "BIGINT", "DOUBLE"]
        switch format {
        case "object", "objectLines":
            let members = names.indices.map { i -> String in
                var t: [String] = []
                if c.types { t.append(#""type":"\#(native[i])""#) }
                if c.sqlTypes { t.append(#""sqlType":"\#(sql[i])""#) }
                return #""\#(names[i])":"# + (t.isEmpty ? "null" : "{" + t.joined(separator: ",") + "}")
            }
            return ["{" + members.joined(separator: ",") + "}"]
        case "array", "arrayLines":
            var lines = ["[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]"]
            if c.types { lines.append("[" + native.map { "\"\($0)\"" }.joined(separator: ",") + "]") }
            if c.sqlTypes { lines.append("[" + sql.map { "\"\($0)\"" }.joined(separator: ",") + "]") }
            return lines
        default:
            var lines = [names.joined(separator: ",")]
            if c.types { lines.append(native.joined(separator: ",")) }
            if c.sqlTypes { lines.append(sql.joined(separator: ",")) }
            return lines
        }
    }

    @Test(arguments: headerCases)
    func headerRowsInEveryFormat(_ c: HeaderCase) async throws {
        try await Self.withDataset { _, http in
            for format in ["object", "array", "objectLines", "arrayLines", "csv"] {
                let head = Self.headerLines(format: format, c)
                let body: String
                switch format {
                case "object": body = "[" + (head + Self.objectRows).joined(separator: ",") + "]\n"
                case "array": body = "[" + (head + Self.arrayRows).joined(separator: ",") + "]\n"
                case "objectLines": body = (head + Self.objectRows).map { $0 + "\n" }.joined() + "\n"
                case "arrayLines": body = (head + Self.arrayRows).map { $0 + "\n" }.joined() + "\n"
                default: body = (head + Self.csvRows).map { $0 + "\n" }.joined() + "\n"
                }
                let r = try await http.sql(Self.query, resultFormat: format, header: true, typesHeader: c.types,
                                           sqlTypesHeader: c.sqlTypes)
                #expect(r.status == 200, "\(format): \(r.text)")
                #expect(r.text == body, "\(format)")
                #expect(r.header("X-Druid-SQL-Header-Included") == "yes", "\(format)")
            }
        }
    }

    @Test func queryIdHeaderEchoesContextElseUUID() async throws {
        try await Self.withDataset { _, http in
            let given = try await http.sql("SELECT COUNT(*) AS c FROM fmt", context: [("sqlQueryId", "my-query-1")])
            #expect(given.status == 200)
            #expect(given.header("X-Druid-SQL-Query-Id") == "my-query-1")
            #expect(given.text == "[{\"c\":3}]\n")

            let generated = try await http.sql("SELECT COUNT(*) AS c FROM fmt")
            let id = try #require(generated.header("X-Druid-SQL-Query-Id"))
            #expect(try TaskAPITests.uuid.wholeMatch(in: id) != nil, "X-Druid-SQL-Query-Id \(id)")
            let again = try await http.sql("SELECT COUNT(*) AS c FROM fmt")
            #expect(again.header("X-Druid-SQL-Query-Id") != id)

            // Errors carry it too, so a client can correlate a failure.
            let failed = try await http.sql("SELECT * FROM nope", context: [("sqlQueryId", "my-query-2")])
            #expect(failed.status == 400)
            #expect(failed.header("X-Druid-SQL-Query-Id") == "my-query-2")
        }
    }

    @Test func plainTextBodyAndTrailingSlash() async throws {
        try await Self.withDataset { _, http in
            let text = try await http.post("/druid/v2/sql", text: "SELECT name FROM fmt ORDER BY __time LIMIT 1", contentType: "text/plain")
            #expect(text.status == 200)
            #expect(text.contentType == "application/json")
            #expect(text.text == "[{\"name\":\"alpha\"}]\n")
            #expect(text.header("X-Druid-SQL-Query-Id") != nil)

            let textSlash = try await http.post("/druid/v2/sql/", text: "SELECT COUNT(*) AS c FROM fmt",
                                                contentType: "text/plain; charset=utf-8")
            #expect(textSlash.status == 200)
            #expect(textSlash.text == "[{\"c\":3}]\n")

            // `curl --data` sends a URL-encoded form.
            let form = try await http.post("/druid/v2/sql", text: "SELECT+COUNT(*)+AS+c+FROM+fmt+WHERE+name+%3D+%27b%2Cc%27",
                                           contentType: "application/x-www-form-urlencoded")
            #expect(form.status == 200)
            #expect(form.text == "[{\"c\":1}]\n")
        }
    }

    /// What pydruid 0.6.9 sends: `POST /druid/v2/sql/` with `{query, context, header}`, values inlined client-side.
    @Test func pydruidStyleRequest() async throws {
        try await Self.withDataset { _, http in
            let plain = try await http.post("/druid/v2/sql/", json: .object([
                ("query", "SELECT name, n FROM fmt WHERE name = 'b,c'"), ("context", .object([])), ("header", false),
            ]))
            #expect(plain.status == 200)
            #expect(plain.text == "[{\"name\":\"b,c\",\"n\":2}]\n")

            let withHeader = try await http.post("/druid/v2/sql/", json: .object([
                ("query", "SELECT name, n FROM fmt WHERE n > 1 ORDER BY __time"), ("context", .object([])), ("header", true),
            ]))
            #expect(withHeader.status == 200)
            #expect(withHeader.header("X-Druid-SQL-Header-Included") == "yes")
            #expect(withHeader.text == #"[{"name":null,"n":null},{"name":"b,c","n":2},{"name":"q\"uote","n":3}]"# + "\n")
        }
    }

    @Test func positionalParameters() async throws {
        try await Self.withDataset { _, http in
            let r = try await http.sql(
                "SELECT name FROM fmt WHERE n >= ? AND name <> ? AND __time < ? ORDER BY __time",
                parameters: [
                    .object([("type", "BIGINT"), ("value", 1)]),
                    .object([("type", "VARCHAR"), ("value", "alpha")]),
                    .object([("type", "TIMESTAMP"), ("value", "2024-01-03 00:00:00")]),
                ])
            #expect(r.status == 200, "\(r.text)")
            #expect(r.text == "[{\"name\":\"b,c\"}]\n")
        }
    }

    @Test func timeIsISOWithMillisAndZ() async throws {
        try await Self.withDataset { _, http in
            let simple = try await http.sql("SELECT __time, TIME_FLOOR(__time, 'P1D') AS d FROM fmt WHERE n = 2")
            #expect(simple.status == 200)
            #expect(simple.text == #"[{"__time":"2024-01-02T11:30:00.250Z","d":"2024-01-02T00:00:00.000Z"}]"# + "\n")

            // Rendered in sqlTimeZone with its offset instead of Z (fixed offsets; region ids are not supported yet).
            let zoned = try await http.sql("SELECT __time FROM fmt WHERE n = 1", context: [("sqlTimeZone", "-08:00")])
            #expect(zoned.status == 200, "\(zoned.text)")
            #expect(zoned.text == #"[{"__time":"2024-01-01T02:00:00.000-08:00"}]"# + "\n")
        }
    }
}

/// Multi-value strings in results: JSON text by default, JSON arrays with
/// `sqlStringifyArrays: false` (reference §8: "sqlStringifyArrays").
struct MultiValueResultTests {
    @Test func multiValueRowsRenderPerSqlStringifyArrays() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let rows: [JSONValue] = [
                .object([("ts", "2024-01-01T00:00:00Z"), ("tags", .array(["t2", "t1", "t2"]))]),
                .object([("ts", "2024-01-02T00:00:00Z"), ("tags", .array(["solo"]))]),
                .object([("ts", "2024-01-03T00:00:00Z"), ("tags", .array([]))]),
            ]
            let file = try Inputs.writeJSONLines(rows, to: server.workDir + "/mv.json")
            try await http.ingest("""
                INSERT INTO mv
                SELECT TIME_PARSE("ts") AS __time, tags
                FROM \(Inputs.extern([file], columns: [("ts", "string"), ("tags", "string")]))
                PARTITIONED BY ALL
                """)
            let query = "SELECT tags FROM mv ORDER BY __time"
            let text = try await http.sql(query, resultFormat: "array")
            #expect(text.text == #"[["[\"t1\",\"t2\",\"t2\"]"],["solo"],[null]]"# + "\n")
            let arrays = try await http.sql(query, resultFormat: "array", context: [("sqlStringifyArrays", .bool(false))])
            #expect(arrays.text == #"[[["t1","t2","t2"]],["solo"],[null]]"# + "\n")
            let grouped = try await http.sql("SELECT tags, COUNT(*) AS c FROM mv GROUP BY tags", resultFormat: "array")
            #expect(grouped.text == #"[[null,1],["solo",1],["t1",1],["t2",2]]"# + "\n")
            let csv = try await http.sql(query, resultFormat: "csv", context: [("sqlStringifyArrays", .bool(false))])
            // A lone empty cell is written as "" so the line is not blank.
            #expect(csv.text == "\"[\"\"t1\"\",\"\"t2\"\",\"\"t2\"\"]\"\nsolo\n\"\"\n\n")
        }
    }
}

/// ARRAY and COMPLEX<json> columns in results (reference §5.2): arrays as
/// JSON text by default and JSON arrays with `sqlStringifyArrays: false`;
/// JSON values always as JSON; header rows name `ARRAY<LONG>` / `ARRAY` and
/// `COMPLEX<json>` / `OTHER`.
struct NestedResultTests {
    @Test func arraysAndJSONRender() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let rows: [JSONValue] = [
                .object([("ts", "2024-01-01T00:00:00Z"), ("nums", .array([.int(1), .null, .int(3)])),
                         ("obj", .object([("a", .int(1)), ("b", .array(["x"]))]))]),
                .object([("ts", "2024-01-02T00:00:00Z"), ("nums", .array([])), ("obj", .string("text"))]),
            ]
            let file = try Inputs.writeJSONLines(rows, to: server.workDir + "/nested.json")
            try await http.ingest("""
                INSERT INTO nested
                SELECT TIME_PARSE("ts") AS __time, nums, obj
                FROM \(Inputs.extern([file], columns: [("ts", "string"), ("nums", "ARRAY<LONG>"), ("obj", "COMPLEX<json>")]))
                PARTITIONED BY ALL
                """)
            let query = "SELECT nums, obj FROM nested ORDER BY __time"
            let text = try await http.sql(query, resultFormat: "array", header: true, typesHeader: true, sqlTypesHeader: true)
            #expect(text.text == #"[["nums","obj"],["ARRAY<LONG>","COMPLEX<json>"],["ARRAY","OTHER"],["[1,null,3]",{"a":1,"b":["x"]}],["[]","text"]]"# + "\n")
            let arrays = try await http.sql(query, resultFormat: "objectLines", context: [("sqlStringifyArrays", .bool(false))])
            #expect(arrays.text == #"{"nums":[1,null,3],"obj":{"a":1,"b":["x"]}}"# + "\n" + #"{"nums":[],"obj":"text"}"# + "\n\n")
            let csv = try await http.sql(query, resultFormat: "csv")
            #expect(csv.text == "\"[1,null,3]\",\"{\"\"a\"\":1,\"\"b\"\":[\"\"x\"\"]}\"\n[],text\n\n")
        }
    }
}
