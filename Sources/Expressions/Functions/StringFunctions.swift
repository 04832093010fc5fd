internal import DataModel

/// String functions. NULL in gives NULL out unless noted.
enum StringFunctions {
    static func strict(_ name: String, _ arity: ClosedRange<Int>, _ type: SQLType,
                       _ f: @escaping @Sendable ([ScalarValue]) -> ScalarValue) -> ScalarFunction {
        ScalarFunction(name, arity: arity, returnType: { _ in type }) { args, types, result, rows, _ throws(HengeError) in
            // Render non-string arguments as text first.
            let textArgs = args.enumerated().map { i, c in
                types[i] == .varchar || types[i] == .null || type != .varchar && i > 0 ? c : ColumnVector(.string(c.strings(type: types[i])), nulls: c.nulls)
            }
            return try mapRowsStrict(textArgs, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in f(v) }
        }
    }

    static let all: [ScalarFunction] = [
        // CONCAT and || are NULL if any argument is NULL (SQL-compatible mode).
        strict("CONCAT", 1...Int.max, .varchar) { .string($0.map { $0.stringValue ?? "" }.joined()) },
        strict("LOWER", 1...1, .varchar) { .string($0[0].stringValue!.lowercased()) },
        strict("UPPER", 1...1, .varchar) { .string($0[0].stringValue!.uppercased()) },
        strict("LENGTH", 1...1, .bigint) { .long(Int64($0[0].stringValue!.utf16.count)) },
        strict("CHAR_LENGTH", 1...1, .bigint) { .long(Int64($0[0].stringValue!.utf16.count)) },
        strict("CHARACTER_LENGTH", 1...1, .bigint) { .long(Int64($0[0].stringValue!.utf16.count)) },
        strict("REVERSE", 1...1, .varchar) { .string(String($0[0].stringValue!.reversed())) },
        strict("REPLACE", 3...3, .varchar) { v in
            let s = v[0].stringValue!, from = v[1].stringValue!, to = v[2].stringValue!
            return .string(from.isEmpty ? s : s.replacingAll(from, with: to))
        },
        strict("SUBSTRING", 2...3, .varchar) { v in
            let chars = Array(v[0].stringValue!)
            let start = Int(v[1].longValue ?? 1)
            var from = start > 0 ? start - 1 : 0
            var len = v.count > 2 ? Int(v[2].longValue ?? 0) : chars.count
            if start <= 0 && v.count > 2 { len += start - 1 }
            from = min(from, chars.count)
            len = max(0, min(len, chars.count - from))
            return .string(String(chars[from..<from + len]))
        },
        strict("STRPOS", 2...2, .bigint) { v in .long(position(v[1].stringValue!, in: v[0].stringValue!)) },
        strict("POSITION", 2...3, .bigint) { v in .long(position(v[0].stringValue!, in: v[1].stringValue!)) },
        strict("BTRIM", 1...2, .varchar) { v in .string(trim(v[0].stringValue!, v.count > 1 ? v[1].stringValue! : " ", leading: true, trailing: true)) },
        strict("LTRIM", 1...2, .varchar) { v in .string(trim(v[0].stringValue!, v.count > 1 ? v[1].stringValue! : " ", leading: true, trailing: false)) },
        strict("RTRIM", 1...2, .varchar) { v in .string(trim(v[0].stringValue!, v.count > 1 ? v[1].stringValue! : " ", leading: false, trailing: true)) },
        // LIKE(value, pattern[, escape])
        strict("LIKE", 2...3, .boolean) { v in
            let esc = v.count > 2 ? v[2].stringValue!.first : nil
            return .long(LikeMatcher(pattern: v[1].stringValue!, escape: esc).matches(v[0].stringValue!) ? 1 : 0)
        },
    ]

    /// 1-based position of `needle` in `hay` (in characters), 0 if absent.
    static func position(_ needle: String, in hay: String) -> Int64 {
        if needle.isEmpty { return 1 }
        guard let r = hay.range(of: needle) else { return 0 }
        return Int64(hay.distance(from: hay.startIndex, to: r.lowerBound) + 1)
    }

    static func trim(_ s: String, _ chars: String, leading: Bool, trailing: Bool) -> String {
        let set = Set(chars)
        var sub = Substring(s)
        if leading { while let f = sub.first, set.contains(f) { sub.removeFirst() } }
        if trailing { while let l = sub.last, set.contains(l) { sub.removeLast() } }
        return String(sub)
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
        guard !target.isEmpty, count >= target.count else { return nil }
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

extension String {
    func range(of target: String) -> Range<String.Index>? {
        Substring(self).range(of: target)
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
