internal import DataModel
internal import MSQKernel
internal import Operators
internal import SegmentFormat

/// Writes a partition's rows into segment files as they stream by, in the
/// generator's stream order (`SegmentGeneratorSpec.streamOrder`): one
/// series of segments per time chunk, a new file about every
/// `rowsPerSegment` rows, so at most one segment's rows per open chunk are
/// held in memory.
///
/// - Numbered segments (no `rangeKeys`): rows arrive in segment order and
///   are appended to the open segment as they come; a new file starts every
///   `rowsPerSegment` rows.
/// - Range segments (`rangeKeys`): rows arrive ordered by the CLUSTERED BY
///   keys; a piece is cut once it holds `rowsPerSegment` rows and the key
///   changes (a key value never spans two segments), sorted into segment
///   order and written with its `[start, end)` key range. A multi-value key
///   column makes the chunk fall back to numbered segments, as Druid does.
///
/// When the stream leads with `__time` a chunk is closed as soon as the next
/// one starts; otherwise (range keys, or `segmentSortOrder` without
/// `__time` first) chunks stay open until the partition ends.
///
/// Checks NULL `__time`, REPLACE bounds, TooManyBuckets and `maxNumSegments`
/// (counting the rest of an oversized chunk to report how many segments it
/// needed).
struct SegmentStreamWriter {
    let spec: SegmentGeneratorSpec
    let directory: String
    /// Called with the rows of every segment written.
    let onSegmentWritten: (Int) -> Void
    private(set) var segments: [GeneratedSegment] = []
    private var chunkOrdinals: [Int64: Int] = [:]
    private var open: [Int64: ChunkState] = [:]
    /// Chunks seen in the current partition (TooManyBuckets).
    private var chunksInPartition: Set<Int64> = []
    private let timeLed: Bool
    private let rowOrderKeys: [SortColumn]
    private let rowOrderNames: [String]

    /// The rows and counters of one open time chunk.
    private struct ChunkState {
        var interval: Interval
        /// Numbered mode: the segment being built (rows already in order).
        var writer: SegmentWriter? = nil
        /// Range mode: rows of the piece being built (sorted when written).
        var pending: [Batch] = []
        var pendingRows = 0
        var segmentsInChunk = 0
        /// Rows past `maxNumSegments` segments (nil: within the limit).
        var overflowRows: Int? = nil
        /// Range mode: the key the current piece starts at (nil: open start).
        var pieceStart: [String?]? = nil
        /// Range mode: the key of the piece's last row, once it is full.
        var lastKey: [String?]? = nil
        /// False once a multi-value key column was seen (numbered fallback).
        var ranged = true
        /// Indexes into `segments` of this chunk's segments.
        var written: [Int] = []
    }

    init(spec: SegmentGeneratorSpec, directory: String, onSegmentWritten: @escaping (Int) -> Void) {
        self.spec = spec
        self.directory = directory
        self.onSegmentWritten = onSegmentWritten
        timeLed = spec.rangeKeys == nil && spec.rowOrder.first == 0
        rowOrderKeys = spec.rowOrder.map { SortColumn(column: $0) }
        rowOrderNames = spec.rowOrder.map { spec.segmentSignature[$0].name }
    }

    private var perSegment: Int { max(1, spec.rowsPerSegment) }

    mutating func append(_ rows: Batch) throws {
        guard rows.rowCount > 0 else { return }
        let time = rows.columns[0]
        if time.nulls != nil { throw MSQFault.insertTimeNull() }
        guard case .long(let times) = time.data else { throw HengeError.defensive("__time is not LONG") }
        var start = 0
        while start < rows.rowCount {
            let chunk = spec.granularity.bucket(times[start])
            var stop = start + 1
            if timeLed {
                while stop < rows.rowCount && times[stop] < chunk.end { stop += 1 }
            } else {
                while stop < rows.rowCount && times[stop] >= chunk.start && times[stop] < chunk.end { stop += 1 }
            }
            try openChunk(chunk)
            let slice = start == 0 && stop == rows.rowCount ? rows : rows.gather(Array(start..<stop))
            if spec.rangeKeys != nil {
                try appendRanged(slice, chunk: chunk.start)
            } else {
                try appendNumbered(slice, chunk: chunk.start)
            }
            start = stop
        }
    }

    /// Ends a shuffled partition: every open chunk's last segment is written.
    mutating func endPartition() throws {
        for key in open.keys.sorted() { try closeChunk(key) }
        chunksInPartition = []
    }

    private mutating func openChunk(_ chunk: Interval) throws {
        guard open[chunk.start] == nil else { return }
        if timeLed {
            if let previous = open.keys.first {
                if chunk.start < previous { throw HengeError.defensive("segment rows are not sorted by __time") }
                try closeChunk(previous)
            }
        }
        if chunksInPartition.insert(chunk.start).inserted, chunksInPartition.count > MSQFault.maxPartitionBuckets {
            throw MSQFault.tooManyBuckets(max: MSQFault.maxPartitionBuckets)
        }
        if let bounds = spec.replaceBounds, !bounds.contains(where: { $0.contains(chunk) }) {
            throw MSQFault.insertTimeOutOfBounds(chunk, bounds: bounds)
        }
        open[chunk.start] = ChunkState(interval: chunk)
    }

