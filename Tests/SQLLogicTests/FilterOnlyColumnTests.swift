import DataModel
import Engine
import Foundation
@testable import SegmentFormat
import Testing

/// A column only the filter reads is not decoded where the bitmap indexes
/// decide every conjunct naming it: with that column's block damaged, such
/// queries still answer, and the ones that must decode it fail.
struct FilterOnlyColumnTests {
    @Test func decidedFilterColumnsAreNotDecoded() async throws {
        try await SpillHarness.with { h in
            let data = (0..<60).map { #"{\"ts\":\"2024-01-01T00:00:\#(String(format: "%02d", $0))Z\",\"label\":\"\#(["a", "bb", "c"][$0 % 3])\",\"n\":\#($0)}"# }
                .joined(separator: "\\n")
            let sql = """
                INSERT INTO t SELECT TIME_PARSE(ts) AS __time, label, n FROM TABLE(EXTERN('{"type":"inline","data":"\(data)"}',
                  '{"type":"json"}', '[{"name":"ts","type":"string"},{"name":"label","type":"string"},{"name":"n","type":"long"}]'))
                PARTITIONED BY ALL
                """
            let outcome = try await h.ingest(sql, context: [])
            try #require(outcome.status == "SUCCESS", "\(outcome.error)")

            // Damage one byte in the middle of `label`'s block (its bitmap index stays intact).
            let segments = try h.segmentPaths("t")
            try #require(segments.count == 1)
            let path = segments[0].path
            let column = try #require(try SegmentReader(path: path).footer.columns.first { $0.info.name == "label" })
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes[column.offset + column.length / 2] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: path))

            func count(_ sql: String) async throws -> Int64? {
                try await h.engine.query(SQLRequest(query: sql)).batch.row(0)[0].longValue
            }
            #expect(try await count("SELECT COUNT(*) FROM t WHERE label = 'bb'") == 20)
            #expect(try await count("SELECT COUNT(*) FROM t WHERE label IN ('a', 'c') AND n >= 30") == 20)
            #expect(try await count("SELECT SUM(n) FROM t WHERE label <> 'a' AND label IS NOT NULL") == (0..<60).filter { $0 % 3 != 0 }.reduce(0, +))
            for needsLabel in ["SELECT label FROM t WHERE label = 'bb'", "SELECT COUNT(*) FROM t WHERE LENGTH(label) = 2",
                               "SELECT COUNT(*) FROM t WHERE label = 'bb' OR n > 50"] {
                do {
                    _ = try await h.engine.query(SQLRequest(query: needsLabel))
                    Issue.record("decoded the damaged column without noticing: \(needsLabel)")
                } catch let error as HengeError {
                    #expect(error.code == "SegmentCorrupted", "\(needsLabel): \(error)")
                }
            }
        }
    }
}
