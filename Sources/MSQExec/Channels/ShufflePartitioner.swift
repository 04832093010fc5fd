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
            // Runs of consecutive rows in one chunk (input is often time-ordered: most batches are one run),
            // so a row costs a range check, not a dictionary update.
            var runs: [(key: Int64, start: Int)] = []
            var lastKey: Int64 = .min, lastEnd: Int64 = .min
            for (r, t) in times.enumerated() where !(t >= lastKey && t < lastEnd) {
                let chunk = granularity.bucket(t)
                lastKey = chunk.start
                lastEnd = chunk.end
                runs.append((lastKey, r))
            }
            let keys = Set(runs.map(\.key))
            if keys.count <= 1 {
                // One chunk (or no rows): the batch goes on whole.
                guard let key = keys.first else { return [] }
                statistics.rowsPerBucket[key, default: 0] += Int64(times.count)
                try checkBuckets()
                return [(key, batch)]
            }
            var rowsByKey: [Int64: [Int]] = [:]
            for (i, run) in runs.enumerated() {
                let end = i + 1 < runs.count ? runs[i + 1].start : times.count
                rowsByKey[run.key, default: []].append(contentsOf: run.start..<end)
            }
            for (k, rows) in rowsByKey { statistics.rowsPerBucket[k, default: 0] += Int64(rows.count) }
            try checkBuckets()
            return rowsByKey.keys.sorted().map { ($0, batch.gather(rowsByKey[$0]!)) }
        }
    }

    private func checkBuckets() throws(HengeError) {
        if statistics.rowsPerBucket.count > MSQFault.maxPartitionBuckets {
            throw MSQFault.tooManyBuckets(max: MSQFault.maxPartitionBuckets)
        }
    }
}
