internal import DataModel
internal import SQLSyntax
internal import Expressions

/// Collects the aggregate calls met while binding a grouped select list.
final class AggregateCollector {
    var calls: [AggregateCall] = []

    /// Index of `call`, adding it when new (identical aggregates are shared).
    func add(_ call: AggregateCall) -> Int {
        if let i = calls.firstIndex(of: call) { return i }
        calls.append(call)
        return calls.count - 1
    }
}

extension Binder {
    /// Binds an expression over `scope`. With a collector, aggregate calls
    /// become virtual columns `aggregateBase + k` (see `liftOverAggregate`).
    func bindExpr(_ e: Expr, _ scope: Scope, aggregates: AggregateCollector?) throws(HengeError) -> ScalarExpr {
        func bind(_ x: Expr) throws(HengeError) -> ScalarExpr { try bindExpr(x, scope, aggregates: aggregates) }
        func call(_ name: String, _ args: [ScalarExpr]) throws(HengeError) -> ScalarExpr {
            do {
                return try FunctionRegistry.bind(name, args)
            } catch {
                var err = error
                if err.range == nil {
                    err.range = e.range
                    err.message += " (line [\(e.range.line)], column [\(e.range.column)])"
                }
                throw err
            }
        }
        switch e.kind {
        case .identifier(let parts):
            guard let i = try scope.resolve(parts, range: e.range) else {
                let name = parts.last!
                // Calcite's niladic PI, when no column has that name.
                if parts.count == 1, name.uppercased() == "PI" { return try call("PI", []) }
                throw HengeError.invalidInput(
                    "Column '\(name)' not found in any table (line [\(e.range.line)], column [\(e.range.column)])", range: e.range)
            }
            return .column(i, scope.entries[i].type)
        case .star:
            throw HengeError.invalidInput("Unknown identifier '*' (line [\(e.range.line)], column [\(e.range.column)])", range: e.range)
        case .literal(let lit):
            return try bindLiteral(lit, range: e.range)
        case .parameter(let i):
            guard i < context.parameters.count else {
                throw HengeError.invalidInput("No value bound for parameter (position [\(i + 1)])", range: e.range)
            }
            let p = context.parameters[i]
            return .literal(p.value, p.type)
        case .unary(let op, let a):
            let x = try bind(a)
            switch op {
            case .not: return try call("NOT", [x])
            case .negate: return try call("NEGATE", [x])
            case .plus: return x
            }
        case .binary(let op, let a, let b):
            // TIMESTAMP ± INTERVAL 'n' MONTH/QUARTER/YEAR moves the calendar (in sqlTimeZone), like TIMESTAMPADD.
            if op == .add || op == .subtract, case .literal(.interval(let text, let unit, let toUnit)) = b.kind,
               let months = Binder.intervalMonths(text, unit: unit, to: toUnit) {
                let ts = try bind(a)
                let count = ScalarExpr.literal(.long(op == .add ? months : -months), .bigint)
                return try call("TIMESTAMPADD", [.literal(.string("MONTH"), .varchar), count, ts])
            }
            let x = try bind(a), y = try bind(b)
            switch op {
            case .and:
                // Calcite folds `c = 'a' AND c = 'b'` to FALSE (Druid documents this for multi-value columns too).
                if case .call("EQUALS", let l, _) = x, case .call("EQUALS", let r, _) = y, l.count == 2, r.count == 2,
                   l[0] == r[0], case .literal(let a, _) = l[1], case .literal(let b, _) = r[1], !a.isNull, !b.isNull, a != b {
                    return .literal(.long(0), .boolean)
                }
                return try call("AND", [x, y])
            case .or: return try call("OR", [x, y])
            case .concat: return try call("CONCAT", [x, y])
            case .eq, .ne, .lt, .le, .gt, .ge:
                let (x, y) = try coercePair(x, y, range: e.range)
                let name = [BinaryOp.eq: "EQUALS", .ne: "NOT_EQUALS", .lt: "LESS_THAN", .le: "LESS_THAN_OR_EQUAL",
                            .gt: "GREATER_THAN", .ge: "GREATER_THAN_OR_EQUAL"][op]!
                return try call(name, [x, y])
            case .add, .subtract, .multiply, .divide, .modulo:
                let name = [BinaryOp.add: "ADD", .subtract: "SUBTRACT", .multiply: "MULTIPLY", .divide: "DIVIDE", .modulo: "MOD"][op]!
                let bound = try call(name, [x, y])
                // TIMESTAMP ± interval (millis) stays a TIMESTAMP.
                if (op == .add || op == .subtract), x.type == .timestamp || y.type == .timestamp, case .call(let n, let args, _) = bound {
                    if x.type == .timestamp && y.type == .timestamp && op == .subtract { return bound }
                    return .call(n, args, .timestamp)
                }
                return bound
            }
        case .call(let name, let args, let distinct, let filter):
            if let kind = AggregateKind(rawValue: name) {
                return try bindAggregate(kind, args: args, distinct: distinct, filter: filter, scope: scope, aggregates: aggregates, range: e.range)
            }
            if name == "APPROX_COUNT_DISTINCT" || name == "APPROX_COUNT_DISTINCT_BUILTIN" {
                return try bindAggregate(.count, args: args, distinct: true, filter: filter, scope: scope, aggregates: aggregates,
                                         range: e.range, forceApproximate: true)
            }
            if filter != nil || distinct {
                throw HengeError.invalidInput("DISTINCT and FILTER are only allowed on aggregate functions", range: e.range)
            }
            var bound: [ScalarExpr] = []
            for a in args {
                if a.name != nil { throw HengeError.invalidInput("Named arguments are not supported for function [\(name)]", range: a.value.range) }
                bound.append(try bind(a.value))
            }
            if name == "NVL" || name == "COALESCE" || name == "IFNULL" { bound = try coerceBranches(bound) }
            try Binder.checkLiteralArguments(name, bound, range: e.range)
            if name == "CURRENT_TIMESTAMP" || name == "LOCALTIMESTAMP", bound.count == 1 {
                // CURRENT_TIMESTAMP(precision): milliseconds are all Druid keeps.
                guard case .literal(let p, _) = bound[0], let n = p.longValue, (0...3).contains(n) else {
                    throw HengeError.invalidInput(
                        "Argument to function 'CURRENT_TIMESTAMP' must be a valid precision between '0' and '3'", range: e.range)
                }
                // Milliseconds beyond the precision are cut (the start time is known while binding).
                let step = [1000, 100, 10, 1][Int(n)]
                let now = context.eval.nowMillis
                return .literal(.long(now - ((now % Int64(step)) + Int64(step)) % Int64(step)), .timestamp)
            }
            if (name == "MV_CONTAINS" || name == "MV_OVERLAP"), bound.count == 2 {
                // On an ARRAY column the MV functions are the array ones.
                if bound[0].type.isArray { return try call(name == "MV_CONTAINS" ? "ARRAY_CONTAINS" : "ARRAY_OVERLAP", bound) }
                if let rewritten = try valueMatch(name, bound, call) { return rewritten }
            }
            return try call(name, bound)
        case .cast(let a, let typeName) where typeName == "DATE":
            // DATE is a TIMESTAMP at midnight in sqlTimeZone (Druid renders dates that way).
            let x = try bind(a)
            let ts = x.type == .timestamp ? x : (x.type == .varchar || x.type.isNumeric ? ScalarExpr.call("CAST", [x], .timestamp) : x)
            return try call("TIME_FLOOR", [ts, .literal(.string("P1D"), .varchar)])
        case .cast(let a, let typeName):
            guard let t = SQLType(sqlName: typeName) else {
                throw HengeError.unsupported("Cannot CAST to type [\(typeName)]", range: e.range)
            }
            let x = try bind(a)
            if case .literal(let v, let from) = x {
                return .literal(CastFunction.cast(v, from: from, to: t, zone: context.eval.timeZone), t)
            }
            return .call("CAST", [x], t)
        case .floorCeilTo(let fn, let a, let unit):
            let x = try bind(a)
            guard let period = Binder.unitPeriod(unit) else {
                throw HengeError.invalidInput("Unsupported time unit [\(unit)] in \(fn)", range: e.range)
            }
            let ts = x.type == .timestamp ? x : .call("CAST", [x], .timestamp)
            return try call(fn == "FLOOR" ? "TIME_FLOOR" : "TIME_CEIL", [ts, .literal(.string(period.description), .varchar)])
        case .extract(let unit, let a):
            return try call("TIME_EXTRACT", [try bind(a), .literal(.string(unit), .varchar)])
        case .caseWhen(let operand, let whens, let elseResult):
            var args: [ScalarExpr] = []
            let op = try operand.map(bind)
            for w in whens {
                var cond = try bind(w.condition)
                if let op {
                    let (l, r) = try coercePair(op, cond, range: w.condition.range)
                    cond = try call("EQUALS", [l, r])
                }
                args.append(cond)
                args.append(try bind(w.result))
            }
            if let elseResult { args.append(try bind(elseResult)) }
            let results = try coerceBranches(stride(from: 1, to: args.count, by: 2).map { args[$0] } + (args.count % 2 == 1 ? [args.last!] : []))
            var j = 0
            for i in stride(from: 1, to: args.count, by: 2) { args[i] = results[j]; j += 1 }
            if args.count % 2 == 1 { args[args.count - 1] = results.last! }
            return try call("CASE", args)
        case .inList(let a, let items, let negated):
            let x = try bind(a)
            var args = [x]
            for item in items { args.append(try coercePair(x, try bind(item), range: item.range).1) }
            let r = try call("IN", args)
            return negated ? try call("NOT", [r]) : r
        case .between(let a, let low, let high, let negated):
            let x = try bind(a)
            let (x1, lo) = try coercePair(x, try bind(low), range: low.range)
            let (x2, hi) = try coercePair(x, try bind(high), range: high.range)
            let r = try call("AND", [try call("GREATER_THAN_OR_EQUAL", [x1, lo]), try call("LESS_THAN_OR_EQUAL", [x2, hi])])
            return negated ? try call("NOT", [r]) : r
        case .like(let a, let pattern, let escape, let negated):
            var args = [try bind(a), try bind(pattern)]
            if let escape { args.append(try bind(escape)) }
            let r = try call("LIKE", args)
            return negated ? try call("NOT", [r]) : r
        case .isTest(let a, let test, let negated):
            let x = try bind(a)
            switch (test, negated) {
            case (.null, false), (.unknown, false): return try call("IS_NULL", [x])
            case (.null, true), (.unknown, true): return try call("IS_NOT_NULL", [x])
            case (.true, false): return try call("IS_TRUE", [x])
            case (.true, true): return try call("NOT", [try call("IS_TRUE", [x])])
            case (.false, false): return try call("IS_FALSE", [x])
            case (.false, true): return try call("NOT", [try call("IS_FALSE", [x])])
            }
        case .subquery(let q):
            let plan = try bindSubquery(q, range: e.range)
            return .call(SubqueryCollector.scalarFunction, [.literal(.long(Int64(subqueryCollector.add(plan))), .bigint)], plan.fields[0].type)
        case .inSubquery(let a, let q, let negated):
            let x = try bind(a)
            let plan = try bindSubquery(q, range: e.range)
            let index = ScalarExpr.literal(.long(Int64(subqueryCollector.add(plan))), .bigint)
            let r = ScalarExpr.call(SubqueryCollector.inFunction, [x, index], .boolean)
            return negated ? try call("NOT", [r]) : r
        case .isDistinctFrom(let a, let b, let negated):
            let (x, y) = try coercePair(try bind(a), try bind(b), range: e.range)
            return try call(negated ? "IS_NOT_DISTINCT_FROM" : "IS_DISTINCT_FROM", [x, y])
        case .arrayConstructor(let items):
            // ARRAY[...]: an ARRAY of the items' common type (MV_* functions
            // take it converted to a multi-value string).
            return try call("ARRAY", try items.map { (i: Expr) throws(HengeError) -> ScalarExpr in try bind(i) })
        }
    }

