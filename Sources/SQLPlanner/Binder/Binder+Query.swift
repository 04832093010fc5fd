internal import DataModel
internal import SQLSyntax
internal import Expressions

extension Binder {
    mutating func bindQuery(_ q: Query) throws(HengeError) -> LogicalPlan {
        let saved = ctes
        defer { ctes = saved }
        for cte in q.with {
            var plan = try bindQuery(cte.query)
            if let cols = cte.columns {
                let fields = plan.fields
                guard cols.count == fields.count else {
                    throw HengeError.invalidInput("Number of columns must match number of query columns in WITH [\(cte.name)]")
                }
                plan = .project(plan, exprs: fields.indices.map { .column($0, fields[$0].type) }, names: cols)
            }
            ctes[cte.name] = plan
        }
        if case .select(let s) = q.body {
            return try bindSelect(s, orderBy: q.orderBy, limit: q.limit, offset: q.offset)
        }
        var plan = try bindBody(q.body)
        if !q.orderBy.isEmpty {
            let fields = plan.fields
            var keys: [SortKey] = []
            for item in q.orderBy {
                guard let idx = try outputIndex(of: item.expr, names: fields.map(\.name), items: nil) else {
                    throw HengeError.invalidInput("ORDER BY over UNION ALL must name an output column or ordinal", range: item.expr.range)
                }
                keys.append(sortKey(idx, item))
            }
            plan = .sort(plan, keys)
        }
        return try applyLimit(plan, q.limit, q.offset)
    }

    mutating func bindBody(_ body: QueryBody) throws(HengeError) -> LogicalPlan {
        switch body {
        case .select(let s): return try bindSelect(s, orderBy: [], limit: nil, offset: nil)
        case .nested(let q): return try bindQuery(q)
        case .unionAll(let a, let b):
            let left = try bindBody(a)
            let right = try bindBody(b)
            guard left.fields.count == right.fields.count else {
                throw HengeError.invalidInput("Column count mismatch in UNION ALL")
            }
            var inputs: [LogicalPlan] = []
            for p in [left, right] { if case .unionAll(let xs) = p { inputs += xs } else { inputs.append(p) } }
            // Branches share the least restrictive type per column (BIGINT ∪ DOUBLE = DOUBLE), as in Calcite.
            let names = inputs[0].fields.map(\.name)
            let types = names.indices.map { i in TypeRules.common(inputs.map { $0.fields[i].type }) }
            inputs = inputs.map { p in
                let fields = p.fields
                guard fields.map(\.type) != types else { return p }
                let exprs: [ScalarExpr] = fields.indices.map { i in
                    let col = ScalarExpr.column(i, fields[i].type)
                    return fields[i].type == types[i] || fields[i].type == .null ? col : .call("CAST", [col], types[i])
                }
                return .project(p, exprs: exprs, names: fields.map(\.name))
            }
            return .unionAll(inputs)
        }
    }

    func sortKey(_ column: Int, _ item: OrderItem) -> SortKey {
        // Druid/Calcite: NULLs sort first ascending, last descending, unless stated.
        SortKey(column: column, descending: item.descending, nullsFirst: item.nullsFirst ?? !item.descending)
    }

    func applyLimit(_ plan: LogicalPlan, _ limit: Expr?, _ offset: Expr?) throws(HengeError) -> LogicalPlan {
        guard limit != nil || offset != nil else { return plan }
        func value(_ e: Expr?) throws(HengeError) -> Int? {
            guard let e else { return nil }
            let copy = self
            let bound = try copy.bindExpr(e, Scope([]), aggregates: nil)
            guard case .literal(let v, _) = bound, let n = v.longValue, n >= 0 else {
                throw HengeError.invalidInput("LIMIT and OFFSET must be non-negative integer literals", range: e.range)
            }
            return Int(n)
        }
        return .limit(plan, limit: try value(limit), offset: try value(offset) ?? 0)
    }

    /// Resolves an ORDER BY / GROUP BY item to an output column: 1-based
    /// ordinal, output name, or an expression equal to a select item.
    func outputIndex(of e: Expr, names: [String], items: [SelectItem]?) throws(HengeError) -> Int? {
        if case .literal(.integer(let t)) = e.kind, let n = Int(t) {
            guard n >= 1 && n <= names.count else {
                throw HengeError.invalidInput("Ordinal out of range: \(n) (line [\(e.range.line)], column [\(e.range.column)])", range: e.range)
            }
            return n - 1
        }
        if case .identifier(let parts) = e.kind, parts.count == 1, let i = names.firstIndex(of: parts[0]) {
            return i
        }
        if let items, let i = items.firstIndex(where: { $0.expr.kind == e.kind }) { return i }
        return nil
    }

