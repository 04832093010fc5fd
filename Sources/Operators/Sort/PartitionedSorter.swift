package import DataModel
package import SegmentFormat

/// Sorts rows within partitions under a memory budget (Druid's
/// SuperSorter, simplified): rows are buffered per partition key; when the
/// buffer reaches `limits.rows` rows or `limits.bytes` estimated bytes, every
/// partition's rows are sorted and written as one run file (a section per
/// key). `finish` leaves each partition as sorted runs: one in-memory batch
/// when nothing spilled, else at most `maxRunsPerPartition` run sections,
/// after merging runs `fanIn` at a time as often as needed.
///
/// Run files live in `directory` and belong to this sorter until `finish`;
/// then to whoever keeps the result (`deleteFiles` on failure or when done).
package final class PartitionedSorter {
    package let signature: RowSignature
    package let keys: [SortColumn]
    package let limits: SortLimits
    private let directory: String
    private let name: String
    private let checkCanceled: () throws(HengeError) -> Void
    /// Called after every run written or merged (live counters).
    private let onProgress: (SortStats) -> Void

    private var buffers: [Int64: [Batch]] = [:]
    private var bufferedRows = 0
    private var bufferedBytes: Int64 = 0
    /// Dictionaries already counted in `bufferedBytes` (rows gathered from one
    /// input batch share its dictionary storage).
    private var countedDictionaries: Set<UInt> = []
    /// Runs in the order they were written (ties in a merge keep this order).
    package private(set) var runs: [RunFile] = []
    private var fileCounter = 0
    package private(set) var stats = SortStats()

    package init(signature: RowSignature, keys: [SortColumn], limits: SortLimits, directory: String, name: String,
                 checkCanceled: @escaping () throws(HengeError) -> Void = {}, onProgress: @escaping (SortStats) -> Void = { _ in }) {
        self.signature = signature
        self.keys = keys
        self.limits = limits
        self.directory = directory
        self.name = name
        self.checkCanceled = checkCanceled
        self.onProgress = onProgress
    }

    /// True once a run has been written.
    package var hasSpilled: Bool { !runs.isEmpty }

    /// Buffers `batch`'s rows under partition `key`, spilling whenever the
    /// buffer fills (a big batch is cut so the row limit holds exactly).
    /// With `spillWhenFull` false the rows are only buffered: the caller
    /// writes them as one run with `spill()` (a flushed aggregation table).
    package func append(key: Int64, _ batch: Batch, spillWhenFull: Bool = true) throws(HengeError) {
        guard spillWhenFull else {
            buffers[key, default: []].append(batch)
            bufferedRows += batch.rowCount
            bufferedBytes += estimateBytes(batch)
            return
        }
        var start = 0
        while start < batch.rowCount {
            let take = min(max(1, limits.rows - bufferedRows), batch.rowCount - start)
            let piece = start == 0 && take == batch.rowCount ? batch : batch.gather(Array(start..<(start + take)))
            buffers[key, default: []].append(piece)
            bufferedRows += take
            bufferedBytes += estimateBytes(piece)
            start += take
            if bufferedRows >= limits.rows || bufferedBytes >= limits.bytes { try spill() }
        }
    }

    /// Sorts every buffered partition and writes them as one run file.
    package func spill() throws(HengeError) {
        guard bufferedRows > 0 else { return }
        let writer = try RunFileWriter(path: nextPath(), signature: signature)
        do {
            for key in buffers.keys.sorted() {
                try checkCanceled()
                writer.beginSection(key)
                let parts = buffers[key]!
                let order = BatchSorter.order(parts, by: keys)
                var start = 0
                while start < order.count {
                    let end = min(order.count, start + limits.rowsPerFrame)
                    let picks = Array(order[start..<end])
                    try writer.writeFrame(rows: picks.count) { BatchGather.encodeFrame(parts, picks, signature: signature, into: &$0) }
                    start = end
                }
            }
            let run = try writer.finish()
            runs.append(run)
            record(run)
            stats.mergedByLevel[0, default: 0] += 1
        } catch {
            writer.abandon()
            throw error
        }
        buffers = [:]
        bufferedRows = 0
        bufferedBytes = 0
        countedDictionaries = []
        onProgress(stats)
    }

    /// Ends the input: the sorted runs of every partition, in run order.
    package func finish() throws(HengeError) -> [Int64: [SortedRun]] {
        var out: [Int64: [SortedRun]] = [:]
        if runs.isEmpty {
            for (key, parts) in buffers {
                try checkCanceled()
                let order = BatchSorter.order(parts, by: keys)
                let sorted = BatchGather.gather(parts, order, signature: signature)
                out[key] = [.memory([sorted])]
                stats.outputRows += Int64(sorted.rowCount)
                stats.outputBytes += sorted.estimatedBytes
                stats.outputFrames += 1
            }
            buffers = [:]
            bufferedRows = 0
            setTotals(levelZero: out.isEmpty ? 0 : 1, middle: [], partitions: out.count)
            if !out.isEmpty { stats.mergedByLevel[0] = 1 }
        } else {
            try spill()
            let middle = SortPlan.middleLevels(runs: runs.count, fanIn: limits.fanIn, maxRuns: limits.maxRunsPerPartition)
            let keysWritten = Set(runs.flatMap(\.sections.keys))
            setTotals(levelZero: runs.count, middle: middle, partitions: keysWritten.count)
            onProgress(stats)
            var level = 1
            while runs.count > limits.maxRunsPerPartition {
                try mergeLevel(level)
                level += 1
            }
            for key in keysWritten {
                out[key] = runs.compactMap { $0.sections[key] == nil ? nil : .file($0, key: key) }
            }
            for run in runs {
                stats.outputRows += Int64(run.rowCount)
                stats.outputBytes += run.sizeBytes
                stats.outputFrames += Int64(run.sections.values.reduce(0) { $0 + $1.frames })
            }
        }
        stats.mergedByLevel[stats.totalLevels! - 1] = stats.partitions
        stats.triviallyComplete = out.isEmpty
        onProgress(stats)
        return out
    }

    /// Deletes every run file this sorter still owns.
    package func deleteFiles() {
        for run in runs { run.delete() }
        runs = []
    }

    /// Merges groups of consecutive runs (`SortPlan.groups`) into the runs of the next level.
    private func mergeLevel(_ level: Int) throws(HengeError) {
        var next: [RunFile] = []
        var start = 0
        for size in SortPlan.groups(runs: runs.count, fanIn: limits.fanIn, maxRuns: limits.maxRunsPerPartition) {
            let group = Array(runs[start..<(start + size)])
            start += size
            if group.count == 1 {
                next.append(group[0])
                continue
            }
            let writer = try RunFileWriter(path: nextPath(), signature: signature)
            do {
                for key in Set(group.flatMap(\.sections.keys)).sorted() {
                    writer.beginSection(key)
                    var merger = try RunMerger(group.compactMap { $0.sections[key] == nil ? nil : .file($0, key: key) },
                                               signature: signature, keys: keys, batchRows: limits.rowsPerFrame)
                    while let b = try merger.next() {
                        try checkCanceled()
                        try writer.write(b)
                    }
                }
                let merged = try writer.finish()
                for run in group { run.delete() }
                next.append(merged)
                record(merged)
                stats.mergedByLevel[level, default: 0] += 1
                onProgress(stats)
            } catch {
                writer.abandon()
                // Runs already merged are gone; keep the rest so `deleteFiles` finds them.
                runs = next + Array(runs[(start - group.count)...])
                throw error
            }
        }
        runs = next + Array(runs[start...])
    }

    private func setTotals(levelZero: Int, middle: [Int], partitions: Int) {
        stats.totalByLevel[0] = levelZero
        for (i, n) in middle.enumerated() { stats.totalByLevel[i + 1] = n }
        stats.totalLevels = middle.count + 2
        stats.partitions = partitions
        stats.totalByLevel[middle.count + 1] = partitions
    }

    private func record(_ run: RunFile) {
        stats.rowsSpilled += Int64(run.rowCount)
        stats.bytesSpilled += run.sizeBytes
        stats.framesSpilled += Int64(run.sections.values.reduce(0) { $0 + $1.frames })
    }

    private func nextPath() -> String {
        fileCounter += 1
        return "\(directory)/\(name)-\(fileCounter).run"
    }

    private func estimateBytes(_ batch: Batch) -> Int64 {
        var total: Int64 = 0
        for c in batch.columns {
            if c.nulls != nil { total += Int64(batch.rowCount / 8 + 8) }
            switch c.data {
            case .long, .double: total += Int64(batch.rowCount) * 8
            case .float: total += Int64(batch.rowCount) * 4
            case .string(let s):
                total += Int64(batch.rowCount) * 4 + dictionaryBytes(s.dictionary)
            case .multiString(let m):
                total += Int64(m.offsets.count + m.ids.count) * 4 + dictionaryBytes(m.dictionary)
            }
        }
        return total
    }

    private func dictionaryBytes(_ dictionary: StringDictionary) -> Int64 {
        let identity = dictionary.offsets.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        guard countedDictionaries.insert(identity).inserted else { return 0 }
        return Int64(dictionary.heapBytes)
    }
}

