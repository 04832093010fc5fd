internal import DataModel
internal import Foundation

/// Druid's multi-value string functions (`sql-multivalue-string-functions.md`).
/// ARRAY arguments reach them converted by `ARRAY_TO_MV` (the binder wraps
/// them, `FunctionRegistry.bind`). Every argument is read as a list of
/// values per row: a multi-value row as is, a single value as a one-element
/// list, NULL as no list at all (the functions then return NULL, as Druid's
/// array functions do in SQL-compatible mode).
enum MultiValueFunctions {
    /// The row's values, or nil for NULL.
    static func list(_ c: ColumnVector, _ row: Int) -> [String]? {
        c.isNull(row) ? nil : c.stringValues(at: row)
    }

    /// A function over per-row lists producing a BIGINT/BOOLEAN (`.long`) or NULL.
    static func scalar(_ name: String, _ arity: ClosedRange<Int>, _ type: SQLType,
                       _ f: @escaping @Sendable ([ColumnVector], Int) throws(HengeError) -> ScalarValue) -> ScalarFunction {
        ScalarFunction(name, arity: arity, returnType: { _ in type }) { args, _, result, rows, _ throws(HengeError) in
            var b = ColumnBuilder(type: result.nativeType, capacity: rows)
            for r in 0..<rows { b.append(try f(args, r)) }
            return b.finish()
        }
    }

    /// A function producing a list per row (nil or empty = NULL).
    static func multi(_ name: String, _ arity: ClosedRange<Int>,
                      _ f: @escaping @Sendable ([ColumnVector], Int) throws(HengeError) -> [String]?) -> ScalarFunction {
        ScalarFunction(name, arity: arity, returnType: { _ in .varchar }) { args, _, _, rows, _ throws(HengeError) in
            var lists: [[String]?] = []
            lists.reserveCapacity(rows)
            for r in 0..<rows { lists.append(try f(args, r)) }
            return MultiStringColumn.build(lists)
        }
    }

    static func index(_ c: ColumnVector, _ row: Int) -> Int? {
        c.isNull(row) ? nil : c.value(at: row).longValue.map { Int(truncatingIfNeeded: $0) }
    }

