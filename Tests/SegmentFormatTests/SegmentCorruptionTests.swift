import DataModel
import Foundation
import Testing
@testable import SegmentFormat

struct SegmentCorruptionTests {
    static let signature = RowSignature([.long("__time"), .string("s"), .long("n"), .double("d")])

    /// Writes a small segment and returns its path and bytes.
    static func writeSample(in dir: TemporaryDirectory, rows: Int = 50) throws -> (String, [UInt8]) {
        let data: [[ScalarValue]] = (0..<rows).map { (i: Int) -> [ScalarValue] in
            let s: ScalarValue = i % 5 == 0 ? .null : .string("s\(i % 7)")
            return [.long(Int64(1000 + i * 10)), s, .long(Int64(i * i)), .double(Double(i) / 3)]
        }
        var writer = SegmentWriter(signature: signature)
        writer.append(makeBatch(signature, data))
        let path = dir.file("sample.hseg")
        try writer.write(to: path)
        return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func overwrite(_ path: String, with bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func expectCorrupted(_ error: HengeError?, path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error?.code == "SegmentCorrupted", sourceLocation: sourceLocation)
        #expect(error?.message.contains("[\(path)]") == true, "message: \(error?.message ?? "-")", sourceLocation: sourceLocation)
    }

    @Test func flippedByteInBlockFailsOnRead() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (path, original) = try Self.writeSample(in: dir)
        let footer = try SegmentReader(path: path)
        let stringBlock = footer.blockRange(ofColumn: 1)
        var bytes = original
        bytes[stringBlock.lowerBound + stringBlock.count / 2] ^= 0x40
        try Self.overwrite(path, with: bytes)

        let reader = try SegmentReader(path: path)  // footer still valid
        let error = #expect(throws: HengeError.self) { try reader.readAll() }
        Self.expectCorrupted(error, path: path)
        #expect(error?.message.contains("[s]") == true)
        // Other columns stay readable.
        #expect(try reader.read(columns: ["__time", "n"]).rowCount == 50)
    }

    @Test func truncatedFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (path, original) = try Self.writeSample(in: dir)
        for keep in [0, 10, 16, 40, original.count / 2, original.count - 1] {
            try Self.overwrite(path, with: Array(original.prefix(keep)))
            let error = #expect(throws: HengeError.self) { try SegmentReader(path: path) }
            Self.expectCorrupted(error, path: path)
        }
    }

    @Test func wrongMagic() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (path, original) = try Self.writeSample(in: dir)
        var bytes = original
        bytes.replaceSubrange(0..<8, with: Array("PAR1PAR1".utf8))
        try Self.overwrite(path, with: bytes)
        let error = #expect(throws: HengeError.self) { try SegmentReader(path: path) }
        Self.expectCorrupted(error, path: path)
        #expect(error?.message.contains("magic") == true)

        bytes = original
        bytes[bytes.count - 1] = UInt8(ascii: "2")
        try Self.overwrite(path, with: bytes)
        Self.expectCorrupted(#expect(throws: HengeError.self) { try SegmentReader(path: path) }, path: path)
    }

    @Test func corruptedFooter() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (path, original) = try Self.writeSample(in: dir)
        var bytes = original
        bytes[bytes.count - SegmentLayout.trailerSize - 5] ^= 0x01
        try Self.overwrite(path, with: bytes)
        let error = #expect(throws: HengeError.self) { try SegmentReader(path: path) }
        Self.expectCorrupted(error, path: path)
        #expect(error?.message.contains("footer checksum") == true)
    }

    /// Every single-bit flip anywhere in the file is caught, either when
    /// opening or when decoding (columns, or the bitmap indexes), and never
    /// crashes or yields other data.
    @Test func everyFlippedByteIsDetected() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (path, original) = try Self.writeSample(in: dir, rows: 20)
        for position in original.indices {
            var bytes = original
            bytes[position] ^= 0x10
            try Self.overwrite(path, with: bytes)
            do {
                let reader = try SegmentReader(path: path)
                _ = try reader.readAll()
                try reader.verifyBitmapIndexes()
                Issue.record("flip at byte \(position) of \(original.count) went unnoticed")
            } catch {
                #expect(error.code == "SegmentCorrupted", "byte \(position): \(error)")
            }
        }
    }

    @Test func missingOrEmptyFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let missing = dir.file("missing.hseg")
        let e1 = #expect(throws: HengeError.self) { try SegmentReader(path: missing) }
        #expect(e1?.code == "SegmentUnreadable")
        #expect(e1?.message.contains(missing) == true)
        let empty = dir.file("empty.hseg")
        try Self.overwrite(empty, with: [])
        Self.expectCorrupted(#expect(throws: HengeError.self) { try SegmentReader(path: empty) }, path: empty)
    }
}

extension SegmentReader {
    /// Byte range of a column's block (without its CRC), for corrupting tests.
    func blockRange(ofColumn index: Int) -> Range<Int> {
        let column = footer.columns[index]
        return column.offset..<(column.offset + column.length)
    }
}
