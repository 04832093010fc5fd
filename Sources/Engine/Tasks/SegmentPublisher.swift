internal import Foundation
internal import DataModel
internal import SQLPlanner
internal import MSQExec
internal import Metadata
internal import Storage
internal import MSQKernel

/// Makes a task's segments visible atomically: files are pushed (complete
/// and fsynced) into deep storage first, then ONE metadata transaction
/// inserts the new segments and marks the ones they overshadow unused.
/// Until that transaction commits nothing is visible; a crash before it
/// leaves only orphan files, swept at start-up.
struct SegmentPublisher {
    let metadata: any MetadataStore
    let storage: any DeepStorage

    /// Returns the records published (tombstones and upgraded segments included).
    ///
    /// `upgradeAppendedSince` is set for a REPLACE holding a concurrent
    /// REPLACE lock (`useConcurrentLocks`): segments that APPEND-lock tasks
    /// published into the replaced range after that time (the lock's start)
    /// are carried into the new version — new ids naming the same files —
    /// so data appended while the REPLACE ran is not overshadowed (Druid's
    /// segment upgrade on concurrent append and replace).
    func publish(plan: IngestPlan, segments: [GeneratedSegment], lockTime: Int64, now: Int64,
                 completing: TaskCompletion? = nil, upgradeAppendedSince: Int64? = nil) throws -> [SegmentRecord] {
        let existing = try metadata.usedSegments(dataSource: plan.dataSource)
        var records: [SegmentRecord] = []
        /// Records naming files already in deep storage (nothing to push).
        var upgraded: [SegmentRecord] = []
        var overshadowed: [String] = []
        let byChunk = Dictionary(grouping: segments, by: \.interval)
        let chunks = byChunk.keys.sorted()
        switch plan.mode {
        case .insert:
            // Append to each chunk's current version, after its existing partitions.
            for chunk in chunks {
                // A chunk overlapping existing data of another granularity cannot be allocated (Druid's
                // SegmentAllocateAction gives a misaligned interval or none).
                if let other = existing.first(where: { !$0.isTombstone && ($0.start != chunk.start || $0.end != chunk.end)
                    && Interval(start: $0.start, end: $0.end).overlaps(chunk) }) {
                    let otherInterval = Interval(start: other.start, end: other.end)
                    let coarser = otherInterval.start <= chunk.start && otherInterval.end >= chunk.end
                    throw MSQFault.insertCannotAllocateSegment(plan.dataSource, interval: chunk, allocated: coarser ? otherInterval : nil)
                }
                let same = existing.filter { $0.start == chunk.start && $0.end == chunk.end && !$0.isTombstone }
                let version = same.map(\.version).max() ?? ISOTime.format(lockTime)
                var next = (same.filter { $0.version == version }.map(\.partition).max() ?? -1) + 1
                for seg in byChunk[chunk]!.sorted(by: { ($0.ordinalInChunk, $0.localPath) < ($1.ordinalInChunk, $1.localPath) }) {
                    // Appended partitions are not core partitions (Druid's NumberedPartialShardSpec allocation).
                    let shard = ShardSpecs.numbered(partition: next, partitions: 0)
                    records.append(record(plan.dataSource, seg, version: version, partition: next, now: now, shardSpec: shard))
                    next += 1
                }
            }
        case .replace:
            // A new version strictly above every existing one overshadows the replaced range.
            var versionTime = lockTime
            if let maxExisting = existing.map(\.version).max(), let t = ISOTime.parse(maxExisting), t >= versionTime {
                versionTime = t + 1
            }
            let version = ISOTime.format(versionTime)
            let bounds = plan.replaceIntervals ?? [.eternity]
            for chunk in chunks {
                let inChunk = byChunk[chunk]!.sorted(by: { ($0.ordinalInChunk, $0.localPath) < ($1.ordinalInChunk, $1.localPath) })
                for (p, seg) in inChunk.enumerated() {
                    let shard = ShardSpecs.forReplace(seg, partition: p, partitions: inChunk.count)
                    records.append(record(plan.dataSource, seg, version: version, partition: p, now: now, shardSpec: shard))
                }
            }
            let replaced = existing.filter { old in bounds.contains { $0.overlaps(Interval(start: old.start, end: old.end)) } }
            overshadowed = replaced.map(\.id)
            if let since = upgradeAppendedSince {
                let appended = replaced.filter { !$0.isTombstone && $0.createdTime >= since }
                for (interval, group) in Dictionary(grouping: appended, by: { Interval(start: $0.start, end: $0.end) }) {
                    var next = records.filter { $0.start == interval.start && $0.end == interval.end }.count
                    for old in group.sorted(by: { ($0.version, $0.partition) < ($1.version, $1.partition) }) {
                        let id = SegmentID(dataSource: plan.dataSource, interval: interval, version: version, partition: next)
                        var copy = old
                        copy.id = id.description
                        copy.version = version
                        copy.partition = next
                        copy.createdTime = now
                        copy.shardSpec = ShardSpecs.numbered(partition: next, partitions: 0)
                        upgraded.append(copy)
                        next += 1
                    }
                }
            }
            // Tombstones mark replaced ranges that received no new data.
            var tombstoned = Set<Interval>()
            for old in replaced where !old.isTombstone {
                let oldInterval = Interval(start: old.start, end: old.end)
                guard !chunks.contains(where: { $0.overlaps(oldInterval) }),
                      !upgraded.contains(where: { Interval(start: $0.start, end: $0.end).overlaps(oldInterval) }) else { continue }
                for b in bounds where b.overlaps(oldInterval) {
                    let t = Interval(start: max(b.start, old.start), end: min(b.end, old.end))
                    guard tombstoned.insert(t).inserted else { continue }
                    let id = SegmentID(dataSource: plan.dataSource, interval: t, version: version, partition: 0)
                    records.append(SegmentRecord(id: id.description, dataSource: plan.dataSource, start: t.start, end: t.end, version: version,
                                                 partition: 0, used: true, storageKey: "", sizeBytes: 0, numRows: 0,
                                                 signature: "[]", createdTime: now, isTombstone: true,
                                                 shardSpec: #"{"type":"tombstone","partitionNum":0,"partitions":1}"#))
                }
            }
        }
        // Push files (each record holds its temp file's path until then), then commit metadata in one transaction.
        var pushed: [String] = []
        do {
            Failpoints.hit("publish.push.before")
            let files = records.indices.filter { !records[$0].isTombstone }
            let keys = try storage.push(segmentFiles: files.map { (records[$0].storageKey, records[$0].segmentID) }) { key in
                pushed.append(key)
                if pushed.count == 1 { Failpoints.hit("publish.push.partial") }
            }
            for (i, key) in zip(files, keys) { records[i].storageKey = key }
            records += upgraded
            Failpoints.hit("publish.push.after")
            Failpoints.hit("publish.commit.before")
            // The segments and the task's SUCCESS commit together: no crash can leave one without the other.
            try metadata.publish(newSegments: records, overshadowedIDs: overshadowed, completing: completing)
            Failpoints.hit("publish.commit.after")
        } catch {
            for key in pushed { try? storage.delete(key: key) }
            throw error
        }
        return records
    }

    private func record(_ dataSource: String, _ seg: GeneratedSegment, version: String, partition: Int, now: Int64,
                        shardSpec: String) -> SegmentRecord {
        let id = SegmentID(dataSource: dataSource, interval: seg.interval, version: version, partition: partition)
        return SegmentRecord(id: id.description, dataSource: dataSource, start: seg.interval.start, end: seg.interval.end, version: version,
                             partition: partition, used: true, storageKey: seg.localPath, sizeBytes: seg.sizeBytes,
                             numRows: Int64(seg.rowCount), signature: seg.signature.json.serialized, createdTime: now, isTombstone: false,
                             shardSpec: shardSpec)
    }
}

/// Druid's shard spec JSON for the segments a task publishes (reference §8.7).
enum ShardSpecs {
    static func numbered(partition: Int, partitions: Int) -> String {
        JSONValue.object([("type", "numbered"), ("partitionNum", .int(Int64(partition))), ("partitions", .int(Int64(partitions)))]).serialized
    }

    /// `range` when the segment carries range bounds (REPLACE with string
    /// CLUSTERED BY keys), else numbered with the chunk's core partition count.
    static func forReplace(_ seg: GeneratedSegment, partition: Int, partitions: Int) -> String {
        guard let range = seg.range else { return numbered(partition: partition, partitions: partitions) }
        func bound(_ b: [String?]?) -> JSONValue {
            b.map { .array($0.map { $0.map(JSONValue.string) ?? .null }) } ?? .null
        }
        return JSONValue.object([
            ("type", "range"), ("dimensions", .array(range.dimensions.map(JSONValue.string))),
            ("start", bound(range.start)), ("end", bound(range.end)),
            ("partitionNum", .int(Int64(partition))), ("numCorePartitions", .int(Int64(partitions))),
        ]).serialized
    }
}
