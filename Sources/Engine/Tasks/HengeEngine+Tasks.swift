package import DataModel
internal import Foundation
internal import Logging
internal import SQLPlanner
internal import MSQPlanner
internal import MSQKernel
internal import MSQExec
internal import Metadata
internal import Expressions
internal import Inputs
internal import Storage

extension HengeEngine {
    /// Validates and plans an INSERT/REPLACE, records the task, starts it in
    /// the background, and returns its id (`query-<sqlQueryId>`).
    /// Validation errors throw before anything is recorded.
    package func submitTask(_ request: SQLRequest) async throws(HengeError) -> String {
        let now = clock()
        let prepared = try StatementPreparer.prepare(request, catalog: catalog, nowMillis: now, inferSchema: schemaInferrer)
        var plan: IngestPlan
        switch prepared.bound {
        case .ingest(let p): plan = p
        case .query:
            throw HengeError.unsupported("SELECT through /druid/v2/sql/task is not supported yet; use /druid/v2/sql")
        case .explain:
            throw HengeError.defensive("EXPLAIN must be answered inline")
        }
        if !prepared.subqueries.isEmpty {
            var executor = LocalExecutor(catalog: catalog, storage: storage, evaluator: Evaluator(context: prepared.planning.eval),
                                         cancellation: { false })
            executor.inputPolicy = config.inputPolicy
            let resolver = SubqueryResolver(subqueries: prepared.subqueries) { (p: LogicalPlan) throws(HengeError) -> Batch in
                try executor.execute(p)
            }
            plan.query = try resolver.resolve(plan.query)
        }
        // Refuse local input outside the allowed directories before the task exists.
        for spec in plan.query.externalInputs { try InputFileLister.checkAccess(spec.source, policy: config.inputPolicy) }
        let ctx = prepared.context
        try MSQContextValidation.validate(ctx, mode: plan.mode)
        try MSQContextValidation.validateFinalization(ctx, plan: plan)
        let numTasks = try ctx.int("numTasks")
        let maxNumTasks = try ctx.int("maxNumTasks") ?? numTasks ?? 2
        if maxNumTasks < 2 {
            throw HengeError.invalidInput(
                "MSQ context maxNumTasks [\(maxNumTasks)] cannot be less than 2, since at least 1 controller and 1 worker is necessary")
        }
        let rowsPerSegment = try ctx.int("rowsPerSegment") ?? 3_000_000
        let queryID = ctx.string("sqlQueryId") ?? UUID().uuidString.lowercased()
        let taskID = "query-" + queryID
        let recorded = (try? metadata.task(id: taskID)) ?? nil
        if await registry.contains(taskID) || recorded != nil {
            throw HengeError(code: "invalidInput", category: .invalidInput, message: "Task [\(taskID)] already exists")
        }
        var planner = StagePlanner(queryID: taskID, workerCount: maxNumTasks - 1, rowsPerSegment: max(1, rowsPerSegment))
        planner.maxNumSegments = try ctx.int("maxNumSegments")
        let definition = try stageGraph(plan, with: planner)
        let record = TaskRecord(id: taskID, type: "query_controller", dataSource: plan.dataSource, createdTime: now, status: "RUNNING",
                                runnerStatus: "PENDING", durationMs: -1, errorMsg: nil, sqlQuery: request.query,
                                context: ctx.json.serialized, report: nil)
        do { try metadata.insertTask(record) } catch { throw MSQFault.unknownError("Cannot record task: \(error)") }
        await registry.add(LiveTask(id: taskID, dataSource: plan.dataSource, createdTime: now, startTime: nil, runnerStatus: .pending,
                                    controller: nil, plan: plan, context: ctx))
        let eval = prepared.planning.eval
        // Reindexing reads the segments visible once the task holds its lock: a stable snapshot no other
        // writer can change under it, even when REPLACE rewrites its own source (planned again then).
        let finalPlan = plan, basePlanner = planner
        let replan: @Sendable () throws(HengeError) -> QueryDefinition = { [self] () throws(HengeError) in
            try self.stageGraph(finalPlan, with: basePlanner)
        }
        Task.detached { [self] in
            await self.runTask(taskID: taskID, plan: plan, definition: plan.query.dataSourcesRead.isEmpty ? definition : nil,
                               replan: replan, eval: eval, createdTime: now)
        }
        return taskID
    }

    /// Runs a task to its end and records the outcome.
    /// The stage graph of `plan`, reading the datasources' segments visible now.
    func stageGraph(_ plan: IngestPlan, with base: StagePlanner) throws(HengeError) -> QueryDefinition {
        var planner = base
        let snapshot = catalog
        for name in plan.query.dataSourcesRead {
            var segments: [TableSegment] = []
            for s in snapshot.segmentsByDataSource[name] ?? [] {
                let path: String
                do { path = try storage.localPath(for: s.storageKey) } catch {
                    throw MSQFault.unknownError("Cannot open segment [\(s.id)]: \(error)")
                }
                segments.append(TableSegment(id: s.id.description, path: path, interval: s.id.interval, sizeBytes: s.sizeBytes))
            }
            planner.tableSegments[name] = segments
        }
        return try planner.plan(plan)
    }

