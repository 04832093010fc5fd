package import DataModel

/// How much memory one worker may use, and how a stage splits it (Druid's
/// `WorkerMemoryParameters`, simplified for in-process workers that each
/// run one stage at a time on one thread).
///
/// - `serverMemory` is the memory given to each worker: `henge serve
///   --worker-memory` (default 1 GiB), lowered (never raised) for one query
///   by the context key `workerMemory` (bytes).
/// - 75% of it is usable (Druid's `USABLE_MEMORY_FRACTION`); half of that
///   bounds what a sort or an aggregation buffers before it spills a sorted
///   run, the other half the frames a merge holds (one per run read, plus
///   one being written).
/// - `rowsInMemory` (context, Druid's default 100,000) bounds the same
///   buffers in rows: rows buffered before they are persisted as a run.
///
/// The segment writer is bounded by `rowsPerSegment`, not by this budget.
package struct WorkerMemory: Hashable, Sendable {
    package var serverMemory: Int64
    package var rowsInMemory: Int

    package static let defaultServerMemory: Int64 = 1 << 30
    package static let defaultRowsInMemory = 100_000
    package static let usableFraction = 0.75
    /// Below this much usable memory a worker cannot hold the frames of a
    /// two-way merge next to a minimal buffer.
    package static let minimumUsableMemory: Int64 = 1 << 20
    static let minimumFrameBytes: Int64 = 16 << 10
    static let maximumFrameBytes: Int64 = 1 << 20
    static let maximumFanIn = 256

    package init(serverMemory: Int64 = WorkerMemory.defaultServerMemory, rowsInMemory: Int = WorkerMemory.defaultRowsInMemory) {
        self.serverMemory = serverMemory
        self.rowsInMemory = max(1, rowsInMemory)
    }

    /// Memory the worker's processing may use.
    package var usableMemory: Int64 { Int64((Double(serverMemory) * WorkerMemory.usableFraction).rounded(.down)) }

    /// Estimated bytes a sort or aggregation buffers before spilling.
    package var bufferBytes: Int64 { max(1, usableMemory / 2) }

    /// Target size of one frame in a sorted-run file.
    package var frameBytes: Int64 {
        min(WorkerMemory.maximumFrameBytes, max(WorkerMemory.minimumFrameBytes, usableMemory / 64))
    }

    /// Most runs one merge reads at once: the merge half of the usable
    /// memory in frames, less the frame being written.
    package var mergeFanIn: Int {
        Int(min(Int64(WorkerMemory.maximumFanIn), max(2, usableMemory / 2 / frameBytes - 1)))
    }

    /// Rows per frame for rows of `signature`: `frameBytes` over a rough row width.
    package func rowsPerFrame(_ signature: RowSignature) -> Int {
        let width = signature.columns.reduce(Int64(1)) { w, c in
            switch c.type.storage {
            case .long, .double: w + 8
            case .float: w + 4
            case .string: w + 16
            }
        }
        return Int(min(8192, max(16, frameBytes / width)))
    }

    /// Throws `NotEnoughMemory` when the budget is too small for any stage.
    /// - Parameter inputWorkers: workers whose output the stage reads (0 for external input).
    package func check(inputWorkers: Int) throws(HengeError) {
        guard usableMemory < WorkerMemory.minimumUsableMemory else { return }
        let suggested = Int64((Double(WorkerMemory.minimumUsableMemory) / WorkerMemory.usableFraction).rounded(.up))
        throw MSQFault.notEnoughMemory(suggestedServerMemory: suggested, serverMemory: serverMemory, usableMemory: usableMemory,
                                       serverWorkers: 1, serverThreads: 1, inputWorkers: inputWorkers, maxConcurrentStages: 1)
    }

    /// Parses a byte size: digits with an optional binary suffix (`k`, `m`,
    /// `g`, `t`, optionally followed by `ib` or `b`, any case), e.g. `512MiB`.
    package static func parseBytes(_ text: String) -> Int64? {
        let t = text.trimmingSpaces.lowercased()
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let n = Int64(digits) else { return nil }
        var unit = t.dropFirst(digits.count)
        if unit.hasSuffix("ib") { unit = unit.dropLast(2) } else if unit.hasSuffix("b") { unit = unit.dropLast(1) }
        let shift: Int64
        switch unit {
        case "": shift = 0
        case "k": shift = 10
        case "m": shift = 20
        case "g": shift = 30
        case "t": shift = 40
        default: return nil
        }
        let (value, overflow) = n.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : value
    }
}

extension MSQFault {
    /// Druid's `NotEnoughMemoryFault`: the worker's memory cannot run the stage at all.
    package static func notEnoughMemory(suggestedServerMemory: Int64, serverMemory: Int64, usableMemory: Int64, serverWorkers: Int,
                                        serverThreads: Int, inputWorkers: Int, maxConcurrentStages: Int) -> HengeError {
        func grouped(_ n: Int64) -> String {
            let digits = Array(String(n))
            var out = ""
            for (i, d) in digits.enumerated() {
                if i > 0 && (digits.count - i) % 3 == 0 && d != "-" && digits[i - 1] != "-" { out += "," }
                out.append(d)
            }
            return out
        }
        var message = "Not enough memory. "
        if suggestedServerMemory > 0 { message += "Minimum bytes[\(grouped(suggestedServerMemory))] is needed for the current configuration. " }
        message += "(total bytes[\(grouped(serverMemory))]; usable bytes[\(grouped(usableMemory))]; input workers[\(grouped(Int64(inputWorkers)))];"
            + " concurrent stages[\(grouped(Int64(maxConcurrentStages)))]; server worker capacity[\(grouped(Int64(serverWorkers)))];"
            + " server processing threads[\(grouped(Int64(serverThreads)))]). Increase the worker memory with"
            + " `henge serve --worker-memory` (the workerMemory context key can only lower it)"
        if inputWorkers > 1 { message += ", or reduce maxNumTasks for this query" }
        var fields: [(String, JSONValue)] = []
        if suggestedServerMemory > 0 { fields.append(("suggestedServerMemory", .int(suggestedServerMemory))) }
        fields += [("serverMemory", .int(serverMemory)), ("usableMemory", .int(usableMemory)), ("serverWorkers", .int(Int64(serverWorkers))),
                   ("serverThreads", .int(Int64(serverThreads)))]
        if inputWorkers != 0 { fields.append(("inputWorkers", .int(Int64(inputWorkers)))) }
        if maxConcurrentStages != 0 { fields.append(("maxConcurrentStages", .int(Int64(maxConcurrentStages)))) }
        return .fault("NotEnoughMemory", message, fields: fields)
    }
}
