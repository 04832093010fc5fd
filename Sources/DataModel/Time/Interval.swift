/// A half-open time range `[start, end)` in epoch milliseconds, UTC.
package struct Interval: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var start: Int64
    package var end: Int64

    package init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// Druid's ETERNITY: `-146136543-09-08T08:23:32.096Z/146140482-04-24T15:36:27.903Z`.
    package static let eternity = Interval(start: -4_611_686_018_427_387_904, end: 4_611_686_018_427_387_903)

    package var isEternity: Bool { self == Interval.eternity }

    package func contains(_ t: Int64) -> Bool { t >= start && t < end }

    package func overlaps(_ o: Interval) -> Bool { start < o.end && o.start < end }

    package func contains(_ o: Interval) -> Bool { start <= o.start && o.end <= end }

    package static func < (a: Interval, b: Interval) -> Bool {
        a.start != b.start ? a.start < b.start : a.end < b.end
    }

    /// `start/end` in ISO-8601, as Druid prints intervals.
    package var description: String { ISOTime.format(start) + "/" + ISOTime.format(end) }

    /// Parses `start/end` with ISO-8601 instants.
    package init?(iso text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let s = ISOTime.parse(String(parts[0])), let e = ISOTime.parse(String(parts[1])) else {
            return nil
        }
        self.init(start: s, end: e)
    }
}
