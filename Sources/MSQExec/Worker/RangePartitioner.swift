internal import DataModel
internal import Operators

/// Cuts one time chunk's rows into range partitions on the CLUSTERED BY
/// keys (Druid's `DimensionRangeShardSpec`): rows are ordered by the keys,
/// cut about every `rowsPerSegment` rows — but never between two rows with
/// equal keys, so each key value lives in exactly one segment — and each
/// piece carries its bounds (`start` inclusive, `end` exclusive; the first
/// piece starts open, the last ends open).
enum RangePartitioner {
    struct Piece {
        var rows: Batch
        var range: SegmentKeyRange
    }

    /// Nil when a key column holds multi-value rows (Druid then falls back
    /// to numbered segments).
    static func partition(_ chunk: Batch, keys: [Int], rowsPerSegment: Int) -> [Piece]? {
        if keys.contains(where: { chunk.columns[$0].isMultiValue }) { return nil }
        let dims = keys.map { chunk.signature[$0].name }
        let order = BatchSorter.order(chunk, by: keys.map { SortColumn(column: $0) })
        func key(_ row: Int) -> [String?] {
            keys.map { c in chunk.columns[c].isNull(row) ? nil : chunk.columns[c].value(at: row).stringValue }
        }
        let target = max(1, rowsPerSegment)
        var cuts: [Int] = []  // positions in `order` where a new piece starts
        var next = target
        while next < order.count {
            // Move the cut past rows sharing the key of the row before it.
            let previous = key(order[next - 1])
            var cut = next
            while cut < order.count && key(order[cut]) == previous { cut += 1 }
            guard cut < order.count else { break }
            cuts.append(cut)
            next = cut + target
        }
        let starts = [0] + cuts
        let ends = cuts + [order.count]
        return zip(starts, ends).enumerated().map { i, bounds in
            let rows = chunk.gather(Array(order[bounds.0..<bounds.1]))
            let range = SegmentKeyRange(dimensions: dims,
                                        start: i == 0 ? nil : key(order[bounds.0]),
                                        end: i == cuts.count ? nil : key(order[bounds.1]))
            return Piece(rows: rows, range: range)
        }
    }
}
