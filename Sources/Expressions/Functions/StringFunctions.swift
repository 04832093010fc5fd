internal import DataModel
internal import Foundation

/// String functions with Druid's semantics (`Function.java`, the string
/// `ExprMacro`s and their SQL operator conversions). Lengths and positions
/// count UTF-16 code units, as Java does. Each runs once per distinct value
/// of a dictionary-encoded input (`evaluateDistinct`).
enum StringFunctions {
    /// A function of text arguments: non-string arguments are rendered as
    /// SQL text first (numbers as Java prints them, timestamps in
    /// `sqlTimeZone`); `f` receives `.null` for NULL and decides.
    static func text(_ name: String, _ arity: ClosedRange<Int>, _ type: SQLType,
                     _ f: @escaping @Sendable ([ScalarValue], EvalContext) throws(HengeError) -> ScalarValue) -> ScalarFunction {
        ScalarFunction(name, arity: arity, returnType: { _ in type }) { args, types, result, rows, ctx throws(HengeError) in
            let textArgs = args.enumerated().map { i, c in asText(c, types[i], ctx) }
            return try evaluateDistinct(textArgs, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                try f(v, ctx)
            }
        }
    }

    /// Renders a non-string column as text (numeric columns keep their
    /// values: functions read them with `longValue`).
    static func asText(_ c: ColumnVector, _ type: SQLType, _ ctx: EvalContext) -> ColumnVector {
        switch type {
        case .varchar, .null, .bigint, .double, .float, .varcharArray, .bigintArray, .doubleArray, .json, .pair: return c
        case .timestamp, .boolean:
            var b = ColumnBuilder(type: .string, capacity: c.count)
            for r in 0..<c.count {
                if let s = ScalarRendering.text(c.value(at: r), type: type, zone: ctx.timeZone) { b.append(string: s) } else { b.appendNull() }
            }
            return b.finish()
        }
    }

    /// A function NULL when any argument is NULL.
    static func strict(_ name: String, _ arity: ClosedRange<Int>, _ type: SQLType,
                       _ f: @escaping @Sendable ([ScalarValue], EvalContext) throws(HengeError) -> ScalarValue) -> ScalarFunction {
        text(name, arity, type) { (v: [ScalarValue], ctx: EvalContext) throws(HengeError) -> ScalarValue in
            v.contains(where: \.isNull) ? .null : try f(v, ctx)
        }
    }

    static func str(_ v: ScalarValue) -> String { v.stringValue ?? "" }

    static func int(_ v: ScalarValue) -> Int { Int(truncatingIfNeeded: v.longValue ?? 0) }