    /// `MV_CONTAINS(x, ARRAY[literals])` / `MV_OVERLAP(x, ARRAY[literals])`
    /// as Druid plans them: an AND / OR of `x = literal` (`x IS NULL` for a
    /// NULL literal), each matching when any value of `x` does.
    func valueMatch(_ name: String, _ args: [ScalarExpr],
                    _ call: (String, [ScalarExpr]) throws(HengeError) -> ScalarExpr) throws(HengeError) -> ScalarExpr? {
        var literals: [ScalarValue] = []
        switch args[1] {
        case .literal(let v, _): literals = [v]
        case .call("ARRAY", let items, _):
            for item in items {
                guard case .literal(let v, _) = item else { return nil }
                literals.append(v)
            }
        default: return nil
        }
        let x = args[0]
        var terms: [ScalarExpr] = []
        for v in literals {
            terms.append(v.isNull ? try call("IS_NULL", [x]) : try call("EQUALS", [x, .literal(v.cast(to: .string), .varchar)]))
        }
        if terms.count == 1 { return terms[0] }
        return try call(name == "MV_CONTAINS" ? "AND" : "OR", terms)
    }

    func bindAggregate(_ kind: AggregateKind, args: [CallArgument], distinct: Bool, filter: Expr?, scope: Scope,
                       aggregates: AggregateCollector?, range: SourceRange, forceApproximate: Bool = false) throws(HengeError) -> ScalarExpr {
        guard let aggregates else {
            throw HengeError.invalidInput(
                "Aggregate function \(kind.rawValue) is not allowed here (line [\(range.line)], column [\(range.column)])", range: range)
        }
        if kind.picksValue {
            return try bindValuePicker(kind, args: args, filter: filter, scope: scope, aggregates: aggregates, range: range)
        }
        var argument: ScalarExpr? = nil
        if kind == .count, args.isEmpty || (args.count == 1 && args[0].value.kind == .star(qualifier: nil)) {
            argument = nil
        } else {
            guard args.count == 1 else {
                throw HengeError.invalidInput("Invalid number of arguments to function '\(kind.rawValue)'. Was expecting 1 arguments", range: range)
            }
            argument = try bindExpr(args[0].value, scope, aggregates: nil)
            if (kind == .sum || kind == .avg), argument!.type == .varchar {
                argument = .call("CAST", [argument!], .double)
            }
        }
        let f = try filter.map { (x: Expr) throws(HengeError) -> ScalarExpr in try bindExpr(x, scope, aggregates: nil) }
        var call = AggregateCall(kind: kind, argument: argument, distinct: distinct, filter: f,
                                 type: AggregateCall.resultType(kind, argument: argument?.type))
        // COUNT(DISTINCT x) is a HyperLogLog estimate unless the context asks for exact counts (Druid's default).
        if kind == .count && distinct && argument != nil {
            call.approximate = forceApproximate || ((try? context.queryContext.bool("useApproximateCountDistinct")) ?? nil ?? true)
        }
        return .column(Binder.aggregateBase + aggregates.add(call), call.type)
    }

