package import DataModel
package import MSQKernel
package import Inputs

/// Report view of one stage, taken from the controller at any time.
package struct StageSnapshot: Sendable {
    package var definition: StageDefinition
    package var phase: ControllerStagePhase
    package var workerCount: Int
    package var partitionCount: Int
    package var startTime: Int64?
    package var endTime: Int64?
}

/// Live state of a running (or finished) query, for reports.
package struct ControllerSnapshot: Sendable {
    package var stages: [StageSnapshot]
    package var counters: CounterSnapshotsTree
    package var workerCount: Int
}

/// Drives one query's stage graph: asks the pure kernel what to do, sends
/// work orders to workers through `WorkerClient`, and collects results.
package actor Controller {
    private var kernel: ControllerQueryKernel
    private let workers: [any WorkerClient]
    private let now: @Sendable () -> Int64
    private var canceled = false
    /// Counters of finished stages, kept after workers clean up.
    private var finalCounters = CounterSnapshotsTree()

    /// What external input this server may read (checked when listing files).
    private var inputPolicy = InputAccessPolicy()

    package init(definition: QueryDefinition, workers: [any WorkerClient], now: @escaping @Sendable () -> Int64,
                 inputPolicy: InputAccessPolicy = InputAccessPolicy(), slicing: SlicingLimits = SlicingLimits()) {
        self.inputPolicy = inputPolicy
        self.kernel = ControllerQueryKernel(definition: definition, availableWorkers: workers.count)
        self.kernel.slicing = slicing
        self.workers = workers
        self.now = now
    }

    /// Runs every stage; returns the segments the final stage wrote.
    package func run() async throws -> [GeneratedSegment] {
        var segments: [GeneratedSegment] = []
        do {
            // Druid's QueryValidator limits and restricted output names fail the task before any input is read.
            for stage in kernel.definition.stages {
                if stage.frameColumnCount > MSQFault.maxFrameColumns { throw MSQFault.tooManyColumns(stage.frameColumnCount) }
                if case .timeChunks(_, _, let clusterBy)? = stage.shuffle, clusterBy.count + 2 > MSQFault.maxClusteredByColumns {
                    // Druid's stage-0 key is the time chunk, __time and the CLUSTERED BY columns.
                    throw MSQFault.tooManyClusteredByColumns(clusterBy.count + 2, stage: stage.number)
                }
                if stage.maxWorkerCount > MSQFault.maxWorkers { throw MSQFault.tooManyWorkers(stage.maxWorkerCount) }
                if case .segmentGenerator(let spec) = stage.processor,
                   let bad = spec.segmentSignature.names.first(where: SegmentGeneratorRunner.restrictedNames.contains) {
                    throw MSQFault.columnNameRestricted(bad)
                }
            }
            while !kernel.isComplete {
                let startable = kernel.startableStages()
                guard !startable.isEmpty else { throw HengeError.defensive("no stage can start but the query is not complete") }
                for n in startable {
                    segments += try await runStage(n)
                }
            }
        } catch {
            kernel.fail(now: now())
            for w in workers { w.cancel() }
            snapshotCounters()
            throw Controller.asHengeError(error)
        }
        snapshotCounters()
        for w in workers { for s in kernel.definition.stages.indices { w.cleanup(stage: s) } }
        return segments
    }

    private func runStage(_ n: Int) async throws -> [GeneratedSegment] {
        if canceled { throw MSQFault.canceled() }
        let def = kernel.definition.stages[n]
        var sizes: [Int: [Int64]] = [:]
        for (i, input) in def.inputs.enumerated() {
            if case .external(let spec) = input {
                // Compressed files weigh ×4, as Druid balances them.
                let files = try InputFileLister.list(spec.source, policy: inputPolicy)
                sizes[i] = InputFile.readUnits(files, format: spec.format, workers: def.maxWorkerCount).map { file in
                    file.compression == .none ? file.size : file.size * SlicingLimits.compressedWeight
                }
            }
        }
        let orders = try kernel.start(stage: n, externalFileSizes: sizes, now: now())
        let results = try await withThrowingTaskGroup(of: (Int, WorkOrderResult).self) { group in
            for order in orders {
                let client = workers[order.workerNumber]
                group.addTask { (order.workerNumber, try await client.run(order)) }
            }
            var out: [(Int, WorkOrderResult)] = []
            do {
                for try await r in group { out.append(r) }
            } catch {
                for w in workers { w.cancel() }
                group.cancelAll()
                throw error
            }
            return out
        }
        var segments: [GeneratedSegment] = []
        for (worker, result) in results.sorted(by: { $0.0 < $1.0 }) {
            if def.shuffle != nil {
                _ = try kernel.workerDoneReading(stage: n, worker: worker, statistics: result.statistics)
            }
            segments += result.segments
        }
        let t = now()
        for (worker, _) in results { _ = try kernel.workerFinished(stage: n, worker: worker, now: t) }
        snapshotCounters()
        // An upstream stage the kernel finished (every reader is done): its shuffle output and run files can go.
        for u in def.upstreamStages where kernel.stages[u].phase == .finished {
            for w in workers { w.cleanup(stage: u) }
        }
        return segments
    }

    /// Stops the query: workers stop at their next batch.
    package func cancel() {
        canceled = true
        for w in workers { w.cancel() }
    }

    private func snapshotCounters() {
        for w in workers {
            for (stage, c) in w.counters() { finalCounters.set(stage: stage, worker: w.workerNumber, c) }
        }
    }

    /// The current stages and counters.
    package func snapshot() -> ControllerSnapshot {
        var counters = finalCounters
        for w in workers {
            for (stage, c) in w.counters() { counters.set(stage: stage, worker: w.workerNumber, c) }
        }
        let stages = kernel.definition.stages.indices.map { i in
            let s = kernel.stages[i]
            return StageSnapshot(definition: kernel.definition.stages[i], phase: s.phase, workerCount: s.workerCount,
                                 partitionCount: s.partitionKeys.count, startTime: s.startTime, endTime: s.endTime)
        }
        return ControllerSnapshot(stages: stages, counters: counters, workerCount: workers.count)
    }

    /// Any error as a fault: HengeErrors pass through, others become UnknownError.
    package static func asHengeError(_ error: any Error) -> HengeError {
        if let h = error as? HengeError { return h }
        if error is CancellationError { return MSQFault.canceled() }
        return MSQFault.unknownError(String(describing: error))
    }
}

extension StageDefinition {
    /// Columns of the stage's frames as Druid counts them for TooManyColumns:
    /// the signature, plus the time-chunk column (`__bucket`) of a stage
    /// shuffled by time chunk, plus the partition boost column (`__boost`) of
    /// a scan stage that shuffles (Druid's QueryKitUtils).
    var frameColumnCount: Int {
        var n = signature.count
        if case .timeChunks? = shuffle { n += 1 }
        if shuffle != nil, case .scan(_, nil) = processor { n += 1 }
        return n
    }
}
