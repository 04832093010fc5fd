package import DataModel
package import Expressions


/// Applies a stage's per-batch operations (filters and projections).
package struct RowPipeline: Sendable {
    package let operations: [RowOperation]
    package let evaluator: Evaluator

    package init(operations: [RowOperation], evaluator: Evaluator) {
        self.operations = operations
        self.evaluator = evaluator
    }

    /// Runs every operation in order; the result may have no rows.
    package func apply(_ batch: Batch) throws(HengeError) -> Batch {
        var b = batch
        for op in operations {
            switch op {
            case .filter(let predicate):
                let rows = try evaluator.selectedRows(predicate, b)
                if rows.count != b.rowCount { b = b.gather(rows) }
            case .project(let exprs):
                var cols: [ColumnVector] = []
                cols.reserveCapacity(exprs.count)
                for e in exprs { cols.append(try evaluator.evaluate(e, b)) }
                let sig = RowSignature(exprs.enumerated().map { ColumnSpec(name: "c\($0.offset)", type: $0.element.type.nativeType) })
                b = Batch(signature: sig, columns: cols, rowCount: b.rowCount)
            }
        }
        return b
    }
}
