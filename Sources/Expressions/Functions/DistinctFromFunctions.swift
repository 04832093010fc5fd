internal import DataModel

/// `IS [NOT] DISTINCT FROM`: equality where NULL equals NULL; never NULL.
enum DistinctFromFunctions {
    static let all: [ScalarFunction] = [make("IS_DISTINCT_FROM", distinct: true), make("IS_NOT_DISTINCT_FROM", distinct: false)]

    static func make(_ name: String, distinct: Bool) -> ScalarFunction {
        ScalarFunction(name, arity: 2...2, returnType: { _ in .boolean }) { args, types, _, rows, _ throws(HengeError) in
            try mapRows(args, rowCount: rows, resultType: .boolean) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                let same: Bool
                switch (v[0].isNull, v[1].isNull) {
                case (true, true): same = true
                case (false, false): same = LogicFunctions.valuesEqual(v[0], v[1], types[0], types[1])
                default: same = false
                }
                return .long(same != distinct ? 1 : 0)
            }
        }
    }
}
