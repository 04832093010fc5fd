internal import DataModel
internal import Foundation

/// Numeric functions.
enum NumericFunctions {
    static func double1(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> ScalarFunction {
        ScalarFunction(name, arity: 1...1, returnType: { _ in .double }) { args, _, _, _, _ throws(HengeError) in
            ColumnVector(.double(args[0].doubles().map(f)), nulls: args[0].numericNulls(asLong: false))
        }
    }

    static let all: [ScalarFunction] = [
        ScalarFunction("ABS", arity: 1...1, returnType: { TypeRules.numeric($0) }) { args, _, result, _, _ throws(HengeError) in
            result == .bigint ? ColumnVector(.long(args[0].longs().map { $0 == .min ? $0 : Swift.abs($0) }), nulls: args[0].nulls)
                : ColumnVector(.double(args[0].doubles().map { Swift.abs($0) }), nulls: args[0].nulls)
        },
        ScalarFunction("FLOOR", arity: 1...1, returnType: { TypeRules.numeric($0) }) { args, _, result, _, _ throws(HengeError) in
            result == .bigint ? args[0] : ColumnVector(.double(args[0].doubles().map { $0.rounded(.down) }), nulls: args[0].nulls)
        },
        ScalarFunction("CEIL", arity: 1...1, returnType: { TypeRules.numeric($0) }) { args, _, result, _, _ throws(HengeError) in
            result == .bigint ? args[0] : ColumnVector(.double(args[0].doubles().map { $0.rounded(.up) }), nulls: args[0].nulls)
        },
        // ROUND(x[, digits]) with HALF_UP, as Druid does.
        ScalarFunction("ROUND", arity: 1...2, returnType: { TypeRules.numeric([$0[0]]) }) { args, types, result, rows, _ throws(HengeError) in
            try mapRowsStrict(args, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                let digits = v.count > 1 ? Int(v[1].longValue ?? 0) : 0
                if result == .bigint {
                    let x = v[0].longValue ?? 0
                    if digits >= 0 { return .long(x) }
                    let p = Int64(pow(10.0, Double(-digits)))
                    let q = (Swift.abs(x) + p / 2) / p * p
                    return .long(x < 0 ? -q : q)
                }
                let x = v[0].doubleValue ?? 0
                guard x.isFinite else { return .double(x) }
                let scale = pow(10.0, Double(digits))
                return .double((x * scale).rounded(.toNearestOrAwayFromZero) / scale)
            }
        },
        ScalarFunction("POWER", arity: 2...2, returnType: { _ in .double }) { args, _, _, rows, _ throws(HengeError) in
            let a = args[0].doubles(), b = args[1].doubles()
            return ColumnVector(.double((0..<rows).map { pow(a[$0], b[$0]) }), nulls: unionNulls(args, count: rows))
        },
        double1("SQRT") { $0.squareRoot() },
        double1("EXP") { Foundation.exp($0) },
        double1("LN") { Foundation.log($0) },
        double1("LOG10") { Foundation.log10($0) },
    ]
}
