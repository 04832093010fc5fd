/// A JSON value with object keys kept in order.
///
/// For the control plane only: request bodies, EXTERN specs, query context,
/// reports, metadata rows. Bulk input never goes through it.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    package static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x == y
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): Double(x) == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The member with this key, for objects.
    package subscript(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    package var isNull: Bool { if case .null = self { true } else { false } }

    package var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    package var objectValue: [(String, JSONValue)]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Integer value, accepting numeric strings as Druid's context does (`"3"`).
    package var intValue: Int64? {
        switch self {
        case .int(let v): v
        case .double(let d): d == d.rounded() && abs(d) < 9e18 ? Int64(d) : nil
        case .string(let s): Int64(s.trimmingSpaces)
        default: nil
        }
    }

    package var doubleValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let d): d
        case .string(let s): Double(s.trimmingSpaces)
        default: nil
        }
    }

    /// Boolean value, accepting `"true"`/`"false"` strings as Druid does.
    package var boolValue: Bool? {
        switch self {
        case .bool(let b): b
        case .string(let s):
            switch s.lowercased() {
            case "true": true
            case "false": false
            default: nil
            }
        default: nil
        }
    }

    /// Returns a copy of this object with `key` set (replacing or appending).
    package func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let i = members.firstIndex(where: { $0.0 == key }) {
            members[i].1 = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int64) { self = .int(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
}
