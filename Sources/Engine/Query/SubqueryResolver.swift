internal import DataModel
internal import SQLPlanner
internal import Expressions

/// Runs a statement's uncorrelated subqueries and replaces their
/// placeholders (`SCALAR_SUBQUERY(i)`, `IN_SUBQUERY(x, i)`) with the results,
/// so the rest of the engine only sees literals and `IN` lists.
struct SubqueryResolver {
    let subqueries: [LogicalPlan]
    /// Runs one resolved subquery plan to a batch.
    let run: (LogicalPlan) throws(HengeError) -> Batch

    /// Druid's limit for a subquery's rows (`maxSubqueryRows`).
    static let maxRows = 100_000

    func resolve(_ plan: LogicalPlan) throws(HengeError) -> LogicalPlan {
        guard !subqueries.isEmpty else { return plan }
        var results: [Batch] = []
        for (i, sub) in subqueries.enumerated() {
            // A subquery only refers to subqueries registered before it.
            let resolved = try substitute(sub, results: results)
            let batch = try run(resolved)
            if batch.rowCount > SubqueryResolver.maxRows {
                throw HengeError(code: "resourceLimitExceeded", category: .capacityExceeded,
                                 message: "Subquery [\(i)] generated results beyond maximum[\(SubqueryResolver.maxRows)] rows")
            }
            results.append(batch)
        }
        return try substitute(plan, results: results)
    }

    private func substitute(_ plan: LogicalPlan, results: [Batch]) throws(HengeError) -> LogicalPlan {
        try plan.mapExpressions { (e: ScalarExpr) throws(HengeError) -> ScalarExpr in
            try e.transformUp { (node: ScalarExpr) throws(HengeError) -> ScalarExpr in
                guard case .call(let name, let args, let type) = node,
                      name == SubqueryCollector.scalarFunction || name == SubqueryCollector.inFunction,
                      case .literal(let idx, _)? = args.last, let i = idx.longValue.map(Int.init), i < results.count else { return node }
                let batch = results[i]
                if name == SubqueryCollector.scalarFunction {
                    guard batch.rowCount <= 1 else {
                        throw HengeError.invalidInput("Scalar subquery returned more than one row (\(batch.rowCount) rows)")
                    }
                    return .literal(batch.rowCount == 0 ? .null : batch.columns[0].value(at: 0), type)
                }
                // x IN (values): an empty list is FALSE, even for a NULL x.
                guard batch.rowCount > 0 else { return .literal(.long(0), .boolean) }
                let column = batch.columns[0]
                let valueType = results[i].signature.columns[0].type.sqlType
                var seen = Set<ScalarValue>()
                var items: [ScalarExpr] = [args[0]]
                for r in 0..<batch.rowCount {
                    let v = column.value(at: r)
                    if seen.insert(v).inserted { items.append(.literal(v, v.isNull ? .null : valueType)) }
                }
                return try FunctionRegistry.bind("IN", items)
            }
        }
    }
}