    /// ANY_VALUE(expr [, maxBytes]), EARLIEST/LATEST(expr [, maxBytes]) over
    /// the input's `__time`, EARLIEST_BY/LATEST_BY(expr, time [, maxBytes]).
    func bindValuePicker(_ kind: AggregateKind, args: [CallArgument], filter: Expr?, scope: Scope,
                         aggregates: AggregateCollector, range: SourceRange) throws(HengeError) -> ScalarExpr {
        let by = kind == .earliestBy || kind == .latestBy
        let arity = by ? 2...3 : 1...(kind == .anyValue ? 3 : 2)
        guard arity.contains(args.count) else {
            throw HengeError.invalidInput(
                "Invalid number of arguments to function '\(kind.rawValue)'. Was expecting \(arity.lowerBound) to \(arity.upperBound) arguments"
                    + " (line [\(range.line)], column [\(range.column)])", range: range)
        }
        let argument = try bindExpr(args[0].value, scope, aggregates: nil)
        var time: ScalarExpr? = nil
        if by {
            time = try bindExpr(args[1].value, scope, aggregates: nil)
            guard time!.type == .timestamp else {
                throw HengeError.invalidInput(
                    "Cannot apply '\(kind.rawValue)' to arguments of type '\(kind.rawValue)(<\(argument.type)>, <\(time!.type)>)'."
                        + " Supported form(s): '\(kind.rawValue)(<ANY>, <TIMESTAMP>)' (line [\(range.line)], column [\(range.column)])",
                    range: range)
            }
        } else if kind != .anyValue {
            // EARLIEST/LATEST read __time (Druid rewrites them to the _BY forms over __time).
            guard let t = try? scope.resolve(["__time"], range: range) else {
                throw HengeError.invalidInput(
                    "Query could not be planned. A possible reason is [LATEST and EARLIEST aggregators implicitly depend on the __time column, but the table queried doesn't contain a __time column.  Please use LATEST_BY or EARLIEST_BY and specify the column explicitly.]",
                    range: range)
            }
            time = .column(t, scope.entries[t].type)
        }
        let f = try filter.map { (x: Expr) throws(HengeError) -> ScalarExpr in try bindExpr(x, scope, aggregates: nil) }
        var call = AggregateCall(kind: kind, argument: argument, filter: f, type: AggregateCall.resultType(kind, argument: argument.type))
        call.timeArgument = time
        if case .pair(let value) = argument.type {
            // A stored EARLIEST/LATEST state: its own time orders the pick (Druid folds the pairs).
            guard kind != .anyValue else {
                throw HengeError.invalidInput("Function [ANY_VALUE] cannot be applied to a column of type [\(argument.type)]", range: range)
            }
            call.pairInput = true
            call.timeArgument = nil
            call.type = value.sqlType
        }
        if storesIntermediateAggregates && kind != .anyValue {
            guard let value = PairValueType(sqlType: call.type) else {
                throw HengeError.unsupported(
                    "finalizeAggregations: false cannot store [\(kind.rawValue)] of type [\(call.type)]; Druid's first/last pairs hold LONG, FLOAT, DOUBLE or STRING values", range: range)
            }
            call.pairOutput = true
            call.type = .pair(value)
        }
        let sizeIndex = by ? 2 : 1
        if args.count > sizeIndex {
            guard case .literal(.integer(let text)) = args[sizeIndex].value.kind, let n = Int(text), n > 0 else {
                throw HengeError.invalidInput(
                    "Function [\(kind.rawValue)] expects a positive integer literal for maxBytesPerValue", range: args[sizeIndex].value.range)
            }
            call.maxStringBytes = n
        }
        return .column(Binder.aggregateBase + aggregates.add(call), call.type)
    }

