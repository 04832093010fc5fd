internal import DataModel
internal import Expressions

/// Running state of one aggregate across groups, updated a batch at a time.
protocol Accumulator {
    /// Adds the rows of `values` to groups `groups[row]`, skipping rows where
    /// `include` is false.
    mutating func add(_ values: ColumnVector?, groups: [Int32], include: [Bool]?, groupCount: Int)
    /// One value per group.
    func finish(groupCount: Int) -> ColumnVector
    /// Drops every group's state but `group`'s, which becomes group 0
    /// (`HashAggregator.finishAllButLast`).
    mutating func keepOnly(_ group: Int)
}

extension Array {
    /// The element at `index` alone, or nothing when the array never grew that far.
    @inline(__always)
    func keeping(_ index: Int) -> [Element] { index < count ? [self[index]] : [] }
}

extension Array {
    /// Appends `v` until there are `n` elements. Every caller has a concrete
    /// element type (`NumericAccumulator`'s entry points are specialized), so
    /// this is one bulk fill, not an append per element.
    @inline(__always)
    mutating func grow(to n: Int, with v: Element) {
        if count < n { append(contentsOf: repeatElement(v, count: n - count)) }
    }
}

/// COUNT(*) and COUNT(x).
struct CountAccumulator: Accumulator {
    var counts: [Int64] = []
    mutating func add(_ values: ColumnVector?, groups: [Int32], include: [Bool]?, groupCount: Int) {
        counts.grow(to: groupCount, with: 0)
        let nulls = values?.nulls
        counts.withUnsafeMutableBufferPointer { counts in
            groups.withUnsafeBufferPointer { groups in
                for r in 0..<groups.count {
                    if let include, !include[r] { continue }
                    if let nulls, nulls.isNull(r) { continue }
                    counts[Int(groups[r])] &+= 1
                }
            }
        }
    }
    mutating func keepOnly(_ group: Int) { counts = counts.keeping(group) }
    func finish(groupCount: Int) -> ColumnVector {
        var c = counts
        c.grow(to: groupCount, with: 0)
        return ColumnVector(.long(c))
    }
}

/// A numeric storage type SUM/MIN/MAX accumulate in.
protocol AccumulatedNumber: Comparable {
    static var zero: Self { get }
    static func values(of column: ColumnVector) -> [Self]
    static func column(_ values: [Self], nulls: NullMask) -> ColumnVector
    /// Addition that wraps on overflow for integers (as Java's long arithmetic does).
    static func sum(_ a: Self, _ b: Self) -> Self
}

extension Int64: AccumulatedNumber {
    static func values(of column: ColumnVector) -> [Int64] { column.longs() }
    static func column(_ values: [Int64], nulls: NullMask) -> ColumnVector { ColumnVector(.long(values), nulls: nulls) }
    static func sum(_ a: Int64, _ b: Int64) -> Int64 { a &+ b }
}

extension Double: AccumulatedNumber {
    static func values(of column: ColumnVector) -> [Double] { column.doubles() }
    static func column(_ values: [Double], nulls: NullMask) -> ColumnVector { ColumnVector(.double(values), nulls: nulls) }
    static func sum(_ a: Double, _ b: Double) -> Double { a + b }
}

/// SUM/MIN/MAX over integers (BIGINT, TIMESTAMP) or floating point. NULL
/// when a group saw no value.
struct NumericAccumulator<T: AccumulatedNumber>: Accumulator {
    let kind: AggregateKind
    var acc: [T] = []
    var seen: [Bool] = []

    init(kind: AggregateKind) {
        self.kind = kind
    }

    // Called through `any Accumulator`, where the generic body would look up
    // `[T]`'s metadata on every element access: specialized entry points for
    // the two number types keep the row loop concrete.
    @_specialize(exported: false, kind: full, where T == Int64)
    @_specialize(exported: false, kind: full, where T == Double)
    mutating func add(_ values: ColumnVector?, groups: [Int32], include: [Bool]?, groupCount: Int) {
        acc.grow(to: groupCount, with: .zero)
        seen.grow(to: groupCount, with: false)
        guard let values else { return }
        let v = T.values(of: values)
        switch kind {
        case .min: fold(v, nulls: values.nulls, groups: groups, include: include) { Swift.min($0, $1) }
        case .max: fold(v, nulls: values.nulls, groups: groups, include: include) { Swift.max($0, $1) }
        default: fold(v, nulls: values.nulls, groups: groups, include: include) { T.sum($0, $1) }
        }
    }

