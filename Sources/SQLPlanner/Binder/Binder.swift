package import DataModel
package import SQLSyntax
internal import Expressions

/// Turns a parsed statement into a typed `BoundStatement`: resolves names
/// against the catalog and EXTERN signatures, types expressions, and
/// applies Druid's validation rules for INSERT/REPLACE.
package struct Binder {
    let context: PlanningContext
    /// Common table expressions in scope, by name.
    var ctes: [String: LogicalPlan] = [:]
    /// Uncorrelated subqueries met while binding, shared by nested binders.
    let subqueryCollector = SubqueryCollector()
    /// Notes of the schemas inferred while binding (for DESCRIBE).
    let inferredNotes = InferredNotes()
    /// Set while binding an INSERT/REPLACE with `finalizeAggregations:
    /// false`: EARLIEST/LATEST then yield their intermediate time/value pair
    /// (`SQLType.pair`) for the segments to store.
    var storesIntermediateAggregates = false

    package init(context: PlanningContext) {
        self.context = context
    }

    /// Plans of the subqueries referenced by `SCALAR_SUBQUERY(i)` and
    /// `IN_SUBQUERY(x, i)` in the bound statement, in dependency order.
    package var subqueries: [LogicalPlan] { subqueryCollector.plans }

    package mutating func bind(_ statement: Statement) throws(HengeError) -> BoundStatement {
        switch statement {
        case .query(let q):
            return .query(try bindQuery(q))
        case .insert(let s):
            return .ingest(try bindIngest(s, mode: .insert))
        case .replace(let s):
            return .ingest(try bindIngest(s, mode: .replace))
        case .explain(let inner, _):
            return .explain(try bind(inner))
        case .describe(let item, _):
            return .query(try bindDescribe(item))
        }
    }

    /// Column name Calcite gives an unaliased select item.
    static func implicitName(_ expr: Expr, index: Int) -> String {
        if case .identifier(let parts) = expr.kind { return parts.last! }
        return "EXPR$\(index)"
    }
}

/// Column notes of inferred external schemas, shared by nested binders.
final class InferredNotes: @unchecked Sendable {
    var notes: [String: String] = [:]
    /// Every input whose signature was inferred: its source and format
    /// specs with the signature found (for the task report).
    var inputs: [JSONValue] = []
}

extension Binder {
    /// DESCRIBE as a query: one row per column (COLUMN_NAME, DATA_TYPE, NOTE),
    /// NOTE saying what sampling an external input found about the column.
    mutating func bindDescribe(_ item: FromItem) throws(HengeError) -> LogicalPlan {
        let (_, scope) = try bindFrom(item)
        let names = ["COLUMN_NAME", "DATA_TYPE", "NOTE"]
        let rows: [LogicalPlan] = scope.entries.map { entry in
            let note: ScalarExpr = inferredNotes.notes[entry.name].map { .literal(.string($0), .varchar) } ?? .literal(.null, .varchar)
            return .project(.scan(TableScan(source: .singleRow, tableFields: [])),
                            exprs: [.literal(.string(entry.name), .varchar), .literal(.string(entry.type.description), .varchar), note],
                            names: names)
        }
        return rows.count == 1 ? rows[0] : .unionAll(rows)
    }
}
