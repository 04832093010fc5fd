internal import DataModel
internal import SQLPlanner
internal import Expressions

/// `EXPLAIN PLAN FOR`: Druid's three columns, PLAN (JSON text), RESOURCES
/// (`[{name, type}]`) and ATTRIBUTES (statement type, target, partitioning).
enum ExplainOutput {
    static func rows(for statement: BoundStatement) -> (plan: String, resources: String, attributes: String) {
        switch statement {
        case .explain(let inner): return rows(for: inner)
        case .query(let plan):
            return (planJSON(plan).serialized, resourcesJSON(plan).serialized,
                    JSONValue.object([("statementType", "SELECT")]).serialized)
        case .ingest(let i):
            var resources = resourcesJSON(i.query).arrayValue ?? []
            resources.append(.object([("name", .string(i.dataSource)), ("type", "DATASOURCE")]))
            var attrs: [(String, JSONValue)] = [
                ("statementType", .string(i.mode.rawValue)),
                ("targetDataSource", .string(i.dataSource)),
                ("partitionedBy", .string(i.granularity == .all ? "ALL TIME" : i.granularity.description)),
            ]
            if !i.clusteredBy.isEmpty {
                attrs.append(("clusteredBy", .array(i.clusteredBy.map { .string(i.query.fields[$0].name) })))
            }
            if let r = i.replaceIntervals {
                attrs.append(("replaceTimeChunks", .string(r == [.eternity] ? "all" : r.map(\.description).joined(separator: ","))))
            }
            return (planJSON(i.query).serialized, JSONValue.array(resources).serialized, JSONValue.object(attrs).serialized)
        }
    }

    static func resourcesJSON(_ plan: LogicalPlan) -> JSONValue {
        var out: [JSONValue] = []
        func walk(_ p: LogicalPlan) {
            switch p {
            case .scan(let s):
                switch s.source {
                case .dataSource(let n): out.append(.object([("name", .string(n)), ("type", "DATASOURCE")]))
                case .external: out.append(.object([("name", "EXTERNAL"), ("type", "EXTERNAL")]))
                case .singleRow: break
                }
            case .filter(let i, _), .project(let i, _, _), .aggregate(let i, _, _, _), .sort(let i, _), .limit(let i, _, _): walk(i)
            case .unionAll(let xs): xs.forEach(walk)
            }
        }
        walk(plan)
        return .array(out)
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
