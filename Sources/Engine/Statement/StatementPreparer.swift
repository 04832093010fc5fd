internal import DataModel
internal import SQLSyntax
internal import SQLPlanner
internal import Expressions

/// A statement ready to run: its context (request context plus SET
/// statements) and its optimized bound form.
struct PreparedStatement: Sendable {
    var context: QueryContext
    var bound: BoundStatement
    var planning: PlanningContext
    /// Uncorrelated subqueries the statement refers to (see `SubqueryResolver`).
    var subqueries: [LogicalPlan]
    /// The plan after each optimizer rule, for EXPLAIN with `explainRuleTrace`.
    var trace: OptimizerTrace?
}

/// Parse → SET → bind → optimize, shared by both SQL endpoints.
enum StatementPreparer {
    /// `inferSchema` samples external inputs given without a signature.
    static func prepare(_ request: SQLRequest, catalog: any Catalog, nowMillis: Int64,
                        inferSchema: SchemaInferrer? = nil) throws(HengeError) -> PreparedStatement {
        let script = try Parser.parseScript(request.query)
        var context = request.context
        for (key, value) in script.settings {
            context.set(key, jsonValue(value))
        }
        var planning = try PlanningContext(catalog: catalog, queryContext: context, parameters: request.parameters, nowMillis: nowMillis,
                                           zoneResolver: TimeZoneDatabase.resolver)
        planning.inferSchema = inferSchema
        var binder = Binder(context: planning)
        var bound = try binder.bind(script.statement)
        let disabled = Set((context.string("disabledRules") ?? "").split(separator: ",").map { String($0).trimmingSpaces })
        let optimizer = Optimizer(disabled: disabled)
        var trace: OptimizerTrace? = nil
        if case .explain = bound, (try? context.bool("explainRuleTrace")) == true { trace = OptimizerTrace() }
        bound = try optimize(bound, optimizer, trace: trace)
        var subqueries: [LogicalPlan] = []
        for s in binder.subqueries { subqueries.append(try optimizer.optimize(s)) }
        return PreparedStatement(context: context, bound: bound, planning: planning, subqueries: subqueries, trace: trace)
    }

    static func optimize(_ s: BoundStatement, _ optimizer: Optimizer, trace: OptimizerTrace? = nil) throws(HengeError) -> BoundStatement {
        switch s {
        case .query(let p): return .query(try optimizer.optimize(p, trace: trace))
        case .ingest(var i):
            i.query = try optimizer.optimize(i.query, trace: trace)
            return .ingest(i)
        case .explain(let inner): return .explain(try optimize(inner, optimizer, trace: trace))
        }
    }

    static func jsonValue(_ lit: Literal) -> JSONValue {
        switch lit {
        case .null: .null
        case .boolean(let b): .bool(b)
        case .integer(let t): Int64(t).map(JSONValue.int) ?? .string(t)
        case .decimal(let t): Double(t).map(JSONValue.double) ?? .string(t)
        case .string(let s), .timestamp(let s), .date(let s): .string(s)
        case .interval(let t, _, _): .string(t)
        }
    }
}
