internal import DataModel
internal import SQLPlanner
internal import Expressions

/// `EXPLAIN PLAN FOR`: Druid's three columns.
///
/// - PLAN: JSON text shaped like Druid's native explanation,
///   `[{"query": ..., "signature": [...], "columnMappings": [...]}]`, where
///   `query` is Henge's optimized logical plan (and, with the context flag
///   `explainRuleTrace`, `ruleTrace`: the plan after every optimizer rule).
/// - RESOURCES: `[{"name", "type"}]`, sorted, as Druid lists them.
/// - ATTRIBUTES: `{statementType, targetDataSource, partitionedBy, clusteredBy, replaceTimeChunks}`
///   as Druid's `ExplainAttributes` serializes them.
enum ExplainOutput {
    static func rows(for statement: BoundStatement, trace: OptimizerTrace?) -> (plan: String, resources: String, attributes: String) {
        switch statement {
        case .explain(let inner): return rows(for: inner, trace: trace)
        case .query(let plan):
            return (planText(plan, mappings: false, trace: trace), resourcesJSON(plan, target: nil).serialized,
                    JSONValue.object([("statementType", "SELECT")]).serialized)
        case .ingest(let i):
            var attrs: [(String, JSONValue)] = [
                ("statementType", .string(i.mode.rawValue)),
                ("targetDataSource", .object([("type", "table"), ("tableName", .string(i.dataSource))])),
                ("partitionedBy", i.granularity == .all ? .object([("type", "all")]) : .string(i.granularity.description)),
            ]
            if !i.clusteredByDisplay.isEmpty {
                attrs.append(("clusteredBy", .array(i.clusteredByDisplay.map(JSONValue.string))))
            }
            if let r = i.replaceIntervals {
                attrs.append(("replaceTimeChunks", .string(r == [.eternity] ? "all" : r.map(\.description).joined(separator: ","))))
            }
            return (planText(i.query, mappings: true, trace: trace), resourcesJSON(i.query, target: i.dataSource).serialized,
                    JSONValue.object(attrs).serialized)
        }
    }

    static func planText(_ plan: LogicalPlan, mappings: Bool, trace: OptimizerTrace?) -> String {
        let fields = plan.fields
        var entry: [(String, JSONValue)] = [
            ("query", planJSON(plan)),
            ("signature", .array(fields.map { .object([("name", .string($0.name)), ("type", .string($0.type.nativeType.description))]) })),
        ]
        if mappings {
            entry.append(("columnMappings", .array(fields.map {
                .object([("queryColumn", .string($0.name)), ("outputColumn", .string($0.name))])
            })))
        }
        if let trace {
            entry.append(("ruleTrace", .array(trace.steps.map { .object([("rule", .string($0.rule)), ("plan", planJSON($0.plan))]) })))
        }
        return JSONValue.array([.object(entry)]).serialized
    }

    static func resourcesJSON(_ plan: LogicalPlan, target: String?) -> JSONValue {
        var resources = Set<[String]>()
        if let target { resources.insert([target, "DATASOURCE"]) }
        func walk(_ p: LogicalPlan) {
            switch p {
            case .scan(let s):
                switch s.source {
                case .dataSource(let n): resources.insert([n, "DATASOURCE"])
                case .external: resources.insert(["EXTERNAL", "EXTERNAL"])
                case .singleRow: break
                case .systemTable(let t): resources.insert([t.tableName, t.schema == "sys" ? "SYSTEM_TABLE" : "INFORMATION_SCHEMA"])
                }
            case .filter(let i, _), .project(let i, _, _), .aggregate(let i, _, _, _), .sort(let i, _), .limit(let i, _, _): walk(i)
            case .unionAll(let xs): xs.forEach(walk)
            }
        }
        walk(plan)
        return .array(resources.sorted { $0.lexicographicallyPrecedes($1) }.map { .object([("name", .string($0[0])), ("type", .string($0[1]))]) })
    }

    /// A JSON rendering of the logical plan, one object per node.
    static func planJSON(_ p: LogicalPlan) -> JSONValue {
        switch p {
        case .scan(let s):
            var m: [(String, JSONValue)] = [("op", "scan")]
            switch s.source {
            case .dataSource(let n): m.append(("dataSource", .string(n)))
            case .external(let e): m.append(("external", e.json))
            case .singleRow: m.append(("values", .array([.array([])])))
            case .systemTable(let t): m.append(("systemTable", .string(t.rawValue)))
            }
            m.append(("columns", .array(s.fields.map { .string($0.name) })))
            if let f = s.filter { m.append(("filter", .string(f.description))) }
            if let iv = s.intervals { m.append(("intervals", .array(iv.map { .string($0.description) }))) }
            return .object(m)
        case .filter(let i, let e): return .object([("op", "filter"), ("condition", .string(e.description)), ("input", planJSON(i))])
        case .project(let i, let exprs, let names):
            return .object([("op", "project"), ("columns", .object(zip(names, exprs).map { ($0, .string($1.description)) })), ("input", planJSON(i))])
        case .aggregate(let i, let keys, let aggs, _):
            return .object([("op", "aggregate"), ("keys", .array(keys.map { .string($0.description) })),
                            ("aggregates", .array(aggs.map { .string($0.description) })), ("input", planJSON(i))])
        case .sort(let i, let keys):
            return .object([("op", "sort"), ("keys", .array(keys.map { .string("$\($0.column) \($0.descending ? "DESC" : "ASC")") })), ("input", planJSON(i))])
        case .limit(let i, let l, let o):
            return .object([("op", "limit"), ("limit", l.map { .int(Int64($0)) } ?? .null), ("offset", .int(Int64(o))), ("input", planJSON(i))])
        case .unionAll(let xs): return .object([("op", "unionAll"), ("inputs", .array(xs.map(planJSON)))])
        }
    }
}