    func bindLiteral(_ lit: Literal, range: SourceRange) throws(HengeError) -> ScalarExpr {
        switch lit {
        case .null: return .literal(.null, .null)
        case .boolean(let b): return .literal(.long(b ? 1 : 0), .boolean)
        case .integer(let t):
            if let v = Int64(t) { return .literal(.long(v), .bigint) }
            return .literal(.double(Double(t) ?? 0), .double)
        case .decimal(let t): return .literal(.double(Double(t) ?? 0), .double)
        case .string(let s): return .literal(.string(s), .varchar)
        case .timestamp(let s), .date(let s):
            guard let ms = context.eval.parseTimestamp(s) else {
                throw HengeError.invalidInput("Illegal TIMESTAMP literal '\(s)': not in format 'yyyy-MM-dd HH:mm:ss'", range: range)
            }
            return .literal(.long(ms), .timestamp)
        case .interval(let text, let unit, let toUnit) where toUnit != nil:
            guard let ms = Binder.intervalMillis(text, unit: unit, to: toUnit!) else {
                if Binder.intervalMonths(text, unit: unit, to: toUnit) != nil {
                    throw HengeError.unsupported(
                        "INTERVAL '\(text)' \(unit) TO \(toUnit!) is only supported added to or subtracted from a TIMESTAMP", range: range)
                }
                throw HengeError.invalidInput("Illegal interval literal '\(text)' \(unit) TO \(toUnit!)", range: range)
            }
            return .literal(.long(ms), .bigint)
        case .interval(let text, let unit, let toUnit):
            guard toUnit == nil, let n = Int64(text.trimmingSpaces) else {
                throw HengeError.unsupported("INTERVAL '\(text)' \(unit)\(toUnit.map { " TO " + $0 } ?? "") is not supported yet", range: range)
            }
            let ms: Int64
            switch unit {
            case "SECOND": ms = 1000
            case "MINUTE": ms = 60_000
            case "HOUR": ms = 3_600_000
            case "DAY": ms = 86_400_000
            case "WEEK": ms = 7 * 86_400_000
            default:
                throw HengeError.unsupported(
                    "INTERVAL '\(text)' \(unit) is only supported added to or subtracted from a TIMESTAMP", range: range)
            }
            return .literal(.long(n * ms), .bigint)
        }
    }

