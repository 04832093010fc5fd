import DataModel
import Foundation
import Testing
@testable import Inputs

/// `flattenSpec` (docs/ingestion/data-formats.md#flattenspec): root, path
/// (JsonPath), jq and tree fields, and how columns the spec does not name are read.
struct FlattenSpecTests {
    static func spec(_ json: String) throws -> FlattenSpec { try FlattenSpec(json: JSONValue.parse(json)) }

    static func reader(_ spec: FlattenSpec, _ sig: RowSignature) -> ExternalReader {
        ExternalReader(format: .json(JSONFormatSpec(flattenSpec: spec)), signature: sig)
    }

    /// Each cell as text lists (multi-value strings as their values), nil for NULL.
    static func cells(_ result: ReadResult) -> [[[String]?]] {
        result.batches.flatMap { b in
            (0..<b.rowCount).map { r in
                b.columns.map { c in c.isNull(r) ? nil : c.stringValues(at: r) }
            }
        }
    }

    /// apache/druid JsonLineReaderTest.testParseRow: the same spec and record,
    /// read into the columns Druid's test asserts (STRING, as dimensions are).
    @Test func druidJsonLineReaderParseRow() throws {
        let spec = try Self.spec(#"""
            {"useFieldDiscovery": true, "fields": [
              {"type": "root", "name": "root_baz", "expr": "baz"},
              {"type": "root", "name": "root_baz2", "expr": "baz2"},
              {"type": "path", "name": "path_omg", "expr": "$.o.mg"},
              {"type": "path", "name": "path_omg2", "expr": "$.o.mg2"},
              {"type": "jq", "name": "jq_omg", "expr": ".o.mg"},
              {"type": "jq", "name": "jq_omg2", "expr": ".o.mg2"},
              {"type": "tree", "name": "tree_baz", "nodes": ["baz"]},
              {"type": "tree", "name": "tree_baz2", "nodes": ["baz2"]},
              {"type": "tree", "name": "tree_omg", "nodes": ["o", "mg"]},
              {"type": "tree", "name": "tree_omg2", "nodes": ["o", "mg2"]}
            ]}
            """#)
        let names = ["foo", "baz", "root_baz", "tree_baz", "path_omg", "jq_omg", "tree_omg",
                     "root_baz2", "tree_baz2", "path_omg2", "jq_omg2", "tree_omg2", "bar"]
        let sig = RowSignature(names.map { ColumnSpec(name: $0, type: .string) })
        let data = #"{"timestamp":"2019-01-01","bar":null,"foo":"x","baz":4,"o":{"mg":1}}"#
        let result = try readAll(Self.reader(spec, sig), InputFile(inlineData: data))
        #expect(Self.cells(result) == [[["x"], ["4"], ["4"], ["4"], ["1"], ["1"], ["1"], nil, nil, nil, nil, nil, nil]])
    }

    /// Columns the spec does not name read the top-level member of that name,
    /// objects included and whatever `useFieldDiscovery` says: Druid's
    /// ObjectFlatteners map answers `get(key)` with `getRootField` for any key
    /// without an extractor, and MSQ reads each signature column through `get`.
    @Test func unnamedColumnsReadTopLevelMembers() throws {
        let sig = RowSignature(["baz", "plain", "obj", "n"].map { ColumnSpec(name: $0, type: $0 == "n" ? .long : .string) })
        let data = #"{"baz":"z","plain":"p","obj":{"x":1},"n":3}"#
        for discovery in [true, false] {
            let spec = FlattenSpec(useFieldDiscovery: discovery, fields: [
                FlattenSpec.Field(kind: .path, name: "baz", expr: "$.plain", path: try JSONPath.parseJsonPath("$.plain")),
            ])
            let result = try readAll(Self.reader(spec, sig), InputFile(inlineData: data))
            #expect(result.rows == [[.string("p"), .string("p"), .string(#"{"x":1}"#), .long(3)]])
        }
    }

    /// Wildcards, deep scans, slices and functions read through a whole
    /// ingestion path: arrays become multi-value strings, functions numbers.
    @Test func jsonPathFeaturesIntoColumns() throws {
        let spec = try Self.spec(#"""
            {"fields": [
              {"type": "path", "name": "tags_all", "expr": "$.tags[*]"},
              {"type": "path", "name": "prices", "expr": "$.items[*].price"},
              {"type": "path", "name": "n_items", "expr": "$.items.length()"},
              {"type": "path", "name": "total", "expr": "$..price.sum()"},
              {"type": "path", "name": "last_two", "expr": "$.tags[-2:]"},
              {"type": "jq", "name": "first_tag", "expr": ".tags[]"},
              "plain"
            ]}
            """#)
        let sig = RowSignature([
            ColumnSpec(name: "tags_all", type: .string), ColumnSpec(name: "prices", type: .string),
            ColumnSpec(name: "n_items", type: .long), ColumnSpec(name: "total", type: .double),
            ColumnSpec(name: "last_two", type: .string), ColumnSpec(name: "first_tag", type: .string),
            ColumnSpec(name: "plain", type: .string),
        ])
        let data = [
            #"{"tags":["t0","t1","t2"],"items":[{"id":1,"price":2.5},{"id":2,"price":4},{"id":3}],"plain":"p"}"#,
            #"{"tags":[],"items":[]}"#,
            #"{"plain":"q"}"#,
        ].joined(separator: "\n")
        let result = try readAll(Self.reader(spec, sig), InputFile(inlineData: data))
        #expect(Self.cells(result) == [
            [["t0", "t1", "t2"], ["2.5", "4"], ["3"], ["6.5"], ["t1", "t2"], ["t0"], ["p"]],
            [nil, nil, ["0"], nil, nil, nil, nil],
            [nil, nil, nil, nil, nil, nil, ["q"]],
        ])
    }

    static let doc = try! JSONValue.parse(#"""
        {"tags":["t0","t1","t2"],"items":[{"id":1,"price":2.5},{"id":2,"price":4},{"id":3}],
         "o":{"a":1,"b":{"a":2}},"s":"x","nums":[1,2,3,4],"strs":["a","b"]}
        """#)

    static func path(_ expr: String) throws -> JSONValue? { try JSONPath.parseJsonPath(expr).evaluate(doc) }
    static func jq(_ expr: String) throws -> JSONValue? { try JSONPath.parseJq(expr).evaluate(doc) }
    static func json(_ text: String) -> JSONValue { try! JSONValue.parse(text) }

    /// Jayway JsonPath (README "Operators" and "Functions"), as Druid configures it
    /// with SUPPRESS_EXCEPTIONS: missing definite paths are nothing, indefinite
    /// paths the array of what matched.
    @Test(arguments: [
        ("$.tags[*]", #"["t0","t1","t2"]"#),
        ("$.o.*", #"[1,{"a":2}]"#),
        ("$..a", "[1,2]"),
        ("$..id", "[1,2,3]"),
        ("$.items[*].price", "[2.5,4]"),
        ("$.items[*]['id']", "[1,2,3]"),
        ("$.tags[0,2]", #"["t0","t2"]"#),
        ("$['s','nums']", #"{"s":"x","nums":[1,2,3,4]}"#),
        ("$['s','nope']", #"{"s":"x"}"#),
        ("$.tags[1:3]", #"["t1","t2"]"#),
        ("$.tags[-2:]", #"["t1","t2"]"#),
        ("$.tags[:1]", #"["t0"]"#),
        ("$.tags[5:9]", "[]"),
        ("$.tags[-1]", #""t2""#),
        ("$['o']['b'].a", "2"),
        ("tags[1]", #""t1""#),
        ("$.missing[*]", "[]"),
        ("$.nums.length()", "4"),
        ("$.o.length()", "2"),
        ("$.nums.sum()", "10.0"),
        ("$.nums.min()", "1.0"),
        ("$.nums.max()", "4.0"),
        ("$.nums.avg()", "2.5"),
        ("$.nums.stddev()", "1.118033988749895"),
        ("$.items[*].price.max()", "4.0"),
        ("$..price.sum()", "6.5"),
        (#"$.strs.concat("-", $.s)"#, #""ab-x""#),
        (#"$.strs.append("c", 1)"#, #"["a","b","c",1]"#),
    ])
    func jsonPathEvaluation(_ expr: String, _ expected: String) throws {
        #expect(try Self.path(expr) == Self.json(expected))
    }

    @Test func jsonPathWithNoValue() throws {
        for expr in ["$.missing", "$.s[0]", "$.tags.x", "$.s.length()", "$.strs.sum()", "$.missing.avg()"] {
            #expect(try Self.path(expr) == nil, "\(expr)")
        }
    }

    /// jackson-jq as Druid runs it: `JsonQuery.apply(node).get(0)`, the first output.
    @Test func jqEvaluation() throws {
        #expect(try Self.jq(".tags[]") == .string("t0"))
        #expect(try Self.jq(".items[].id") == .int(1))
        #expect(try Self.jq(".tags[1:3]") == Self.json(#"["t1","t2"]"#))
        #expect(try Self.jq(#".o.b["a"]"#) == .int(2))
        #expect(try Self.jq(#"."o".a"#) == .int(1))
        #expect(try Self.jq(".tags[-1]") == .string("t2"))
        #expect(try Self.jq(".") == Self.doc)
        #expect(try Self.jq(".missing.a") == nil)
    }

    @Test func badSpecsAreRefusedAtParse() throws {
        for (json, message) in [
            (#"{"fields":[{"type":"xpath","name":"a","expr":"a"}]}"#, "Invalid flattenSpec field type [xpath]; expected one of [root, path, jq, tree]"),
            (#"{"fields":[{"type":"path","name":"a"}]}"#, "Invalid flattenSpec field [a]: [expr] is required for type [path]"),
            (#"{"fields":["a",{"type":"path","name":"a","expr":"$.b"}]}"#, "Invalid flattenSpec: Cannot have duplicate field definition: a"),
            (#"{"useFieldDiscovery":"maybe"}"#, #"Invalid flattenSpec: [useFieldDiscovery] must be a boolean, found ["maybe"]"#),
            (#"{"fields":[{"type":"path","name":"a","expr":"$.a[?(@.x == 1)]"}]}"#,
             "Invalid flattenSpec field [a]: cannot parse JsonPath expression [$.a[?(@.x == 1)]]: filter expressions ([?(...)]) are not supported by Henge"),
            (#"{"fields":[{"type":"path","name":"a","expr":"$.a."}]}"#,
             "Invalid flattenSpec field [a]: cannot parse JsonPath expression [$.a.]: Path must not end with a '.' or '..'"),
            (#"{"fields":[{"type":"path","name":"a","expr":"$x"}]}"#,
             "Invalid flattenSpec field [a]: cannot parse JsonPath expression [$x]: Illegal character at position 1 expected '.' or '['"),
            (#"{"fields":[{"type":"path","name":"a","expr":"$.a[x]"}]}"#,
             "Invalid flattenSpec field [a]: cannot parse JsonPath expression [$.a[x]]: Could not parse token starting at position 3. Expected ?, ', 0-9, * "),
            (#"{"fields":[{"type":"path","name":"a","expr":"$.a b"}]}"#,
             "Invalid flattenSpec field [a]: cannot parse JsonPath expression [$.a b]: Use bracket notion ['my prop'] if your property contains blank characters. position: 3"),
            (#"{"fields":[{"type":"path","name":"a","expr":"$.a['b"}]}"#,
             "Invalid flattenSpec field [a]: cannot parse JsonPath expression [$.a['b]: Property has not been closed - missing closing ' from position 4"),
            (#"{"fields":[{"type":"path","name":"a","expr":"$.tags.foo()"}]}"#,
             "Invalid flattenSpec field [a]: cannot parse JsonPath expression [$.tags.foo()]: Function with name: foo does not exist. Supported functions are [min, max, avg, stddev, length, sum, concat, append]"),
            (#"{"fields":[{"type":"path","name":"a","expr":"$.o.keys()"}]}"#,
             "Invalid flattenSpec field [a]: cannot parse JsonPath expression [$.o.keys()]: function [keys()] is not supported for the json format (docs/ingestion/data-formats.md#flattenspec)"),
            (#"{"fields":[{"type":"path","name":"a","expr":"$.nums.sum(1"}]}"#,
             "Invalid flattenSpec field [a]: cannot parse JsonPath expression [$.nums.sum(1]: Arguments to function: 'sum' are not closed properly."),
            (#"{"fields":[{"type":"path","name":"a","expr":"$.length().x"}]}"#,
             "Invalid flattenSpec field [a]: cannot parse JsonPath expression [$.length().x]: Could not parse token starting at position 10: a function must end the path"),
            (#"{"fields":[{"type":"jq","name":"a","expr":".a | length"}]}"#,
             #"Invalid flattenSpec field [a]: cannot parse jq expression [.a | length]: unsupported jq syntax at position 2; Henge reads .name, ."name", .["name"], .[n], .[] and .[m:n]"#),
            (#"{"fields":[{"type":"jq","name":"a","expr":"a.b"}]}"#,
             "Invalid flattenSpec field [a]: cannot parse jq expression [a.b]: a jq expression must start with '.'"),
        ] {
            let error = try hengeError { _ = try FlattenSpec(json: JSONValue.parse(json)) }
            #expect(error.message == message)
        }
    }

    /// The spec echoes as Druid's JSON (reports show it), bare names as root fields.
    @Test func specRoundTripsToJSON() throws {
        let spec = try Self.spec(#"{"useFieldDiscovery":false,"fields":["baz",{"type":"path","name":"p","expr":"$.a[*]"},{"type":"tree","name":"t","nodes":["x","y"]}]}"#)
        #expect(spec.json.serialized
            == #"{"useFieldDiscovery":false,"fields":[{"type":"root","name":"baz"},{"type":"path","name":"p","expr":"$.a[*]"},{"type":"tree","name":"t","nodes":["x","y"]}]}"#)
    }
}
