internal import DataModel

/// Collects parsed rows column by column until a batch is full.
///
/// Parsers append exactly one value to every column per row, then call
/// `endRow()`. The columns live in one manually managed buffer, so
/// `columns[c].append(...)` mutates in place: no array uniqueness check and
/// no retain per value. Freed on deinit.
final class BatchAccumulator {
    let signature: RowSignature
    let columns: UnsafeMutablePointer<ColumnAccumulator>
    let columnCount: Int
    private(set) var rowCount = 0

    init(signature: RowSignature, capacity: Int) {
        self.signature = signature
        self.columnCount = signature.count
        self.columns = .allocate(capacity: max(1, signature.count))
        for (c, column) in signature.columns.enumerated() {
            (columns + c).initialize(to: ColumnAccumulator(type: column.type, capacity: capacity))
        }
    }

    deinit {
        for c in 0..<columnCount { columns[c].release() }
        columns.deinitialize(count: columnCount)
        columns.deallocate()
    }

    @inline(__always)
    func endRow() {
        rowCount += 1
    }

    /// The rows collected so far as a `Batch`; the accumulator starts over.
    func finish() -> Batch {
        var vectors: [ColumnVector] = []
        vectors.reserveCapacity(columnCount)
        for c in 0..<columnCount { vectors.append(columns[c].finish()) }
        let batch = Batch(signature: signature, columns: vectors, rowCount: rowCount)
        rowCount = 0
        return batch
    }
}
