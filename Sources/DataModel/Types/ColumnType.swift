/// A Druid native column type, as stored in segments and printed in row
/// signatures (`"LONG"`, `"STRING"`, ...).
package enum ColumnType: Hashable, Sendable, CustomStringConvertible {
    case long
    case float
    case double
    case string

    /// Druid's spelling, upper-case (`LONG`, `FLOAT`, `DOUBLE`, `STRING`).
    package var description: String {
        switch self {
        case .long: "LONG"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .string: "STRING"
        }
    }

    /// Parses a signature type name case-insensitively (`long`, `STRING`, ...).
    package init?(druidName: String) {
        switch druidName.lowercased() {
        case "long": self = .long
        case "float": self = .float
        case "double": self = .double
        case "string": self = .string
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
        }
    }
}

/// The SQL type of an expression, as Druid SQL (Calcite) names it.
package enum SQLType: Hashable, Sendable, CustomStringConvertible {
    case bigint
    case float
    case double
    case varchar
    case timestamp
    case boolean
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
        case .null: "NULL"
        }
    }

    /// The native column type values of this SQL type are stored as.
    package var nativeType: ColumnType {
        switch self {
        case .bigint, .timestamp, .boolean: .long
        case .float: .float
        case .double: .double
        case .varchar, .null: .string
        }
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
        switch sqlName.uppercased() {
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