    private mutating func appendNumbered(_ rows: Batch, chunk: Int64) throws {
        var s = 0
        while s < rows.rowCount {
            if let overflow = open[chunk]!.overflowRows {
                open[chunk]!.overflowRows = overflow + (rows.rowCount - s)
                return
            }
            if open[chunk]!.pendingRows == 0, let limit = spec.maxNumSegments, open[chunk]!.segmentsInChunk >= limit {
                open[chunk]!.overflowRows = 0
                continue
            }
            if open[chunk]!.writer == nil {
                var writer = SegmentWriter(signature: spec.segmentSignature)
                writer.sortOrder = rowOrderNames
                open[chunk]!.writer = writer
            }
            let take = min(rows.rowCount - s, perSegment - open[chunk]!.pendingRows)
            open[chunk]!.writer!.append(take == rows.rowCount ? rows : rows.gather(Array(s..<(s + take))))
            open[chunk]!.pendingRows += take
            s += take
            if open[chunk]!.pendingRows == perSegment { try closeSegment(chunk, end: nil) }
        }
    }

    /// Range mode: rows arrive ordered by the range keys.
    private mutating func appendRanged(_ rows: Batch, chunk: Int64) throws {
        let keys = spec.rangeKeys!
        if open[chunk]!.ranged, keys.contains(where: { rows.columns[$0].isMultiValue }) { fallBackToNumbered(chunk) }
        func key(_ row: Int) -> [String?] {
            keys.map { c in rows.columns[c].isNull(row) ? nil : rows.columns[c].value(at: row).stringValue }
        }
        var s = 0
        while s < rows.rowCount {
            if let overflow = open[chunk]!.overflowRows {
                open[chunk]!.overflowRows = overflow + (rows.rowCount - s)
                return
            }
            var take: Int
            if open[chunk]!.pendingRows < perSegment {
                take = min(rows.rowCount - s, perSegment - open[chunk]!.pendingRows)
                if open[chunk]!.pendingRows + take == perSegment { open[chunk]!.lastKey = key(s + take - 1) }
            } else {
                // Full: extend the piece over rows sharing its last key, then cut.
                let last = open[chunk]!.lastKey!
                take = 0
                while s + take < rows.rowCount && key(s + take) == last { take += 1 }
                if s + take < rows.rowCount {
                    if take > 0 { appendPending(rows, s, take, chunk: chunk) }
                    s += take
                    let next = key(s)
                    try closeSegment(chunk, end: next)
                    if let limit = spec.maxNumSegments, open[chunk]!.segmentsInChunk >= limit {
                        open[chunk]!.overflowRows = 0
                        continue
                    }
                    open[chunk]!.pieceStart = next
                    continue
                }
            }
            appendPending(rows, s, take, chunk: chunk)
            s += take
        }
    }

    private mutating func appendPending(_ rows: Batch, _ s: Int, _ count: Int, chunk: Int64) {
        open[chunk]!.pending.append(count == rows.rowCount ? rows : rows.gather(Array(s..<(s + count))))
        open[chunk]!.pendingRows += count
    }

    /// A multi-value key column: this chunk's segments (written and to come) are numbered.
    private mutating func fallBackToNumbered(_ chunk: Int64) {
        open[chunk]!.ranged = false
        for i in open[chunk]!.written { segments[i].range = nil }
    }

    private mutating func closeChunk(_ key: Int64) throws {
        guard let state = open[key] else { return }
        if let overflow = state.overflowRows, let limit = spec.maxNumSegments {
            throw MSQFault.tooManySegmentsInTimeChunk(state.interval, granularity: spec.granularity,
                                                      numSegments: limit + (overflow + perSegment - 1) / perSegment, maxNumSegments: limit)
        }
        try closeSegment(key, end: nil)
        open[key] = nil
    }

    /// Writes the chunk's pending rows as one segment (range: `[pieceStart, end)`).
    private mutating func closeSegment(_ key: Int64, end: [String?]?) throws {
        guard var state = open[key], state.pendingRows > 0 else { return }
        var writer: SegmentWriter
        if let numbered = state.writer {
            writer = numbered
        } else {
            let rows = BatchSorter.sort(BatchSorter.concat(state.pending, signature: spec.segmentSignature), by: rowOrderKeys)
            writer = SegmentWriter(signature: spec.segmentSignature)
            writer.sortOrder = rowOrderNames
            writer.append(rows)
        }
        state.writer = nil
        state.pending = []
        state.pendingRows = 0
        let ordinal = chunkOrdinals[key, default: 0]
        chunkOrdinals[key] = ordinal + 1
        let path = "\(directory)/segment_\(key)_\(ordinal).hseg"
        Failpoints.hit("segment.write.before")
        // Not fsynced here: deep storage makes pushed files durable before the publish commits.
        let info = try writer.write(to: path, sync: false)
        Failpoints.hit("segment.write.after")
        var segment = GeneratedSegment(interval: state.interval, ordinalInChunk: ordinal, localPath: path, rowCount: info.rowCount,
                                       sizeBytes: info.sizeBytes, signature: spec.segmentSignature)
        if let keys = spec.rangeKeys, state.ranged {
            segment.range = SegmentKeyRange(dimensions: keys.map { spec.segmentSignature[$0].name }, start: state.pieceStart, end: end)
        }
        state.written.append(segments.count)
        segments.append(segment)
        state.segmentsInChunk += 1
        state.lastKey = nil
        open[key] = state
        onSegmentWritten(info.rowCount)
    }
}
