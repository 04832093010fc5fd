internal import DataModel

/// Builds one column of a batch straight from parsed values.
///
/// Unlike `ColumnBuilder` it interns strings from bytes (`StringInterner`,
/// which keeps its table across batches) and records NULL rows as a list,
/// building the `NullMask` once at the end. Values go into manually managed
/// typed buffers (copied into arrays once per batch), so an append is a store
/// and a count, without ARC or uniqueness checks; the owner
/// (`BatchAccumulator`) calls `release()`.
struct ColumnAccumulator {
    /// The storage kinds, switched on per value (cheaper than comparing
    /// `ColumnType`s through `Equatable`).
    enum Kind: UInt8 {
        case long, float, double, string
        /// ARRAY and COMPLEX<json>: stored like strings, holding canonical
        /// JSON text (`NestedValue`), which the parsers build.
        case nested

        init(_ type: ColumnType) {
            if type.isNested { self = .nested; return }
            switch type.storage {
            case .long: self = .long
            case .float: self = .float
            case .double: self = .double
            case .string: self = .string
            }
        }
    }

    let type: ColumnType
    let kind: Kind
    /// Rows appended.
    private(set) var count = 0
    /// Values: `Int64`, `Float` or `Double` per row, or for STRING the
    /// dictionary ids (one per row, or once multi-valued, every value's).
    private var values: UnsafeMutableRawPointer
    /// Elements `values` has room for.
    private var capacity: Int
    /// STRING: ids stored (equals `count` until the column is multi-valued).
    private var idCount = 0
    /// Per row the number of values (0 for NULL), once the column is multi-valued.
    private var valueCounts: [Int32]? = nil
    private var nullRows: [Int] = []
    private var interner: StringInterner

    init(type: ColumnType, capacity: Int) {
        self.type = type
        self.kind = Kind(type)
        self.capacity = max(16, capacity)
        self.values = .allocate(byteCount: self.capacity * 8, alignment: 8)
        self.interner = StringInterner()
    }

    /// Frees the buffers; the accumulator must not be used afterwards.
    func release() {
        values.deallocate()
        interner.release()
    }

    @inline(__always)
    private var longs: UnsafeMutablePointer<Int64> { values.assumingMemoryBound(to: Int64.self) }
    @inline(__always)
    private var floats: UnsafeMutablePointer<Float> { values.assumingMemoryBound(to: Float.self) }
    @inline(__always)
    private var doubles: UnsafeMutablePointer<Double> { values.assumingMemoryBound(to: Double.self) }
    @inline(__always)
    private var ids: UnsafeMutablePointer<Int32> { values.assumingMemoryBound(to: Int32.self) }

