import DataModel
import HengeTestSupport
import Testing
@testable import SegmentFormat

/// String ids stored as blocks of integers (`blockedStringIndexed`,
/// `blockedMultiStringIndexed`): exact round trips across many small
/// blocks, with NULL rows, and the encodings a sorted text column earns.
@Suite struct BlockedStringColumnTests {
    static let signature = RowSignature([
        ColumnSpec(name: "__time", type: .long), ColumnSpec(name: "ts", type: .string),
        ColumnSpec(name: "city", type: .string), ColumnSpec(name: "tags", type: .string),
    ])

    static func strings(_ values: [String?]) -> ColumnVector {
        var builder = ColumnBuilder(type: .string)
        for v in values { builder.append(v.map(ScalarValue.string) ?? .null) }
        return builder.finish()
    }

    @Test func idsRoundTripAcrossSmallBlocks() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var rng = SeededGenerator(seed: 11)
        let cities = ["Oslo", "Zürich", "", "Lima", "Nairobi"]
        var times: [Int64] = [], ts: [String?] = [], city: [String?] = [], tags: [[String]?] = []
        for i in 0..<1_050 {
            times.append(Int64(i / 4))
            ts.append(i % 97 == 5 ? nil : "2024-01-01T00:\(String(format: "%04d", i / 4))")  // sorted with the time
            city.append(i % 7 == 0 ? nil : cities.randomElement(using: &rng))
            switch i % 5 {
            case 0: tags.append(nil)
            case 1: tags.append(["b", "a", "b"])
            case 2: tags.append(["t\(i % 13)"])
            default: tags.append((0..<Int.random(in: 1...4, using: &rng)).map { _ in "t\(Int.random(in: 0..<20, using: &rng))" })
            }
        }
        let batch = Batch(signature: Self.signature, columns: [
            ColumnVector(.long(times)), Self.strings(ts), Self.strings(city), MultiStringColumn.build(tags),
        ], rowCount: times.count)
        var writer = SegmentWriter(signature: Self.signature)
        writer.rowsPerBlock = 100
        writer.append(batch)
        let path = dir.file("strings.hseg")
        try writer.write(to: path)
        let reader = try SegmentReader(path: path)
        #expect(reader.footer.columns.map(\.codec) == [
            .blockedLong, .blockedStringIndexed, .blockedStringIndexed, .blockedMultiStringIndexed,
        ])
        let back = try reader.readAll()
        for row in 0..<times.count {
            #expect(back.columns[1].isNull(row) == (ts[row] == nil))
            if let t = ts[row] { #expect(back.columns[1].value(at: row) == .string(t)) }
            #expect(back.columns[2].isNull(row) == (city[row] == nil))
            if let c = city[row] { #expect(back.columns[2].value(at: row) == .string(c)) }
            #expect(back.columns[3].isNull(row) == (tags[row] == nil))
            if let t = tags[row] { #expect(back.columns[3].stringValues(at: row) == t.sorted()) }
        }
        // 11 blocks a column; the sorted text ids climb by 0 or 1 a row.
        let tsBlocks = reader.footer.columns[1].blockEncodings ?? [:]
        #expect(tsBlocks.values.reduce(0, +) == 11)
        #expect(tsBlocks.keys.allSatisfy { ["deltaFOR", "runLength"].contains($0) }, "\(tsBlocks)")
        // Counts (11 blocks) and ids (as many blocks as the values fill).
        let total = tags.reduce(0) { $0 + ($1?.count ?? 0) }
        #expect((reader.footer.columns[3].blockEncodings ?? [:]).values.reduce(0, +) == 11 + (total + 99) / 100)
        #expect(try reader.rows(equalTo: "Zürich", in: "city")?.rows == city.indices.filter { city[$0] == "Zürich" })
        #expect(try reader.nullRows("tags")?.rows == tags.indices.filter { tags[$0] == nil })
    }
}
