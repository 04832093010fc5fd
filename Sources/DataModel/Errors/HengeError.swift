/// Druid's error categories; each maps to one HTTP status.
package enum ErrorCategory: String, Sendable {
    case defensive = "DEFENSIVE"
    case invalidInput = "INVALID_INPUT"
    case unauthorized = "UNAUTHORIZED"
    case forbidden = "FORBIDDEN"
    case notFound = "NOT_FOUND"
    case conflict = "CONFLICT"
    case capacityExceeded = "CAPACITY_EXCEEDED"
    case canceled = "CANCELED"
    case runtimeFailure = "RUNTIME_FAILURE"
    case serviceUnavailable = "SERVICE_UNAVAILABLE"
    case timeout = "TIMEOUT"
    case unsupported = "UNSUPPORTED"
    case uncategorized = "UNCATEGORIZED"

    /// The HTTP status Druid answers with for this category.
    package var httpStatus: Int {
        switch self {
        case .defensive, .canceled, .runtimeFailure, .uncategorized: 500
        case .invalidInput: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .capacityExceeded: 429
        case .serviceUnavailable: 503
        case .timeout: 504
        case .unsupported: 501
        }
    }
}

/// Who an error is addressed to (Druid's `DruidException.Persona`).
package enum Persona: String, Sendable {
    case user = "USER"
    case admin = "ADMIN"
    case `operator` = "OPERATOR"
    case developer = "DEVELOPER"
}

/// A position range in SQL text; lines and columns are 1-based.
package struct SourceRange: Hashable, Sendable {
    package var line: Int
    package var column: Int
    package var endLine: Int
    package var endColumn: Int

    package init(line: Int, column: Int, endLine: Int, endColumn: Int) {
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
    }
}

/// The one error currency of Henge.
///
/// Two kinds share it: a *DruidException* refusing a request (`code` is
/// Druid's lower-camel `errorCode` such as `invalidInput`), and an MSQ
/// *fault* failing a task (`code` is an UpperCamel fault code such as
/// `CannotParseExternalData`, `fields` its extra JSON fields).
package struct HengeError: Error, Sendable, CustomStringConvertible {
    package var code: String
    package var category: ErrorCategory
    package var persona: Persona
    package var message: String
    package var range: SourceRange?
    /// Fault-specific fields (`maxBuckets`, `columnName`, ...), in order.
    package var fields: [(String, JSONValue)]

    package init(
        code: String, category: ErrorCategory, persona: Persona = .user, message: String,
        range: SourceRange? = nil, fields: [(String, JSONValue)] = []
    ) {
        self.code = code
        self.category = category
        self.persona = persona
        self.message = message
        self.range = range
        self.fields = fields
    }

    package var description: String { "\(code): \(message)" }

    /// True when `code` is an MSQ fault code (UpperCamelCase).
    package var isFault: Bool { code.first?.isUppercase ?? false }

    /// A user error refusing a request (HTTP 400).
    package static func invalidInput(_ message: String, range: SourceRange? = nil) -> HengeError {
        HengeError(code: "invalidInput", category: .invalidInput, message: message, range: range)
    }

    /// A feature that exists in Druid but not (yet) in Henge (HTTP 501).
    package static func unsupported(_ message: String, range: SourceRange? = nil) -> HengeError {
        HengeError(code: "unsupported", category: .unsupported, message: message, range: range)
    }

    package static func notFound(_ message: String) -> HengeError {
        HengeError(code: "notFound", category: .notFound, message: message)
    }

    /// A bug in Henge: reached a state that should be impossible.
    package static func defensive(_ message: String) -> HengeError {
        HengeError(
            code: "defensive", category: .defensive, persona: .developer,
            message: "\(message) (this is a bug in Henge; please report it)")
    }

    /// An MSQ fault failing a task, e.g. `fault("InsertTimeNull", ...)`.
    package static func fault(_ code: String, _ message: String, fields: [(String, JSONValue)] = []) -> HengeError {
        HengeError(code: code, category: .runtimeFailure, message: message, fields: fields)
    }

    /// Druid's DruidException JSON body (`error`, `errorCode`, `persona`,
    /// `category`, `errorMessage`, `context`).
    package var druidExceptionJSON: JSONValue {
        var context: [(String, JSONValue)] = []
        if let range {
            context.append(("sourceType", .string("sql")))
            context.append(("line", .string(String(range.line))))
            context.append(("column", .string(String(range.column))))
            context.append(("endLine", .string(String(range.endLine))))
            context.append(("endColumn", .string(String(range.endColumn))))
        }
        for (k, v) in fields { context.append((k, .string(v.stringValue ?? v.serialized))) }
        return .object([
            ("error", .string("druidException")),
            ("errorCode", .string(code)),
            ("persona", .string(persona.rawValue)),
            ("category", .string(category.rawValue)),
            ("errorMessage", .string(message)),
            ("context", .object(context)),
        ])
    }

    /// The MSQ fault JSON (`errorCode`, `errorMessage`, extra fields).
    package var faultJSON: JSONValue {
        .object([("errorCode", .string(code)), ("errorMessage", .string(message))] + fields)
    }
}
