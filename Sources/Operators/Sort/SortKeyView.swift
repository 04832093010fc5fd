internal import DataModel
internal import Foundation

/// A typed, comparison-ready view of one sort column of one batch.
///
/// `BatchSorter` compares rows of one batch through it and `RunMerger`
/// rows of different batches, so both order rows the same way: NULLs per
/// `nullsFirst`, numbers by value (FLOAT widened to DOUBLE, NaN last),
/// strings by their UTF-8 bytes, multi-value rows by their rendered text.
/// `KeyNormalizer` encodes the same order into integers.
struct SortKeyView {
    enum Values {
        case long([Int64])
        case double([Double])
        case string(ids: [Int32], dictionary: [String])
    }

    let values: Values
    let nulls: NullMask?

    init(_ c: ColumnVector) {
        nulls = c.nulls
        switch c.data {
        case .long(let v): values = .long(v)
        case .double(let v): values = .double(v)
        case .float(let v): values = .double(v.map(Double.init))
        case .string(let s): values = .string(ids: s.ids, dictionary: s.dictionary)
        case .multiString:
            // Multi-value rows order by their rendered text, as results show them.
            let rendered = c.renderedSingleValued()
            guard case .string(let s) = rendered.data else { preconditionFailure("rendered column is not STRING") }
            values = .string(ids: s.ids, dictionary: s.dictionary)
        }
    }

    /// True when the comparison of a and b was decided by NULLs (which do not flip with DESC).
    @inline(__always)
    func nullDecided(_ a: Int, _ b: Int) -> Bool {
        guard let nulls else { return false }
        return nulls.isNull(a) || nulls.isNull(b)
    }

    /// -1, 0 or 1 for rows a and b (NULLs placed per `nullsFirst`, before DESC is applied).
    @inline(__always)
    func compare(_ a: Int, _ b: Int, nullsFirst: Bool) -> Int {
        if let nulls {
            let na = nulls.isNull(a), nb = nulls.isNull(b)
            if na || nb {
                if na && nb { return 0 }
                return na == nullsFirst ? -1 : 1
            }
        }
        switch values {
        case .long(let v): return v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
        case .double(let v): return SortKeyView.compareDoubles(v[a], v[b])
        case .string(let ids, let dictionary):
            let ia = ids[a], ib = ids[b]
            if ia == ib { return 0 }
            return SortKeyView.compareUTF8(dictionary[Int(ia)], dictionary[Int(ib)])
        }
    }

    /// Row `a` of `x` against row `b` of `y` (views of the same column in two
    /// batches): -1, 0 or 1, with DESC applied.
    @inline(__always)
    static func compare(_ x: SortKeyView, _ a: Int, _ y: SortKeyView, _ b: Int, _ key: SortColumn) -> Int {
        let na = x.nulls?.isNull(a) ?? false, nb = y.nulls?.isNull(b) ?? false
        if na || nb {
            if na && nb { return 0 }
            return na == key.nullsFirst ? -1 : 1
        }
        let c: Int
        switch (x.values, y.values) {
        case (.long(let v), .long(let w)): c = v[a] < w[b] ? -1 : (v[a] > w[b] ? 1 : 0)
        case (.double(let v), .double(let w)): c = compareDoubles(v[a], w[b])
        case (.string(let ids, let dictionary), .string(let otherIDs, let otherDictionary)):
            c = compareUTF8(dictionary[Int(ids[a])], otherDictionary[Int(otherIDs[b])])
        case (.long(let v), .double(let w)): c = Double(v[a]) < w[b] ? -1 : (Double(v[a]) > w[b] ? 1 : 0)
        case (.double(let v), .long(let w)): c = v[a] < Double(w[b]) ? -1 : (v[a] > Double(w[b]) ? 1 : 0)
        default: preconditionFailure("SortKeyView: comparing a string column with a number column")
        }
        return key.descending ? -c : c
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
