package import DataModel
internal import Expressions

/// A named rewrite of the logical plan (named so EXPLAIN and the
/// `disabledRules` context key can refer to it).
package protocol OptimizerRule: Sendable {
    var name: String { get }
    func rewrite(_ plan: LogicalPlan) -> LogicalPlan
}

/// The plan after each optimizer rule, for EXPLAIN.
package final class OptimizerTrace: @unchecked Sendable {
    package var steps: [(rule: String, plan: LogicalPlan)] = []

    package init() {}
}

/// Runs the rules in order, each once, and checks that none changed the
/// plan's output fields (an invariant every rule must keep).
package struct Optimizer: Sendable {
    package static let defaultRules: [any OptimizerRule] = [PushFilterIntoScan(), PruneTimeIntervals(), PruneScanColumns()]

    package var rules: [any OptimizerRule]

    package init(disabled: Set<String> = []) {
        rules = Optimizer.defaultRules.filter { !disabled.contains($0.name) }
    }

    package func optimize(_ plan: LogicalPlan) throws(HengeError) -> LogicalPlan {
        try optimize(plan, trace: nil)
    }

    /// Optimizes and, when `trace` is given, records the plan after each rule
    /// (what `EXPLAIN` shows with the `explainRuleTrace` context flag).
    package func optimize(_ plan: LogicalPlan, trace: OptimizerTrace?) throws(HengeError) -> LogicalPlan {
        var p = plan
        trace?.steps.append(("initial", p))
        for rule in rules {
            let next = rule.rewrite(p)
            guard next.fields.map(\.type) == p.fields.map(\.type), next.fields.count == p.fields.count else {
                throw HengeError.defensive("optimizer rule \(rule.name) changed the plan's output fields")
            }
            p = next
            trace?.steps.append((rule.name, p))
        }
        return p
    }
}

extension LogicalPlan {
    /// Rebuilds the plan bottom-up, applying `f` to every node after its inputs.
    package func transformUp(_ f: (LogicalPlan) -> LogicalPlan) -> LogicalPlan {
        let rebuilt: LogicalPlan
        switch self {
        case .scan: rebuilt = self
        case .filter(let p, let e): rebuilt = .filter(p.transformUp(f), e)
        case .project(let p, let e, let n): rebuilt = .project(p.transformUp(f), exprs: e, names: n)
        case .aggregate(let p, let k, let a, let n): rebuilt = .aggregate(p.transformUp(f), keys: k, aggregates: a, names: n)
        case .sort(let p, let k): rebuilt = .sort(p.transformUp(f), k)
        case .limit(let p, let l, let o): rebuilt = .limit(p.transformUp(f), limit: l, offset: o)
        case .unionAll(let ps): rebuilt = .unionAll(ps.map { $0.transformUp(f) })
        }
        return f(rebuilt)
    }
}

/// `filter(scan)` → a scan that filters while reading.
struct PushFilterIntoScan: OptimizerRule {
    let name = "push_filter_into_scan"

    func rewrite(_ plan: LogicalPlan) -> LogicalPlan {
        plan.transformUp { node in
            guard case .filter(.scan(var scan), let predicate) = node else { return node }
            scan.filter = scan.filter.map { .call("AND", [$0, predicate], .boolean) } ?? predicate
            return .scan(scan)
        }
    }
}

/// Derives the `__time` ranges a datasource scan must read from its filter,
/// so segments outside them are never opened.
struct PruneTimeIntervals: OptimizerRule {
    let name = "prune_time_intervals"

