/// A compiled `flattenSpec` expression: a Jayway JsonPath (`path` fields),
/// a jackson-jq expression (`jq` fields) or a list of member names (`tree`
/// and `root` fields), evaluated against one parsed record.
///
/// JsonPath follows Jayway as Druid configures it (`SUPPRESS_EXCEPTIONS`):
/// a *definite* path (only single names and indexes) yields one value or
/// nothing; a path with a wildcard (`.*`, `[*]`), deep scan (`..name`),
/// index or name union (`[0,2]`, `['a','b']` not at the end) or slice
/// (`[1:3]`) yields the array of every match (missing ones are skipped), which
/// a STRING column reads as a multi-value string. A trailing function
/// (`length()`, `min()`, `max()`, `avg()`, `stddev()`, `sum()`,
/// `concat(...)`, `append(...)`, the set Druid documents for `json`) is
/// applied to that result. jq takes Druid's first output of the expression
/// (`JsonQuery.apply(node).get(0)`), so `.tags[]` is the first tag.
package struct JSONPath: Hashable, Sendable {
    /// What one step selects from the current value.
    package enum Selector: Hashable, Sendable {
        /// `.name`, `['name']`: an object member.
        case member(String)
        /// `['a','b']`: several members (merged into one object at the end of
        /// a JsonPath, as Jayway does; iterated elsewhere).
        case members([String])
        /// `[n]`, negative from the end.
        case index(Int)
        /// `[0,2]`: several elements.
        case indexes([Int])
        /// `[from:to]` (either bound optional, negative from the end).
        case slice(from: Int?, to: Int?)
        /// `.*`, `[*]`, jq `.[]`: every element or member value.
        case wildcard
    }

    /// One step: a selector, applied to the current values or, for a deep
    /// scan (`..`), to them and every value nested in them.
    package struct Step: Hashable, Sendable {
        package var selector: Selector
        package var deep = false

        package init(_ selector: Selector, deep: Bool = false) {
            self.selector = selector
            self.deep = deep
        }
    }

    /// The expression languages of `flattenSpec`.
    package enum Dialect: String, Hashable, Sendable {
        case jsonPath, jq, tree
    }

    /// A trailing Jayway function.
    package enum Function: Hashable, Sendable {
        case length, min, max, avg, stddev, sum
        case concat([Argument])
        case append([Argument])
    }

    /// A function argument: a JSON literal or a path from the record's root.
    package indirect enum Argument: Hashable, Sendable {
        case literal(JSONValue)
        case path(JSONPath)

        /// Literals compare and hash by their JSON text.
        package static func == (a: Argument, b: Argument) -> Bool {
            switch (a, b) {
            case (.literal(let x), .literal(let y)): x.serialized == y.serialized
            case (.path(let x), .path(let y)): x == y
            default: false
            }
        }

        package func hash(into hasher: inout Hasher) {
            switch self {
            case .literal(let v): hasher.combine(0); hasher.combine(v.serialized)
            case .path(let p): hasher.combine(1); hasher.combine(p)
            }
        }
    }

    package var dialect: Dialect
    package var steps: [Step]
    package var function: Function?

    package init(dialect: Dialect, steps: [Step], function: Function? = nil) {
        self.dialect = dialect
        self.steps = steps
        self.function = function
    }

    /// Member names from the root, one per level (`tree` and `root` fields).
    package static func members(_ names: [String]) -> JSONPath {
        JSONPath(dialect: .tree, steps: names.map { Step(.member($0)) })
    }

    /// Whether the path yields at most one value (Jayway's "definite" path).
    package var isDefinite: Bool {
        for (i, step) in steps.enumerated() {
            if step.deep { return false }
            switch step.selector {
            case .member, .index: continue
            case .members: if i != steps.count - 1 || dialect == .jq { return false }
            case .indexes, .slice, .wildcard: return false
            }
        }
        return true
    }
}

extension JSONPath {
    /// The value at this path in `root`, or nil when there is none.
    package func evaluate(_ root: JSONValue) -> JSONValue? {
        var current = [root]
        for (i, step) in steps.enumerated() {
            let leaf = i == steps.count - 1
            var next: [JSONValue] = []
            for value in current {
                if step.deep {
                    scan(step.selector, value, leaf: leaf, into: &next)
                } else {
                    select(step.selector, value, leaf: leaf, into: &next)
                }
            }
            current = next
        }
        let result: JSONValue?
        switch dialect {
        case .jq: result = current.first
        case .tree: result = current.first
        case .jsonPath: result = isDefinite ? current.first : .array(current)
        }
        guard let function else { return result }
        return apply(function, to: result, root: root)
    }

