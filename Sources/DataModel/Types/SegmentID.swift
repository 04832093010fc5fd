/// A segment's identity, as Druid spells it:
/// `<dataSource>_<start>_<end>_<version>[_<partition>]`.
package struct SegmentID: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var dataSource: String
    package var interval: Interval
    /// ISO time of the lock that wrote it; compared as text, like Druid.
    package var version: String
    package var partition: Int

    package init(dataSource: String, interval: Interval, version: String, partition: Int) {
        self.dataSource = dataSource
        self.interval = interval
        self.version = version
        self.partition = partition
    }

    package var description: String {
        let base = "\(dataSource)_\(ISOTime.format(interval.start))_\(ISOTime.format(interval.end))_\(version)"
        return partition == 0 ? base : base + "_\(partition)"
    }

    package static func < (a: SegmentID, b: SegmentID) -> Bool {
        (a.dataSource, a.interval.start, a.interval.end, a.version, a.partition)
            < (b.dataSource, b.interval.start, b.interval.end, b.version, b.partition)
    }
}
