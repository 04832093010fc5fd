package import DataModel

/// The controller's decisions for one query, as a pure state machine: which
/// stages start, how many workers each gets, which partitions each worker
/// reads, and when stages are ready, finished or failed.
///
/// No I/O, no clocks (times are passed in), no actors. The `Controller`
/// actor feeds it events and performs the work orders it returns.
package struct ControllerQueryKernel: Sendable {
    /// Controller-side state of one stage.
    package struct StageState: Sendable {
        package var phase: ControllerStagePhase = .new
        package var workerCount = 0
        /// Output partition keys in order (time-chunk starts, or [0] for `.single`).
        package var partitionKeys: [Int64] = []
        package var startTime: Int64?
        package var endTime: Int64?
        var doneReading: Set<Int> = []
        var doneWorking: Set<Int> = []
        var statistics = PartitionStatistics()
        /// Which workers produced rows for each partition key.
        var producers: [Int64: Set<Int>] = [:]
    }

    package let definition: QueryDefinition
    /// Workers available to the query (maxNumTasks − 1).
    package let availableWorkers: Int
    package private(set) var stages: [StageState]

    /// How external input is spread over workers (context: `taskAssignment`,
    /// `maxInputBytesPerWorker`, `maxInputFilesPerWorker`).
    package var slicing = SlicingLimits()

    package init(definition: QueryDefinition, availableWorkers: Int) {
        self.definition = definition
        self.availableWorkers = max(1, availableWorkers)
        self.stages = Array(repeating: StageState(), count: definition.stages.count)
    }

    package var isComplete: Bool { stages.last?.phase == .finished }
    package var isFailed: Bool { stages.contains { $0.phase == .failed } }

    private mutating func transition(_ stage: Int, to phase: ControllerStagePhase) throws(HengeError) {
        let prior = stages[stage].phase
        guard phase.canTransition(from: prior) else {
            throw HengeError.defensive("stage \(stage) cannot move from \(prior.rawValue) to \(phase.rawValue)")
        }
        stages[stage].phase = phase
    }

    /// Stages whose inputs are all ready and that have not started.
    package func startableStages() -> [Int] {
        definition.stages.indices.filter { i in
            stages[i].phase == .new
                && definition.stages[i].upstreamStages.allSatisfy { stages[$0].phase == .resultsReady || stages[$0].phase == .finished }
        }
    }

    /// Starts a stage: decides its worker count and returns one work order per
    /// worker. `externalFiles` gives the file count and sizes of each external
    /// input (by input position), for slicing.
    package mutating func start(stage n: Int, externalFileSizes: [Int: [Int64]], now: Int64) throws(HengeError) -> [WorkOrder] {
        let def = definition.stages[n]
        var workers = min(def.maxWorkerCount, availableWorkers)
        // Don't start more workers than there is work for.
        var upper = 1
        for (i, input) in def.inputs.enumerated() {
            switch input {
            case .external: upper = max(upper, externalFileSizes[i]?.count ?? 1)
            case .stage(let u): upper = max(upper, stages[u].partitionKeys.count)
            case .table(let t): upper = max(upper, t.segments.count)
            }
        }
        workers = max(1, min(workers, upper))
        if slicing.auto {
            // `auto`: the fewest workers that keep each under the byte and file limits.
            var needed = 1
            for (i, input) in def.inputs.enumerated() {
                guard case .external = input, let sizes = externalFileSizes[i], !sizes.isEmpty else { continue }
                needed = max(needed, ControllerQueryKernel.binsNeeded(sizes, slicing))
            }
            workers = max(1, min(workers, needed))
        }
        for (i, input) in def.inputs.enumerated() {
            guard case .external = input, let sizes = externalFileSizes[i] else { continue }
            let perWorker = (sizes.count + workers - 1) / workers
            if perWorker > slicing.maxInputFilesPerWorker {
                throw MSQFault.tooManyInputFiles(numInputFiles: sizes.count, maxInputFiles: slicing.maxInputFilesPerWorker,
                                                 minNumWorkers: (sizes.count + slicing.maxInputFilesPerWorker - 1) / slicing.maxInputFilesPerWorker)
            }
        }
        try transition(n, to: .readingInput)
        stages[n].workerCount = workers
        stages[n].startTime = now
        var perWorker = Array(repeating: [InputSlice](), count: workers)
        for (i, input) in def.inputs.enumerated() {
            switch input {
            case .external(let spec):
                let slices = ControllerQueryKernel.sliceBySize(externalFileSizes[i] ?? [], workers: workers)
                for w in 0..<workers { perWorker[w].append(.external(spec, fileIndexes: slices[w])) }
            case .table(let t):
                let slices = ControllerQueryKernel.sliceBySize(t.segments.map(\.sizeBytes), workers: workers)
                for w in 0..<workers { perWorker[w].append(.table(t, segmentIndexes: slices[w])) }
            case .stage(let u):
                var refs = Array(repeating: [StagePartitionRef](), count: workers)
                for (p, key) in stages[u].partitionKeys.enumerated() {
                    let producers = stages[u].producers[key].map { Array($0).sorted() } ?? []
                    refs[p % workers].append(StagePartitionRef(stage: u, partition: p, key: key, workers: producers))
                }
                for w in 0..<workers { perWorker[w].append(.stagePartitions(refs[w])) }
            }
        }
        return (0..<workers).map { WorkOrder(queryID: definition.queryID, stage: def, workerNumber: $0, inputs: perWorker[$0]) }
    }

    /// How many workers hold `sizes` when each takes at most the limits'
    /// bytes and files (first fit, largest first; a file over the byte
    /// limit gets a worker of its own).
    static func binsNeeded(_ sizes: [Int64], _ limits: SlicingLimits) -> Int {
        var bins: [(bytes: Int64, files: Int)] = []
        for size in sizes.sorted(by: >) {
            if let b = bins.firstIndex(where: { $0.bytes + size <= limits.maxInputBytesPerWorker && $0.files < limits.maxInputFilesPerWorker }) {
                bins[b].bytes += size
                bins[b].files += 1
            } else {
                bins.append((size, 1))
            }
        }
        return max(1, bins.count)
    }

    /// Whole files balanced by size: largest first onto the least-loaded worker.
    package static func sliceBySize(_ sizes: [Int64], workers: Int) -> [[Int]] {
        var load = [Int64](repeating: 0, count: workers)
        var out = Array(repeating: [Int](), count: workers)
        for i in sizes.indices.sorted(by: { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }) {
            let w = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            out[w].append(i)
            load[w] += max(sizes[i], 1)
        }
        return out.map { $0.sorted() }
    }

    /// A worker finished reading its input and reports the keys it produced.
    /// Returns true when this completed the stage's reading (results ready).
    package mutating func workerDoneReading(stage n: Int, worker: Int, statistics: PartitionStatistics) throws(HengeError) -> Bool {
        guard stages[n].phase == .readingInput else {
            throw HengeError.defensive("worker \(worker) finished reading stage \(n) in phase \(stages[n].phase.rawValue)")
        }
        stages[n].doneReading.insert(worker)
        stages[n].statistics.merge(statistics)
        for (key, rows) in statistics.rowsPerBucket where rows > 0 { stages[n].producers[key, default: []].insert(worker) }
        guard stages[n].doneReading.count == stages[n].workerCount else { return false }
        try transition(n, to: .postReading)
        try checkPartitionCount(producer: n)
        stages[n].partitionKeys = stages[n].statistics.rowsPerBucket.filter { $0.value > 0 }.keys.sorted()
        try transition(n, to: .resultsReady)
        return true
    }

    /// TooManyPartitions: the segments stage `producer`'s rows would make
    /// (each time chunk's rows over `rowsPerSegment`, rounded up) may not
    /// exceed Druid's 25,000.
    private func checkPartitionCount(producer n: Int) throws(HengeError) {
        for stage in definition.stages where stage.upstreamStages.contains(n) {
            guard case .segmentGenerator(let spec) = stage.processor else { continue }
            let perSegment = Int64(max(1, spec.rowsPerSegment))
            var partitions: Int64 = 0
            for rows in stages[n].statistics.rowsPerBucket.values where rows > 0 {
                partitions += (Int64(rows) + perSegment - 1) / perSegment
            }
            if partitions > Int64(MSQFault.maxPartitions) { throw MSQFault.tooManyPartitions(max: MSQFault.maxPartitions) }
        }
    }

    /// A worker completed all work of a stage (including writing output).
    /// Returns true when the whole stage is done.
    package mutating func workerFinished(stage n: Int, worker: Int, now: Int64) throws(HengeError) -> Bool {
        stages[n].doneWorking.insert(worker)
        guard stages[n].doneWorking.count == stages[n].workerCount else { return false }
        stages[n].endTime = now
        // Upstream stages are finished once every stage reading them is done.
        for u in definition.stages[n].upstreamStages where stages[u].phase == .resultsReady {
            let readers = definition.stages.filter { $0.upstreamStages.contains(u) }.map(\.number)
            if readers.allSatisfy({ stages[$0].doneWorking.count == stages[$0].workerCount && stages[$0].workerCount > 0 }) {
                try transition(u, to: .finished)
                if stages[u].endTime == nil { stages[u].endTime = now }
            }
        }
        if n == definition.stages.count - 1 {
            if stages[n].phase == .readingInput {
                try transition(n, to: .postReading)
                try transition(n, to: .resultsReady)
            }
            try transition(n, to: .finished)
        }
        return true
    }

    /// Marks every unfinished stage FAILED.
    package mutating func fail(now: Int64) {
        for i in stages.indices where stages[i].phase != .finished && stages[i].phase != .failed {
            if stages[i].phase != .new { stages[i].endTime = now }
            stages[i].phase = .failed
        }
    }
}

/// Druid's limits for spreading external input over workers.
package struct SlicingLimits: Hashable, Sendable {
    /// `taskAssignment: auto`: as few workers as the limits allow (else `max`: all available).
    package var auto = false
    /// Weighted bytes per worker under `auto` (Druid's current default, 512 MiB).
    package var maxInputBytesPerWorker: Int64 = 512 << 20
    /// Files per worker (`Limits.MAX_INPUT_FILES_PER_WORKER`).
    package var maxInputFilesPerWorker = 10_000

    package init() {}

    /// Druid weighs compressed text ×4 when balancing (`CompressionUtils.COMPRESSED_TEXT_WEIGHT_FACTOR`).
    package static let compressedWeight: Int64 = 4
}
