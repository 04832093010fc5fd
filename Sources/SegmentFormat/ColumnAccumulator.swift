internal import DataModel

/// All rows appended so far for one column of a `SegmentWriter`.
struct ColumnAccumulator: Sendable {
    let type: ColumnType
    var longs: [Int64] = []
    var floats: [Float] = []
    var doubles: [Double] = []
    var strings = StringInterner()
    var nulls = NullBitmapBuilder()

    init(type: ColumnType) {
        self.type = type
    }

    var count: Int { nulls.count }

    mutating func append(_ vector: ColumnVector, name: String) {
        // ARRAY and COMPLEX<json> columns hold their canonical text as strings.
        precondition(vector.data.nativeType.storage == type.storage && !(type.isNested && vector.isMultiValue),
                     "SegmentWriter: column [\(name)] holds \(vector.data.nativeType) data but is declared \(type)")
        if case .multiString(let m) = vector.data, (0..<m.rowCount).contains(where: { m.valueCount($0) == 0 && !vector.isNull($0) }) {
            // An empty array is stored as NULL (Druid reads an ingested `[]` as NULL).
            var nulls = vector.nulls ?? NullMask(count: m.rowCount)
            for r in 0..<m.rowCount where m.valueCount(r) == 0 { nulls.setNull(r) }
            append(ColumnVector(vector.data, nulls: nulls), name: name)
            return
        }
        switch vector.data {
        case .long(let v): longs.append(contentsOf: v)
        case .float(let v): floats.append(contentsOf: v)
        case .double(let v): doubles.append(contentsOf: v)
        case .string(let s): strings.append(s, nulls: vector.nulls)
        case .multiString(let m): strings.append(m, nulls: vector.nulls)
        }
        nulls.append(vector.nulls, rowCount: vector.count)
    }
}
