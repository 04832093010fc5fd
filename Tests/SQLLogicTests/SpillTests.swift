import DataModel
import Engine
import Foundation
import Testing

/// Ingestion under a tiny memory budget (`rowsInMemory` 100, `workerMemory`
/// 1400 KiB) spills sorted runs and merges them; its segments must be
/// byte-identical to those of the same ingest that stays in memory.
struct SpillTests {
    /// The budget that forces spilling (and, with one worker, a middle merge level).
    static let tiny: [(String, JSONValue)] = [("rowsInMemory", 100), ("workerMemory", "1400KiB")]

    static let extern = """
        TABLE(EXTERN('{"type":"local","files":[${FILE}]}', '{"type":"json"}',
          '[{"name":"ts","type":"string"},{"name":"dim","type":"string"},{"name":"tags","type":"string"},{"name":"n","type":"long"},{"name":"d","type":"double"},{"name":"f","type":"float"},{"name":"hi","type":"string"}]'))
        """

    /// Each case: an ingest whose SELECT ... reads `${EXTERN}`.
    static let cases: [(name: String, sql: String)] = [
        ("plain", "SELECT TIME_PARSE(ts) AS __time, dim, tags, n, d, f, hi FROM ${EXTERN} PARTITIONED BY DAY"),
        ("clustered", "SELECT TIME_PARSE(ts) AS __time, dim, tags, n, d, hi FROM ${EXTERN} PARTITIONED BY DAY CLUSTERED BY hi, n"),
        ("rollup", """
            SELECT FLOOR(TIME_PARSE(ts) TO HOUR) AS __time, dim, tags, COUNT(*) AS cnt, SUM(n) AS sn, MIN(n) AS mn, MAX(n) AS mx,
                   SUM(d) AS sd, MIN(d) AS md, MAX(f) AS mf, COUNT(n) AS cn
            FROM ${EXTERN} GROUP BY 1, 2, 3 PARTITIONED BY DAY
            """),
        ("rollup_ordered", """
            SELECT FLOOR(TIME_PARSE(ts) TO HOUR) AS __time, tags, dim, COUNT(*) AS cnt, EARLIEST_BY(hi, TIME_PARSE(ts), 16) AS eh, LATEST_BY(hi, TIME_PARSE(ts), 16) AS lh,
                   EARLIEST_BY(n, TIME_PARSE(ts)) AS en, LATEST_BY(dim, TIME_PARSE(ts), 8) AS ld, ANY_VALUE(hi, 16) AS av, AVG(n) AS an,
                   SUM(d) AS sd
            FROM ${EXTERN} GROUP BY 1, 2, 3 PARTITIONED BY DAY
            """),
        ("rollup_resort", """
            SELECT FLOOR(TIME_PARSE(ts) TO HOUR) AS __time, COUNT(*) AS cnt, dim, MAX(n) AS mx
            FROM ${EXTERN} GROUP BY 1, 3 PARTITIONED BY DAY CLUSTERED BY cnt
            """),
        ("rollup_all", "SELECT hi, COUNT(*) AS cnt, SUM(n) AS sn FROM ${EXTERN} GROUP BY hi PARTITIONED BY ALL"),
        ("limit", "SELECT TIME_PARSE(ts) AS __time, hi, n FROM ${EXTERN} LIMIT 70 PARTITIONED BY ALL"),
    ]

