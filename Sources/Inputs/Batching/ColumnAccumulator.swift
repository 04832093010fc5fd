internal import DataModel

/// Builds one column of a batch straight from parsed values.
///
/// Unlike `ColumnBuilder` it interns strings from bytes (`StringInterner`)
/// and records NULL rows as a list, building the `NullMask` once at the end.
struct ColumnAccumulator {
    let type: ColumnType
    private(set) var count = 0
    private var longs: [Int64] = []
    private var floats: [Float] = []
    private var doubles: [Double] = []
    /// STRING: per row one id (0 for NULL); once a row with several values
    /// arrived (`valueCounts != nil`), the ids of every value, row after row.
    private var ids: [Int32] = []
    /// Per row the number of values (0 for NULL), once the column is multi-valued.
    private var valueCounts: [Int32]? = nil
    private var nullRows: [Int] = []
    private var interner = StringInterner()
    private let capacity: Int

    init(type: ColumnType, capacity: Int) {
        self.type = type
        self.capacity = capacity
        reserve()
    }

    private mutating func reserve() {
        switch type {
        case .long: longs.reserveCapacity(capacity)
        case .float: floats.reserveCapacity(capacity)
        case .double: doubles.reserveCapacity(capacity)
        case .string: ids.reserveCapacity(capacity)
        }
    }

    mutating func appendNull() {
        switch type {
        case .long: longs.append(0)
        case .float: floats.append(0)
        case .double: doubles.append(0)
        case .string:
            if valueCounts != nil { valueCounts!.append(0) } else { ids.append(0) }
        }
        nullRows.append(count)
        count += 1
    }

    /// Appends an integer to a numeric column.
    mutating func append(long v: Int64) {
        switch type {
        case .long: longs.append(v)
        case .float: floats.append(Float(v))
        case .double: doubles.append(Double(v))
        case .string: preconditionFailure("ColumnAccumulator: append(long:) on a STRING column")
        }
        count += 1
    }

    /// Appends a floating-point value to a numeric column; a LONG column
    /// truncates toward zero and takes NULL for values out of range.
    mutating func append(double v: Double) {
        switch type {
        case .long:
            guard v.isFinite, v >= -9.2e18, v <= 9.2e18 else { appendNull(); return }
            longs.append(Int64(v))
        case .float: floats.append(Float(v))
        case .double: doubles.append(v)
        case .string: preconditionFailure("ColumnAccumulator: append(double:) on a STRING column")
        }
        count += 1
    }

    /// Appends UTF-8 text to a STRING column.
    mutating func append(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        precondition(type == .string, "ColumnAccumulator: append(utf8:) on a numeric column")
        ids.append(interner.intern(bytes))
        valueCounts?.append(1)
        count += 1
    }

    /// Appends a string to a STRING column.
    mutating func append(string: String) {
        precondition(type == .string, "ColumnAccumulator: append(string:) on a numeric column")
        ids.append(interner.intern(string))
        valueCounts?.append(1)
        count += 1
    }

    /// Appends a list of values to a STRING column: none is NULL, one is a
    /// plain value, more make the column multi-valued.
    mutating func append(values: [String]) {
        switch values.count {
        case 0: appendNull()
        case 1: append(string: values[0])
        default:
            if valueCounts == nil {
                let nullSet = Set(nullRows)
                valueCounts = (0..<count).map { nullSet.contains($0) ? 0 : 1 }
                ids = ids.enumerated().filter { !nullSet.contains($0.offset) }.map(\.element)
            }
            for v in values { ids.append(interner.intern(v)) }
            valueCounts!.append(Int32(values.count))
            count += 1
        }
    }

    /// Finishes the column and leaves the accumulator empty.
    mutating func finish() -> ColumnVector {
        var mask: NullMask? = nil
        if !nullRows.isEmpty {
            var m = NullMask(count: count)
            for r in nullRows { m.setNull(r) }
            mask = m
        }
        let vector: ColumnVector
        switch type {
        case .long: vector = ColumnVector(.long(longs), nulls: mask)
        case .float: vector = ColumnVector(.float(floats), nulls: mask)
        case .double: vector = ColumnVector(.double(doubles), nulls: mask)
        case .string where valueCounts != nil:
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(count + 1)
            for c in valueCounts! { offsets.append(offsets.last! + c) }
            vector = ColumnVector(.multiString(MultiStringColumn(offsets: offsets, ids: ids, dictionary: interner.dictionary)),
                                  nulls: mask)
        case .string:
            // NULL rows carry id 0; keep that id valid even if every row is NULL.
            var dictionary = interner.dictionary
            if dictionary.isEmpty && count > 0 { dictionary = [""] }
            vector = ColumnVector(.string(StringColumn(ids: ids, dictionary: dictionary)), nulls: mask)
        }
        longs = []
        floats = []
        doubles = []
        ids = []
        valueCounts = nil
        nullRows = []
        interner = StringInterner()
        count = 0
        reserve()
        return vector
    }
}
