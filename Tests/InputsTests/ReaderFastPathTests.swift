import DataModel
import Foundation
import Testing
@testable import Inputs

/// Byte-range slices, the ISA-L inflater, and the parsers' fast paths
/// (string interning across batches, integers and decimals without strtod,
/// keys matched as raw bytes) agreeing with the slow paths.
struct ReaderFastPathTests {
    let sig = signature(("n", .long), ("t", .string))

    // MARK: byte ranges

    /// Lines of varying length, blank lines, CRLF, and no final newline.
    func jsonText(_ rows: Int) -> String {
        (0..<rows).map { i -> String in
            let line = #"{"n":\#(i),"t":"\#(String(repeating: "x", count: i % 37))"}"#
            return i % 11 == 0 ? line + "\r\n" : i % 13 == 0 ? line + "\n\n" : line + "\n"
        }.joined().dropLast().description
    }

    func readSlices(_ reader: ExternalReader, _ slices: [InputFile]) throws -> ReadResult {
        var total = ReadResult()
        for slice in slices {
            let part = try readAll(reader, slice)
            total.batches += part.batches
            total.counters.rows += part.counters.rows
            total.counters.bytes += part.counters.bytes
            total.counters.files += part.counters.files
        }
        return total
    }

    @Test func byteRangesReadEveryLineExactlyOnce() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("rows.json", jsonText(500))
        let file = try dir.file("rows.json")
        let reader = ExternalReader(format: .json(), signature: sig)
        let whole = try readAll(reader, file)
        #expect(whole.rows.count == 500)
        for parts in [2, 3, 7, 64] {
            let slices = file.splitByteRanges(parts: parts, minimumBytes: 1)
            #expect(slices.count == parts)
            #expect(slices.map(\.size).reduce(0, +) == file.size)
            #expect(slices.allSatisfy { $0.uri == file.uri && $0.path == file.path && !$0.isSplittable })
            let read = try readSlices(reader, slices)
            #expect(read.rows == whole.rows, "\(parts) parts")
            #expect(read.counters.bytes == file.size)
            #expect(read.counters.rows == 500)
        }
    }

    /// Every cut point of a small file, including cuts right before and
    /// right after a newline, on a CR, and inside blank lines.
    @Test func everyCutPointSplitsCleanly() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("rows.json", jsonText(12))
        let file = try dir.file("rows.json")
        var reader = ExternalReader(format: .json(), signature: sig)
        reader.readSize = 7  // block boundaries everywhere too
        let whole = try readAll(reader, file)
        for cut in 0...file.size {
            let slices = [InputFile(slicing: file, 0..<cut), InputFile(slicing: file, cut..<file.size)]
            #expect(try readSlices(reader, slices).rows == whole.rows, "cut at \(cut)")
        }
    }

    @Test func csvRangesTakeTheHeaderFromTheStartOfTheFile() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let body = (0..<300).map { "\($0),\"v \($0 % 7)\"\n" }.joined()
        try dir.write("rows.csv", "a comment line\nn,t\n" + body)
        let file = try dir.file("rows.csv")
        let spec = CSVFormatSpec(columns: nil, findColumnsFromHeader: true, skipHeaderRows: 1)
        let reader = ExternalReader(format: .csv(spec), signature: signature(("t", .string), ("n", .long)))
        let whole = try readAll(reader, file)
        #expect(whole.rows.count == 300)
        #expect(whole.rows[5] == [s("v 5"), l(5)])
        for parts in [2, 5, 40] {
            #expect(try readSlices(reader, file.splitByteRanges(parts: parts, minimumBytes: 1)).rows == whole.rows)
        }
        // Explicit columns and skipped rows without a header: later ranges skip nothing.
        try dir.write("plain.csv", "skip me\n" + body)
        let plain = try dir.file("plain.csv")
        let fixed = ExternalReader(format: .csv(CSVFormatSpec(columns: ["n", "t"], findColumnsFromHeader: false, skipHeaderRows: 1)),
                                   signature: signature(("n", .long)))
        let all = try readAll(fixed, plain)
        #expect(all.rows.count == 300)
        #expect(try readSlices(fixed, plain.splitByteRanges(parts: 9, minimumBytes: 1)).rows == all.rows)
    }

    @Test func onlyWholeUncompressedLocalFilesSplit() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("rows.json", jsonText(100))
        try dir.gzip("rows.json")
        let gz = try dir.file("rows.json.gz")
        #expect(!gz.isSplittable)
        #expect(gz.splitByteRanges(parts: 4, minimumBytes: 1) == [gz])
        let inline = InputFile(inlineData: jsonText(100))
        #expect(inline.splitByteRanges(parts: 4, minimumBytes: 1) == [inline])
        let plain = try dir.file("rows.json")
        // Small files stay whole under the default minimum of 1 MiB per range.
        #expect(plain.splitByteRanges(parts: 4) == [plain])
        #expect(plain.splitByteRanges(parts: 1, minimumBytes: 1) == [plain])
        // A range of a compressed file is refused rather than read as text.
        let error = try hengeError { _ = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(slicing: gz, 0..<10)) }
        #expect(error.message == "Cannot read [\(gz.uri)]: a byte range of a compressed file cannot be read")
    }

    // MARK: gzip

    @Test func bestInflaterIsISALWhereInstalled() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("rows.json", jsonText(50))
        let bytes = try dir.bytes(dir.gzip("rows.json").components(separatedBy: "/").last!)
        if FileManager.default.fileExists(atPath: "/usr/include/isa-l/igzip_lib.h") {
            // Built with the header (scripts/bootstrap installs it): the library must load.
            #expect(GzipInflater.isalAvailable, "\(GzipInflater.description)")
        }
        for (inflater, expected) in [(GzipInflater.best, GzipInflater.isalAvailable ? "isal" : "zlib"), (.zlib, "zlib")] {
            let stream = try GzipStream(MemoryByteSource(bytes), uri: "test", inflater: inflater)
            let out = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
            defer { out.deallocate() }
            var text: [UInt8] = []
            while case let n = try stream.read(into: out), n > 0 { text += out[..<n] }
            #expect(stream.engineName == expected)
            #expect(String(decoding: text, as: UTF8.self) == jsonText(50))
        }
    }

    @Test(arguments: [GzipInflater.best, .zlib])
    func truncatedAnywhereIsTruncated(_ inflater: GzipInflater) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("rows.json", jsonText(400))
        try dir.gzip("rows.json")
        let bytes = try dir.bytes("rows.json.gz")
        var reader = ExternalReader(format: .json(), signature: sig)
        reader.gzipInflater = inflater
        for cut in [1, 2, 5, 10, 11, bytes.count / 3, bytes.count / 2, bytes.count - 8, bytes.count - 4, bytes.count - 1] {
            try dir.write("cut.json.gz", bytes: Array(bytes.prefix(cut)))
            let error = try hengeError { _ = try readAll(reader, dir.file("cut.json.gz")) }
            #expect(error.message == "Cannot decompress gzip file [file:\(dir.path)/cut.json.gz]: unexpected end of compressed data (truncated file)",
                    "cut at \(cut)")
        }
    }

    /// Whatever follows the last member is judged the same way by both inflaters.
    @Test func bytesAfterTheLastMemberFailAlike() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("rows.json", jsonText(40))
        try dir.gzip("rows.json")
        let member = try dir.bytes("rows.json.gz")
        for tail in [Array("junk\n".utf8), [0x0A], [0x1F], [0x1F, 0x8B], [0x1F, 0x00, 0x00], [UInt8](repeating: 0, count: 64)] {
            try dir.write("tail.json.gz", bytes: member + tail)
            var messages: [String] = []
            for inflater in [GzipInflater.best, .zlib] {
                var reader = ExternalReader(format: .json(), signature: sig)
                reader.gzipInflater = inflater
                for readSize in [1, 1 << 20] {
                    reader.readSize = readSize
                    let error = try hengeError { _ = try readAll(reader, dir.file("tail.json.gz")) }
                    messages.append(error.message)
                }
            }
            #expect(Set(messages).count == 1, "tail \(tail): \(messages)")
            #expect(messages[0].hasPrefix("Cannot decompress gzip file [file:\(dir.path)/tail.json.gz]: "))
        }
    }

    // MARK: string interning across batches

    @Test func dictionariesArePerBatchInFirstAppearanceOrder() throws {
        let values = ["b", "a", "b", "c", "a", "a", "d", "b", "e", "c"]
        let data = values.map { #"{"t":"\#($0)"}"# }.joined(separator: "\n")
        let result = try readAll(ExternalReader(format: .json(), signature: sig, batchSize: 4), InputFile(inlineData: data))
        let dictionaries = result.batches.map { batch -> [String] in
            guard case .string(let column) = batch.columns[1].data else { return [] }
            return Array(column.dictionary)
        }
        #expect(dictionaries == [["b", "a", "c"], ["a", "d", "b"], ["e", "c"]])
        #expect(result.rows.map { $0[1] } == values.map(s))
    }

    @Test func internerForgetsOldValuesBetweenBatchesButNotWithinOne() {
        var interner = StringInterner()
        defer { interner.release() }
        func id(_ text: String) -> Int32 { Array(text.utf8).withUnsafeBufferPointer { interner.intern($0) } }
        // More distinct values than the table keeps, in one batch: all stay distinct.
        let count = StringInterner.maxEntries + 10
        for i in 0..<count { #expect(id("v\(i)") == Int32(i)) }
        #expect(id("v0") == 0)
        #expect(id("v\(count - 1)") == Int32(count - 1))
        let first = interner.finishBatch()
        #expect(first.count == count && first[count - 5] == "v\(count - 5)")
        // The next batch starts from 0 again, old and new values alike.
        #expect(id("v7") == 0)
        #expect(id("new") == 1)
        #expect(id("v7") == 0)
        #expect(id("") == 2)
        #expect(id("") == 2)
        #expect(interner.finishBatch() == ["v7", "new", ""])
        #expect(id("new") == 0)
        #expect(interner.finishBatch() == ["new"])
    }

    @Test func hashAndEqualityCoverEveryLength() {
        var seen = Set<UInt64>()
        let bytes = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        bytes.withUnsafeBufferPointer { b in
            for n in 0...64 {
                let p = b.baseAddress!
                #expect(ByteHash.equal(p, p, n))
                // Equal bytes elsewhere in memory are equal (every load path, up to ByteHash's word loop past 32).
                Array(b[0..<n]).withUnsafeBufferPointer { c in
                    #expect(ByteHash.equal(p, c.baseAddress!, n), "n \(n)")
                }
                for k in 0..<n {
                    // Changing any one byte changes equality (and, here, the hash).
                    var copy = Array(b[0..<n])
                    copy[k] ^= 0x40
                    copy.withUnsafeBufferPointer { c in
                        #expect(!ByteHash.equal(p, c.baseAddress!, n), "n \(n) k \(k)")
                        #expect(ByteHash.hash(p, n) != ByteHash.hash(c.baseAddress!, n), "n \(n) k \(k)")
                    }
                }
                seen.insert(ByteHash.hash(p, n))
            }
        }
        #expect(seen.count == 65)
    }

    // MARK: numbers

    @Test func exactDecimalsAgreeWithStrtod() {
        var generator = SystemRandomNumberGenerator()
        var texts = ["0.0", "-0.0", "1.5", "1e22", "1e23", "9007199254740993", "900719925474099.3", "0.1", "-123.456e-7",
                     "1E5", "1e+5", "2.5e-22", "2.5e-23", "+3.75", "5.", ".5", "1e", "1.e5", "0x10", "12a", "-", "", "00012.50"]
        for _ in 0..<20_000 {
            let digits = String(Int.random(in: 0...99_999_999, using: &generator))
            let fraction = String(Int.random(in: 0...9_999, using: &generator))
            let exponent = Int.random(in: -30...30, using: &generator)
            let sign = Bool.random(using: &generator) ? "-" : ""
            texts.append(sign + digits + "." + fraction)
            texts.append(sign + digits + "e\(exponent)")
            texts.append(sign + digits + "." + fraction + "E\(exponent)")
        }
        var fast = 0
        for text in texts {
            let v = Array(text.utf8).withUnsafeBufferPointer { TextNumber.exactDecimal($0) }
            guard let v else { continue }
            fast += 1
            #expect(v.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
        #expect(fast > 30_000)
    }

    @Test func integersAtTheEdgesLikeBefore() throws {
        let sig = signature(("l", .long), ("d", .double), ("s", .string))
        let texts = ["0", "-0", "7", "-7", "123456789012345678", "-123456789012345678", "1234567890123456789",
                     "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
                     "99999999999999999999", "1.9", "-1.9", "1e3", "2.5E-1"]
        let data = texts.map { #"{"l":\#($0),"d":\#($0),"s":\#($0)}"# }.joined(separator: "\n")
        let rows = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: data)).rows
        for (text, row) in zip(texts, rows) {
            let double = Double(text)!
            let isInteger = !text.contains(where: { ".eE".contains($0) })
            let long: ScalarValue = isInteger && Int64(text) != nil ? l(Int64(text)!)
                : double.isFinite && abs(double) <= 9.2e18 ? l(Int64(double)) : null
            #expect(row[0] == long, "\(text)")
            #expect(row[1] == (isInteger && Int64(text) != nil ? d(Double(Int64(text)!)) : d(double)), "\(text)")
            #expect(row[2] == (text == "-0" ? s("0") : isInteger ? s(text) : s(ScalarValue.double(double).renderedString)), "\(text)")
        }
        // Text into numbers (CSV): the same rules as ScalarValue.parseLong / Double(String).
        let csvTexts = [" 42 ", "+7", "-0", "1.9", "-1.9", "1e3", "abc", "12345678901234567890", "0012", " 3.5e1", "7 x"]
        let csv = csvTexts.map { "\"\($0)\",\"\($0)\"" }.joined(separator: "\n")
        let csvRows = try readAll(ExternalReader(format: .csv(CSVFormatSpec(columns: ["l", "d"], findColumnsFromHeader: false)),
                                                 signature: signature(("l", .long), ("d", .double))),
                                  InputFile(inlineData: csv)).rows
        for (text, row) in zip(csvTexts, csvRows) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            #expect(row[0] == (ScalarValue.parseLong(trimmed).map(l) ?? null), "\(text)")
            let double = Int64(trimmed).flatMap { $0 == 0 ? nil : Double($0) } ?? Double(trimmed)
            #expect(row[1] == (double.map(d) ?? null), "\(text)")
        }
    }

    // MARK: CSV lines without quotes

    /// Lines without quotes take a one-pass path; each line here also comes
    /// with every field quoted (the general path), and both must read alike.
    @Test func unquotedLinesReadLikeQuotedOnes() throws {
        let records: [[String]] = [
            ["1", "a", "x", "2.5"], ["", "", "", ""], ["3"], ["4", "b"], ["5", "c", "y", "1e3", "extra", "more"],
            [" 6 ", "d\u{1}e", "z", "-0"], ["7", "f\u{1}\u{1}g", "", "abc"], ["8", "tail"],
        ]
        func quoted(_ fields: [String]) -> String { fields.map { "\"\($0)\"" }.joined(separator: ",") }
        var lines: [String] = []
        for record in records {
            lines.append(record.joined(separator: ","))
            lines.append(quoted(record))
        }
        lines.insert("", at: 4)
        lines.insert("\r", at: 7)
        let text = lines.joined(separator: "\n")
        // Columns in another order than the fields, one the file lacks, and one read twice.
        for (columns, sig) in [
            (["n", "t", "u", "d"], signature(("d", .double), ("t", .string), ("missing", .string), ("n", .long))),
            (["n", "t", "u", "d"], signature(("t", .string), ("u", .string))),
            (["n", "t", "t", "d"], signature(("t", .string), ("n", .long))),
        ] {
            let spec = CSVFormatSpec(columns: columns, findColumnsFromHeader: false)
            let rows = try readAll(ExternalReader(format: .csv(spec), signature: sig), InputFile(inlineData: text)).rows
            #expect(rows.count == records.count * 2)
            for k in stride(from: 0, to: rows.count, by: 2) {
                #expect(rows[k] == rows[k + 1], "record \(records[k / 2])")
            }
        }
    }

    // MARK: keys

    @Test func keysMatchAsBytesOnlyWhenThatIsExact() throws {
        let sig = signature(("time", .string), (#"a"b"#, .string), (#"c\d"#, .string), ("", .long), ("é", .string))
        let data = [
            #"{"time":"1","a\"b":"2","c\\d":"3","":4,"é":"5"}"#,
            #"{"tim":"x","times":"y","timex":"z","":5}"#,
            #"{"\u0074ime":"esc","\u00e9":"e-acute","time":"last wins"}"#,
            #"{"é":"6","":7,"c\\d":"8","a\"b":"9","time":"10"}"#,
            #"{"time" : "spaced" , "a\"b":null}"#,
            #"{"time":"#,
        ].joined(separator: "\n")
        let reader = ExternalReader(format: .json(), signature: sig)
        let error = try hengeError { _ = try readAll(reader, InputFile(inlineData: data)) }
        #expect(error.message.contains("Record: 6, Line: 6"))
        let rows = try readAll(reader, InputFile(inlineData: data.components(separatedBy: "\n").dropLast().joined(separator: "\n"))).rows
        #expect(rows == [
            [s("1"), s("2"), s("3"), l(4), s("5")],
            [null, null, null, l(5), null],
            [s("last wins"), null, null, null, s("e-acute")],
            [s("10"), s("9"), s("8"), l(7), s("6")],
            [s("spaced"), null, null, null, null],
        ])
    }
}
