internal import DataModel
internal import SQLPlanner
internal import Expressions
internal import Operators
internal import SegmentFormat
internal import Storage
internal import Inputs
internal import MSQKernel

/// Runs a logical plan in this process for `/druid/v2/sql`: scans published
/// segments (pruned by `__time`), then filters, projects, aggregates, sorts
/// and limits with the same operators the MSQ stages use.
struct LocalExecutor: Sendable {
    let catalog: SegmentCatalog
    let storage: any DeepStorage
    let evaluator: Evaluator
    let cancellation: @Sendable () -> Bool
    /// What external input this server may read.
    var inputPolicy = InputAccessPolicy()
    /// Rows of `INFORMATION_SCHEMA` and `sys` tables.
    var systemRows: @Sendable (SystemTable) -> Batch = { _ in Batch(signature: RowSignature([]), columns: [], rowCount: 0) }

    /// The plan's rows as one batch.
    func execute(_ plan: LogicalPlan) throws(HengeError) -> Batch {
        let sig = RowSignature(plan.fields.map { ColumnSpec(name: $0.name, type: $0.type.nativeType) })
        return BatchSorter.concat(try batches(plan).map { Batch(signature: sig, columns: $0.columns, rowCount: $0.rowCount) },
                                  signature: sig)
    }

    /// The plan's rows as a stream of batches (one per segment or file
    /// batch), so streaming operators never copy rows into one big batch.
    func batches(_ plan: LogicalPlan) throws(HengeError) -> [Batch] {
        try checkCanceled()
        switch plan {
        case .scan(let scan):
            return try runScan(scan)
        case .filter(let input, let predicate):
            var out: [Batch] = []
            for b in try batches(input) {
                let rows = try evaluator.selectedRows(predicate, b)
                if !rows.isEmpty { out.append(rows.count == b.rowCount ? b : b.gather(rows)) }
            }
            return out
        case .project(let input, let exprs, let names):
            let sig = RowSignature(zip(names, exprs).map { ColumnSpec(name: $0, type: $1.type.nativeType) })
            var out: [Batch] = []
            for b in try batches(input) {
                var cols: [ColumnVector] = []
                for e in exprs { cols.append(try evaluator.evaluate(e, b)) }
                out.append(Batch(signature: sig, columns: cols, rowCount: b.rowCount))
            }
            return out
        case .aggregate(let input, let keys, let aggs, let names):
            var agg = HashAggregator(spec: AggregateSpec(keys: keys, aggregates: aggs), evaluator: evaluator)
            for b in try batches(input) {
                try checkCanceled()
                try agg.consume(b)
            }
            // Druid's groupBy returns groups ordered by their keys (NULL first);
            // an ORDER BY above re-sorts stably, so its ties keep this order too.
            let out = BatchSorter.sort(agg.finish(), by: keys.indices.map { SortColumn(column: $0) })
            let sig = RowSignature(zip(names, out.signature.columns).map { ColumnSpec(name: $0, type: $1.type) })
            return [Batch(signature: sig, columns: out.columns, rowCount: out.rowCount)]
        case .sort(let input, let keys):
            let b = try execute(input)
            return [BatchSorter.sort(b, by: keys.map { SortColumn(column: $0.column, descending: $0.descending, nullsFirst: $0.nullsFirst) })]
        case .limit(let input, let limit, let offset):
            // Take rows batch by batch until the limit is met.
            var skip = offset
            var remaining = limit ?? Int.max
            var out: [Batch] = []
            for b in try batches(input) where remaining > 0 {
                if skip >= b.rowCount { skip -= b.rowCount; continue }
                let end = skip + min(b.rowCount - skip, remaining)
                out.append(skip == 0 && end == b.rowCount ? b : b.gather(Array(skip..<end)))
                remaining -= end - skip
                skip = 0
            }
            return out
        case .unionAll(let inputs):
            var out: [Batch] = []
            for i in inputs { out += try batches(i) }
            return out
        }
    }

    func checkCanceled() throws(HengeError) {
        if cancellation() {
            throw HengeError(code: "canceled", category: .canceled, message: "Query was canceled")
        }
    }

