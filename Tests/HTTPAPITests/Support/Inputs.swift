import DataModel
import Foundation

/// Input files generated in a test's scratch directory, and the SQL that reads them.
enum Inputs {
    /// Writes JSON lines (one `JSONValue` object per line) and returns the path.
    @discardableResult
    static func writeJSONLines(_ rows: [JSONValue], to path: String) throws -> String {
        var out: [UInt8] = []
        for row in rows {
            row.write(into: &out)
            out.append(0x0A)
        }
        try Data(out).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Compresses `path` with `/bin/gzip` into `path.gz` (the original is removed) and returns the new path.
    static func gzip(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-f", path]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestFailure("gzip \(path) exited \(p.terminationStatus)") }
        return path + ".gz"
    }

    /// `count` short rows `{"ts":<millis>,"s":"k<i % 100>"}`, written fast by repeating
    /// one block; timestamps stay inside 2024-01-01 so PARTITIONED BY DAY makes one bucket.
    static func writeLarge(rows count: Int, to path: String) throws {
        let blockSize = 10_000
        func block(_ n: Int) -> Data {
            var s = ""
            s.reserveCapacity(n * 32)
            for i in 0..<n {
                s += "{\"ts\":\(1_704_067_200_000 + Int64(i) * 1000),\"s\":\"k\(i % 100)\"}\n"
            }
            return Data(s.utf8)
        }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let full = block(blockSize)
        var written = 0
        while written + blockSize <= count {
            try handle.write(contentsOf: full)
            written += blockSize
        }
        if written < count { try handle.write(contentsOf: block(count - written)) }
    }

    /// `TABLE(EXTERN(...))` over local JSON-lines files with the given `(name, type)` columns.
    static func extern(_ files: [String], columns: [(String, String)]) -> String {
        let source = JSONValue.object([("type", "local"), ("files", .array(files.map(JSONValue.string)))]).serialized
        let signature = JSONValue.array(columns.map { .object([("name", .string($0.0)), ("type", .string($0.1))]) }).serialized
        return "TABLE(EXTERN(\(quote(source)), '{\"type\":\"json\"}', \(quote(signature))))"
    }

    static func quote(_ s: String) -> String { "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'" }

    // MARK: - The small dataset most tests use

    /// Six rows, one per day of 2024-01-01..06: `{"ts","name","n"}`.
    static let smallRows: [JSONValue] = (1...6).map { i in
        .object([("ts", .string("2024-01-0\(i)T10:00:00Z")), ("name", .string("n\(i)")), ("n", .int(Int64(i)))])
    }

    static let smallColumns = [("ts", "string"), ("name", "string"), ("n", "long")]

    /// INSERT (or REPLACE ... OVERWRITE ALL) of the small dataset from `file` into `dataSource`.
    static func insertSmall(_ dataSource: String, file: String, replace: Bool = false) -> String {
        let verb = replace ? "REPLACE INTO \"\(dataSource)\" OVERWRITE ALL" : "INSERT INTO \"\(dataSource)\""
        return """
            \(verb)
            SELECT TIME_PARSE("ts") AS __time, name, n
            FROM \(extern([file], columns: smallColumns))
            PARTITIONED BY DAY
            """
    }

    /// INSERT of rows written by `writeLarge` into `dataSource`.
    static func insertLarge(_ dataSource: String, file: String) -> String {
        """
        INSERT INTO "\(dataSource)"
        SELECT MILLIS_TO_TIMESTAMP("ts") AS __time, s
        FROM \(extern([file], columns: [("ts", "long"), ("s", "string")]))
        PARTITIONED BY DAY
        """
    }
}
