package import DataModel

/// Constructors for Druid's MSQ faults, with their codes, messages and
/// extra fields (reference §3.2).
package enum MSQFault {
    package static func canceled() -> HengeError {
        var e = HengeError.fault("Canceled", "Query canceled by user or by task shutdown.")
        e.category = .canceled
        return e
    }

    package static func insertTimeNull() -> HengeError {
        .fault("InsertTimeNull", "Null timestamp (__time) encountered during INSERT or REPLACE.")
    }

    package static func tooManyBuckets(max: Int) -> HengeError {
        .fault("TooManyBuckets",
               "Too many partition buckets (max = \(max)); try breaking your query up into smaller queries, or using a wider PARTITIONED BY",
               fields: [("maxBuckets", .int(Int64(max)))])
    }

    package static func columnNameRestricted(_ name: String) -> HengeError {
        .fault("ColumnNameRestricted", "[\(name)] column name is reserved for MSQE's internal purpose. Please retry the query after renaming the column.",
               fields: [("columnName", .string(name))])
    }

    package static func insertCannotBeEmpty(_ dataSource: String) -> HengeError {
        .fault("InsertCannotBeEmpty",
               "No rows to insert for dataSource[\(dataSource)]. Set failOnEmptyInsert : false in the query context to allow empty inserts.",
               fields: [("dataSource", .string(dataSource))])
    }

    package static func insertTimeOutOfBounds(_ interval: Interval, bounds: [Interval]) -> HengeError {
        .fault("InsertTimeOutOfBounds",
               "Query generated time chunk [\(interval)] out of bounds specified by replaceExistingTimeChunks",
               fields: [("interval", .string(interval.description)), ("intervalBounds", .array(bounds.map { .string($0.description) }))])
    }

    package static func insertLockPreempted() -> HengeError {
        .fault("InsertLockPreempted",
               "Insert lock preempted while trying to ingest the data. This can occur if there are higher priority jobs like real-time ingestion running on same time chunks.")
    }

    /// An INSERT chunk that cannot get its own segment: an existing segment
    /// of another granularity overlaps it (`allocated` is the coarser
    /// interval the Overlord would have given, when there is one).
    package static func insertCannotAllocateSegment(_ dataSource: String, interval: Interval, allocated: Interval?) -> HengeError {
        var message = "Cannot allocate segment for dataSource [\(dataSource)], interval [\(interval)]"
        if let allocated { message += ", allocatedInterval [\(allocated)]" }
        return .fault("InsertCannotAllocateSegment", message,
                      fields: [("dataSource", .string(dataSource)), ("interval", .string(interval.description)),
                               ("allocatedInterval", allocated.map { .string($0.description) } ?? .null)])
    }

    package static func unknownError(_ message: String) -> HengeError {
        .fault("UnknownError", message, fields: [("message", .string(message))])
    }

    package static func workerFailed(workerTaskID: String, errorMsg: String) -> HengeError {
        .fault("WorkerFailed", "Worker task failed: [\(workerTaskID)]\(errorMsg.isEmpty ? "" : " (\(errorMsg))")",
               fields: [("workerTaskId", .string(workerTaskID)), ("errorMsg", .string(errorMsg))])
    }

    /// The maximum number of time chunks one ingestion may produce.
    package static let maxPartitionBuckets = 5_000

    /// The maximum number of partitions (segments) one stage may produce.
    package static let maxPartitions = 25_000

    package static func tooManyPartitions(max: Int) -> HengeError {
        .fault("TooManyPartitions",
               "Too many partitions (max = \(max)); try breaking your query up into smaller queries or using a larger target size",
               fields: [("maxPartitions", .int(Int64(max)))])
    }
}

extension MSQFault {
    /// More warnings of one kind than `maxParseExceptions` allows.
    package static func tooManyWarnings(max: Int, rootErrorCode: String) -> HengeError {
        .fault("TooManyWarnings", "Too many warnings of type \(rootErrorCode) generated (max = \(max))",
               fields: [("maxWarnings", .int(Int64(max))), ("rootErrorCode", .string(rootErrorCode))])
    }
}

extension MSQFault {
    /// More input files on one worker than `maxInputFilesPerWorker`.
    package static func tooManyInputFiles(numInputFiles: Int, maxInputFiles: Int, minNumWorkers: Int) -> HengeError {
        .fault("TooManyInputFiles",
               "Too many input files/segments [\(numInputFiles)] encountered. Maximum input files/segments per worker is set to [\(maxInputFiles)]. Try"
                   + " breaking your query up into smaller queries, or increasing the number of workers to at least [\(minNumWorkers)] by"
                   + " setting maxNumTasks in your query context",
               fields: [("numInputFiles", .int(Int64(numInputFiles))), ("maxInputFiles", .int(Int64(maxInputFiles))),
                        ("minNumWorkers", .int(Int64(minNumWorkers)))])
    }
}

extension MSQFault {
    /// Druid's `Limits`: columns per stage, clustering columns per stage, workers per stage.
    package static let maxFrameColumns = 2000
    package static let maxClusteredByColumns = 1500
    package static let maxWorkers = 1000

    package static func tooManyColumns(_ n: Int) -> HengeError {
        .fault("TooManyColumns", "Too many output columns (requested = \(n), max = \(maxFrameColumns))",
               fields: [("numColumns", .int(Int64(n))), ("maxColumns", .int(Int64(maxFrameColumns)))])
    }

    package static func tooManyClusteredByColumns(_ n: Int, stage: Int) -> HengeError {
        .fault("TooManyClusteredByColumns", "Too many clustered by columns (requested = \(n), max = \(maxClusteredByColumns))",
               fields: [("numColumns", .int(Int64(n))), ("maxColumns", .int(Int64(maxClusteredByColumns))), ("stage", .int(Int64(stage)))])
    }

    package static func tooManyWorkers(_ n: Int) -> HengeError {
        .fault("TooManyWorkers", "Too many workers (current = \(n); max = \(maxWorkers))",
               fields: [("workers", .int(Int64(n))), ("maxWorkers", .int(Int64(maxWorkers)))])
    }
}

extension MSQFault {
    /// A time chunk would get more segments than `maxNumSegments`.
    package static func tooManySegmentsInTimeChunk(_ chunk: Interval, granularity: Granularity, numSegments: Int,
                                                   maxNumSegments: Int) -> HengeError {
        func grouped(_ n: Int) -> String {
            let digits = Array(String(n))
            var out = ""
            for (i, d) in digits.enumerated() {
                if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
                out.append(d)
            }
            return out
        }
        let start = ISOTime.format(chunk.start)
        return .fault(
            "TooManySegmentsInTimeChunk",
            "Too many segments requested to be generated in time chunk[\(start)] with granularity[\(granularity)]"
                + " (requested = [\(grouped(numSegments))], maximum = [\(grouped(maxNumSegments))]). Please try breaking up your query or change the maximum using"
                + " the query context parameter[maxNumSegments].",
            fields: [("timeChunk", .string(start)), ("numSegments", .int(Int64(numSegments))), ("maxNumSegments", .int(Int64(maxNumSegments))),
                     ("segmentGranularity", .string(granularity.description))])
    }
}
