package import DataModel
package import MSQKernel
package import Expressions
package import Inputs
package import Operators

/// Everything a worker needs from its task.
package struct WorkerEnvironment: Sendable {
    package var taskID: String
    /// Temp directory for this worker's files (segments being built, spills).
    package var tempDirectory: String
    package var eval: EvalContext
    package var batchSize: Int
    package var cancellation: CancellationFlag
    /// What external input this server may read.
    package var inputPolicy: InputAccessPolicy
    /// The task's budget of unparseable rows, shared by its workers.
    package var parseWarnings: ParseWarnings
    /// `removeNullBytes`: strip U+0000 from strings instead of failing with InvalidNullByte.
    package var removeNullBytes = false
    /// The memory budget of each stage this worker runs (`rowsInMemory`, worker memory).
    package var memory = WorkerMemory()

    package init(taskID: String, tempDirectory: String, eval: EvalContext, batchSize: Int = 4096, cancellation: CancellationFlag,
                 inputPolicy: InputAccessPolicy = InputAccessPolicy(), parseWarnings: ParseWarnings = ParseWarnings(limit: 0)) {
        self.inputPolicy = inputPolicy
        self.parseWarnings = parseWarnings
        self.taskID = taskID
        self.tempDirectory = tempDirectory
        self.eval = eval
        self.batchSize = batchSize
        self.cancellation = cancellation
    }
}

/// A worker living in the controller's process. CPU work runs on a
/// dedicated thread; shuffle output stays in its `StageOutputStore` (in
/// memory, or as run files under its temp directory).
package final class InProcessWorkerClient: WorkerClient {
    package let workerNumber: Int
    let environment: WorkerEnvironment
    let store = StageOutputStore()
    let liveCounters = Mutex<[Int: WorkerCounters]>([:])
    /// Finds peer workers, to fetch upstream partitions.
    private let peers: Mutex<[Int: any WorkerClient]> = Mutex([:])

    package init(workerNumber: Int, environment: WorkerEnvironment) {
        self.workerNumber = workerNumber
        self.environment = environment
    }

    /// Wires the workers of one query to each other.
    package func connect(_ all: [any WorkerClient]) {
        peers.withLock { p in for w in all { p[w.workerNumber] = w } }
    }

    package func counters() -> [Int: WorkerCounters] { liveCounters.withLock { $0 } }

    package func cancel() { environment.cancellation.cancel() }

    package func cleanup(stage: Int) { store.drop(stage: stage) }

    package func fetchPartition(stage: Int, key: Int64) async throws -> [SortedRun] {
        store.read(stage: stage, key: key)
    }

    func updateCounters(stage: Int, _ f: (inout WorkerCounters) -> Void) {
        liveCounters.withLock { all in
            var c = all[stage] ?? WorkerCounters(inputCount: 1)
            f(&c)
            all[stage] = c
        }
    }

    package func run(_ order: WorkOrder) async throws -> WorkOrderResult {
        try environment.cancellation.check()
        let stage = order.stage.number
        updateCounters(stage: stage) { _ in }
        switch order.stage.processor {
        case .scan(let operations, let partial):
            return try await DedicatedThread.run(name: "henge-worker\(workerNumber)-stage\(stage)") {
                try ScanStageRunner(worker: self, order: order, operations: operations, partialAggregate: partial).run()
            }
        case .segmentGenerator(let spec):
            // Gather the sorted runs of our partitions from the producing workers first (async), then merge and write on our own thread.
            var partitions: [(key: Int64, runs: [SortedRun])] = []
            var producers = Set<Int>()
            for case .stagePartitions(let refs) in order.inputs {
                for ref in refs {
                    var runs: [SortedRun] = []
                    for w in ref.workers {
                        guard let peer = peers.withLock({ $0[w] }) else {
                            throw HengeError.defensive("worker \(w) is not connected")
                        }
                        runs += try await peer.fetchPartition(stage: ref.stage, key: ref.key)
                        producers.insert(w)
                    }
                    partitions.append((ref.key, runs))
                }
            }
            try environment.memory.check(inputWorkers: producers.count)
            let input = partitions
            return try await DedicatedThread.run(name: "henge-worker\(workerNumber)-stage\(stage)") {
                try SegmentGeneratorRunner(worker: self, order: order, spec: spec, partitions: input).run()
            }
        }
    }
}
