import DataModel
import Foundation
import Testing
@testable import Inputs

struct CSVReaderTests {
    let sig = signature(("name", .string), ("count", .long), ("price", .double), ("note", .string), ("absent", .string))

    static let headerFile = [
        "skip me",
        "also, \"skipped",
        "name,count,price,note",
        #""Smith, John",10,1.5,"He said ""hi""""#,
        "plain,,2,",
        "\"multi",
        "line\",3,,\"x\"\r",
        "\"\",  7 ,abc,last",
        "",
        "short",
        "extra,1,2,3,4,5",
        "\"\"\"\",-2.9,1e3,\"\"",
        "tail,\"4\"",
    ].joined(separator: "\n")

    static let headerRows: [[ScalarValue]] = [
        [s("Smith, John"), l(10), d(1.5), s("He said \"hi\""), null],
        [s("plain"), null, d(2), null, null],
        [s("multi\nline"), l(3), null, s("x"), null],
        [null, l(7), null, s("last"), null],
        [s("short"), null, null, null, null],
        [s("extra"), l(1), d(2), s("3"), null],
        [s("\""), l(-2), d(1000), null, null],
        [s("tail"), l(4), null, null, null],
    ]

    var headerSpec: InputFormatSpec { .csv(CSVFormatSpec(columns: nil, findColumnsFromHeader: true, skipHeaderRows: 2)) }