    static let all: [ScalarFunction] = [
        // CONCAT and || are NULL if any argument is NULL (SQL-compatible mode).
        strict("CONCAT", 1...Int.max, .varchar) { v, _ in .string(v.map(str).joined()) },
        strict("TEXTCAT", 2...2, .varchar) { v, _ in .string(str(v[0]) + str(v[1])) },
        strict("LOWER", 1...1, .varchar) { v, _ in .string(str(v[0]).lowercased()) },
        strict("UPPER", 1...1, .varchar) { v, _ in .string(str(v[0]).uppercased()) },
        // Length in UTF-16 code units (Java's String.length()).
        strict("LENGTH", 1...1, .bigint) { v, _ in .long(Int64(str(v[0]).utf16.count)) },
        strict("CHAR_LENGTH", 1...1, .bigint) { v, _ in .long(Int64(str(v[0]).utf16.count)) },
        strict("CHARACTER_LENGTH", 1...1, .bigint) { v, _ in .long(Int64(str(v[0]).utf16.count)) },
        strict("STRLEN", 1...1, .bigint) { v, _ in .long(Int64(str(v[0]).utf16.count)) },
        // StringBuilder.reverse(): code points reversed, surrogate pairs kept.
        strict("REVERSE", 1...1, .varchar) { v, _ in
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: str(v[0]).unicodeScalars.reversed())
            return .string(String(scalars))
        },
        strict("REPLACE", 3...3, .varchar) { v, _ in .string(javaReplace(str(v[0]), str(v[1]), str(v[2]))) },
        // SUBSTRING(s, start[, length]) → Druid's substring(s, start - 1, length or -1).
        strict("SUBSTRING", 2...3, .varchar) { v, _ throws(HengeError) in try substring(str(v[0]), int(v[1]) - 1, v.count > 2 ? int(v[2]) : -1) },
        strict("SUBSTR", 2...3, .varchar) { v, _ throws(HengeError) in try substring(str(v[0]), int(v[1]) - 1, v.count > 2 ? int(v[2]) : -1) },
        // STRPOS(haystack, needle) = indexOf + 1, 0 when absent.
        strict("STRPOS", 2...2, .bigint) { v, _ in .long(Int64(indexOf(str(v[1]), in: str(v[0]), from: 0) + 1)) },
        // POSITION(needle IN haystack [FROM start]) = indexOf(needle, start - 1) + 1.
        strict("POSITION", 2...3, .bigint) { v, _ in
            .long(Int64(indexOf(str(v[0]), in: str(v[1]), from: v.count > 2 ? int(v[2]) - 1 : 0) + 1))
        },
        trim("BTRIM", leading: true, trailing: true),
        trim("TRIM", leading: true, trailing: true),
        trim("LTRIM", leading: true, trailing: false),
        trim("RTRIM", leading: false, trailing: true),
        pad("LPAD", left: true),
        pad("RPAD", left: false),
        // LEFT/RIGHT refuse a negative count even for NULL input (StringLongFunction).
        text("LEFT", 2...2, .varchar) { v, _ throws(HengeError) in
            if let n = v[1].longValue, n < 0 { throw EvalErrors.function("left", "needs a postive integer as second argument") }
            if v[0].isNull || v[1].isNull { return .null }
            let s = str(v[0]), n = int(v[1])
            return .string(n < s.utf16.count ? utf16Slice(s, 0, n) : s)
        },
        text("RIGHT", 2...2, .varchar) { v, _ throws(HengeError) in
            if let n = v[1].longValue, n < 0 { throw EvalErrors.function("right", "needs a positive integer as the second argument") }
            if v[0].isNull || v[1].isNull { return .null }
            let s = str(v[0]), n = int(v[1])
            let len = s.utf16.count
            return .string(n < len ? utf16Slice(s, len - n, len) : s)
        },
        // REPEAT(s, n): n < 1 gives NULL (Druid's defaultStringValue in SQL-compatible mode).
        strict("REPEAT", 2...2, .varchar) { v, _ in
            let n = int(v[1])
            return n < 1 ? .null : .string(String(repeating: str(v[0]), count: n))
        },
        // CONTAINS_STRING / ICONTAINS_STRING: a NULL string contains nothing (false, not NULL).
        text("CONTAINS_STRING", 2...2, .boolean) { v, _ throws(HengeError) in
            guard case .string(let needle) = v[1] else { throw EvalErrors.function("contains_string", "substring must be a string literal") }
            if v[0].isNull { return .long(0) }
            return .long(needle.isEmpty || str(v[0]).contains(needle) ? 1 : 0)
        },
        text("ICONTAINS_STRING", 2...2, .boolean) { v, _ throws(HengeError) in
            guard case .string(let needle) = v[1] else { throw EvalErrors.function("icontains_string", "substring must be a string literal") }
            if v[0].isNull { return .long(0) }
            return .long(needle.isEmpty || str(v[0]).lowercased().contains(needle.lowercased()) ? 1 : 0)
        },
        // PARSE_LONG(s[, radix]): Java's Long.parseLong; NULL when it does not parse.
        text("PARSE_LONG", 1...2, .bigint) { v, _ in
            if v[0].isNull { return .null }
            let radix = v.count > 1 ? int(v[1]) : 10
            return parseLong(str(v[0]), radix: radix).map(ScalarValue.long) ?? .null
        },
        text("STRING_FORMAT", 1...Int.max, .varchar) { v, _ in
            if v[0].isNull { return .null }
            return .string(JavaFormatter.nonStrictFormat(str(v[0]), Array(v.dropFirst())))
        },
        // LIKE(value, pattern[, escape])
        strict("LIKE", 2...3, .boolean) { v, _ in
            let esc = v.count > 2 ? str(v[2]).first : nil
            return .long(LikeMatcher(pattern: str(v[1]), escape: esc).matches(str(v[0])) ? 1 : 0)
        },
    ] + RegexFunctions.all

    // MARK: Java string semantics

    /// The UTF-16 code units `[from, to)` of `s`.
    static func utf16Slice(_ s: String, _ from: Int, _ to: Int) -> String {
        let u = s.utf16
        let a = u.index(u.startIndex, offsetBy: from)
        let b = u.index(a, offsetBy: to - from)
        if let sub = String(u[a..<b]) { return sub }
        return String(decoding: Array(u[a..<b]), as: UTF16.self)
    }

    /// Java's `haystack.indexOf(needle, from)` in UTF-16 units (-1 when absent).
    static func indexOf(_ needle: String, in haystack: String, from: Int) -> Int {
        let h = Array(haystack.utf16), n = Array(needle.utf16)
        let start = max(0, from)
        if n.isEmpty { return min(start, h.count) }
        if n.count > h.count { return -1 }
        var i = start
        while i + n.count <= h.count {
            if h[i] == n[0] {
                var j = 1
                while j < n.count, h[i + j] == n[j] { j += 1 }
                if j == n.count { return i }
            }
            i += 1
        }
        return -1
    }

    /// Druid's `substring(s, index, length)` (0-based, length < 0 = to the end).
    /// A start past the end gives NULL; a negative start fails as Java's
    /// `String.substring` does.
    static func substring(_ s: String, _ index: Int, _ length: Int) throws(HengeError) -> ScalarValue {
        let len = s.utf16.count
        guard index < len else { return .null }
        guard index >= 0 else {
            throw HengeError(code: "defensive", category: .defensive, persona: .developer,
                             message: "Function[substring] encountered unknown exception.")
        }
        let end = length >= 0 ? min(index &+ length, len) : len
        return .string(utf16Slice(s, index, max(index, end)))
    }

    /// Java's `String.replace(target, replacement)`; an empty target inserts
    /// the replacement around every character.
    static func javaReplace(_ s: String, _ target: String, _ replacement: String) -> String {
        if target.isEmpty {
            let units = Array(s.utf16)
            let rep = Array(replacement.utf16)
            var out: [UInt16] = rep
            for u in units { out.append(u); out.append(contentsOf: rep) }
            return String(decoding: out, as: UTF16.self)
        }
        return s.replacingAll(target, with: replacement)
    }

    /// Java's `Long.parseLong(s, radix)`, after Druid strips `0x` for radix 16.
    static func parseLong(_ input: String, radix: Int) -> Int64? {
        guard (2...36).contains(radix) else { return nil }
        var s = Substring(input)
        if radix == 16, s.hasPrefix("0x") || s.hasPrefix("0X") { s = s.dropFirst(2) }
        var negative = false
        if let f = s.first, f == "-" || f == "+" {
            negative = f == "-"
            s = s.dropFirst()
        }
        guard !s.isEmpty else { return nil }
        var acc: Int64 = 0  // accumulated negatively, as Java does, to reach Long.MIN_VALUE
        let r = Int64(radix)
        for ch in s.unicodeScalars {
            let d: Int64
            switch ch.value {
            case 0x30...0x39: d = Int64(ch.value - 0x30)
            case 0x61...0x7A: d = Int64(ch.value - 0x61 + 10)
            case 0x41...0x5A: d = Int64(ch.value - 0x41 + 10)
            default: return nil
            }
            guard d < r else { return nil }
            let (m, o1) = acc.multipliedReportingOverflow(by: r)
            let (n, o2) = m.subtractingReportingOverflow(d)
            if o1 || o2 { return nil }
            acc = n
        }
        if negative { return acc }
        return acc == .min ? nil : -acc
    }

    /// BTRIM/LTRIM/RTRIM(s[, chars]): strips any of `chars` (default one
    /// space); NULL chars leave the string as it is (TrimExprMacro).
    static func trim(_ name: String, leading: Bool, trailing: Bool) -> ScalarFunction {
        text(name, 1...2, .varchar) { v, _ in
            if v[0].isNull { return .null }
            let chars: [UInt16]
            if v.count > 1 {
                if v[1].isNull { return v[0] }
                chars = Array(str(v[1]).utf16)
            } else {
                chars = [0x20]
            }
            let s = str(v[0])
            if chars.isEmpty { return .string(s) }
            let u = Array(s.utf16)
            var start = 0, end = u.count
            if leading { while start < end, chars.contains(u[start]) { start += 1 } }
            if trailing { while end > start, chars.contains(u[end - 1]) { end -= 1 } }
            if start == 0 && end == u.count { return .string(s) }
            return .string(String(decoding: u[start..<end], as: UTF16.self))
        }
    }

    /// LPAD/RPAD(s, length[, pad = ' ']): Druid's StringUtils.lpad/rpad. A
    /// length of 0 gives NULL, a negative one the empty string; an empty pad
    /// never pads but still truncates.
    static func pad(_ name: String, left: Bool) -> ScalarFunction {
        text(name, 2...3, .varchar) { v, _ in
            if v.contains(where: \.isNull) { return .null }
            let len = int(v[1])
            if len == 0 { return .null }
            if len < 0 { return .string("") }
            let base = Array(str(v[0]).utf16)
            let padding = v.count > 2 ? Array(str(v[2]).utf16) : [0x20]
            let gap = max(len - base.count, 0)
            if gap > 0 && padding.isEmpty { return v[0] }
            var data = [UInt16](repeating: 0, count: len)
            if left {
                var i = 0
                while i < gap {
                    for j in 0..<padding.count where j < gap - i { data[i + j] = padding[j] }
                    i += padding.count
                }
                for i in 0..<base.count where gap + i < len { data[gap + i] = base[i] }
            } else {
                var i = len - gap
                while i < len {
                    for j in 0..<padding.count where i + j < len { data[i + j] = padding[j] }
                    i += padding.count
                }
                for i in 0..<min(len, base.count) { data[i] = base[i] }
            }
            return .string(String(decoding: data, as: UTF16.self))
        }
    }
}

