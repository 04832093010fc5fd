import DataModel
import Expressions
import Foundation
import SegmentFormat
import HengeTestSupport
import Testing
@testable import Engine

/// `BitmapFilter` against the evaluator: on random single- and multi-value
/// strings with NULLs, the rows a filter selects through the bitmap index
/// (plus row-by-row evaluation of what is left) are exactly the rows the
/// evaluator selects on the decoded segment.
struct BitmapFilterTests {
    static let fields = [
        ColumnSpec(name: "__time", type: .long), ColumnSpec(name: "s", type: .string),
        ColumnSpec(name: "m", type: .string), ColumnSpec(name: "n", type: .long),
        ColumnSpec(name: "absent", type: .string),
    ]
    static let vocabulary = ["", "a", "b", "K", "\u{212A}", "\u{E9}", "e\u{301}", "zz"]

    static func writeSegment(rows: Int, seed: UInt64, path: String) throws {
        var rng = SeededGenerator(seed: seed)
        var s = ColumnBuilder(type: .string)
        var n = ColumnBuilder(type: .long)
        var multi: [[String]?] = []
        for _ in 0..<rows {
            s.append(Int.random(in: 0..<5, using: &rng) == 0 ? .null : .string(vocabulary.randomElement(using: &rng)!))
            n.append(Int.random(in: 0..<7, using: &rng) == 0 ? .null : .long(Int64.random(in: 0..<10, using: &rng)))
            let k = Int.random(in: 0...3, using: &rng)
            multi.append(k == 0 ? nil : (0..<k).map { _ in vocabulary.randomElement(using: &rng)! })
        }
        let signature = RowSignature(Array(fields.prefix(4)))
        let batch = Batch(signature: signature,
                          columns: [ColumnVector(.long((0..<rows).map(Int64.init))), s.finish(), MultiStringColumn.build(multi), n.finish()],
                          rowCount: rows)
        var writer = SegmentWriter(signature: signature)
        writer.append(batch)
        try writer.write(to: path)
    }

    /// A random filter over the string columns, sometimes with a conjunct
    /// the index cannot decide (`n > k`, or a column the segment lacks).
    static func randomFilter(_ rng: inout SeededGenerator, depth: Int) -> ScalarExpr {
        func col() -> ScalarExpr {
            let i = [1, 1, 2, 2, 4].randomElement(using: &rng)!
            return .column(i, .varchar)
        }
        func lit() -> ScalarExpr {
            Int.random(in: 0..<10, using: &rng) == 0 ? .literal(.null, .varchar)
                : .literal(.string((vocabulary + ["none"]).randomElement(using: &rng)!), .varchar)
        }
        let choice = Int.random(in: 0..<(depth > 0 ? 10 : 6), using: &rng)
        switch choice {
        case 0: return .call("EQUALS", Bool.random(using: &rng) ? [col(), lit()] : [lit(), col()], .boolean)
        case 1: return .call("NOT_EQUALS", [col(), lit()], .boolean)
        case 2: return .call("IN", [col()] + (0..<Int.random(in: 1...3, using: &rng)).map { _ in lit() }, .boolean)
        case 3: return .call(Bool.random(using: &rng) ? "IS_NULL" : "IS_NOT_NULL", [col()], .boolean)
        case 4: return .call("GREATER_THAN", [.column(3, .bigint), .literal(.long(Int64.random(in: 0..<10, using: &rng)), .bigint)], .boolean)
        case 5: return .call("EQUALS", [col(), lit()], .boolean)
        case 6: return .call("NOT", [randomFilter(&rng, depth: depth - 1)], .boolean)
        case 7, 8:
            let args = (0..<Int.random(in: 2...3, using: &rng)).map { _ in randomFilter(&rng, depth: depth - 1) }
            return .call(choice == 7 ? "AND" : "OR", args, .boolean)
        default:
            return .call("AND", [randomFilter(&rng, depth: depth - 1), randomFilter(&rng, depth: depth - 1)], .boolean)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func bitmapRowsEqualRowByRowEvaluation(seed: UInt64) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("henge-bitmap-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/seg.hseg"
        let rowCount = seed == 1 ? 1 : 3000
        try Self.writeSegment(rows: rowCount, seed: seed, path: path)
        let reader = try SegmentReader(path: path)
        let read = try reader.read(columns: ["__time", "s", "m", "n"])
        let batch = Batch(signature: RowSignature(Self.fields),
                          columns: read.columns + [ColumnVector.constant(.null, type: .string, count: rowCount)],
                          rowCount: rowCount)
        let evaluator = Evaluator(context: EvalContext(nowMillis: 0))
        var rng = SeededGenerator(seed: seed * 1000)
        var decided = 0
        for _ in 0..<300 {
            let filter = Self.randomFilter(&rng, depth: 3)
            let expected = try evaluator.selectedRows(filter, batch)
            let split = try BitmapFilter.split(filter, fields: Self.fields, reader: reader)
            var rows = split.rows?.rows ?? Array(0..<rowCount)
            if split.rows != nil { decided += 1 }
            if let rest = split.remaining {
                let kept = try evaluator.selectedRows(rest, batch.gather(rows))
                rows = kept.map { rows[$0] }
            }
            #expect(rows == expected, "\(filter)")
        }
        #expect(decided > 100)
    }
}
