import DataModel
import Foundation
import SegmentFormat
import HengeTestSupport
import Testing

/// Sorted-run files: frames of every column kind survive a write and read,
/// sections are independent, damage is detected.
struct RunFileTests {
    static let signature = RowSignature([.long("l"), .float("f"), .double("d"), .string("s"), .string("m")])

    /// Rows of every kind, NULLs in each column, a multi-value column with
    /// NULL rows and several values, a string dictionary of `distinct` entries.
    static func batch(rows: Int, distinct: Int, seed: UInt64) -> Batch {
        var rng = SeededGenerator(seed: seed)
        var builders = [ColumnBuilder(type: .long), ColumnBuilder(type: .float), ColumnBuilder(type: .double), ColumnBuilder(type: .string)]
        var multi: [[String]?] = []
        for r in 0..<rows {
            let null = r % 7 == 3
            if null { builders[0].appendNull() } else { builders[0].append(long: Int64.random(in: .min ... .max, using: &rng)) }
            if r % 5 == 1 { builders[1].appendNull() } else { builders[1].append(double: Double(Float.random(in: -1e6...1e6, using: &rng))) }
            switch r % 9 {
            case 2: builders[2].appendNull()
            case 4: builders[2].append(double: -0.0)
            case 6: builders[2].append(double: .infinity)
            default: builders[2].append(double: Double.random(in: -1e9...1e9, using: &rng))
            }
            if r % 11 == 5 { builders[3].appendNull() } else if r % 13 == 0 { builders[3].append(string: "") } else {
                builders[3].append(string: "v\(Int.random(in: 0..<distinct, using: &rng))-é日本")
            }
            switch r % 4 {
            case 0: multi.append(nil)
            case 1: multi.append(["x"])
            default: multi.append(["b\(r % 3)", "a", "b\(r % 3)"])
            }
        }
        var columns = builders.indices.map { builders[$0].finish() }
        columns.append(MultiStringColumn.build(multi))
        return Batch(signature: signature, columns: columns, rowCount: rows)
    }

