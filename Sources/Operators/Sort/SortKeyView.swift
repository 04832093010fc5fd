internal import DataModel
internal import Foundation

/// A comparison-ready copy of one sort column of one batch, in raw memory
/// it owns, so comparing rows costs no reference counting: numbers as a
/// flat array, strings as their ids plus the dictionary's UTF-8 bytes laid
/// end to end.
///
/// `BatchSorter` compares rows of one batch through it and `RunMerger`
/// rows of different batches, so both order rows the same way: NULLs per
/// `nullsFirst`, numbers by value (FLOAT widened to DOUBLE, -0.0 equal to
/// 0.0, NaN after every number), strings by their UTF-8 bytes, multi-value
/// rows by their rendered text, ARRAY columns (canonical JSON text) element
/// by element. `KeyNormalizer` encodes the same order into integers (all
/// but arrays).
final class SortKeyView {
    enum Kind { case long, double, string, array }

    let kind: Kind
    private let nullWords: UnsafeMutablePointer<UInt64>?
    private let longs: UnsafeMutablePointer<Int64>?
    private let doubles: UnsafeMutablePointer<Double>?
    private let ids: UnsafeMutablePointer<Int32>?
    /// Start of dictionary entry `i`'s bytes in `bytes` (entry count + 1 offsets).
    private let offsets: UnsafeMutablePointer<Int>?
    private let bytes: UnsafeMutablePointer<UInt8>?
    /// ARRAY columns: the dictionary's JSON texts and the element type.
    private let arrayDictionary: [String]
    private let arrayElement: ColumnType?

    /// A view of `column`; `type` tells ARRAY columns (stored as JSON text)
    /// from plain strings.
    init(_ column: ColumnVector, type: ColumnType) {
        if let nulls = column.nulls {
            let words = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, nulls.words.count))
            nulls.words.withUnsafeBufferPointer { words.initialize(from: $0.baseAddress!, count: $0.count) }
            nullWords = words
        } else {
            nullWords = nil
        }
        var longs: UnsafeMutablePointer<Int64>? = nil, doubles: UnsafeMutablePointer<Double>? = nil
        var ids: UnsafeMutablePointer<Int32>? = nil, offsets: UnsafeMutablePointer<Int>? = nil, bytes: UnsafeMutablePointer<UInt8>? = nil
        func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
            values.withUnsafeBufferPointer { if let base = $0.baseAddress { p.initialize(from: base, count: $0.count) } }
            return p
        }
        var arrayDictionary: [String] = []
        arrayElement = type.arrayElement
        switch column.data {
        case .string(let s) where type.arrayElement != nil:
            kind = .array
            ids = copy(s.ids)
            arrayDictionary = Array(s.dictionary)
        case .long(let v):
            kind = .long
            longs = copy(v)
        case .double(let v):
            kind = .double
            doubles = copy(v)
        case .float(let v):
            kind = .double
            doubles = copy(v.map(Double.init))
        case .string, .multiString:
            kind = .string
            // Multi-value rows order by their rendered text, as results show them.
            let rendered = column.isMultiValue ? column.renderedSingleValued() : column
            guard case .string(let s) = rendered.data else { preconditionFailure("rendered column is not STRING") }
            ids = copy(s.ids)
            offsets = copy(s.dictionary.offsets)
            bytes = copy(s.dictionary.bytes)
        }
        self.arrayDictionary = arrayDictionary
        self.longs = longs
        self.doubles = doubles
        self.ids = ids
        self.offsets = offsets
        self.bytes = bytes
    }

    deinit {
        nullWords?.deallocate()
        longs?.deallocate()
        doubles?.deallocate()
        ids?.deallocate()
        offsets?.deallocate()
        bytes?.deallocate()
    }

    @inline(__always)
    func isNull(_ row: Int) -> Bool {
        guard let nullWords else { return false }
        return nullWords[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// True when the comparison of a and b was decided by NULLs (which do not flip with DESC).
    @inline(__always)
    func nullDecided(_ a: Int, _ b: Int) -> Bool { isNull(a) || isNull(b) }

    /// -1, 0 or 1 for rows a and b (NULLs placed per `nullsFirst`, before DESC is applied).
    @inline(__always)
    func compare(_ a: Int, _ b: Int, nullsFirst: Bool) -> Int {
        if nullWords != nil {
            let na = isNull(a), nb = isNull(b)
            if na || nb {
                if na && nb { return 0 }
                return na == nullsFirst ? -1 : 1
            }
        }
        return SortKeyView.compareValues(self, a, self, b)
    }

    /// Row `a` of `x` against row `b` of `y` (views of the same column in two
    /// batches): -1, 0 or 1, with DESC applied.
    @inline(__always)
    static func compare(_ x: SortKeyView, _ a: Int, _ y: SortKeyView, _ b: Int, _ key: SortColumn) -> Int {
        let na = x.isNull(a), nb = y.isNull(b)
        if na || nb {
            if na && nb { return 0 }
            return na == key.nullsFirst ? -1 : 1
        }
        let c = compareValues(x, a, y, b)
        return key.descending ? -c : c
    }

    /// The non-NULL values of row `a` of `x` and row `b` of `y`.
    @inline(__always)
    private static func compareValues(_ x: SortKeyView, _ a: Int, _ y: SortKeyView, _ b: Int) -> Int {
        switch (x.kind, y.kind) {
        case (.long, .long):
            let v = x.longs![a], w = y.longs![b]
            return v < w ? -1 : (v > w ? 1 : 0)
        case (.double, .double): return compareDoubles(x.doubles![a], y.doubles![b])
        case (.string, .string):
            let i = Int(x.ids![a]), j = Int(y.ids![b])
            if x === y && i == j { return 0 }
            let xs = x.offsets![i], xe = x.offsets![i + 1], ys = y.offsets![j], ye = y.offsets![j + 1]
            let lx = xe - xs, ly = ye - ys
            let n = min(lx, ly)
            if n > 0 {
                let c = memcmp(x.bytes! + xs, y.bytes! + ys, n)
                if c != 0 { return c < 0 ? -1 : 1 }
            }
            return lx < ly ? -1 : (lx > ly ? 1 : 0)
        case (.array, .array):
            let i = Int(x.ids![a]), j = Int(y.ids![b])
            if x === y && i == j { return 0 }
            return NestedValue.compareArrays(x.arrayDictionary[i], y.arrayDictionary[j], element: x.arrayElement!)
        case (.long, .double): return compareDoubles(Double(x.longs![a]), y.doubles![b])
        case (.double, .long): return compareDoubles(x.doubles![a], Double(y.longs![b]))
        default: preconditionFailure("SortKeyView: comparing a string column with a number column")
        }
    }

    /// Orders doubles by value (-0.0 equals 0.0), NaN after every number.
    @inline(__always)
    static func compareDoubles(_ x: Double, _ y: Double) -> Int {
        if x < y { return -1 }
        if x > y { return 1 }
        if x == y { return 0 }
        return x.isNaN ? (y.isNaN ? 0 : 1) : -1
    }

    /// Orders strings by their UTF-8 bytes (memcmp on contiguous storage).
    @inline(__always)
    static func compareUTF8(_ x: String, _ y: String) -> Int {
        var x = x, y = y
        return x.withUTF8 { bx in
            y.withUTF8 { by in
                let n = min(bx.count, by.count)
                if n > 0, let px = bx.baseAddress, let py = by.baseAddress {
                    let c = memcmp(px, py, n)
                    if c != 0 { return c < 0 ? -1 : 1 }
                }
                return bx.count < by.count ? -1 : (bx.count > by.count ? 1 : 0)
            }
        }
    }
}