    mutating func bindSelect(_ s: Select, orderBy: [OrderItem], limit: Expr?, offset: Expr?) throws(HengeError) -> LogicalPlan {
        var (plan, scope) = try bindFrom(s.from)
        if let w = s.whereClause {
            let pred = try bindExpr(w, scope, aggregates: nil)
            try requireBoolean(pred, w, clause: "WHERE")
            plan = .filter(plan, pred)
        }
        // Expand stars.
        var items: [SelectItem] = []
        for item in s.items {
            if case .star(let qualifier) = item.expr.kind {
                let matching = scope.entries.filter { qualifier == nil || $0.qualifier == qualifier }
                if matching.isEmpty && qualifier != nil {
                    throw HengeError.invalidInput("Unknown identifier '\(qualifier!)'", range: item.expr.range)
                }
                for e in matching {
                    items.append(SelectItem(expr: Expr(.identifier((e.qualifier.map { [$0] } ?? []) + [e.name]), item.expr.range), alias: e.name))
                }
            } else {
                items.append(item)
            }
        }
        let names = items.enumerated().map { i, item in item.alias ?? Binder.implicitName(item.expr, index: i) }
        let isAggregate = !s.groupBy.isEmpty || s.groupByEmptySet || items.contains { containsAggregate($0.expr) }
            || (s.having.map(containsAggregate) ?? false)

        var selectExprs: [ScalarExpr]
        var extraOrder: [(Int, OrderItem)] = []  // (index into final exprs, item)
        var sortKeys: [SortKey] = []

        if isAggregate {
            // GROUP BY keys: ordinals refer to select items.
            var keys: [ScalarExpr] = []
            var keyNames: [String] = []
            for g in s.groupBy {
                var target = g
                if case .literal(.integer(let t)) = g.kind, let n = Int(t) {
                    guard n >= 1 && n <= items.count else {
                        throw HengeError.invalidInput("Ordinal out of range: \(n) (line [\(g.range.line)], column [\(g.range.column)])", range: g.range)
                    }
                    target = items[n - 1].expr
                }
                // Select aliases are not allowed in GROUP BY (DruidConformance.isGroupByAlias() is false).
                if containsAggregate(target) {
                    throw HengeError.invalidInput("Aggregate expression is illegal in GROUP BY clause", range: g.range)
                }
                let k = try bindExpr(target, scope, aggregates: nil)
                if !keys.contains(k) {
                    keys.append(k)
                    keyNames.append(Binder.keyName(target, keys.count - 1))
                }
            }
            let collector = AggregateCollector()
            var virtual: [ScalarExpr] = []
            for item in items { virtual.append(try bindExpr(item.expr, scope, aggregates: collector)) }
            var havingVirtual: ScalarExpr? = nil
            // HAVING and ORDER BY may name select-list aliases (Druid's isHavingAlias / isSortByAlias).
            let expand = { (e: Expr) -> Expr in Binder.expandAliases(e, items: items, names: names, scope: scope) }
            if let h = s.having { havingVirtual = try bindExpr(expand(h), scope, aggregates: collector) }
            var orderVirtual: [(ScalarExpr, OrderItem)] = []
            for item in orderBy where try outputIndex(of: item.expr, names: names, items: items) == nil {
                orderVirtual.append((try bindExpr(expand(item.expr), scope, aggregates: collector), item))
            }
            let aggs = collector.calls
            let aggNames = aggs.indices.map { "a\($0)" }
            plan = .aggregate(plan, keys: keys, aggregates: aggs, names: keyNames + aggNames)
            func lift(_ e: ScalarExpr, _ source: Expr) throws(HengeError) -> ScalarExpr {
                try Binder.liftOverAggregate(e, keys: keys, scope: scope, source: source)
            }
            selectExprs = []
            for (i, v) in virtual.enumerated() { selectExprs.append(try lift(v, items[i].expr)) }
            if let hv = havingVirtual, let h = s.having {
                let pred = try lift(hv, h)
                try requireBoolean(pred, h, clause: "HAVING")
                plan = .filter(plan, pred)
            }
            for (v, item) in orderVirtual {
                extraOrder.append((items.count + extraOrder.count, item))
                selectExprs.append(try lift(v, item.expr))
            }
        } else {
            selectExprs = []
            for item in items { selectExprs.append(try bindExpr(item.expr, scope, aggregates: nil)) }
            if !s.distinct {
                for item in orderBy where try outputIndex(of: item.expr, names: names, items: items) == nil {
                    extraOrder.append((items.count + extraOrder.count, item))
                    selectExprs.append(try bindExpr(Binder.expandAliases(item.expr, items: items, names: names, scope: scope), scope,
                                                    aggregates: nil))
                }
            }
        }
        let allNames = names + extraOrder.map { "_o\($0.0)" }
        plan = .project(plan, exprs: selectExprs, names: allNames)
        if s.distinct {
            let fields = plan.fields
            plan = .aggregate(plan, keys: fields.indices.map { .column($0, fields[$0].type) }, aggregates: [], names: fields.map(\.name))
        }
        var extraIter = extraOrder.makeIterator()
        for item in orderBy {
            if let idx = try outputIndex(of: item.expr, names: names, items: items) {
                sortKeys.append(sortKey(idx, item))
            } else if let (idx, _) = extraIter.next() {
                sortKeys.append(sortKey(idx, item))
            } else {
                throw HengeError.invalidInput("ORDER BY expression must appear in the select list of a SELECT DISTINCT", range: item.expr.range)
            }
        }
        if !sortKeys.isEmpty { plan = .sort(plan, sortKeys) }
        plan = try applyLimit(plan, limit, offset)
        if !extraOrder.isEmpty {
            let fields = plan.fields
            plan = .project(plan, exprs: names.indices.map { .column($0, fields[$0].type) }, names: names)
        }
        return plan
    }

