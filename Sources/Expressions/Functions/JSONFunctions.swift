internal import DataModel

/// Druid's nested-JSON functions (`sql-json-functions.md`) over
/// `COMPLEX<json>` values, which columns hold as compact JSON text.
/// Paths are JSONPath (`$`, `.name`, `['name']`, `[n]`, negative `[n]` from
/// the end) as Druid's `NestedPathFinder` reads them.
enum JSONFunctions {
    /// One step of a parsed path.
    enum Step: Hashable {
        case member(String)
        case index(Int)
    }

    /// Parses a JSONPath such as `$.a.b[0]` or `$['a b'][-1]`.
    static func parsePath(_ path: String, function: String) throws(HengeError) -> [Step] {
        let chars = Array(path.unicodeScalars)
        func bad() -> HengeError {
            EvalErrors.function(function, "Bad format, '\(path)' is not a valid JSONPath path: must start with '$'")
        }
        guard chars.first == "$" else { throw bad() }
        var i = 1
        var steps: [Step] = []
        while i < chars.count {
            if chars[i] == "." {
                i += 1
                var name = ""
                while i < chars.count, chars[i] != ".", chars[i] != "[" { name.unicodeScalars.append(chars[i]); i += 1 }
                if name.isEmpty && i == chars.count { break }  // `$.` is the root
                guard !name.isEmpty else { throw bad() }
                steps.append(.member(name))
            } else if chars[i] == "[" {
                i += 1
                if i < chars.count, chars[i] == "'" || chars[i] == "\"" {
                    let quote = chars[i]
                    i += 1
                    var name = ""
                    while i < chars.count, chars[i] != quote { name.unicodeScalars.append(chars[i]); i += 1 }
                    i += 1
                    guard i < chars.count, chars[i] == "]" else { throw bad() }
                    steps.append(.member(name))
                } else {
                    var digits = ""
                    while i < chars.count, chars[i] != "]" { digits.unicodeScalars.append(chars[i]); i += 1 }
                    guard i < chars.count, let n = Int(digits) else { throw bad() }
                    steps.append(.index(n))
                }
                i += 1
            } else {
                throw bad()
            }
        }
        return steps
    }

    /// The value at `steps`, or nil when the path leads nowhere.
    static func find(_ root: JSONValue, _ steps: [Step]) -> JSONValue? {
        var v = root
        for s in steps {
            switch (s, v) {
            case (.member(let name), .object):
                guard let next = v[name] else { return nil }
                v = next
            case (.index(let n), .array(let items)):
                let k = n < 0 ? items.count + n : n
                guard k >= 0, k < items.count else { return nil }
                v = items[k]
            default: return nil
            }
        }
        return v
    }

    /// A JSON argument's value: COMPLEX<json> text parses; a VARCHAR is the
    /// JSON string it holds (as Druid treats a string column given to JSON
    /// functions); numbers are themselves.
    static func json(_ v: ScalarValue, _ type: SQLType) -> JSONValue? {
        switch v {
        case .null: return nil
        case .string(let s): return type == .json || type.isArray ? NestedValue.jsonValue(s) : .string(s)
        case .long(let l): return .int(l)
        case .double(let d): return .double(d)
        }
    }

    /// The literal path argument, parsed once per batch.
    static func steps(_ c: ColumnVector, function: String) throws(HengeError) -> [Step] {
        guard let p = c.constantValue?.stringValue else {
            throw EvalErrors.function(function, "path argument must be a string literal")
        }
        return try parsePath(p, function: function)
    }

