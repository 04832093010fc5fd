package import DataModel
package import SQLPlanner
internal import Foundation

/// A request to `/druid/v2/sql` or `/druid/v2/sql/task`, decoded.
package struct SQLRequest: Sendable {
    package var query: String
    package var context: QueryContext
    package var parameters: [QueryParameter]

    package init(query: String, context: QueryContext = QueryContext(), parameters: [QueryParameter] = []) {
        self.query = query
        self.context = context
        self.parameters = parameters
    }

    /// The context's `sqlQueryId`, or a new UUID.
    package var sqlQueryID: String {
        context.string("sqlQueryId") ?? UUID().uuidString.lowercased()
    }

    /// Decodes Druid's `parameters` array: `[{"type": "VARCHAR", "value": "x"}, ...]`.
    package static func parameters(from json: JSONValue?) throws(HengeError) -> [QueryParameter] {
        guard let json, !json.isNull else { return [] }
        guard let items = json.arrayValue else { throw HengeError.invalidInput("parameters must be a JSON array") }
        var out: [QueryParameter] = []
        for (i, item) in items.enumerated() {
            guard let typeName = item["type"]?.stringValue, let type = SQLType(sqlName: typeName) else {
                throw HengeError.invalidInput("Parameter at position [\(i + 1)] has an unsupported or missing type")
            }
            guard let value = item["value"], !value.isNull else {
                throw HengeError.invalidInput("Parameter at position [\(i + 1)] has no value")
            }
            let scalar: ScalarValue
            switch (type, value) {
            case (.timestamp, .string(let s)):
                guard let t = ISOTime.parse(s) else { throw HengeError.invalidInput("Parameter at position [\(i + 1)]: cannot parse TIMESTAMP [\(s)]") }
                scalar = .long(t)
            case (_, .int(let v)): scalar = type == .double || type == .float ? .double(Double(v)) : .long(v)
            case (_, .double(let v)): scalar = type == .bigint ? .long(Int64(v)) : .double(v)
            case (_, .bool(let b)): scalar = .long(b ? 1 : 0)
            case (_, .string(let s)): scalar = type == .varchar ? .string(s) : ScalarValue.string(s).cast(to: type.nativeType)
            default: throw HengeError.invalidInput("Parameter at position [\(i + 1)] has an unsupported value")
            }
            out.append(QueryParameter(type: type, value: scalar))
        }
        return out
    }
}
