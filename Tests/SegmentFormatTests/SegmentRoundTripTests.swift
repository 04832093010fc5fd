import DataModel
import Foundation
import HengeTestSupport
import Testing
@testable import SegmentFormat

struct SegmentRoundTripTests {
    static let signature = RowSignature([.long("__time"), .long("l"), .float("f"), .double("d"), .string("s")])

    static let rows: [[ScalarValue]] = [
        [.long(-86_400_000), .long(Int64.min), .double(-1.5), .double(-0.0), .string("")],
        [.long(-1), .long(Int64.max), .double(Double(Float.nan)), .double(.nan), .string("日本語")],
        [.long(0), .null, .null, .null, .null],
        [.long(0), .long(0), .double(Double(Float.infinity)), .double(.infinity), .string("🙂 emoji")],
        [.long(1_700_000_000_000), .long(-1), .double(Double(-Float.infinity)), .double(-.infinity), .string("a")],
        [.long(1_700_000_000_000), .long(42), .double(Double(Float(0.1))), .double(Double.leastNonzeroMagnitude), .string("")],
        [.long(Int64.max / 2), .null, .double(3), .double(Double.greatestFiniteMagnitude), .string("Zürich")],
    ]

    @Test func allTypesRoundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var writer = SegmentWriter(signature: Self.signature)
        writer.append(makeBatch(Self.signature, Self.rows))
        let path = dir.file("all.hseg")
        let info = try writer.write(to: path)
        #expect(info.rowCount == Self.rows.count)
        #expect(info.minTime == -86_400_000)
        #expect(info.maxTime == Int64.max / 2)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(info.sizeBytes == Int64(size ?? -1))

        let reader = try SegmentReader(path: path)
        #expect(reader.signature == Self.signature)
        #expect(reader.rowCount == Self.rows.count)
        #expect(reader.minTime == info.minTime)
        #expect(reader.maxTime == info.maxTime)
        #expect(reader.sizeBytes == info.sizeBytes)
        let batch = try reader.readAll()
        #expect(batch.signature == Self.signature)
        expectRows(batch, equal: Self.rows)
        // NULL rows decode as ColumnBuilder makes them, so whole batches compare equal.
        #expect(batch.columns[1] == makeBatch(Self.signature, Self.rows).columns[1])
        #expect(batch.columns[1].nulls?.nullCount == 2)
        #expect(batch.columns[0].nulls == nil)

