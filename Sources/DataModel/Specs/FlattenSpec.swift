/// Druid's `flattenSpec` of the `json` input format: named fields taken
/// from anywhere in a nested record (docs/ingestion/data-formats.md#flattenspec).
package struct FlattenSpec: Hashable, Sendable {
    /// How one field finds its value.
    package enum Kind: String, Hashable, Sendable {
        /// A top-level member (`expr` defaults to the field name).
        case root
        /// A JsonPath expression such as `$.a.b[0]` or `$['a b'][1]`.
        case path
        /// A jq expression such as `.a.b[0]` or `.["a b"]`.
        case jq
        /// A list of member names, one per level.
        case tree
    }

    package struct Field: Hashable, Sendable {
        package var kind: Kind
        package var name: String
        /// The parsed path: member names and array indexes, from the root.
        package var steps: [PathStep]
    }

    /// One step of a path into nested JSON.
    package enum PathStep: Hashable, Sendable {
        case member(String)
        case index(Int)
    }

    /// Whether top-level members that are not nested objects are fields by their own name.
    package var useFieldDiscovery = true
    package var fields: [Field] = []

    package init(useFieldDiscovery: Bool = true, fields: [Field] = []) {
        self.useFieldDiscovery = useFieldDiscovery
        self.fields = fields
    }

    /// Parses Druid's JSON form, refusing unknown field types and unparseable expressions.
    package init(json: JSONValue) throws(HengeError) {
        useFieldDiscovery = json["useFieldDiscovery"]?.boolValue ?? true
        for item in json["fields"]?.arrayValue ?? [] {
            guard let typeName = item["type"]?.stringValue, let kind = Kind(rawValue: typeName) else {
                throw HengeError.invalidInput(
                    "Invalid flattenSpec field type [\(item["type"]?.stringValue ?? "null")]; expected one of [root, path, jq, tree]")
            }
            guard let name = item["name"]?.stringValue, !name.isEmpty else {
                throw HengeError.invalidInput("Invalid flattenSpec field: [name] is required")
            }
            let steps: [PathStep]
            switch kind {
            case .root:
                steps = [.member(item["expr"]?.stringValue ?? name)]
            case .path:
                guard let expr = item["expr"]?.stringValue else {
                    throw HengeError.invalidInput("Invalid flattenSpec field [\(name)]: [expr] is required for type [path]")
                }
                steps = try FlattenSpec.parsePath(expr, prefix: "$", field: name)
            case .jq:
                guard let expr = item["expr"]?.stringValue else {
                    throw HengeError.invalidInput("Invalid flattenSpec field [\(name)]: [expr] is required for type [jq]")
                }
                steps = try FlattenSpec.parsePath(expr, prefix: "", field: name)
            case .tree:
                guard let nodes = item["nodes"]?.arrayValue?.compactMap(\.stringValue), !nodes.isEmpty else {
                    throw HengeError.invalidInput("Invalid flattenSpec field [\(name)]: [nodes] is required for type [tree]")
                }
                steps = nodes.map(PathStep.member)
            }
            fields.append(Field(kind: kind, name: name, steps: steps))
        }
    }

    package var json: JSONValue {
        .object([("useFieldDiscovery", .bool(useFieldDiscovery)),
                 ("fields", .array(fields.map { f in .object([("type", .string(f.kind.rawValue)), ("name", .string(f.name))]) }))])
    }

    /// Parses `$.a.b[0]`, `$['a'][1]` (prefix `$`) or `.a.b[0]`, `.["a"]` (jq, no prefix).
    static func parsePath(_ expr: String, prefix: String, field: String) throws(HengeError) -> [PathStep] {
        let chars = Array(expr.trimmingSpaces)
        var i = 0
        func fail() -> HengeError {
            HengeError.invalidInput("Invalid flattenSpec field [\(field)]: cannot parse expression [\(expr)]")
        }
        if !prefix.isEmpty {
            guard chars.first == "$" else { throw fail() }
            i = 1
        }
        var steps: [PathStep] = []
        while i < chars.count {
            if chars[i] == "." {
                i += 1
                if i < chars.count && chars[i] == "[" { continue }  // jq `.["a"]` / `.[0]`
                let start = i
                while i < chars.count && chars[i] != "." && chars[i] != "[" { i += 1 }
                guard i > start else { throw fail() }
                steps.append(.member(String(chars[start..<i])))
            } else if chars[i] == "[" {
                i += 1
                guard i < chars.count else { throw fail() }
                if chars[i] == "'" || chars[i] == "\"" {
                    let quote = chars[i]
                    i += 1
                    let start = i
                    while i < chars.count && chars[i] != quote { i += 1 }
                    guard i < chars.count else { throw fail() }
                    steps.append(.member(String(chars[start..<i])))
                    i += 1
                } else {
                    let start = i
                    while i < chars.count && chars[i] != "]" { i += 1 }
                    guard let n = Int(String(chars[start..<i]).trimmingSpaces) else { throw fail() }
                    steps.append(.index(n))
                }
                guard i < chars.count && chars[i] == "]" else { throw fail() }
                i += 1
            } else {
                throw fail()
            }
        }
        if steps.isEmpty && prefix.isEmpty { throw fail() }
        return steps
    }

    /// The value at `steps` in `root`, or nil when absent.
    package static func value(_ root: JSONValue, at steps: [PathStep]) -> JSONValue? {
        var current = root
        for step in steps {
            switch step {
            case .member(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let n):
                guard let items = current.arrayValue else { return nil }
                let k = n < 0 ? items.count + n : n
                guard k >= 0 && k < items.count else { return nil }
                current = items[k]
            }
        }
        return current
    }
}
