internal import DataModel

/// Boolean logic with SQL three-valued NULLs, NULL tests, IN, CASE,
/// COALESCE/NVL/NULLIF.
enum LogicFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("AND", arity: 2...Int.max, returnType: { _ in .boolean }) { args, _, _, rows, _ throws(HengeError) in
            threeValued(args, rows: rows, isAnd: true)
        },
        ScalarFunction("OR", arity: 2...Int.max, returnType: { _ in .boolean }) { args, _, _, rows, _ throws(HengeError) in
            threeValued(args, rows: rows, isAnd: false)
        },
        ScalarFunction("NOT", arity: 1...1, returnType: { _ in .boolean }) { args, _, _, rows, _ throws(HengeError) in
            ColumnVector(.long(args[0].longs().map { $0 == 0 ? 1 : 0 }), nulls: args[0].nulls)
        },
        ScalarFunction("IS_NULL", arity: 1...1, returnType: { _ in .boolean }) { args, _, _, rows, _ throws(HengeError) in
            ColumnVector(.long((0..<rows).map { args[0].isNull($0) ? 1 : 0 }))
        },
        ScalarFunction("IS_NOT_NULL", arity: 1...1, returnType: { _ in .boolean }) { args, _, _, rows, _ throws(HengeError) in
            ColumnVector(.long((0..<rows).map { args[0].isNull($0) ? 0 : 1 }))
        },
        ScalarFunction("IS_TRUE", arity: 1...1, returnType: { _ in .boolean }) { args, _, _, rows, _ throws(HengeError) in
            let v = args[0].longs()
            return ColumnVector(.long((0..<rows).map { !args[0].isNull($0) && v[$0] != 0 ? 1 : 0 }))
        },
        ScalarFunction("IS_FALSE", arity: 1...1, returnType: { _ in .boolean }) { args, _, _, rows, _ throws(HengeError) in
            let v = args[0].longs()
            return ColumnVector(.long((0..<rows).map { !args[0].isNull($0) && v[$0] == 0 ? 1 : 0 }))
        },
        // IN(x, v1, v2, ...): TRUE if x equals any value; NULL if x is NULL, or if no
        // value matched and a value is NULL.
        ScalarFunction("IN", arity: 2...Int.max, returnType: { _ in .boolean }) { args, types, _, rows, _ throws(HengeError) in
            let probe = args[0]
            let cmpType = types[0]
            return try mapRows(args, rowCount: rows, resultType: .boolean) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                if v[0].isNull { return .null }
                var sawNull = false
                for i in 1..<v.count {
                    if v[i].isNull { sawNull = true; continue }
                    if valuesEqual(v[0], v[i], cmpType, types[i]) { return .long(1) }
                }
                _ = probe
                return sawNull ? .null : .long(0)
            }
        },
        // CASE(cond1, result1, cond2, result2, ..., [else])
        ScalarFunction("CASE", arity: 2...Int.max, returnType: { types in
            TypeRules.common(stride(from: 1, to: types.count, by: 2).map { types[$0] } + (types.count % 2 == 1 ? [types.last!] : []))
        }) {
            args, types, result, rows, _ throws(HengeError) in
            try mapRows(args, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                var i = 0
                while i + 1 < v.count {
                    if let c = v[i].longValue, c != 0 { return coerce(v[i + 1], from: types[i + 1], to: result) }
                    i += 2
                }
                return v.count % 2 == 1 ? coerce(v[v.count - 1], from: types[v.count - 1], to: result) : .null
            }
        },
        ScalarFunction("COALESCE", arity: 1...Int.max, returnType: { TypeRules.common($0) }) { args, types, result, rows, _ throws(HengeError) in
            try mapRows(args, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                for (i, x) in v.enumerated() where !x.isNull { return coerce(x, from: types[i], to: result) }
                return .null
            }
        },
        ScalarFunction("NULLIF", arity: 2...2, returnType: { $0[0] }) { args, types, result, rows, _ throws(HengeError) in
            try mapRows(args, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                !v[0].isNull && !v[1].isNull && valuesEqual(v[0], v[1], types[0], types[1]) ? .null : v[0]
            }
        },
    ]

    static func threeValued(_ args: [ColumnVector], rows: Int, isAnd: Bool) -> ColumnVector {
        var out = [Int64](repeating: isAnd ? 1 : 0, count: rows)
        var nulls = NullMask(count: rows)
        var anyNull = false
        let values = args.map { $0.longs() }
        for r in 0..<rows {
            var sawNull = false
            var decided = false
            for (i, a) in args.enumerated() {
                if a.isNull(r) { sawNull = true; continue }
                let truth = values[i][r] != 0
                if isAnd && !truth { out[r] = 0; decided = true; break }
                if !isAnd && truth { out[r] = 1; decided = true; break }
            }
            if !decided && sawNull { nulls.setNull(r); anyNull = true }
        }
        return ColumnVector(.long(out), nulls: anyNull ? nulls : nil)
    }

    /// Equality across types as comparisons do (numbers numerically).
    static func valuesEqual(_ a: ScalarValue, _ b: ScalarValue, _ ta: SQLType, _ tb: SQLType) -> Bool {
        if ta == .varchar && tb == .varchar { return a.stringValue == b.stringValue }
        if TypeRules.numeric([ta, tb]) == .bigint, let x = a.longValue, let y = b.longValue { return x == y }
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return a.stringValue == b.stringValue
    }

    /// Converts a branch value to the common result type.
    static func coerce(_ v: ScalarValue, from: SQLType, to: SQLType) -> ScalarValue {
        if v.isNull || from == to { return v }
        if to == .varchar { return ScalarRendering.text(v, type: from).map(ScalarValue.string) ?? .null }
        return v.cast(to: to.nativeType)
    }
}
