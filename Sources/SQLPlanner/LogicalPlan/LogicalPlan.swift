package import DataModel
package import Expressions

/// A named, typed output column of a plan node.
package struct Field: Hashable, Sendable {
    package var name: String
    package var type: SQLType

    package init(name: String, type: SQLType) {
        self.name = name
        self.type = type
    }
}

/// What a scan reads.
package enum ScanSource: Hashable, Sendable {
    /// A published datasource.
    case dataSource(String)
    /// External files or inline data (`EXTERN`).
    case external(ExternalInputSpec)
    /// One row with no columns: the input of `SELECT` without `FROM`.
    case singleRow
    /// A metadata table (`INFORMATION_SCHEMA.TABLES`, `sys.segments`, ...).
    case systemTable(SystemTable)
}

/// A leaf: rows of a table, with whatever filter and column pruning the
/// optimizer pushed into it.
package struct TableScan: Hashable, Sendable {
    package var source: ScanSource
    /// All columns the source offers.
    package var tableFields: [Field]
    /// Indexes into `tableFields` actually read, in output order.
    package var projection: [Int]
    /// Predicate over the projected columns, applied while scanning.
    package var filter: ScalarExpr?
    /// `__time` ranges to read (datasources only); nil = all time.
    package var intervals: [Interval]?
    /// Positions among `fields` that only `filter` reads (nothing above the
    /// scan does): a segment whose bitmap indexes decide every conjunct
    /// naming such a field need not decode it (`PruneScanColumns` sets it).
    package var filterOnlyColumns: [Int] = []

    package init(source: ScanSource, tableFields: [Field]) {
        self.source = source
        self.tableFields = tableFields
        self.projection = Array(tableFields.indices)
    }

    package var fields: [Field] { projection.map { tableFields[$0] } }
}

/// One ORDER BY key over a node's output.
package struct SortKey: Hashable, Sendable {
    package var column: Int
    package var descending: Bool
    package var nullsFirst: Bool

    package init(column: Int, descending: Bool, nullsFirst: Bool) {
        self.column = column
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

/// The logical plan: what is computed, not how.
package indirect enum LogicalPlan: Hashable, Sendable {
    case scan(TableScan)
    case filter(LogicalPlan, ScalarExpr)
    /// Computes `exprs` over the input; output named `names`.
    case project(LogicalPlan, exprs: [ScalarExpr], names: [String])
    /// Groups by `keys` and computes `aggregates`; output = keys then aggregates.
    case aggregate(LogicalPlan, keys: [ScalarExpr], aggregates: [AggregateCall], names: [String])
    case sort(LogicalPlan, [SortKey])
    case limit(LogicalPlan, limit: Int?, offset: Int)
    /// Concatenation of inputs with the same field types.
    case unionAll([LogicalPlan])

    package var fields: [Field] {
        switch self {
        case .scan(let s): return s.fields
        case .filter(let p, _), .sort(let p, _), .limit(let p, _, _): return p.fields
        case .project(_, let exprs, let names): return zip(exprs, names).map { Field(name: $1, type: $0.type) }
        case .aggregate(_, let keys, let aggs, let names):
            let types = keys.map(\.type) + aggs.map(\.type)
            return zip(names, types).map { Field(name: $0, type: $1) }
        case .unionAll(let inputs): return inputs[0].fields
        }
    }
}

extension ScalarExpr {
    /// Rebuilds the expression bottom-up, applying `f` to every node after its arguments.
    package func transformUp(_ f: (ScalarExpr) throws(HengeError) -> ScalarExpr) throws(HengeError) -> ScalarExpr {
        switch self {
        case .column, .literal: return try f(self)
        case .call(let name, let args, let type):
            var out: [ScalarExpr] = []
            for a in args { out.append(try a.transformUp(f)) }
            return try f(.call(name, out, type))
        }
    }
}

extension LogicalPlan {
    /// Applies `f` to every expression of every node (filters, projections,
    /// aggregate keys, arguments and filters), keeping the plan's shape.
    package func mapExpressions(_ f: (ScalarExpr) throws(HengeError) -> ScalarExpr) throws(HengeError) -> LogicalPlan {
        switch self {
        case .scan(var s):
            if let filter = s.filter { s.filter = try f(filter) }
            return .scan(s)
        case .filter(let p, let e): return .filter(try p.mapExpressions(f), try f(e))
        case .project(let p, let exprs, let names):
            var out: [ScalarExpr] = []
            for e in exprs { out.append(try f(e)) }
            return .project(try p.mapExpressions(f), exprs: out, names: names)
        case .aggregate(let p, let keys, let aggs, let names):
            var k: [ScalarExpr] = []
            for e in keys { k.append(try f(e)) }
            var a: [AggregateCall] = []
            for var c in aggs {
                if let arg = c.argument { c.argument = try f(arg) }
                if let filter = c.filter { c.filter = try f(filter) }
                if let t = c.timeArgument { c.timeArgument = try f(t) }
                a.append(c)
            }
            return .aggregate(try p.mapExpressions(f), keys: k, aggregates: a, names: names)
        case .sort(let p, let keys): return .sort(try p.mapExpressions(f), keys)
        case .limit(let p, let l, let o): return .limit(try p.mapExpressions(f), limit: l, offset: o)
        case .unionAll(let ps):
            var out: [LogicalPlan] = []
            for p in ps { out.append(try p.mapExpressions(f)) }
            return .unionAll(out)
        }
    }
}

extension LogicalPlan {
    /// True when some scan reads an `INFORMATION_SCHEMA` or `sys` table.
    /// The datasources the plan reads.
    package var dataSourcesRead: Set<String> {
        switch self {
        case .scan(let s): if case .dataSource(let name) = s.source { return [name] } else { return [] }
        case .filter(let p, _), .project(let p, _, _), .aggregate(let p, _, _, _), .sort(let p, _), .limit(let p, _, _):
            return p.dataSourcesRead
        case .unionAll(let ps): return ps.reduce(into: Set<String>()) { $0.formUnion($1.dataSourcesRead) }
        }
    }

    /// The external inputs the plan reads.
    package var externalInputs: [ExternalInputSpec] {
        switch self {
        case .scan(let s): if case .external(let spec) = s.source { return [spec] } else { return [] }
        case .filter(let p, _), .project(let p, _, _), .aggregate(let p, _, _, _), .sort(let p, _), .limit(let p, _, _):
            return p.externalInputs
        case .unionAll(let ps): return ps.flatMap(\.externalInputs)
        }
    }

    /// Every aggregate call of the plan, outermost first.
    package var aggregateCalls: [AggregateCall] {
        switch self {
        case .scan: return []
        case .aggregate(let p, _, let calls, _): return calls + p.aggregateCalls
        case .filter(let p, _), .project(let p, _, _), .sort(let p, _), .limit(let p, _, _): return p.aggregateCalls
        case .unionAll(let ps): return ps.flatMap(\.aggregateCalls)
        }
    }

    package var readsSystemTable: Bool {
        switch self {
        case .scan(let s): if case .systemTable = s.source { return true } else { return false }
        case .filter(let p, _), .project(let p, _, _), .aggregate(let p, _, _, _), .sort(let p, _), .limit(let p, _, _):
            return p.readsSystemTable
        case .unionAll(let ps): return ps.contains(where: \.readsSystemTable)
        }
    }
}
