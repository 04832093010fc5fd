package import DataModel

/// One published segment (or tombstone), as stored.
package struct SegmentRecord: Sendable, Equatable {
    /// `SegmentID.description`, e.g. `wiki_2024-01-01T00:00:00.000Z_2024-01-02T00:00:00.000Z_v1`.
    package var id: String
    package var dataSource: String
    /// Interval start, epoch milliseconds (inclusive).
    package var start: Int64
    /// Interval end, epoch milliseconds (exclusive).
    package var end: Int64
    package var version: String
    package var partition: Int
    /// False once overshadowed or dropped; readers only see used segments.
    package var used: Bool
    /// The `DeepStorage` key of the file; empty for tombstones.
    package var storageKey: String
    package var sizeBytes: Int64
    package var numRows: Int64
    /// The row signature as JSON text (`[{"name":..,"type":..}]`).
    package var signature: String
    /// Publish time, epoch milliseconds.
    package var createdTime: Int64
    /// A tombstone: an empty segment that overshadows older data in its interval.
    package var isTombstone: Bool
    /// Druid's shard spec as JSON text (`{"type":"numbered",...}`,
    /// `{"type":"range","dimensions":[...],...}`); empty for segments written
    /// before shard specs were stored (read as numbered).
    package var shardSpec: String

    package init(
        id: String, dataSource: String, start: Int64, end: Int64, version: String, partition: Int,
        used: Bool = true, storageKey: String, sizeBytes: Int64, numRows: Int64, signature: String,
        createdTime: Int64, isTombstone: Bool = false, shardSpec: String = ""
    ) {
        self.shardSpec = shardSpec
        self.id = id
        self.dataSource = dataSource
        self.start = start
        self.end = end
        self.version = version
        self.partition = partition
        self.used = used
        self.storageKey = storageKey
        self.sizeBytes = sizeBytes
        self.numRows = numRows
        self.signature = signature
        self.createdTime = createdTime
        self.isTombstone = isTombstone
    }

    /// A record for segment `segmentID` (its `id`, data source, interval,
    /// version and partition are taken from it).
    package init(
        segmentID: SegmentID, used: Bool = true, storageKey: String, sizeBytes: Int64, numRows: Int64,
        signature: String, createdTime: Int64, isTombstone: Bool = false
    ) {
        self.init(
            id: segmentID.description, dataSource: segmentID.dataSource, start: segmentID.interval.start,
            end: segmentID.interval.end, version: segmentID.version, partition: segmentID.partition, used: used,
            storageKey: storageKey, sizeBytes: sizeBytes, numRows: numRows, signature: signature,
            createdTime: createdTime, isTombstone: isTombstone)
    }

    package var interval: Interval { Interval(start: start, end: end) }

    package var segmentID: SegmentID {
        SegmentID(dataSource: dataSource, interval: interval, version: version, partition: partition)
    }
}