    /// Coerces a string literal compared with a TIMESTAMP or number, as Calcite does.
    func coercePair(_ a: ScalarExpr, _ b: ScalarExpr, range: SourceRange) throws(HengeError) -> (ScalarExpr, ScalarExpr) {
        func coerce(_ lit: ScalarExpr, to t: SQLType) throws(HengeError) -> ScalarExpr {
            guard case .literal(let v, .varchar) = lit else {
                return lit.type == .varchar && (t == .timestamp || t.isNumeric) ? .call("CAST", [lit], t) : lit
            }
            if t == .timestamp {
                guard let s = v.stringValue, let ms = context.eval.parseTimestamp(s) else {
                    throw HengeError.invalidInput("Illegal TIMESTAMP constant [CAST('\(v)'):TIMESTAMP(3) NOT NULL]", range: range)
                }
                return .literal(.long(ms), .timestamp)
            }
            if t.isNumeric {
                let c = CastFunction.cast(v, from: .varchar, to: t == .bigint && (v.stringValue ?? "").contains(".") ? .double : t)
                return .literal(c, c.isNull ? t : (t == .bigint && (v.stringValue ?? "").contains(".") ? .double : t))
            }
            return lit
        }
        if a.type.isArray, b.type.isArray, a.type != b.type {
            // Arrays compare as one array type: numbers widen to DOUBLE; otherwise
            // a constant side takes the other side's type.
            let numeric = a.type != .varcharArray && b.type != .varcharArray
            let target: SQLType = numeric ? .doubleArray : (b.referencedColumns.isEmpty ? a.type : b.type)
            func to(_ e: ScalarExpr) -> ScalarExpr { e.type == target ? e : .call("CAST", [e], target) }
            return (to(a), to(b))
        }
        if a.type == .varchar && b.type != .varchar && b.type != .null { return (try coerce(a, to: b.type), b) }
        if b.type == .varchar && a.type != .varchar && a.type != .null { return (a, try coerce(b, to: a.type)) }
        return (a, b)
    }

