/// A Druid native column type, as stored in segments and printed in row
/// signatures (`"LONG"`, `"STRING"`, `"ARRAY<STRING>"`, `"COMPLEX<json>"`).
package enum ColumnType: Hashable, Sendable, CustomStringConvertible {
    case long
    case float
    case double
    case string
    /// Druid's ARRAY column types (`arrayIngestMode: array`).
    case stringArray
    case longArray
    case doubleArray
    /// A nested JSON column (`COMPLEX<json>`).
    case json
    /// An EARLIEST/LATEST intermediate state stored with
    /// `finalizeAggregations: false`: Druid's `serializablePairLong*`, a
    /// time and a value, held as the JSON text `{"lhs":t,"rhs":v}`.
    case pair(PairValueType)

    /// Druid's spelling (`LONG`, `FLOAT`, `DOUBLE`, `STRING`, `ARRAY<LONG>`, `COMPLEX<json>`).
    package var description: String {
        switch self {
        case .long: "LONG"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .string: "STRING"
        case .stringArray: "ARRAY<STRING>"
        case .longArray: "ARRAY<LONG>"
        case .doubleArray: "ARRAY<DOUBLE>"
        case .json: "COMPLEX<json>"
        case .pair(let v): "COMPLEX<serializablePairLong\(v.rawValue)>"
        }
    }

    /// Parses a signature type name case-insensitively (`long`, `STRING`,
    /// `ARRAY<STRING>`, `COMPLEX<json>`, also `json`).
    package init?(druidName: String) {
        switch String(druidName.lowercased().filter { $0 != " " }) {
        case "long": self = .long
        case "float": self = .float
        case "double": self = .double
        case "string": self = .string
        case "array<string>": self = .stringArray
        case "array<long>": self = .longArray
        case "array<double>", "array<float>": self = .doubleArray
        case "complex<json>", "json": self = .json
        case let name where name.hasPrefix("complex<serializablepairlong") && name.hasSuffix(">"):
            let v = name.dropFirst("complex<serializablepairlong".count).dropLast()
            guard let value = PairValueType.allCases.first(where: { $0.rawValue.lowercased() == v }) else { return nil }
            self = .pair(value)
        default: return nil
        }
    }

    /// The SQL type a column of this native type has when read from a table.
    package var sqlType: SQLType {
        switch self {
        case .long: .bigint
        case .float: .float
        case .double: .double
        case .string: .varchar
        case .stringArray: .varcharArray
        case .longArray: .bigintArray
        case .doubleArray: .doubleArray
        case .json: .json
        case .pair(let v): .pair(v)
        }
    }

    /// How values of this type are held in a `Batch` and in segment blocks.
    /// Arrays and JSON are held as their canonical JSON text (see
    /// `NestedValue`) in a dictionary-encoded string column: equal values
    /// have equal text, so grouping, hashing and dictionary storage work on
    /// them unchanged; ordering decodes (`NestedValue.compare`).
    package var storage: ColumnStorage {
        switch self {
        case .long: .long
        case .float: .float
        case .double: .double
        case .string, .stringArray, .longArray, .doubleArray, .json, .pair: .string
        }
    }

    /// True for the ARRAY types.
    package var isArray: Bool {
        switch self {
        case .stringArray, .longArray, .doubleArray: true
        default: false
        }
    }

    /// True for the types stored as canonical JSON text (arrays and JSON).
    package var isNested: Bool {
        switch self {
        case .json, .pair: true
        default: isArray
        }
    }

    /// The element type of an ARRAY type.
    package var arrayElement: ColumnType? {
        switch self {
        case .stringArray: .string
        case .longArray: .long
        case .doubleArray: .double
        default: nil
        }
    }
}

/// The physical representation of a column in batches and segments.
package enum ColumnStorage: Hashable, Sendable {
    case long
    case float
    case double
    case string
}

