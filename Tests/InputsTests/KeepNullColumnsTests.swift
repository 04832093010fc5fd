import DataModel
import Testing
@testable import Inputs

/// The json format's `keepNullColumns`: which members field discovery keeps,
/// and so which columns an EXTERN without a signature gets.
struct KeepNullColumnsTests {
    static func format(_ json: String) throws -> JSONFormatSpec {
        guard case .json(let spec) = try InputFormatSpec.parse(json: JSONValue.parse(json)) else {
            throw TestFailure("not a json format: \(json)")
        }
        return spec
    }

    /// apache/druid JsonInputFormatTest: test_unsetUseFieldDiscovery_unsetKeepNullColumnsByDefault,
    /// testUseFieldDiscovery_setKeepNullColumnsByDefault, testUseFieldDiscovery_doNotChangeKeepNullColumnsUserSets;
    /// and no flattenSpec at all, which is JsonInputFormat's `getFlattenSpec() != null` false branch.
    @Test func defaultsFollowDruidJsonInputFormat() throws {
        #expect(try Self.format(#"{"type":"json","flattenSpec":{"useFieldDiscovery":false}}"#).keepsNullColumns == false)
        #expect(try Self.format(#"{"type":"json","flattenSpec":{"useFieldDiscovery":true}}"#).keepsNullColumns == true)
        #expect(try Self.format(#"{"type":"json","flattenSpec":{"useFieldDiscovery":true},"keepNullColumns":false}"#)
            .keepsNullColumns == false)
        #expect(try Self.format(#"{"type":"json"}"#).keepsNullColumns == false)
        #expect(try Self.format(#"{"type":"json","keepNullColumns":true}"#).keepsNullColumns == true)
        #expect(try Self.format(#"{"type":"json","keepNullColumns":"true"}"#).keepsNullColumns == true)
    }

    /// The format echoes `keepNullColumns` only when it was given (Druid's `JsonInclude.NON_NULL`).
    @Test func formatJSONEchoesOnlyAGivenValue() throws {
        #expect(InputFormatSpec.json(try Self.format(#"{"type":"json"}"#)).json.serialized == #"{"type":"json"}"#)
        #expect(InputFormatSpec.json(try Self.format(#"{"type":"json","keepNullColumns":false}"#)).json.serialized
            == #"{"type":"json","keepNullColumns":false}"#)
    }

    @Test func wrongTypesAreRefused() throws {
        let error = try hengeError { _ = try Self.format(#"{"type":"json","keepNullColumns":1}"#) }
        #expect(error.message == "Invalid json inputFormat: [keepNullColumns] must be a boolean, found [1]")
        let flatten = try hengeError { _ = try Self.format(#"{"type":"json","flattenSpec":[]}"#) }
        #expect(flatten.message == "Invalid json inputFormat: [flattenSpec] must be an object, found [[]]")
    }

    /// apache/druid JsonLineReaderTest.testParseRowKeepNullColumns and testFalseKeepNullColumns:
    /// the spec's fields come first, then discovered members; `bar` (null) only when kept, `o`
    /// (an object) never. (Druid also leaves out its timestamp column; Henge has none to leave out.)
    @Test func discoveryKeepsNullMembersOnlyWhenAsked() throws {
        let spec = try FlattenSpec(json: JSONValue.parse(#"""
            {"useFieldDiscovery": true, "fields": [
              {"type": "path", "name": "path_omg", "expr": "$.o.mg"},
              {"type": "tree", "name": "tree_omg", "nodes": ["o", "mg"]}
            ]}
            """#))
        let record = try JSONValue.parse(#"{"timestamp":"2019-01-01","bar":null,"foo":"x","o":{"mg":null},"list":[1,[2]],"flat":[1,"a"]}"#)
        #expect(FlatteningJSONParser.discoveredNames(record, spec: spec, keepNulls: true)
            == ["path_omg", "tree_omg", "timestamp", "bar", "foo", "flat"])
        #expect(FlatteningJSONParser.discoveredNames(record, spec: spec, keepNulls: false)
            == ["path_omg", "tree_omg", "timestamp", "foo", "flat"])
    }

    static func inferred(_ data: String, _ format: String) throws -> [String] {
        let schema = try SchemaInference.infer(source: .inline(data: data), format: InputFormatSpec.parse(json: JSONValue.parse(format)),
                                               policy: InputAccessPolicy())
        return schema.signature.columns.map { "\($0.name) \($0.type)" }
    }

    @Test func schemaInferenceDropsAllNullMembersUnlessKept() throws {
        let data = #"{"n":1,"s":null,"t":null}"# + "\n" + #"{"n":2,"t":"x"}"#
        #expect(try Self.inferred(data, #"{"type":"json"}"#) == ["n LONG", "t STRING"])
        #expect(try Self.inferred(data, #"{"type":"json","keepNullColumns":true}"#) == ["n LONG", "s STRING", "t STRING"])
        #expect(try Self.inferred(data, #"{"type":"json","flattenSpec":{}}"#) == ["n LONG", "s STRING", "t STRING"])
        #expect(try Self.inferred(data, #"{"type":"json","flattenSpec":{},"keepNullColumns":false}"#) == ["n LONG", "t STRING"])
        // A named field stays however null its values are.
        #expect(try Self.inferred(data, #"{"type":"json","flattenSpec":{"fields":[{"type":"path","name":"z","expr":"$.zz"}]},"keepNullColumns":false}"#)
            == ["z STRING", "n LONG", "t STRING"])
        let error = try hengeError { _ = try Self.inferred(#"{"s":null}"#, #"{"type":"json"}"#) }
        #expect(error.message.hasPrefix("Cannot infer a signature: every sampled field is null and [keepNullColumns] is false"))
    }
}
