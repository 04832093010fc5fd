internal import DataModel
internal import Foundation

/// Druid's SQL array functions (`sql-array-functions.md`) over ARRAY values,
/// which columns hold as canonical JSON text (`NestedValue`). The binder
/// hands them arrays only: a VARCHAR (multi-value) argument in an array
/// position is wrapped in `MV_TO_ARRAY` first (`FunctionRegistry.arraySlots`).
///
/// Evaluation decodes each distinct array once per batch (`evaluateDistinct`),
/// so dictionary-encoded array columns cost one decode per distinct value.
enum ArrayFunctions {
    /// The elements of an array argument, nil for NULL.
    static func elements(_ v: ScalarValue) -> [ScalarValue]? {
        guard case .string(let text) = v else { return nil }
        return NestedValue.decodeArray(text)
    }

    /// The canonical text of `elements` as an array of `type`.
    static func array(_ elements: [ScalarValue], _ type: SQLType) -> ScalarValue {
        .string(NestedValue.encodeArray(elements, element: (type.arrayElement ?? .varchar).nativeType))
    }

    /// Element equality as Druid compares array elements (numbers by value).
    static func same(_ a: ScalarValue, _ b: ScalarValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.string(let x), .string(let y)): return x == y
        case (.string, _), (_, .string): return a.stringValue == b.stringValue
        default: return a.doubleValue == b.doubleValue
        }
    }

    static func function(_ name: String, _ arity: ClosedRange<Int>, returnType: @escaping @Sendable ([SQLType]) throws(HengeError) -> SQLType,
                         _ f: @escaping @Sendable ([ScalarValue], [SQLType], SQLType) throws(HengeError) -> ScalarValue) -> ScalarFunction {
        ScalarFunction(name, arity: arity, returnType: returnType) { args, types, result, rows, _ throws(HengeError) in
            try evaluateDistinct(args, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                try f(v, types, result)
            }
        }
    }

    /// The array type of argument `i` (VARCHAR ARRAY when unknown).
    static func arrayType(_ types: [SQLType], _ i: Int) -> SQLType {
        types[i].isArray ? types[i] : .varcharArray
    }

    static func element(_ types: [SQLType]) -> SQLType {
        arrayType(types, 0).arrayElement ?? .varchar
    }

    static let all: [ScalarFunction] = [
        // ARRAY[a, b, ...]: elements converted to their common type; NULL elements kept.
        function("ARRAY", 1...Int.max, returnType: { types in SQLType.array(of: TypeRules.common(types)) }) { v, _, result in
            array(v, result)
        },
        function("ARRAY_LENGTH", 1...1, returnType: { _ in .bigint }) { v, _, _ in
            elements(v[0]).map { .long(Int64($0.count)) } ?? .null
        },
        function("ARRAY_OFFSET", 2...2, returnType: { element($0) }) { v, _, _ in
            guard let a = elements(v[0]), let i = v[1].longValue, i >= 0, i < a.count else { return .null }
            return a[Int(i)]
        },
        function("ARRAY_ORDINAL", 2...2, returnType: { element($0) }) { v, _, _ in
            guard let a = elements(v[0]), let i = v[1].longValue, i >= 1, i <= a.count else { return .null }
            return a[Int(i) - 1]
        },
        function("ARRAY_CONTAINS", 2...2, returnType: { _ in .boolean }) { v, types, _ in
            guard let a = elements(v[0]) else { return .null }
            if types[1].isArray {
                guard let b = elements(v[1]) else { return .null }
                return .long(b.allSatisfy { x in a.contains { same($0, x) } } ? 1 : 0)
            }
            return .long(a.contains { same($0, v[1]) } ? 1 : 0)
        },
        function("ARRAY_OVERLAP", 2...2, returnType: { _ in .boolean }) { v, _, _ in
            guard let a = elements(v[0]), let b = elements(v[1]) else { return .null }
            return .long(a.contains { x in b.contains { same($0, x) } } ? 1 : 0)
        },
        function("ARRAY_OFFSET_OF", 2...2, returnType: { _ in .bigint }) { v, _, _ in
            guard let a = elements(v[0]), !v[1].isNull, let i = a.firstIndex(where: { same($0, v[1]) }) else { return .null }
            return .long(Int64(i))
        },
        function("ARRAY_ORDINAL_OF", 2...2, returnType: { _ in .bigint }) { v, _, _ in
            guard let a = elements(v[0]), !v[1].isNull, let i = a.firstIndex(where: { same($0, v[1]) }) else { return .null }
            return .long(Int64(i + 1))
        },
        function("ARRAY_APPEND", 2...2, returnType: { arrayType($0, 0) }) { v, _, result in
            guard let a = elements(v[0]) else { return .null }
            return array(a + [v[1]], result)
        },
        function("ARRAY_PREPEND", 2...2, returnType: { arrayType($0, 1) }) { v, _, result in
            guard let a = elements(v[1]) else { return .null }
            return array([v[0]] + a, result)
        },
        function("ARRAY_CONCAT", 2...2, returnType: { arrayType($0, 0) }) { v, _, result in
            guard let a = elements(v[0]), let b = elements(v[1]) else { return .null }
            return array(a + b, result)
        },
        function("ARRAY_SLICE", 2...3, returnType: { arrayType($0, 0) }) { v, _, result in
            guard let a = elements(v[0]), let start = v[1].longValue.map(Int.init) else { return .null }
            let end = v.count > 2 ? (v[2].longValue.map(Int.init) ?? a.count) : a.count
            guard start >= 0, start <= a.count, end >= start else { return .null }
            return array(Array(a[start..<min(end, a.count)]), result)
        },
        function("ARRAY_TO_STRING", 2...2, returnType: { _ in .varchar }) { v, _, _ in
            guard let a = elements(v[0]), let d = v[1].stringValue else { return .null }
            return .string(a.map { $0.stringValue ?? "null" }.joined(separator: d))
        },
        function("STRING_TO_ARRAY", 2...2, returnType: { _ in .varcharArray }) {
            (v: [ScalarValue], _: [SQLType], result: SQLType) throws(HengeError) -> ScalarValue in
            guard let s = v[0].stringValue, let pattern = v[1].stringValue else { return .null }
            let regex: NSRegularExpression
            do { regex = try NSRegularExpression(pattern: pattern.isEmpty ? "(?:)" : pattern) } catch {
                throw EvalErrors.function("STRING_TO_ARRAY", "invalid regular expression [\(pattern)]")
            }
            return array(MultiValueFunctions.javaSplit(s, regex).map(ScalarValue.string), result)
        },
        // Multi-value strings and arrays convert into each other.
        ScalarFunction("ARRAY_TO_MV", arity: 1...1, returnType: { _ in .varchar }) { args, _, _, rows, _ throws(HengeError) in
            var lists: [[String]?] = []
            lists.reserveCapacity(rows)
            for r in 0..<rows {
                // Multi-value strings hold no NULL elements: those are dropped, and a
                // row left without values is NULL (as `[]` and `[null]` read in Druid).
                let values = args[0].isNull(r) ? nil : elements(args[0].value(at: r))?.compactMap(\.stringValue)
                lists.append(values?.isEmpty == false ? values : nil)
            }
            return MultiStringColumn.build(lists)
        },
        ScalarFunction("MV_TO_ARRAY", arity: 1...1, returnType: { _ in .varcharArray }) { args, _, _, rows, _ throws(HengeError) in
            var b = ColumnBuilder(type: .stringArray, capacity: rows)
            for r in 0..<rows {
                if args[0].isNull(r) { b.appendNull() } else {
                    b.append(string: NestedValue.encodeArray(args[0].stringValues(at: r).map(ScalarValue.string), element: .string))
                }
            }
            return b.finish()
        },
    ]
}
