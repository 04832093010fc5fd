import DataModel
import Foundation
import Testing

/// Druid's query-shape limits (reference §3; MSQFaultsTest.testInsertWithManyColumns
/// and testInsertWithHugeClusteringKeys) and the segment-load status of the report.
struct MSQLimitsTests {
    /// Druid's test shape: `__time` plus `col1 ... col(n-1)` read from a JSON file.
    static func wide(_ columns: Int, file: String, clusteredBy: Int? = nil) -> String {
        let names = (1..<columns).map { "col\($0)" }.joined(separator: ", ")
        let signature = (1..<columns).map { #"{"name": "col\#($0)", "type": "string"}"# }.joined(separator: ", ")
        let clustered = clusteredBy.map { n in " CLUSTERED BY " + (1...n).map(String.init).joined(separator: ", ") } ?? ""
        return """
            INSERT INTO foo1 SELECT
              floor(TIME_PARSE("timestamp") to day) AS __time,
             \(names)
            FROM TABLE(
              EXTERN(
                '{ "files": ["\(file)"],"type":"local"}',
                '{"type": "json"}',
                '[{"name": "timestamp", "type": "string"}, \(signature)]'
              )
            ) PARTITIONED by day\(clustered)
            """
    }

    static func failure(_ http: HTTPClient, _ sql: String) async throws -> JSONValue? {
        let r = try await http.submitTask(sql)
        #expect(r.status == 202, "\(r.text)")
        let id = try #require(try r.json()["taskId"]?.stringValue)
        let status = try await http.waitForTask(id)
        #expect(status["status"]?["status"] == "FAILED")
        return try await http.taskReport(id).json()["multiStageQuery"]?["payload"]?["status"]?["errorReport"]?["error"]
    }

    @Test func tooManyColumnsCountsDruidsBucketAndBoostColumns() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines([.object([("timestamp", "2024-01-01")])], to: server.workDir + "/one.json")
            let error = try await Self.failure(http, Self.wide(2000, file: file))
            #expect(error?["errorCode"] == "TooManyColumns")
            #expect(error?["numColumns"] == 2002)
            #expect(error?["maxColumns"] == 2000)
            #expect(error?["errorMessage"] == "Too many output columns (requested = 2002, max = 2000)")
            // 1,998 output columns fit: 1,998 + __bucket + __boost = 2,000.
            try await http.ingest(Self.wide(1998, file: file))
            #expect(try await http.rows("SELECT COUNT(*), COUNT(col1) FROM foo1") == [[1, 0]])
        }
    }

    @Test func tooManyClusteredByColumns() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines([.object([("timestamp", "2024-01-01")])], to: server.workDir + "/one.json")
            let error = try await Self.failure(http, Self.wide(1700, file: file, clusteredBy: 1700))
            #expect(error?["errorCode"] == "TooManyClusteredByColumns")
            #expect(error?["numColumns"] == 1702)
            #expect(error?["maxColumns"] == 1500)
            #expect(error?["stage"] == 0)
            #expect(error?["errorMessage"] == "Too many clustered by columns (requested = 1702, max = 1500)")
        }
    }

    /// `segmentLoadWaiterStatus` (reference §8.7) only with `waitUntilSegmentsLoad`;
    /// Henge's segments are queryable when published, so it reads SUCCESS at once.
    @Test func segmentLoadStatusWithWaitUntilSegmentsLoad() async throws {
        try await ServerProcess.with { server in
            let http = HTTPClient(server)
            let file = try Inputs.writeJSONLines(Inputs.smallRows, to: server.workDir + "/small.json")
            let waited = try await http.ingest(Inputs.insertSmall("loaded", file: file), context: [("waitUntilSegmentsLoad", true)])
            let status = try await http.taskReport(waited).json()["multiStageQuery"]?["payload"]?["status"]
            let load = try #require(status?["segmentLoadWaiterStatus"])
            #expect(load.objectValue?.map(\.0) == ["state", "dataSource", "startTime", "duration", "totalSegments", "usedSegments",
                                                   "precachedSegments", "onDemandSegments", "pendingSegments", "unknownSegments"])
            #expect(load["state"] == "SUCCESS")
            #expect(load["dataSource"] == "loaded")
            let segments = try await http.rows("SELECT COUNT(*) FROM sys.segments WHERE datasource = 'loaded'")
            #expect(load["totalSegments"] == segments[0][0])
            #expect(load["usedSegments"] == segments[0][0])
            #expect(load["pendingSegments"] == 0)

            let plain = try await http.ingest(Inputs.insertSmall("loaded", file: file))
            let plainStatus = try await http.taskReport(plain).json()["multiStageQuery"]?["payload"]?["status"]
            #expect(plainStatus?["segmentLoadWaiterStatus"] == nil)
            #expect(plainStatus?["status"] == "SUCCESS")
        }
    }
}