    /// Runs a task: waits for slots and its lock, plans again when it reads
    /// datasources (`definition` nil), executes, releases.
    func runTask(taskID: String, plan: IngestPlan, definition planned: QueryDefinition?,
                 replan: @Sendable () throws(HengeError) -> QueryDefinition, eval: EvalContext, createdTime: Int64) async {
        let context = await registry.get(taskID)?.context ?? QueryContext()
        let slotCount = (try? context.int("maxNumTasks")) ?? nil ?? 2
        switch await admit(taskID: taskID, plan: plan, context: context, slotCount: slotCount) {
        case .success: break
        case .failure(let error):
            await lockbox.release(taskID: taskID)
            await finishUnstarted(taskID: taskID, error: error, createdTime: createdTime)
            return
        }
        let definition: QueryDefinition
        do throws(HengeError) {
            if let planned { definition = planned } else { definition = try replan() }
        } catch {
            await lockbox.release(taskID: taskID)
            await slots.release(slots: slotCount)
            await finishUnstarted(taskID: taskID, error: error, createdTime: createdTime)
            return
        }
        await execute(taskID: taskID, plan: plan, definition: definition, eval: eval, context: context)
        await lockbox.release(taskID: taskID)
        await slots.release(slots: slotCount)
    }

    /// Runs an admitted task (slots and locks held) and records the outcome.
    func execute(taskID: String, plan: IngestPlan, definition: QueryDefinition, eval: EvalContext, context: QueryContext) async {
        let start = clock()
        let parseWarnings = ParseWarnings(limit: (try? MSQContextValidation.maxParseExceptions(context)) ?? 0)
        let tempDir = config.tasksRoot + "/" + taskID
        let cancellation = CancellationFlag()
        let workerCount = definition.stages.map(\.maxWorkerCount).max() ?? 1
        let removeNullBytes = (try? context.bool("removeNullBytes")) ?? false
        let memory = (try? MSQContextValidation.workerMemory(context, serverMemory: config.workerMemory))
            ?? WorkerMemory(serverMemory: config.workerMemory)
        let workers = (0..<workerCount).map { w in
            var env = WorkerEnvironment(taskID: taskID, tempDirectory: "\(tempDir)/worker\(w)", eval: eval, cancellation: cancellation,
                                        inputPolicy: config.inputPolicy, parseWarnings: parseWarnings)
            env.removeNullBytes = removeNullBytes == true
            env.memory = memory
            return InProcessWorkerClient(workerNumber: w, environment: env)
        }
        for w in workers { w.connect(workers) }
        var slicing = SlicingLimits()
        slicing.auto = context.string("taskAssignment")?.lowercased() == "auto"
        if let n = try? context.int("maxInputBytesPerWorker"), n > 0 { slicing.maxInputBytesPerWorker = Int64(n) }
        if let n = try? context.int("maxInputFilesPerWorker"), n > 0 { slicing.maxInputFilesPerWorker = n }
        let controller = Controller(definition: definition, workers: workers, now: clock, inputPolicy: config.inputPolicy,
                                    slicing: slicing)
        var alreadyCanceled = false
        await registry.update(taskID) {
            $0.controller = controller
            $0.parseWarnings = parseWarnings
            $0.startTime = start
            $0.runnerStatus = .running
            alreadyCanceled = $0.canceled
        }
        try? metadata.updateTask(id: taskID, status: "RUNNING", runnerStatus: "RUNNING", durationMs: -1, errorMsg: nil, report: nil)
        if alreadyCanceled { await controller.cancel() }

        var outcome = TaskReportBuilder.Outcome(status: .success, startTime: start, durationMs: 0, error: nil, segmentReport: nil,
                                                segmentLoad: nil, running: false)
        let live = await registry.get(taskID)
        do {
            var segments = try await controller.run()
            // One multi-value CLUSTERED BY key anywhere: every segment is numbered, as Druid decides per task.
            if segments.contains(where: { $0.range == nil }) {
                for i in segments.indices { segments[i].range = nil }
            }
            if await registry.get(taskID)?.preempted == true { throw MSQFault.insertLockPreempted() }
            if await registry.get(taskID)?.canceled == true { throw MSQFault.canceled() }
            let failOnEmpty = live.flatMap { try? $0.context.bool("failOnEmptyInsert") } ?? false
            if segments.isEmpty && failOnEmpty { throw MSQFault.insertCannotBeEmpty(plan.dataSource) }
            await publishLock.lock()
            let published: [SegmentRecord]
            do {
                // A lock revoked by a higher-priority task must not publish.
                guard let lock = await lockbox.lock(of: taskID) else { throw MSQFault.insertLockPreempted() }
                let now = clock()
                published = try SegmentPublisher(metadata: metadata, storage: storage).publish(
                    plan: plan, segments: segments, lockTime: start, now: now,
                    completing: TaskCompletion(taskID: taskID, durationMs: max(0, now - start)),
                    upgradeAppendedSince: lock.type == .replace ? lock.grantedAt : nil)
                try refreshCatalog()
            } catch {
                await publishLock.unlock()
                throw error
            }
            await publishLock.unlock()
            outcome.segmentReport = TaskReportBuilder.segmentReport(plan, segments: segments)
            if live.flatMap({ try? $0.context.bool("waitUntilSegmentsLoad") }) == true {
                let n = Int64(published.count)
                outcome.segmentLoad = .object([
                    ("state", "SUCCESS"), ("dataSource", .string(plan.dataSource)), ("startTime", .string(ISOTime.format(clock()))),
                    ("duration", 0), ("totalSegments", .int(n)), ("usedSegments", .int(n)), ("precachedSegments", 0),
                    ("onDemandSegments", 0), ("pendingSegments", 0), ("unknownSegments", 0),
                ])
            }
        } catch {
            outcome.status = .failed
            outcome.error = await registry.get(taskID)?.preempted == true ? MSQFault.insertLockPreempted() : Controller.asHengeError(error)
            logger.info("task \(taskID) failed: \(outcome.error!.description)")
        }
        let end = clock()
        outcome.durationMs = max(0, end - start)
        let snapshot = await controller.snapshot()
        outcome.warnings = parseWarnings.samples
        outcome.inferredInputs = plan.inferredInputs
        let report = TaskReportBuilder.report(taskID: taskID, outcome: outcome, snapshot: snapshot, now: end)
        let errorMsg = outcome.error.map { "\($0.code): \($0.message)" }
        // Temp files go before the final status is recorded: a task that reads FAILED (or SUCCESS) has left none behind.
        try? FileManager.default.removeItem(atPath: tempDir)
        do {
            try metadata.updateTask(id: taskID, status: outcome.status.rawValue, runnerStatus: "NONE", durationMs: outcome.durationMs,
                                    errorMsg: errorMsg, report: report.serialized)
            Failpoints.hit("task.status.after")
        } catch {
            logger.error("cannot record the end of task \(taskID): \(error)")
        }
        await registry.remove(taskID)
    }

