internal import DataModel

/// What an expression may read besides its input: the query's start time
/// (for `CURRENT_TIMESTAMP`) and time zone. Passed in; never read from a clock.
package struct EvalContext: Sendable, Hashable {
    /// Query start time, epoch millis.
    package var nowMillis: Int64
    /// Offset of `sqlTimeZone` from UTC in millis (fixed-offset zones only for now).
    package var timeZoneOffsetMillis: Int64

    package init(nowMillis: Int64, timeZoneOffsetMillis: Int64 = 0) {
        self.nowMillis = nowMillis
        self.timeZoneOffsetMillis = timeZoneOffsetMillis
    }
}
