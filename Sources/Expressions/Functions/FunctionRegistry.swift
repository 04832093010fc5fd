package import DataModel

/// All scalar functions and operators, by upper-case name.
package enum FunctionRegistry {
    package static let functions: [String: ScalarFunction] = {
        var m: [String: ScalarFunction] = [:]
        let all = ArithmeticFunctions.all + ComparisonFunctions.all + LogicFunctions.all + StringFunctions.all
            + TimeFunctions.all + NumericFunctions.all + [CastFunction.function] + DistinctFromFunctions.all
            + MultiValueFunctions.all + ArrayFunctions.all + JSONFunctions.all
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

    /// Argument positions of the array functions that take an array: a
    /// VARCHAR (multi-value string) there is converted with MV_TO_ARRAY.
    static let arraySlots: [String: [Int]] = [
        "ARRAY_LENGTH": [0], "ARRAY_OFFSET": [0], "ARRAY_ORDINAL": [0], "ARRAY_CONTAINS": [0], "ARRAY_OVERLAP": [0, 1],
        "ARRAY_OFFSET_OF": [0], "ARRAY_ORDINAL_OF": [0], "ARRAY_APPEND": [0], "ARRAY_PREPEND": [1], "ARRAY_CONCAT": [0, 1],
        "ARRAY_SLICE": [0], "ARRAY_TO_STRING": [0], "ARRAY_TO_MV": [0],
    ]

    /// Scalar functions that read their arguments as numbers, text or
    /// times: they refuse ARRAY and COMPLEX<json> arguments, as Calcite does.
    static let scalarOnly: Set<String> = Set(
        (ArithmeticFunctions.all + StringFunctions.all + TimeFunctions.all + NumericFunctions.all).map(\.name))

    /// Converts between arrays and multi-value strings where a function
    /// expects the other, and refuses nested values where only scalars fit.
    static func adaptNestedArguments(_ name: String, _ canonical: String, _ args: [ScalarExpr]) throws(HengeError) -> [ScalarExpr] {
        var args = args
        if let slots = arraySlots[canonical] {
            for i in slots where i < args.count && args[i].type == .varchar {
                args[i] = .call("MV_TO_ARRAY", [args[i]], .varcharArray)
            }
        } else if canonical.hasPrefix("MV_") && canonical != "MV_TO_ARRAY" {
            for i in args.indices where args[i].type.isArray {
                let strings = args[i].type == .varcharArray ? args[i] : .call("CAST", [args[i]], .varcharArray)
                args[i] = .call("ARRAY_TO_MV", [strings], .varchar)
            }
        } else if scalarOnly.contains(canonical), args.contains(where: { $0.type.isArray || $0.type == .json }) {
            let shown = args.map { "<\($0.type)>" }.joined(separator: ", ")
            throw HengeError.invalidInput("Cannot apply '\(name)' to arguments of type '\(name)(\(shown))'")
        }
        return args
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
        let args = try adaptNestedArguments(name, canonical, args)
        return .call(canonical, args, try f.returnType(args.map(\.type)))
    }

    static func arityText(_ r: ClosedRange<Int>) -> String {
        r.lowerBound == r.upperBound ? "\(r.lowerBound)" : r.upperBound == Int.max ? "at least \(r.lowerBound)" : "\(r.lowerBound) to \(r.upperBound)"
    }
}