    func rewrite(_ plan: LogicalPlan) -> LogicalPlan {
        plan.transformUp { node in
            guard case .scan(var scan) = node, case .dataSource = scan.source, let filter = scan.filter,
                  let timeIndex = scan.projection.firstIndex(where: { scan.tableFields[$0].name == "__time" }) else { return node }
            var lo = Interval.eternity.start, hi = Interval.eternity.end
            for c in conjuncts(filter) {
                guard case .call(let op, let args, _) = c, args.count == 2 else { continue }
                var (l, r, name) = (args[0], args[1], op)
                if case .literal = l, case .column = r {
                    swap(&l, &r)
                    name = ["LESS_THAN": "GREATER_THAN", "GREATER_THAN": "LESS_THAN", "LESS_THAN_OR_EQUAL": "GREATER_THAN_OR_EQUAL",
                            "GREATER_THAN_OR_EQUAL": "LESS_THAN_OR_EQUAL"][op] ?? op
                }
                guard case .column(timeIndex, .timestamp) = l, case .literal(let v, .timestamp) = r, let t = v.longValue else { continue }
                switch name {
                case "GREATER_THAN_OR_EQUAL": lo = max(lo, t)
                case "GREATER_THAN": lo = max(lo, t + 1)
                case "LESS_THAN": hi = min(hi, t)
                case "LESS_THAN_OR_EQUAL": hi = min(hi, t + 1)
                case "EQUALS": lo = max(lo, t); hi = min(hi, t + 1)
                default: break
                }
            }
            guard lo != Interval.eternity.start || hi != Interval.eternity.end else { return node }
            scan.intervals = lo < hi ? [Interval(start: lo, end: hi)] : []
            return .scan(scan)
        }
    }

    func conjuncts(_ e: ScalarExpr) -> [ScalarExpr] {
        if case .call("AND", let args, _) = e { return args.flatMap(conjuncts) }
        return [e]
    }
}

/// Reads only the columns the plan above a scan uses.
struct PruneScanColumns: OptimizerRule {
    let name = "prune_scan_columns"

    func rewrite(_ plan: LogicalPlan) -> LogicalPlan {
        prune(plan, required: Set(plan.fields.indices)).0
    }

    /// Returns the pruned plan and a map from old to new output positions.
    func prune(_ plan: LogicalPlan, required: Set<Int>) -> (LogicalPlan, [Int: Int]) {
        func identity(_ p: LogicalPlan) -> [Int: Int] { Dictionary(uniqueKeysWithValues: p.fields.indices.map { ($0, $0) }) }
        switch plan {
        case .scan(var scan):
            let needed = required.union(scan.filter?.referencedColumns ?? [])
            let keep = scan.projection.indices.filter { needed.contains($0) }
            var map: [Int: Int] = [:]
            for (new, old) in keep.enumerated() { map[old] = new }
            scan.filter = scan.filter?.remapColumns { map[$0]! }
            scan.projection = keep.map { scan.projection[$0] }
            scan.filterOnlyColumns = keep.indices.filter { !required.contains(keep[$0]) }
            return (.scan(scan), map)
        case .filter(let input, let pred):
            let (p, map) = prune(input, required: required.union(pred.referencedColumns))
            return (.filter(p, pred.remapColumns { map[$0]! }), map)
        case .project(let input, let exprs, let names):
            let used = exprs.reduce(into: Set<Int>()) { $0.formUnion($1.referencedColumns) }
            let (p, map) = prune(input, required: used)
            return (.project(p, exprs: exprs.map { $0.remapColumns { map[$0]! } }, names: names), identity(plan))
        case .aggregate(let input, let keys, let aggs, let names):
            var used = keys.reduce(into: Set<Int>()) { $0.formUnion($1.referencedColumns) }
            for a in aggs {
                used.formUnion(a.argument?.referencedColumns ?? [])
                used.formUnion(a.filter?.referencedColumns ?? [])
                used.formUnion(a.timeArgument?.referencedColumns ?? [])
            }
            let (p, map) = prune(input, required: used)
            let newAggs = aggs.map { a -> AggregateCall in
                var c = a
                c.argument = a.argument?.remapColumns { map[$0]! }
                c.filter = a.filter?.remapColumns { map[$0]! }
                c.timeArgument = a.timeArgument?.remapColumns { map[$0]! }
                return c
            }
            return (.aggregate(p, keys: keys.map { $0.remapColumns { map[$0]! } }, aggregates: newAggs, names: names), identity(plan))
        case .sort(let input, let keys):
            let all = Set(input.fields.indices)
            let (p, map) = prune(input, required: all)
            return (.sort(p, keys.map { SortKey(column: map[$0.column]!, descending: $0.descending, nullsFirst: $0.nullsFirst) }), map)
        case .limit(let input, let l, let o):
            let (p, map) = prune(input, required: Set(input.fields.indices))
            return (.limit(p, limit: l, offset: o), map)
        case .unionAll(let inputs):
            return (.unionAll(inputs.map { prune($0, required: Set($0.fields.indices)).0 }), identity(plan))
        }
    }
}
