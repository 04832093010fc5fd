import Foundation
import Testing

/// Runs every `.slt` golden file under `slt/` (one test argument per file).
/// `SLT=<substring>` runs matching files only; `SLT_UPDATE=1` rewrites
/// expected results in place.
struct SQLLogicTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static var files: [String] {
        let base = root.appendingPathComponent("slt").path
        let filter = ProcessInfo.processInfo.environment["SLT"]
        let all = (FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".slt") && !$0.hasSuffix(".slow.slt") }
            .sorted()
        return all.filter { filter == nil || $0.contains(filter!) }
    }

    @Test(arguments: files)
    func golden(_ file: String) async throws {
        let runner = try SLTRunner(path: SQLLogicTests.root.appendingPathComponent("slt/" + file).path)
        let failures = try await runner.run(dataDir: SQLLogicTests.root.appendingPathComponent("data").path,
                                            update: ProcessInfo.processInfo.environment["SLT_UPDATE"] == "1")
        for f in failures { Issue.record(Comment(rawValue: f)) }
    }

    @Test func committedFilesDoNotHalt() throws {
        for file in SQLLogicTests.files {
            let text = try String(contentsOf: SQLLogicTests.root.appendingPathComponent("slt/" + file), encoding: .utf8)
            #expect(!text.split(separator: "\n").contains("halt"), "\(file) contains halt")
        }
    }
}
