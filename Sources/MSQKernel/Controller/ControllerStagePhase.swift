/// The life of a stage as the controller sees it (Druid's `ControllerStagePhase`).
package enum ControllerStagePhase: String, Hashable, Sendable {
    /// Defined, not started: its inputs are not ready yet.
    case new = "NEW"
    /// Work orders sent; workers are reading input and writing sorted output.
    case readingInput = "READING_INPUT"
    /// Every worker finished reading; partition boundaries are being decided.
    case postReading = "POST_READING"
    /// Output partitions are known and readable by downstream stages.
    case resultsReady = "RESULTS_READY"
    /// Downstream stages consumed the output (or this was the final stage and it completed).
    case finished = "FINISHED"
    /// The stage failed; the query fails with it.
    case failed = "FAILED"

    /// Phases this one may be entered from.
    package var allowedPredecessors: Set<ControllerStagePhase> {
        switch self {
        case .new: []
        case .readingInput: [.new]
        case .postReading: [.readingInput]
        case .resultsReady: [.postReading]
        case .finished: [.resultsReady]
        case .failed: [.new, .readingInput, .postReading, .resultsReady]
        }
    }

    package func canTransition(from prior: ControllerStagePhase) -> Bool {
        allowedPredecessors.contains(prior)
    }
}
