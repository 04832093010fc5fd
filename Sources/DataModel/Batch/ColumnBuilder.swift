/// Appends values of one native type row by row and produces a `ColumnVector`.
///
/// Strings are interned into a dictionary as they arrive, so a column with few
/// distinct values stores each once. For ARRAY and COMPLEX<json> columns
/// `append(string:)` takes the canonical text (`NestedValue`) as is.
package struct ColumnBuilder: Sendable {
    package let type: ColumnType
    private var longs: [Int64] = []
    private var floats: [Float] = []
    private var doubles: [Double] = []
    private var ids: [Int32] = []
    private var dictionary: StringDictionary = []
    private var lookup: [String: Int32] = [:]
    private var nulls = NullMask(count: 0)
    private var sawNull = false

    package init(type: ColumnType, capacity: Int = 0) {
        self.type = type
        switch type.storage {
        case .long: longs.reserveCapacity(capacity)
        case .float: floats.reserveCapacity(capacity)
        case .double: doubles.reserveCapacity(capacity)
        case .string: ids.reserveCapacity(capacity)
        }
    }

    package var count: Int { nulls.count }

    package mutating func appendNull() {
        switch type.storage {
        case .long: longs.append(0)
        case .float: floats.append(0)
        case .double: doubles.append(0)
        case .string: ids.append(0)
        }
        nulls.append(isNull: true)
        sawNull = true
    }

    package mutating func append(long v: Int64) {
        switch type.storage {
        case .long: longs.append(v)
        case .float: floats.append(Float(v))
        case .double: doubles.append(Double(v))
        case .string:
            append(string: type.arrayElement.map { NestedValue.encodeArray([.long(v)], element: $0) } ?? String(v))
            return
        }
        nulls.append(isNull: false)
    }

    package mutating func append(double v: Double) {
        switch type.storage {
        case .long:
            guard v.isFinite, v >= -9.2e18, v <= 9.2e18 else { appendNull(); return }
            longs.append(Int64(v))
        case .float: floats.append(Float(v))
        case .double: doubles.append(v)
        case .string:
            append(string: type.arrayElement.map { NestedValue.encodeArray([.double(v)], element: $0) }
                ?? ScalarValue.double(v).renderedString)
            return
        }
        nulls.append(isNull: false)
    }

    package mutating func append(string v: String) {
        switch type.storage {
        case .string:
            if let id = lookup[v] {
                ids.append(id)
            } else {
                let id = Int32(dictionary.count)
                dictionary.append(v)
                lookup[v] = id
                ids.append(id)
            }
            nulls.append(isNull: false)
        case .long, .float, .double:
            switch ScalarValue.string(v).cast(to: type) {
            case .long(let l): append(long: l)
            case .double(let d): append(double: d)
            default: appendNull()
            }
        }
    }

    package mutating func append(_ value: ScalarValue) {
        switch value {
        case .null: appendNull()
        case .long(let v): append(long: v)
        case .double(let v): append(double: v)
        case .string(let v): append(string: v)
        }
    }

    /// Finishes the column; the builder is left empty.
    package mutating func finish() -> ColumnVector {
        let mask = sawNull ? nulls : nil
        defer { self = ColumnBuilder(type: type) }
        switch type.storage {
        case .long: return ColumnVector(.long(longs), nulls: mask)
        case .float: return ColumnVector(.float(floats), nulls: mask)
        case .double: return ColumnVector(.double(doubles), nulls: mask)
        case .string: return ColumnVector(.string(StringColumn(ids: ids, dictionary: dictionary)), nulls: mask)
        }
    }
}
