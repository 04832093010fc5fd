internal import Foundation
internal import DataModel
internal import MSQKernel
internal import Expressions
internal import Operators
internal import SegmentFormat

/// Final-stage work: merge each shuffled partition (final aggregation for
/// rollup), sort it, and write segment files into the worker's temp dir.
struct SegmentGeneratorRunner {
    let worker: InProcessWorkerClient
    let order: WorkOrder
    let spec: SegmentGeneratorSpec
    let partitions: [(key: Int64, batches: [Batch])]

    static let restrictedNames: Set<String> = ["__boost", "__bucket"]

    func run() throws -> WorkOrderResult {
        let env = worker.environment
        let stage = order.stage.number
        let evaluator = Evaluator(context: env.eval)
        let pipeline = RowPipeline(operations: spec.postOperations, evaluator: evaluator)
        if let bad = spec.segmentSignature.names.first(where: SegmentGeneratorRunner.restrictedNames.contains) {
            throw MSQFault.columnNameRestricted(bad)
        }
        try FileManager.default.createDirectory(atPath: env.tempDirectory, withIntermediateDirectories: true)
        var segments: [GeneratedSegment] = []
        var chunkOrdinals: [Int64: Int] = [:]
        for (_, batches) in partitions {
            try env.cancellation.check()
            let inputRows = batches.reduce(0) { $0 + $1.rowCount }
            worker.updateCounters(stage: stage) {
                $0.inputs[0].add(rows: Int64(inputRows), bytes: batches.reduce(0) { $0 + $1.estimatedBytes }, frames: Int64(batches.count))
            }
            guard let first = batches.first else { continue }
            var merged = BatchSorter.concat(batches, signature: first.signature)
            if let agg = spec.finalAggregate {
                var aggregator = HashAggregator(spec: agg, evaluator: evaluator)
                try aggregator.consume(merged)
                merged = aggregator.finish()
            }
            merged = try pipeline.apply(merged)
            if let limit = spec.limit, merged.rowCount > limit {
                merged = merged.gather(Array(0..<limit))
            }
            let rows = Batch(signature: spec.segmentSignature, columns: merged.columns, rowCount: merged.rowCount)
            worker.updateCounters(stage: stage) {
                var p = $0.segmentGeneration ?? SegmentGenerationProgress()
                p.rowsProcessed += Int64(rows.rowCount)
                $0.segmentGeneration = p
            }
            for (chunk, chunkRows) in try splitByChunk(rows) {
                try env.cancellation.check()
                if let bounds = spec.replaceBounds, !bounds.contains(where: { $0.contains(chunk) }) {
                    throw MSQFault.insertTimeOutOfBounds(chunk, bounds: bounds)
                }
                let sortKeys = spec.rowOrder.map { SortColumn(column: $0) }
                // Range partitions on the CLUSTERED BY keys, else pieces of rowsPerSegment rows in segment order.
                var pieces: [(rows: Batch, range: SegmentKeyRange?)] = []
                if let keys = spec.rangeKeys, let ranged = RangePartitioner.partition(chunkRows, keys: keys, rowsPerSegment: spec.rowsPerSegment) {
                    pieces = ranged.map { (BatchSorter.sort($0.rows, by: sortKeys), $0.range) }
                } else {
                    let sorted = BatchSorter.sort(chunkRows, by: sortKeys)
                    let perSegment = max(1, spec.rowsPerSegment)
                    var start = 0
                    repeat {
                        let end = min(sorted.rowCount, start + perSegment)
                        pieces.append((end - start == sorted.rowCount ? sorted : sorted.gather(Array(start..<end)), nil))
                        start = end
                    } while start < sorted.rowCount
                }
                if let limit = spec.maxNumSegments, pieces.count > limit {
                    throw MSQFault.tooManySegmentsInTimeChunk(chunk, granularity: spec.granularity, numSegments: pieces.count,
                                                              maxNumSegments: limit)
                }
                worker.updateCounters(stage: stage) { $0.sortBatches = ($0.sortBatches ?? 0) + 1 }
                for (piece, range) in pieces {
                    try env.cancellation.check()
                    let ordinal = chunkOrdinals[chunk.start, default: 0]
                    chunkOrdinals[chunk.start] = ordinal + 1
                    var writer = SegmentWriter(signature: spec.segmentSignature)
                    writer.sortOrder = spec.rowOrder.map { spec.segmentSignature[$0].name }
                    writer.append(piece)
                    let path = "\(env.tempDirectory)/segment_\(chunk.start)_\(ordinal).hseg"
                    Failpoints.hit("segment.write.before")
                    let info = try writer.write(to: path)  // written and fsynced
                    Failpoints.hit("segment.write.after")
                    var segment = GeneratedSegment(interval: chunk, ordinalInChunk: ordinal, localPath: path, rowCount: info.rowCount,
                                                   sizeBytes: info.sizeBytes, signature: spec.segmentSignature)
                    segment.range = range
                    segments.append(segment)
                    worker.updateCounters(stage: stage) {
                        var p = $0.segmentGeneration ?? SegmentGenerationProgress()
                        p.rowsPersisted += Int64(piece.rowCount)
                        p.rowsMerged += Int64(piece.rowCount)
                        p.rowsPushed += Int64(piece.rowCount)
                        $0.segmentGeneration = p
                    }
                }
            }
        }
        return WorkOrderResult(segments: segments)
    }

    /// Rows grouped by time chunk, in chunk order. NULL `__time` fails the task.
    func splitByChunk(_ rows: Batch) throws(HengeError) -> [(Interval, Batch)] {
        guard rows.rowCount > 0 else { return [] }
        let col = rows.columns[0]
        if col.nulls != nil { throw MSQFault.insertTimeNull() }
        guard case .long(let times) = col.data else { throw HengeError.defensive("__time is not LONG") }
        var byChunk: [Interval: [Int]] = [:]
        for (r, t) in times.enumerated() { byChunk[spec.granularity.bucket(t), default: []].append(r) }
        if byChunk.count > MSQFault.maxPartitionBuckets { throw MSQFault.tooManyBuckets(max: MSQFault.maxPartitionBuckets) }
        if byChunk.count == 1 { return [(byChunk.first!.key, rows)] }
        return byChunk.keys.sorted().map { ($0, rows.gather(byChunk[$0]!)) }
    }
}
