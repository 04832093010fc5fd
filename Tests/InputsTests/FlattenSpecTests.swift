import DataModel
import Foundation
import Testing
@testable import Inputs

/// `flattenSpec` (docs/ingestion/data-formats.md#flattenspec): root, path
/// (JsonPath), jq and tree fields, and field discovery of non-object members.
struct FlattenSpecTests {
    static let specJSON = #"""
        {"useFieldDiscovery": true, "fields": [
          {"type": "root", "name": "baz"},
          {"type": "path", "name": "foo_bar", "expr": "$.foo.bar"},
          {"type": "path", "name": "second_tag", "expr": "$['tags'][1]"},
          {"type": "jq", "name": "first_food", "expr": ".thing.food[0]"},
          {"type": "tree", "name": "deep", "nodes": ["a", "b", "c"]},
          {"type": "path", "name": "whole", "expr": "$.foo"}
        ]}
        """#

    @Test func fieldsFromNestedRecords() throws {
        let spec = try FlattenSpec(json: JSONValue.parse(Self.specJSON))
        let sig = RowSignature(["baz", "foo_bar", "second_tag", "first_food", "deep", "whole", "plain", "obj", "n"].map {
            ColumnSpec(name: $0, type: $0 == "n" || $0 == "foo_bar" ? .long : .string)
        })
        let data = [
            #"{"baz":"z","foo":{"bar":7},"tags":["t0","t1"],"thing":{"food":["apple","pear"]},"a":{"b":{"c":"deep!"}},"plain":"p","obj":{"x":1},"n":3}"#,
            #"{"baz":null,"foo":{},"tags":["only"]}"#,
        ].joined(separator: "\n")
        let result = try readAll(ExternalReader(format: .jsonFlattened(spec), signature: sig), InputFile(inlineData: data))
        #expect(result.rows == [
            [.string("z"), .long(7), .string("t1"), .string("apple"), .string("deep!"), .string(#"{"bar":7}"#), .string("p"), .null, .long(3)],
            [.null, .null, .null, .null, .null, .string("{}"), .null, .null, .null],
        ])
        // Discovery off: only the spec's fields.
        var noDiscovery = spec
        noDiscovery.useFieldDiscovery = false
        let off = try readAll(ExternalReader(format: .jsonFlattened(noDiscovery), signature: sig), InputFile(inlineData: data))
        #expect(off.rows[0][6] == .null)
    }

    @Test func badSpecsAreRefused() throws {
        for (json, message) in [
            (#"{"fields":[{"type":"xpath","name":"a","expr":"a"}]}"#, "Invalid flattenSpec field type [xpath]; expected one of [root, path, jq, tree]"),
            (#"{"fields":[{"type":"path","name":"a","expr":"foo.bar"}]}"#, "Invalid flattenSpec field [a]: cannot parse expression [foo.bar]"),
            (#"{"fields":[{"type":"path","name":"a"}]}"#, "Invalid flattenSpec field [a]: [expr] is required for type [path]"),
        ] {
            let error = try hengeError { _ = try FlattenSpec(json: JSONValue.parse(json)) }
            #expect(error.message == message)
        }
    }
}
