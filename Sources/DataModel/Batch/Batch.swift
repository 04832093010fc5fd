/// A columnar chunk of rows: one `ColumnVector` per signature column.
///
/// The unit of work between readers, operators and writers (typically
/// 4k–64k rows). Every column has exactly `rowCount` rows.
package struct Batch: Hashable, Sendable {
    package var signature: RowSignature
    package var columns: [ColumnVector]
    package var rowCount: Int

    package init(signature: RowSignature, columns: [ColumnVector], rowCount: Int) {
        precondition(signature.count == columns.count, "Batch: signature and columns disagree")
        precondition(columns.allSatisfy { $0.count == rowCount }, "Batch: column lengths differ from rowCount")
        self.signature = signature
        self.columns = columns
        self.rowCount = rowCount
    }

    /// A batch with no rows.
    package static func empty(_ signature: RowSignature) -> Batch {
        Batch(signature: signature, columns: signature.columns.map { ColumnVector.empty($0.type) }, rowCount: 0)
    }

    package func column(named name: String) -> ColumnVector? {
        signature.index(of: name).map { columns[$0] }
    }

    /// Keeps only the rows at `indices`, in that order.
    package func gather(_ indices: [Int]) -> Batch {
        Batch(signature: signature, columns: columns.map { $0.gather(indices) }, rowCount: indices.count)
    }

    /// Rows as scalar values (slow path, for results and tests).
    package func row(_ r: Int) -> [ScalarValue] { columns.map { $0.value(at: r) } }
}

extension ColumnVector {
    package static func empty(_ type: ColumnType) -> ColumnVector {
        switch type.storage {
        case .long: ColumnVector(.long([]))
        case .float: ColumnVector(.float([]))
        case .double: ColumnVector(.double([]))
        case .string: ColumnVector(.string(StringColumn()))
        }
    }
}
