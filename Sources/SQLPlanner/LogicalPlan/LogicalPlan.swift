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
