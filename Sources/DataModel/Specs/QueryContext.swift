/// The query context of a request: ordered keys with Druid's lenient typed
/// getters (`"3"` reads as 3, `"true"` as true).
package struct QueryContext: Sendable, Equatable {
    package var entries: [(String, JSONValue)]

    package init(_ entries: [(String, JSONValue)] = []) {
        self.entries = entries
    }

    package static func == (a: QueryContext, b: QueryContext) -> Bool {
        JSONValue.object(a.entries) == JSONValue.object(b.entries)
    }

    package subscript(_ key: String) -> JSONValue? {
        entries.first { $0.0 == key }?.1
    }

    package mutating func set(_ key: String, _ value: JSONValue) {
        if let i = entries.firstIndex(where: { $0.0 == key }) {
            entries[i].1 = value
        } else {
            entries.append((key, value))
        }
    }

    /// An integer setting; throws Druid-style when present but not an integer.
    package func int(_ key: String) throws(HengeError) -> Int? {
        guard let v = self[key], !v.isNull else { return nil }
        guard let i = v.intValue else {
            throw HengeError.invalidInput("Expected key [\(key)] in the query context to be of type [Integer], found [\(v.serialized)]")
        }
        return Int(i)
    }

    package func bool(_ key: String) throws(HengeError) -> Bool? {
        guard let v = self[key], !v.isNull else { return nil }
        guard let b = v.boolValue else {
            throw HengeError.invalidInput("Expected key [\(key)] in the query context to be of type [Boolean], found [\(v.serialized)]")
        }
        return b
    }

    package func string(_ key: String) -> String? {
        guard let v = self[key], !v.isNull else { return nil }
        return v.stringValue ?? v.serialized
    }

    package var json: JSONValue { .object(entries) }
}
