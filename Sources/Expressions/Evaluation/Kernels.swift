package import DataModel

/// Building blocks for function kernels: constant detection, evaluation once
/// per distinct string, typed timestamp views.
extension ColumnVector {
    /// The single value of a column whose rows all hold it (literals, and
    /// columns that happen to be constant), else nil. NULL is `.null`.
    package var constantValue: ScalarValue? {
        let n = count
        if n == 0 { return nil }
        if let nulls {
            if nulls.nullCount == n { return .null }
            return nil
        }
        switch data {
        case .multiString:
            return nil
        case .string(let s):
            if s.dictionary.count == 1 { return .string(s.dictionary[0]) }
            let first = Int(s.ids[0])
            if s.ids.allSatisfy({ $0 == first }) { return .string(s.dictionary[first]) }
            // The dictionary need not be minimal: which entries hold the first row's bytes, then every row among them.
            let same = s.dictionary.withEntries { e in (0..<e.count).map { e[$0].elementsEqual(e[first]) } }
            for id in s.ids where !same[Int(id)] { return nil }
            return .string(s.dictionary[first])
        case .long(let v):
            let first = v[0]
            for x in v where x != first { return nil }
            return .long(first)
        case .double(let v):
            let first = v[0]
            for x in v where x.bitPattern != first.bitPattern { return nil }
            return .double(first)
        case .float(let v):
            let first = v[0]
            for x in v where x.bitPattern != first.bitPattern { return nil }
            return .double(Double(first))
        }
    }

    /// Rows of a `.long` column (timestamps, BIGINTs) without conversion when possible.
    @inline(__always)
    package var longStorage: [Int64]? {
        if case .long(let v) = data { return v }
        return nil
    }
}

/// Union of two optional NULL masks.
package func unionMask(_ a: NullMask?, _ b: NullMask?, count: Int) -> NullMask? {
    guard let a else { return b }
    guard let b else { return a }
    var m = NullMask(count: count)
    for r in 0..<count where a.isNull(r) || b.isNull(r) { m.setNull(r) }
    return m
}

/// A column of `count` NULLs of a native type.
package func nullColumn(_ type: ColumnType, count: Int) -> ColumnVector {
    ColumnVector.constant(.null, type: type, count: count)
}

/// Evaluates `f` once per distinct input when at most one argument varies and
/// it is a dictionary-encoded string (the common `UPPER(col)`,
/// `LPAD(col, 5, '0')` shapes); otherwise once per row. `f` sees NULL as
/// `.null` and decides the result; its result is stored as `resultType`.
package func evaluateDistinct(_ args: [ColumnVector], rowCount rows: Int, resultType: SQLType,
                              _ f: ([ScalarValue]) throws(HengeError) -> ScalarValue) throws(HengeError) -> ColumnVector {
    let native = resultType.nativeType
    var constants: [ScalarValue?] = args.map { rows == 0 ? .null : $0.constantValue }
    let varying = constants.indices.filter { constants[$0] == nil }
    if rows == 0 { return ColumnVector.empty(native) }
    if varying.isEmpty {
        let v = try f(constants.map { $0! })
        return ColumnVector.constant(v.cast(to: native), type: native, count: rows)
    }
    guard varying.count == 1, case .string(let s) = args[varying[0]].data else {
        return try mapRows(args, rowCount: rows, resultType: resultType, f)
    }
    let vi = varying[0]
    let col = args[vi]
    // Only entries some non-NULL row uses are evaluated (a filtered batch keeps
    // its whole dictionary).
    var used = [Bool](repeating: false, count: s.dictionary.count)
    var anyNull = false
    for r in 0..<rows {
        if col.isNull(r) { anyNull = true } else { used[Int(s.ids[r])] = true }
    }
    var results = [ScalarValue](repeating: .null, count: s.dictionary.count)
    for d in 0..<s.dictionary.count where used[d] {
        constants[vi] = .string(s.dictionary[d])
        results[d] = try f(constants.map { $0! }).cast(to: native)
    }
    var nullResult = ScalarValue.null
    if anyNull {
        constants[vi] = .null
        nullResult = try f(constants.map { $0! }).cast(to: native)
    }
    var mask: NullMask? = nil
    func setNull(_ r: Int) {
        if mask == nil { mask = NullMask(count: rows) }
        mask!.setNull(r)
    }
    switch native.storage {
    case .string:
        // Keep the ids: the result dictionary is the mapped input dictionary.
        var dict = StringDictionary(results.map { $0.stringValue ?? "" })
        var ids = s.ids
        var nullID: Int32? = nil
        if anyNull, case .string(let text) = nullResult {
            nullID = Int32(dict.count)
            dict.append(text)
        }
        for r in 0..<rows {
            if col.isNull(r) {
                if let nullID { ids[r] = nullID } else { setNull(r) }
            } else if results[Int(s.ids[r])].isNull {
                setNull(r)
            }
        }
        return ColumnVector(.string(StringColumn(ids: ids, dictionary: dict)), nulls: mask)
    case .long:
        let values = results.map { $0.longValue ?? 0 }
        var out = [Int64](repeating: 0, count: rows)
        for r in 0..<rows {
            if col.isNull(r) {
                if case .long(let v) = nullResult { out[r] = v } else { setNull(r) }
            } else {
                let d = Int(s.ids[r])
                if results[d].isNull { setNull(r) } else { out[r] = values[d] }
            }
        }
        return ColumnVector(.long(out), nulls: mask)
    case .double, .float:
        let values = results.map { $0.doubleValue ?? 0 }
        var out = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            if col.isNull(r) {
                if case .double(let v) = nullResult { out[r] = v } else { setNull(r) }
            } else {
                let d = Int(s.ids[r])
                if results[d].isNull { setNull(r) } else { out[r] = values[d] }
            }
        }
        return native == .float ? ColumnVector(.float(out.map { Float($0) }), nulls: mask) : ColumnVector(.double(out), nulls: mask)
    }
}

/// A timestamp argument as epoch millis: TIMESTAMP and BIGINT columns as they
/// are, strings parsed as SQL timestamps in `sqlTimeZone` (unparseable → NULL).
package func timestampValues(_ col: ColumnVector, type: SQLType, context: EvalContext) -> (values: [Int64], nulls: NullMask?) {
    switch col.data {
    case .long(let v):
        return (v, col.nulls)
    case .string(let s):
        let parsed = s.dictionary.map { context.parseTimestamp($0) }
        var out = [Int64](repeating: 0, count: col.count)
        var mask = col.nulls
        for r in 0..<col.count where !col.isNull(r) {
            if let v = parsed[Int(s.ids[r])] {
                out[r] = v
            } else {
                if mask == nil { mask = NullMask(count: col.count) }
                mask!.setNull(r)
            }
        }
        return (out, mask)
    case .double, .float:
        return (col.longs(), col.nulls)
    case .multiString:
        return timestampValues(col.renderedSingleValued(), type: type, context: context)
    }
}

extension ScalarRendering {
    /// `CAST(x AS VARCHAR)` with timestamps written in a zone.
    package static func text(_ v: ScalarValue, type: SQLType, zone: ZoneRules) -> String? {
        if type == .timestamp, !v.isNull, zone.fixedOffsetMillis != 0 {
            return sqlTimestampFormat.format(v.longValue ?? 0, zone: zone)
        }
        return text(v, type: type)
    }

    static let sqlTimestampFormat = JodaFormat(pattern: "yyyy-MM-dd HH:mm:ss")
}
