/// Dictionary-encoded strings: each row holds an index into `dictionary`.
///
/// The dictionary is per column vector and need not be sorted or minimal;
/// NULL rows are marked in the owning `ColumnVector`'s mask (their id is 0
/// and meaningless).
package struct StringColumn: Hashable, Sendable {
    package var ids: [Int32]
    package var dictionary: StringDictionary

    /// An all-NULL column may come with no dictionary; it gets `[""]` so that
    /// every id (0 for NULL rows) indexes a valid entry.
    package init(ids: [Int32] = [], dictionary: StringDictionary = []) {
        self.ids = ids
        self.dictionary = dictionary.isEmpty && !ids.isEmpty ? [""] : dictionary
    }

    @inline(__always)
    package func value(_ row: Int) -> String { dictionary[Int(ids[row])] }
}

/// The typed contiguous storage of one column of a `Batch`.
package enum ColumnData: Hashable, Sendable {
    case long([Int64])
    case float([Float])
    case double([Double])
    case string(StringColumn)
    /// Multi-value strings; the native type is still STRING.
    case multiString(MultiStringColumn)

    package var count: Int {
        switch self {
        case .long(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        case .string(let s): s.ids.count
        case .multiString(let m): m.rowCount
        }
    }

    package var nativeType: ColumnType {
        switch self {
        case .long: .long
        case .float: .float
        case .double: .double
        case .string, .multiString: .string
        }
    }
}

/// One column of a `Batch`: typed data plus an optional NULL mask.
package struct ColumnVector: Hashable, Sendable {
    package var data: ColumnData
    /// NULL rows; `nil` when the column has none.
    package var nulls: NullMask?

    package init(_ data: ColumnData, nulls: NullMask? = nil) {
        self.data = data
        self.nulls = (nulls?.nullCount ?? 0) == 0 ? nil : nulls
    }

    package var count: Int { data.count }

    @inlinable @inline(__always)
    package func isNull(_ row: Int) -> Bool { nulls?.isNull(row) ?? false }

    /// The value at `row` as a `ScalarValue` (slow path: tests, result
    /// rendering, constant folding; never inside operator loops).
    package func value(at row: Int) -> ScalarValue {
        if isNull(row) { return .null }
        switch data {
        case .long(let v): return .long(v[row])
        case .float(let v): return .double(Double(v[row]))
        case .double(let v): return .double(v[row])
        case .string(let s): return .string(s.value(row))
        case .multiString(let m): return m.rendered(row)
        }
    }

    /// Builds a column of `count` copies of one value.
    package static func constant(_ value: ScalarValue, type: ColumnType, count: Int) -> ColumnVector {
        var mask: NullMask? = nil
        if value.isNull {
            var m = NullMask(count: count)
            for i in 0..<count { m.setNull(i) }
            mask = m
        }
        switch type.storage {
        case .long: return ColumnVector(.long([Int64](repeating: value.longValue ?? 0, count: count)), nulls: mask)
        case .float: return ColumnVector(.float([Float](repeating: Float(value.doubleValue ?? 0), count: count)), nulls: mask)
        case .double: return ColumnVector(.double([Double](repeating: value.doubleValue ?? 0, count: count)), nulls: mask)
        case .string:
            let s = value.stringValue ?? ""
            return ColumnVector(.string(StringColumn(ids: [Int32](repeating: 0, count: count), dictionary: [s])), nulls: mask)
        }
    }

    /// Keeps only the rows at `indices`, in that order.
    package func gather(_ indices: [Int]) -> ColumnVector {
        let mask = nulls?.gather(indices)
        switch data {
        case .long(let v): return ColumnVector(.long(indices.map { v[$0] }), nulls: mask)
        case .float(let v): return ColumnVector(.float(indices.map { v[$0] }), nulls: mask)
        case .double(let v): return ColumnVector(.double(indices.map { v[$0] }), nulls: mask)
        case .string(let s):
            return ColumnVector(.string(StringColumn(ids: indices.map { s.ids[$0] }, dictionary: s.dictionary)), nulls: mask)
        case .multiString(let m):
            return ColumnVector(.multiString(m.gather(indices)), nulls: mask)
        }
    }
}
