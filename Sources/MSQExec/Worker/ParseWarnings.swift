package import DataModel
internal import MSQKernel

/// The task-wide budget of unparseable input rows (`maxParseExceptions`),
/// shared by all workers, with the sample of warnings the report shows.
///
/// With a limit of 0 (Druid's default) the first bad row fails the task with
/// `CannotParseExternalData` itself; with N > 0 the (N+1)th fails it with
/// `TooManyWarnings`; -1 skips any number of rows.
package final class ParseWarnings: Sendable {
    /// One sampled warning for `payload.status.warnings`.
    package struct Sample: Sendable {
        package var stage: Int
        package var worker: Int
        package var error: HengeError
    }

    package let limit: Int
    /// Warnings of one code kept verbatim per worker (Druid's
    /// `Limits.MAX_VERBOSE_PARSE_EXCEPTIONS`, applied per worker by its
    /// `MSQWarningReportLimiterPublisher`).
    package static let samplesPerCode = 5
    /// Warnings of any code kept verbatim per worker (`Limits.MAX_VERBOSE_WARNINGS`).
    package static let samplesPerWorker = 10
    private let state = Mutex<(count: Int, samples: [Sample])>((0, []))

    package init(limit: Int) {
        self.limit = limit
    }

    /// Records a skipped row; throws when the budget is exceeded.
    package func record(_ error: HengeError, stage: Int, worker: Int) throws(HengeError) {
        let count = state.withLock { s -> Int in
            s.count += 1
            let mine = s.samples.filter { $0.worker == worker }
            if mine.count < Self.samplesPerWorker && mine.filter({ $0.error.code == error.code }).count < Self.samplesPerCode {
                s.samples.append(Sample(stage: stage, worker: worker, error: error))
            }
            return s.count
        }
        if limit == 0 { throw error }
        if limit > 0 && count > limit { throw MSQFault.tooManyWarnings(max: limit, rootErrorCode: error.code) }
    }

    package var samples: [Sample] { state.withLock { $0.samples } }
}
