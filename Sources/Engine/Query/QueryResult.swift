package import DataModel

/// A result column: its name and SQL type.
package struct ResultColumn: Hashable, Sendable {
    package var name: String
    package var type: SQLType

    package init(name: String, type: SQLType) {
        self.name = name
        self.type = type
    }
}

/// The rows of a `/druid/v2/sql` query with their SQL-typed columns.
package struct QueryResult: Sendable {
    package var fields: [ResultColumn]
    package var batch: Batch
    /// The query id echoed in `X-Druid-SQL-Query-Id`.
    package var queryID: String
    /// `sqlTimeZone` offset used to render timestamps (fixed-offset zones).
    package var timeZoneOffsetMillis: Int64
    /// `sqlTimeZone`'s offset at an instant (named zones change with DST).
    private let offsetAt: @Sendable (Int64) -> Int64

    package init(fields: [ResultColumn], batch: Batch, queryID: String, timeZoneOffsetMillis: Int64 = 0,
                 timeZoneOffset: (@Sendable (Int64) -> Int64)? = nil) {
        self.fields = fields
        self.batch = batch
        self.queryID = queryID
        self.timeZoneOffsetMillis = timeZoneOffsetMillis
        self.offsetAt = timeZoneOffset ?? { _ in timeZoneOffsetMillis }
    }

    /// The offset timestamps are rendered with at instant `ms`.
    package func timeZoneOffset(at ms: Int64) -> Int64 { offsetAt(ms) }
}