        // Strings come back with the sorted, minimal dictionary.
        guard case .string(let s) = batch.columns[4].data else {
            Issue.record("column s is not a string column")
            return
        }
        #expect(Array(s.dictionary) == ["", "a", "Zürich", "日本語", "🙂 emoji"].sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(s.dictionary.first == "")
    }

    /// Highly compressible text (repetitive JSON) inflates far beyond its
    /// stored size; the reader's bound must allow deflate's ratio.
    @Test func nestedColumnsAndCompressibleTextRoundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let signature = RowSignature([.long("__time"), ColumnSpec(name: "j", type: .json),
                                      ColumnSpec(name: "a", type: .longArray)])
        let filler = String(repeating: "{\"k\":\"value\"},", count: 200)
        let rows: [[ScalarValue]] = (0..<3).map { i in
            [.long(Int64(i)), .string("{\"n\":\(i),\"list\":[\(filler)null]}"), i == 1 ? .null : .string("[1,null,\(i)]")]
        }
        var writer = SegmentWriter(signature: signature)
        writer.append(makeBatch(signature, rows))
        let path = dir.file("nested.hseg")
        _ = try writer.write(to: path)
        let reader = try SegmentReader(path: path)
        #expect(reader.signature == signature)
        expectRows(try reader.readAll(), equal: rows)
    }

    @Test func footerStatistics() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var writer = SegmentWriter(signature: Self.signature)
        writer.append(makeBatch(Self.signature, Self.rows))
        try writer.write(to: dir.file("stats.hseg"))
        let infos = try SegmentReader(path: dir.file("stats.hseg")).columnInfos
        #expect(infos.map(\.name) == Self.signature.names)
        #expect(infos[0].min == .long(-86_400_000) && infos[0].max == .long(Int64.max / 2))
        #expect(infos[1].min == .long(Int64.min) && infos[1].max == .long(Int64.max))
        #expect(infos[1].nullCount == 2)
        #expect(infos[2].min == .double(-.infinity) && infos[2].max == .double(.infinity))
        #expect(infos[3].min == .double(-.infinity) && infos[3].max == .double(.infinity))
        #expect(infos[4].min == .string("") && infos[4].max == .string("🙂 emoji"))
        #expect(infos[4].cardinality == 5)
        #expect(infos[4].nullCount == 1)
    }

    @Test func canonicallyEquivalentStringsStayDistinct() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let signature = RowSignature([.long("__time"), .string("s")])
        let composed = "\u{E9}"  // é as one scalar
        let decomposed = "e\u{301}"  // e + combining acute
        let batch = Batch(
            signature: signature,
            columns: [
                ColumnVector(.long([1, 2, 3])),
                ColumnVector(.string(StringColumn(ids: [0, 1, 0], dictionary: [composed, decomposed, "unused"]))),
            ], rowCount: 3)
        var writer = SegmentWriter(signature: signature)
        writer.append(batch)
        try writer.write(to: dir.file("nfc.hseg"))
        let read = try SegmentReader(path: dir.file("nfc.hseg")).readAll()
        guard case .string(let s) = read.columns[1].data else {
            Issue.record("not a string column")
            return
        }
        #expect(s.dictionary.map { Array($0.utf8) } == [Array(decomposed.utf8), Array(composed.utf8)])
        expectRows(read, equal: [[.long(1), .string(composed)], [.long(2), .string(decomposed)], [.long(3), .string(composed)]])
    }

    @Test func hundredThousandRowsAcrossBatches() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let signature = RowSignature([.long("__time"), .string("country"), .long("bytes"), .double("ratio"), .float("f"), .string("uid")])
        var rng = SeededGenerator(seed: 42)
        var time: Int64 = 1_704_067_200_000
        var rows: [[ScalarValue]] = []
        rows.reserveCapacity(100_000)
        for i in 0..<100_000 {
            time += Int64.random(in: 0...2_000, using: &rng)
            rows.append([
                .long(time),
                i % 97 == 0 ? .null : .string("country-\(Int.random(in: 0..<200, using: &rng))"),
                i % 13 == 0 ? .null : .long(Int64.random(in: -1_000_000...50_000_000, using: &rng)),
                .double(Double.random(in: -1...1, using: &rng)),
                .double(Double(Float(Double.random(in: 0...1000, using: &rng)))),
                .string("user-\(i)"),
            ])
        }
        var writer = SegmentWriter(signature: signature)
        var start = 0
        let sizes = [1, 7_919, 30_000, 4_096]
        var k = 0
        while start < rows.count {
            let end = min(rows.count, start + sizes[k % sizes.count])
            writer.append(makeBatch(signature, Array(rows[start..<end])))
            start = end
            k += 1
        }
        #expect(writer.rowCount == 100_000)
        let path = dir.file("big.hseg")
        let info = try writer.write(to: path)
        #expect(info.rowCount == 100_000)
        #expect(info.minTime == rows.first![0].longValue)
        #expect(info.maxTime == rows.last![0].longValue)

        let reader = try SegmentReader(path: path)
        expectRows(try reader.readAll(), equal: rows)
        #expect(reader.columnInfos[1].cardinality == 200)
        #expect(reader.columnInfos[5].cardinality == 100_000)

        let projected = try reader.read(columns: ["uid", "__time"])
        #expect(projected.signature == RowSignature([.string("uid"), .long("__time")]))
        expectRows(projected, equal: rows.map { [$0[5], $0[0]] })
    }

    @Test func projectionKeepsRequestedOrder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var writer = SegmentWriter(signature: Self.signature)
        writer.append(makeBatch(Self.signature, Self.rows))
        try writer.write(to: dir.file("p.hseg"))
        let reader = try SegmentReader(path: dir.file("p.hseg"))
        let batch = try reader.read(columns: ["s", "d", "__time"])
        #expect(batch.signature.names == ["s", "d", "__time"])
        expectRows(batch, equal: Self.rows.map { [$0[4], $0[3], $0[0]] })
        #expect(try reader.read(columns: []).columns.isEmpty)
        let error = #expect(throws: HengeError.self) { try reader.read(columns: ["nope"]) }
        #expect(error?.code == "defensive")
    }

    @Test func emptySegment() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let writer = SegmentWriter(signature: Self.signature)
        let info = try writer.write(to: dir.file("empty.hseg"))
        #expect(info == SegmentFileInfo(rowCount: 0, sizeBytes: info.sizeBytes, minTime: 0, maxTime: 0))
        let reader = try SegmentReader(path: dir.file("empty.hseg"))
        let batch = try reader.readAll()
        #expect(batch == Batch.empty(Self.signature))
    }

    @Test func allNullAndConstantColumns() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let rows: [[ScalarValue]] = (0..<1000).map { _ in
            [.long(5_000), .null, .null, .long(7), .string("same"), .null]
        }
        let signature = RowSignature([.long("__time"), .long("nl"), .string("ns"), .long("c"), .string("cs"), .double("nd")])
        var writer = SegmentWriter(signature: signature)
        writer.append(makeBatch(signature, rows))
        try writer.write(to: dir.file("c.hseg"))
        let reader = try SegmentReader(path: dir.file("c.hseg"))
        let batch = try reader.readAll()
        expectRows(batch, equal: rows)
        #expect(batch == makeBatch(signature, rows).withSortedDictionaries())
        #expect(reader.columnInfos[1].min == nil)
        #expect(reader.columnInfos[2].cardinality == 0)
        // Constant columns pack to zero bits: the file stays tiny.
        #expect(reader.sizeBytes < 2_000)
    }

    @Test func sameRowsGiveIdenticalBytes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let signature = RowSignature([.long("__time"), .string("s"), .double("d")])
        let rows: [[ScalarValue]] = (0..<5_000).map { (i: Int) -> [ScalarValue] in
            let s: ScalarValue = i % 11 == 0 ? .null : .string("v\(i % 37)")
            return [.long(Int64(i / 3)), s, .double(Double(i) / 7)]
        }
        // One batch, versus many batches whose dictionaries list values in other orders.
        var a = SegmentWriter(signature: signature)
        a.append(makeBatch(signature, rows))
        try a.write(to: dir.file("a.hseg"))
        var b = SegmentWriter(signature: signature)
        for chunk in stride(from: 0, to: rows.count, by: 333) {
            var batch = makeBatch(signature, Array(rows[chunk..<min(rows.count, chunk + 333)]))
            batch.columns[1] = batch.columns[1].withReversedDictionary()
            b.append(batch)
        }
        try b.write(to: dir.file("b.hseg"))
        var c = SegmentWriter(signature: signature)
        c.append(makeBatch(signature, rows))
        try c.write(to: dir.file("c.hseg"))
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: dir.file("a.hseg")))
        #expect(bytesA == (try Data(contentsOf: URL(fileURLWithPath: dir.file("b.hseg")))))
        #expect(bytesA == (try Data(contentsOf: URL(fileURLWithPath: dir.file("c.hseg")))))
        #expect(bytesA.prefix(8) == Data("HENGSEG1".utf8))
        #expect(bytesA.suffix(8) == Data("HENGSEG1".utf8))
    }

    @Test func rejectsUnsortedOrNullTime() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let signature = RowSignature([.long("__time")])
        var unsorted = SegmentWriter(signature: signature)
        unsorted.append(makeBatch(signature, [[.long(2)], [.long(1)]]))
        let e1 = #expect(throws: HengeError.self) { try unsorted.write(to: dir.file("u.hseg")) }
        #expect(e1?.code == "defensive")
        var nullTime = SegmentWriter(signature: signature)
        nullTime.append(makeBatch(signature, [[.long(2)], [.null]]))
        let e2 = #expect(throws: HengeError.self) { try nullTime.write(to: dir.file("n.hseg")) }
        #expect(e2?.code == "defensive")
        #expect(!FileManager.default.fileExists(atPath: dir.file("u.hseg")))
    }

    @Test func writeFailureNamesThePath() throws {
        let writer = SegmentWriter(signature: RowSignature([.long("__time")]))
        let path = "/nonexistent-henge-dir/x.hseg"
        let error = #expect(throws: HengeError.self) { try writer.write(to: path) }
        #expect(error?.code == "SegmentWriteFailed")
        #expect(error?.message.contains(path) == true)
    }

    @Test func compressesRepetitiveBlocks() throws {
        var column = ColumnAccumulator(type: .double)
        column.append(ColumnVector(.double([Double](repeating: 3.25, count: 10_000))), name: "d")
        let block = ColumnBlockEncoder.encode(column, name: "d", codec: .doubleRaw).block
        // zstd (libzstd ships with Debian), zlib only where it cannot be loaded.
        #expect(block[1] & BlockFlags.zstd != 0)
        #expect(block.count < 10_000 * 8 / 10)
    }

    @Test func zlibAndZstdBodiesBothInflate() throws {
        let body = Array(repeating: Array("henge segment block ".utf8), count: 500).flatMap { $0 }
        let packed = try #require(BlockCompression.compressIfWorthwhile(body))
        #expect(packed.flag == BlockFlags.zstd)
        let zlib = try #require(Zlib.compress(body))
        for (flag, bytes) in [(packed.flag, packed.bytes), (BlockFlags.zlib, zlib)] {
            let out = try bytes.withUnsafeBytes { try BlockCompression.decompress($0, flags: flag, expectedCount: body.count) }
            #expect(out == body)
        }
        // A body that does not inflate to the length the block claims is corruption.
        #expect(throws: SegmentCorruption.self) {
            try packed.bytes.withUnsafeBytes { try BlockCompression.decompress($0, flags: BlockFlags.zstd, expectedCount: body.count + 1) }
        }
    }
}