    /// Makes branch results share one type (CASE, COALESCE).
    func coerceBranches(_ exprs: [ScalarExpr]) throws(HengeError) -> [ScalarExpr] {
        let real = exprs.map(\.type).filter { $0 != .null }
        if real.contains(where: \.isArray) && real.contains(where: { !$0.isArray }) || real.contains(.json) && real.contains(where: { $0 != .json }) {
            throw HengeError.invalidInput("Illegal mixing of types in CASE or COALESCE statement")
        }
        let common = TypeRules.common(exprs.map(\.type))
        return exprs.map { e in
            if e.type == common || e.type == .null { return e }
            if case .literal(let v, let t) = e { return .literal(CastFunction.cast(v, from: t, to: common), common) }
            return .call("CAST", [e], common)
        }
    }

    /// The period of a FLOOR/CEIL `TO unit`.
    static func unitPeriod(_ unit: String) -> Period? {
        switch unit {
        case "MILLISECOND": Period(millis: 1)
        case "SECOND": Period(seconds: 1)
        case "MINUTE": Period(minutes: 1)
        case "HOUR": Period(hours: 1)
        case "DAY": Period(days: 1)
        case "WEEK": Period(weeks: 1)
        case "MONTH": Period(months: 1)
        case "QUARTER": Period(months: 3)
        case "YEAR": Period(years: 1)
        case "DECADE": Period(years: 10)
        case "CENTURY": Period(years: 100)
        case "MILLENNIUM": Period(years: 1000)
        default: nil
        }
    }
}

