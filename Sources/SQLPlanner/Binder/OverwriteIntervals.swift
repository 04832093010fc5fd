internal import DataModel
internal import SQLSyntax
internal import Expressions

/// Turns `OVERWRITE WHERE` conditions on `__time` into a sorted list of
/// disjoint intervals (Druid's `DruidSqlParserUtils.validateQueryAndConvertToIntervals`).
enum OverwriteIntervals {
    static func resolve(_ cond: Expr, eval: EvalContext) throws(HengeError) -> [Interval] {
        let all = [Interval(start: Interval.eternity.start, end: Interval.eternity.end)]
        func walk(_ e: Expr) throws(HengeError) -> [Interval] {
            switch e.kind {
            case .binary(.and, let a, let b): return intersect(try walk(a), try walk(b))
            case .binary(.or, let a, let b): return union(try walk(a) + walk(b))
            case .unary(.not, let a): return complement(try walk(a), within: all[0])
            case .binary(let op, let a, let b) where [.lt, .le, .gt, .ge].contains(op):
                try column(a, cond)
                let t = try timestamp(b, cond, eval)
                switch op {
                case .lt: return [Interval(start: all[0].start, end: t)]
                case .le: return [Interval(start: all[0].start, end: t + 1)]
                case .gt: return [Interval(start: t + 1, end: all[0].end)]
                default: return [Interval(start: t, end: all[0].end)]
                }
            case .between(let a, let low, let high, let negated):
                try column(a, cond)
                let r = [Interval(start: try timestamp(low, cond, eval), end: try timestamp(high, cond, eval) + 1)]
                return negated ? complement(r, within: all[0]) : r
            case .binary(let op, _, _):
                throw HengeError.invalidInput("Invalid OVERWRITE WHERE clause [\(Binder.render(cond))]: Unsupported operation [\(op.rawValue)] in OVERWRITE WHERE clause.")
            default:
                throw HengeError.invalidInput(
                    "Invalid OVERWRITE WHERE clause [\(Binder.render(cond))]: expected clause including AND, OR, NOT, >, <, >=, <= OR BETWEEN operators")
            }
        }
        let result = try walk(cond).filter { $0.start < $0.end }
        if result.isEmpty {
            throw HengeError.invalidInput(
                "The OVERWRITE WHERE clause [\(Binder.render(cond))] produced no time intervals, are the bounds overly restrictive?")
        }
        return result
    }

    static func column(_ e: Expr, _ cond: Expr) throws(HengeError) {
        guard case .identifier(let parts) = e.kind else {
            throw HengeError.invalidInput("Invalid OVERWRITE WHERE clause [\(Binder.render(cond))]: Cannot parse column name from SQL expression [\(Binder.render(e))]")
        }
        guard parts.last == "__time" else {
            throw HengeError.invalidInput("OVERWRITE WHERE clause only supports filtering on the __time column, got [\(Binder.render(cond))]")
        }
    }

    /// A TIMESTAMP literal's instant, read in `sqlTimeZone` (DST-aware).
    static func timestamp(_ e: Expr, _ cond: Expr, _ eval: EvalContext) throws(HengeError) -> Int64 {
        if case .literal(.timestamp(let s)) = e.kind, let t = eval.parseTimestamp(s.trimmingSpaces) { return t }
        if case .literal(.string(let s)) = e.kind, let t = eval.parseTimestamp(s.trimmingSpaces) { return t }
        throw HengeError.invalidInput("Invalid OVERWRITE WHERE clause [\(Binder.render(cond))]: Cannot get a timestamp from sql expression [\(Binder.render(e))]")
    }

    static func union(_ xs: [Interval]) -> [Interval] {
        let sorted = xs.filter { $0.start < $0.end }.sorted()
        var out: [Interval] = []
        for i in sorted {
            if let last = out.last, i.start <= last.end {
                out[out.count - 1].end = max(last.end, i.end)
            } else {
                out.append(i)
            }
        }
        return out
    }

    static func intersect(_ a: [Interval], _ b: [Interval]) -> [Interval] {
        var out: [Interval] = []
        for x in a { for y in b where x.overlaps(y) { out.append(Interval(start: max(x.start, y.start), end: min(x.end, y.end))) } }
        return union(out)
    }

    static func complement(_ xs: [Interval], within all: Interval) -> [Interval] {
        var out: [Interval] = []
        var cursor = all.start
        for i in union(xs) {
            if i.start > cursor { out.append(Interval(start: cursor, end: i.start)) }
            cursor = max(cursor, i.end)
        }
        if cursor < all.end { out.append(Interval(start: cursor, end: all.end)) }
        return out
    }
}
