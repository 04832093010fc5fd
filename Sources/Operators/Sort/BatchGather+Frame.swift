package import DataModel
internal import Expressions
internal import SegmentFormat

extension BatchGather {
    /// Appends the run-file frame of `picks` of `sources` to `out`: the
    /// bytes `FrameEncoder.encode(gather(sources, picks, signature:), into:)`
    /// appends, without building that batch — LONG values go from the
    /// sources through a scratch buffer straight into the frame.
    package static func encodeFrame(_ sources: [Batch], _ picks: [RowRef], signature: RowSignature, into out: inout [UInt8]) {
        FrameEncoder.appendHeader(rows: picks.count, columns: signature.count, into: &out)
        for c in signature.columns.indices {
            let parts = sources.map { $0.columns[c] }
            guard signature[c].type.storage == .long else {
                FrameEncoder.appendColumn(gatherColumn(parts, picks, type: signature[c].type), rows: picks.count, into: &out)
                continue
            }
            let nulls = gatherNulls(parts, picks)
            withBasePointers(parts.map { $0.longs() }) { base in
                withUnsafeTemporaryAllocation(of: Int64.self, capacity: picks.count) { values in
                    for (i, p) in picks.enumerated() { (values.baseAddress! + i).initialize(to: base[p.slot][p.row]) }
                    FrameEncoder.appendLongColumn(UnsafeBufferPointer(values), nulls: nulls, into: &out)
                }
            }
        }
    }
}
