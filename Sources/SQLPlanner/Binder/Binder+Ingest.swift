internal import DataModel
internal import SQLSyntax
internal import Expressions

/// Druid's INSERT/REPLACE validation (reference §1.3–§1.15).
extension Binder {
    mutating func bindIngest(_ s: IngestStatement, mode: IngestMode) throws(HengeError) -> IngestPlan {
        let op = mode.rawValue
        let dataSource = try Binder.targetDataSource(s.target, op: op, range: s.targetRange)
        if s.targetColumns != nil {
            throw HengeError.invalidInput("\(op) with a target column list is not supported.", range: s.targetRange)
        }
        // REPLACE needs OVERWRITE ALL/WHERE, INSERT must not have one; PARTITIONED BY is required for both.
        if mode == .insert && s.overwrite != nil {
            throw HengeError.invalidInput(
                "An OVERWRITE clause is not allowed with INSERT statements. Use REPLACE statements if overwriting existing segments is required or remove the OVERWRITE clause.")
        }
        if mode == .replace && (s.overwrite == nil || s.overwrite == .missing) {
            throw HengeError.invalidInput(
                "Missing time chunk information in OVERWRITE clause for REPLACE. Use OVERWRITE WHERE <__time based condition> or OVERWRITE ALL to overwrite the entire table.")
        }
        guard let partitionedBy = s.partitionedBy else {
            throw HengeError.invalidInput("\(op) statements must specify a PARTITIONED BY clause explicitly")
        }
        let granularity = try Binder.granularity(partitionedBy)
        for key in ["sqlInsertSegmentGranularity", "sqlReplaceTimeChunks", "__timeColumn", "isReindex", "__exportFileFormat"]
        where context.queryContext[key] != nil {
            throw HengeError.invalidInput("Query context parameter [\(key)] is reserved and cannot be set by the user")
        }
        if context.queryContext["sqlOuterLimit"] != nil {
            throw HengeError.invalidInput("Context parameter [sqlOuterLimit] cannot be provided on operator [\(op)]")
        }
        if !s.query.orderBy.isEmpty {
            throw HengeError.invalidInput("Cannot use an ORDER BY clause on a Query of type [\(op)], use CLUSTERED BY instead")
        }
        if s.query.offset != nil {
            throw HengeError.invalidInput("INSERT and REPLACE queries cannot have an OFFSET.")
        }
        var limit: Int? = nil
        if let l = s.query.limit {
            guard granularity == .all else {
                throw HengeError.invalidInput("INSERT and REPLACE queries cannot have a LIMIT unless PARTITIONED BY is \"ALL\".")
            }
            guard case .literal(.integer(let t)) = l.kind, let n = Int(t), n >= 0 else {
                throw HengeError.invalidInput("LIMIT must be a non-negative integer literal", range: l.range)
            }
            limit = n
        }
        var bodyQuery = s.query
        bodyQuery.limit = nil
        storesIntermediateAggregates = try context.queryContext.bool("finalizeAggregations") == false
        var plan = try bindQuery(bodyQuery)
        storesIntermediateAggregates = false
        let isRollup: Bool = {
            if case .project(.aggregate, _, _) = plan { return true }
            if case .aggregate = plan { return true }
            return false
        }()
        try Binder.validateOutputNames(s.query, fields: plan.fields)
        var fields = plan.fields
        // __time must be a TIMESTAMP; absent means every row at the epoch (only with ALL).
        if let t = fields.firstIndex(where: { $0.name == "__time" }) {
            // Druid's validator takes TIMESTAMP or BIGINT (epoch millis, the same stored value).
            guard fields[t].type == .timestamp || fields[t].type == .bigint else {
                throw HengeError.invalidInput("Field [__time] was the wrong type [\(fields[t].type)], expected TIMESTAMP")
            }
            if fields[t].type == .bigint {
                plan = .project(plan, exprs: fields.indices.map { .column($0, $0 == t ? .timestamp : fields[$0].type) },
                                names: fields.map(\.name))
                fields = plan.fields
            }
            if t != 0 {
                var order = [t] + fields.indices.filter { $0 != t }
                if fields.count == 1 { order = [0] }
                plan = .project(plan, exprs: order.map { .column($0, fields[$0].type) }, names: order.map { fields[$0].name })
            }
        } else {
            guard granularity == .all else {
                throw HengeError.invalidInput(
                    "The granularity [\(granularity)] specified in the PARTITIONED BY clause of the \(op) query is different from ALL. Therefore, the query must specify a time column (named __time).")
            }
            plan = .project(plan, exprs: [.literal(.long(0), .timestamp)] + fields.indices.map { .column($0, fields[$0].type) },
                            names: ["__time"] + fields.map(\.name))
        }
        plan = try applyArrayIngestMode(plan, dataSource: dataSource)
        fields = plan.fields
        var replaceIntervals: [Interval]? = nil
        if mode == .replace, let overwrite = s.overwrite {
            switch overwrite {
            case .all: replaceIntervals = [.eternity]
            case .whereClause(let cond):
                replaceIntervals = try OverwriteIntervals.resolve(cond, eval: context.eval)
                for i in replaceIntervals! where granularity == .all ? i != .eternity : !(granularity.isAligned(i.start) && granularity.isAligned(i.end)) {
                    throw HengeError.invalidInput(
                        "OVERWRITE WHERE clause identified interval [\(i)] which is not aligned with PARTITIONED BY granularity [\(granularity.javaDescription)]")
                }
            case .missing: break
            }
        }
        var clustered: [Int] = []
        var clusteredDisplay: [String] = []
        for item in s.clusteredBy {
            if item.descending {
                throw HengeError.invalidInput("Invalid CLUSTERED BY clause [\(Binder.render(item.expr)) DESC]: cannot sort in descending order.")
            }
            if case .literal(.integer(let t)) = item.expr.kind, let n = Int(t) {
                guard n >= 1 else {
                    throw HengeError.invalidInput("Ordinal [\(n)] specified in the CLUSTERED BY clause is invalid. It must be a positive integer.")
                }
                guard n <= fields.count else {
                    throw HengeError.invalidInput("Ordinal out of range: \(n) in CLUSTERED BY clause")
                }
                // Ordinals count select items in written order.
                let name = s.query.body.selectItemName(n - 1) ?? fields[n - 1].name
                clustered.append(fields.firstIndex { $0.name == name } ?? n - 1)
                clusteredDisplay.append(name)
                continue
            }
            if case .identifier(let parts) = item.expr.kind, parts.count == 1, let i = fields.firstIndex(where: { $0.name == parts[0] }) {
                clustered.append(i)
                clusteredDisplay.append(parts[0])
                continue
            }
            // An expression: it orders rows when it is one of the select items; otherwise (as in Druid) it only
            // shapes partitioning, which follows from time chunks here, so it does not change segment order.
            if let name = s.query.body.selectItemName(matching: item.expr), let i = fields.firstIndex(where: { $0.name == name }) {
                clustered.append(i)
                clusteredDisplay.append(Binder.displayExpression(item.expr))
                continue
            }
            var probe = self
            _ = try probe.bindQueryScopeCheck(s.query, item.expr)
            clusteredDisplay.append(Binder.displayExpression(item.expr))
        }
        var ingest = IngestPlan(mode: mode, dataSource: dataSource, query: plan, granularity: granularity, replaceIntervals: replaceIntervals,
                                clusteredBy: clustered, isRollup: isRollup, limit: limit)
        ingest.clusteredByDisplay = clusteredDisplay
        ingest.inferredInputs = inferredNotes.inputs.map(\.serialized)
        ingest.segmentSortOrder = try segmentSortOrder(fields: fields, clustered: clustered)
        (ingest.rangeDimensions, ingest.numberedReason) = Binder.shardColumns(
            mode: mode, fields: fields, clustered: clustered, clusteredDisplay: clusteredDisplay, clusteredCount: s.clusteredBy.count)
        return ingest
    }

