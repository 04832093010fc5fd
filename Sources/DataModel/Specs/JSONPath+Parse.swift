/// Parsing `flattenSpec` expressions: Jayway JsonPath and a jackson-jq subset.
extension JSONPath {
    /// Why an expression does not parse, worded as Jayway's
    /// `InvalidPathException` messages where Jayway has one.
    package struct ParseError: Error, Sendable {
        package var reason: String
    }

    /// The functions Druid documents for `json` flattenSpec paths.
    package static let supportedFunctions = ["min", "max", "avg", "stddev", "length", "sum", "concat", "append"]

    /// Compiles a JsonPath as Jayway does: an expression not starting with
    /// `$` or `@` is read as `$.` followed by it; positions in messages are
    /// 0-based in that form. Filters (`[?(...)]`) are refused.
    package static func parseJsonPath(_ text: String) throws(ParseError) -> JSONPath {
        var expr = text.trimmingSpaces
        if !(expr.hasPrefix("$") || expr.hasPrefix("@")) { expr = "$." + expr }
        var p = Cursor(Array(expr))
        if p.chars.last == "." { throw ParseError(reason: "Path must not end with a '.' or '..'") }
        p.i = 1
        var path = JSONPath(dialect: .jsonPath, steps: [])
        if p.atEnd { return path }
        guard p.peek == "." || p.peek == "[" else {
            throw ParseError(reason: "Illegal character at position \(p.i) expected '.' or '['")
        }
        while !p.atEnd {
            if path.function != nil {
                throw ParseError(reason: "Could not parse token starting at position \(p.i): a function must end the path")
            }
            var deep = false
            if p.peek == "." {
                p.i += 1
                if p.peek == "." {
                    deep = true
                    p.i += 1
                }
                if p.peek == "." { throw ParseError(reason: "Character '.' on position \(p.i) is not valid.") }
                if p.atEnd { throw ParseError(reason: "Path must not end with a '.' or '..'") }
                if p.peek == "*" {
                    p.i += 1
                    path.steps.append(Step(.wildcard, deep: deep))
                    continue
                }
                if p.peek != "[" {
                    let start = p.i
                    while !p.atEnd, let c = p.peek, c != ".", c != "[", c != "(" {
                        if c == " " {
                            throw ParseError(
                                reason: "Use bracket notion ['my prop'] if your property contains blank characters. position: \(p.i)")
                        }
                        p.i += 1
                    }
                    let name = String(p.chars[start..<p.i])
                    if name.isEmpty { throw ParseError(reason: "Could not parse token starting at position \(start)") }
                    if p.peek == "(" {
                        if deep { throw ParseError(reason: "Function [\(name)()] cannot follow a deep scan ('..')") }
                        path.function = try parseFunction(name, &p)
                    } else {
                        path.steps.append(Step(.member(name), deep: deep))
                    }
                    continue
                }
            }
            guard p.peek == "[" else { throw ParseError(reason: "Could not parse token starting at position \(p.i)") }
            path.steps.append(Step(try parseBracket(&p, jq: false), deep: deep))
        }
        return path
    }

    /// Compiles the jq forms Henge reads: `.`, `.name`, `."name"`,
    /// `.["name"]`, `.[n]`, `.[]` and `.[m:n]`, chained (`.a.b[0]`).
    package static func parseJq(_ text: String) throws(ParseError) -> JSONPath {
        var p = Cursor(Array(text.trimmingSpaces))
        guard p.peek == "." else { throw ParseError(reason: "a jq expression must start with '.'") }
        var path = JSONPath(dialect: .jq, steps: [])
        while !p.atEnd {
            if p.peek == "." {
                p.i += 1
                if p.atEnd && path.steps.isEmpty { break }  // `.` alone: the whole record
                if p.peek == "." { throw unsupportedJq(p) }
                if p.peek == "\"" {
                    path.steps.append(Step(.member(try quoted(&p))))
                    continue
                }
                if p.peek == "[" { continue }
                let start = p.i
                while let c = p.peek, c.isLetter || c.isNumber || c == "_" || c == "$" { p.i += 1 }
                guard p.i > start else { throw unsupportedJq(p) }
                path.steps.append(Step(.member(String(p.chars[start..<p.i]))))
            } else if p.peek == "[" {
                path.steps.append(Step(try parseBracket(&p, jq: true)))
            } else {
                throw unsupportedJq(p)
            }
        }
        return path
    }

    private static func unsupportedJq(_ p: Cursor) -> ParseError {
        ParseError(reason: "unsupported jq syntax at position \(p.i); Henge reads .name, .\"name\", .[\"name\"], .[n], .[] and .[m:n]")
    }

