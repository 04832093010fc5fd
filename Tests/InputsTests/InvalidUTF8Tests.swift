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

    /// A value seen again — in the same batch or a later one — reads back
    /// repaired every time (the reader keeps known values across batches).
    @Test func repeatedInvalidValuesStayRepairedAcrossBatches() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var json: [UInt8] = []
        for n in 1...5 { json += Array(#"{"s":"x"#.utf8) + [0xFF] + Array(#"","n":\#(n)}"#.utf8) + [0x0A] }
        try dir.write("bad.json", bytes: json)
        for batchSize in [1, 2, 8] {
            let result = try readAll(ExternalReader(format: .json(), signature: Self.sig, batchSize: batchSize), dir.file("bad.json"))
            #expect(result.rows == (1...5).map { [.string("x\u{FFFD}"), .long(Int64($0))] }, "batch size \(batchSize)")
            // The stored bytes themselves are the repaired UTF-8 (reading them as a String would repair them again).
            for batch in result.batches {
                guard case .string(let column) = batch.columns[0].data else { Issue.record("not a string column"); continue }
                #expect(column.dictionary.bytes == Array("x\u{FFFD}".utf8))
            }
        }
    }
}