/// The SQL type of an expression, as Druid SQL (Calcite) names it.
package enum SQLType: Hashable, Sendable, CustomStringConvertible {
    case bigint
    case float
    case double
    case varchar
    case timestamp
    case boolean
    case varcharArray
    case bigintArray
    case doubleArray
    /// `COMPLEX<json>` (Druid SQL prints it so; JDBC sees OTHER).
    case json
    /// `COMPLEX<serializablePairLong...>`: an EARLIEST/LATEST state (see `ColumnType.pair`).
    case pair(PairValueType)
    /// The type of a bare `NULL` literal before coercion.
    case null

    package var description: String {
        switch self {
        case .bigint: "BIGINT"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .varchar: "VARCHAR"
        case .timestamp: "TIMESTAMP"
        case .boolean: "BOOLEAN"
        case .varcharArray: "VARCHAR ARRAY"
        case .bigintArray: "BIGINT ARRAY"
        case .doubleArray: "DOUBLE ARRAY"
        case .json: "COMPLEX<json>"
        case .pair(let v): "COMPLEX<serializablePairLong\(v.rawValue)>"
        case .null: "NULL"
        }
    }

    /// The name in Druid's `sqlTypesHeader` and INFORMATION_SCHEMA's
    /// DATA_TYPE (`ARRAY` for every array, `OTHER` for COMPLEX).
    package var headerName: String {
        switch self {
        case .varcharArray, .bigintArray, .doubleArray: "ARRAY"
        case .json, .pair: "OTHER"
        default: description
        }
    }

    /// True for the ARRAY types.
    package var isArray: Bool {
        switch self {
        case .varcharArray, .bigintArray, .doubleArray: true
        default: false
        }
    }

    /// The element type of an ARRAY type.
    package var arrayElement: SQLType? {
        switch self {
        case .varcharArray: .varchar
        case .bigintArray: .bigint
        case .doubleArray: .double
        default: nil
        }
    }

    /// The ARRAY type with this element type (`FLOAT`/`DOUBLE` → DOUBLE
    /// ARRAY, `BIGINT`/`BOOLEAN`/`TIMESTAMP` → BIGINT ARRAY).
    package static func array(of element: SQLType) -> SQLType {
        switch element {
        case .bigint, .timestamp, .boolean: .bigintArray
        case .float, .double: .doubleArray
        default: .varcharArray
        }
    }

    /// The native column type values of this SQL type are stored as.
    package var nativeType: ColumnType {
        switch self {
        case .bigint, .timestamp, .boolean: .long
        case .float: .float
        case .double: .double
        case .varchar, .null: .string
        case .varcharArray: .stringArray
        case .bigintArray: .longArray
        case .doubleArray: .doubleArray
        case .json: .json
        case .pair(let v): .pair(v)
        }
    }

    /// The value type of a pair type.
    package var pairValue: SQLType? {
        if case .pair(let v) = self { return v.sqlType }
        return nil
    }

    /// True for BIGINT, FLOAT, DOUBLE (the arithmetic types).
    package var isNumeric: Bool {
        switch self {
        case .bigint, .float, .double: true
        default: false
        }
    }

    /// Parses a SQL type name from CAST or EXTEND (`BIGINT`, `VARCHAR`, ...).
    package init?(sqlName: String) {
        let upper = sqlName.uppercased()
        if upper.hasSuffix(" ARRAY") {
            guard let element = SQLType(sqlName: String(upper.dropLast(6))), element != .null else { return nil }
            self = SQLType.array(of: element)
            return
        }
        if upper.hasPrefix("ARRAY<"), upper.hasSuffix(">") {
            let inner = String(upper.dropFirst(6).dropLast())
            guard let element = SQLType(sqlName: inner == "STRING" ? "VARCHAR" : inner == "LONG" ? "BIGINT" : inner) else { return nil }
            self = SQLType.array(of: element)
            return
        }
        if upper == "COMPLEX<JSON>" || upper == "JSON" { self = .json; return }
        switch upper {
        case "BIGINT", "INTEGER", "INT", "SMALLINT", "TINYINT", "LONG": self = .bigint
        case "FLOAT", "REAL": self = .float
        case "DOUBLE", "DECIMAL", "NUMERIC": self = .double
        case "VARCHAR", "CHAR", "STRING", "CHARACTER": self = .varchar
        case "TIMESTAMP": self = .timestamp
        case "BOOLEAN": self = .boolean
        default: return nil
        }
    }
}

/// The value half of an EARLIEST/LATEST intermediate pair (Druid's
/// `serializablePairLongLong`, `...LongFloat`, `...LongDouble`, `...LongString`).
package enum PairValueType: String, Hashable, Sendable, CaseIterable {
    case long = "Long"
    case float = "Float"
    case double = "Double"
    case string = "String"

    /// The pair type holding values of `type`; nil for types without one.
    package init?(sqlType: SQLType) {
        switch sqlType {
        case .bigint, .timestamp, .boolean: self = .long
        case .float: self = .float
        case .double: self = .double
        case .varchar: self = .string
        default: return nil
        }
    }

    /// The SQL type of the value.
    package var sqlType: SQLType {
        switch self {
        case .long: .bigint
        case .float: .float
        case .double: .double
        case .string: .varchar
        }
    }
}
