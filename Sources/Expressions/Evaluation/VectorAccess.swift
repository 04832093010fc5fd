package import DataModel

/// Typed views of argument columns used by function kernels.
extension ColumnVector {
    /// The column as doubles (longs and floats widen; strings parse, NULL → 0 with mask).
    package func doubles() -> [Double] {
        switch data {
        case .double(let v): return v
        case .long(let v): return v.map { Double($0) }
        case .float(let v): return v.map { Double($0) }
        case .string(let s):
            let parsed = s.dictionary.map { Double($0.trimmingSpaces) ?? 0 }
            return s.ids.map { parsed[Int($0)] }
        case .multiString:
            return renderedSingleValued().doubles()
        }
    }

    /// The column as longs (doubles truncate; strings parse).
    package func longs() -> [Int64] {
        switch data {
        case .long(let v): return v
        case .double(let v): return v.map { $0.isFinite && abs($0) < 9.2e18 ? Int64($0) : 0 }
        case .float(let v): return v.map { $0.isFinite && abs($0) < 9.2e18 ? Int64($0) : 0 }
        case .string(let s):
            let parsed = s.dictionary.map { ScalarValue.parseLong($0) ?? 0 }
            return s.ids.map { parsed[Int($0)] }
        case .multiString:
            return renderedSingleValued().longs()
        }
    }

    /// NULL mask extended with rows whose string does not parse as a number.
    package func numericNulls(asLong: Bool) -> NullMask? {
        if isMultiValue { return renderedSingleValued().numericNulls(asLong: asLong) }
        guard case .string(let s) = data else { return nulls }
        let bad = s.dictionary.map { asLong ? ScalarValue.parseLong($0) == nil : Double($0.trimmingSpaces) == nil }
        guard bad.contains(true) else { return nulls }
        var m = nulls ?? NullMask(count: count)
        for r in 0..<count where bad[Int(s.ids[r])] { m.setNull(r) }
        return m
    }

    /// A string view: dictionary + ids (non-string columns are rendered).
    package func strings(type: SQLType) -> StringColumn {
        if case .string(let s) = data { return s }
        if isMultiValue { return renderedSingleValued().strings(type: type) }
        var b = ColumnBuilder(type: .string, capacity: count)
        for r in 0..<count {
            b.append(string: ScalarRendering.text(value(at: r), type: type) ?? "")
        }
        if case .string(let s) = b.finish().data { return s }
        return StringColumn()
    }
}

/// Union of NULL masks: a row is NULL when it is NULL in any input.
package func unionNulls(_ columns: [ColumnVector], count: Int) -> NullMask? {
    let masks = columns.compactMap(\.nulls)
    guard !masks.isEmpty else { return nil }
    if masks.count == 1 { return masks[0] }
    var m = NullMask(count: count)
    for r in 0..<count where masks.contains(where: { $0.isNull(r) }) { m.setNull(r) }
    return m
}

/// Text forms of values as SQL casts produce them.
package enum ScalarRendering {
    /// `CAST(x AS VARCHAR)`: timestamps as `yyyy-MM-dd HH:mm:ss`, booleans as `true`/`false`.
    package static func text(_ v: ScalarValue, type: SQLType) -> String? {
        if v.isNull { return nil }
        switch type {
        case .timestamp:
            let iso = ISOTime.format(v.longValue ?? 0)  // yyyy-MM-ddTHH:mm:ss.SSSZ
            let date = iso.prefix(10)
            let time = iso.dropFirst(11).prefix(8)
            return "\(date) \(time)"
        case .boolean:
            return (v.longValue ?? 0) != 0 ? "true" : "false"
        default:
            return v.stringValue
        }
    }
}

/// Applies `f` to each row's argument values (slow path for functions
/// without a specialised kernel). NULL handling is up to `f`.
package func mapRows(_ args: [ColumnVector], rowCount: Int, resultType: SQLType,
                     _ f: ([ScalarValue]) throws(HengeError) -> ScalarValue) throws(HengeError) -> ColumnVector {
    var b = ColumnBuilder(type: resultType.nativeType, capacity: rowCount)
    var values = [ScalarValue](repeating: .null, count: args.count)
    for r in 0..<rowCount {
        for i in 0..<args.count { values[i] = args[i].value(at: r) }
        b.append(try f(values))
    }
    return b.finish()
}

/// Like `mapRows`, but returns NULL whenever any argument is NULL.
package func mapRowsStrict(_ args: [ColumnVector], rowCount: Int, resultType: SQLType,
                           _ f: ([ScalarValue]) throws(HengeError) -> ScalarValue) throws(HengeError) -> ColumnVector {
    try mapRows(args, rowCount: rowCount, resultType: resultType) { (v: [ScalarValue]) throws(HengeError) -> ScalarValue in
        v.contains(where: \.isNull) ? .null : try f(v)
    }
}