    private func runScan(_ scan: TableScan) throws(HengeError) -> [Batch] {
        let fields = scan.fields
        let signature = RowSignature(fields.map { ColumnSpec(name: $0.name, type: $0.type.nativeType) })
        var batches: [Batch] = []
        switch scan.source {
        case .dataSource(let name):
            for seg in catalog.segmentsByDataSource[name] ?? [] {
                if let intervals = scan.intervals, !intervals.contains(where: { $0.overlaps(seg.id.interval) }) { continue }
                try checkCanceled()
                let path: String
                do { path = try storage.localPath(for: seg.storageKey) } catch {
                    throw MSQFaultUnknown.make("Cannot open segment [\(seg.id)]: \(error)")
                }
                let reader = try SegmentReader(path: path)
                if let f = scan.filter,
                   SegmentPruning.excludes(f, fieldNames: fields.map(\.name), infos: reader.columnInfos, rowCount: reader.rowCount) {
                    continue
                }
                // Conjuncts the bitmap indexes decide select rows before any
                // column is decoded; the rest are evaluated row by row.
                var selected: RowBitmap? = nil
                var rowFilter = scan.filter
                if let f = scan.filter {
                    let split = try BitmapFilter.split(f, fields: signature.columns, reader: reader)
                    if let rows = split.rows, rows.isEmpty { continue }
                    selected = split.rows
                    rowFilter = split.remaining
                }
                // A field only the filter reads is not decoded once the indexes decided every conjunct naming it.
                let undecoded = Set(scan.filterOnlyColumns).subtracting(rowFilter?.referencedColumns ?? [])
                let present = fields.indices.filter { !undecoded.contains($0) && reader.signature.index(of: fields[$0].name) != nil }
                    .map { fields[$0].name }
                // Rows the indexes selected are all that is decoded (whole blocks are skipped).
                let picked = selected.flatMap { $0.isFull ? nil : $0.rows }
                let read = try reader.read(columns: present, rows: picked)
                // Columns a segment lacks read as NULL (as do the undecoded ones, which nothing reads).
                let cols = fields.indices.map { k -> ColumnVector in
                    let f = fields[k]
                    if !undecoded.contains(k), let i = read.signature.index(of: f.name) { return conform(read.columns[i], to: f.type.nativeType) }
                    return ColumnVector.constant(.null, type: f.type.nativeType, count: read.rowCount)
                }
                var b = Batch(signature: signature, columns: cols, rowCount: read.rowCount)
                if let f = rowFilter { b = b.gather(try evaluator.selectedRows(f, b)) }
                if b.rowCount > 0 { batches.append(b) }
            }
        case .external(let spec):
            let files = try InputFileLister.list(spec.source, policy: inputPolicy)
            let tableSig = RowSignature(scan.tableFields.map { ColumnSpec(name: $0.name, type: $0.type.nativeType) })
            var reader = ExternalReader(format: spec.format, signature: tableSig)
            reader.accessPolicy = inputPolicy
            reader.systemFields = spec.source.systemFields
            for file in files {
                var counters = InputCounters()
                do {
                    try reader.read(file, counters: &counters) { batch in
                        var b = Batch(signature: signature, columns: scan.projection.map { batch.columns[$0] }, rowCount: batch.rowCount)
                        if let f = scan.filter { b = b.gather(try evaluator.selectedRows(f, b)) }
                        if b.rowCount > 0 { batches.append(b) }
                    }
                } catch let e as HengeError {
                    throw e
                } catch {
                    throw MSQFaultUnknown.make(String(describing: error))
                }
            }
        case .singleRow:
            return [Batch(signature: signature, columns: [], rowCount: 1)]
        case .systemTable(let table):
            let all = systemRows(table)
            var b = Batch(signature: signature, columns: scan.projection.map { all.columns[$0] }, rowCount: all.rowCount)
            if let f = scan.filter { b = b.gather(try evaluator.selectedRows(f, b)) }
            return [b]
        }
        return batches
    }

    private func conform(_ c: ColumnVector, to type: ColumnType) -> ColumnVector {
        if c.data.nativeType.storage == type.storage { return c }
        switch type.storage {
        case .long: return ColumnVector(.long(c.longs()), nulls: c.nulls)
        case .double: return ColumnVector(.double(c.doubles()), nulls: c.nulls)
        case .float: return ColumnVector(.float(c.doubles().map(Float.init)), nulls: c.nulls)
        case .string: return ColumnVector(.string(c.strings(type: c.data.nativeType.sqlType)), nulls: c.nulls)
        }
    }
}

enum MSQFaultUnknown {
    static func make(_ message: String) -> HengeError {
        HengeError(code: "UnknownError", category: .runtimeFailure, message: message)
    }
}
