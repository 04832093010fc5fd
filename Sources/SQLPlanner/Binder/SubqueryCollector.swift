internal import Expressions
internal import DataModel
internal import SQLSyntax

/// Collects uncorrelated subqueries met while binding. Expressions refer to
/// them by index through two placeholder calls that the engine replaces with
/// the subqueries' results before running the statement
/// (`SubqueryResolver`): `SCALAR_SUBQUERY(i)` and `IN_SUBQUERY(x, i)`.
package final class SubqueryCollector: @unchecked Sendable {
    package static let scalarFunction = "SCALAR_SUBQUERY"
    package static let inFunction = "IN_SUBQUERY"

    private(set) var plans: [LogicalPlan] = []

    func add(_ plan: LogicalPlan) -> Int {
        plans.append(plan)
        return plans.count - 1
    }
}

extension Binder {
    /// Binds a subquery that must produce exactly one column.
    func bindSubquery(_ q: Query, range: SourceRange) throws(HengeError) -> LogicalPlan {
        var nested = self
        let plan = try nested.bindQuery(q)
        guard plan.fields.count == 1 else {
            throw HengeError.invalidInput(
                "Subquery must return exactly one column, but returns \(plan.fields.count) (line [\(range.line)], column [\(range.column)])",
                range: range)
        }
        return plan
    }
}