    /// Druid's in-segment sort order (reference §1.6): `segmentSortOrder`
    /// columns, `__time`, CLUSTERED BY, the rest. With
    /// `forceSegmentSortByTime` (default true) `__time` must come first
    /// (DruidSqlValidator.validateSortOrderBeginsWithTimeIfRequired); without
    /// it, `__time` goes where the list names it, else after the listed and
    /// clustering columns.
    func segmentSortOrder(fields: [Field], clustered: [Int]) throws(HengeError) -> [Int] {
        let forceTime = try context.queryContext.bool("forceSegmentSortByTime") ?? true
        let listed = Binder.stringList(context.queryContext["segmentSortOrder"])
        let warning = "Warning: support for segments not sorted by[__time] is experimental. Such segments are not readable by older version of Druid, and certain queries cannot run on them. See https://druid.apache.org/docs/latest/ingestion/partitioning#sorting for details before setting forceSegmentSortByTime to[false]."
        if forceTime {
            if let first = listed.first, first != "__time" {
                throw HengeError.invalidInput(
                    "Context parameter[segmentSortOrder] must start with[__time] unless context parameter[forceSegmentSortByTime] is set to[false]. \(warning)")
            }
            if listed.isEmpty, let p = clustered.firstIndex(of: 0), p > 0 {
                throw HengeError.invalidInput(
                    "Sort order (CLUSTERED BY) cannot include[__time] in position[\(p)] unless context parameter[forceSegmentSortByTime] is set to[false]. \(warning)")
            }
        }
        var order: [Int] = []
        func add(_ i: Int) { if !order.contains(i) { order.append(i) } }
        for name in listed {
            guard let i = fields.firstIndex(where: { $0.name == name }) else {
                throw HengeError.invalidInput("Column[\(name)] from context parameter[segmentSortOrder] is not in the query output")
            }
            add(i)
        }
        if forceTime { add(0) }
        clustered.forEach(add)
        add(0)
        fields.indices.forEach(add)
        return order
    }