extension String {
    /// Replaces every occurrence of `target` (non-empty) with `replacement`.
    func replacingAll(_ target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        guard !target.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) {
                return i..<index(i, offsetBy: target.count)
            }
            i = index(after: i)
        }
        return nil
    }
}

/// SQL LIKE with `%`, `_` and an optional escape character.
package struct LikeMatcher: Sendable {
    enum Piece: Equatable { case literal(Character), one, any }
    let pieces: [Piece]

    package init(pattern: String, escape: Character?) {
        var p: [Piece] = []
        var escaping = false
        for c in pattern {
            if escaping { p.append(.literal(c)); escaping = false; continue }
            if let escape, c == escape { escaping = true; continue }
            switch c {
            case "%": if p.last != .any { p.append(.any) }
            case "_": p.append(.one)
            default: p.append(.literal(c))
            }
        }
        pieces = p
    }

    package func matches(_ s: String) -> Bool {
        let chars = Array(s)
        // Iterative wildcard matching with backtracking to the last `%`.
        var (si, pi) = (0, 0)
        var star = -1, mark = 0
        while si < chars.count {
            if pi < pieces.count, pieces[pi] == .one || pieces[pi] == .literal(chars[si]) {
                si += 1; pi += 1
            } else if pi < pieces.count, pieces[pi] == .any {
                star = pi; mark = si; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; si = mark
            } else {
                return false
            }
        }
        while pi < pieces.count, pieces[pi] == .any { pi += 1 }
        return pi == pieces.count
    }
}
