package import DataModel
internal import SQLPlanner
internal import MSQExec
internal import Expressions
internal import Metadata

extension HengeEngine {
    /// Runs a `/druid/v2/sql` statement in this process (no task).
    package func query(_ request: SQLRequest) async throws(HengeError) -> QueryResult {
        let now = clock()
        let queryID = request.context.string("sqlQueryId") ?? request.sqlQueryID
        let prepared = try StatementPreparer.prepare(request, catalog: catalog, nowMillis: now, inferSchema: schemaInferrer)
        switch prepared.bound {
        case .ingest(let plan):
            if plan.mode == .insert {
                throw HengeError.invalidInput("INSERT operations are not supported by requested SQL engine [native], consider using MSQ.")
            }
            throw HengeError.invalidInput("REPLACE operations are not supported by the requested SQL engine [native].  Consider using MSQ.")
        case .explain(.ingest(let plan)):
            // As Druid's native engine: ingestion (even explained) needs /druid/v2/sql/task.
            throw HengeError.invalidInput(plan.mode == .insert
                ? "INSERT operations are not supported by requested SQL engine [native], consider using MSQ."
                : "REPLACE operations are not supported by the requested SQL engine [native].  Consider using MSQ.")
        case .explain(let inner):
            return explainResult(inner, trace: prepared.trace, queryID: queryID)
        case .query(var plan):
            // sqlOuterLimit caps the rows of the whole query (Druid wraps the query in a LIMIT).
            if let outer = try prepared.context.int("sqlOuterLimit"), outer >= 0 {
                if case .limit(let input, let limit, let offset) = plan {
                    plan = .limit(input, limit: min(limit ?? outer, outer), offset: offset)
                } else {
                    plan = .limit(plan, limit: outer, offset: 0)
                }
            }
            // Registered so `DELETE /druid/v2/sql/{sqlQueryId}` can cancel it; operators check the flag between batches.
            let flag = CancellationFlag()
            runningQueries.withLock { $0[queryID, default: []].append(flag) }
            defer { runningQueries.withLock { $0[queryID]?.removeAll { $0 === flag }; if $0[queryID]?.isEmpty == true { $0[queryID] = nil } } }
            var executor = LocalExecutor(catalog: catalog, storage: storage, evaluator: Evaluator(context: prepared.planning.eval),
                                         cancellation: { flag.isCanceled })
            executor.inputPolicy = config.inputPolicy
            if ([plan] + prepared.subqueries).contains(where: \.readsSystemTable) {
                // Metadata rows are read only for queries over INFORMATION_SCHEMA / sys.
                let rows = SystemTableRows(catalog: catalog, segments: (try? metadata.usedSegments(dataSource: nil)) ?? [],
                                           tasks: (try? metadata.tasks()) ?? [], host: config.advertisedHost,
                                           port: advertisedPort.withLock { $0 })
                executor.systemRows = { rows.batch($0) }
            }
            let run = executor
            let finalPlan = plan
            let batch: Batch
            let subqueries = prepared.subqueries
            do {
                batch = try await DedicatedThread.run(name: "henge-query") {
                    let resolver = SubqueryResolver(subqueries: subqueries) { (p: LogicalPlan) throws(HengeError) -> Batch in
                        try run.execute(p)
                    }
                    return try run.execute(try resolver.resolve(finalPlan))
                }
            } catch let e as HengeError {
                throw e
            } catch {
                throw HengeError(code: "UnknownError", category: .runtimeFailure, message: String(describing: error))
            }
            let zone = prepared.planning.eval.timeZone
            return QueryResult(fields: plan.fields.map { ResultColumn(name: $0.name, type: $0.type) }, batch: batch, queryID: queryID,
                               timeZoneOffsetMillis: prepared.planning.eval.timeZoneOffsetMillis,
                               timeZoneOffset: { zone.offset(atUTC: $0) })
        }
    }

    /// Cancels every running `/druid/v2/sql` query with this id (Druid's
    /// `DELETE /druid/v2/sql/{sqlQueryId}`). Returns false when none runs.
    package func cancelQuery(_ queryID: String) -> Bool {
        let flags = runningQueries.withLock { $0[queryID] ?? [] }
        for f in flags { f.cancel() }
        return !flags.isEmpty
    }

    /// EXPLAIN for either endpoint: one row of PLAN, RESOURCES, ATTRIBUTES.
    package func explain(_ request: SQLRequest) async throws(HengeError) -> QueryResult? {
        let prepared = try StatementPreparer.prepare(request, catalog: catalog, nowMillis: clock(), inferSchema: schemaInferrer)
        guard case .explain(let inner) = prepared.bound else { return nil }
        return explainResult(inner, trace: prepared.trace, queryID: request.sqlQueryID)
    }

    func explainResult(_ inner: BoundStatement, trace: OptimizerTrace?, queryID: String) -> QueryResult {
        let (plan, resources, attributes) = ExplainOutput.rows(for: inner, trace: trace)
        var builders = (0..<3).map { _ in ColumnBuilder(type: .string) }
        builders[0].append(string: plan)
        builders[1].append(string: resources)
        builders[2].append(string: attributes)
        let sig = RowSignature(["PLAN", "RESOURCES", "ATTRIBUTES"].map { ColumnSpec(name: $0, type: .string) })
        let cols = builders.indices.map { builders[$0].finish() }
        return QueryResult(fields: ["PLAN", "RESOURCES", "ATTRIBUTES"].map { ResultColumn(name: $0, type: .varchar) },
                           batch: Batch(signature: sig, columns: cols, rowCount: 1), queryID: queryID)
    }
}
