package import DataModel

/// All scalar functions and operators, by upper-case name.
package enum FunctionRegistry {
    package static let functions: [String: ScalarFunction] = {
        var m: [String: ScalarFunction] = [:]
        let all = ArithmeticFunctions.all + ComparisonFunctions.all + LogicFunctions.all + StringFunctions.all
            + TimeFunctions.all + NumericFunctions.all + [CastFunction.function] + DistinctFromFunctions.all
            + MultiValueFunctions.all
        for f in all { m[f.name] = f }
        return m
    }()

    /// Aliases Druid accepts for the same function.
    static let aliases: [String: String] = ["NVL": "COALESCE", "IFNULL": "COALESCE", "POW": "POWER", "MOD": "MOD",
                                            "CEILING": "CEIL", "LOCALTIMESTAMP": "CURRENT_TIMESTAMP"]

    package static func lookup(_ name: String) -> ScalarFunction? {
        let upper = name.uppercased()
        return functions[aliases[upper] ?? upper]
    }

    /// The canonical name for an alias (`NVL` → `COALESCE`).
    package static func canonicalName(_ name: String) -> String {
        let upper = name.uppercased()
        return aliases[upper] ?? upper
    }

    /// Binds a call: checks arity and computes the result type.
    package static func bind(_ name: String, _ args: [ScalarExpr]) throws(HengeError) -> ScalarExpr {
        let canonical = canonicalName(name)
        guard let f = functions[canonical] else {
            throw HengeError.invalidInput("No match found for function signature \(name)(\(args.map { "<\($0.type)>" }.joined(separator: ", ")))")
        }
        guard f.arity.contains(args.count) else {
            throw HengeError.invalidInput("Invalid number of arguments to function '\(name)'. Was expecting \(arityText(f.arity)) arguments")
        }
        return .call(canonical, args, try f.returnType(args.map(\.type)))
    }

    static func arityText(_ r: ClosedRange<Int>) -> String {
        r.lowerBound == r.upperBound ? "\(r.lowerBound)" : r.upperBound == Int.max ? "at least \(r.lowerBound)" : "\(r.lowerBound) to \(r.upperBound)"
    }
}