    static let all: [ScalarFunction] = [
        scalar("MV_LENGTH", 1...1, .bigint) { args, r in list(args[0], r).map { .long(Int64($0.count)) } ?? .null },
        scalar("MV_CONTAINS", 2...2, .boolean) { args, r in
            guard let haystack = list(args[0], r), let needles = list(args[1], r) else { return .null }
            return .long(needles.allSatisfy(haystack.contains) ? 1 : 0)
        },
        scalar("MV_OVERLAP", 2...2, .boolean) { args, r in
            guard let a = list(args[0], r), let b = list(args[1], r) else { return .null }
            return .long(a.contains(where: b.contains) ? 1 : 0)
        },
        scalar("MV_OFFSET_OF", 2...2, .bigint) { args, r in
            guard let a = list(args[0], r), let v = list(args[1], r)?.first, let i = a.firstIndex(of: v) else { return .null }
            return .long(Int64(i))
        },
        scalar("MV_ORDINAL_OF", 2...2, .bigint) { args, r in
            guard let a = list(args[0], r), let v = list(args[1], r)?.first, let i = a.firstIndex(of: v) else { return .null }
            return .long(Int64(i + 1))
        },
        ScalarFunction("MV_OFFSET", arity: 2...2, returnType: { _ in .varchar }) { args, _, _, rows, _ throws(HengeError) in
            element(args, rows, base: 0)
        },
        ScalarFunction("MV_ORDINAL", arity: 2...2, returnType: { _ in .varchar }) { args, _, _, rows, _ throws(HengeError) in
            element(args, rows, base: 1)
        },
        ScalarFunction("MV_TO_STRING", arity: 2...2, returnType: { _ in .varchar }) { args, _, _, rows, _ throws(HengeError) in
            var b = ColumnBuilder(type: .string, capacity: rows)
            for r in 0..<rows {
                if let a = list(args[0], r), let d = list(args[1], r)?.first { b.append(string: a.joined(separator: d)) } else { b.appendNull() }
            }
            return b.finish()
        },
        ScalarFunction("STRING_TO_MV", arity: 2...2, returnType: { _ in .varchar }) { args, _, _, rows, _ throws(HengeError) in
            var cache: [String: NSRegularExpression] = [:]
            var lists: [[String]?] = []
            lists.reserveCapacity(rows)
            for r in 0..<rows {
                guard let s = list(args[0], r)?.first, let pattern = list(args[1], r)?.first else { lists.append(nil); continue }
                let regex: NSRegularExpression
                if let known = cache[pattern] { regex = known } else {
                    do { regex = try NSRegularExpression(pattern: pattern.isEmpty ? "(?:)" : pattern) } catch {
                        throw EvalErrors.function("STRING_TO_MV", "invalid regular expression [\(pattern)]")
                    }
                    cache[pattern] = regex
                }
                lists.append(javaSplit(s, regex))
            }
            return MultiStringColumn.build(lists)
        },
        multi("MV_FILTER_ONLY", 2...2) { args, r in
            guard let a = list(args[0], r) else { return nil }
            let keep = Set(list(args[1], r) ?? [])
            let kept = a.filter(keep.contains)
            return kept.isEmpty ? nil : kept  // a multi-value result with no values is NULL
        },
        multi("MV_FILTER_NONE", 2...2) { args, r in
            guard let a = list(args[0], r) else { return nil }
            let drop = Set(list(args[1], r) ?? [])
            let kept = a.filter { !drop.contains($0) }
            return kept.isEmpty ? nil : kept
        },
        multi("MV_APPEND", 2...2) { args, r in
            guard let a = list(args[0], r) else { return nil }
            return a + (list(args[1], r) ?? [])
        },
        multi("MV_PREPEND", 2...2) { args, r in
            guard let a = list(args[1], r) else { return nil }
            return (list(args[0], r) ?? []) + a
        },
        multi("MV_CONCAT", 2...2) { args, r in
            guard let a = list(args[0], r), let b = list(args[1], r) else { return nil }
            return a + b
        },
        multi("MV_SLICE", 2...3) { args, r in
            guard let a = list(args[0], r), let start = index(args[1], r) else { return nil }
            let end = args.count > 2 ? (index(args[2], r) ?? a.count) : a.count
            guard start >= 0, start <= a.count, end >= start else { return nil }
            return Array(a[start..<min(end, a.count)])
        },
    ]

    /// MV_OFFSET / MV_ORDINAL: the value at a 0- or 1-based position, NULL outside.
    private static func element(_ args: [ColumnVector], _ rows: Int, base: Int) -> ColumnVector {
        var b = ColumnBuilder(type: .string, capacity: rows)
        for r in 0..<rows {
            if let a = list(args[0], r), let i = index(args[1], r).map({ $0 - base }), i >= 0, i < a.count {
                b.append(string: a[i])
            } else {
                b.appendNull()
            }
        }
        return b.finish()
    }

    /// Java's `String.split(regex)`: trailing empty strings removed, a
    /// zero-width match at the start yields no leading empty string, no
    /// match yields the whole string.
    static func javaSplit(_ s: String, _ regex: NSRegularExpression) -> [String] {
        let ns = s as NSString
        var parts: [String] = []
        var start = 0
        for m in regex.matches(in: s, range: NSRange(location: 0, length: ns.length)) {
            if m.range.location == 0 && m.range.length == 0 { continue }
            if m.range.length == 0 && m.range.location >= ns.length { continue }
            parts.append(ns.substring(with: NSRange(location: start, length: m.range.location - start)))
            start = m.range.location + m.range.length
        }
        if parts.isEmpty { return [s] }
        parts.append(ns.substring(from: start))
        while let last = parts.last, last.isEmpty { parts.removeLast() }
        return parts
    }
}
