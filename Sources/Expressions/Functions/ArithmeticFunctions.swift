internal import DataModel

/// `+ - * / %` with Druid's rules: integer arithmetic when both sides are
/// integral (so BIGINT / BIGINT truncates toward zero), else DOUBLE (IEEE:
/// `1.0 / 0` is Infinity). Integer division or modulo by zero fails the
/// query with Java's `/ by zero`, as Druid's expression evaluation does.
enum ArithmeticFunctions {
    static let all: [ScalarFunction] = [
        make("ADD", { $0 &+ $1 }, { $0 + $1 }),
        make("SUBTRACT", { $0 &- $1 }, { $0 - $1 }),
        make("MULTIPLY", { $0 &* $1 }, { $0 * $1 }),
        make("DIVIDE", { (a: Int64, b: Int64) throws(HengeError) -> Int64 in
            if b == 0 { throw EvalErrors.runtime("/ by zero") }
            return a == .min && b == -1 ? .min : a / b
        }, { $0 / $1 }),
        make("MOD", { (a: Int64, b: Int64) throws(HengeError) -> Int64 in
            if b == 0 { throw EvalErrors.runtime("/ by zero") }
            return b == -1 ? 0 : a % b
        }, { $0.truncatingRemainder(dividingBy: $1) }),
        ScalarFunction("NEGATE", arity: 1...1, returnType: { TypeRules.numeric($0) }) { args, _, result, rows, _ throws(HengeError) in
            result == .bigint
                ? ColumnVector(.long(args[0].longs().map { 0 &- $0 }), nulls: args[0].numericNulls(asLong: true))
                : ColumnVector(.double(args[0].doubles().map { -$0 }), nulls: args[0].numericNulls(asLong: false))
        },
    ]

    static func make(_ name: String, _ longOp: @escaping @Sendable (Int64, Int64) throws(HengeError) -> Int64,
                     _ doubleOp: @escaping @Sendable (Double, Double) -> Double) -> ScalarFunction {
        ScalarFunction(name, arity: 2...2, returnType: { types throws(HengeError) in
            TypeRules.numeric(types)  // strings are coerced to numbers, as Calcite does for literals
        }) { args, _, result, rows, _ throws(HengeError) in
            if result == .bigint {
                let nulls = NumericFunctions.numericNulls(args, asLong: true, rows: rows)
                var out = [Int64](repeating: 0, count: rows)
                // Constant right-hand sides (x / 2, x % 7) skip the per-row checks.
                if let c = args[1].constantValue?.longValue, nulls == nil || args[1].nulls == nil, c != 0 {
                    let a = args[0].longs()
                    for r in 0..<rows { out[r] = try longOp(a[r], c) }
                    return ColumnVector(.long(out), nulls: nulls)
                }
                let a = args[0].longs(), b = args[1].longs()
                if let nulls {
                    for r in 0..<rows where !nulls.isNull(r) { out[r] = try longOp(a[r], b[r]) }
                } else {
                    for r in 0..<rows { out[r] = try longOp(a[r], b[r]) }
                }
                return ColumnVector(.long(out), nulls: nulls)
            }
            let a = args[0].doubles(), b = args[1].doubles()
            var out = [Double](repeating: 0, count: rows)
            for r in 0..<rows { out[r] = doubleOp(a[r], b[r]) }
            return ColumnVector(.double(out), nulls: NumericFunctions.numericNulls(args, asLong: false, rows: rows))
        }
    }
}
