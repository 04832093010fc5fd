import DataModel
import Foundation
import HengeTestSupport
import Testing
@testable import Inputs

struct JSONLinesReaderTests {
    let sig = signature(("s", .string), ("l", .long), ("d", .double), ("f", .float))

    static let mixedLines = [
        #"{"s":"plain","l":42,"d":1.5,"f":2.5,"extra":{"x":[1,2,{"y":"}"}]},"n":null}"#,
        #"{"s":"esc\"aped\\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00","l":-7.9,"d":"3.25","f":"x"}"#,
        "",
        "   \t",
        "{\"l\":\"123\",\"d\":7,\"s\":12,\"f\":-1}\r",
        #"{"s":1.0,"l":"1.5","d":true,"f":false}"#,
        #"{"s":true,"l":true,"d":null}"#,
        #"{"s":[1, 2 ,"a b"],"l":{"a":1},"d":[]}"#,
        #"{"s":{"k" : "v" , "z":[ ]},"l":9223372036854775807,"d":-0.0}"#,
        #"{"s":-0,"l":"  42  ","d":"1e3","f":1e2}"#,
        #"{"s":"","l":"","d":""}"#,
        "{}",
        #" { "s" : 1e20 , "l" : -9223372036854775808 , "d" : 12345678901234567890 } "#,
    ].joined(separator: "\n") + "\n"

    static let mixedRows: [[ScalarValue]] = [
        [s("plain"), l(42), d(1.5), d(2.5)],
        [s("esc\"aped\\ / \u{08}\u{0C}\n\r\t é 😀"), l(-7), d(3.25), null],
        [s("12"), l(123), d(7), d(-1)],
        [s("1.0"), l(1), null, null],
        [s("true"), null, null, null],
        // A JSON array in a STRING column is a multi-value string (rendered as results show it).
        [s(#"["1","2","a b"]"#), null, null, null],
        [s(#"{"k":"v","z":[]}"#), l(.max), d(-0.0), null],
        [s("0"), l(42), d(1000), d(100)],
        [s(""), null, null, null],
        [null, null, null, null],
        [s("1.0E20"), l(.min), d(12345678901234567168), null],
    ]

    @Test func readsAllTypesEscapesNullsAndNestedValues() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("mixed.json", Self.mixedLines)
        let result = try readAll(ExternalReader(format: .json(), signature: sig), dir.file("mixed.json"))
        #expect(result.rows == Self.mixedRows)
        #expect(result.batchSizes == [11])
        let batch = try #require(result.batches.first)
        #expect(batch.signature == sig)
        #expect(batch.columns.map(\.data.nativeType) == [.string, .long, .double, .float])
        // The FLOAT column really stores Floats, and -0.0 keeps its sign.
        guard case .float(let floats) = batch.columns[3].data else { Issue.record("not a float column"); return }
        #expect(floats[0] == 2.5)
        guard case .double(let doubles) = batch.columns[2].data else { Issue.record("not a double column"); return }
        #expect(doubles[6].sign == .minus)
    }

    /// Keys are recognised by their position on the previous line; lines
    /// that change the order, add, drop, escape or repeat keys, or reuse a
    /// position for a key of another length, still bind every value to its
    /// own column.
    @Test func keyOrderChangesBetweenLines() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let lines = [
            #"{"x":0,"s":"a","l":1,"d":1.5}"#,
            #"{"x":0,"s":"b","l":2,"d":2.5}"#,
            #"{"l":3,"x":0,"s":"c","d":3.5}"#,  // same keys, other order
            #"{"xx":0,"s":"d","l":4}"#,  // a longer key where "x" was; d missing
            #"{"x":0,"\u0073":"e","l":5,"d":5.5}"#,  // an escaped key naming s
            #"{"x":0,"s":"f","l":6,"d":6.5,"s":"f2"}"#,  // the last repeat wins
            #"{"x":0,"s":"g","l\u0000":9,"d":7.5}"#,  // a key that only looks like l
            #"{"x":0,"s":"h","l":8,"d":8.5}"#,
            #"{"s":"i"}"#,
            #"{"x":0,"s":"j","l":10,"d":10.5}"#,
        ].joined(separator: "\n") + "\n"
        try dir.write("order.json", lines)
        let result = try readAll(ExternalReader(format: .json(), signature: sig), dir.file("order.json"))
        #expect(result.rows == [
            [s("a"), l(1), d(1.5), null], [s("b"), l(2), d(2.5), null], [s("c"), l(3), d(3.5), null],
            [s("d"), l(4), null, null], [s("e"), l(5), d(5.5), null], [s("f2"), l(6), d(6.5), null],
            [s("g"), null, d(7.5), null], [s("h"), l(8), d(8.5), null], [s("i"), null, null, null],
            [s("j"), l(10), d(10.5), null],
        ])
    }

