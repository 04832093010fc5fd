internal import DataModel
internal import MSQKernel
internal import SegmentFormat

/// Writes rows that arrive sorted by `__time` (in the segment signature)
/// into segment files as they come: one series of segments per time chunk,
/// a new file every `rowsPerSegment` rows, so at most one segment's rows
/// are held in memory. Checks NULL `__time`, REPLACE bounds, and
/// `maxNumSegments` (counting the rest of an oversized chunk to report how
/// many segments it needed).
struct SegmentStreamWriter {
    let spec: SegmentGeneratorSpec
    let directory: String
    /// Called with the rows of every segment written.
    let onSegmentWritten: (Int) -> Void
    private(set) var segments: [GeneratedSegment] = []
    private var chunkOrdinals: [Int64: Int] = [:]
    private var chunk: Interval? = nil
    private var chunksInPartition = 0
    private var writer: SegmentWriter? = nil
    private var rowsInSegment = 0
    private var segmentsInChunk = 0
    /// Rows of the current chunk past `maxNumSegments` segments (nil: within the limit).
    private var overflowRows: Int? = nil

    init(spec: SegmentGeneratorSpec, directory: String, onSegmentWritten: @escaping (Int) -> Void) {
        self.spec = spec
        self.directory = directory
        self.onSegmentWritten = onSegmentWritten
    }

    private var perSegment: Int { max(1, spec.rowsPerSegment) }

    mutating func append(_ rows: Batch) throws {
        guard rows.rowCount > 0 else { return }
        let time = rows.columns[0]
        if time.nulls != nil { throw MSQFault.insertTimeNull() }
        guard case .long(let times) = time.data else { throw HengeError.defensive("__time is not LONG") }
        var start = 0
        while start < rows.rowCount {
            let t = times[start]
            if chunk.map({ !$0.contains(t) }) ?? true {
                if let chunk, t < chunk.start { throw HengeError.defensive("segment rows are not sorted by __time") }
                try startChunk(spec.granularity.bucket(t))
            }
            let end = chunk!.end
            var stop = start
            while stop < rows.rowCount && times[stop] < end { stop += 1 }
            var s = start
            while s < stop {
                if let overflow = overflowRows {
                    overflowRows = overflow + (stop - s)
                    break
                }
                if writer == nil {
                    if let limit = spec.maxNumSegments, segmentsInChunk >= limit {
                        overflowRows = 0
                        continue
                    }
                    writer = SegmentWriter(signature: spec.segmentSignature)
                    rowsInSegment = 0
                }
                let take = min(stop - s, perSegment - rowsInSegment)
                writer!.append(take == rows.rowCount ? rows : rows.gather(Array(s..<(s + take))))
                rowsInSegment += take
                s += take
                if rowsInSegment == perSegment { try closeSegment() }
            }
            start = stop
        }
    }

    /// Ends a shuffled partition (its last chunk's last segment).
    mutating func endPartition() throws {
        try closeChunk()
        chunk = nil
        chunksInPartition = 0
    }

    private mutating func startChunk(_ next: Interval) throws {
        try closeChunk()
        chunksInPartition += 1
        if chunksInPartition > MSQFault.maxPartitionBuckets { throw MSQFault.tooManyBuckets(max: MSQFault.maxPartitionBuckets) }
        if let bounds = spec.replaceBounds, !bounds.contains(where: { $0.contains(next) }) {
            throw MSQFault.insertTimeOutOfBounds(next, bounds: bounds)
        }
        chunk = next
        segmentsInChunk = 0
        overflowRows = nil
    }

    private mutating func closeChunk() throws {
        if let overflow = overflowRows, let chunk, let limit = spec.maxNumSegments {
            throw MSQFault.tooManySegmentsInTimeChunk(chunk, granularity: spec.granularity,
                                                      numSegments: limit + (overflow + perSegment - 1) / perSegment, maxNumSegments: limit)
        }
        try closeSegment()
    }

    private mutating func closeSegment() throws {
        guard let w = writer, let chunk else { return }
        writer = nil
        let ordinal = chunkOrdinals[chunk.start, default: 0]
        chunkOrdinals[chunk.start] = ordinal + 1
        let path = "\(directory)/segment_\(chunk.start)_\(ordinal).hseg"
        let info = try w.write(to: path)
        segments.append(GeneratedSegment(interval: chunk, ordinalInChunk: ordinal, localPath: path, rowCount: info.rowCount,
                                         sizeBytes: info.sizeBytes, signature: spec.segmentSignature))
        segmentsInChunk += 1
        onSegmentWritten(info.rowCount)
    }
}