    @Test(arguments: [1, 2], cases.map(\.name))
    func spilledIngestMatchesInMemory(workers: Int, name: String) async throws {
        let sql = Self.cases.first { $0.name == name }!.sql
        try await SpillHarness.with { h in
            let file = try h.writeData(rows: 6_000)
            let select = sql.replacingOccurrences(of: "${EXTERN}", with: Self.extern.replacingOccurrences(of: "${FILE}", with: file))
            let context: [(String, JSONValue)] = [("maxNumTasks", .int(Int64(workers + 1)))]
            let memory = try await h.ingest("INSERT INTO mem \(select)", context: context)
            let spill = try await h.ingest("INSERT INTO spill \(select)", context: context + Self.tiny)
            try #require(memory.status == "SUCCESS", "\(memory.error)")
            try #require(spill.status == "SUCCESS", "\(spill.error)")

            let a = try h.segmentFiles("mem"), b = try h.segmentFiles("spill")
            #expect(!a.isEmpty)
            #expect(a.map(\.key) == b.map(\.key))
            for (x, y) in zip(a, b) { #expect(x.bytes == y.bytes, "segment \(x.key) differs") }
            #expect(try await h.rows("mem") == (try await h.rows("spill")))

            // The tiny budget spilled: more than one run per worker at level 0, shuffle bytes on disk.
            for w in 0..<workers {
                let sort = try #require(spill.report["0"]?[String(w)]?["sortProgress"], "no sortProgress: \(spill.report.serialized)")
                #expect((sort["levelToTotalBatches"]?["0"]?.intValue ?? 0) > 1, "\(sort.serialized)")
                #expect(sort["progressDigest"] == .double(1.0))
                let unspilled = try #require(memory.report["0"]?[String(w)]?["sortProgress"])
                #expect(unspilled["levelToTotalBatches"]?["0"] == 1)
                #expect(unspilled["totalMergingLevels"] == 2)
            }
            #expect(await h.taskDirectoriesAfterCleanup().isEmpty)
        }
    }

    @Test func middleMergeLevelWhenRunsExceedFanIn() async throws {
        try await SpillHarness.with { h in
            let file = try h.writeData(rows: 6_000)
            let select = Self.cases[0].sql.replacingOccurrences(of: "${EXTERN}", with: Self.extern.replacingOccurrences(of: "${FILE}", with: file))
            let r = try await h.ingest("INSERT INTO spill \(select)", context: Self.tiny)
            try #require(r.status == "SUCCESS", "\(r.error)")
            let sort = try #require(r.report["0"]?["0"]?["sortProgress"])
            // 60 runs, at most 31 (the fan-in of 1400 KiB) left: the first 30 merged into one, then the 4 day partitions.
            #expect(sort["totalMergingLevels"] == 3)
            #expect(sort["levelToTotalBatches"]?.serialized == #"{"0":60,"1":1,"2":4}"#)
            #expect(sort["levelToMergedBatches"]?.serialized == #"{"0":60,"1":1,"2":4}"#)
            #expect(sort["totalMergersForUltimateLevel"] == 4)
            let shuffle = try #require(r.report["0"]?["0"]?["shuffle"])
            #expect(shuffle["rows"] == .array([6000]))
            #expect((shuffle["bytes"]?.arrayValue?.first?.intValue ?? 0) > 0)
        }
    }

    @Test func tooSmallBudgetFailsWithNotEnoughMemory() async throws {
        try await SpillHarness.with { h in
            let file = try h.writeData(rows: 10)
            let select = Self.cases[0].sql.replacingOccurrences(of: "${EXTERN}", with: Self.extern.replacingOccurrences(of: "${FILE}", with: file))
            let r = try await h.ingest("INSERT INTO t \(select)", context: [("workerMemory", 1_000_000)])
            #expect(r.status == "FAILED")
            #expect(r.error.hasPrefix("NotEnoughMemory: Not enough memory. Minimum bytes[1,398,102] is needed for the current configuration."
                + " (total bytes[1,000,000]; usable bytes[750,000]; "), "\(r.error)")
            let fault = r.fullReport["multiStageQuery"]?["payload"]?["status"]?["errorReport"]?["error"]
            #expect(fault?["errorCode"] == "NotEnoughMemory")
            #expect(fault?["suggestedServerMemory"] == 1_398_102)
            #expect(fault?["serverMemory"] == 1_000_000)
            #expect(fault?["usableMemory"] == 750_000)
            #expect(fault?["serverWorkers"] == 1)
            #expect(fault?["serverThreads"] == 1)
            #expect(await h.taskDirectoriesAfterCleanup().isEmpty)
        }
    }

    @Test(arguments: [("rowsInMemory", JSONValue.int(0)), ("workerMemory", JSONValue.string("lots"))])
    func invalidBudgetIsRejectedAtSubmit(key: String, value: JSONValue) async throws {
        try await SpillHarness.with { h in
            let file = try h.writeData(rows: 10)
            let select = Self.cases[0].sql.replacingOccurrences(of: "${EXTERN}", with: Self.extern.replacingOccurrences(of: "${FILE}", with: file))
            await #expect(throws: HengeError.self) {
                _ = try await h.engine.submitTask(SQLRequest(query: "INSERT INTO t \(select)", context: QueryContext([(key, value)])))
            }
        }
    }
}

