internal import DataModel
internal import MSQKernel
internal import SegmentFormat

/// Reads a published segment as stage input (reindexing): the requested
/// columns with the types the query reads them as; columns the segment
/// lacks read as NULL, as they do in queries.
enum TableInputReader {
    static func read(_ segment: TableSegment, columns: RowSignature) throws(HengeError) -> Batch {
        let reader = try SegmentReader(path: segment.path)
        let present = columns.names.filter { reader.signature.index(of: $0) != nil }
        let read = try reader.read(columns: present)
        let vectors = columns.columns.map { c -> ColumnVector in
            guard let i = read.signature.index(of: c.name) else {
                return ColumnVector.constant(.null, type: c.type, count: read.rowCount)
            }
            return conform(read.columns[i], to: c.type)
        }
        return Batch(signature: columns, columns: vectors, rowCount: read.rowCount)
    }

    /// A column converted to the native type the query expects (a type
    /// changed between segments of one datasource).
    static func conform(_ c: ColumnVector, to type: ColumnType) -> ColumnVector {
        if c.data.nativeType == type || (type.isNested && c.data.nativeType.storage == .string && !c.isMultiValue) { return c }
        var b = ColumnBuilder(type: type, capacity: c.count)
        for r in 0..<c.count { b.append(c.value(at: r)) }
        return b.finish()
    }
}
