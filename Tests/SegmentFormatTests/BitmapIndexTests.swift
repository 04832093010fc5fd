import DataModel
import Foundation
import HengeTestSupport
import Testing
@testable import SegmentFormat

/// The per-value bitmaps of STRING columns: compressed containers, lookups
/// equal to a row-by-row scan, laziness and corruption.
struct BitmapIndexTests {
    /// The decoded set, and the container kinds used (nil for the row-list form).
    static func roundTrip(_ rows: [Int32], rowCount: Int) throws -> (RowBitmap, [BitmapContainers.Kind]?) {
        var sink = ByteSink()
        rows.withUnsafeBufferPointer { BitmapContainers.encode($0, rowCount: rowCount, into: &sink) }
        var out = RowBitmap(rowCount: rowCount)
        try sink.bytes.withUnsafeBytes { try BitmapContainers.decode($0, into: &out) }
        // Kinds, read back from the layout: varint count, then key, kind...
        var kinds: [BitmapContainers.Kind]? = []
        try sink.bytes.withUnsafeBytes { bytes in
            var cursor = ByteCursor(bytes)
            let head = try cursor.readVarint()
            if head & 1 == 1 {
                kinds = nil
                return
            }
            for _ in 0..<(head >> 1) {
                let key = Int(try cursor.readVarint())
                let kind = BitmapContainers.Kind(rawValue: try cursor.readByte())!
                kinds!.append(kind)
                switch kind {
                case .array: _ = try cursor.read(count: 2 * Int(try cursor.readVarint()))
                case .runs: _ = try cursor.read(count: 4 * Int(try cursor.readVarint()))
                case .bitset: _ = try cursor.read(count: BitmapContainers.bitsetBytes(base: key << 16, rowCount: rowCount))
                }
            }
        }
        return (out, kinds)
    }

    /// A front-coded dictionary reads back every value across buckets, and
    /// one whose entries are out of order (or repeated) is reported corrupt.
    @Test func frontCodedDictionaryChecksOrder() throws {
        func read(_ values: [String]) throws -> [String] {
            var coded = ByteSink()
            let starts = FrontCodedDictionary.encode(StringDictionary(values), into: &coded)
            var offsets = ByteSink()
            let width = BitPacking.width(forMax: UInt64(starts.last!))
            BitPacking.pack(count: starts.count, width: width, into: &offsets) { UInt64(starts[$0]) }
            return try coded.bytes.withUnsafeBytes { bytes in
                try offsets.bytes.withUnsafeBytes { packed in
                    try FrontCodedDictionaryView(count: values.count, bytes: bytes, offsets: packed, offsetWidth: width).allValues().map { $0 }
                }
            }
        }
        let sorted = (0..<40).map { String(format: "value-%03d", $0 * 7) } + ["wé", "wéé", "x"]
        #expect(try read(sorted) == sorted)
        for broken in [sorted.enumerated().map { $0.offset == 20 ? "value-000" : $0.element },  // mid-bucket
                       sorted.enumerated().map { $0.offset == 16 ? "a" : $0.element },  // a bucket head
                       sorted.enumerated().map { $0.offset == 33 ? sorted[32] : $0.element }] {  // a repeat
            #expect(throws: SegmentCorruption.self) { _ = try read(broken) }
        }
    }