    /// Druid's choice of shard spec (ControllerImpl.computeShardColumns,
    /// reference §8.7): range partitioning on the CLUSTERED BY columns when
    /// the statement is a REPLACE and every key is a STRING output column;
    /// else numbered, with Druid's reason. (Multi-valued keys are found
    /// while writing and fall back there.)
    static func shardColumns(mode: IngestMode, fields: [Field], clustered: [Int], clusteredDisplay: [String],
                             clusteredCount: Int) -> ([String]?, String) {
        if mode == .insert { return (nil, "Using NumberedShardSpec to generate segments since the query is inserting rows.") }
        if clusteredCount == 0 { return (nil, "Using NumberedShardSpec as no columns are supplied in the 'CLUSTERED BY' clause.") }
        if clustered.count < clusteredCount {
            // A CLUSTERED BY expression that is not one of the output columns.
            let missing = clusteredDisplay.first { name in !fields.contains { $0.name == name } } ?? clusteredDisplay.last ?? ""
            return (nil, "Cannot use RangeShardSpec, Could not find output column name for column [\(missing)]. Using NumberedShardSpec instead.")
        }
        var dims: [String] = []
        for i in clustered {
            guard fields[i].type == .varchar else {
                return (nil, "Cannot use RangeShardSpec, RangedShardSpec only supports string CLUSTER BY keys. Using NumberedShardSpec instead.")
            }
            dims.append(fields[i].name)
        }
        return (dims, "Using RangeShardSpec to generate segments.")
    }

