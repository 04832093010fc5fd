import DataModel
import Foundation
import Testing
@testable import Inputs

/// Invalid UTF-8 reads as Druid reads it: each bad sequence becomes U+FFFD
/// (Druid decodes text lines with Java's UTF-8 decoder before parsing), never
/// a parse failure.
struct InvalidUTF8Tests {
    static let sig = RowSignature([ColumnSpec(name: "s", type: .string), ColumnSpec(name: "n", type: .long)])

    @Test func jsonAndCSVReplaceInvalidSequences() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        // 0xFF is never valid; 0xC3 alone is a truncated two-byte sequence.
        var json = Array(#"{"s":"a"#.utf8) + [0xFF] + Array(#"b","n":1}"#.utf8) + [0x0A]
        json += Array(#"{"s":"c"#.utf8) + [0xC3] + Array(#"","n":2}"#.utf8) + [0x0A]
        try dir.write("bad.json", bytes: json)
        let rows = try readAll(ExternalReader(format: .json(), signature: Self.sig), dir.file("bad.json")).rows
        #expect(rows == [[.string("a\u{FFFD}b"), .long(1)], [.string("c\u{FFFD}"), .long(2)]])

        let csv = Array("x".utf8) + [0xFE, 0xFF] + Array(",3\n".utf8)
        try dir.write("bad.csv", bytes: csv)
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: ["s", "n"], findColumnsFromHeader: false))
        let csvRows = try readAll(ExternalReader(format: spec, signature: Self.sig), dir.file("bad.csv")).rows
        #expect(csvRows == [[.string("x\u{FFFD}\u{FFFD}"), .long(3)]])
    }
}