extension ColumnVector {
    /// The same strings with the dictionary listed backwards (ids remapped).
    func withReversedDictionary() -> ColumnVector {
        guard case .string(let s) = data else { return self }
        let n = Int32(s.dictionary.count)
        let ids = s.ids.enumerated().map { isNull($0.offset) ? $0.element : n - 1 - $0.element }
        return ColumnVector(.string(StringColumn(ids: ids, dictionary: StringDictionary(s.dictionary.reversed()))), nulls: nulls)
    }
}

extension Batch {
    /// What a segment round trip yields: dictionaries sorted and minimal, NULL ids 0.
    func withSortedDictionaries() -> Batch {
        var copy = self
        for (i, column) in columns.enumerated() {
            guard case .string(let s) = column.data else { continue }
            var used = Set<String>()
            for (row, id) in s.ids.enumerated() where !column.isNull(row) { used.insert(s.dictionary[Int(id)]) }
            let sorted = used.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Int32($0)) })
            let ids = s.ids.enumerated().map { column.isNull($0.offset) ? 0 : index[s.dictionary[Int($0.element)]]! }
            copy.columns[i] = ColumnVector(.string(StringColumn(ids: ids, dictionary: StringDictionary(sorted))), nulls: column.nulls)
        }
        return copy
    }
}

