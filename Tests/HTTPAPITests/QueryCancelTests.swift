import Foundation
import Testing
import DataModel

/// `DELETE /druid/v2/sql/{sqlQueryId}` (Druid: 202 when a running query was canceled, 404 otherwise)
/// and `DELETE /druid/coordinator/v1/datasources/{ds}`.
struct QueryCancelTests {
    @Test func cancelingAnUnknownQueryIs404() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let r = try await http.request("DELETE", "/druid/v2/sql/no-such-query")
            #expect(r.status == 404)
        }
    }

    @Test func droppingADatasourceHidesItsRows() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            _ = try await http.ingest("""
                INSERT INTO dropme SELECT TIME_PARSE(ts) AS __time, v FROM TABLE(EXTERN(
                '{"type":"inline","data":"{\\"ts\\":\\"2024-01-01T00:00:00Z\\",\\"v\\":1}\\n{\\"ts\\":\\"2024-01-02T00:00:00Z\\",\\"v\\":2}"}',
                '{"type":"json"}', '[{"name":"ts","type":"string"},{"name":"v","type":"long"}]')) PARTITIONED BY DAY
                """)
            #expect(try await http.rows("SELECT COUNT(*) FROM dropme") == [[.int(2)]])
            let dropped = try await http.request("DELETE", "/druid/coordinator/v1/datasources/dropme")
            #expect(dropped.status == 200)
            #expect(try dropped.json() == .object([("numChangedSegments", .int(2))]))
            let after = try await http.sql("SELECT COUNT(*) FROM dropme")
            #expect(after.status == 400)
            let unknown = try await http.request("DELETE", "/druid/coordinator/v1/datasources/dropme")
            #expect(unknown.status == 404)
        }
    }
}
