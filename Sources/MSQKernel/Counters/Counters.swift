package import DataModel

/// Rows/bytes/frames/files through one channel, per partition (Druid's
/// `ChannelCounters`; inputs use partition 0).
package struct ChannelCounters: Hashable, Sendable {
    package var rows: [Int64] = []
    package var bytes: [Int64] = []
    package var frames: [Int64] = []
    package var files: [Int64] = []
    package var totalFiles: [Int64] = []

    package init() {}

    package mutating func add(partition p: Int = 0, rows r: Int64 = 0, bytes b: Int64 = 0, frames f: Int64 = 0, files fi: Int64 = 0,
                              totalFiles tf: Int64 = 0) {
        func bump(_ a: inout [Int64], _ v: Int64) {
            guard v != 0 else { return }
            if a.count <= p { a.append(contentsOf: [Int64](repeating: 0, count: p + 1 - a.count)) }
            a[p] += v
        }
        bump(&rows, r)
        bump(&bytes, b)
        bump(&frames, f)
        bump(&files, fi)
        bump(&totalFiles, tf)
    }

    package var isEmpty: Bool { rows.isEmpty && bytes.isEmpty && frames.isEmpty && files.isEmpty && totalFiles.isEmpty }

    package var json: JSONValue {
        var m: [(String, JSONValue)] = [("type", "channel")]
        for (k, v) in [("rows", rows), ("bytes", bytes), ("frames", frames), ("files", files), ("totalFiles", totalFiles)] where !v.isEmpty {
            m.append((k, .array(v.map { .int($0) })))
        }
        return .object(m)
    }
}

/// Progress of the segment generator (Druid's `segmentGenerationProgress`).
package struct SegmentGenerationProgress: Hashable, Sendable {
    package var rowsProcessed: Int64 = 0
    package var rowsPersisted: Int64 = 0
    package var rowsMerged: Int64 = 0
    package var rowsPushed: Int64 = 0

    package init() {}

    package var json: JSONValue {
        .object([("type", "segmentGenerationProgress"), ("rowsProcessed", .int(rowsProcessed)), ("rowsPersisted", .int(rowsPersisted)),
                 ("rowsMerged", .int(rowsMerged)), ("rowsPushed", .int(rowsPushed))])
    }
}

/// Progress of a worker's multi-level merge sort (Druid's `sortProgress`,
/// from `SuperSorterProgressTracker`): level 0 writes sorted runs, middle
/// levels merge runs, the last level produces one output per partition.
package struct SortProgressCounter: Hashable, Sendable {
    /// -1 until the input has ended.
    package var totalMergingLevels = -1
    package var levelToTotalBatches: [Int: Int64] = [:]
    package var levelToMergedBatches: [Int: Int64] = [:]
    /// Output partitions; -1 until known.
    package var totalMergersForUltimateLevel: Int64 = -1
    /// Nothing to sort.
    package var triviallyComplete = false

    package init() {}

    /// Mean over levels of merged / total batches (the last level's total is
    /// `totalMergersForUltimateLevel`); nil while the levels are unknown.
    package var progressDigest: Double? {
        if triviallyComplete { return 1 }
        guard totalMergingLevels > 0 else { return nil }
        var sum = 0.0
        for level in 0..<totalMergingLevels {
            let total = level == totalMergingLevels - 1 ? totalMergersForUltimateLevel : (levelToTotalBatches[level] ?? -1)
            guard total > 0 else { continue }
            sum += min(1, Double(levelToMergedBatches[level] ?? 0) / Double(total))
        }
        return sum / Double(totalMergingLevels)
    }

    package var json: JSONValue {
        if triviallyComplete {
            return .object([("type", "sortProgress"), ("totalMergingLevels", -1), ("levelToTotalBatches", .object([])),
                            ("levelToMergedBatches", .object([])), ("totalMergersForUltimateLevel", -1), ("triviallyComplete", true),
                            ("progressDigest", .double(1.0))])
        }
        func levels(_ m: [Int: Int64]) -> JSONValue { .object(m.keys.sorted().map { (String($0), .int(m[$0]!)) }) }
        return .object([
            ("type", "sortProgress"), ("totalMergingLevels", .int(Int64(totalMergingLevels))),
            ("levelToTotalBatches", levels(levelToTotalBatches)), ("levelToMergedBatches", levels(levelToMergedBatches)),
            ("totalMergersForUltimateLevel", .int(totalMergersForUltimateLevel)),
            ("progressDigest", progressDigest.map { .double($0) } ?? .null),
        ])
    }
}

/// Every counter one worker keeps for one stage.
package struct WorkerCounters: Hashable, Sendable {
    /// One channel per stage input (`input0`, `input1`, ...).
    package var inputs: [ChannelCounters] = []
    package var output = ChannelCounters()
    package var shuffle = ChannelCounters()
    /// Sorting done: nil until the stage sorts.
    package var sortProgress: SortProgressCounter? = nil
    package var segmentGeneration: SegmentGenerationProgress? = nil
    /// Warning counts by code.
    package var warnings: [String: Int64] = [:]

    package init(inputCount: Int = 0) {
        inputs = Array(repeating: ChannelCounters(), count: inputCount)
    }

    /// Counters with all-zero values are omitted, as Druid does.
    package var json: JSONValue {
        var m: [(String, JSONValue)] = []
        for (i, c) in inputs.enumerated() where !c.isEmpty { m.append(("input\(i)", c.json)) }
        if !output.isEmpty { m.append(("output", output.json)) }
        if !shuffle.isEmpty { m.append(("shuffle", shuffle.json)) }
        if let p = sortProgress { m.append(("sortProgress", p.json)) }
        if let s = segmentGeneration { m.append(("segmentGenerationProgress", s.json)) }
        if !warnings.isEmpty {
            m.append(("warnings", .object([("type", "warnings")] + warnings.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })))
        }
        return .object(m)
    }
}

/// Counters of a whole query: stage → worker → counters.
package struct CounterSnapshotsTree: Hashable, Sendable {
    package var stages: [Int: [Int: WorkerCounters]] = [:]

    package init() {}

    package mutating func set(stage: Int, worker: Int, _ c: WorkerCounters) {
        stages[stage, default: [:]][worker] = c
    }

    package var json: JSONValue {
        .object(stages.keys.sorted().map { s in
            (String(s), .object(stages[s]!.keys.sorted().map { w in (String(w), stages[s]![w]!.json) }))
        })
    }
}
