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
    /// Samples external input for EXTERN / table functions given without a
    /// signature; nil refuses them (the planner does no I/O itself).
    package var inferSchema: SchemaInferrer? = nil

    /// `zoneResolver` looks up named zones (`sqlTimeZone`, zone arguments of
    /// time functions); the Engine passes one backed by the tz database.
    package init(catalog: any Catalog, queryContext: QueryContext = QueryContext(), parameters: [QueryParameter] = [],
                 nowMillis: Int64, zoneResolver: ZoneResolver = .fixedOffsetsOnly) throws(HengeError) {
        self.catalog = catalog
        self.queryContext = queryContext
        self.parameters = parameters
        var zone = ZoneRules.utc
        if let tz = queryContext.string("sqlTimeZone") {
            guard let z = zoneResolver.resolve(tz) else {
                throw HengeError.invalidInput("Invalid value for context parameter [sqlTimeZone]: unknown time zone [\(tz)]")
            }
            zone = z
        }
        // `sqlCurrentTimestamp` pins CURRENT_TIMESTAMP, as in Druid.
        var now = nowMillis
        if let pinned = queryContext.string("sqlCurrentTimestamp") {
            guard let t = ISOTime.parse(pinned.trimmingSpaces) else {
                throw HengeError.invalidInput("Invalid value for context parameter [sqlCurrentTimestamp]: [\(pinned)]")
            }
            now = t
        }
        self.eval = EvalContext(nowMillis: now, timeZone: zone, zoneResolver: zoneResolver)
        if let unnest = try queryContext.bool("groupByEnableMultiValueUnnesting") { eval.multiValueUnnesting = unnest }
    }
}
