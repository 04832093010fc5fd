package import DataModel

/// `CAST(x AS type)`: the target type is the call's result type.
package enum CastFunction {
    static let function = ScalarFunction("CAST", arity: 1...1, returnType: { $0[0] }) { args, types, result, rows, ctx throws(HengeError) in
        let from = types[0]
        let col = args[0]
        if from == result { return col }
        switch (from, result) {
        case (.bigint, .timestamp), (.timestamp, .bigint), (.boolean, .bigint):
            return col
        case (.bigint, .double), (.timestamp, .double), (.boolean, .double), (.float, .double):
            return ColumnVector(.double(col.doubles()), nulls: col.nulls)
        case (.double, .bigint), (.float, .bigint):
            return ColumnVector(.long(col.doubles().map { $0.isFinite && abs($0) < 9.2e18 ? Int64($0) : 0 }), nulls: col.nulls)
        default:
            return try evaluateDistinct(args, rowCount: rows, resultType: result) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
                cast(v[0], from: from, to: result, zone: ctx.timeZone)
            }
        }
    }

    /// Scalar cast following Druid: unparseable text becomes NULL. Timestamps
    /// convert to and from text (`yyyy-MM-dd HH:mm:ss`) in `zone` (`sqlTimeZone`).
    package static func cast(_ v: ScalarValue, from: SQLType, to: SQLType, zone: ZoneRules = .utc) -> ScalarValue {
        if v.isNull { return .null }
        switch to {
        case .varchar:
            if from == .json, case .string(let text) = v {
                // A JSON string becomes its text; other JSON values their JSON text.
                if case .string(let s) = NestedValue.jsonValue(text) { return .string(s) }
                return .string(text)
            }
            return ScalarRendering.text(v, type: from, zone: zone).map(ScalarValue.string) ?? .null
        case .bigint:
            return v.longValue.map(ScalarValue.long) ?? .null
        case .double, .float:
            return v.doubleValue.map(ScalarValue.double) ?? .null
        case .boolean:
            if case .string(let s) = v {
                switch s.lowercased() {
                case "true": return .long(1)
                case "false": return .long(0)
                default: return .null
                }
            }
            return v.doubleValue.map { .long($0 != 0 ? 1 : 0) } ?? .null
        case .timestamp:
            if case .string(let s) = v { return zone.parseISO(s.trimmingSpaces).map(ScalarValue.long) ?? .null }
            return v.longValue.map(ScalarValue.long) ?? .null
        case .varcharArray, .bigintArray, .doubleArray:
            let element = to.nativeType.arrayElement!
            if from.isArray, case .string(let text) = v {
                return .string(NestedValue.encodeArray(NestedValue.decodeArray(text), element: element))
            }
            return .string(NestedValue.encodeArray([v], element: element))
        case .json:
            if from == .json { return v }
            switch v {
            case .string(let s): return .string(from.isArray ? s : JSONValue.string(s).serialized)
            case .long(let l): return .string(String(l))
            case .double(let d): return .string(JSONValue.double(d).serialized)
            case .null: return .null
            }
        case .pair:
            // Only EARLIEST/LATEST produce pairs; a cast keeps one as it is.
            return from == to ? v : .null
        case .null:
            return .null
        }
    }
}
