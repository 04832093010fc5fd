/// The canonical text form of ARRAY and `COMPLEX<json>` values.
///
/// Batches and segments hold these values as compact JSON text in
/// dictionary-encoded string columns (`ColumnType.storage == .string`). The
/// text is canonical — numbers of a LONG array as integers, of a DOUBLE array
/// as Java prints doubles (`999.0`), strings JSON-escaped, no spaces — so two
/// equal values always have equal text and grouping, hashing and storage can
/// treat them as strings. The text is also exactly what Druid prints for an
/// array when `sqlStringifyArrays` is true (`[1,null,3]`, `["a","b"]`).
package enum NestedValue {
    /// The canonical text of an array whose elements are converted to the
    /// element type (`nil` elements are NULL).
    package static func encodeArray(_ elements: [ScalarValue], element: ColumnType) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, e) in elements.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendElement(e, element: element, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one element in canonical form.
    package static func appendElement(_ e: ScalarValue, element: ColumnType, into out: inout [UInt8]) {
        switch e.cast(to: element) {
        case .null: out.append(contentsOf: "null".utf8)
        case .long(let v): out.append(contentsOf: String(v).utf8)
        case .double(let d):
            if d.isFinite { out.append(contentsOf: JavaDouble.format(d).utf8) } else { out.append(contentsOf: "null".utf8) }
        case .string(let s): JSONValue.writeString(s, into: &out)
        }
    }

    /// The elements of an array's canonical text (`[]` for text that is not
    /// an array). Slow path: functions and comparisons, not scans.
    package static func decodeArray(_ text: String) -> [ScalarValue] {
        guard let value = try? JSONValue.parse(text), case .array(let items) = value else { return [] }
        return items.map(scalar)
    }

    /// A JSON value as a scalar: numbers and strings as themselves, booleans
    /// as 1/0 (Druid's LONG booleans), nested values as their JSON text.
    package static func scalar(_ v: JSONValue) -> ScalarValue {
        switch v {
        case .null: .null
        case .bool(let b): .long(b ? 1 : 0)
        case .int(let i): .long(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .array, .object: .string(v.serialized)
        }
    }

    /// The canonical text of an array value read from JSON input, with its
    /// elements converted to `element` (a nested element that is not a
    /// scalar becomes NULL, as Druid's typed arrays do).
    package static func encodeArray(json items: [JSONValue], element: ColumnType) -> String {
        encodeArray(items.map { v in
            switch v {
            case .array, .object: ScalarValue.null
            default: scalar(v)
            }
        }, element: element)
    }

    /// Orders two canonical array texts as Druid orders arrays: element by
    /// element (NULL elements first, numbers numerically, strings by UTF-8
    /// bytes), a proper prefix before the longer array.
    package static func compareArrays(_ a: String, _ b: String, element: ColumnType) -> Int {
        if a == b { return 0 }
        let x = decodeArray(a), y = decodeArray(b)
        for (l, r) in zip(x, y) {
            let c = compareElements(l, r, element: element)
            if c != 0 { return c }
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }

    private static func compareElements(_ l: ScalarValue, _ r: ScalarValue, element: ColumnType) -> Int {
        switch (l.isNull, r.isNull) {
        case (true, true): return 0
        case (true, false): return -1
        case (false, true): return 1
        default: break
        }
        switch element {
        case .long:
            let p = l.longValue ?? 0, q = r.longValue ?? 0
            return p == q ? 0 : (p < q ? -1 : 1)
        case .float, .double:
            let p = l.doubleValue ?? 0, q = r.doubleValue ?? 0
            return p == q ? 0 : (p < q ? -1 : 1)
        default:
            let p = l.stringValue ?? "", q = r.stringValue ?? ""
            return p.utf8.lexicographicallyPrecedes(q.utf8) ? -1 : (p == q ? 0 : 1)
        }
    }

    /// The canonical text of a JSON value (`COMPLEX<json>`): compact, keys in
    /// input order.
    package static func encodeJSON(_ v: JSONValue) -> String { v.serialized }

    /// The value of a canonical text, for rendering (`sqlStringifyArrays:
    /// false`, COMPLEX<json> results). Text that does not parse stays text.
    package static func jsonValue(_ text: String) -> JSONValue {
        (try? JSONValue.parse(text)) ?? .string(text)
    }
}