    /// A key is recognised by the bytes from it to its value on the previous
    /// line, whitespace included; lines that space keys, colons and values
    /// differently still read every value.
    @Test func keyLayoutChangesBetweenLines() throws {
        let data = [
            #"{"s":"a","l":1}"#,
            #"{"s" :"b","l":2}"#,
            #"{"s": "c","l":3}"#,  // the tail cached from line 2 differs; line 1's would match up to the space
            #"{"s":  "d", "l" :4 }"#,
            #"{"s":  "e", "l" :5 }"#,
            #"{"s":"f","l":6}"#,
            "{\"s\":\t\"g\" ,\"l\":\r7}",
            #"{ "s":"h" ,"l":8}"#,
            #"{"s": "i","l":  9}"#,
            #"{"s": "j","l":   10}"#,  // a cached tail ending in a space, then more spaces
        ].joined(separator: "\n")
        let rows = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: data)).rows
        #expect(rows.map { $0[0] } == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].map(s))
        #expect(rows.map { $0[1] } == (1...10).map { l(Int64($0)) })
    }

    /// Invalid values fail on a line after a valid one too (when the key is
    /// recognised from the previous line), read or skipped.
    @Test(arguments: ["01", "-01", "00", "1.", "-", ".5", "1e", "1.5e", "1e+", "tru", "'x'", #""a\x""#, "+1", "0x1F",
                      "--1", "1.2.3", #""unterminated"#, "[1,]", "{\"a\":}"])
    func invalidValuesFailAfterAValidLine(_ value: String) throws {
        for column in ["l", "zz"] {
            let data = #"{"s":"a","\#(column)":1}"# + "\n" + #"{"s":"a","\#(column)":\#(value)}"#
            let error = try hengeError {
                _ = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: data))
            }
            #expect(error.code == "CannotParseExternalData", "\(column): \(value)")
            #expect(error.message.contains("Record: 2, Line: 2"), "\(column): \(value)")
        }
    }

    /// Integers of every length, read and skipped, positive and negative,
    /// with the line ending right after them (fewer than eight bytes left).
    @Test func integersOfEveryLength() throws {
        let digits = "98765432109876543210987"
        var texts: [String] = []
        for n in 1...digits.count {
            let text = String(digits.prefix(n))
            texts += [text, "-" + text, "1" + String(repeating: "0", count: n - 1)]
        }
        let data = texts.map { #"{"zz":\#($0),"l":\#($0),"d":\#($0),"zy":\#($0)}"# }.joined(separator: "\n")
        let rows = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: data)).rows
        #expect(rows.count == texts.count)
        for (text, row) in zip(texts, rows) {
            let double = Double(text)!
            #expect(row[1] == (Int64(text).map(l) ?? (abs(double) <= 9.2e18 ? l(Int64(double)) : null)), "\(text)")
            #expect(row[2] == d(Int64(text).map(Double.init) ?? Double(text)!), "\(text)")
        }
    }

    /// Random lines — keys mostly in one order and layout (as real files
    /// have them, so the key cache answers) with now and then another order,
    /// other whitespace, missing keys, and unread values of every JSON type —
    /// read the values a straightforward model of the line predicts.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomLinesReadLikeTheirModel(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        func pick<T>(_ a: [T]) -> T { a.randomElement(using: &rng)! }
        let pieces: [(json: String, text: String)] = [
            ("a", "a"), ("Zq", "Zq"), ("é", "é"), ("😀", "😀"), (" ", " "), (#"\n"#, "\n"), (#"\""#, "\""),
            (#"\u0041"#, "A"), (#"\\"#, "\\"), (#"\/"#, "/"), ("2013-01-01T10:15:00Z", "2013-01-01T10:15:00Z"),
        ]
        func stringValue() -> (json: String, text: String) {
            let parts = (0..<Int.random(in: 0...4, using: &rng)).map { _ in pick(pieces) }
            return ("\"" + parts.map(\.json).joined() + "\"", parts.map(\.text).joined())
        }
        func integer(maxDigits: Int) -> String {
            let n = Int.random(in: 1...maxDigits, using: &rng)
            let digits = n == 1 ? String(Int.random(in: 0...9, using: &rng))
                : String(Int.random(in: 1...9, using: &rng)) + (1..<n).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            return (chance(0.3) ? "-" : "") + digits
        }
        func anyValue(depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 1 ? 7 : 9), using: &rng) {
            case 0, 1: return integer(maxDigits: 25)
            case 2: return pick(["1.5", "-0.25", "1e3", "2E-2", "0.0", "-0", "12.5e+3", "7e0"])
            case 3, 4: return stringValue().json
            case 5: return pick(["true", "false", "null"])
            case 6: return pick(["[]", "{}"])
            case 7: return "[" + (0..<Int.random(in: 1...3, using: &rng)).map { _ in anyValue(depth: depth + 1) }.joined(separator: ", ") + "]"
            default:
                return "{" + (0..<Int.random(in: 1...3, using: &rng)).map { k in "\"k\(k)\" : " + anyValue(depth: depth + 1) }
                    .joined(separator: ",") + "}"
            }
        }
        let keys = ["s", "l", "x", "yy", "zzz_long_unread_key_name"]
        var order = keys
        var layout: [String] = Array(repeating: "", count: 5)
        var lines: [String] = []
        var expected: [[ScalarValue]] = []
        for _ in 0..<3_000 {
            if chance(0.05) { order.shuffle(using: &rng) }
            if chance(0.05) { layout = (0..<5).map { _ in chance(0.6) ? "" : pick([" ", "\t", "  ", " \t"]) } }
            var fields: [String] = []
            var row: [ScalarValue] = [null, null]
            for key in order where !chance(0.08) {
                let value: String
                switch key {
                case "s":
                    if chance(0.1) { value = "null" } else {
                        let v = stringValue()
                        value = v.json
                        row[0] = s(v.text)
                    }
                case "l":
                    if chance(0.1) { value = "null" } else {
                        value = integer(maxDigits: 18)
                        row[1] = l(Int64(value)!)
                    }
                default: value = anyValue(depth: 0)
                }
                fields.append("\"\(key)\"" + layout[1] + ":" + layout[2] + value)
            }
            lines.append(layout[0] + "{" + layout[3] + fields.joined(separator: layout[4] + "," + layout[3]) + layout[4] + "}" + layout[0])
            expected.append(row)
        }
        let result = try readAll(ExternalReader(format: .json(), signature: signature(("s", .string), ("l", .long))),
                                 InputFile(inlineData: lines.joined(separator: "\n")))
        #expect(result.rows.count == expected.count)
        for (k, (row, want)) in zip(result.rows, expected).enumerated() where row != want {
            Issue.record("line \(k + 1): \(lines[k]) read \(row), expected \(want)")
            break
        }
    }

    @Test func sameRowsAcrossTinyReadBlocks() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("mixed.json", Self.mixedLines)
        for readSize in [1, 2, 3, 7, 64] {
            var reader = ExternalReader(format: .json(), signature: sig, batchSize: 4)
            reader.readSize = readSize
            let result = try readAll(reader, dir.file("mixed.json"))
            #expect(result.rows == Self.mixedRows, "readSize \(readSize)")
            #expect(result.batchSizes == [4, 4, 3])
        }
    }

    @Test func arraysInStringColumnsBecomeMultiValueStrings() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let lines = [
            #"{"s":"x"}"#, "{}", #"{"s":["b","a","b"]}"#, #"{"s":[]}"#, #"{"s":["only"]}"#,
            #"{"s":[null,"n",1.50,true,{"k":1}]}"#, #"{"s":"A"}"#,
        ].joined(separator: "\n") + "\n"
        try dir.write("mv.json", lines)
        let mvSig = RowSignature([ColumnSpec(name: "s", type: .string)])
        let result = try readAll(ExternalReader(format: .json(), signature: mvSig), dir.file("mv.json"))
        let column = try #require(result.batches.first?.columns.first)
        guard case .multiString = column.data else { Issue.record("expected a multi-value column"); return }
        // Stored order is kept here (sorting happens when segments are written); [] and missing are NULL.
        #expect((0..<7).map { column.isNull($0) ? nil : column.stringValues(at: $0) }
            == [["x"], nil, ["b", "a", "b"], nil, ["only"], ["n", "1.5", "true", #"{"k":1}"#], ["A"]])
    }

    @Test func inlineDataWithoutTrailingNewline() throws {
        let data = "{\"s\":\"a\",\"l\":1}\n\n{\"s\":\"b\",\"l\":2}"
        let result = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: data))
        #expect(result.rows == [[s("a"), l(1), null, null], [s("b"), l(2), null, null]])
        #expect(result.counters == InputCounters(rows: 2, bytes: Int64(data.utf8.count), files: 1))
    }

    @Test func crlfLineEndings() throws {
        let data = "{\"s\":\"a\"}\r\n\r\n{\"s\":\"b\"}\r\n"
        let result = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: data))
        #expect(result.rows.map { $0[0] } == [s("a"), s("b")])
    }

    @Test func escapedKeysDuplicateKeysAndKeyOrder() throws {
        let data = [
            #"{"\u0073":"via escape","l":1}"#,
            #"{"s":"first","s":"second"}"#,
            #"{"f":1,"d":2,"l":3,"s":"reversed"}"#,
            #"{"S":"case matters","ss":"no","":"empty key"}"#,
        ].joined(separator: "\n")
        let result = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: data))
        #expect(result.rows == [
            [s("via escape"), l(1), null, null],
            [s("second"), null, null, null],
            [s("reversed"), l(3), d(2), d(1)],
            [null, null, null, null],
        ])
    }

    @Test func loneSurrogatesAndInvalidUTF8BecomeReplacementCharacters() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var bytes = Array(#"{"s":"a\ud800b\udc00c"}"#.utf8) + [0x0A]
        bytes += Array(#"{"s":"x"#.utf8) + [0xFF, 0xC3] + Array(#"y"}"#.utf8) + [0x0A]
        try dir.write("utf8.json", bytes: bytes)
        let result = try readAll(ExternalReader(format: .json(), signature: sig), dir.file("utf8.json"))
        #expect(result.rows.map { $0[0] } == [s("a\u{FFFD}b\u{FFFD}c"), s("x\u{FFFD}\u{FFFD}y")])
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("bom.json", bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"s":"bom"}"#.utf8))
        let result = try readAll(ExternalReader(format: .json(), signature: sig), dir.file("bom.json"))
        #expect(result.rows == [[s("bom"), null, null, null]])
    }

    @Test func stringDictionaryIsSharedWithinABatch() throws {
        let data = (0..<100).map { #"{"s":"v\#($0 % 3)"}"# }.joined(separator: "\n")
        let result = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: data))
        guard case .string(let column) = try #require(result.batches.first).columns[0].data else {
            Issue.record("not a string column")
            return
        }
        #expect(column.dictionary == ["v0", "v1", "v2"])
        #expect(column.ids.prefix(4) == [0, 1, 2, 0])
    }

    @Test func allNullStringColumnHasAValidId() throws {
        let result = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: "{}\n{}"))
        let column = try #require(result.batches.first).columns[0]
        #expect(column.nulls?.nullCount == 2)
        guard case .string(let strings) = column.data else { Issue.record("not a string column"); return }
        #expect(strings.ids == [0, 0])
        #expect(strings.dictionary.count == 1)
    }

    /// Druid's message (`IntermediateRowParsingReader`: "Unable to parse row [...]" with Path,
    /// Record and Line), then what Henge found wrong: the character (counted from 1) where the
    /// line stops being JSON and the field whose value or name it is in.
    @Test(arguments: [
        (#"{"s":1"#, "invalid JSON at character 7, after the value of field [s]"),
        (#"[1,2]"#, "the row is JSON but not an object"),
        (#""just a string""#, "the row is JSON but not an object"),
        (#"42"#, "the row is JSON but not an object"),
        (#"{"s":1} x"#, "invalid JSON at character 9, after the end of the object"),
        (#"{"s":1}{"#, "invalid JSON at character 8, after the end of the object"),
        (#"{"s":01}"#, "invalid JSON at character 7, after the value of field [s]"),
        (#"{"s":1.}"#, "invalid JSON at character 6, in the value of field [s]"),
        (#"{"s":-}"#, "invalid JSON at character 6, in the value of field [s]"),
        (#"{"s":.5}"#, "invalid JSON at character 6, in the value of field [s]"),
        (#"{"s":1e}"#, "invalid JSON at character 6, in the value of field [s]"),
        (#"{s:1}"#, "invalid JSON at character 2, where a field name should start"),
        (#"{"s":'x'}"#, "invalid JSON at character 6, in the value of field [s]"),
        (#"{"s":"a\x"}"#, "invalid JSON at character 6, in the value of field [s]"),
        (#"{"s":"\u12G4"}"#, "invalid JSON at character 6, in the value of field [s]"),
        ("{\"s\":\"tab\there\"}", "invalid JSON at character 6, in the value of field [s]"),
        (#"{"s":1,}"#, "invalid JSON at character 8, where a field name should follow field [s]"),
        (#"{"s" 1}"#, "invalid JSON at character 6, after field name [s]"),
        (#"{"s":tru}"#, "invalid JSON at character 6, in the value of field [s]"),
        (#"{"s":nul}"#, "invalid JSON at character 6, in the value of field [s]"),
        (#"{"s":NaN}"#, "invalid JSON at character 6, in the value of field [s]"),
        (#"{"zz":[1,}"#, "invalid JSON at character 7, in the value of field [zz]"),
        (#"{"zz":{"a":1,}}"#, "invalid JSON at character 7, in the value of field [zz]"),
        (#"{"zz":[1 2]}"#, "invalid JSON at character 7, in the value of field [zz]"),
        (#"{"zz":{"a" 1}}"#, "invalid JSON at character 7, in the value of field [zz]"),
        (#"{"s":"unterminated}"#, "invalid JSON at character 6, in the value of field [s]"),
        (#"{,}"#, "invalid JSON at character 2, where a field name should start"),
        (#"{"é":1,"ü":x}"#, "invalid JSON at character 12, in the value of field [ü]"),
    ])
    func invalidLinesFail(_ line: String, _ detail: String) throws {
        let error = try hengeError {
            _ = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: line))
        }
        #expect(error.code == "CannotParseExternalData")
        #expect(error.message == "Unable to parse row [\(line)] (Path: inline, Record: 1, Line: 1); \(detail)")
    }

    @Test func deepNestingIsRefusedNotCrashing() throws {
        let deep = "{\"zz\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        let error = try hengeError {
            _ = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: deep))
        }
        #expect(error.code == "CannotParseExternalData")
        let ok = "{\"zz\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + ",\"l\":5}"
        #expect(try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: ok)).rows == [[null, l(5), null, null]])
    }

    @Test func parseErrorNamesFileRecordAndLine() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("bad.json", "{\"s\":\"ok\"}\n\n{\"s\":\"ok\"}\n{\"s\": broken}\r\n{\"s\":\"never\"}\n")
        let file = try dir.file("bad.json")
        var batches: [Batch] = []
        var counters = InputCounters()
        let error = try hengeError {
            try ExternalReader(format: .json(), signature: sig).read(file, counters: &counters) { batches.append($0) }
        }
        #expect(error.code == "CannotParseExternalData")
        #expect(error.message == "Unable to parse row [{\"s\": broken}] (Path: file:\(dir.path)/bad.json, Record: 3, Line: 4)"
            + "; invalid JSON at character 7, in the value of field [s]")
        #expect(batches.isEmpty)
        #expect(counters.files == 0)
    }

    @Test func parseErrorTruncatesLongRows() throws {
        let line = "{\"s\":\"" + String(repeating: "é", count: 300)
        let error = try hengeError {
            _ = try readAll(ExternalReader(format: .json(), signature: sig), InputFile(inlineData: line))
        }
        let shown = String(line.prefix(200))
        #expect(error.message == "Unable to parse row [\(shown)] (Path: inline, Record: 1, Line: 1); invalid JSON at character 6, in the value of field [s]")
    }
}