    /// Validates the target name (1 part, or `druid.<name>`) and Druid's datasource name rules.
    static func targetDataSource(_ parts: [String], op: String, range: SourceRange) throws(HengeError) -> String {
        let name: String
        switch parts.count {
        case 1: name = parts[0]
        case 2:
            guard parts[0] == "druid" else {
                throw HengeError.invalidInput("Cannot \(op) into [\(parts.joined(separator: "."))] because the table is not in the 'druid' schema", range: range)
            }
            name = parts[1]
        default:
            throw HengeError.invalidInput("Druid does not support 3+ part names: [\(parts.joined(separator: "."))]", range: range)
        }
        if name.isEmpty { throw HengeError.invalidInput("dataSource cannot be null or empty. Please provide a dataSource.", range: range) }
        if name.hasPrefix(".") { throw HengeError.invalidInput("dataSource cannot start with the '.' character.", range: range) }
        if name.contains("/") { throw HengeError.invalidInput("dataSource cannot contain the '/' character.", range: range) }
        for u in name.unicodeScalars {
            if u != " " && (u.properties.isWhitespace) {
                throw HengeError.invalidInput("dataSource cannot contain whitespace character except space.", range: range)
            }
            if (0x01...0x1F).contains(u.value) || (0x80...0x9F).contains(u.value) {
                throw HengeError.invalidInput("dataSource cannot contain control characters.", range: range)
            }
        }
        return name
    }

    /// Every output needs a real name; names must be unique.
    static func validateOutputNames(_ q: Query, fields: [Field]) throws(HengeError) {
        var seen = Set<String>()
        for (i, f) in fields.enumerated() {
            if f.name.hasPrefix("EXPR$") {
                throw HengeError.invalidInput(
                    "Expression [\(i + 1)] must provide an alias to specify the target column: func(X) AS myColumn")
            }
            if !seen.insert(f.name).inserted {
                throw HengeError.invalidInput("Duplicate field in SELECT: [\(f.name)]")
            }
        }
    }

    /// PARTITIONED BY → granularity (`DruidSqlParserUtils.convertSqlNodeToGranularity`).
    static func granularity(_ p: PartitionedBy) throws(HengeError) -> Granularity {
        let suggestions = (Granularity.standard.map(\.name).filter { $0 != "WEEK" } + ["ALL"]).map { "'\($0)'" }.joined(separator: ", ")
        func invalid(_ node: String) -> HengeError {
            HengeError.invalidInput(
                "Invalid granularity[\(node)] specified after PARTITIONED BY clause. Expected \(suggestions), ALL TIME, FLOOR() or TIME_FLOOR()")
        }
        switch p {
        case .keyword(let k, _):
            guard let g = Granularity(name: k) else { throw invalid(k) }
            return g
        case .string(let s, _):
            guard let g = Granularity(nameOrPeriod: s) else { throw invalid("'\(s)'") }
            return g
        case .expression(let e):
            switch e.kind {
            case .floorCeilTo(let fn, let arg, let unit):
                guard fn == "FLOOR" else {
                    throw HengeError.invalidInput(
                        "Invalid operator[\(fn)] specified. PARTITIONED BY clause only supports FLOOR(__time TO <unit>) and TIME_FLOOR(__time, period) functions.")
                }
                try requireTimeColumn(arg, op: fn)
                guard let period = unitPeriod(unit), Granularity.standard.contains(where: { $0.period == period }) else {
                    throw HengeError.invalidInput("\(unit) is not a valid period granularity for ingestion.")
                }
                return .period(period)
            case .call(let name, let args, _, _):
                guard name == "TIME_FLOOR" || name == "FLOOR" else {
                    throw HengeError.invalidInput(
                        "Invalid operator[\(name)] specified. PARTITIONED BY clause only supports FLOOR(__time TO <unit>) and TIME_FLOOR(__time, period) functions.")
                }
                guard args.count == 2 else {
                    throw HengeError.invalidInput("\(name) in PARTITIONED BY clause must have 2 arguments, but only [\(args.count)] provided.")
                }
                try requireTimeColumn(args[0].value, op: name)
                guard name == "TIME_FLOOR" else {
                    throw HengeError.invalidInput(
                        "Second argument[\(render(args[1].value))] to the FLOOR function in PARTITIONED BY clause is not a valid granularity. Please refer to the documentation of FLOOR function.")
                }
                guard case .literal(.string(let period)) = args[1].value.kind else {
                    throw HengeError.invalidInput(
                        "Invalid argument[\(render(args[1].value))] provided. The second argument to TIME_FLOOR in PARTITIONED BY clause must be a period like 'PT1H'.")
                }
                guard let parsed = Period(iso: period) else {
                    throw HengeError.invalidInput("granularity['\(period)'] is an invalid period literal.")
                }
                guard Granularity.standard.contains(where: { $0.period == parsed }) else { throw invalid("TIME_FLOOR(__time, '\(period)')") }
                return .period(parsed)
            default:
                throw invalid(render(e))
            }
        }
    }

