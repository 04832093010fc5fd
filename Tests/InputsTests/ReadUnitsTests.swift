import DataModel
import Foundation
import Testing
@testable import Inputs

/// How a stage's input is cut into units for its workers.
struct ReadUnitsTests {
    @Test func largeLinePerRowFilesSplitIntoByteRanges() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let line = #"{"a":1}"# + "\n"
        try dir.write("big.json", String(repeating: line, count: 1000))
        try dir.write("small.json", line)
        let big = try dir.file("big.json"), small = try dir.file("small.json")
        let units = InputFile.readUnits([big, small], format: .json(), workers: 3, minimumBytes: 100)
        #expect(units.count == 4)
        #expect(units.prefix(3).map(\.byteRange) == [0..<2666, 2666..<5333, 5333..<8000])
        #expect(units.filter(\.countsAsFile).count == 2)
        // Every row is read exactly once across the ranges.
        let sig = RowSignature([ColumnSpec(name: "a", type: .long)])
        let reader = ExternalReader(format: .json(), signature: sig)
        let rows = try units.prefix(3).reduce(0) { $0 + (try readAll(reader, $1).rows.count) }
        #expect(rows == 1000)
        // CSV with a quote anywhere (a quoted field may span lines), one worker, and compressed files are never cut.
        let csv = InputFormatSpec.csv(CSVFormatSpec(columns: ["a"], findColumnsFromHeader: false))
        #expect(InputFile.readUnits([big], format: csv, workers: 3, minimumBytes: 100).count == 1)
        #expect(InputFile.readUnits([big], format: .json(), workers: 1, minimumBytes: 100).count == 1)
        let gz = try dir.file(URL(fileURLWithPath: try dir.gzip("big.json")).lastPathComponent)
        #expect(InputFile.readUnits([gz], format: .json(), workers: 3, minimumBytes: 10).count == 1)
    }

    /// A CSV file with a skipped line and a header, 1,000 rows.
    static func csvText(rows: Int = 1000, lastRowQuoted: Bool = false) -> String {
        var text = "exported by some tool\nid,name,n\n"
        for i in 1...rows { text += "\(i),name\(i),\(2 * i)\n" }
        if lastRowQuoted { text += "\(rows + 1),\"name\(rows + 1)\",\(2 * (rows + 1))\n" }
        return text
    }

    static let csvFormat = InputFormatSpec.csv(CSVFormatSpec(columns: nil, findColumnsFromHeader: true, skipHeaderRows: 1))

    /// Columns in another order than the file's, to check every range maps them through the header.
    static let csvSignature = RowSignature([
        ColumnSpec(name: "n", type: .long), ColumnSpec(name: "id", type: .long), ColumnSpec(name: "name", type: .string),
    ])

    static func csvRow(_ i: Int) -> [ScalarValue] { [.long(Int64(2 * i)), .long(Int64(i)), .string("name\(i)")] }

    /// Two workers over a quote-free CSV file: two byte ranges cut at the
    /// middle; the first reads the skipped line and the header itself, the
    /// second reads them from the file's start; together they give every row
    /// once, in order.
    @Test func quoteFreeCSVSplitsBetweenTwoWorkers() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let text = Self.csvText()
        try dir.write("big.csv", text)
        let big = try dir.file("big.csv")
        let size = Int64(text.utf8.count)
        #expect(big.hasNoQuoteCharacter)
        let units = InputFile.readUnits([big], format: Self.csvFormat, workers: 2, minimumBytes: 100)
        #expect(units.map(\.byteRange) == [0..<(size / 2), (size / 2)..<size])
        #expect(units.filter(\.countsAsFile).count == 1)
        // The first range holds the rows whose line starts before the middle.
        let bytes = Array(text.utf8)
        let linesBeforeMiddle = bytes[0..<Int(size / 2 - 1)].filter { $0 == 0x0A }.count + 1
        let firstRows = linesBeforeMiddle - 2
        let reader = ExternalReader(format: Self.csvFormat, signature: Self.csvSignature)
        let first = try readAll(reader, units[0])
        let second = try readAll(reader, units[1])
        #expect(first.rows == (1...firstRows).map(Self.csvRow))
        #expect(second.rows == ((firstRows + 1)...1000).map(Self.csvRow))
        #expect(first.counters.rows + second.counters.rows == 1000)
        #expect(first.counters.bytes + second.counters.bytes == size)
    }

    /// Ranges that start inside the skipped lines or the header skip what
    /// they hold of it, so no header line is read as a row.
    @Test func rangesStartingInsideTheHeaderSkipIt() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("small.csv", "a long first line to skip\nanother line to skip\nid,name,n\n1,name1,2\n2,name2,4\n3,name3,6\n")
        let file = try dir.file("small.csv")
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: nil, findColumnsFromHeader: true, skipHeaderRows: 2))
        let reader = ExternalReader(format: spec, signature: Self.csvSignature)
        let slices = file.splitByteRanges(parts: 9, minimumBytes: 1)
        #expect(slices.count == 9)
        let rows = try slices.flatMap { try readAll(reader, $0).rows }
        #expect(rows == (1...3).map(Self.csvRow))
    }

    /// One quote, even in the last row, keeps the file whole (a quoted field may span lines).
    @Test func csvWithAQuoteIsNotSplit() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("quoted.csv", Self.csvText(lastRowQuoted: true))
        let quoted = try dir.file("quoted.csv")
        #expect(!quoted.hasNoQuoteCharacter)
        #expect(InputFile.readUnits([quoted], format: Self.csvFormat, workers: 2, minimumBytes: 100) == [quoted])
        // The same file is read whole with every row.
        let rows = try readAll(ExternalReader(format: Self.csvFormat, signature: Self.csvSignature), quoted).rows
        #expect(rows == (1...1001).map(Self.csvRow))
        // TSV has no quoting, so quotes do not matter there.
        let tsv = InputFormatSpec.tsv(CSVFormatSpec(columns: ["a"], findColumnsFromHeader: false))
        #expect(InputFile.readUnits([quoted], format: tsv, workers: 2, minimumBytes: 100).count == 2)
    }

    /// A parse error in a later byte range names the line and record in the
    /// whole file (blank lines are lines but not records), not in the range.
    @Test func parseErrorsInALaterRangeCountFromTheFileStart() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var lines = (1...1000).map { #"{"a":\#($0)}"# }
        lines[9] = ""
        lines[19] = "   "
        lines[899] = #"{"a":oops}"#
        try dir.write("big.json", lines.joined(separator: "\n") + "\n")
        let big = try dir.file("big.json")
        let units = InputFile.readUnits([big], format: .json(), workers: 3, minimumBytes: 100)
        #expect(units.count == 3)
        let sig = RowSignature([ColumnSpec(name: "a", type: .long)])
        let error = try hengeError { _ = try readAll(ExternalReader(format: .json(), signature: sig), units[2]) }
        #expect(error.message == #"Unable to parse row [{"a":oops}] (Path: file:\#(big.path!), Record: 898, Line: 900)"#
            + "; invalid JSON at character 6, in the value of field [a]")
        // Skipped rows are reported the same way, and the rest of the range is read.
        var reader = ExternalReader(format: .json(), signature: sig)
        let seen = LockedValue<[String]>([])
        reader.onUnparseableRow = { error in seen.withLock { $0.append(error.message) } }
        let rows = try readAll(reader, units[2]).rows
        #expect(seen.withLock { $0 } == [error.message])
        #expect(rows.last == [.long(1000)])
    }

    /// A line too long in a later range is numbered in the whole file too.
    @Test func rowTooLargeInALaterRangeCountsFromTheFileStart() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var lines = (1...1000).map { #"{"a":\#($0)}"# }
        lines[899] = #"{"a":""# + String(repeating: "x", count: 200) + #""}"#
        try dir.write("big.json", lines.joined(separator: "\n") + "\n")
        let big = try dir.file("big.json")
        let units = InputFile.readUnits([big], format: .json(), workers: 3, minimumBytes: 100)
        var reader = ExternalReader(format: .json(), signature: RowSignature([ColumnSpec(name: "a", type: .string)]))
        reader.readSize = 16
        reader.maxLineBytes = 64
        let error = try hengeError { _ = try readAll(reader, units[2]) }
        #expect(error.code == "RowTooLarge")
        #expect(error.message == "Encountered row that cannot fit in a single frame: line 900 of [file:\(big.path!)] is longer than 64 bytes")
    }
}
