internal import Foundation
internal import DataModel
internal import MSQKernel
internal import Expressions
internal import Operators
internal import Inputs
internal import SegmentFormat

/// Stage-0 work: read external input, apply the row operations, optionally
/// aggregate partially, and partition the rows for the shuffle, sorted by
/// the stage's sort key within the worker's memory budget (spilling sorted
/// runs, and flushing the partial aggregation as runs, when it fills).
struct ScanStageRunner {
    let worker: InProcessWorkerClient
    let order: WorkOrder
    let operations: [RowOperation]
    let partialAggregate: AggregateSpec?

    func run() throws -> WorkOrderResult {
        let env = worker.environment
        let evaluator = Evaluator(context: env.eval)
        let pipeline = RowPipeline(operations: operations, evaluator: evaluator)
        var aggregator = partialAggregate.map { HashAggregator(spec: $0, evaluator: evaluator) }
        var partitioner = ShufflePartitioner(spec: order.stage.shuffle ?? .single, signature: order.stage.signature)
        let stage = order.stage.number
        let memory = env.memory
        try memory.check(inputWorkers: 0)
        let directory = "\(env.tempDirectory)/stage\(stage)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (worker, cancellation) = (self.worker, env.cancellation)
        let sorter = PartitionedSorter(
            signature: order.stage.signature, keys: order.stage.sortKey.map { SortColumn(column: $0) },
            limits: memory.sortLimits(order.stage.signature, producers: order.stage.maxWorkerCount), directory: directory, name: "shuffle",
            checkCanceled: { () throws(HengeError) in try cancellation.check() },
            onProgress: { stats in worker.updateCounters(stage: stage) { $0.recordSort(stats) } })
        var published = false
        defer { if !published { sorter.deleteFiles() } }

        /// Partitions rows into the sorter; `asOneRun` rows (a flushed
        /// aggregation table) are written together as one run afterwards.
        func emit(_ batch: Batch, asOneRun: Bool = false) throws {
            var shaped = Batch(signature: order.stage.signature, columns: batch.columns, rowCount: batch.rowCount)
            shaped = unnest(shaped, evaluator: evaluator)
            for (key, part) in try partitioner.partition(shaped) {
                try sorter.append(key: key, part, spillWhenFull: !asOneRun)
                worker.updateCounters(stage: stage) { $0.output.add(rows: Int64(part.rowCount), bytes: part.estimatedBytes, frames: 1) }
            }
        }

        /// Rows consumed since the group table was last emptied.
        var rowsIntoTable = 0
        /// Set once a full group table held nearly a group per row: the
        /// partial aggregation does not reduce, so rows are shipped as
        /// one-row partial states without hashing (the final aggregation
        /// after the shuffle combines equal keys).
        var partialAggregationSkipped = false

        /// Shapes one batch of input rows and aggregates or emits them.
        func process(_ batch: Batch) throws {
            let shaped = try pipeline.apply(batch)
            guard shaped.rowCount > 0 else { return }
            guard aggregator != nil else { return try emit(shaped) }
            // A batch bigger than rowsInMemory is consumed in slices, so the group table stays within the budget.
            var start = 0
            while start < shaped.rowCount {
                let end = min(shaped.rowCount, start + memory.rowsInMemory)
                let slice = start == 0 && end == shaped.rowCount ? shaped : shaped.gather(Array(start..<end))
                start = end
                if partialAggregationSkipped {
                    var rows = HashAggregator(spec: partialAggregate!, evaluator: evaluator)
                    rows.rowPerGroup = true
                    try rows.consume(slice)
                    try emit(rows.finish())
                    continue
                }
                try aggregator!.consume(slice)
                rowsIntoTable += slice.rowCount
                if aggregator!.groupCount >= memory.rowsInMemory || aggregator!.estimatedBytes >= memory.bufferBytes {
                    // The group table is full: its partial groups become a sorted run; the final merge combines equal keys.
                    partialAggregationSkipped = aggregator!.groupCount * 10 >= rowsIntoTable * 9
                    let groups = aggregator!.groupCount
                    let partial = aggregator!.finish()
                    aggregator = HashAggregator(spec: partialAggregate!, evaluator: evaluator)
                    aggregator!.reserveGroups(groups)
                    rowsIntoTable = 0
                    try emit(partial, asOneRun: true)
                    try sorter.spill()
                }
            }
        }

        for case .table(let spec, let segmentIndexes) in order.inputs {
            let mine = segmentIndexes.filter { $0 < spec.segments.count }.map { spec.segments[$0] }
            worker.updateCounters(stage: stage) { $0.inputs[0].add(totalFiles: Int64(mine.count)) }
            for segment in mine {
                try env.cancellation.check()
                let batch = try TableInputReader.read(segment, columns: spec.columns)
                worker.updateCounters(stage: stage) {
                    $0.inputs[0].add(rows: Int64(batch.rowCount))
                    $0.inputs[0].add(bytes: segment.sizeBytes, files: 1)
                }
                try process(batch)
            }
        }

        for case .external(let spec, let fileIndexes) in order.inputs {
            let files = InputFile.readUnits(try InputFileLister.list(spec.source, policy: env.inputPolicy), format: spec.format,
                                            workers: order.stage.maxWorkerCount)
            let mine = fileIndexes.filter { $0 < files.count }.map { files[$0] }
            // A file cut into byte ranges still counts once.
            worker.updateCounters(stage: stage) { $0.inputs[0].add(totalFiles: Int64(mine.filter(\.countsAsFile).count)) }
            var reader = ExternalReader(format: spec.format, signature: spec.signature, batchSize: env.batchSize)
            reader.accessPolicy = env.inputPolicy
            reader.systemFields = spec.source.systemFields
            let (warnings, worker, workerNumber) = (env.parseWarnings, self.worker, self.worker.workerNumber)
            reader.onUnparseableRow = { error in
                worker.updateCounters(stage: stage) { $0.warnings[error.code, default: 0] += 1 }
                try warnings.record(error, stage: stage, worker: workerNumber)
            }
            for file in mine {
                var counters = InputCounters()
                var rowsBefore: Int64 = 0
                try reader.read(file, counters: &counters) { raw in
                    try env.cancellation.check()
                    // Rows are reported live; bytes once the file is done (the reader owns that counter meanwhile).
                    worker.updateCounters(stage: stage) { $0.inputs[0].add(rows: Int64(raw.rowCount)) }
                    let batch = try NullBytes.check(raw, source: file.uri, firstRow: rowsBefore + 1, remove: env.removeNullBytes)
                    rowsBefore += Int64(raw.rowCount)
                    try process(batch)
                }
                let bytes = counters.bytes
                let countsAsFile: Int64 = file.countsAsFile ? 1 : 0
                worker.updateCounters(stage: stage) { $0.inputs[0].add(bytes: bytes, files: countsAsFile) }
            }
        }
        if aggregator != nil {
            try env.cancellation.check()
            // Partial states of empty groups are harmless: the final merge ignores NULLs and adds zero counts.
            let result = aggregator!.finish()
            if result.rowCount > 0 { try emit(result) }
        }
        let partitions = try sorter.finish()
        worker.store.publish(stage: stage, partitions: partitions, files: sorter.runs)
        published = true
        return WorkOrderResult(statistics: partitioner.statistics)
    }

    /// Expands multi-value group keys the next stage aggregates on (one row
    /// per value, as the aggregator would), so a sorted partition keeps
    /// each group's rows together. Unchanged when unnesting is off: the
    /// final aggregation then reports the error.
    func unnest(_ batch: Batch, evaluator: Evaluator) -> Batch {
        let keys = order.stage.unnestBeforeShuffle
        guard !keys.isEmpty, evaluator.context.multiValueUnnesting, keys.contains(where: { batch.columns[$0].isMultiValue }) else {
            return batch
        }
        let unnested = MultiValueUnnest(keys.map { batch.columns[$0] })
        var columns = batch.columns.map { $0.gather(unnested.sourceRows) }
        for (i, k) in keys.enumerated() { columns[k] = unnested.keys[i] }
        return Batch(signature: batch.signature, columns: columns, rowCount: unnested.sourceRows.count)
    }
}