    /// Applies `selector` to `value`, appending the matches.
    private func select(_ selector: Selector, _ value: JSONValue, leaf: Bool, into out: inout [JSONValue]) {
        switch selector {
        case .member(let name):
            if let v = value[name] { out.append(v) }
        case .members(let names):
            guard let members = value.objectValue else { return }
            if leaf && dialect == .jsonPath {
                // Jayway merges a multi-property leaf into one object of the present members.
                out.append(.object(names.compactMap { n in members.first { $0.0 == n }.map { (n, $0.1) } }))
            } else {
                for n in names { if let v = value[n] { out.append(v) } }
            }
        case .index(let n):
            guard let items = value.arrayValue else { return }
            let k = n < 0 ? items.count + n : n
            if k >= 0 && k < items.count { out.append(items[k]) }
        case .indexes(let ns):
            guard let items = value.arrayValue else { return }
            for n in ns {
                let k = n < 0 ? items.count + n : n
                if k >= 0 && k < items.count { out.append(items[k]) }
            }
        case .slice(let from, let to):
            guard let items = value.arrayValue else { return }
            let count = items.count
            let lo = from.map { $0 < 0 ? Swift.max(0, count + $0) : Swift.min($0, count) } ?? 0
            let hi = to.map { $0 < 0 ? Swift.max(0, count + $0) : Swift.min($0, count) } ?? count
            let part = lo < hi ? Array(items[lo..<hi]) : []
            // A jq slice is one array value; a JsonPath slice spreads its elements.
            if dialect == .jq { out.append(.array(part)) } else { out.append(contentsOf: part) }
        case .wildcard:
            if let items = value.arrayValue {
                out.append(contentsOf: items)
            } else if let members = value.objectValue {
                out.append(contentsOf: members.map(\.1))
            }
        }
    }

    /// A deep scan: the selector applied to `value` and then to every value
    /// nested in it, depth first in document order (Jayway's `ScanPathToken`).
    private func scan(_ selector: Selector, _ value: JSONValue, leaf: Bool, into out: inout [JSONValue]) {
        switch value {
        case .object(let members):
            select(selector, value, leaf: false, into: &out)
            for (_, child) in members { scan(selector, child, leaf: leaf, into: &out) }
        case .array(let items):
            select(selector, value, leaf: false, into: &out)
            for child in items { scan(selector, child, leaf: leaf, into: &out) }
        default:
            break
        }
    }

    /// Jayway's function semantics on the path's result (nil: no value).
    private func apply(_ function: Function, to input: JSONValue?, root: JSONValue) -> JSONValue? {
        switch function {
        case .length:
            if let items = input?.arrayValue { return .int(Int64(items.count)) }
            if let members = input?.objectValue { return .int(Int64(members.count)) }
            return nil
        case .min, .max, .avg, .stddev, .sum:
            // Only number elements count; no numbers at all is no value.
            let numbers = (input?.arrayValue ?? []).compactMap { v -> Double? in
                switch v {
                case .int(let i): Double(i)
                case .double(let d): d
                default: nil
                }
            }
            guard !numbers.isEmpty else { return nil }
            let count = Double(numbers.count)
            let sum = numbers.reduce(0, +)
            switch function {
            case .min: return .double(numbers.min()!)
            case .max: return .double(numbers.max()!)
            case .sum: return .double(sum)
            case .avg: return .double(sum / count)
            default:
                let squares = numbers.reduce(0) { $0 + $1 * $1 }
                return .double((squares / count - sum * sum / count / count).squareRoot())
            }
        case .concat(let arguments):
            // String elements of an array input, then each argument's text.
            var text = ""
            for v in input?.arrayValue ?? [] { if case .string(let s) = v { text += s } }
            for argument in arguments {
                for v in values(of: argument, root: root) {
                    switch v {
                    case .string(let s): text += s
                    case .null: continue
                    case .array(let items): for case .string(let s) in items { text += s }
                    default: text += v.serialized
                    }
                }
            }
            return .string(text)
        case .append(let arguments):
            guard case .array(var items)? = input else { return input }
            for argument in arguments { items.append(contentsOf: values(of: argument, root: root)) }
            return .array(items)
        }
    }

    private func values(of argument: Argument, root: JSONValue) -> [JSONValue] {
        switch argument {
        case .literal(let v): return [v]
        case .path(let p): return p.evaluate(root).map { [$0] } ?? []
        }
    }
}