    /// Replaces identifiers that name a select-list alias (and no input column) with the aliased expression.
    static func expandAliases(_ e: Expr, items: [SelectItem], names: [String], scope: Scope) -> Expr {
        e.replacingIdentifiers { parts in
            guard parts.count == 1, (try? scope.resolve(parts, range: e.range)) ?? nil == nil,
                  let i = names.firstIndex(of: parts[0]), items[i].alias != nil else { return nil }
            return items[i].expr
        }
    }

    static func keyName(_ e: Expr, _ i: Int) -> String {
        if case .identifier(let parts) = e.kind { return parts.last! }
        return "d\(i)"
    }

    func requireBoolean(_ e: ScalarExpr, _ source: Expr, clause: String) throws(HengeError) {
        guard e.type == .boolean || e.type == .null || e.type == .bigint else {
            throw HengeError.invalidInput("\(clause) clause must be a condition", range: source.range)
        }
    }

    /// Offset of virtual aggregate references while binding in aggregate mode.
    static let aggregateBase = 1 << 40

    /// Rewrites an expression bound over the aggregate's input (with
    /// aggregates as virtual columns) into one over the aggregate's output.
    static func liftOverAggregate(_ e: ScalarExpr, keys: [ScalarExpr], scope: Scope, source: Expr) throws(HengeError) -> ScalarExpr {
        if let k = keys.firstIndex(of: e) { return .column(k, e.type) }
        switch e {
        case .column(let i, let t):
            if i >= aggregateBase { return .column(keys.count + i - aggregateBase, t) }
            let name = i < scope.entries.count ? scope.entries[i].name : "$\(i)"
            throw HengeError.invalidInput(
                "Expression '\(name)' is not being grouped (line [\(source.range.line)], column [\(source.range.column)])", range: source.range)
        case .literal: return e
        case .call(let n, let args, let t):
            var out: [ScalarExpr] = []
            for a in args { out.append(try liftOverAggregate(a, keys: keys, scope: scope, source: source)) }
            return .call(n, out, t)
        }
    }

    func containsAggregate(_ e: Expr) -> Bool {
        switch e.kind {
        case .call(let name, let args, _, let filter):
            if AggregateKind(rawValue: name) != nil || name == "APPROX_COUNT_DISTINCT" || name == "APPROX_COUNT_DISTINCT_BUILTIN" { return true }
            return args.contains { containsAggregate($0.value) } || (filter.map(containsAggregate) ?? false)
        case .unary(_, let a), .cast(let a, _), .floorCeilTo(_, let a, _), .extract(_, let a), .isTest(let a, _, _):
            return containsAggregate(a)
        case .binary(_, let a, let b), .isDistinctFrom(let a, let b, _):
            return containsAggregate(a) || containsAggregate(b)
        case .caseWhen(let op, let whens, let els):
            return (op.map(containsAggregate) ?? false) || whens.contains { containsAggregate($0.condition) || containsAggregate($0.result) }
                || (els.map(containsAggregate) ?? false)
        case .inList(let a, let items, _): return containsAggregate(a) || items.contains(where: containsAggregate)
        case .between(let a, let l, let h, _): return containsAggregate(a) || containsAggregate(l) || containsAggregate(h)
        case .like(let a, let p, let esc, _): return containsAggregate(a) || containsAggregate(p) || (esc.map(containsAggregate) ?? false)
        case .arrayConstructor(let items): return items.contains(where: containsAggregate)
        default: return false
        }
    }
}
