import DataModel
import Foundation
import Testing
@testable import Inputs

struct ExternalReaderTests {
    let sig = signature(("n", .long), ("t", .string))

    @Test func splitsIntoBatchesOfBatchSize() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let text = (0..<10_001).map { #"{"t":"r\#($0 % 10)","n":\#($0)}"# }.joined(separator: "\n")
        try dir.write("rows.json", text)
        let file = try dir.file("rows.json")
        let result = try readAll(ExternalReader(format: .json(), signature: sig, batchSize: 4096), file)
        #expect(result.batchSizes == [4096, 4096, 1809])
        #expect(result.rows == (0..<10_001).map { [l(Int64($0)), s("r\($0 % 10)")] })
        #expect(result.counters == InputCounters(rows: 10_001, bytes: Int64(text.utf8.count), files: 1))
        #expect(result.batches.allSatisfy { $0.signature == sig })
    }

    @Test func exactMultipleOfBatchSizeHasNoEmptyBatch() throws {
        let text = (0..<8).map { #"{"n":\#($0)}"# }.joined(separator: "\n") + "\n"
        let result = try readAll(ExternalReader(format: .json(), signature: sig, batchSize: 4), InputFile(inlineData: text))
        #expect(result.batchSizes == [4, 4])
    }

    @Test func emptyInputEmitsNothingButCountsTheFile() throws {
        let result = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: "\n\n"))
        #expect(result.batches.isEmpty)
        #expect(result.counters == InputCounters(rows: 0, bytes: 2, files: 1))
    }

    @Test func countersAccumulateAcrossFiles() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.json", "{\"n\":1}\n{\"n\":2}\n")
        try dir.write("b.json", "{\"n\":3}\n")
        let reader = ExternalReader(format: .json(), signature: sig)
        var counters = InputCounters()
        var rows: [[ScalarValue]] = []
        for name in ["a.json", "b.json"] {
            try reader.read(dir.file(name), counters: &counters) { b in rows += (0..<b.rowCount).map { b.row($0) } }
        }
        #expect(rows == [[l(1), null], [l(2), null], [l(3), null]])
        #expect(counters == InputCounters(rows: 3, bytes: 24, files: 2))
    }

    struct Stop: Error, Equatable {}

    @Test func errorsFromOnBatchPropagateUnchanged() throws {
        let text = (0..<10).map { #"{"n":\#($0)}"# }.joined(separator: "\n")
        var counters = InputCounters()
        var seen = 0
        #expect(throws: Stop()) {
            try ExternalReader(format: .json(), signature: sig, batchSize: 3).read(InputFile(inlineData: text), counters: &counters) { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
        #expect(counters.rows == 6)
        #expect(counters.files == 0)
    }

    @Test func missingFileAtReadTimeNamesThePath() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = InputFile(path: dir.path + "/gone.json", size: 10)
        let error = try hengeError { _ = try readAll(ExternalReader(format: .json(), signature: sig), file) }
        #expect(error.code == "UnknownError")
        #expect(error.message == "Cannot read input file [\(dir.path)/gone.json]: No such file or directory")
    }

    @Test func linesLongerThanTheReadBlock() throws {
        let long = String(repeating: "x", count: 5000)
        let text = "{\"t\":\"\(long)\",\"n\":1}\n{\"n\":2}"
        var reader = ExternalReader(format: .json(), signature: sig)
        reader.readSize = 100
        let result = try readAll(reader, InputFile(inlineData: text))
        #expect(result.rows == [[l(1), s(long)], [l(2), null]])
    }

    /// Throughput on flat JSON lines; run with HENGE_BENCH=1 (release build).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HENGE_BENCH"] != nil))
    func jsonThroughput() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var text = ""
        for i in 0..<50_000 {
            text += #"{"timestamp":"2024-01-01T00:\#(i % 60):00Z","page":"Page\#(i % 1000)","user":"user\#(i % 5000)","#
            text += #""added":\#(i % 997),"deleted":\#(i % 13),"delta":\#(Double(i) * 0.25),"isRobot":false,"#
            text += #""comment":"some \"quoted\" text here","namespace":"Main","country":null}"# + "\n"
        }
        let chunk = Array(text.utf8)
        var bytes: [UInt8] = []
        for _ in 0..<10 { bytes += chunk }
        try dir.write("bench.json", bytes: bytes)
        let sig = signature(("timestamp", .string), ("page", .string), ("user", .string), ("added", .long),
                            ("deleted", .long), ("delta", .double), ("namespace", .string), ("country", .string))
        let file = try dir.file("bench.json")
        let reader = ExternalReader(format: .json(), signature: sig)
        let clock = ContinuousClock()
        var result = ReadResult()
        let elapsed = try clock.measure {
            try reader.read(file, counters: &result.counters) { _ in }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let mb = Double(bytes.count) / 1_000_000
        print("JSON lines: \(mb) MB, \(result.counters.rows) rows in \(seconds) s = \(mb / seconds) MB/s")
        #expect(result.counters.rows == 500_000)
    }

    /// Throughput on CSV; run with HENGE_BENCH=1 (release build).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HENGE_BENCH"] != nil))
    func csvThroughput() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var text = "timestamp,page,user,added,deleted,delta,comment,namespace\n"
        for i in 0..<50_000 {
            text += "2024-01-01T00:\(i % 60):00Z,Page\(i % 1000),user\(i % 5000),\(i % 997),\(i % 13),"
            text += "\(Double(i) * 0.25),\"some, \"\"quoted\"\" text\",Main\n"
        }
        var bytes = Array(text.utf8)
        let body = Array(bytes.drop { $0 != 0x0A }.dropFirst())
        for _ in 0..<9 { bytes += body }
        try dir.write("bench.csv", bytes: bytes)
        let sig = signature(("timestamp", .string), ("page", .string), ("user", .string), ("added", .long),
                            ("deleted", .long), ("delta", .double), ("comment", .string), ("namespace", .string))
        let spec = InputFormatSpec.csv(CSVFormatSpec(columns: nil, findColumnsFromHeader: true))
        let file = try dir.file("bench.csv")
        var result = ReadResult()
        let elapsed = try ContinuousClock().measure {
            try ExternalReader(format: spec, signature: sig).read(file, counters: &result.counters) { _ in }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let mb = Double(bytes.count) / 1_000_000
        print("CSV: \(mb) MB, \(result.counters.rows) rows in \(seconds) s = \(mb / seconds) MB/s")
        #expect(result.counters.rows == 500_000)
    }
}