extension Binder {
    /// Arguments Druid's validator requires to be literals (regex patterns,
    /// TIME_IN_INTERVAL's interval), checked as Druid checks them.
    static func checkLiteralArguments(_ name: String, _ args: [ScalarExpr], range: SourceRange) throws(HengeError) {
        let upper = name.uppercased()
        let literalPositions: [Int]
        switch upper {
        case "REGEXP_LIKE", "REGEXP_EXTRACT", "REGEXP_REPLACE": literalPositions = [1]
        case "TIME_IN_INTERVAL": literalPositions = [1]
        default: return
        }
        for p in literalPositions where p < args.count {
            switch args[p] {
            case .literal(let v, let t):
                if v.isNull { throw HengeError.invalidInput("Illegal use of 'NULL'", range: range) }
                guard t == .varchar else {
                    throw HengeError.invalidInput(
                        "Cannot apply '\(upper)' to arguments of type '\(upper)(\(args.map { "<\($0.type)>" }.joined(separator: ", ")))'", range: range)
                }
                let text = v.stringValue ?? ""
                if upper == "TIME_IN_INTERVAL" {
                    guard RegexValidation.isValidInterval(text) else {
                        let bad = text.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? text
                        throw HengeError.invalidInput(
                            "Function 'TIME_IN_INTERVAL' second argument is not a valid ISO8601 interval: Invalid format: \"\(bad)\"", range: range)
                    }
                } else if !RegexValidation.isValid(text) {
                    throw HengeError.invalidInput("An invalid pattern [\(text)] was provided for the \(upper) function, error: [invalid regular expression]",
                                                  range: range)
                }
            default:
                throw HengeError.invalidInput("Argument to function '\(upper)' must be a literal", range: range)
            }
        }
    }
}

extension Binder {
    /// Months of a year-month interval literal: `'3' MONTH`, `'2' YEAR`,
    /// `'1' QUARTER`, `'1-2' YEAR TO MONTH` (leading `-` negates); nil otherwise.
    static func intervalMonths(_ text: String, unit: String, to toUnit: String?) -> Int64? {
        var t = text.trimmingSpaces
        var sign: Int64 = 1
        if t.hasPrefix("-") { sign = -1; t.removeFirst() }
        switch (unit, toUnit) {
        case ("MONTH", nil): return Int64(t).map { sign * $0 }
        case ("QUARTER", nil): return Int64(t).map { sign * $0 * 3 }
        case ("YEAR", nil): return Int64(t).map { sign * $0 * 12 }
        case ("YEAR", "MONTH"?):
            let parts = t.split(separator: "-")
            guard parts.count == 2, let y = Int64(parts[0]), let m = Int64(parts[1]), m < 12 else { return nil }
            return sign * (y * 12 + m)
        default: return nil
        }
    }

    /// Milliseconds of a day-time interval literal with a range:
    /// `'1 2' DAY TO HOUR`, `'1 2:3' DAY TO MINUTE`, `'1 2:3:4.5' DAY TO SECOND`,
    /// `'2:3' HOUR TO MINUTE`, `'2:3:4' HOUR TO SECOND`, `'3:4' MINUTE TO SECOND`.
    static func intervalMillis(_ text: String, unit: String, to toUnit: String) -> Int64? {
        var t = text.trimmingSpaces
        var sign: Int64 = 1
        if t.hasPrefix("-") { sign = -1; t.removeFirst() }
        let units = ["DAY", "HOUR", "MINUTE", "SECOND"]
        guard let from = units.firstIndex(of: unit), let to = units.firstIndex(of: toUnit), to > from else { return nil }
        // Fields: days before a space, then hours:minutes:seconds.
        var fields: [Substring] = []
        if from == 0 {
            let dayAndRest = t.split(separator: " ", maxSplits: 1)
            guard dayAndRest.count == 2 else { return nil }
            fields.append(dayAndRest[0])
            fields += dayAndRest[1].split(separator: ":", omittingEmptySubsequences: false)
        } else {
            fields = t.split(separator: ":", omittingEmptySubsequences: false)
        }
        guard fields.count == to - from + 1 else { return nil }
        let scale: [Double] = [86_400_000, 3_600_000, 60_000, 1000]
        var total = 0.0
        for (k, f) in fields.enumerated() {
            let u = from + k
            guard let v = u == 3 ? Double(f) : Double(Int64(f) ?? -1), v >= 0 else { return nil }
            total += v * scale[u]
        }
        return sign * Int64(total.rounded())
    }
}