    /// The container form is sized without being written, exactly: for row
    /// sets of every shape the size equals what encoding writes, and the
    /// encoder keeps the smaller form (the row list on a tie).
    @Test func containerSizeIsExact() throws {
        var rng = SeededGenerator(seed: 41)
        for trial in 0..<100 {
            let rowCount = [7, 1_000, 70_000, 140_000][trial % 4]
            var rows: [Int32] = []
            let n = Int32(rowCount)
            switch trial % 5 {
            case 0: rows = (0..<Int.random(in: 1...6, using: &rng)).map { _ in Int32.random(in: 0..<n, using: &rng) }
            case 1:
                let start = Int32.random(in: 0..<n, using: &rng)
                rows = Array(start..<min(n, start + Int32.random(in: 1...5_000, using: &rng)))
            case 2: rows = Array(stride(from: Int32.random(in: 0..<3, using: &rng), to: n, by: Int(trial % 3 + 2)))
            case 3: rows = (0..<Int.random(in: 1...3_000, using: &rng)).map { _ in Int32.random(in: 0..<n, using: &rng) }
            default:
                var r = Int32.random(in: 0..<100, using: &rng)
                while r < n {
                    rows += Array(r..<min(n, r + Int32.random(in: 1...40, using: &rng)))
                    r += Int32.random(in: 41...3_000, using: &rng)
                }
            }
            let sorted = Array(Set(rows)).sorted()
            var containers = ByteSink(), encoded = ByteSink(), list = ByteSink()
            sorted.withUnsafeBufferPointer { b in
                let size = BitmapContainers.containersSize(b, rowCount: rowCount)
                BitmapContainers.encodeContainers(b, rowCount: rowCount, containerCount: size.count, into: &containers)
                #expect(size.bytes == containers.count, "trial \(trial)")
                #expect(size.count == Set(sorted.map { $0 >> 16 }).count, "trial \(trial)")
                BitmapContainers.encode(b, rowCount: rowCount, into: &encoded)
            }
            list.appendVarint(UInt64(sorted.count) << 1 | 1)
            for (i, r) in sorted.enumerated() { list.appendVarint(UInt64(i == 0 ? r : r - sorted[i - 1] - 1)) }
            #expect(encoded.bytes == (list.count <= containers.count ? list.bytes : containers.bytes), "trial \(trial)")
            let (decoded, _) = try Self.roundTrip(sorted, rowCount: rowCount)
            #expect(decoded.rows.map(Int32.init) == sorted, "trial \(trial)")
        }
    }

    @Test func containersPickTheSmallestForm() throws {
        let rowCount = 200_000
        var rng = SeededGenerator(seed: 3)
        let sparse = (0..<rowCount).filter { $0 % 997 == 0 }.map(Int32.init)
        let dense = (0..<rowCount).filter { _ in Bool.random(using: &rng) }.map(Int32.init)
        let runs = (0..<rowCount).filter { ($0 / 5000) % 2 == 0 }.map(Int32.init)
        let edges = [Int32(0), 65535, 65536, Int32(rowCount - 1)]
        // A small segment's bitset is as long as the segment: 16 words for 1,000 rows.
        let small = (0..<1000).filter { $0 % 3 == 0 }.map(Int32.init)
        var sink = ByteSink()
        small.withUnsafeBufferPointer { BitmapContainers.encode($0, rowCount: 1000, into: &sink) }
        #expect(sink.count == 1 + 1 + 1 + 128)
        var out = RowBitmap(rowCount: 1000)
        try sink.bytes.withUnsafeBytes { try BitmapContainers.decode($0, into: &out) }
        #expect(out.rows == small.map(Int.init))
        let cases: [([Int32], [BitmapContainers.Kind]?)] = [
            (sparse, nil), (dense, [.bitset]), (runs, [.runs]), (edges, nil), ([], nil), ([7], nil),
        ]
        for (rows, kinds) in cases {
            let (bitmap, got) = try Self.roundTrip(rows, rowCount: rowCount)
            #expect(bitmap.rows == rows.map(Int.init))
            if let kinds, let got {
                // The last container (3,392 rows) may pick another form.
                #expect(Set(got.count > 1 ? got.dropLast() : got[...]) == Set(kinds))
            } else {
                #expect(kinds == nil && got == nil)
            }
        }
    }

    static let signature = RowSignature([.long("__time"), .string("s"), .string("m")])
    static let vocabulary = ["", "a", "b", "K", "\u{212A}", "\u{E9}", "e\u{301}", "日本", "zz"]

