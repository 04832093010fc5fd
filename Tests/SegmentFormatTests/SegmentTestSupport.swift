import DataModel
import Foundation
import Testing

/// A fresh directory under the system temp dir, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("henge-seg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Builds a batch from rows of scalar values through `ColumnBuilder`.
func makeBatch(_ signature: RowSignature, _ rows: [[ScalarValue]]) -> Batch {
    var builders = signature.columns.map { ColumnBuilder(type: $0.type) }
    for row in rows {
        for (i, value) in row.enumerated() { builders[i].append(value) }
    }
    return Batch(signature: signature, columns: builders.indices.map { builders[$0].finish() }, rowCount: rows.count)
}

/// Scalar equality that tells NaN, -0.0 and distinct UTF-8 spellings apart.
func sameValue(_ a: ScalarValue, _ b: ScalarValue) -> Bool {
    switch (a, b) {
    case (.double(let x), .double(let y)): x.bitPattern == y.bitPattern
    case (.string(let x), .string(let y)): Array(x.utf8) == Array(y.utf8)
    default: a == b
    }
}

/// Records an issue for every cell where `batch` differs from `expected`.
func expectRows(
    _ batch: Batch, equal expected: [[ScalarValue]], sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(batch.rowCount == expected.count, sourceLocation: sourceLocation)
    var mismatches = 0
    for r in 0..<min(batch.rowCount, expected.count) {
        let row = batch.row(r)
        for c in row.indices where !sameValue(row[c], expected[r][c]) {
            mismatches += 1
            if mismatches <= 5 {
                Issue.record("row \(r) column \(c): got \(row[c]), expected \(expected[r][c])",
                             sourceLocation: sourceLocation)
            }
        }
    }
    #expect(mismatches == 0, sourceLocation: sourceLocation)
}


extension ColumnSpec {
    static func long(_ name: String) -> ColumnSpec { ColumnSpec(name: name, type: .long) }
    static func float(_ name: String) -> ColumnSpec { ColumnSpec(name: name, type: .float) }
    static func double(_ name: String) -> ColumnSpec { ColumnSpec(name: name, type: .double) }
    static func string(_ name: String) -> ColumnSpec { ColumnSpec(name: name, type: .string) }
}
