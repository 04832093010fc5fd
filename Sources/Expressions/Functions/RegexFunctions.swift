internal import DataModel
internal import Foundation

/// REGEXP_EXTRACT, REGEXP_LIKE, REGEXP_REPLACE with Java regex semantics
/// (`find()` anywhere in the string unless anchored), on ICU's engine
/// (`NSRegularExpression`), whose syntax and UTF-16 indexing match
/// `java.util.regex` for the patterns Druid users write.
enum RegexFunctions {
    /// Compiled patterns of one kernel call (patterns are literals in Druid,
    /// so this usually holds one entry).
    final class Cache {
        var patterns: [String: NSRegularExpression] = [:]

        func regex(_ pattern: String, function: String) throws(HengeError) -> NSRegularExpression {
            if let r = patterns[pattern] { return r }
            do {
                // ICU refuses an empty pattern; Java's matches the empty string.
                let r = try NSRegularExpression(pattern: pattern.isEmpty ? "(?:)" : pattern, options: [])
                patterns[pattern] = r
                return r
            } catch {
                throw HengeError.invalidInput("Function[\(function)] invalid regular expression [\(pattern)]")
            }
        }
    }

    static func kernel(_ name: String, _ arity: ClosedRange<Int>, _ type: SQLType,
                       _ f: @escaping @Sendable ([ScalarValue], Cache) throws(HengeError) -> ScalarValue) -> ScalarFunction {
        ScalarFunction(name, arity: arity, returnType: { _ in type }) { args, types, result, rows, ctx throws(HengeError) in
            let cache = Cache()
            let textArgs = args.enumerated().map { i, c in StringFunctions.asText(c, types[i], ctx) }
            return try evaluateDistinct(textArgs, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                try f(v, cache)
            }
        }
    }

    static func pattern(_ v: ScalarValue, _ function: String) throws(HengeError) -> String {
        guard case .string(let p) = v else { throw EvalErrors.function(function, "pattern must be a STRING literal") }
        return p
    }

    static let all: [ScalarFunction] = [
        // REGEXP_EXTRACT(s, pattern[, index]): the first match's group, NULL when none.
        kernel("REGEXP_EXTRACT", 2...3, .varchar) { v, cache throws(HengeError) in
            let p = try pattern(v[1], "regexp_extract")
            let index: Int
            if v.count > 2 {
                guard let i = v[2].longValue else { throw EvalErrors.function("regexp_extract", "index must be a numeric literal") }
                index = Int(i)
            } else {
                index = 0
            }
            let re = try cache.regex(p, function: "regexp_extract")
            guard case .string(let s) = v[0] else { return .null }
            let ns = s as NSString
            guard let m = re.firstMatch(in: s, options: [], range: NSRange(location: 0, length: ns.length)) else { return .null }
            guard index >= 0, index < m.numberOfRanges else { throw EvalErrors.runtime("No group \(index)") }
            let r = m.range(at: index)
            if r.location == NSNotFound { return .null }
            return .string(ns.substring(with: r))
        },
        // REGEXP_LIKE(s, pattern): a NULL string matches nothing (false).
        kernel("REGEXP_LIKE", 2...2, .boolean) { v, cache throws(HengeError) in
            let p = try pattern(v[1], "regexp_like")
            let re = try cache.regex(p, function: "regexp_like")
            guard case .string(let s) = v[0] else { return .long(0) }
            let n = (s as NSString).length
            return .long(re.firstMatch(in: s, options: [], range: NSRange(location: 0, length: n)) != nil ? 1 : 0)
        },
        // REGEXP_REPLACE(s, pattern, replacement): Matcher.replaceAll ($1 refers to groups).
        kernel("REGEXP_REPLACE", 3...3, .varchar) { v, cache throws(HengeError) in
            let p = try pattern(v[1], "regexp_replace")
            guard case .string(let replacement) = v[2] else { return .null }
            let re = try cache.regex(p, function: "regexp_replace")
            guard case .string(let s) = v[0] else { return .null }
            let n = (s as NSString).length
            return .string(re.stringByReplacingMatches(in: s, options: [], range: NSRange(location: 0, length: n), withTemplate: replacement))
        },
    ]
}

/// Checks regular expressions when a statement is bound (Druid validates
/// literal patterns before running the query).
package enum RegexValidation {
    /// Whether TIME_IN_INTERVAL's text is an interval it accepts (start/end,
    /// start/period or period/end).
    package static func isValidInterval(_ text: String) -> Bool {
        TimeFunctions.parseInterval(text, zone: .utc) != nil
    }

    package static func isValid(_ pattern: String) -> Bool {
        pattern.isEmpty || (try? NSRegularExpression(pattern: pattern, options: [])) != nil
    }
}