    /// Folds each included non-NULL value into its group's state (its first
    /// value as is), over raw buffers: no uniqueness check per element.
    @inline(__always)
    private mutating func fold(_ v: [T], nulls: NullMask?, groups: [Int32], include: [Bool]?, _ combine: (T, T) -> T) {
        acc.withUnsafeMutableBufferPointer { acc in
            seen.withUnsafeMutableBufferPointer { seen in
                v.withUnsafeBufferPointer { v in
                    groups.withUnsafeBufferPointer { groups in
                        for r in 0..<groups.count {
                            if let include, !include[r] { continue }
                            if let nulls, nulls.isNull(r) { continue }
                            let g = Int(groups[r])
                            acc[g] = seen[g] ? combine(acc[g], v[r]) : v[r]
                            seen[g] = true
                        }
                    }
                }
            }
        }
    }

    mutating func keepOnly(_ group: Int) {
        acc = acc.keeping(group)
        seen = seen.keeping(group)
    }

    @_specialize(exported: false, kind: full, where T == Int64)
    @_specialize(exported: false, kind: full, where T == Double)
    func finish(groupCount: Int) -> ColumnVector {
        var a = acc, s = seen
        a.grow(to: groupCount, with: .zero)
        s.grow(to: groupCount, with: false)
        var mask = NullMask(count: groupCount)
        for g in 0..<groupCount where !s[g] { mask.setNull(g) }
        return T.column(a, nulls: mask)
    }
}

/// MIN/MAX over strings (UTF-8 order).
///
/// Within a batch each group's candidate is a dictionary id, and rows are
/// compared by their entries' bytes; a `String` is made once per group and
/// batch, when the batch's winner meets the group's value so far.
struct StringAccumulator: Accumulator {
    let kind: AggregateKind
    var acc: [String?] = []
    /// Per group, the batch's best dictionary id so far (-1: none yet); reset
    /// after every batch for the groups in `touched`.
    private var candidate: [Int32] = []
    private var touched: [Int32] = []

    init(kind: AggregateKind) { self.kind = kind }

    mutating func add(_ values: ColumnVector?, groups: [Int32], include: [Bool]?, groupCount: Int) {
        acc.grow(to: groupCount, with: nil)
        candidate.grow(to: groupCount, with: -1)
        guard let values, case .string(let s) = values.data else { return }
        let wantLess = kind == .min
        s.dictionary.withEntries { entries in
            for r in groups.indices where include?[r] ?? true {
                if values.isNull(r) { continue }
                let g = Int(groups[r])
                let id = s.ids[r]
                let current = candidate[g]
                if current < 0 {
                    candidate[g] = id
                    touched.append(Int32(g))
                } else if current != id {
                    let (a, b) = (entries[Int(id)], entries[Int(current)])
                    let better = wantLess ? Self.less(a, b) : Self.less(b, a)
                    if better { candidate[g] = id }
                }
            }
        }
        for g in touched {
            let v = s.dictionary[Int(candidate[Int(g)])]
            candidate[Int(g)] = -1
            if let cur = acc[Int(g)] {
                let less = v.utf8.lexicographicallyPrecedes(cur.utf8)
                if (kind == .min && less) || (kind == .max && !less && v != cur) { acc[Int(g)] = v }
            } else {
                acc[Int(g)] = v
            }
        }
        touched.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private static func less(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        UTF8Order.less(a.baseAddress ?? UnsafePointer(bitPattern: 1)!, a.count, b.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.count)
    }

    mutating func keepOnly(_ group: Int) {
        acc = acc.keeping(group)
        candidate = []
    }

    func finish(groupCount: Int) -> ColumnVector {
        var b = ColumnBuilder(type: .string, capacity: groupCount)
        for g in 0..<groupCount {
            if g < acc.count, let v = acc[g] { b.append(string: v) } else { b.appendNull() }
        }
        return b.finish()
    }
}

/// AVG: sum and count; integer input gives a truncated BIGINT (Calcite's type).
struct AverageAccumulator: Accumulator {
    let integral: Bool
    var sums: [Double] = []
    var longSums: [Int64] = []
    var counts: [Int64] = []
    mutating func add(_ values: ColumnVector?, groups: [Int32], include: [Bool]?, groupCount: Int) {
        sums.grow(to: groupCount, with: 0)
        longSums.grow(to: groupCount, with: 0)
        counts.grow(to: groupCount, with: 0)
        guard let values else { return }
        let d = integral ? [] : values.doubles()
        let l = integral ? values.longs() : []
        for r in groups.indices where include?[r] ?? true {
            if values.isNull(r) { continue }
            let g = Int(groups[r])
            if integral { longSums[g] &+= l[r] } else { sums[g] += d[r] }
            counts[g] += 1
        }
    }
    mutating func keepOnly(_ group: Int) {
        sums = sums.keeping(group)
        longSums = longSums.keeping(group)
        counts = counts.keeping(group)
    }

