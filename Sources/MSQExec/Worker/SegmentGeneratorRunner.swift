internal import Foundation
internal import DataModel
internal import MSQKernel
internal import Expressions
internal import Operators
internal import SegmentFormat

/// Final-stage work: for each shuffled partition, k-way merge the producers'
/// sorted runs, aggregate finally while merging (rollup: equal keys arrive
/// together), apply the post-aggregation operations, and write segments as
/// rows stream by (`SegmentStreamWriter`). When the aggregated rows are not
/// in segment order already, they are sorted again within the budget.
struct SegmentGeneratorRunner {
    let worker: InProcessWorkerClient
    let order: WorkOrder
    let spec: SegmentGeneratorSpec
    let partitions: [(key: Int64, runs: [SortedRun])]

    static let restrictedNames: Set<String> = ["__boost", "__bucket"]

    func run() throws -> WorkOrderResult {
        let env = worker.environment
        let stage = order.stage.number
        let evaluator = Evaluator(context: env.eval)
        if let bad = spec.segmentSignature.names.first(where: SegmentGeneratorRunner.restrictedNames.contains) {
            throw MSQFault.columnNameRestricted(bad)
        }
        try FileManager.default.createDirectory(atPath: env.tempDirectory, withIntermediateDirectories: true)
        let worker = self.worker
        var writer = SegmentStreamWriter(spec: spec, directory: env.tempDirectory) { rows in
            worker.updateCounters(stage: stage) {
                var p = $0.segmentGeneration ?? SegmentGenerationProgress()
                p.rowsPersisted += Int64(rows)
                p.rowsMerged += Int64(rows)
                p.rowsPushed += Int64(rows)
                $0.segmentGeneration = p
            }
        }
        for (key, runs) in partitions {
            try env.cancellation.check()
            try generate(key: key, runs: runs, evaluator: evaluator, writer: &writer)
            try writer.endPartition()
        }
        return WorkOrderResult(segments: writer.segments)
    }

    /// Merges one partition's runs and feeds the rows to `writer`.
    private func generate(key: Int64, runs: [SortedRun], evaluator: Evaluator, writer: inout SegmentStreamWriter) throws {
        guard let signature = runs.lazy.compactMap(\.signature).first else { return }
        let env = worker.environment
        let stage = order.stage.number
        let cancellation = env.cancellation
        let check: () throws(HengeError) -> Void = { () throws(HengeError) in try cancellation.check() }
        let directory = "\(env.tempDirectory)/stage\(stage)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let inputKeys = spec.inputSortKey.map { SortColumn(column: $0) }
        let limits = env.memory.sortLimits(signature, producers: 1)
        // More runs than one merge may read at once: merge them down first (rare: many producers, tiny budget).
        let reduced = try RunMerger.reduce(runs, signature: signature, keys: inputKeys, limits: limits, directory: directory,
                                           name: "merge-\(key)", checkCanceled: check)
        defer { reduced.files.forEach { $0.delete() } }
        var merger = try RunMerger(reduced.runs, signature: signature, keys: inputKeys, batchRows: env.batchSize)

        // The merge delivers rows sorted by every group key: equal keys arrive together.
        var aggregator = spec.finalAggregate.map { agg -> HashAggregator in
            var a = HashAggregator(spec: agg, evaluator: evaluator)
            a.sortedInput = true
            return a
        }
        let pipeline = RowPipeline(operations: spec.postOperations, evaluator: evaluator)
        let resorter = spec.resortAfterAggregate
            ? PartitionedSorter(signature: spec.segmentSignature, keys: spec.streamOrder.map { SortColumn(column: $0) },
                                limits: env.memory.sortLimits(spec.segmentSignature, producers: 1), directory: directory, name: "resort-\(key)",
                                checkCanceled: check,
                                onProgress: { stats in worker.updateCounters(stage: stage) { $0.sortProgress = SortProgressCounter(stats) } })
            : nil
        defer { resorter?.deleteFiles() }
        var remaining = spec.limit ?? .max

        /// Rows after the final aggregation: post-operations, LIMIT, then to the writer (or the re-sort).
        func deliver(_ batch: Batch) throws {
            guard batch.rowCount > 0, remaining > 0 else { return }
            var rows = try pipeline.apply(batch)
            if rows.rowCount > remaining { rows = rows.gather(Array(0..<remaining)) }
            remaining -= rows.rowCount
            guard rows.rowCount > 0 else { return }
            let shaped = Batch(signature: spec.segmentSignature, columns: rows.columns, rowCount: rows.rowCount)
            worker.updateCounters(stage: stage) {
                var p = $0.segmentGeneration ?? SegmentGenerationProgress()
                p.rowsProcessed += Int64(shaped.rowCount)
                $0.segmentGeneration = p
            }
            if let resorter { try resorter.append(key: 0, shaped) } else { try writer.append(shaped) }
        }

        while remaining > 0, let batch = try merger.next() {
            try env.cancellation.check()
            worker.updateCounters(stage: stage) {
                $0.inputs[0].add(rows: Int64(batch.rowCount), bytes: batch.estimatedBytes, frames: 1)
            }
            if aggregator != nil {
                try aggregator!.consume(batch)
                // Input sorted by every group key: all groups but the newest are complete.
                if aggregator!.groupCount > env.batchSize { try deliver(aggregator!.finishAllButLast()) }
            } else {
                try deliver(batch)
            }
        }
        if aggregator != nil { try deliver(aggregator!.finish()) }
        if let resorter {
            let sorted = try resorter.finish()
            var again = try RunMerger(sorted[0] ?? [], signature: spec.segmentSignature, keys: resorter.keys, batchRows: env.batchSize)
            while let batch = try again.next() {
                try env.cancellation.check()
                try writer.append(batch)
            }
        }
    }

}

extension SortedRun {
    /// The signature of the run's rows (nil for an empty in-memory run).
    var signature: RowSignature? {
        switch self {
        case .memory(let batches): batches.first?.signature
        case .file(let file, _): file.signature
        }
    }
}
