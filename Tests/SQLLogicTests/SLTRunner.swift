import Foundation
import DataModel
import Engine

/// One record of an `.slt` file (format: STYLE.md §3.5).
enum SLTRecord {
    case statementOK(sql: String, line: Int)
    case statementError(expected: String, sql: String, line: Int)
    case query(types: String, sort: String, sql: String, expected: [String], line: Int, expectedRange: Range<Int>)
    case queryError(expected: String, sql: String, line: Int)
    case set(key: String, value: String)
    case reset(key: String)
}

/// Parses and runs `.slt` golden files against a fresh in-process engine.
struct SLTRunner {
    let path: String
    let lines: [String]

    init(path: String) throws {
        self.path = path
        self.lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
    }

    func parse() throws -> [SLTRecord] {
        var records: [SLTRecord] = []
        var i = 0
        func block(from start: Int) -> (String, Int) {
            var j = start
            var sql: [String] = []
            while j < lines.count, !lines[j].trimmingCharacters(in: .whitespaces).isEmpty, lines[j] != "----" {
                sql.append(lines[j])
                j += 1
            }
            return (sql.joined(separator: "\n"), j)
        }
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { i += 1; continue }
            let words = trimmed.split(separator: " ", maxSplits: 2).map(String.init)
            switch words[0] {
            case "statement":
                let (sql, next) = block(from: i + 1)
                if words.count > 1 && words[1] == "ok" {
                    records.append(.statementOK(sql: sql, line: i + 1))
                } else {
                    records.append(.statementError(expected: words.count > 2 ? words[2] : "", sql: sql, line: i + 1))
                }
                i = next
            case "query":
                let (sql, next) = block(from: i + 1)
                if words.count > 1 && words[1] == "error" {
                    records.append(.queryError(expected: words.count > 2 ? words[2] : "", sql: sql, line: i + 1))
                    i = next
                    continue
                }
                guard next < lines.count, lines[next] == "----" else {
                    throw SLTFailure(message: "\(path):\(i + 1): query without ---- separator")
                }
                var j = next + 1
                var expected: [String] = []
                while j < lines.count, !lines[j].isEmpty {
                    expected.append(lines[j])
                    j += 1
                }
                let parts = trimmed.split(separator: " ").map(String.init)
                records.append(.query(types: parts.count > 1 ? parts[1] : "", sort: parts.count > 2 ? parts[2] : "nosort", sql: sql,
                                      expected: expected, line: i + 1, expectedRange: (next + 1)..<j))
                i = j
            case "set":
                let parts = trimmed.split(separator: " ", maxSplits: 2).map(String.init)
                records.append(.set(key: parts[1], value: parts.count > 2 ? parts[2] : ""))
                i += 1
            case "reset":
                records.append(.reset(key: words[1]))
                i += 1
            case "include":
                // Shared setup: records of another file, relative to this one.
                let dir = (path as NSString).deletingLastPathComponent
                let part = try SLTRunner(path: (dir as NSString).appendingPathComponent(words[1]))
                records += try part.parse().map { r in
                    if case .query = r { return r }
                    return r
                }
                i += 1
            case "halt":
                return records
            default:
                throw SLTFailure(message: "\(path):\(i + 1): unknown record '\(words[0])'")
            }
        }
        return records
    }

    /// Runs the file; returns failures (empty = pass). With `update`, rewrites expected blocks.
    func run(dataDir: String, update: Bool) async throws -> [String] {
        let testDir = FileManager.default.temporaryDirectory.appendingPathComponent("henge-slt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: testDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: testDir) }
        let engine = try HengeEngine.open(EngineConfig(dataDirectory: testDir + "/var"))
        var context = QueryContext()
        var failures: [String] = []
        var rewritten = lines
        var offset = 0
        func substitute(_ sql: String) -> String {
            sql.replacingOccurrences(of: "${DATA_DIR}", with: dataDir).replacingOccurrences(of: "${TEST_DIR}", with: testDir)
        }
        let rerun = "SLT=\((path as NSString).lastPathComponent) swift test --skip-build --filter SQLLogicTests"
        for record in try parse() {
            switch record {
            case .set(let k, let v):
                context.set(k, (try? JSONValue.parse(v)) ?? .string(v))
            case .reset(let k):
                context.entries.removeAll { $0.0 == k }
            case .statementOK(let sql, let line):
                if let err = await execute(engine, substitute(sql), context) {
                    failures.append("\(path):\(line): statement failed: \(err)\n\(sql)\nrerun: \(rerun)")
                }
            case .statementError(let expected, let sql, let line), .queryError(let expected, let sql, let line):
                var isQuery = false
                if case .queryError = record { isQuery = true }
                let err = await execute(engine, substitute(sql), context, asQuery: isQuery)
                if let err {
                    if !SLTRunner.matches(err, expected) {
                        failures.append("\(path):\(line): error did not match\nexpected: \(expected)\nactual:   \(err)\n\(sql)\nrerun: \(rerun)")
                    }
                } else {
                    failures.append("\(path):\(line): expected an error matching [\(expected)] but the statement succeeded\n\(sql)")
                }
            case .query(let types, let sort, let sql, let expected, let line, let range):
                do {
                    let text = substitute(sql)
                    let upper = text.uppercased()
                    // EXPLAIN of ingestion is answered by the task endpoint, as in Druid.
                    let result: QueryResult
                    if upper.hasPrefix("EXPLAIN"), upper.contains("INSERT INTO") || upper.contains("REPLACE INTO"),
                       let explained = try await engine.explain(SQLRequest(query: text, context: context)) {
                        result = explained
                    } else {
                        result = try await engine.query(SQLRequest(query: text, context: context))
                    }
                    var rows = SLTRunner.render(result, types: types)
                    if sort == "rowsort" { rows.sort() }
                    if !SLTRunner.matches(rows: rows, expected: expected) {
                        if update {
                            rewritten.replaceSubrange((range.lowerBound + offset)..<(range.upperBound + offset), with: rows)
                            offset += rows.count - expected.count
                        } else {
                            failures.append("\(path):\(line): query results differ\n\(sql)\n--- expected\n\(expected.joined(separator: "\n"))\n--- actual\n\(rows.joined(separator: "\n"))\nrerun: \(rerun)")
                        }
                    }
                } catch {
                    failures.append("\(path):\(line): query failed: \(error)\n\(sql)\nrerun: \(rerun)")
                }
            }
        }
        if update && rewritten != lines {
            try rewritten.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        return failures
    }

    /// Runs a statement: ingestion as a task awaited to its end, anything else as a query.
    /// Returns an error text (`code: message`) or nil on success.
    /// `query` records always go to the query endpoint (which refuses ingestion, as Druid's native engine does).
    func execute(_ engine: HengeEngine, _ sql: String, _ context: QueryContext, asQuery: Bool = false) async -> String? {
        let upper = sql.uppercased()
        let isIngest = upper.contains("INSERT INTO") || upper.contains("REPLACE INTO")
        do {
            if asQuery || !isIngest || upper.hasPrefix("EXPLAIN") {
                _ = try await engine.query(SQLRequest(query: sql, context: context))
                return nil
            }
            let id = try await engine.submitTask(SQLRequest(query: sql, context: context))
            while true {
                guard let status = await engine.taskStatus(id)?["status"] else { return "task vanished" }
                switch status["status"]?.stringValue {
                case "SUCCESS": return nil
                case "FAILED": return status["errorMsg"]?.stringValue ?? "FAILED"
                default: try await Task.sleep(nanoseconds: 10_000_000)
                }
            }
        } catch let e as HengeError {
            return "\(e.code): \(e.message)"
        } catch {
            return String(describing: error)
        }
    }

    /// Compares result lines; `<slt:ignore>` in an expected line matches any run of characters.
    static func matches(rows: [String], expected: [String]) -> Bool {
        guard rows.count == expected.count else { return false }
        for (actual, exp) in zip(rows, expected) {
            if !exp.contains("<slt:ignore>") {
                if actual != exp { return false }
                continue
            }
            let parts = exp.components(separatedBy: "<slt:ignore>")
            guard actual.hasPrefix(parts[0]), actual.hasSuffix(parts[parts.count - 1]) else { return false }
            var rest = Substring(actual.dropFirst(parts[0].count))
            for part in parts.dropFirst().dropLast() where !part.isEmpty {
                guard let r = rest.range(of: part) else { return false }
                rest = rest[r.upperBound...]
            }
            if rest.count < parts[parts.count - 1].count { return false }
        }
        return true
    }

    /// Matches an error against `expected`: a code, a substring, or `/regex/`.
    static func matches(_ actual: String, _ expected: String) -> Bool {
        if expected.isEmpty { return true }
        if expected.hasPrefix("/") && expected.hasSuffix("/") && expected.count > 1 {
            let pattern = String(expected.dropFirst().dropLast())
            return actual.range(of: pattern, options: .regularExpression) != nil
        }
        return actual.contains(expected)
    }

    /// Renders result rows: tab-separated, NULL, (empty), ISO timestamps.
    static func render(_ result: QueryResult, types: String) -> [String] {
        let batch = result.batch
        return (0..<batch.rowCount).map { r in
            batch.columns.indices.map { c -> String in
                let col = batch.columns[c]
                if col.isNull(r) { return "NULL" }
                let v = col.value(at: r)
                let type = result.fields[c].type
                if type == .timestamp, let ms = v.longValue { return ISOTime.format(ms) }
                if type == .boolean, let b = v.longValue { return b != 0 ? "true" : "false" }
                switch v {
                case .string(let s): return s.isEmpty ? "(empty)" : s
                default: return v.renderedString
                }
            }.joined(separator: "\t")
        }
    }
}

struct SLTFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