/// An engine on a fresh data directory, with helpers to ingest and inspect.
struct SpillHarness {
    let engine: HengeEngine
    let dir: String

    static func with(_ body: (SpillHarness) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("henge-spill-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let engine = try HengeEngine.open(EngineConfig(dataDirectory: dir + "/var"))
        try await body(SpillHarness(engine: engine, dir: dir))
    }

    /// Deterministic JSON lines over four days, out of time order, with
    /// NULLs, empty strings, multi-value arrays and a high-cardinality
    /// column, in two files (so two workers each read one). Returns the
    /// quoted file list for EXTERN's `files`.
    func writeData(rows: Int) throws -> String {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let dims = ["\"a\"", "\"b\"", "\"c\"", "\"é\"", "\"\"", "null"]
        let tags = ["null", "[]", "[\"x\"]", "[\"x\",\"y\"]", "[\"z\",\"x\"]", "\"w\"", "[\"y\"]"]
        var texts = ["", ""]
        for i in 0..<rows {
            let ts = String(format: "2024-01-0%dT%02d:%02d:%02dZ", 1 + next(4), next(24), next(60), next(4))
            let n = next(10) == 0 ? "null" : String(next(101) - 50)
            let d = next(10) == 0 ? "null" : String(Double(next(400) - 200) * 0.25)
            let f = String(Double(next(40)) * 0.5)
            texts[i % 2] += #"{"ts":"\#(ts)","dim":\#(dims[next(dims.count)]),"tags":\#(tags[next(tags.count)]),"n":\#(n),"d":\#(d),"f":\#(f),"hi":"u\#(next(700))"}"#
            texts[i % 2] += "\n"
        }
        var paths: [String] = []
        for (i, text) in texts.enumerated() {
            paths.append(dir + "/data\(i).json")
            try text.write(toFile: paths[i], atomically: true, encoding: .utf8)
        }
        return paths.map { "\"\($0)\"" }.joined(separator: ",")
    }

    struct Outcome {
        var status: String
        var error: String
        /// `payload.counters` of the task report.
        var report: JSONValue
        var fullReport: JSONValue
    }

    func ingest(_ sql: String, context: [(String, JSONValue)]) async throws -> Outcome {
        let id = try await engine.submitTask(SQLRequest(query: sql, context: QueryContext(context)))
        while true {
            let status = await engine.taskStatus(id)?["status"]
            let s = status?["status"]?.stringValue ?? "?"
            if s != "RUNNING" {
                let report = await engine.taskReport(id) ?? .null
                return Outcome(status: s, error: status?["errorMsg"]?.stringValue ?? "", report: report["multiStageQuery"]?["payload"]?["counters"] ?? .null,
                               fullReport: report)
            }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
    }

    /// Segment files of a datasource by (interval, partition), in that order.
    func segmentFiles(_ dataSource: String) throws -> [(key: String, bytes: Data)] {
        try segmentPaths(dataSource).map { ($0.key, try Data(contentsOf: URL(fileURLWithPath: $0.path))) }
    }

    /// Where a datasource's segment files are, by (interval, partition), in that order.
    func segmentPaths(_ dataSource: String) throws -> [(key: String, path: String)] {
        let root = dir + "/var/deep/" + dataSource
        var out: [(String, String)] = []
        for interval in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            for version in try FileManager.default.contentsOfDirectory(atPath: root + "/" + interval) {
                for partition in try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(interval)/\(version)").sorted(by: { Int($0)! < Int($1)! }) {
                    out.append(("\(interval)/\(partition)", "\(root)/\(interval)/\(version)/\(partition)/index.hseg"))
                }
            }
        }
        return out
    }

    /// Every row in scan order, rendered.
    func rows(_ dataSource: String) async throws -> [String] {
        let r = try await engine.query(SQLRequest(query: "SELECT * FROM \(dataSource)"))
        return (0..<r.batch.rowCount).map { r.batch.row($0).map(\.renderedString).joined(separator: "|") }
    }

    /// What is left under `var/tasks` once the engine has had a moment to
    /// remove a finished task's directory (it does so right after recording
    /// the final status).
    func taskDirectoriesAfterCleanup() async -> [String] {
        var left: [String] = []
        for _ in 0..<200 {
            left = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/var/tasks")) ?? []
            if left.isEmpty { break }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return left
    }
}
