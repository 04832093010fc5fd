internal import DataModel
internal import Engine

/// Druid's SQL result formats (`resultFormat`).
enum ResultFormat: String {
    case object, array, objectLines, arrayLines, csv

    init?(name: String) {
        switch name.lowercased() {
        case "object": self = .object
        case "array": self = .array
        case "objectlines": self = .objectLines
        case "arraylines": self = .arrayLines
        case "csv": self = .csv
        default: return nil
        }
    }

    var contentType: String {
        switch self {
        case .object, .array: "application/json"
        case .objectLines, .arrayLines: "text/plain"
        case .csv: "text/csv"
        }
    }
}

/// Header options of a SQL request.
struct HeaderOptions {
    var header = false
    var typesHeader = false
    var sqlTypesHeader = false
    /// `sqlStringifyArrays` (default true): multi-value rows as JSON text
    /// (`"[\"a\",\"b\"]"`) or, when false, as JSON arrays.
    var stringifyArrays = true
}

/// Writes query results in Druid's formats, keeping column order.
enum ResultWriter {
    static func write(_ result: QueryResult, format: ResultFormat, headers: HeaderOptions) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + result.batch.rowCount * 32)
        let fields = result.fields
        let names = fields.map(\.name)
        let nativeTypes = fields.map { $0.type == .boolean ? "LONG" : $0.type.nativeType.description }
        let sqlTypes = fields.map { $0.type == .null ? "VARCHAR" : $0.type.headerName }
        let rows = (0..<result.batch.rowCount).map { r in
            fields.indices.map { c in
                value(result.batch.columns[c], row: r, type: fields[c].type, zone: result.timeZoneOffset,
                      stringifyArrays: headers.stringifyArrays || format == .csv)
            }
        }
        switch format {
        case .object, .objectLines, .array, .arrayLines:
            // JSON formats: an array of values, or one value per line ending with a blank line.
            let lines = format == .objectLines || format == .arrayLines
            let objects = format == .object || format == .objectLines
            if !lines { out.append(UInt8(ascii: "[")) }
            var first = true
            func emit(_ v: JSONValue) {
                if !lines && !first { out.append(UInt8(ascii: ",")) }
                first = false
                v.write(into: &out)
                if lines { out.append(0x0A) }
            }
            if headers.header && objects {
                emit(.object(names.indices.map { i in
                    var t: [(String, JSONValue)] = []
                    if headers.typesHeader { t.append(("type", .string(nativeTypes[i]))) }
                    if headers.sqlTypesHeader { t.append(("sqlType", .string(sqlTypes[i]))) }
                    return (names[i], t.isEmpty ? .null : .object(t))
                }))
            } else if headers.header {
                emit(.array(names.map(JSONValue.string)))
                if headers.typesHeader { emit(.array(nativeTypes.map(JSONValue.string))) }
                if headers.sqlTypesHeader { emit(.array(sqlTypes.map(JSONValue.string))) }
            }
            for row in rows { emit(objects ? .object(zip(names, row).map { ($0, $1) }) : .array(row)) }
            if lines { out.append(0x0A) } else { out.append(contentsOf: Array("]\n".utf8)) }
        case .csv:
            func line(_ cells: [String?]) {
                if cells.count == 1, cells[0] == nil || cells[0] == "" {
                    out.append(contentsOf: Array("\"\"\n".utf8))
                    return
                }
                for (i, c) in cells.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: Array(csvCell(c).utf8))
                }
                out.append(0x0A)
            }
            if headers.header {
                line(names)
                if headers.typesHeader { line(nativeTypes) }
                if headers.sqlTypesHeader { line(sqlTypes) }
            }
            for row in rows {
                line(row.map { v in
                    switch v {
                    case .null: nil
                    case .string(let s): s
                    case .bool(let b): b ? "true" : "false"
                    default: v.serialized
                    }
                })
            }
            out.append(0x0A)
        }
        return out
    }

    static func csvCell(_ s: String?) -> String {
        guard let s else { return "" }
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// One value as Druid serializes it for its SQL type.
    /// `zone` gives `sqlTimeZone`'s offset at an instant.
    static func value(_ col: ColumnVector, row: Int, type: SQLType, zone: (Int64) -> Int64,
                      stringifyArrays: Bool = true) -> JSONValue {
        if col.isNull(row) { return .null }
        switch (type, col.data) {
        case (.timestamp, .long(let v)): return .string(formatTimestamp(v[row], offset: zone(v[row])))
        case (.boolean, .long(let v)): return .bool(v[row] != 0)
        case (_, .long(let v)): return .int(v[row])
        case (_, .double(let v)): return .double(v[row])
        case (_, .float(let v)): return .double(Double(v[row]))
        case (.json, .string(let s)), (.pair, .string(let s)): return NestedValue.jsonValue(s.value(row))
        case (_, .string(let s)) where type.isArray && !stringifyArrays: return NestedValue.jsonValue(s.value(row))
        case (_, .string(let s)): return .string(s.value(row))
        case (_, .multiString(let m)) where !stringifyArrays && m.valueCount(row) != 1:
            return .array(m.values(row).map(JSONValue.string))
        case (_, .multiString(let m)): return m.rendered(row).stringValue.map(JSONValue.string) ?? .null
        }
    }

    static func formatTimestamp(_ ms: Int64, offset: Int64) -> String {
        guard offset != 0 else { return ISOTime.format(ms) }
        let local = ISOTime.format(ms + offset)
        let total = abs(offset) / 60_000
        let h = total / 60, m = total % 60
        let sign = offset < 0 ? "-" : "+"
        return String(local.dropLast()) + sign + (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