    /// Random single-value and multi-value strings with NULLs.
    static func randomBatch(rows: Int, seed: UInt64) -> (Batch, [[String]?], [[String]?]) {
        var rng = SeededGenerator(seed: seed)
        var single: [[String]?] = []
        var multi: [[String]?] = []
        for _ in 0..<rows {
            single.append(Int.random(in: 0..<6, using: &rng) == 0 ? nil : [vocabulary.randomElement(using: &rng)!])
            let n = Int.random(in: 0...3, using: &rng)
            multi.append(n == 0 ? nil : (0..<n).map { _ in vocabulary.randomElement(using: &rng)! })
        }
        var sb = ColumnBuilder(type: .string)
        for v in single { sb.append(v.map { .string($0[0]) } ?? .null) }
        let batch = Batch(
            signature: signature,
            columns: [ColumnVector(.long((0..<rows).map(Int64.init))), sb.finish(), MultiStringColumn.build(multi)],
            rowCount: rows)
        return (batch, single, multi)
    }

    @Test(arguments: [1, 2, 3])
    func lookupsEqualARowByRowScan(seed: UInt64) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let rowCount = [0, 1, 70_000][Int(seed - 1)]
        let (batch, single, multi) = Self.randomBatch(rows: rowCount, seed: seed)
        var writer = SegmentWriter(signature: Self.signature)
        writer.append(batch)
        try writer.write(to: dir.file("idx.hseg"))
        let reader = try SegmentReader(path: dir.file("idx.hseg"))
        for (name, column) in [("s", single), ("m", multi)] {
            #expect(reader.hasBitmapIndex(name))
            #expect(try reader.nullRows(name)?.rows == column.indices.filter { column[$0] == nil })
            for value in Self.vocabulary + ["absent", "k"] {
                // Swift String equality, as SQL `=` on VARCHAR evaluates.
                let expected = column.indices.filter { column[$0]?.contains(value) == true }
                #expect(try reader.rows(equalTo: value, in: name)?.rows == expected, "\(name) = \(value)")
            }
            let set = ["a", "日本", "nope"]
            let expected = column.indices.filter { r in column[r]?.contains { set.contains($0) } == true }
            #expect(try reader.rows(in: set, column: name)?.rows == expected)
        }
        #expect(!reader.hasBitmapIndex("__time"))
        #expect(try reader.rows(equalTo: "a", in: "__time") == nil)
    }

    @Test func corruptedBitmapIsDetectedWhenRead() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (batch, _, _) = Self.randomBatch(rows: 5000, seed: 9)
        var writer = SegmentWriter(signature: Self.signature)
        writer.append(batch)
        let path = dir.file("idx.hseg")
        try writer.write(to: path)
        let region = try SegmentReader(path: path).footer.columns[1].bitmapIndex!
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[region.upperBound - 10] ^= 0x01  // inside the last bitmap (NULL rows)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try SegmentReader(path: path)
        // One CRC covers up to 64 consecutive bitmaps: all of this column's.
        #expect(throws: HengeError.self) { try reader.rows(equalTo: "a", in: "s") }
        #expect(try reader.rows(equalTo: "a", in: "m") != nil)  // the other column's index is intact
        let error = #expect(throws: HengeError.self) { try reader.nullRows("s") }
        #expect(error?.code == "SegmentCorrupted")
        #expect(error?.message.contains("bitmap index of column [s]") == true)
        #expect(try reader.readAll().rowCount == 5000)  // the columns and the dictionary are intact
    }

    /// A near-unique text column (timestamps) and a few-hundred-value one:
    /// the front-coded dictionary is stored compressed, the bitmaps in many
    /// chunks (compressed where that pays); every lookup still equals a scan.
    @Test func compressedDictionaryAndChunksAnswerLookups() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var rng = SeededGenerator(seed: 21)
        let rowCount = 60_000
        var ts: [[String]?] = [], tags: [[String]?] = []
        for i in 0..<rowCount {
            let minute = i / 3 + Int.random(in: 0..<2, using: &rng)
            ts.append(i % 50 == 0 ? nil : ["2024-01-\(10 + minute / 1440)T\(minute / 60 % 24):\(minute % 60):00Z"])
            let n = Int.random(in: 0...2, using: &rng)
            tags.append(n == 0 ? nil : (0..<n).map { _ in "tag-\(Int.random(in: 0..<300, using: &rng))" })
        }
        var sb = ColumnBuilder(type: .string)
        for v in ts { sb.append(v.map { .string($0[0]) } ?? .null) }
        let batch = Batch(
            signature: Self.signature,
            columns: [ColumnVector(.long((0..<rowCount).map(Int64.init))), sb.finish(), MultiStringColumn.build(tags)],
            rowCount: rowCount)
        var writer = SegmentWriter(signature: Self.signature)
        writer.append(batch)
        let path = dir.file("big.hseg")
        try writer.write(to: path)
        let reader = try SegmentReader(path: path)
        let s = try #require(try reader.indexStorage("s")), m = try #require(try reader.indexStorage("m"))
        #expect(s.dictionaryCompressed && s.chunks > 1 && s.compressedChunks > 0, "\(s)")
        #expect(m.chunks > 1 && m.compressedChunks > 0, "\(m)")
        try reader.verifyBitmapIndexes()
        for (name, column) in [("s", ts), ("m", tags)] {
            #expect(try reader.nullRows(name)?.rows == column.indices.filter { column[$0] == nil })
            var probes = Set(column.compactMap { $0?.first }.shuffled(using: &rng).prefix(40))
            probes.insert("absent")
            for value in probes {
                let expected = column.indices.filter { column[$0]?.contains(value) == true }
                #expect(try reader.rows(equalTo: value, in: name)?.rows == expected, "\(name) = \(value)")
            }
            let set = Array(probes.prefix(7))
            #expect(try reader.rows(in: set, column: name)?.rows
                == column.indices.filter { r in column[r]?.contains { set.contains($0) } == true })
        }
        expectRows(try reader.readAll().project(["s"]), equal: ts.map { [$0.map { .string($0[0]) } ?? .null] })

        // A flipped byte in the last chunk (which holds the NULL rows) is caught by that chunk's CRC.
        let region = reader.footer.columns[1].bitmapIndex!
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[region.upperBound - 3] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let damaged = try SegmentReader(path: path)
        let error = #expect(throws: HengeError.self) { try damaged.nullRows("s") }
        #expect(error?.message.contains("bitmap checksum mismatch") == true)
        #expect(try damaged.rows(equalTo: ts[1]![0], in: "s")?.rows == ts.indices.filter { ts[$0] == ts[1] })  // first chunk
    }

    /// Bitmaps that compress beyond deflate's 1032:1 (alternate rows: 8 KiB
    /// bitsets of one repeated byte, which zstd shrinks to a few bytes) still
    /// open: the reader bounds no inflated size by the stored one.
    @Test func highlyCompressibleBitmapsOpen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let rowCount = 1 << 20
        let sig = RowSignature([.long("__time"), .string("s")])
        let strings = ColumnVector(.string(StringColumn(ids: (0..<rowCount).map { Int32($0 & 1) }, dictionary: ["a", "b"])))
        var writer = SegmentWriter(signature: sig)
        writer.append(Batch(signature: sig, columns: [ColumnVector(.long([Int64](repeating: 0, count: rowCount))), strings],
                            rowCount: rowCount))
        try writer.write(to: dir.file("alt.hseg"))
        let reader = try SegmentReader(path: dir.file("alt.hseg"))
        let region = try #require(reader.footer.columns[1].bitmapIndex)
        #expect(region.count * 1032 < 2 * rowCount / 8, "the index region is \(region.count) bytes")
        let b = try #require(try reader.rows(equalTo: "b", in: "s"))
        #expect(b.count == rowCount / 2 && b.contains(1) && !b.contains(0) && b.contains(rowCount - 1))
        #expect(try reader.nullRows("s")?.count == 0)
    }

    @Test func rowBitmapSetAlgebra() {
        let a = RowBitmap(rows: [0, 5, 64, 129], rowCount: 130)
        let b = RowBitmap(rows: [5, 6, 129], rowCount: 130)
        #expect(a.intersection(b).rows == [5, 129])
        #expect(a.union(b).rows == [0, 5, 6, 64, 129])
        #expect(a.subtracting(b).rows == [0, 64])
        #expect(a.complement().count == 126)
        #expect(!a.complement().contains(129) && a.complement().contains(128))
        #expect(RowBitmap.all(rowCount: 130).isFull && RowBitmap.all(rowCount: 130).count == 130)
        #expect(RowBitmap(rowCount: 0).isEmpty && RowBitmap.all(rowCount: 0).isFull)
    }
}
