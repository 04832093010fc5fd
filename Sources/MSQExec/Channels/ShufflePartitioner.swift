internal import DataModel
internal import MSQKernel

/// Splits a stage's output rows into shuffle partitions (time chunks, or
/// one partition) and keeps the statistics the controller needs.
struct ShufflePartitioner {
    let spec: ShuffleSpec
    let signature: RowSignature
    private(set) var statistics = PartitionStatistics()

    init(spec: ShuffleSpec, signature: RowSignature) {
        self.spec = spec
        self.signature = signature
    }

    /// The batch's rows grouped by partition key.
    mutating func partition(_ batch: Batch) throws(HengeError) -> [(Int64, Batch)] {
        switch spec {
        case .single:
            statistics.rowsPerBucket[0, default: 0] += Int64(batch.rowCount)
            return [(0, batch)]
        case .timeChunks(let timeColumn, let granularity, _):
            let col = batch.columns[timeColumn]
            if col.nulls != nil { throw MSQFault.insertTimeNull() }
            guard case .long(let times) = col.data else { throw HengeError.defensive("time column is not LONG") }
            var rowsByKey: [Int64: [Int]] = [:]
            var lastKey: Int64 = .min, lastEnd: Int64 = .min
            for (r, t) in times.enumerated() {
                // Most consecutive rows share a chunk; avoid recomputing its bounds.
                if !(t >= lastKey && t < lastEnd) {
                    let chunk = granularity.bucket(t)
                    lastKey = chunk.start
                    lastEnd = chunk.end
                }
                rowsByKey[lastKey, default: []].append(r)
            }
            for (k, rows) in rowsByKey { statistics.rowsPerBucket[k, default: 0] += Int64(rows.count) }
            if statistics.rowsPerBucket.count > MSQFault.maxPartitionBuckets {
                throw MSQFault.tooManyBuckets(max: MSQFault.maxPartitionBuckets)
            }
            if rowsByKey.count == 1 { return [(rowsByKey.first!.key, batch)] }
            return rowsByKey.keys.sorted().map { ($0, batch.gather(rowsByKey[$0]!)) }
        }
    }
}