    /// Druid's status object, or nil for an unknown task.
    package func taskStatus(_ id: String) async -> JSONValue? {
        if let live = await registry.get(id) {
            return TaskReportBuilder.statusJSON(id: id, dataSource: live.dataSource, createdTime: live.createdTime, status: .running,
                                                runner: live.runnerStatus, durationMs: -1, errorMsg: nil,
                                                host: config.advertisedHost, port: advertisedPort.withLock { $0 })
        }
        guard let r = try? metadata.task(id: id) else { return nil }
        let status = TaskStatusCode(rawValue: r.status) ?? .failed
        // A RUNNING row with no live task belongs to a task that is just finishing; report it as recorded.
        return TaskReportBuilder.statusJSON(id: id, dataSource: r.dataSource, createdTime: r.createdTime, status: status,
                                            runner: RunnerStatusCode(rawValue: r.runnerStatus) ?? .none, durationMs: r.durationMs,
                                            errorMsg: r.errorMsg, host: config.advertisedHost, port: advertisedPort.withLock { $0 })
    }

    /// The live or final `multiStageQuery` report, or nil when there is none.
    package func taskReport(_ id: String) async -> JSONValue? {
        if let live = await registry.get(id) {
            guard let controller = live.controller else { return nil }
            let now = clock()
            let snapshot = await controller.snapshot()
            var outcome = TaskReportBuilder.Outcome(status: .running, startTime: live.startTime, durationMs: now - (live.startTime ?? now),
                                                    error: nil, segmentReport: nil, segmentLoad: nil, running: true)
            outcome.warnings = live.parseWarnings?.samples ?? []
            outcome.inferredInputs = live.plan.inferredInputs
            return TaskReportBuilder.report(taskID: id, outcome: outcome, snapshot: snapshot, now: now)
        }
        guard let r = try? metadata.task(id: id), let text = r.report else { return nil }
        return try? JSONValue.parse(text)
    }

    /// Asks a task to stop. Returns false for an id never seen.
    package func shutdownTask(_ id: String) async -> Bool {
        let (known, controller) = await registry.cancel(id)
        if known {
            await controller?.cancel()
            return true
        }
        return (try? metadata.task(id: id)) != nil
    }

    /// Every task, newest first, as Druid's task list entries.
    package func taskList() async -> [JSONValue] {
        let records = (try? metadata.tasks()) ?? []
        var out: [JSONValue] = []
        for r in records {
            if let s = await taskStatus(r.id), let body = s["status"] { out.append(body) }
        }
        return out
    }
}
