import DataModel
import Foundation
import HengeTestSupport
import Testing
@testable import SegmentFormat

/// Files written before the blocked numeric codecs and the bitmap index
/// (whole-column `timeDelta`/`longFOR`/`doubleRaw`/`floatRaw`, no index)
/// still open and decode.
struct LegacyFormatTests {
    /// `Fixtures/format1_legacy.hseg` was written by `henge serve` at commit
    /// ae93a8d (before this format change) from an INSERT of four JSON rows.
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/format1_legacy.hseg").path

    static let signature = RowSignature([
        .long("__time"), .string("label"), .string("dim"), .string("tags"), .long("n"), .double("d"), .float("f"),
    ])

    @Test func fixtureFromTheFirstFormatDecodes() throws {
        let reader = try SegmentReader(path: Self.fixture)
        #expect(reader.signature == Self.signature)
        #expect(reader.footer.columns.map(\.codec.name) == [
            "timeDelta", "stringDictionary", "stringDictionary", "multiStringDictionary", "longFOR", "doubleRaw", "floatRaw",
        ])
        let batch = try reader.readAll()
        let t0: Int64 = 1_704_070_800_000
        expectRows(batch.project(["__time", "label", "dim", "n", "d", "f"]), equal: [
            [.long(t0), .string("r1"), .string("a"), .long(-5), .double(1.5), .double(0.25)],
            [.long(t0 + 3_600_000), .string("r2"), .null, .long(Int64.max), .double(-0.0), .null],
            [.long(t0 + 3_600_000), .string("r3"), .string(""), .null, .double(1e300), .double(-3)],
            [.long(t0 + 16_200_000), .string("r4"), .string("Zürich"), .long(Int64.min), .double(42), .null],
        ])
        #expect(batch.columns[3].value(at: 0) == .string("[\"t1\",\"t2\"]") || batch.columns[3].isMultiValue)
        #expect(batch.columns[3].isNull(2) && batch.columns[3].isNull(3) && !batch.columns[3].isNull(1))
        // No bitmap index in such files: callers fall back to decoding.
        #expect(!reader.hasBitmapIndex("dim"))
        #expect(try reader.rows(equalTo: "a", in: "dim") == nil)
        #expect(try reader.nullRows("tags") == nil)
    }

    /// `Fixtures/format1_index1.hseg` was written by `henge serve` at commit
    /// 2621ba0 (bit-packed string ids, uncompressed version-1 bitmap index)
    /// from the same four rows, `tags` ingested with `arrayIngestMode: mvd`.
    static let indexFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/format1_index1.hseg").path

    @Test func fixtureWithTheFirstBitmapIndexDecodes() throws {
        let reader = try SegmentReader(path: Self.indexFixture)
        #expect(reader.signature == Self.signature)
        #expect(reader.footer.columns.map(\.codec.name) == [
            "blockedLong", "stringIndexed", "stringIndexed", "multiStringIndexed", "blockedLong", "blockedDouble",
            "blockedFloat",
        ])
        let batch = try reader.readAll()
        let t0: Int64 = 1_704_070_800_000
        expectRows(batch.project(["__time", "label", "dim", "n", "d", "f"]), equal: [
            [.long(t0), .string("r1"), .string("a"), .long(-5), .double(1.5), .double(0.25)],
            [.long(t0 + 3_600_000), .string("r2"), .null, .long(Int64.max), .double(-0.0), .null],
            [.long(t0 + 3_600_000), .string("r3"), .string(""), .null, .double(1e300), .double(-3)],
            [.long(t0 + 16_200_000), .string("r4"), .string("Zürich"), .long(Int64.min), .double(42), .null],
        ])
        #expect(batch.columns[3].isMultiValue)
        #expect(batch.columns[3].isNull(2) && batch.columns[3].isNull(3) && !batch.columns[3].isNull(1))
        #expect(try reader.rows(equalTo: "a", in: "dim")?.rows == [0])
        #expect(try reader.rows(in: ["", "Zürich"], column: "dim")?.rows == [2, 3])
        #expect(try reader.nullRows("dim")?.rows == [1])
        #expect(try reader.rows(equalTo: "t2", in: "tags")?.rows == [0])
        #expect(try reader.rows(in: ["t1", "t3"], column: "tags")?.rows == [0, 1])
        #expect(try reader.nullRows("tags")?.rows == [2, 3])
        try reader.verifyBitmapIndexes()
    }

    /// A whole-column block that inflates beyond deflate's 1032:1 (one
    /// 300 KB run of a letter, zstd-compressed) still decodes.
    @Test func wholeColumnBodyBeyondDeflateRatioDecodes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let signature = RowSignature([.long("__time"), .string("s")])
        let long = String(repeating: "a", count: 300_000)
        var writer = SegmentWriter(signature: signature)
        writer.legacyFormat = true
        writer.append(makeBatch(signature, [[.long(1), .string(long)], [.long(2), .string(long)]]))
        let path = dir.file("runs.hseg")
        try writer.write(to: path)
        let reader = try SegmentReader(path: path)
        #expect(reader.footer.columns[1].codec == .stringDictionary)
        // Past what the reader used to allow: rows * 9 + (block + 64) * 1032.
        #expect(2 * 9 + (reader.footer.columns[1].length + 64) * 1032 < long.utf8.count, "block of \(reader.footer.columns[1].length) bytes")
        expectRows(try reader.readAll(), equal: [[.long(1), .string(long)], [.long(2), .string(long)]])
    }

    /// The legacy writer (kept for this test) and the current one produce
    /// files that decode to the same rows.
    @Test func legacyAndCurrentWritersAgree() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let signature = RowSignature([.long("__time"), .long("l"), .double("d"), .float("f"), .string("s")])
        var rng = SeededGenerator(seed: 5)
        var rows: [[ScalarValue]] = []
        for i in 0..<5000 {
            let l: ScalarValue = i % 11 == 0 ? .null : .long(Int64.random(in: -1000...1000, using: &rng))
            let d: ScalarValue = i % 13 == 0 ? .null : .double(Double(i % 50))
            let s: ScalarValue = i % 7 == 0 ? .null : .string("v\(i % 40)")
            rows.append([.long(Int64(i / 3)), l, d, .double(Double(Float(i) / 8)), s])
        }
        var paths: [String] = []
        for legacy in [true, false] {
            var writer = SegmentWriter(signature: signature)
            writer.legacyFormat = legacy
            writer.append(makeBatch(signature, rows))
            let path = dir.file(legacy ? "old.hseg" : "new.hseg")
            try writer.write(to: path)
            paths.append(path)
        }
        let old = try SegmentReader(path: paths[0]), new = try SegmentReader(path: paths[1])
        #expect(old.footer.columns.map(\.codec) == [.timeDelta, .longFOR, .doubleRaw, .floatRaw, .stringDictionary])
        #expect(new.footer.columns.map(\.codec) == [.blockedLong, .blockedLong, .blockedDouble, .blockedFloat, .blockedStringIndexed])
        expectRows(try old.readAll(), equal: rows)
        expectRows(try new.readAll(), equal: rows)
        #expect(try old.readAll().columns == new.readAll().columns)
        #expect(old.columnInfos == new.columnInfos)
    }
}

extension Batch {
    /// The named columns, in the order given.
    func project(_ names: [String]) -> Batch {
        let indexes = names.map { signature.index(of: $0)! }
        return Batch(signature: RowSignature(indexes.map { signature[$0] }), columns: indexes.map { columns[$0] }, rowCount: rowCount)
    }
}
