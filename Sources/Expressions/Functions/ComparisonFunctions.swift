internal import DataModel

/// `= <> < <= > >=`: numeric comparison when either side is numeric or a
/// timestamp, else string comparison (by UTF-8 code units, like Java's
/// `String.compareTo` for BMP text). NULL on either side gives NULL.
enum ComparisonFunctions {
    static let all: [ScalarFunction] = [
        make("EQUALS") { $0 == 0 },
        make("NOT_EQUALS") { $0 != 0 },
        make("LESS_THAN") { $0 < 0 },
        make("LESS_THAN_OR_EQUAL") { $0 <= 0 },
        make("GREATER_THAN") { $0 > 0 },
        make("GREATER_THAN_OR_EQUAL") { $0 >= 0 },
    ]

    static func make(_ name: String, _ test: @escaping @Sendable (Int) -> Bool) -> ScalarFunction {
        ScalarFunction(name, arity: 2...2, returnType: { _ in .boolean }) { args, types, _, rows, _ throws(HengeError) in
            let (a, b) = (args[0], args[1])
            if let element = types[0].arrayElement ?? types[1].arrayElement {
                // Arrays compare element by element (`NestedValue.compareArrays`).
                return try evaluateDistinct(args, rowCount: rows, resultType: .boolean) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                    guard case .string(let x) = v[0], case .string(let y) = v[1] else { return .null }
                    return .long(test(NestedValue.compareArrays(x, y, element: element.nativeType)) ? 1 : 0)
                }
            }
            let stringCompare = types[0] == .varchar && types[1] == .varchar
                || (types[0] == .varchar && types[1] == .null) || (types[0] == .null && types[1] == .varchar)
            var out = [Int64](repeating: 0, count: rows)
            if stringCompare {
                let sa = a.strings(type: types[0]), sb = b.strings(type: types[1])
                // A side without dictionary entries holds only NULLs (no id may be read).
                if sa.dictionary.isEmpty || sb.dictionary.isEmpty {
                    var mask = NullMask(count: rows)
                    for r in 0..<rows { mask.setNull(r) }
                    return ColumnVector(.long(out), nulls: mask)
                }
                // Compare dictionary entries once when one side is constant.
                if sb.dictionary.count == 1 {
                    let rhs = sb.dictionary[0]
                    let results = sa.dictionary.map { test(compare($0, rhs)) ? Int64(1) : 0 }
                    for r in 0..<rows { out[r] = results[Int(sa.ids[r])] }
                } else {
                    // Each entry made a String once, not each row's.
                    let xs = Array(sa.dictionary), ys = Array(sb.dictionary)
                    for r in 0..<rows { out[r] = test(compare(xs[Int(sa.ids[r])], ys[Int(sb.ids[r])])) ? 1 : 0 }
                }
                return ColumnVector(.long(out), nulls: unionNulls([a, b], count: rows))
            }
            let integral = TypeRules.numeric(types) == .bigint
            if integral {
                let x = a.longs(), y = b.longs()
                for r in 0..<rows { out[r] = test(x[r] < y[r] ? -1 : (x[r] > y[r] ? 1 : 0)) ? 1 : 0 }
                let nulls = unionNulls([ColumnVector(a.data, nulls: a.numericNulls(asLong: true)),
                                        ColumnVector(b.data, nulls: b.numericNulls(asLong: true))], count: rows)
                return ColumnVector(.long(out), nulls: nulls)
            }
            let x = a.doubles(), y = b.doubles()
            for r in 0..<rows { out[r] = test(x[r] < y[r] ? -1 : (x[r] > y[r] ? 1 : 0)) ? 1 : 0 }
            let nulls = unionNulls([ColumnVector(a.data, nulls: a.numericNulls(asLong: false)),
                                    ColumnVector(b.data, nulls: b.numericNulls(asLong: false))], count: rows)
            return ColumnVector(.long(out), nulls: nulls)
        }
    }

    /// Orders strings by UTF-8 bytes.
    @inline(__always)
    static func compare(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
}
