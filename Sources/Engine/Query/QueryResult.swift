package import DataModel
package import SQLPlanner

/// The rows of a `/druid/v2/sql` query with their SQL-typed columns.
package struct QueryResult: Sendable {
    package var fields: [Field]
    package var batch: Batch
    /// The query id echoed in `X-Druid-SQL-Query-Id`.
    package var queryID: String
    /// `sqlTimeZone` offset used to render timestamps.
    package var timeZoneOffsetMillis: Int64

    package init(fields: [Field], batch: Batch, queryID: String, timeZoneOffsetMillis: Int64 = 0) {
        self.fields = fields
        self.batch = batch
        self.queryID = queryID
        self.timeZoneOffsetMillis = timeZoneOffsetMillis
    }
}
