/// Druid's `flattenSpec` of the `json` input format: named fields taken
/// from anywhere in a nested record (docs/ingestion/data-formats.md#flattenspec).
package struct FlattenSpec: Hashable, Sendable {
    /// How one field finds its value.
    package enum Kind: String, Hashable, Sendable {
        /// A top-level member (`expr` defaults to the field name).
        case root
        /// A Jayway JsonPath expression such as `$.a.b[0]`, `$.tags[*]` or `$..id`.
        case path
        /// A jq expression such as `.a.b[0]`, `.["a b"]` or `.tags[]`.
        case jq
        /// A list of member names, one per level.
        case tree
    }

    package struct Field: Hashable, Sendable {
        package var kind: Kind
        package var name: String
        /// The expression as given (`expr`), for `path` and `jq` fields.
        package var expr: String?
        /// The compiled expression.
        package var path: JSONPath

        package init(kind: Kind, name: String, expr: String? = nil, path: JSONPath) {
            self.kind = kind
            self.name = name
            self.expr = expr
            self.path = path
        }
    }

    /// Whether top-level members that are not nested objects are fields by
    /// their own name (what schema inference discovers; reading a column
    /// the spec does not name always takes the top-level member, as Druid's
    /// `ObjectFlatteners` does).
    package var useFieldDiscovery = true
    package var fields: [Field] = []

    package init(useFieldDiscovery: Bool = true, fields: [Field] = []) {
        self.useFieldDiscovery = useFieldDiscovery
        self.fields = fields
    }

    /// Parses Druid's JSON form, refusing unknown field types, unparseable
    /// expressions and duplicate names. A field may be given as a bare
    /// string, meaning a `root` field of that name.
    package init(json: JSONValue) throws(HengeError) {
        if let d = json["useFieldDiscovery"], !d.isNull {
            guard let b = d.boolValue else {
                throw HengeError.invalidInput("Invalid flattenSpec: [useFieldDiscovery] must be a boolean, found [\(d.serialized)]")
            }
            useFieldDiscovery = b
        }
        for item in json["fields"]?.arrayValue ?? [] {
            let field = try FlattenSpec.field(item)
            if fields.contains(where: { $0.name == field.name }) {
                throw HengeError.invalidInput("Invalid flattenSpec: Cannot have duplicate field definition: \(field.name)")
            }
            fields.append(field)
        }
    }

    private static func field(_ item: JSONValue) throws(HengeError) -> Field {
        if let name = item.stringValue {
            return Field(kind: .root, name: name, path: .members([name]))
        }
        guard let typeName = item["type"]?.stringValue, let kind = Kind(rawValue: typeName) else {
            throw HengeError.invalidInput(
                "Invalid flattenSpec field type [\(item["type"]?.stringValue ?? "null")]; expected one of [root, path, jq, tree]")
        }
        guard let name = item["name"]?.stringValue, !name.isEmpty else {
            throw HengeError.invalidInput("Invalid flattenSpec field: [name] is required")
        }
        switch kind {
        case .root:
            let expr = item["expr"]?.stringValue
            return Field(kind: .root, name: name, expr: expr, path: .members([expr ?? name]))
        case .path, .jq:
            guard let expr = item["expr"]?.stringValue else {
                throw HengeError.invalidInput("Invalid flattenSpec field [\(name)]: [expr] is required for type [\(kind.rawValue)]")
            }
            do {
                let path = kind == .path ? try JSONPath.parseJsonPath(expr) : try JSONPath.parseJq(expr)
                return Field(kind: kind, name: name, expr: expr, path: path)
            } catch {
                let language = kind == .path ? "JsonPath" : "jq"
                throw HengeError.invalidInput("Invalid flattenSpec field [\(name)]: cannot parse \(language) expression [\(expr)]: \(error.reason)")
            }
        case .tree:
            guard let nodes = item["nodes"]?.arrayValue?.compactMap(\.stringValue), !nodes.isEmpty else {
                throw HengeError.invalidInput("Invalid flattenSpec field [\(name)]: [nodes] is required for type [tree]")
            }
            return Field(kind: .tree, name: name, path: .members(nodes))
        }
    }

    /// Druid's JSON form (fields with their type, name and expression).
    package var json: JSONValue {
        .object([("useFieldDiscovery", .bool(useFieldDiscovery)), ("fields", .array(fields.map(\.json)))])
    }

    /// The field named `name`, if the spec has one.
    package func field(named name: String) -> Field? {
        fields.first { $0.name == name }
    }
}

extension FlattenSpec.Field {
    var json: JSONValue {
        var m: [(String, JSONValue)] = [("type", .string(kind.rawValue)), ("name", .string(name))]
        if let expr { m.append(("expr", .string(expr))) }
        if kind == .tree { m.append(("nodes", .array(path.steps.compactMap { if case .member(let n) = $0.selector { .string(n) } else { nil } }))) }
        return .object(m)
    }
}
