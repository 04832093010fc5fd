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
        precondition(vector.data.nativeType == type,
                     "SegmentWriter: column [\(name)] holds \(vector.data.nativeType) data but is declared \(type)")
        switch vector.data {
        case .long(let v): longs.append(contentsOf: v)
        case .float(let v): floats.append(contentsOf: v)
        case .double(let v): doubles.append(contentsOf: v)
        case .string(let s): strings.append(s, nulls: vector.nulls)
        }
        nulls.append(vector.nulls, rowCount: vector.count)
    }
}