    static func expectSame(_ a: Batch, _ b: Batch, sourceLocation: SourceLocation = #_sourceLocation) {
        expectRows(a, equal: (0..<b.rowCount).map { b.row($0) }, sourceLocation: sourceLocation)
        for (x, y) in zip(a.columns, b.columns) {
            #expect(x.isMultiValue == y.isMultiValue, sourceLocation: sourceLocation)
            #expect((x.nulls?.nullCount ?? 0) == (y.nulls?.nullCount ?? 0), sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [(1, 10), (500, 200), (3000, 2000), (70_000, 70_000)])
    func framesRoundTrip(rows: Int, distinct: Int) throws {
        let original = Self.batch(rows: rows, distinct: distinct, seed: UInt64(rows))
        var bytes: [UInt8] = []
        FrameEncoder.encode(original, into: &bytes)
        let decoded = try bytes.withUnsafeBytes { try FrameDecoder.decode($0, signature: Self.signature) }
        Self.expectSame(decoded, original)
    }

    /// LONG columns are stored as differences from the frame's minimum in
    /// the fewest whole bytes that hold the largest: each range's boundary
    /// picks the next width, NULL rows (stored as 0) count, and the values
    /// read back exactly.
    @Test(arguments: [
        ([Int64(7), 7, 7], 0), ([-5, 250], 1), ([-5, 251], 2), ([100, 100 + 0xFFFF], 2), ([100, 100 + 0x1_0000], 4),
        ([Int64.min, Int64.min + 0xFFFF_FFFF], 4), ([0, 0x1_0000_0000], 8), ([Int64.min, Int64.max, 0, -1], 8),
    ] as [([Int64], Int)])
    func longColumnsTakeTheFewestBytes(values: [Int64], width: Int) throws {
        let signature = RowSignature([.long("l")])
        let rows = 1000
        let column = ColumnVector(.long((0..<rows).map { values[$0 % values.count] }))
        var bytes: [UInt8] = []
        FrameEncoder.encode(Batch(signature: signature, columns: [column], rowCount: rows), into: &bytes)
        // varint rows (2 bytes) | varint columns | kind | flags | width | minimum | values
        #expect(bytes.count == 2 + 1 + 1 + 1 + 1 + 8 + rows * width)
        #expect(bytes[5] == UInt8(width))
        let decoded = try bytes.withUnsafeBytes { try FrameDecoder.decode($0, signature: signature) }
        #expect(Self.longs(decoded.columns[0]) == Self.longs(column))

        // With NULL rows (stored as 0): the range includes 0, and the rows stay NULL.
        var nulls = NullMask(count: rows)
        for r in stride(from: 1, to: rows, by: 3) { nulls.setNull(r) }
        let withNulls = ColumnVector(.long((0..<rows).map { nulls.isNull($0) ? 0 : values[$0 % values.count] }), nulls: nulls)
        bytes = []
        FrameEncoder.encode(Batch(signature: signature, columns: [withNulls], rowCount: rows), into: &bytes)
        let back = try bytes.withUnsafeBytes { try FrameDecoder.decode($0, signature: signature) }
        #expect(Self.longs(back.columns[0]) == Self.longs(withNulls))
        #expect((0..<rows).map { back.columns[0].isNull($0) } == (0..<rows).map { nulls.isNull($0) })
    }

    static func longs(_ column: ColumnVector) -> [Int64] {
        guard case .long(let v) = column.data else { return [] }
        return v
    }

    @Test func sectionsReadBackIndependently() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let writer = try RunFileWriter(path: dir.file("r.run"), signature: Self.signature)
        let a = Self.batch(rows: 1000, distinct: 50, seed: 1), b = Self.batch(rows: 10, distinct: 5, seed: 2)
        let c = Self.batch(rows: 300, distinct: 300, seed: 3)
        writer.beginSection(5)
        try writer.write(a)
        try writer.write(b)
        writer.beginSection(-7)
        try writer.write(c)
        writer.beginSection(9) // nothing written: no section in the index
        let run = try writer.finish()
        #expect(run.sections.keys.sorted() == [-7, 5])
        #expect(run.sections[5]?.rows == 1010)
        #expect(run.sections[5]?.frames == 2)
        #expect(run.rowCount == 1310)
        #expect(run.sizeBytes == (try FileManager.default.attributesOfItem(atPath: run.path)[.size] as? Int).map(Int64.init))

        let first = try RunSectionReader(file: run, key: 5)
        Self.expectSame(try #require(try first.next()), a)
        Self.expectSame(try #require(try first.next()), b)
        #expect(try first.next() == nil)
        let second = try RunSectionReader(file: run, key: -7)
        Self.expectSame(try #require(try second.next()), c)
        #expect(try second.next() == nil)
        #expect(try RunSectionReader(file: run, key: 9).next() == nil)
        run.delete()
        #expect(!FileManager.default.fileExists(atPath: run.path))
    }

    @Test func damagedFrameIsDetected() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let writer = try RunFileWriter(path: dir.file("r.run"), signature: Self.signature)
        writer.beginSection(0)
        try writer.write(Self.batch(rows: 100, distinct: 10, seed: 4))
        let run = try writer.finish()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: run.path)))
        bytes[bytes.count - 20] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: run.path))
        #expect { try RunSectionReader(file: run, key: 0).next() } throws: { error in
            (error as? HengeError)?.message.contains("checksum mismatch") == true
        }
    }

    @Test func abandonedWriterLeavesNoFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let writer = try RunFileWriter(path: dir.file("r.run"), signature: Self.signature)
        writer.beginSection(0)
        try writer.write(Self.batch(rows: 10, distinct: 3, seed: 5))
        writer.abandon()
        #expect(!FileManager.default.fileExists(atPath: dir.file("r.run")))
    }
}
