import DataModel
import Foundation
import Testing

/// `segmentReport` in the task report (reference §8.7): which shard spec the
/// segments use, with Druid's reason when range partitioning is not possible.
struct SegmentReportTests {
    static func ingest(_ verb: String, clustered: String, rows: [String]) -> String {
        let data = rows.map { "'" + $0 + "'" }.joined(separator: ", ")
        return """
            \(verb) INTO shards \(verb == "REPLACE" ? "OVERWRITE ALL" : "")
            SELECT TIME_PARSE(t) AS __time, k, n
            FROM TABLE(inline(data => ARRAY[\(data)], format => 'json')) EXTEND (t VARCHAR, k VARCHAR, n BIGINT)
            PARTITIONED BY DAY \(clustered)
            """
    }

    static let rows = [#"{"t":"2024-01-01","k":"a","n":1}"#, #"{"t":"2024-01-01","k":"b","n":2}"#]
    static let multiValueRows = [#"{"t":"2024-01-01","k":["a","b"],"n":1}"#, #"{"t":"2024-01-01","k":"b","n":2}"#]

    @Test func reportsTheShardSpecAndWhy() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            func report(_ sql: String, _ id: String) async throws -> JSONValue? {
                let task = try await http.ingest(sql, queryID: id)
                return try await http.taskReport(task).json()["multiStageQuery"]?["payload"]?["status"]?["segmentReport"]
            }
            #expect(try await report(Self.ingest("REPLACE", clustered: "CLUSTERED BY k", rows: Self.rows), "range")?.serialized
                    == #"{"shardSpec":"DimensionRangeShardSpec","details":"Using RangeShardSpec to generate segments."}"#)
            #expect(try await report(Self.ingest("INSERT", clustered: "CLUSTERED BY k", rows: Self.rows), "insert")?.serialized
                    == #"{"shardSpec":"NumberedShardSpec","details":"Using NumberedShardSpec to generate segments since the query is inserting rows."}"#)
            #expect(try await report(Self.ingest("REPLACE", clustered: "", rows: Self.rows), "none")?.serialized
                    == #"{"shardSpec":"NumberedShardSpec","details":"Using NumberedShardSpec as no columns are supplied in the 'CLUSTERED BY' clause."}"#)
            #expect(try await report(Self.ingest("REPLACE", clustered: "CLUSTERED BY n", rows: Self.rows), "long")?.serialized
                    == #"{"shardSpec":"NumberedShardSpec","details":"Cannot use RangeShardSpec, RangedShardSpec only supports string CLUSTER BY keys. Using NumberedShardSpec instead."}"#)
            #expect(try await report(Self.ingest("REPLACE", clustered: "CLUSTERED BY k", rows: Self.multiValueRows), "mv")?.serialized
                    == #"{"shardSpec":"NumberedShardSpec","details":"Cannot use RangeShardSpec, the fields in the CLUSTERED BY clause contains multivalued fields. Using NumberedShardSpec instead."}"#)
            let missing = try await report(Self.ingest("REPLACE", clustered: "CLUSTERED BY UPPER(k)", rows: Self.rows), "expr")
            #expect(missing?["shardSpec"] == "NumberedShardSpec")
            #expect(missing?["details"]?.stringValue?.hasPrefix("Cannot use RangeShardSpec, Could not find output column name for column [") == true)
        }
    }
}