@Suite struct MultiValueSegmentTests {
    /// A STRING column that turns multi-valued in its second batch is written
    /// with the multi-value codec: values sorted within each row, duplicates
    /// kept (Druid's SORTED_ARRAY), NULL rows preserved across both batches.
    @Test func multiValueRowsRoundTripSorted() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let sig = RowSignature([ColumnSpec(name: "__time", type: .long), ColumnSpec(name: "tags", type: .string)])
        let first = Batch(signature: sig, columns: [
            ColumnVector(.long([1, 2])),
            ColumnVector.constant(.string("solo"), type: .string, count: 2).gather([0, 1]),
        ], rowCount: 2)
        var nulls = NullMask(count: 1)
        nulls.setNull(0)
        let second = Batch(signature: sig, columns: [
            ColumnVector(.long([3, 4, 5])),
            MultiStringColumn.build([nil, ["t3", "t1", "t3"], ["zz"]]),
        ], rowCount: 3)
        var writer = SegmentWriter(signature: sig)
        writer.append(first)
        writer.append(second)
        let path = dir.file("mv.hseg")
        try writer.write(to: path)
        let batch = try SegmentReader(path: path).readAll()
        let tags = batch.columns[1]
        guard case .multiString(let m) = tags.data else { Issue.record("expected multi-value data"); return }
        #expect(m.dictionary == ["solo", "t1", "t3", "zz"])
        #expect((0..<5).map { tags.isNull($0) ? nil : tags.stringValues(at: $0) }
            == [["solo"], ["solo"], nil, ["t1", "t3", "t3"], ["zz"]])
        #expect(tags.value(at: 3) == .string(#"["t1","t3","t3"]"#))
    }

    /// Rows of at most one value stay single-valued on disk.
    @Test func singleValuedListsStaySingleValued() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let sig = RowSignature([ColumnSpec(name: "__time", type: .long), ColumnSpec(name: "tags", type: .string)])
        var writer = SegmentWriter(signature: sig)
        writer.append(Batch(signature: sig, columns: [ColumnVector(.long([1, 2])), MultiStringColumn.build([["a"], nil])], rowCount: 2))
        let path = dir.file("sv.hseg")
        try writer.write(to: path)
        let batch = try SegmentReader(path: path).readAll()
        guard case .string = batch.columns[1].data else { Issue.record("expected single-valued data"); return }
        #expect(batch.row(0) == [.long(1), .string("a")])
        #expect(batch.row(1) == [.long(2), .null])
    }
}
