internal import DataModel
internal import SQLPlanner
internal import Expressions
internal import MSQKernel

/// Druid's checks of MSQ context keys at submit (`MultiStageQueryContext`).
enum MSQContextValidation {
    static let lockTypes = ["EXCLUSIVE", "SHARED", "REPLACE", "APPEND"]

    /// `maxParseExceptions` (default 0; -1 unlimited), or the default of
    /// `mode` (`strict` → 0, `nonStrict` → -1) when it is not set.
    static func maxParseExceptions(_ ctx: QueryContext) throws(HengeError) -> Int {
        if let n = try ctx.int("maxParseExceptions") {
            guard n >= -1 else {
                throw HengeError.invalidInput("Invalid value [\(n)] for context key [maxParseExceptions]: expected -1 or a non-negative number")
            }
            return n
        }
        switch ctx.string("mode")?.lowercased() {
        case nil, "strict"?: return 0
        case "nonstrict"?: return -1
        case let other?: throw HengeError.invalidInput("Invalid value [\(other)] for context key [mode]: expected one of [strict, nonStrict]")
        }
    }

    /// `finalizeAggregations: false` stores aggregators' intermediate state.
    /// For COUNT, SUM, MIN, MAX and ANY_VALUE that state is the value itself;
    /// EARLIEST/LATEST (and _BY) store their time/value pair
    /// (`COMPLEX<serializablePairLong...>`, bound so by the binder) which
    /// EARLIEST/LATEST over the column later fold. The others would need a
    /// sketch or a sum/count state Henge does not write yet, so it refuses
    /// rather than store finalized values queries would merge wrongly.
    static func validateFinalization(_ ctx: QueryContext, plan: IngestPlan) throws(HengeError) {
        guard try ctx.bool("finalizeAggregations") == false else { return }
        for call in plan.query.aggregateCalls {
            switch call.kind {
            case .count where !(call.distinct && call.approximate), .sum, .min, .max, .anyValue: continue
            case .earliest, .latest, .earliestBy, .latestBy: continue
            default:
                let name = call.distinct ? "COUNT(DISTINCT)" : call.kind.rawValue
                throw HengeError.unsupported(
                    "finalizeAggregations: false is supported for COUNT, SUM, MIN, MAX, ANY_VALUE and EARLIEST/LATEST only; [\(name)] would need its intermediate state stored as a COMPLEX column, which Henge does not write yet. Remove finalizeAggregations or the aggregation.")
            }
        }
    }

    /// The workers' memory budget: `rowsInMemory` (Druid's default 100,000)
    /// and the server's worker memory, lowered by the Henge context key
    /// `workerMemory` (bytes, or a size such as `"64MiB"`) but never raised.
    static func workerMemory(_ ctx: QueryContext, serverMemory: Int64) throws(HengeError) -> WorkerMemory {
        var rows = WorkerMemory.defaultRowsInMemory
        if let n = try ctx.int("rowsInMemory") {
            guard n > 0 else { throw HengeError.invalidInput("Invalid value [\(n)] for context key [rowsInMemory]: expected a positive integer") }
            rows = n
        }
        var memory = serverMemory
        if let v = ctx["workerMemory"], !v.isNull {
            let text = v.stringValue ?? v.serialized
            guard let bytes = v.intValue.map({ Int64($0) }) ?? WorkerMemory.parseBytes(text), bytes > 0 else {
                throw HengeError.invalidInput(
                    "Invalid value [\(text)] for context key [workerMemory]: expected a positive number of bytes, optionally with a suffix such as MiB or GiB")
            }
            memory = min(memory, bytes)
        }
        return WorkerMemory(serverMemory: memory, rowsInMemory: rows)
    }

    static func validate(_ ctx: QueryContext, mode: IngestMode) throws(HengeError) {
        _ = try maxParseExceptions(ctx)
        _ = try workerMemory(ctx, serverMemory: 1 << 30)
        // taskLockType: validated unless useConcurrentLocks picks the type.
        if try ctx.bool("useConcurrentLocks") != true, let raw = ctx.string("taskLockType") {
            let type = raw.uppercased()
            guard lockTypes.contains(type) else {
                throw HengeError.invalidInput("Invalid value [\(raw)] for context key [taskLockType]: expected one of [\(lockTypes.joined(separator: ", "))]")
            }
            let advice = " Please use [taskLockType] key in the context parameter and use one of the TaskLock types as mentioned earlier or remove this key for automatic lock type selection"
            if mode == .replace && !(type == "EXCLUSIVE" || type == "REPLACE") {
                throw HengeError.invalidInput("TaskLock must be of type [EXCLUSIVE] or [REPLACE] for a REPLACE query. Found invalid type [\(type)] set." + advice)
            }
            if mode == .insert && !(type == "SHARED" || type == "APPEND") {
                throw HengeError.invalidInput("TaskLock must be of type [SHARED] or [APPEND] for an INSERT query. Found invalid type [\(type)] set." + advice)
            }
        }
        // Druid's task context key (Tasks.STORE_EMPTY_COLUMNS_KEY, default true): Henge always stores every column.
        if try ctx.bool("storeEmptyColumns") == false {
            throw HengeError.unsupported(
                "Context key [storeEmptyColumns] = false is not supported by Henge: segments always store every column, even one that is null in every row (Druid's default, storeEmptyColumns = true)")
        }
        if let dest = ctx.string("selectDestination"), !["taskreport", "durablestorage"].contains(dest.lowercased()) {
            throw HengeError.invalidInput(
                "Unsupported select destination [\(dest)] provided in the query context. MSQ can currently write the select results to [taskReport,durableStorage]")
        }
        if let assignment = ctx.string("taskAssignment"), !["max", "auto"].contains(assignment.lowercased()) {
            throw HengeError.invalidInput("Invalid value [\(assignment)] for context key [taskAssignment]: expected one of [max, auto]")
        }
        // includeSegmentSource: NONE (published segments) or REALTIME (also realtime tasks'); Henge has no
        // realtime tasks, so both read the published segments.
        if let source = ctx["includeSegmentSource"], !source.isNull,
           !["none", "realtime"].contains((source.stringValue ?? "").lowercased()) {
            throw HengeError.invalidInput(
                "Invalid value [\(source.stringValue ?? source.serialized)] for context key [includeSegmentSource]: expected one of [NONE, REALTIME]")
        }
        // maxThreads caps processing threads per worker when positive (else ignored, as in Druid); a Henge worker
        // is one thread, so any value fits — but it must be an integer.
        _ = try ctx.int("maxThreads")
        if let order = ctx["segmentSortOrder"], !order.isNull {
            if case .array(let items) = order, items.allSatisfy({ $0.stringValue != nil }) { return }
            let text = order.stringValue ?? order.serialized
            if text.trimmingSpaces.hasPrefix("["), (try? JSONValue.parse(text))?.arrayValue == nil {
                throw HengeError.invalidInput("Expected key [segmentSortOrder] to be a CSV or JSON array, but got [\(text)]")
            }
        }
    }
}
