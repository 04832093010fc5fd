import DataModel
import Foundation
@testable import Inputs

/// A fresh directory under the system temp dir, removed by `remove()`.
struct TempDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("henge-inputs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` (subdirectories created) and returns the path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let full = path + "/" + name
        let dir = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)))
    }

    /// Gzips `name` with /bin/gzip into `name.gz` (the original is kept).
    @discardableResult
    func gzip(_ name: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-k", "-f", "-n", path + "/" + name]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("gzip failed for \(name)") }
        return path + "/" + name + ".gz"
    }

    /// The `InputFile` for `name` with its size on disk.
    func file(_ name: String) throws -> InputFile {
        let full = path + "/" + name
        let size = try FileManager.default.attributesOfItem(atPath: full)[.size] as! NSNumber
        return InputFile(path: full, size: size.int64Value)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Everything one `read` produced.
struct ReadResult {
    var batches: [Batch] = []
    var counters = InputCounters()

    var rows: [[ScalarValue]] { batches.flatMap { b in (0..<b.rowCount).map { b.row($0) } } }
    var batchSizes: [Int] { batches.map(\.rowCount) }
}

func readAll(_ reader: ExternalReader, _ file: InputFile) throws -> ReadResult {
    var result = ReadResult()
    try reader.read(file, counters: &result.counters) { result.batches.append($0) }
    return result
}

/// The `HengeError` thrown by `body`, or a test failure when none was.
func hengeError(_ body: () throws -> Void) throws -> HengeError {
    do {
        try body()
    } catch let error as HengeError {
        return error
    }
    throw TestFailure("expected a HengeError, but nothing was thrown")
}

func signature(_ columns: (String, ColumnType)...) -> RowSignature {
    RowSignature(columns.map { ColumnSpec(name: $0.0, type: $0.1) })
}

/// Shorthands for expected rows.
let null = ScalarValue.null
func s(_ v: String) -> ScalarValue { .string(v) }
func l(_ v: Int64) -> ScalarValue { .long(v) }
func d(_ v: Double) -> ScalarValue { .double(v) }