    static func requireTimeColumn(_ e: Expr, op: String) throws(HengeError) {
        guard case .identifier(let parts) = e.kind else {
            throw HengeError.invalidInput(
                "Invalid argument type[\(render(e))] provided. The first argument to \(op) in PARTITIONED BY clause must be __time.")
        }
        guard parts == ["__time"] else {
            throw HengeError.invalidInput(
                "Invalid argument[\(parts.joined(separator: "."))] provided. The first argument to \(op) in PARTITIONED BY clause must be __time.")
        }
    }

    /// A short SQL rendering of an expression, for messages.
    static func render(_ e: Expr) -> String {
        switch e.kind {
        case .identifier(let parts): return parts.map { "`\($0)`" }.joined(separator: ".")
        case .literal(.string(let s)): return "'\(s)'"
        case .literal(.integer(let t)), .literal(.decimal(let t)): return t
        case .call(let name, let args, _, _): return "\(name)(\(args.map { render($0.value) }.joined(separator: ", ")))"
        case .floorCeilTo(let fn, let a, let unit): return "\(fn)(\(render(a)) TO \(unit))"
        default: return "expression"
        }
    }
}

extension Binder {
    /// Checks that a CLUSTERED BY expression binds over the query's FROM clause.
    mutating func bindQueryScopeCheck(_ q: Query, _ e: Expr) throws(HengeError) -> ScalarExpr {
        guard case .select(let sel) = q.body else {
            throw HengeError.unsupported("CLUSTERED BY expressions need a plain SELECT", range: e.range)
        }
        let (_, scope) = try bindFrom(sel.from)
        return try bindExpr(e, scope, aggregates: nil)
    }

    /// Druid's display of a CLUSTERED BY expression: Calcite's unparse, e.g. `CEIL("m2")`.
    static func displayExpression(_ e: Expr) -> String {
        switch e.kind {
        case .identifier(let parts): return parts.map { "\"\($0)\"" }.joined(separator: ".")
        case .literal(.string(let s)): return "'\(s)'"
        case .literal(.integer(let t)), .literal(.decimal(let t)): return t
        case .call(let name, let args, _, _): return "\(name)(\(args.map { displayExpression($0.value) }.joined(separator: ", ")))"
        case .floorCeilTo(let fn, let a, let unit): return "\(fn)(\(displayExpression(a)) TO \(unit))"
        case .binary(let op, let a, let b): return "\(displayExpression(a)) \(op.rawValue) \(displayExpression(b))"
        default: return "expression"
        }
    }
}

extension QueryBody {
    /// The output name of the select item written exactly as `e`, if any.
    func selectItemName(matching e: Expr) -> String? {
        switch self {
        case .select(let s):
            guard let i = s.items.firstIndex(where: { $0.expr.kind == e.kind }) else { return nil }
            return s.items[i].alias ?? Binder.implicitName(s.items[i].expr, index: i)
        case .unionAll(let a, _): return a.selectItemName(matching: e)
        case .nested(let q): return q.body.selectItemName(matching: e)
        }
    }

    /// Alias or implicit name of the n-th (0-based) select item of the first SELECT.
    func selectItemName(_ n: Int) -> String? {
        switch self {
        case .select(let s):
            guard n < s.items.count else { return nil }
            return s.items[n].alias ?? Binder.implicitName(s.items[n].expr, index: n)
        case .unionAll(let a, _): return a.selectItemName(n)
        case .nested(let q): return q.body.selectItemName(n)
        }
    }
}
