internal import DataModel
internal import Foundation

/// Errors raised while evaluating (Druid's expression runtime errors).
enum EvalErrors {
    /// A Java runtime exception inside an expression, e.g. `/ by zero`.
    static func runtime(_ message: String) -> HengeError {
        HengeError(code: "UnknownError", category: .runtimeFailure, message: message)
    }

    /// Druid's `Function[name] ...` validation error.
    static func function(_ name: String, _ message: String) -> HengeError {
        HengeError.invalidInput("Function[\(name)] \(message)")
    }
}

/// Java's `(long) d`: truncation toward zero, saturating, NaN → 0.
@inline(__always)
func javaLong(_ d: Double) -> Int64 {
    if d.isNaN { return 0 }
    if d >= 9.223372036854775807e18 { return .max }
    if d <= -9.223372036854775808e18 { return .min }
    return Int64(d)
}

/// Numeric functions (Druid's `Function.java`, SQL-compatible null handling:
/// NULL in, NULL out).
enum NumericFunctions {
    /// A DOUBLE-valued function of one argument, as a typed loop.
    static func double1(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> ScalarFunction {
        ScalarFunction(name, arity: 1...1, returnType: { _ in .double }) { args, _, _, rows, _ throws(HengeError) in
            let x = args[0].doubles()
            var out = [Double](repeating: 0, count: rows)
            for r in 0..<rows { out[r] = f(x[r]) }
            return ColumnVector(.double(out), nulls: args[0].numericNulls(asLong: false))
        }
    }

    /// A function of one argument keeping BIGINT for integral input.
    static func numeric1(_ name: String, long: @escaping @Sendable (Int64) -> Int64,
                         double: @escaping @Sendable (Double) -> Double) -> ScalarFunction {
        // Calcite keeps a FLOAT argument's type (FLOOR(m1) is FLOAT).
        ScalarFunction(name, arity: 1...1, returnType: { $0[0] == .float ? .float : TypeRules.numeric([$0[0]]) }) {
            args, _, result, rows, _ throws(HengeError) in
            if result == .bigint {
                let x = args[0].longs()
                var out = [Int64](repeating: 0, count: rows)
                for r in 0..<rows { out[r] = long(x[r]) }
                return ColumnVector(.long(out), nulls: args[0].numericNulls(asLong: true))
            }
            let x = args[0].doubles()
            var out = [Double](repeating: 0, count: rows)
            for r in 0..<rows { out[r] = double(x[r]) }
            return ColumnVector(.double(out), nulls: args[0].numericNulls(asLong: false))
        }
    }

    /// Two numeric arguments; `op` sees each non-NULL row and may return nil
    /// for NULL or throw.
    static func binaryRows<T>(_ a: [T], _ b: [T], nulls: NullMask?, rows: Int, zero: T,
                              _ op: (T, T) throws(HengeError) -> T?) throws(HengeError) -> ([T], NullMask?) {
        var out = [T](repeating: zero, count: rows)
        var mask = nulls
        for r in 0..<rows {
            if let nulls, nulls.isNull(r) { continue }
            if let v = try op(a[r], b[r]) {
                out[r] = v
            } else {
                if mask == nil { mask = NullMask(count: rows) }
                mask!.setNull(r)
            }
        }
        return (out, mask)
    }

    static func numericNulls(_ args: [ColumnVector], asLong: Bool, rows: Int) -> NullMask? {
        var m: NullMask? = nil
        for a in args { m = unionMask(m, a.numericNulls(asLong: asLong), count: rows) }
        return m
    }

    static let all: [ScalarFunction] = [
        numeric1("ABS", long: { $0 == .min ? $0 : Swift.abs($0) }, double: { Swift.abs($0) }),
        numeric1("FLOOR", long: { $0 }, double: { $0.rounded(.down) }),
        numeric1("CEIL", long: { $0 }, double: { $0.rounded(.up) }),
        // ROUND(x[, digits]): BigDecimal.valueOf(x).setScale(digits, HALF_UP);
        // NaN → 0, ±Infinity → ±Double.MAX_VALUE (Druid's Function.Round).
        ScalarFunction("ROUND", arity: 1...2, returnType: { TypeRules.numeric([$0[0]]) }) { args, _, result, rows, _ throws(HengeError) in
            let digits = args.count > 1 ? args[1].longs() : [Int64](repeating: 0, count: rows)
            let nulls = numericNulls(args, asLong: result == .bigint, rows: rows)
            if result == .bigint {
                let x = args[0].longs()
                let (out, mask) = try binaryRows(x, digits, nulls: nulls, rows: rows, zero: 0) { (v: Int64, d: Int64) throws(HengeError) -> Int64? in
                    roundLong(v, Int(clamping: d))
                }
                return ColumnVector(.long(out), nulls: mask)
            }
            let x = args[0].doubles()
            var out = [Double](repeating: 0, count: rows)
            for r in 0..<rows where nulls?.isNull(r) != true {
                var v = x[r]
                if v.isNaN { v = 0 } else if v.isInfinite { v = v < 0 ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude }
                out[r] = JavaNumbers.roundHalfUp(v, scale: Int(clamping: digits[r]))
            }
            return ColumnVector(.double(out), nulls: nulls)
        },
        // TRUNCATE(x[, digits]) is Druid's `cast(cast(x * f, 'long'), 'double') / f`
        // with f = 10^digits (TruncateOperatorConversion).
        truncate("TRUNCATE"), truncate("TRUNC"),
        ScalarFunction("POWER", arity: 2...2, returnType: { _ in .double }) { args, _, _, rows, _ throws(HengeError) in
            let a = args[0].doubles(), b = args[1].doubles()
            var out = [Double](repeating: 0, count: rows)
            for r in 0..<rows { out[r] = Foundation.pow(a[r], b[r]) }
            return ColumnVector(.double(out), nulls: numericNulls(args, asLong: false, rows: rows))
        },
        double1("SQRT") { $0.squareRoot() },
        double1("EXP") { JavaNumbers.exp($0) },
        double1("LN") { Foundation.log($0) },
        double1("LOG10") { Foundation.log10($0) },
        double1("SIN") { Foundation.sin($0) },
        double1("COS") { Foundation.cos($0) },
        double1("TAN") { Foundation.tan($0) },
        double1("COT") { Foundation.cos($0) / Foundation.sin($0) },
        double1("ASIN") { Foundation.asin($0) },
        double1("ACOS") { Foundation.acos($0) },
        double1("ATAN") { Foundation.atan($0) },
        double1("DEGREES") { $0 / Double.pi * 180.0 },
        double1("RADIANS") { $0 / 180.0 * Double.pi },
        ScalarFunction("ATAN2", arity: 2...2, returnType: { _ in .double }) { args, _, _, rows, _ throws(HengeError) in
            let a = args[0].doubles(), b = args[1].doubles()
            var out = [Double](repeating: 0, count: rows)
            for r in 0..<rows { out[r] = Foundation.atan2(a[r], b[r]) }
            return ColumnVector(.double(out), nulls: numericNulls(args, asLong: false, rows: rows))
        },
        ScalarFunction("PI", arity: 0...0, returnType: { _ in .double }) { _, _, _, rows, _ throws(HengeError) in
            ColumnVector(.double([Double](repeating: Double.pi, count: rows)))
        },
        // SAFE_DIVIDE(x, y): NULL when y is 0 (doubles: 0 / 0 and 0 / NaN give 0).
        ScalarFunction("SAFE_DIVIDE", arity: 2...2, returnType: { TypeRules.numeric($0) }) { args, _, result, rows, _ throws(HengeError) in
            if result == .bigint {
                let nulls = numericNulls(args, asLong: true, rows: rows)
                let (out, mask) = try binaryRows(args[0].longs(), args[1].longs(), nulls: nulls, rows: rows, zero: 0) {
                    (x: Int64, y: Int64) throws(HengeError) -> Int64? in
                    y == 0 ? nil : (x == .min && y == -1 ? .min : x / y)
                }
                return ColumnVector(.long(out), nulls: mask)
            }
            let nulls = numericNulls(args, asLong: false, rows: rows)
            let (out, mask) = try binaryRows(args[0].doubles(), args[1].doubles(), nulls: nulls, rows: rows, zero: 0.0) {
                (x: Double, y: Double) throws(HengeError) -> Double? in
                if y == 0 || y.isNaN { return x != 0 ? nil : 0.0 }
                return x / y
            }
            return ColumnVector(.double(out), nulls: mask)
        },
        // DIV(x, y): integer division (doubles divide, then truncate).
        ScalarFunction("DIV", arity: 2...2, returnType: { _ in .bigint }) { args, types, _, rows, _ throws(HengeError) in
            if TypeRules.numeric(types) == .bigint {
                let nulls = numericNulls(args, asLong: true, rows: rows)
                let (out, mask) = try binaryRows(args[0].longs(), args[1].longs(), nulls: nulls, rows: rows, zero: 0) {
                    (x: Int64, y: Int64) throws(HengeError) -> Int64? in
                    if y == 0 { throw EvalErrors.runtime("/ by zero") }
                    return x == .min && y == -1 ? .min : x / y
                }
                return ColumnVector(.long(out), nulls: mask)
            }
            let a = args[0].doubles(), b = args[1].doubles()
            var out = [Int64](repeating: 0, count: rows)
            for r in 0..<rows { out[r] = javaLong(a[r] / b[r]) }
            return ColumnVector(.long(out), nulls: numericNulls(args, asLong: false, rows: rows))
        },
    ]

    /// `BigDecimal.valueOf(x).setScale(digits, HALF_UP).longValue()`.
    static func roundLong(_ x: Int64, _ digits: Int) -> Int64 {
        if digits >= 0 || x == 0 { return x }
        if digits <= -19 { return 0 }
        var p: Int64 = 1
        for _ in 0..<(-digits) { p &*= 10 }
        let mag = x.magnitude
        let pm = UInt64(p)
        var q = mag / pm * pm
        if mag % pm >= pm / 2 { q &+= pm }
        let r = Int64(truncatingIfNeeded: q)
        return x < 0 ? 0 &- r : r
    }

    static func truncate(_ name: String) -> ScalarFunction {
        ScalarFunction(name, arity: 1...2, returnType: { TypeRules.numeric([$0[0]]) }) { args, _, result, rows, _ throws(HengeError) in
            let digits = args.count > 1 ? args[1].longs() : [Int64](repeating: 0, count: rows)
            let nulls = numericNulls(args, asLong: false, rows: rows)
            let x = args[0].doubles()
            var out = [Double](repeating: 0, count: rows)
            for r in 0..<rows where nulls?.isNull(r) != true {
                let d = digits[r]
                let factor = d == 0 ? 1.0 : Foundation.pow(10.0, Double(d))
                out[r] = Double(javaLong(x[r] * factor)) / factor
            }
            if result == .bigint {
                if case .long(let exact) = args[0].data, !digits.contains(where: { $0 < 0 }) {
                    return ColumnVector(.long(exact), nulls: nulls)
                }
                return ColumnVector(.long(out.map(javaLong)), nulls: nulls)
            }
            return ColumnVector(.double(out), nulls: nulls)
        }
    }
}
