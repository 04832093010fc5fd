internal import DataModel
internal import MSQKernel
internal import Expressions
internal import Operators
internal import Inputs
internal import SegmentFormat

/// Stage-0 work: read external input, apply the row operations, optionally
/// aggregate partially, and partition the rows for the shuffle.
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

        func emit(_ batch: Batch) throws {
            let shaped = Batch(signature: order.stage.signature, columns: batch.columns, rowCount: batch.rowCount)
            for (key, part) in try partitioner.partition(shaped) {
                worker.store.append(stage: stage, key: key, part)
                worker.updateCounters(stage: stage) { $0.output.add(rows: Int64(part.rowCount), bytes: part.estimatedBytes, frames: 1) }
            }
        }

        /// Shapes one batch of input rows and aggregates or emits them.
        func process(_ batch: Batch) throws {
            let shaped = try pipeline.apply(batch)
            guard shaped.rowCount > 0 else { return }
            if aggregator != nil {
                try aggregator!.consume(shaped)
            } else {
                try emit(shaped)
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
        return WorkOrderResult(statistics: partitioner.statistics)
    }
}

extension Batch {
    /// Approximate in-memory size, for the report's byte counters.
    var estimatedBytes: Int64 {
        var total: Int64 = 0
        for c in columns {
            switch c.data {
            case .long, .double: total += Int64(rowCount) * 8
            case .float: total += Int64(rowCount) * 4
            case .string(let s): total += Int64(rowCount) * 4 + Int64(s.dictionary.reduce(0) { $0 + $1.utf8.count })
            case .multiString(let m):
                total += Int64(rowCount + m.ids.count) * 4 + Int64(m.dictionary.reduce(0) { $0 + $1.utf8.count })
            }
        }
        return total
    }
}
