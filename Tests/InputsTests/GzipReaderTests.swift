import DataModel
import Foundation
import Testing
@testable import Inputs

/// Every test runs with ISA-L (where installed) and with zlib.
struct GzipReaderTests {
    let sig = signature(("n", .long), ("t", .string))

    func gzReader(_ inflater: GzipInflater, _ format: InputFormatSpec = .json()) -> ExternalReader {
        var reader = ExternalReader(format: format, signature: sig)
        reader.gzipInflater = inflater
        return reader
    }

    func jsonLines(_ range: Range<Int>) -> String {
        range.map { #"{"n":\#($0),"t":"row \#($0)"}"# }.joined(separator: "\n") + "\n"
    }

    func expectedRows(_ range: Range<Int>) -> [[ScalarValue]] {
        range.map { [l(Int64($0)), s("row \($0)")] }
    }

    @Test(arguments: [GzipInflater.best, .zlib]) func readsGzipFileAndCountsCompressedBytes(_ inflater: GzipInflater) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.json", jsonLines(0..<5000))
        try dir.gzip("data.json")
        let file = try dir.file("data.json.gz")
        #expect(file.isGzip)
        let plainSize = try dir.file("data.json").size
        #expect(file.size < plainSize)
        let result = try readAll(gzReader(inflater), file)
        #expect(result.rows == expectedRows(0..<5000))
        #expect(result.batchSizes == [4096, 904])
        #expect(result.counters == InputCounters(rows: 5000, bytes: file.size, files: 1))
    }

    @Test(arguments: [GzipInflater.best, .zlib]) func gzipAcrossTinyReadBlocks(_ inflater: GzipInflater) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.json", jsonLines(0..<300))
        try dir.gzip("data.json")
        for readSize in [1, 3, 17, 256] {
            var reader = gzReader(inflater)
            reader.readSize = readSize
            let result = try readAll(reader, dir.file("data.json.gz"))
            #expect(result.rows == expectedRows(0..<300), "readSize \(readSize)")
        }
    }

    @Test(arguments: [GzipInflater.best, .zlib]) func multiMemberGzip(_ inflater: GzipInflater) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.json", jsonLines(0..<3))
        try dir.write("b.json", jsonLines(3..<7))
        try dir.write("c.json", "")
        try dir.gzip("a.json")
        try dir.gzip("b.json")
        try dir.gzip("c.json")
        let joined = try dir.bytes("a.json.gz") + dir.bytes("c.json.gz") + dir.bytes("b.json.gz")
        try dir.write("all.json.gz", bytes: joined)
        for readSize in [1, 5, 1 << 20] {
            var reader = gzReader(inflater)
            reader.readSize = readSize
            let result = try readAll(reader, dir.file("all.json.gz"))
            #expect(result.rows == expectedRows(0..<7), "readSize \(readSize)")
            #expect(result.counters.bytes == Int64(joined.count))
        }
    }

    @Test(arguments: [GzipInflater.best, .zlib]) func gzippedCSV(_ inflater: GzipInflater) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.csv", "t,n\n\"a,b\",1\nc,2\n")
        try dir.gzip("data.csv")
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: nil, findColumnsFromHeader: true))
        let result = try readAll(gzReader(inflater, spec), dir.file("data.csv.gz"))
        #expect(result.rows == [[l(1), s("a,b")], [l(2), s("c")]])
    }

    @Test(arguments: [GzipInflater.best, .zlib]) func corruptGzipNamesFileAndGzip(_ inflater: GzipInflater) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.json", jsonLines(0..<100))
        try dir.gzip("data.json")
        var bytes = try dir.bytes("data.json.gz")
        // After the 10-byte header: a final block of the reserved type 3.
        for i in 10..<20 { bytes[i] = 0xFF }
        try dir.write("corrupt.json.gz", bytes: bytes)
        let error = try hengeError {
            _ = try readAll(gzReader(inflater), dir.file("corrupt.json.gz"))
        }
        #expect(error.code == "CannotParseExternalData")
        #expect(error.message.hasPrefix("Cannot decompress gzip file [file:\(dir.path)/corrupt.json.gz]: corrupt compressed data"))
    }

    @Test(arguments: [GzipInflater.best, .zlib]) func badChecksumIsCorrupt(_ inflater: GzipInflater) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.json", jsonLines(0..<100))
        try dir.gzip("data.json")
        var bytes = try dir.bytes("data.json.gz")
        bytes[bytes.count - 8] ^= 0xFF  // CRC32 of the trailer
        try dir.write("crc.json.gz", bytes: bytes)
        let error = try hengeError {
            _ = try readAll(gzReader(inflater), dir.file("crc.json.gz"))
        }
        #expect(error.message.contains("gzip"))
        #expect(error.message.contains("crc.json.gz"))
    }

    @Test(arguments: [GzipInflater.best, .zlib]) func truncatedGzipFails(_ inflater: GzipInflater) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.json", jsonLines(0..<100))
        try dir.gzip("data.json")
        let bytes = try dir.bytes("data.json.gz")
        try dir.write("cut.json.gz", bytes: Array(bytes.dropLast(12)))
        let error = try hengeError {
            _ = try readAll(gzReader(inflater), dir.file("cut.json.gz"))
        }
        #expect(error.code == "CannotParseExternalData")
        #expect(error.message == "Cannot decompress gzip file [file:\(dir.path)/cut.json.gz]: unexpected end of compressed data (truncated file)")
    }

    @Test(arguments: [GzipInflater.best, .zlib]) func plainTextNamedGzAndEmptyGzFail(_ inflater: GzipInflater) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("plain.json.gz", jsonLines(0..<2))
        try dir.write("empty.json.gz", "")
        let reader = gzReader(inflater)
        let notGzip = try hengeError { _ = try readAll(reader, dir.file("plain.json.gz")) }
        #expect(notGzip.message.hasPrefix("Cannot decompress gzip file [file:\(dir.path)/plain.json.gz]: corrupt compressed data"))
        let empty = try hengeError { _ = try readAll(reader, dir.file("empty.json.gz")) }
        #expect(empty.message == "Cannot decompress gzip file [file:\(dir.path)/empty.json.gz]: the file is empty, not gzip data")
    }
}
