internal import DataModel
internal import MSQKernel
internal import MSQExec
internal import SQLPlanner

/// Builds Druid's task status and `multiStageQuery` report JSON.
enum TaskReportBuilder {
    struct Outcome {
        var status: TaskStatusCode
        var startTime: Int64?
        var durationMs: Int64
        var error: HengeError?
        var segmentReport: (shardSpec: String, details: String)?
        var segmentLoad: JSONValue?
        var running: Bool
        /// Sampled warnings (skipped unparseable rows).
        var warnings: [ParseWarnings.Sample] = []
        /// Inputs whose signature was inferred (`IngestPlan.inferredInputs`).
        var inferredInputs: [String] = []
    }

    static func report(taskID: String, outcome: Outcome, snapshot: ControllerSnapshot?, now: Int64) -> JSONValue {
        var status: [(String, JSONValue)] = [("status", .string(outcome.status.rawValue))]
        if let e = outcome.error {
            status.append(("errorReport", .object([("taskId", .string(taskID)), ("host", "localhost"), ("error", e.faultJSON)])))
        }
        if !outcome.warnings.isEmpty {
            status.append(("warnings", .array(outcome.warnings.map { w in
                .object([("taskId", .string("\(taskID)-worker\(w.worker)_0")), ("host", "localhost"), ("stageNumber", .int(Int64(w.stage))),
                         ("error", w.error.faultJSON)])
            })))
        }
        if let s = outcome.startTime { status.append(("startTime", .string(ISOTime.format(s)))) }
        status.append(("durationMs", .int(outcome.durationMs)))
        let workerCount = snapshot?.workerCount ?? 0
        var workers: [(String, JSONValue)] = []
        for w in 0..<workerCount {
            workers.append((String(w), .array([.object([
                ("workerId", .string("\(taskID)-worker\(w)_0")),
                ("state", .string(outcome.status.rawValue)),
                ("durationMs", .int(outcome.running ? -1 : outcome.durationMs)),
                ("pendingMs", 0),
            ])])))
        }
        status.append(("workers", .object(workers)))
        status.append(("pendingTasks", 0))
        status.append(("runningTasks", .int(outcome.running ? Int64(workerCount + 1) : 0)))
        if let load = outcome.segmentLoad { status.append(("segmentLoadWaiterStatus", load)) }
        if let sr = outcome.segmentReport {
            status.append(("segmentReport", .object([("shardSpec", .string(sr.shardSpec)), ("details", .string(sr.details))])))
        }
        var payload: [(String, JSONValue)] = [("status", .object(status))]
        if let snapshot {
            payload.append(("stages", .array(snapshot.stages.map { stageJSON($0, queryID: taskID, now: now) })))
            payload.append(("counters", snapshot.counters.json))
        }
        // Henge's addition: the signatures sampled for EXTERN/table functions given without one.
        if !outcome.inferredInputs.isEmpty {
            payload.append(("inferredInputs", .array(outcome.inferredInputs.map { (try? JSONValue.parse($0)) ?? .string($0) })))
        }
        return .object([("multiStageQuery", .object([
            ("type", "multiStageQuery"), ("taskId", .string(taskID)), ("payload", .object(payload)),
        ]))])
    }

    static func stageJSON(_ s: StageSnapshot, queryID: String, now: Int64) -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("stageNumber", .int(Int64(s.definition.number))),
            ("definition", s.definition.json(queryID: queryID)),
        ]
        if s.phase != .new || s.startTime != nil { m.append(("phase", .string(s.phase.rawValue))) }
        if s.workerCount > 0 { m.append(("workerCount", .int(Int64(s.workerCount)))) }
        if s.partitionCount > 0 { m.append(("partitionCount", .int(Int64(s.partitionCount)))) }
        if let start = s.startTime {
            m.append(("startTime", .string(ISOTime.format(start))))
            let d = (s.endTime ?? now) - start
            if d > 0 { m.append(("duration", .int(d))) }
        }
        if s.definition.shuffle?.sorts == true { m.append(("sort", true)) }
        return .object(m)
    }

    /// Druid's segment report for the shard spec used.
    static func segmentReport(_ plan: IngestPlan, segments: [GeneratedSegment]) -> (shardSpec: String, details: String) {
        guard plan.rangeDimensions != nil else { return ("NumberedShardSpec", plan.numberedReason) }
        if segments.contains(where: { $0.range == nil }) {
            return ("NumberedShardSpec",
                    "Cannot use RangeShardSpec, the fields in the CLUSTERED BY clause contains multivalued fields. Using NumberedShardSpec instead.")
        }
        return ("DimensionRangeShardSpec", "Using RangeShardSpec to generate segments.")
    }

    /// The status response (`{"task": id, "status": {...}}`).
    static func statusJSON(id: String, dataSource: String, createdTime: Int64, status: TaskStatusCode, runner: RunnerStatusCode,
                           durationMs: Int64, errorMsg: String?, host: String, port: Int) -> JSONValue {
        let location: JSONValue = status == .running
            ? .object([("host", .string(host)), ("port", .int(Int64(port))), ("tlsPort", -1)])
            : .object([("host", .null), ("port", -1), ("tlsPort", -1)])
        return .object([
            ("task", .string(id)),
            ("status", .object([
                ("id", .string(id)),
                ("groupId", .string(id)),
                ("type", "query_controller"),
                ("createdTime", .string(ISOTime.format(createdTime))),
                ("queueInsertionTime", "1970-01-01T00:00:00.000Z"),
                ("statusCode", .string(status.rawValue)),
                ("status", .string(status.rawValue)),
                ("runnerStatusCode", .string(runner.rawValue)),
                ("duration", .int(durationMs)),
                ("location", location),
                ("dataSource", .string(dataSource)),
                ("errorMsg", errorMsg.map(JSONValue.string) ?? .null),
            ])),
        ])
    }
}
