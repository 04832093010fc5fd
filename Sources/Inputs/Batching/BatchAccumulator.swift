internal import DataModel

/// Collects parsed rows column by column until a batch is full.
///
/// Parsers append exactly one value to every column per row, then call
/// `endRow()`.
struct BatchAccumulator {
    let signature: RowSignature
    var columns: [ColumnAccumulator]
    private(set) var rowCount = 0

    init(signature: RowSignature, capacity: Int) {
        self.signature = signature
        self.columns = signature.columns.map { ColumnAccumulator(type: $0.type, capacity: capacity) }
    }

    mutating func endRow() {
        rowCount += 1
    }

    /// The rows collected so far as a `Batch`; the accumulator starts over.
    mutating func finish() -> Batch {
        let vectors = columns.indices.map { columns[$0].finish() }
        let batch = Batch(signature: signature, columns: vectors, rowCount: rowCount)
        rowCount = 0
        return batch
    }
}