    @Test func headerQuotingEmptyFieldsAndSkippedRows() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.csv", Self.headerFile)
        let result = try readAll(ExternalReader(format: headerSpec, signature: sig), dir.file("data.csv"))
        #expect(result.rows == Self.headerRows)
        #expect(result.batches.first?.signature == sig)
        #expect(result.counters.rows == 8)
    }

    @Test func sameRowsAcrossTinyReadBlocks() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("data.csv", Self.headerFile)
        for readSize in [1, 2, 5, 16] {
            var reader = ExternalReader(format: headerSpec, signature: sig, batchSize: 3)
            reader.readSize = readSize
            let result = try readAll(reader, dir.file("data.csv"))
            #expect(result.rows == Self.headerRows, "readSize \(readSize)")
            #expect(result.batchSizes == [3, 3, 2])
        }
    }

    @Test func crlfFileKeepsLineBreaksInsideQuotes() throws {
        let data = "name,count\r\n\"a\r\nb\",1\r\nc,2\r\n"
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: nil, findColumnsFromHeader: true))
        let result = try readAll(ExternalReader(format: spec, signature: sig), InputFile(inlineData: data))
        #expect(result.rows == [
            [s("a\r\nb"), l(1), null, null, null],
            [s("c"), l(2), null, null, null],
        ])
    }

    @Test func columnsFromSpecWithoutHeader() throws {
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: ["count", "name", "ignored"], findColumnsFromHeader: false))
        let data = "5,five,x\n6,six,y\n"
        let result = try readAll(ExternalReader(format: spec, signature: sig), InputFile(inlineData: data))
        #expect(result.rows == [
            [s("five"), l(5), null, null, null],
            [s("six"), l(6), null, null, null],
        ])
    }

    @Test func listDelimiterMakesMultiValueStrings() throws {
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: ["tags", "n"], findColumnsFromHeader: false, listDelimiter: "|"))
        let sig = signature(("tags", .string), ("n", .long))
        let data = "a|b,1\nsolo,2\n\"x||y\",3\n,4\n"
        let result = try readAll(ExternalReader(format: spec, signature: sig), InputFile(inlineData: data))
        let tags = try #require(result.batches.first?.columns[0])
        #expect(tags.isMultiValue)
        #expect((0..<4).map { tags.isNull($0) ? nil : tags.stringValues(at: $0) } == [["a", "b"], ["solo"], ["x", "", "y"], nil])
        // Druid's default delimiter is U+0001.
        let plain = InputFormatSpec.csv(CSVFormatSpec(columns: ["tags", "n"], findColumnsFromHeader: false))
        let split = try readAll(ExternalReader(format: plain, signature: sig), InputFile(inlineData: "p\u{1}q,1\n"))
        #expect(split.batches.first?.columns[0].stringValues(at: 0) == ["p", "q"])
    }

    @Test func tsvSplitsOnTheDelimiterWithoutQuoting() throws {
        var spec = CSVFormatSpec(columns: nil, findColumnsFromHeader: true, listDelimiter: ";")
        let sig = signature(("name", .string), ("n", .long), ("tags", .string))
        let data = "name\tn\ttags\r\n\"quoted, kept\"\t1\ta;b\r\nplain\t\t\n\ntail\t3\n"
        let result = try readAll(ExternalReader(format: .tsv(spec), signature: sig), InputFile(inlineData: data))
        #expect(result.rows.map { Array($0.prefix(2)) } == [[s("\"quoted, kept\""), l(1)], [s("plain"), null], [s("tail"), l(3)]])
        let tags = try #require(result.batches.first?.columns[2])
        #expect(tags.stringValues(at: 0) == ["a", "b"])
        #expect(tags.isNull(1) && tags.isNull(2))
        // A multi-character delimiter, columns from the spec.
        spec = CSVFormatSpec(columns: ["name", "n"], findColumnsFromHeader: false)
        spec.delimiter = "||"
        let piped = try readAll(ExternalReader(format: .tsv(spec), signature: sig), InputFile(inlineData: "a|b||7\n"))
        #expect(piped.rows == [[s("a|b"), l(7), null]])
    }

    @Test func floatColumnsAndNumericText() throws {
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: ["f", "l"], findColumnsFromHeader: false))
        let sig = signature(("f", .float), ("l", .long))
        let data = "0.5,+12\n\" 2 \",-0.5\nx,9223372036854775807\n-0,1e2\n"
        let result = try readAll(ExternalReader(format: spec, signature: sig), InputFile(inlineData: data))
        #expect(result.rows == [[d(0.5), l(12)], [d(2), l(0)], [null, l(.max)], [d(-0.0), l(100)]])
    }

    @Test func headerOnlyAndEmptyFilesGiveNoRows() throws {
        let reader = ExternalReader(format: headerSpec, signature: sig)
        #expect(try readAll(reader, InputFile(inlineData: "")).batches.isEmpty)
        #expect(try readAll(reader, InputFile(inlineData: "1\n2\nname,count\n")).batches.isEmpty)
    }

    @Test func headerWithQuotedNamesAndByteOrderMark() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("\"name\",\"co\"\"unt\"\nx,1\n".utf8))
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: nil, findColumnsFromHeader: true))
        let sig = signature(("name", .string), ("co\"unt", .long))
        let result = try readAll(ExternalReader(format: spec, signature: sig), dir.file("bom.csv"))
        #expect(result.rows == [[s("x"), l(1)]])
    }

    @Test func unterminatedQuoteAtEndOfFileFails() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("open.csv", "name,count\nok,1\n\"open,2\nnext line\n")
        let error = try hengeError {
            _ = try readAll(ExternalReader(format: headerSpec.withoutSkip, signature: sig), dir.file("open.csv"))
        }
        #expect(error.code == "CannotParseExternalData")
        #expect(error.message == "Unable to parse row [\"open,2\nnext line] (Path: file:\(dir.path)/open.csv, Record: 2, Line: 3)"
            + "; the quoted field in column 1 [name] is not closed by the end of the file")
    }

    /// The column whose quote is still open is named (from `columns` or the
    /// header) or, past the named columns, numbered.
    @Test func unterminatedQuoteNamesItsColumn() throws {
        let data = "a,1,x\nb,\"2,y\nc,3,z"
        let named = InputFormatSpec.csv(CSVFormatSpec(columns: ["k", "n", "v"], findColumnsFromHeader: false))
        let error = try hengeError { _ = try readAll(ExternalReader(format: named, signature: sig), InputFile(inlineData: data)) }
        #expect(error.message == "Unable to parse row [b,\"2,y\nc,3,z] (Path: inline, Record: 2, Line: 2)"
            + "; the quoted field in column 2 [n] is not closed by the end of the file")
        let short = InputFormatSpec.csv(CSVFormatSpec(columns: ["k"], findColumnsFromHeader: false))
        let unnamed = try hengeError { _ = try readAll(ExternalReader(format: short, signature: sig), InputFile(inlineData: data)) }
        #expect(unnamed.message.hasSuffix("; the quoted field in column 2 is not closed by the end of the file"))
    }

    @Test func missingColumnsSpecIsRefused() throws {
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: nil, findColumnsFromHeader: false))
        let error = try hengeError {
            _ = try readAll(ExternalReader(format: spec, signature: sig), InputFile(inlineData: "a\n"))
        }
        #expect(error.code == "invalidInput")
    }
}

extension InputFormatSpec {
    /// The same CSV format with `skipHeaderRows` 0.
    fileprivate var withoutSkip: InputFormatSpec {
        guard case .csv(var spec) = self else { return self }
        spec.skipHeaderRows = 0
        return .csv(spec)
    }
}