/// Which runs a sort merges, level by level, to leave at most `maxRuns`.
package enum SortPlan {
    /// The sizes of the consecutive groups one level merges, from the first
    /// run on (runs after the groups are kept as they are): just enough
    /// merging to reach `maxRuns` when one level can, so only that share
    /// of the data is written again; otherwise groups of `fanIn` over
    /// every run, and another level after.
    package static func groups(runs: Int, fanIn: Int, maxRuns: Int) -> [Int] {
        var excess = runs - maxRuns
        var sizes: [Int] = []
        var used = 0
        while excess > 0 && used < runs {
            let g = min(fanIn, excess + 1, runs - used)
            sizes.append(g)
            used += g
            excess -= g - 1
        }
        return sizes
    }

    /// Merges (groups of more than one run) of each level after level 0.
    package static func middleLevels(runs: Int, fanIn: Int, maxRuns: Int) -> [Int] {
        var levels: [Int] = []
        var n = runs
        while n > maxRuns {
            let sizes = groups(runs: n, fanIn: fanIn, maxRuns: maxRuns)
            levels.append(sizes.filter { $0 > 1 }.count)
            n -= sizes.reduce(0) { $0 + $1 - 1 }
        }
        return levels
    }
}

extension Batch {
    /// Approximate in-memory size, for byte counters.
    package var estimatedBytes: Int64 {
        var total: Int64 = 0
        for c in columns {
            switch c.data {
            case .long, .double: total += Int64(rowCount) * 8
            case .float: total += Int64(rowCount) * 4
            case .string(let s): total += Int64(rowCount) * 4 + Int64(s.dictionary.byteCount)
            case .multiString(let m): total += Int64(rowCount + m.ids.count) * 4 + Int64(m.dictionary.byteCount)
            }
        }
        return total
    }
}
