/// What `SegmentWriter.write(to:)` reports about the file it wrote.
package struct SegmentFileInfo: Hashable, Sendable {
    package var rowCount: Int
    package var sizeBytes: Int64
    /// Smallest `__time`; 0 when the segment has no rows.
    package var minTime: Int64
    /// Largest `__time`; 0 when the segment has no rows.
    package var maxTime: Int64

    package init(rowCount: Int, sizeBytes: Int64, minTime: Int64, maxTime: Int64) {
        self.rowCount = rowCount
        self.sizeBytes = sizeBytes
        self.minTime = minTime
        self.maxTime = maxTime
    }
}