    /// Doubles the buffer (8 bytes per element whatever the kind).
    private mutating func grow() {
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 16, alignment: 8)
        bigger.copyMemory(from: values, byteCount: capacity * 8)
        values.deallocate()
        values = bigger
        capacity *= 2
    }

    @inline(__always)
    private mutating func appendID(_ id: Int32) {
        if idCount == capacity { grow() }
        ids[idCount] = id
        idCount += 1
    }

    mutating func appendNull() {
        switch kind {
        case .long:
            if count == capacity { grow() }
            longs[count] = 0
        case .float:
            if count == capacity { grow() }
            floats[count] = 0
        case .double:
            if count == capacity { grow() }
            doubles[count] = 0
        case .string, .nested:
            if valueCounts != nil { valueCounts!.append(0) } else { appendID(0) }
        }
        nullRows.append(count)
        count += 1
    }

    /// Appends an integer to a numeric column.
    @inline(__always)
    mutating func append(long v: Int64) {
        if count == capacity { grow() }
        switch kind {
        case .long: longs[count] = v
        case .float: floats[count] = Float(v)
        case .double: doubles[count] = Double(v)
        case .string, .nested: preconditionFailure("ColumnAccumulator: append(long:) on a STRING column")
        }
        count += 1
    }

    /// Appends a floating-point value to a numeric column; a LONG column
    /// truncates toward zero and takes NULL for values out of range.
    mutating func append(double v: Double) {
        switch kind {
        case .long:
            guard v.isFinite, v >= -9.2e18, v <= 9.2e18 else { appendNull(); return }
            if count == capacity { grow() }
            longs[count] = Int64(v)
        case .float:
            if count == capacity { grow() }
            floats[count] = Float(v)
        case .double:
            if count == capacity { grow() }
            doubles[count] = v
        case .string, .nested: preconditionFailure("ColumnAccumulator: append(double:) on a STRING column")
        }
        count += 1
    }

    /// Appends the `n` UTF-8 bytes at `p` to a STRING column.
    @inline(__always)
    mutating func append(utf8 p: UnsafePointer<UInt8>, count n: Int) {
        precondition(kind == .string || kind == .nested, "ColumnAccumulator: append(utf8:) on a numeric column")
        appendID(interner.intern(p, n))
        if valueCounts != nil { valueCounts!.append(1) }
        count += 1
    }

    /// Appends UTF-8 text to a STRING column.
    mutating func append(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        precondition(kind == .string || kind == .nested, "ColumnAccumulator: append(utf8:) on a numeric column")
        appendID(interner.intern(bytes))
        if valueCounts != nil { valueCounts!.append(1) }
        count += 1
    }

    /// Appends a string to a STRING column.
    mutating func append(string: String) {
        precondition(kind == .string || kind == .nested, "ColumnAccumulator: append(string:) on a numeric column")
        appendID(interner.intern(string))
        if valueCounts != nil { valueCounts!.append(1) }
        count += 1
    }

    /// Appends a list of values to a STRING column: none is NULL, one is a
    /// plain value, more make the column multi-valued.
    mutating func append(values list: [String]) {
        switch list.count {
        case 0: appendNull()
        case 1: append(string: list[0])
        default:
            if valueCounts == nil {
                // Every row so far had one id (NULL rows id 0): keep those of non-NULL rows.
                var counts = [Int32](repeating: 1, count: count)
                for r in nullRows { counts[r] = 0 }
                var kept = 0
                for r in 0..<count where counts[r] == 1 {
                    ids[kept] = ids[r]
                    kept += 1
                }
                idCount = kept
                valueCounts = counts
            }
            for v in list { appendID(interner.intern(v)) }
            valueCounts!.append(Int32(list.count))
            count += 1
        }
    }

    /// Finishes the column and leaves the accumulator empty (the string
    /// table stays for the next batch).
    mutating func finish() -> ColumnVector {
        var mask: NullMask? = nil
        if !nullRows.isEmpty {
            var m = NullMask(count: count)
            for r in nullRows { m.setNull(r) }
            mask = m
        }
        let vector: ColumnVector
        switch kind {
        case .long: vector = ColumnVector(.long(Array(UnsafeBufferPointer(start: longs, count: count))), nulls: mask)
        case .float: vector = ColumnVector(.float(Array(UnsafeBufferPointer(start: floats, count: count))), nulls: mask)
        case .double: vector = ColumnVector(.double(Array(UnsafeBufferPointer(start: doubles, count: count))), nulls: mask)
        case .string, .nested:
            let idArray = Array(UnsafeBufferPointer(start: ids, count: idCount))
            var dictionary = interner.finishBatch()
            if let counts = valueCounts {
                var offsets: [Int32] = []
                offsets.reserveCapacity(count + 1)
                var total: Int32 = 0
                offsets.append(0)
                for c in counts {
                    total += c
                    offsets.append(total)
                }
                vector = ColumnVector(.multiString(MultiStringColumn(offsets: offsets, ids: idArray, dictionary: dictionary)),
                                      nulls: mask)
            } else {
                // NULL rows carry id 0; keep that id valid even if every row is NULL.
                if dictionary.isEmpty && count > 0 { dictionary = [""] }
                vector = ColumnVector(.string(StringColumn(ids: idArray, dictionary: dictionary)), nulls: mask)
            }
        }
        idCount = 0
        valueCounts = nil
        nullRows.removeAll(keepingCapacity: true)
        count = 0
        return vector
    }
}