    func finish(groupCount: Int) -> ColumnVector {
        var mask = NullMask(count: groupCount)
        if integral {
            var out = [Int64](repeating: 0, count: groupCount)
            for g in 0..<groupCount {
                if g < counts.count, counts[g] > 0 { out[g] = longSums[g] / counts[g] } else { mask.setNull(g) }
            }
            return ColumnVector(.long(out), nulls: mask)
        }
        var out = [Double](repeating: 0, count: groupCount)
        for g in 0..<groupCount {
            if g < counts.count, counts[g] > 0 { out[g] = sums[g] / Double(counts[g]) } else { mask.setNull(g) }
        }
        return ColumnVector(.double(out), nulls: mask)
    }
}

/// Any aggregate over DISTINCT values: collects the distinct values per
/// group, then feeds them to the underlying accumulator. Exact. Strings are
/// distinct by their bytes (`ByteStringTable`), as in GROUP BY and Druid.
struct DistinctAccumulator: Accumulator {
    let call: AggregateCall
    let argType: SQLType
    var sets: [Set<ScalarValue>] = []
    /// String values: per group the ids of `strings`.
    var stringSets: [Set<Int32>] = []
    var strings = ByteStringTable()

    init(call: AggregateCall, argType: SQLType) {
        self.call = call
        self.argType = argType
    }

    mutating func add(_ values: ColumnVector?, groups: [Int32], include: [Bool]?, groupCount: Int) {
        sets.grow(to: groupCount, with: [])
        stringSets.grow(to: groupCount, with: [])
        guard let values else { return }
        if case .string(let s) = values.data {
            strings.makeUnique()
            let global = s.dictionary.withEntries { e in (0..<e.count).map { strings.id(of: e[$0]) } }
            for r in groups.indices where include?[r] ?? true {
                if values.isNull(r) { continue }
                stringSets[Int(groups[r])].insert(global[Int(s.ids[r])])
            }
            return
        }
        for r in groups.indices where include?[r] ?? true {
            if values.isNull(r) { continue }
            sets[Int(groups[r])].insert(values.value(at: r))
        }
    }

    mutating func keepOnly(_ group: Int) {
        sets = sets.keeping(group)
        stringSets = stringSets.keeping(group)
    }

    func finish(groupCount: Int) -> ColumnVector {
        var inner = makeAccumulator(AggregateCall(kind: call.kind, argument: call.argument, type: call.type), argType: argType)
        var b = ColumnBuilder(type: argType.nativeType)
        var groups: [Int32] = []
        let stringValues = strings.snapshot()
        for g in 0..<groupCount {
            var values = g < sets.count ? Array(sets[g]) : []
            if g < stringSets.count { values += stringSets[g].map { ScalarValue.string(stringValues[Int($0)]) } }
            for v in values.sorted(by: { $0.renderedString < $1.renderedString }) {
                b.append(v)
                groups.append(Int32(g))
            }
        }
        inner.add(b.finish(), groups: groups, include: nil, groupCount: groupCount)
        return inner.finish(groupCount: groupCount)
    }
}

/// The accumulator for an aggregate call given its argument's type.
func makeAccumulator(_ call: AggregateCall, argType: SQLType?) -> any Accumulator {
    if call.kind.picksValue { return ValuePickerAccumulator(call: call) }
    if call.approximate { return HyperLogLogAccumulator() }
    if call.distinct, let argType { return DistinctAccumulator(call: call, argType: argType) }
    switch call.kind {
    case .count: return CountAccumulator()
    case .avg: return AverageAccumulator(integral: call.type == .bigint)
    case .anyValue, .earliest, .latest, .earliestBy, .latestBy: return ValuePickerAccumulator(call: call)
    case .sum, .min, .max:
        switch call.type {
        case .double, .float: return NumericAccumulator<Double>(kind: call.kind)
        case .varchar: return StringAccumulator(kind: call.kind)
        default: return NumericAccumulator<Int64>(kind: call.kind)
        }
    }
}
