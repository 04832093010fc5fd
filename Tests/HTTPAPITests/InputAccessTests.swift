import DataModel
import Foundation
import HengeTestSupport
import Testing

/// What external input a server reads: the `http` source end to end (only
/// from hosts the operator allowed when they are on loopback), and local
/// files only below the allowed directories.
struct InputAccessTests {
    static let body = Array("""
        {"ts":"2024-01-01T00:00:00Z","page":"a","n":1}
        {"ts":"2024-01-01T01:00:00Z","page":"b","n":2}

        """.utf8)

    @Test func httpTableFunctionIngestsFromAnAllowedHost() async throws {
        let data = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: Self.body) }
        defer { data.stop() }
        let server = try await ServerProcess.start(extraArguments: ["--allow-http-host", "127.0.0.1"])
        try await server.use { server in
            let http = HTTPClient(server)
            try await http.ingest("""
                INSERT INTO web
                SELECT TIME_PARSE(ts) AS __time, page, n, "__file_path" AS src
                FROM TABLE(http(uris => ARRAY['\(data.url("/feeds/web.json"))'], format => 'json'))
                  EXTEND (ts VARCHAR, page VARCHAR, n BIGINT, "__file_path" VARCHAR)
                PARTITIONED BY DAY
                """)
            #expect(try await http.rows("SELECT page, n, src FROM web ORDER BY n") == [
                [.string("a"), .int(1), .null], [.string("b"), .int(2), .null],
            ])
            // systemFields through EXTERN's JSON form.
            let source = #"{"type":"http","uris":["\#(data.url("/feeds/web.json"))"],"systemFields":["__file_uri","__file_path"]}"#
            try await http.ingest("""
                INSERT INTO web2
                SELECT TIME_PARSE(ts) AS __time, page, "__file_uri" AS uri, "__file_path" AS path
                FROM TABLE(EXTERN('\(source)', '{"type":"json"}',
                  '[{"name":"ts","type":"string"},{"name":"page","type":"string"},{"name":"__file_uri","type":"string"},{"name":"__file_path","type":"string"}]'))
                PARTITIONED BY DAY
                """)
            #expect(try await http.rows("SELECT DISTINCT uri, path FROM web2") == [
                [.string(data.url("/feeds/web.json")), .string("/feeds/web.json")],
            ])
        }
        server.removeWorkDir()
    }

    @Test func httpToLoopbackIsRefusedByDefault() async throws {
        let data = try LoopbackHTTPServer { _, _ in .respond(status: 200, body: Self.body) }
        defer { data.stop() }
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let r = try await http.submitTask("""
                INSERT INTO web
                SELECT TIME_PARSE(ts) AS __time, page
                FROM TABLE(http(uris => ARRAY['\(data.url("/x.json"))'], format => 'json')) EXTEND (ts VARCHAR, page VARCHAR)
                PARTITIONED BY DAY
                """)
            #expect(r.status == 202)
            let id = try #require(try r.json()["taskId"]?.stringValue)
            let status = try await http.waitForTask(id)
            #expect(status["status"]?["status"]?.stringValue == "FAILED")
            let message = status["status"]?["errorMsg"]?.stringValue ?? ""
            #expect(message.contains("resolves to loopback address [127.0.0.1]"), "\(message)")
            #expect(data.received.isEmpty)
            // A protocol other than http/https is refused at submit, as Druid does.
            let ftp = try await http.submitTask("""
                INSERT INTO web SELECT TIME_PARSE(ts) AS __time FROM TABLE(EXTERN('{"type":"http","uris":["ftp://example.org/a.json"]}',
                  '{"type":"json"}', '[{"name":"ts","type":"string"}]')) PARTITIONED BY DAY
                """)
            #expect(ftp.status == 400)
            #expect(try ftp.json()["error"]?["errorMessage"]?.stringValue == "Only [http, https] protocols are allowed")
        }
    }

    @Test func localInputOutsideAllowedDirectoriesIsRefused() async throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("henge-outside-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try Data(Self.body).write(to: URL(fileURLWithPath: outside + "/rows.json"))
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            // Inside the working directory, reached through a symbolic link that points outside: refused.
            try FileManager.default.createSymbolicLink(atPath: server.workDir + "/link", withDestinationPath: outside)
            for files in [#"["\#(outside)/rows.json"]"#, #"["link/rows.json"]"#, #"["data/../../\#(URL(fileURLWithPath: outside).lastPathComponent)/rows.json"]"#] {
                let r = try await http.submitTask("""
                    INSERT INTO t SELECT TIME_PARSE(ts) AS __time FROM TABLE(EXTERN('{"type":"local","files":\(files)}',
                      '{"type":"json"}', '[{"name":"ts","type":"string"}]')) PARTITIONED BY DAY
                    """)
                #expect(r.status == 400, "\(files): \(r.text)")
                let message = try r.json()["error"]?["errorMessage"]?.stringValue ?? ""
                #expect(message.contains("outside the directories this server may read"), "\(files): \(message)")
                #expect(message.contains("--allow-local-dir"))
            }
        }
        // Allowed explicitly, the same file reads.
        let server = try await ServerProcess.start(extraArguments: ["--allow-local-dir", outside])
        try await server.use { server in
            let http = HTTPClient(server)
            try await http.ingest("""
                INSERT INTO t SELECT TIME_PARSE(ts) AS __time, page FROM TABLE(EXTERN('{"type":"local","files":["\(outside)/rows.json"]}',
                  '{"type":"json"}', '[{"name":"ts","type":"string"},{"name":"page","type":"string"}]')) PARTITIONED BY DAY
                """)
            #expect(try await http.rows("SELECT COUNT(*) FROM t") == [[.int(2)]])
        }
        server.removeWorkDir()
    }
}