    /// A `[...]` selector: `*`, quoted names, indexes or a slice; jq also `[]`.
    private static func parseBracket(_ p: inout Cursor, jq: Bool) throws(ParseError) -> Selector {
        let open = p.i
        p.i += 1
        p.skipSpaces()
        let expected = ParseError(reason: "Could not parse token starting at position \(open). Expected ?, ', 0-9, * ")
        let selector: Selector
        switch p.peek {
        case "]"?:
            guard jq else { throw expected }
            selector = .wildcard
        case "*"? where !jq:
            p.i += 1
            selector = .wildcard
        case "?"?:
            throw ParseError(reason: "filter expressions ([?(...)]) are not supported by Henge")
        case "'"?, "\""?:
            var names: [String] = []
            while true {
                if jq && p.peek != "\"" { throw expected }
                names.append(try quoted(&p))
                p.skipSpaces()
                guard p.peek == "," else { break }
                p.i += 1
                p.skipSpaces()
            }
            if jq && names.count > 1 { throw unsupportedJq(p) }
            selector = names.count == 1 ? .member(names[0]) : .members(names)
        case let c? where c.isNumber || c == "-" || c == ":":
            let start = p.i
            while let c = p.peek, c != "]" { p.i += 1 }
            let body = String(p.chars[start..<p.i]).filter { $0 != " " }
            if body.contains(":") {
                let bounds = body.split(separator: ":", omittingEmptySubsequences: false)
                guard bounds.count == 2 else { throw ParseError(reason: "Invalid array slice [\(body)]: expected [from:to]") }
                let from = bounds[0].isEmpty ? nil : Int(bounds[0])
                let to = bounds[1].isEmpty ? nil : Int(bounds[1])
                guard bounds[0].isEmpty || from != nil, bounds[1].isEmpty || to != nil else {
                    throw ParseError(reason: "Invalid array slice [\(body)]: bounds must be integers")
                }
                selector = .slice(from: from, to: to)
            } else {
                var indexes: [Int] = []
                for part in body.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let n = Int(part) else { throw ParseError(reason: "Invalid array index [\(body)]: expected integers") }
                    indexes.append(n)
                }
                if jq && indexes.count > 1 { throw unsupportedJq(p) }
                selector = indexes.count == 1 ? .index(indexes[0]) : .indexes(indexes)
            }
        default:
            throw expected
        }
        p.skipSpaces()
        guard p.peek == "]" else { throw ParseError(reason: "Property has not been closed - missing closing ] at position \(p.i)") }
        p.i += 1
        return selector
    }

    /// A quoted name starting at the quote; `\` escapes the next character.
    private static func quoted(_ p: inout Cursor) throws(ParseError) -> String {
        let quote = p.peek!
        let open = p.i
        p.i += 1
        var name = ""
        while let c = p.peek, c != quote {
            if c == "\\", p.i + 1 < p.chars.count {
                p.i += 1
            }
            name.append(p.chars[p.i])
            p.i += 1
        }
        guard p.peek == quote else { throw ParseError(reason: "Property has not been closed - missing closing \(quote) from position \(open)") }
        p.i += 1
        return name
    }

    /// `name(args)` at the end of a JsonPath; `p` is at the `(`.
    private static func parseFunction(_ name: String, _ p: inout Cursor) throws(ParseError) -> Function {
        var depth = 0
        var inQuote = false
        var start = p.i + 1
        var arguments: [String] = []
        while !p.atEnd {
            let c = p.chars[p.i]
            if inQuote {
                if c == "\\" { p.i += 1 } else if c == "\"" { inQuote = false }
            } else if c == "\"" {
                inQuote = true
            } else if c == "(" || c == "[" || c == "{" {
                depth += 1
            } else if c == ")" || c == "]" || c == "}" {
                depth -= 1
                if depth == 0 {
                    arguments.append(String(p.chars[start..<p.i]))
                    p.i += 1
                    break
                }
            } else if c == "," && depth == 1 {
                arguments.append(String(p.chars[start..<p.i]))
                start = p.i + 1
            }
            p.i += 1
        }
        guard depth == 0 else { throw ParseError(reason: "Arguments to function: '\(name)' are not closed properly.") }
        arguments = arguments.map(\.trimmingSpaces)
        if arguments == [""] { arguments = [] }
        switch name {
        case "length", "min", "max", "avg", "stddev", "sum":
            guard arguments.isEmpty else { throw ParseError(reason: "function [\(name)()] takes no arguments in Henge") }
            switch name {
            case "length": return .length
            case "min": return .min
            case "max": return .max
            case "avg": return .avg
            case "stddev": return .stddev
            default: return .sum
            }
        case "concat", "append":
            var parsed: [Argument] = []
            for text in arguments {
                if text.hasPrefix("$") || text.hasPrefix("@") {
                    parsed.append(.path(try parseJsonPath(text)))
                } else if let value = try? JSONValue.parse(text) {
                    parsed.append(.literal(value))
                } else {
                    throw ParseError(reason: "argument [\(text)] of function [\(name)()] is neither JSON (such as \"-\" or 1) nor a path starting with $")
                }
            }
            return name == "concat" ? .concat(parsed) : .append(parsed)
        case "keys":
            throw ParseError(reason: "function [keys()] is not supported for the json format (docs/ingestion/data-formats.md#flattenspec)")
        default:
            throw ParseError(reason: "Function with name: \(name) does not exist. Supported functions are [\(supportedFunctions.joined(separator: ", "))]")
        }
    }

    /// A read position in an expression.
    private struct Cursor {
        let chars: [Character]
        var i = 0

        init(_ chars: [Character]) { self.chars = chars }

        var atEnd: Bool { i >= chars.count }
        var peek: Character? { i < chars.count ? chars[i] : nil }

        mutating func skipSpaces() {
            while let c = peek, c == " " { i += 1 }
        }
    }
}
