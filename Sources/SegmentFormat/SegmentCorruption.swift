internal import DataModel

/// Why a segment file failed validation; `SegmentReader` turns it into a
/// `SegmentCorrupted` fault naming the file.
struct SegmentCorruption: Error, Sendable {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

extension HengeError {
    /// The fault raised for any structural or checksum mismatch in a segment file.
    static func segmentCorrupted(path: String, reason: String) -> HengeError {
        .fault("SegmentCorrupted", "Segment file [\(path)] is corrupted: \(reason)")
    }
}
