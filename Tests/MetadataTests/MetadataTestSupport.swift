import DataModel
import Foundation
@testable import Metadata

enum Fixtures {
    static func task(_ id: String, created: Int64, dataSource: String = "wiki") -> TaskRecord {
        TaskRecord(
            id: id, dataSource: dataSource, createdTime: created, sqlQuery: "INSERT INTO \"\(dataSource)\" SELECT 1",
            context: #"{"maxNumTasks":2}"#)
    }

    static func segment(
        _ dataSource: String, day: Int64, version: String = "2024-05-01T00:00:00.000Z", partition: Int = 0,
        tombstone: Bool = false
    ) -> SegmentRecord {
        let start = 1_704_067_200_000 + day * 86_400_000
        let id = SegmentID(
            dataSource: dataSource, interval: Interval(start: start, end: start + 86_400_000), version: version,
            partition: partition)
        return SegmentRecord(
            segmentID: id, storageKey: tombstone ? "" : "\(dataSource)/\(day)/\(version)/\(partition)/index.hseg",
            sizeBytes: tombstone ? 0 : 1000 + Int64(partition), numRows: tombstone ? 0 : 10,
            signature: #"[{"name":"__time","type":"LONG"}]"#, createdTime: 1_714_521_600_000, isTombstone: tombstone)
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("henge-meta-\(UUID().uuidString).sqlite").path
    }

    static func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
