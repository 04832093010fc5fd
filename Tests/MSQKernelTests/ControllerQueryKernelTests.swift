import Testing
import DataModel
import MSQKernel
import Expressions

struct ControllerQueryKernelTests {
    func definition(workers: Int) throws -> QueryDefinition {
        let sig = RowSignature([ColumnSpec(name: "__time", type: .long)])
        let input = ExternalInputSpec(source: .inline(data: ""), format: .json(), signature: sig)
        let s0 = StageDefinition(number: 0, inputs: [.external(input)], processor: .scan(operations: [], partialAggregate: nil), signature: sig,
                                 shuffle: .timeChunks(timeColumn: 0, granularity: .period(Period(days: 1)), clusterBy: []), maxWorkerCount: workers)
        let gen = SegmentGeneratorSpec(dataSource: "ds", granularity: .period(Period(days: 1)), finalAggregate: nil, postOperations: [],
                                       segmentSignature: sig, clusterBy: [], rowsPerSegment: 100)
        let s1 = StageDefinition(number: 1, inputs: [.stage(0)], processor: .segmentGenerator(gen), signature: sig, shuffle: nil,
                                 maxWorkerCount: workers)
        return try QueryDefinition(queryID: "q", stages: [s0, s1])
    }

    @Test func walksPhasesThroughTwoStages() throws {
        var k = ControllerQueryKernel(definition: try definition(workers: 2), availableWorkers: 2)
        #expect(k.startableStages() == [0])
        let orders = try k.start(stage: 0, externalFileSizes: [0: [10, 30, 20]], now: 100)
        #expect(orders.count == 2)
        #expect(k.stages[0].phase == .readingInput)
        #expect(k.startableStages().isEmpty)
        #expect(try !k.workerDoneReading(stage: 0, worker: 0, statistics: PartitionStatistics(rowsPerBucket: [0: 5])))
        #expect(try k.workerDoneReading(stage: 0, worker: 1, statistics: PartitionStatistics(rowsPerBucket: [86_400_000: 3, 0: 1])))
        #expect(k.stages[0].phase == .resultsReady)
        #expect(k.stages[0].partitionKeys == [0, 86_400_000])
        _ = try k.workerFinished(stage: 0, worker: 0, now: 110)
        _ = try k.workerFinished(stage: 0, worker: 1, now: 110)
        #expect(k.startableStages() == [1])
        let orders1 = try k.start(stage: 1, externalFileSizes: [:], now: 120)
        #expect(orders1.count == 2)
        guard case .stagePartitions(let refs) = orders1[0].inputs[0] else { Issue.record("no partitions"); return }
        #expect(refs.map(\.key) == [0])
        #expect(refs[0].workers == [0, 1])
        _ = try k.workerFinished(stage: 1, worker: 0, now: 130)
        #expect(!k.isComplete)
        _ = try k.workerFinished(stage: 1, worker: 1, now: 131)
        #expect(k.isComplete)
        #expect(k.stages[0].phase == .finished)
        #expect(k.stages[1].phase == .finished)
    }

    /// TooManyPartitions (reference §3): rowsPerSegment 100 and 25,001
    /// chunks' worth of segments is one too many; 25,000 is fine.
    @Test func tooManyPartitions() throws {
        var ok = ControllerQueryKernel(definition: try definition(workers: 1), availableWorkers: 1)
        _ = try ok.start(stage: 0, externalFileSizes: [0: [10]], now: 100)
        #expect(try ok.workerDoneReading(stage: 0, worker: 0, statistics: PartitionStatistics(rowsPerBucket: [0: 2_500_000])))
        var k = ControllerQueryKernel(definition: try definition(workers: 1), availableWorkers: 1)
        _ = try k.start(stage: 0, externalFileSizes: [0: [10]], now: 100)
        let error = #expect(throws: HengeError.self) {
            try k.workerDoneReading(stage: 0, worker: 0, statistics: PartitionStatistics(rowsPerBucket: [0: 2_499_999, 86_400_000: 2]))
        }
        #expect(error?.code == "TooManyPartitions")
        #expect(error?.message == "Too many partitions (max = 25000); try breaking your query up into smaller queries or using a larger target size")
    }

    @Test func illegalTransitionsAreRefused() throws {
        var k = ControllerQueryKernel(definition: try definition(workers: 1), availableWorkers: 1)
        #expect(throws: HengeError.self) { try k.workerDoneReading(stage: 0, worker: 0, statistics: PartitionStatistics()) }
        #expect(ControllerStagePhase.finished.canTransition(from: .resultsReady))
        #expect(!ControllerStagePhase.finished.canTransition(from: .new))
    }

    @Test func failMarksUnfinishedStages() throws {
        var k = ControllerQueryKernel(definition: try definition(workers: 1), availableWorkers: 4)
        _ = try k.start(stage: 0, externalFileSizes: [0: [1]], now: 0)
        #expect(k.stages[0].workerCount == 1, "no more workers than files")
        k.fail(now: 5)
        #expect(k.isFailed)
        #expect(k.stages.allSatisfy { $0.phase == .failed })
    }

    @Test func autoAssignmentUsesTheFewestWorkersWithinLimits() throws {
        func workers(_ sizes: [Int64], maxBytes: Int64, maxFiles: Int = 10_000, auto: Bool = true) throws -> Int {
            var k = ControllerQueryKernel(definition: try definition(workers: 4), availableWorkers: 4)
            k.slicing.auto = auto
            k.slicing.maxInputBytesPerWorker = maxBytes
            k.slicing.maxInputFilesPerWorker = maxFiles
            return try k.start(stage: 0, externalFileSizes: [0: sizes], now: 0).count
        }
        #expect(try workers([10, 10, 10], maxBytes: 100) == 1)
        #expect(try workers([10, 10, 10], maxBytes: 15) == 3)
        #expect(try workers([10, 10, 10], maxBytes: 25) == 2)
        #expect(try workers([1, 1, 1, 1], maxBytes: 100, maxFiles: 2) == 2)
        #expect(try workers([10, 10, 10], maxBytes: 100, auto: false) == 3)
        // More files per worker than allowed even with every worker: TooManyInputFiles.
        let error = try #require(throws: HengeError.self) { _ = try workers(Array(repeating: 1, count: 9), maxBytes: 100, maxFiles: 2) }
        #expect(error.code == "TooManyInputFiles")
        #expect(error.fields.map(\.0) == ["numInputFiles", "maxInputFiles", "minNumWorkers"])
        #expect(error.fields.map(\.1) == [9, 2, 5])
    }

    @Test func slicesFilesBySize() {
        let slices = ControllerQueryKernel.sliceBySize([100, 10, 60, 50], workers: 2)
        #expect(slices == [[0, 1], [2, 3]])
    }

    @Test func definitionRejectsBadGraphs() {
        let sig = RowSignature([])
        let s = StageDefinition(number: 0, inputs: [.stage(0)], processor: .scan(operations: [], partialAggregate: nil), signature: sig,
                                shuffle: nil, maxWorkerCount: 1)
        #expect(throws: HengeError.self) { try QueryDefinition(queryID: "q", stages: [s]) }
    }
}
