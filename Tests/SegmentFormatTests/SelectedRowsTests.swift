import DataModel
import Foundation
import HengeTestSupport
import Testing
@testable import SegmentFormat

/// `SegmentReader.read(columns:rows:)` returns exactly the selected rows of
/// a full read, for every codec (blocked ones skip unselected blocks), and
/// never checks a block it skips.
@Suite struct SelectedRowsTests {
    static let signature = RowSignature([
        .long("__time"), .long("l"), .double("d"), .float("f"), .string("s"), .string("m"),
    ])

    static func rows(_ n: Int, seed: UInt64) -> [[ScalarValue]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { i in
            let l: ScalarValue = i % 9 == 0 ? .null : .long(Int64.random(in: -50...50, using: &rng))
            let d: ScalarValue = i % 11 == 0 ? .null : .double(Double(i % 17) / 4)
            let f: ScalarValue = i % 13 == 0 ? .null : .double(Double(i % 5))
            let s: ScalarValue = i % 7 == 0 ? .null : .string("v\(Int.random(in: 0..<30, using: &rng))")
            return [.long(Int64(i / 3)), l, d, f, s, .null]
        }
    }

    @Test(arguments: [false, true])
    func selectedRowsEqualAGatheredFullRead(legacy: Bool) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let rows = Self.rows(1_234, seed: 8)
        var tags: [[String]?] = []
        var rng = SeededGenerator(seed: 9)
        for i in rows.indices { tags.append(i % 5 == 0 ? nil : (0..<Int.random(in: 1...3, using: &rng)).map { "t\($0 + i % 4)" }) }
        var batch = makeBatch(Self.signature, rows)
        batch.columns[5] = MultiStringColumn.build(tags)
        var writer = SegmentWriter(signature: Self.signature)
        writer.legacyFormat = legacy
        writer.rowsPerBlock = 100
        writer.append(batch)
        let path = dir.file("sel.hseg")
        try writer.write(to: path)
        let reader = try SegmentReader(path: path)
        let full = try reader.readAll()
        var selections: [[Int]] = [[], [0], [1_233], Array(0..<1_234), [5, 99, 100, 101, 700, 1_199, 1_200]]
        selections.append((0..<1_234).filter { $0 % 37 == 3 })
        selections.append(Array(250..<260))  // inside one block: the others are skipped
        for picked in selections {
            let part = try reader.read(columns: Self.signature.names, rows: picked)
            #expect(part.rowCount == picked.count)
            for (c, column) in part.columns.enumerated() {
                #expect(column == full.columns[c].gather(picked), "column \(Self.signature[c].name), \(picked.count) rows")
            }
        }
    }

    /// A damaged block that no selected row lives in is never read; one
    /// that holds a selected row still fails its CRC.
    @Test func skippedBlocksAreNotChecked() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let signature = RowSignature([.long("__time"), .long("l")])
        var writer = SegmentWriter(signature: signature)
        writer.rowsPerBlock = 100
        writer.append(makeBatch(signature, (0..<1_000).map { [.long(Int64($0)), .long(Int64($0 * $0 % 977))] }))
        let path = dir.file("dmg.hseg")
        try writer.write(to: path)
        let column = try SegmentReader(path: path).footer.columns[1]
        // Flip a byte in the last block of `l`, then fix the whole-column CRC so only the block's CRC can notice.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let end = column.offset + column.length
        bytes[end - 8] ^= 0x40
        let crc = CRC32.checksum(Array(bytes[column.offset..<end]))
        for k in 0..<4 { bytes[end + k] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * k)) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try SegmentReader(path: path)
        let early = try reader.read(columns: ["l"], rows: [3, 450, 899])
        #expect(early.columns[0].value(at: 1) == .long(450 * 450 % 977))
        #expect(throws: HengeError.self) { try reader.read(columns: ["l"], rows: [3, 950]) }
        #expect(throws: HengeError.self) { try reader.readAll() }
    }
}