    static let all: [ScalarFunction] = [
        // JSON_VALUE(expr, path [RETURNING type]): a scalar at the path, else NULL.
        ScalarFunction("JSON_VALUE", arity: 2...3, returnType: { types in types.count == 3 ? types[2] : .varchar }) {
            args, types, result, rows, _ throws(HengeError) in
            let path = try steps(args[1], function: "JSON_VALUE")
            return try evaluateDistinct([args[0]], rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                guard let root = json(v[0], types[0]), let found = find(root, path) else { return .null }
                switch found {
                case .object, .array: return result.isArray ? .string(found.serialized) : .null
                default:
                    if case .bool(let b) = found, result == .varchar { return .string(b ? "true" : "false") }
                    let scalar = NestedValue.scalar(found)
                    let from: SQLType = switch scalar {
                    case .long: .bigint
                    case .double: .double
                    default: .varchar
                    }
                    return CastFunction.cast(scalar, from: from, to: result)
                }
            }
        },
        // JSON_QUERY(expr, path): the JSON value at the path.
        ScalarFunction("JSON_QUERY", arity: 2...2, returnType: { _ in .json }) { args, types, result, rows, _ throws(HengeError) in
            let path = try steps(args[1], function: "JSON_QUERY")
            return try evaluateDistinct([args[0]], rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                guard let root = json(v[0], types[0]), let found = find(root, path), !found.isNull else { return .null }
                return .string(found.serialized)
            }
        },
        // JSON_KEYS(expr, path): the keys of the object at the path.
        ScalarFunction("JSON_KEYS", arity: 2...2, returnType: { _ in .varcharArray }) { args, types, result, rows, _ throws(HengeError) in
            let path = try steps(args[1], function: "JSON_KEYS")
            return try evaluateDistinct([args[0]], rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                guard let root = json(v[0], types[0]), let found = find(root, path) else { return .null }
                switch found {
                case .object(let members): return .string(NestedValue.encodeArray(members.map { .string($0.0) }, element: .string))
                case .array(let items): return .string(NestedValue.encodeArray(items.indices.map { .string("[\($0)]") }, element: .string))
                default: return .null
                }
            }
        },
        // JSON_PATHS(expr): the JSONPath of every scalar (and array) leaf.
        ScalarFunction("JSON_PATHS", arity: 1...1, returnType: { _ in .varcharArray }) { args, types, result, rows, _ throws(HengeError) in
            try evaluateDistinct(args, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                guard let root = json(v[0], types[0]) else { return .null }
                var paths: [String] = []
                collectPaths(root, "$", into: &paths)
                return .string(NestedValue.encodeArray(paths.map(ScalarValue.string), element: .string))
            }
        },
        // JSON_OBJECT(k1, v1, k2, v2, ...): keys in sorted order, as Druid prints them.
        ScalarFunction("JSON_OBJECT", arity: 0...Int.max, returnType: { _ in .json }) { args, types, result, rows, _ throws(HengeError) in
            guard args.count % 2 == 0 else { throw EvalErrors.function("JSON_OBJECT", "needs key and value pairs") }
            var b = ColumnBuilder(type: .json, capacity: rows)
            for r in 0..<rows {
                var members: [(String, JSONValue)] = []
                for k in stride(from: 0, to: args.count, by: 2) {
                    guard let key = args[k].value(at: r).stringValue else {
                        throw EvalErrors.function("JSON_OBJECT", "field name cannot be null")
                    }
                    var value = json(args[k + 1].value(at: r), types[k + 1]) ?? .null
                    if types[k + 1] == .boolean, case .int(let i) = value { value = .bool(i != 0) }
                    members.append((key, value))
                }
                members.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
                b.append(string: JSONValue.object(members).serialized)
            }
            return b.finish()
        },
        ScalarFunction("TO_JSON_STRING", arity: 1...1, returnType: { _ in .varchar }) { args, types, result, rows, _ throws(HengeError) in
            try evaluateDistinct(args, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                json(v[0], types[0]).map { .string($0.serialized) } ?? .null
            }
        },
        ScalarFunction("PARSE_JSON", arity: 1...1, returnType: { _ in .json }) { args, _, result, rows, _ throws(HengeError) in
            try evaluateDistinct(args, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                guard let text = v[0].stringValue else { return .null }
                guard let parsed = try? JSONValue.parse(text) else {
                    throw EvalErrors.function("PARSE_JSON", "Bad string input [\(text)] to [parse_json]")
                }
                return .string(parsed.serialized)
            }
        },
        ScalarFunction("TRY_PARSE_JSON", arity: 1...1, returnType: { _ in .json }) { args, _, result, rows, _ throws(HengeError) in
            try evaluateDistinct(args, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                guard let text = v[0].stringValue, let parsed = try? JSONValue.parse(text) else { return .null }
                return .string(parsed.serialized)
            }
        },
    ]

    /// Druid's JSON_PATHS: objects recurse by `.key`, everything else is a leaf.
    static func collectPaths(_ v: JSONValue, _ prefix: String, into out: inout [String]) {
        if case .object(let members) = v, !members.isEmpty {
            for (k, child) in members { collectPaths(child, prefix + "." + k, into: &out) }
        } else {
            out.append(prefix)
        }
    }
}
