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
        // CSV (quoted fields may span lines), one worker, and compressed files are never cut.
        let csv = InputFormatSpec.csv(CSVFormatSpec(columns: ["a"], findColumnsFromHeader: false))
        #expect(InputFile.readUnits([big], format: csv, workers: 3, minimumBytes: 100).count == 1)
        #expect(InputFile.readUnits([big], format: .json(), workers: 1, minimumBytes: 100).count == 1)
        let gz = try dir.file(URL(fileURLWithPath: try dir.gzip("big.json")).lastPathComponent)
        #expect(InputFile.readUnits([gz], format: .json(), workers: 3, minimumBytes: 10).count == 1)
    }
}
