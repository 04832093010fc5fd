internal import DataModel

/// `+ - * / %` with Druid's rules: integer arithmetic when both sides are
/// integral (so BIGINT / BIGINT truncates), else DOUBLE; division or modulo
/// by integer zero gives NULL.
enum ArithmeticFunctions {
    static let all: [ScalarFunction] = [
        make("ADD", { $0 &+ $1 }, { $0 + $1 }),
        make("SUBTRACT", { $0 &- $1 }, { $0 - $1 }),
        make("MULTIPLY", { $0 &* $1 }, { $0 * $1 }),
        make("DIVIDE", { $1 == 0 ? nil : ($0 == .min && $1 == -1 ? .min : $0 / $1) }, { $0 / $1 }),
        make("MOD", { $1 == 0 ? nil : ($1 == -1 ? 0 : $0 % $1) }, { $0.truncatingRemainder(dividingBy: $1) }),
        ScalarFunction("NEGATE", arity: 1...1, returnType: { TypeRules.numeric($0) }) { args, _, result, rows, _ throws(HengeError) in
            result == .bigint
                ? ColumnVector(.long(args[0].longs().map { 0 &- $0 }), nulls: args[0].numericNulls(asLong: true))
                : ColumnVector(.double(args[0].doubles().map { -$0 }), nulls: args[0].numericNulls(asLong: false))
        },
    ]

    static func make(_ name: String, _ longOp: @escaping @Sendable (Int64, Int64) -> Int64?,
                     _ doubleOp: @escaping @Sendable (Double, Double) -> Double) -> ScalarFunction {
        ScalarFunction(name, arity: 2...2, returnType: { types throws(HengeError) in
            for t in types where t == .varchar {
                _ = t  // strings are coerced to numbers, as Calcite does for literals
            }
            return TypeRules.numeric(types)
        }) { args, _, result, rows, _ throws(HengeError) in
            if result == .bigint {
                let a = args[0].longs(), b = args[1].longs()
                var nulls = unionNulls([ColumnVector(args[0].data, nulls: args[0].numericNulls(asLong: true)),
                                        ColumnVector(args[1].data, nulls: args[1].numericNulls(asLong: true))], count: rows)
                var out = [Int64](repeating: 0, count: rows)
                for r in 0..<rows {
                    if let v = longOp(a[r], b[r]) {
                        out[r] = v
                    } else if nulls?.isNull(r) != true {
                        if nulls == nil { nulls = NullMask(count: rows) }
                        nulls!.setNull(r)
                    }
                }
                return ColumnVector(.long(out), nulls: nulls)
            }
            let a = args[0].doubles(), b = args[1].doubles()
            var out = [Double](repeating: 0, count: rows)
            for r in 0..<rows { out[r] = doubleOp(a[r], b[r]) }
            let nulls = unionNulls([ColumnVector(args[0].data, nulls: args[0].numericNulls(asLong: false)),
                                    ColumnVector(args[1].data, nulls: args[1].numericNulls(asLong: false))], count: rows)
            return ColumnVector(.double(out), nulls: nulls)
        }
    }
}
