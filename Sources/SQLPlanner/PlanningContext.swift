package import DataModel
package import Expressions

/// A typed value for a `?` placeholder, from the request's `parameters`.
package struct QueryParameter: Sendable, Hashable {
    package var type: SQLType
    package var value: ScalarValue

    package init(type: SQLType, value: ScalarValue) {
        self.type = type
        self.value = value
    }
}

/// Everything binding needs besides the SQL: the catalog, the query context,
/// parameters, and the query's start time (no clock is read while planning).
package struct PlanningContext: Sendable {
    package var catalog: any Catalog
    package var queryContext: QueryContext
    package var parameters: [QueryParameter]
    package var eval: EvalContext

    package init(catalog: any Catalog, queryContext: QueryContext = QueryContext(), parameters: [QueryParameter] = [],
                 nowMillis: Int64) throws(HengeError) {
        self.catalog = catalog
        self.queryContext = queryContext
        self.parameters = parameters
        var offset: Int64 = 0
        if let tz = queryContext.string("sqlTimeZone") {
            guard let o = TimeZones.offsetMillis(tz) else {
                throw HengeError.invalidInput("Invalid value for context parameter [sqlTimeZone]: unknown time zone [\(tz)]")
            }
            offset = o
        }
        self.eval = EvalContext(nowMillis: nowMillis, timeZoneOffsetMillis: offset)
    }
}
